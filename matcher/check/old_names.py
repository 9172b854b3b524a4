"""responsibility_conflict (names): a plan names a department by its pre-2018 name (安监局, 环保局 …).

Only renamed departments count (局/委/支队…, not 指挥部), not a bare old name inside a longer name
(园区安全环保局), not a sentence about the reform itself, and only when the store's plans also use the
current name (a city whose bureau is still called 水务局 keeps that name)."""
from __future__ import annotations

import re

from matcher.check.loader import Corpus, Plan
from matcher.check.model import MEDIUM, Finding

_OLD_OK_END = re.compile(r"(局|委员会|委|厅|支队|大队|中队|处|站|办公室|中心)$")
_REFORM = re.compile(r"更名|改为|组建为|组建|划入|划转|撤销|整合|原[^，。；]{0,4}$")


def _old_name_ok(plan: Plan, mention: dict, clause) -> bool:
    """True when a mention flagged as a pre-2018 name really names a renamed department."""
    surface = mention.get("text") or ""
    if not _OLD_OK_END.search(surface) or re.search(r"指挥部|领导小组", surface):
        return False
    start = mention.get("start")
    if not isinstance(start, int) or clause is None:
        return True
    i = start - clause.start
    before = clause.text[max(0, i - 6):max(0, i)]
    if _REFORM.search(before) or re.search(r"更名|改为|组建为|划入|撤销", clause.text):
        return False
    # a bare old name inside a longer name (园区安全环保局) is not the old department
    bare = not re.match(r"^(?:[\u4e00-\u9fff]{0,6}?(?:省|市|县|区)|省|市|县|区)", surface)
    if bare and before and re.match(r"[\u4e00-\u9fff]", before[-1]) and before[-1] not in "由和与及向对在经将请报":
        return False
    return True


def _heading_mentions(plan: Plan) -> list[tuple[dict, object]]:
    """Old names written as run-in headings ('（五）市安全生产监督管理局：负责…'), which hold no clause."""
    from nlp.facts import find_organisations

    out = []
    for sec in plan.sections.values():
        if not sec.heading:
            continue
        clause = plan.first_clause(sec)
        offset = plan.text.find(sec.heading, sec.start)
        for m in find_organisations(sec.heading, max(offset, sec.start)):
            if m.old_name:
                out.append(({"text": m.text, "org": m.canonical, "start": m.span[0], "heading": True,
                             "section": sec}, clause))
    return out


def _current_names(corpus: Corpus) -> set[str]:
    """Canonical names the store's plans use under their current form (at any prefix)."""
    names = {m.get("org") for p in corpus.plans for m in p.mentions if not m.get("old_name") and m.get("org")}
    names |= {d.get("org_node") or d.get("org") for p in corpus.plans for d in p.duties}
    return {n for n in names if n}


def old_names(corpus: Corpus, plans: list[Plan] | None = None) -> list[Finding]:
    """Old names whose current name the store's plans also use (a city may still call its bureau
    水务局; then 水务局 is its current name and is not reported)."""
    out: list[Finding] = []
    current = _current_names(corpus)
    for plan in plans or corpus.plans:
        by_name: dict[str, list] = {}
        found = [(m, plan.clause(m.get("clause_id"))) for m in plan.mentions if m.get("old_name")]
        for m, clause in found + _heading_mentions(plan):
            if m.get("org") not in current or not _old_name_ok(plan, m, None if m.get("heading") else clause):
                continue
            if clause is not None:
                ev = plan.evidence(clause)
            elif m.get("section") is not None:
                ev = plan.evidence(text=plan.heading_line(m["section"]), offset=m["section"].start)
            else:
                continue
            by_name.setdefault((m.get("text"), m.get("org")), []).append(ev)
        for (old, new), found_ev in sorted(by_name.items(), key=lambda kv: kv[0]):
            evidence = list(dict.fromkeys(found_ev))
            message = (f"预案使用了2018年机构改革前的机构名称“{old}”，该机构职责现由“{new}”承担。"
                       f"责任主体名称已不存在，事发时职责无法落实。")
            out.append(Finding("responsibility_conflict", MEDIUM, message, evidence[:5],
                               f"将“{old}”改为“{new}”，并与同一预案中该机构的其他职责条款合并核对。", (plan.title,)))
    return out
