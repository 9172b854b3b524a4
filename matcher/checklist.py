"""The checklist: what the acting plan assigns to each organisation, with reporting deadlines,
each item citing its clause."""
from __future__ import annotations

import re

from matcher.data import Doc, World
from nlp.grading import GRADE_RANK

_LEAD = re.compile(r"牵头|负责组织|总体负责|统一指挥")


def _deadline(minutes: float | None) -> str | None:
    if not minutes:
        return None
    if minutes < 60:
        return f"{int(minutes)}分钟内"
    hours = minutes / 60
    return f"{int(hours) if hours == int(hours) else round(hours, 1)}小时内"


def _source(world: World, doc: Doc, clause_id: str | None) -> str:
    c = world.clause_by_id.get(clause_id or "")
    return f"《{doc.title}》{c.section}" if c and c.section else f"《{doc.title}》"


_BAND = re.compile(r"(特别重大|重大|较大|一般)(以上|以下)?")


def applies_to_grade(doc: Doc, lim: dict, grade: str | None) -> bool:
    """A limit written for a band of grades (较大以上…；一般…) applies only within it; the band is
    the last grade phrase before the limit in its sentence."""
    if grade not in GRADE_RANK or lim.get("start") is None:
        return True
    sentence = re.split(r"[。；\n]", doc.text[max(0, lim["start"] - 120):lim["start"]])[-1]
    bands = _BAND.findall(sentence)
    if not bands:
        return True
    word, side = bands[-1]
    if side == "以上":
        return GRADE_RANK[grade] >= GRADE_RANK[word]
    if side == "以下":
        return GRADE_RANK[grade] <= GRADE_RANK[word]
    return any(w == grade for w, _ in bands)


def build(world: World, doc: Doc | None, limit: int = 30, grade: str | None = None) -> list[dict]:
    if doc is None:
        return []
    items: list[dict] = []
    for lim in doc.limits:
        if not applies_to_grade(doc, lim, grade):
            continue
        who = lim.get("reporter") or "事发地有关单位"
        to = lim.get("recipient") or "上级"
        how = f"（{lim['mode']}）" if lim.get("mode") else ""
        items.append({"org": who, "action": f"向{to}报告{how}", "deadline": _deadline(lim.get("minutes")),
                      "source": _source(world, doc, lim.get("clause_id"))})
    duties = sorted(doc.duties, key=lambda d: (not _LEAD.search(d.get("action", "")), d.get("seq", 0)))
    seen: set[tuple[str, str]] = set()
    for d in duties:
        key = (d.get("org", ""), d.get("action", ""))
        if key in seen or not key[0]:
            continue
        seen.add(key)
        items.append({"org": d["org"], "action": d.get("action", ""), "deadline": None,
                      "source": _source(world, doc, d.get("clause_id"))})
    return items[:limit]
