"""Run the checks over the store and return findings, filtered by plan and kind."""
from __future__ import annotations

import os
import warnings

from matcher.check import laws, references, resources, responsibility, sections, stale, thresholds, time_limits
from matcher.check.loader import Corpus, load
from matcher.check.meta import year_month
from matcher.check.model import KINDS, Finding, finish

CHECKS = {
    "threshold_conflict": lambda c, o: thresholds.check(c),
    "responsibility_conflict": lambda c, o: responsibility.check(c),
    "time_limit_conflict": lambda c, o: time_limits.check(c),
    "superseded_law": lambda c, o: laws.check(c),
    "dangling_reference": lambda c, o: references.check(c),
    "unknown_resource": lambda c, o: resources.check(c),
    "missing_section": lambda c, o: sections.check(c),
    "stale_plan": lambda c, o: stale.check(c, as_of=o.get("as_of")),
}


class UnknownPlan(ValueError):
    pass


def resolve_plan(corpus: Corpus, name: str):
    """A plan by title, doc id or a unique part of its title; UnknownPlan otherwise."""
    p = corpus.find(name)
    if p is not None:
        return p
    hits = [p for p in corpus.plans if name and name in p.title]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UnknownPlan(f"“{name}”对应多个预案：" + "、".join(p.title for p in hits))
    raise UnknownPlan(f"库中没有预案“{name}”")


def run_checks(backend, plan: str | None = None, kinds=None, as_of: str | None = None,
               corpus: Corpus | None = None) -> list[Finding]:
    """All findings (of `kinds`, default every kind) about `plan` (default every plan), in a stable order."""
    corpus = corpus or load(backend)
    wanted = [k for k in KINDS if not kinds or k in kinds]
    unknown = [k for k in (kinds or []) if k not in KINDS]
    if unknown:
        raise ValueError("未知的检查类型：" + "、".join(unknown))
    target = resolve_plan(corpus, plan).title if plan else None
    opts = {"as_of": year_month(as_of) if as_of else None}
    findings: list[Finding] = []
    for kind in wanted:
        try:
            findings += CHECKS[kind](corpus, opts)
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            if os.environ.get("YINGJI_DEBUG"):
                raise
            warnings.warn(f"检查 {kind} 出错，已跳过：{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=2)
    if target:
        findings = [f for f in findings if target in f.plans]
    return finish(findings)


def summary(findings: list[Finding]) -> dict:
    by_kind = {k: 0 for k in KINDS}
    by_severity: dict[str, int] = {}
    for f in findings:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
        by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
    return {"total": len(findings), "by_kind": by_kind, "by_severity": by_severity}
