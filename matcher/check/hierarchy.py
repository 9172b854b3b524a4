"""Which plan sits above which: admin level (国家 > 省 > 市 > 县区 > 园区 > 企业), the overall plan above
special plans of its own jurisdiction, the titles a plan says it sits under, and covered incident types.

"The plan above" a plan of type X is, in order: the store's plans it names as its upper plans
(meta_sits_under); else the nearest higher level's plans whose jurisdiction holds it and that cover
X; else that level's 总体 plan.
"""
from __future__ import annotations

from matcher.check.loader import Corpus, Plan


def ancestors(code: str) -> list[str]:
    """A10201 → [A10201, A10200, A10000]; codes are hierarchical by their digit groups."""
    out = [code]
    if len(code) == 6 and code[0].isalpha():
        for cut in (5, 3):
            up = code[:cut] + "0" * (6 - cut)
            if up not in out:
                out.append(up)
    return out


def _category(code: str) -> bool:
    return code.endswith("0000")


def shares_type(a: Plan, b: Plan) -> bool:
    """Same incident type, or one a sub-type of the other (categories alone do not count)."""
    for x in a.types:
        for y in b.types:
            if x == y and not _category(x):
                return True
            if (x in ancestors(y) and not _category(x)) or (y in ancestors(x) and not _category(y)):
                return True
    return False


def above(upper: Plan, lower: Plan) -> bool:
    if upper is lower:
        return False
    if upper.rank < lower.rank:
        return True
    return upper.rank == lower.rank and upper.overall and not lower.overall and \
        (not upper.jurisdiction or upper.jurisdiction == lower.jurisdiction)


def _place_parents(corpus: Corpus) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in corpus.places:
        if p.get("name") and p.get("parent"):
            out[p["name"]] = p["parent"]
            for a in p.get("aliases") or []:
                out.setdefault(a, p["parent"])
    return out


def holds(corpus: Corpus, upper: Plan, lower: Plan) -> bool:
    """Whether the upper plan's jurisdiction holds the lower plan's (unknown → assume one city)."""
    uj, lj = upper.jurisdiction, lower.jurisdiction
    if not uj or not lj or uj == lj or upper.level == "国家":
        return True
    if lj.startswith(uj) or uj in lower.title[:len(uj) + 4]:
        return True
    parents = getattr(corpus, "_place_parents", None)
    if parents is None:
        parents = corpus._place_parents = _place_parents(corpus)
    seen, cur = set(), lj
    while cur in parents and cur not in seen:
        seen.add(cur)
        cur = parents[cur]
        if cur == uj:
            return True
    if lj in parents or lower.enterprise:
        return False
    # no gazetteer entry: plans of the top jurisdiction hold everything else in the store
    top = min((p.rank for p in corpus.plans), default=2)
    return upper.rank == top


def _higher(corpus: Corpus, plan: Plan) -> list[Plan]:
    """Nearest higher admin level: its plans covering the plan's types, else its 总体 plan."""
    referenced = {corpus.find(r.get("title") or "") for r in plan.plan_refs}
    candidates = [p for p in corpus.plans if p.rank < plan.rank and (holds(corpus, p, plan) or p in referenced)]
    for rank in sorted({p.rank for p in candidates}, reverse=True):
        level = [p for p in candidates if p.rank == rank]
        typed = [p for p in level if shares_type(p, plan) and not p.overall]
        if typed:
            return typed
        overall = [p for p in level if p.overall]
        if overall:
            return overall[:1]
    return []


def parents(corpus: Corpus, plan: Plan) -> list[Plan]:
    """Plans directly above `plan` (see the module note)."""
    named = [corpus.find(t) for t in plan.sits_under]
    out = [p for p in named if p is not None and above(p, plan)]
    if not out and not plan.overall:
        out = [p for p in corpus.plans if p.overall and p.rank == plan.rank and above(p, plan)
               and holds(corpus, p, plan)][:1]
    if not any(p.rank < plan.rank for p in out):
        out += [p for p in _higher(corpus, plan) if p not in out]
    return sorted(out, key=lambda p: (p.rank, p.title))


def pairs(corpus: Corpus) -> list[tuple[Plan, Plan]]:
    """(lower, upper) for every plan and each plan directly above it."""
    return [(p, up) for p in corpus.plans for up in parents(corpus, p)]
