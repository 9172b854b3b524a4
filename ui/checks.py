"""Consistency findings from `matcher.check` as plain dicts, plus filters for the drafter's page."""
from __future__ import annotations

KIND_ZH = {"responsibility_conflict": "职责冲突", "superseded_law": "引用已废止法规", "unknown_resource": "引用未知资源",
           "time_limit_conflict": "报告时限冲突", "dangling_reference": "引用不存在的文件", "threshold_conflict": "分级标准冲突",
           "stale_plan": "预案过期未修订", "missing_section": "缺少必备章节"}
SEVERITY_ZH = {"error": "严重", "high": "严重", "warning": "警告", "medium": "警告", "info": "提示", "low": "提示"}


class CheckerMissing(RuntimeError):
    """matcher.check is not installed yet."""


def _checker():
    try:
        from matcher.check import run_checks
    except ImportError as exc:
        raise CheckerMissing(f"一致性检查模块（matcher.check）不可用：{exc}") from exc
    try:
        from matcher.check import compare
    except ImportError:
        compare = None
    if compare is not None and not callable(compare):  # the submodule, not the function
        compare = getattr(compare, "compare", None)
    return run_checks, compare


def findings_json(backend) -> list[dict]:
    """Every finding over every plan, as JSON dicts."""
    run_checks, _ = _checker()
    return [f.to_json() if hasattr(f, "to_json") else dict(f) for f in run_checks(backend)]


def compare_json(backend, a: str, b: str) -> list[dict]:
    """Conflicts between plans `a` and `b` (titles): [{"kind", "severity", "message", "suggestion", "a", "b"}]
    where "a"/"b" are each plan's evidence. Falls back to the findings that quote both plans."""
    _, compare = _checker()
    if compare is not None:
        out = compare(backend, a, b)
        out = out.to_json() if hasattr(out, "to_json") else out
        if isinstance(out, dict) and "conflicts" in out:
            return out["conflicts"]
    both = [f for f in findings_json(backend) if {a, b} <= set(plans_of(f))]
    return [{**f, "a": [e for e in f["evidence"] if e.get("plan_title") == a],
             "b": [e for e in f["evidence"] if e.get("plan_title") == b]} for f in both]


def plans_of(finding: dict) -> list[str]:
    return list(dict.fromkeys(e.get("plan_title") for e in finding.get("evidence") or [] if e.get("plan_title")))


def filter_findings(findings: list[dict], plan: str | None = None, kinds: list[str] | None = None) -> list[dict]:
    return [f for f in findings if (plan is None or plan in plans_of(f)) and (not kinds or f.get("kind") in kinds)]


def kind_label(kind: str) -> str:
    try:
        from matcher.check.model import KIND_NAMES
    except ImportError:
        KIND_NAMES = {}
    return KIND_NAMES.get(kind) or KIND_ZH.get(kind, kind)


def severity_label(severity: str | None) -> str:
    return SEVERITY_ZH.get((severity or "").lower(), severity or "")
