"""Two plans side by side at their conflicting clauses (`yingji check --compare A B`)."""
from __future__ import annotations

from dataclasses import dataclass, field

from matcher.check import responsibility, thresholds, time_limits
from matcher.check.loader import Corpus, Plan, load
from matcher.check.model import Finding, finish
from matcher.check.runner import resolve_plan, run_checks


@dataclass
class Comparison:
    a: str
    b: str
    findings: list[Finding] = field(default_factory=list)

    def rows(self) -> list[dict]:
        out = []
        for f in self.findings:
            out.append({"kind": f.kind, "severity": f.severity, "message": f.message, "suggestion": f.suggestion,
                        "a": [e.to_json() for e in f.evidence if e.plan_title == self.a],
                        "b": [e.to_json() for e in f.evidence if e.plan_title == self.b],
                        "other": [e.to_json() for e in f.evidence if e.plan_title not in (self.a, self.b)]})
        return out

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b, "conflicts": self.rows()}


def _pairwise(pa: Plan, pb: Plan) -> list[Finding]:
    """Checks between the two plans whatever their place in the hierarchy."""
    if pa.rank == pb.rank:
        orders = [(pa, pb), (pb, pa)]
    else:
        orders = [(pa, pb) if pa.rank > pb.rank else (pb, pa)]
    same = pa.rank == pb.rank
    out: list[Finding] = []
    for lower, upper in orders:
        out += thresholds.compare_plans(lower, upper, same_level=same)
        out += time_limits.compare_plans(lower, upper, same_level=same)
    out += responsibility.compare_leads(pa, pb, cross=not same)
    return out


def compare(backend, a: str, b: str, corpus: Corpus | None = None) -> Comparison:
    corpus = corpus or load(backend)
    pa, pb = resolve_plan(corpus, a), resolve_plan(corpus, b)
    both = [f for f in run_checks(backend, corpus=corpus) if pa.title in f.plans and pb.title in f.plans]
    return Comparison(pa.title, pb.title, finish(both + _pairwise(pa, pb)))
