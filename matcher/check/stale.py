"""stale_plan: not revised within its review period (the plan's own period, else 3 years, per
《突发事件应急预案管理办法》), judged at the store's newest document date unless an as-of date is
given; or citing an older edition of a plan revised since, or a plan another plan has replaced."""
from __future__ import annotations

import re

from matcher.check import meta as M
from matcher.check.loader import Corpus, Plan
from matcher.check.model import MEDIUM, Finding

_PERIOD_CLAUSE = re.compile(r"每\s*[\d一二两三四五六七八九十]+\s*年")


def _months(a: tuple[int, int], b: tuple[int, int]) -> int:
    return (b[0] - a[0]) * 12 + (b[1] - a[1])


def _overdue(plan: Plan, as_of: tuple[int, int] | None) -> Finding | None:
    last = M.year_month(plan.date)
    revised = plan.meta.get("last_revised")
    if isinstance(revised, int) and last and revised > last[0]:
        last = (revised, 12)
    if not last or not as_of:
        return None
    months = _months(last, as_of)
    if months <= plan.period * 12:
        return None
    evidence = [plan.head_evidence()]
    period_clause = next((c for c in plan.clauses if _PERIOD_CLAUSE.search(c.text) and re.search("修订|评估", c.text)), None)
    if period_clause:
        evidence.append(plan.evidence(period_clause))
    years = months // 12
    message = (f"预案于{last[0]}年{last[1]}月印发（或最近修订），至{as_of[0]}年{as_of[1]}月已{years}年{months % 12}个月，"
               f"超过{plan.period}年的评估修订周期，组织机构、职责和上级预案可能已经变化。")
    return Finding("stale_plan", MEDIUM, message, evidence, "及时组织评估，按现行法规、机构和上级预案修订。", (plan.title,))


def _old_editions(corpus: Corpus, plan: Plan) -> list[Finding]:
    replaced = {t: p for p in corpus.plans for t in p.supersedes}
    out = []
    for ref in plan.plan_refs:
        title = ref.get("title") or ""
        cited = corpus.find(title)
        clause = plan.fact_clause(ref)
        ev = plan.evidence(clause) if clause else plan.evidence(text=f"《{title}》", offset=ref.get("start"))
        year = ref.get("year")
        if cited is not None and cited is not plan and isinstance(year, int):
            current = M.year_month(cited.date)
            if current and year < current[0]:
                message = (f"预案引用的是{year}年版《{title}》，而该预案已于{current[0]}年{current[1]}月修订印发，"
                           f"本预案的衔接内容可能已与现行版本不一致。")
                out.append(Finding("stale_plan", MEDIUM, message, [ev, cited.head_evidence()],
                                   f"按现行《{title}》修订衔接内容，引用时不写旧版本号。", (plan.title, cited.title)))
        elif cited is None and title in replaced and replaced[title] is not plan:
            new = replaced[title]
            message = f"预案引用的《{title}》已被《{new.title}》替代。"
            out.append(Finding("stale_plan", MEDIUM, message, [ev, new.head_evidence()],
                               f"改为引用《{new.title}》。", (plan.title, new.title)))
    return out


def check(corpus: Corpus, plans: list[Plan] | None = None, as_of: tuple[int, int] | None = None) -> list[Finding]:
    as_of = as_of or corpus.as_of
    out: list[Finding] = []
    for plan in plans or corpus.plans:
        found = [f for f in [_overdue(plan, as_of)] if f] + _old_editions(corpus, plan)
        if found:
            out.append(_merge(found))
    return out


def _merge(found: list[Finding]) -> Finding:
    """One finding per plan: the reasons it is out of date, with all their evidence."""
    if len(found) == 1:
        return found[0]
    evidence, plans = [], []
    for f in found:
        evidence += [e for e in f.evidence if e not in evidence]
        plans += [p for p in f.plans if p not in plans]
    return Finding("stale_plan", MEDIUM, "".join(f.message for f in found), evidence,
                   "".join(dict.fromkeys(f.suggestion for f in found)), tuple(plans))
