"""Findings of the consistency checker: kinds, severities, evidence, ordering and de-duplication."""
from __future__ import annotations

from dataclasses import dataclass, field

# kinds in the order drafters read them
KINDS = ("threshold_conflict", "responsibility_conflict", "time_limit_conflict", "superseded_law",
         "dangling_reference", "unknown_resource", "missing_section", "stale_plan")
KIND_NAMES = {"threshold_conflict": "分级标准冲突", "responsibility_conflict": "职责冲突",
              "time_limit_conflict": "报告时限冲突", "superseded_law": "引用已废止或旧版法规",
              "dangling_reference": "引用对象不存在", "unknown_resource": "资源不在登记中",
              "missing_section": "缺少必备内容", "stale_plan": "预案过时"}

# 高: the plans contradict each other or the law on how to act; 中: a defect to fix at the next
# revision; 低: worth a look.
SEVERITIES = ("高", "中", "低")
HIGH, MEDIUM, LOW = SEVERITIES


@dataclass(frozen=True)
class Evidence:
    plan_title: str
    section: str
    text: str

    def to_json(self) -> dict:
        return {"plan_title": self.plan_title, "section": self.section, "text": self.text}


@dataclass
class Finding:
    kind: str
    severity: str
    message: str
    evidence: list[Evidence]
    suggestion: str
    plans: tuple[str, ...] = field(default=())   # plans the finding is about (for filtering)

    def __post_init__(self):
        if not self.plans:
            seen: list[str] = []
            for e in self.evidence:
                if e.plan_title not in seen:
                    seen.append(e.plan_title)
            self.plans = tuple(seen)

    @property
    def plan(self) -> str:
        return self.plans[0] if self.plans else ""

    def key(self) -> tuple:
        return (self.kind, tuple((e.plan_title, e.section, e.text) for e in self.evidence))

    def sort_key(self) -> tuple:
        return (self.plan, KINDS.index(self.kind) if self.kind in KINDS else 99,
                SEVERITIES.index(self.severity) if self.severity in SEVERITIES else 9, self.message)

    def to_json(self) -> dict:
        return {"kind": self.kind, "severity": self.severity, "message": self.message,
                "evidence": [e.to_json() for e in self.evidence], "suggestion": self.suggestion}


def finish(findings: list[Finding]) -> list[Finding]:
    """Drop exact duplicates (same kind and evidence) and sort deterministically."""
    out: dict[tuple, Finding] = {}
    for f in findings:
        out.setdefault(f.key(), f)
    return sorted(out.values(), key=Finding.sort_key)
