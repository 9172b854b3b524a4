"""superseded_law: a plan cites a law or regulation in a version older than the one in force, or a
text the regulations in the store say was abolished. 'In force' is judged from the regulations
held in the store only (a citation of a law the store does not hold is not judged)."""
from __future__ import annotations

import re

from matcher.check import meta as M
from matcher.check.loader import Corpus, Plan, Regulation
from matcher.check.model import MEDIUM, Finding


def _year(ref: dict) -> int | None:
    y = ref.get("year")
    if isinstance(y, int):
        return y
    m = re.search(r"((?:19|20)\d{2})", str(ref.get("version") or ""))
    return int(m.group(1)) if m else None


def _cited(ref: dict) -> str:
    v = ref.get("version")
    return f"《{ref.get('title')}》" + (f"（{v}）" if v else "")


def check(corpus: Corpus, plans: list[Plan] | None = None) -> list[Finding]:
    current: dict[str, Regulation] = {}
    for r in corpus.regulations:
        if r.key and (r.key not in current or (r.year or 0) > (current[r.key].year or 0)):
            current[r.key] = r
    abolished: dict[str, Regulation] = {}
    for r in corpus.regulations:
        for t in r.supersedes:
            k = M.law_key(t)
            if k and k != r.key:
                abolished[k] = r
    out: list[Finding] = []
    for plan in plans or corpus.plans:
        for ref in plan.law_refs:
            key = M.law_key(ref.get("title") or "")
            reg, year = current.get(key), _year(ref)
            clause = plan.fact_clause(ref)
            ev = plan.evidence(clause) if clause else plan.evidence(text=_cited(ref), offset=ref.get("start"))
            if reg is not None and year and reg.year and year < reg.year:
                message = (f"预案引用{_cited(ref)}，而现行版本为《{reg.title}》"
                           f"（{reg.version or reg.year}{'，' + reg.date + '起施行' if reg.date else ''}），"
                           f"编制依据已被新版本替代。")
                out.append(Finding("superseded_law", MEDIUM, message, [ev, reg.head_evidence()],
                                   f"将编制依据更新为《{reg.title}》，并核对预案中依据旧版本的条款。", (plan.title,)))
            elif reg is None and key in abolished:
                new = abolished[key]
                message = f"预案引用的{_cited(ref)}已被《{new.title}》废止或替代。"
                out.append(Finding("superseded_law", MEDIUM, message, [ev, new.head_evidence()],
                                   f"删除该依据，改为引用《{new.title}》。", (plan.title,)))
    return out
