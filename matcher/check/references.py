"""dangling_reference: an annex, a section of the same plan, or a plan of a jurisdiction whose plans
the store holds, referred to but absent."""
from __future__ import annotations

import re

from matcher.check import meta as M
from matcher.check.loader import Corpus, Plan
from matcher.check.model import MEDIUM, Finding

_CN = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "十": "10"}
_SECTION_REF = re.compile(r"本(?:预案|方案)\s*(?:第\s*)?(第[一二三四五六七八九十百零〇\d]+[章节条](?!\.)|\d+(?:\.\d+)+)")


def _annex_numbers(plan: Plan) -> set[str]:
    """Annex numbers present as headings or as lines starting with 附件N (also '附件：1. …' lists)."""
    nums: set[str] = set()
    for s in plan.sections.values():
        for txt in (f"{s.number}{s.heading}", s.heading):
            m = re.match(r"^\s*#*\s*(?:附件|附录|附表)\s*([\d一二三四五六七八九十]+)", txt or "")
            if m:
                nums.add(_CN.get(m.group(1), m.group(1)))
    for m in re.finditer(r"(?m)^[#\s　]*(?:附件|附录|附表)\s*([\d一二三四五六七八九十]+)", plan.text):
        nums.add(_CN.get(m.group(1), m.group(1)))
    lm = re.search(r"(?m)^[#\s　]*附件[：:]\s*$", plan.text)
    if lm:
        for m in re.finditer(r"(?m)^\s*(\d{1,2})[.、．]", plan.text[lm.end():lm.end() + 2000]):
            nums.add(m.group(1))
    return nums


def _annexes(plan: Plan) -> list[Finding]:
    present = _annex_numbers(plan)
    out, seen = [], set()
    no_annex = not present and not re.search(r"(?m)^[#\s　]*(?:附件|附录|附表)", plan.text)
    for ref in plan.annex_refs:
        num = ref.get("number")
        if ref.get("exists") is not False or (num and num in present) or (not num and not no_annex):
            continue
        clause = plan.fact_clause(ref)
        key = (num, clause.id if clause else ref.get("start"))
        if key in seen:
            continue
        seen.add(key)
        label = ref.get("label") or f"附件{num}"
        have = "、".join(f"附件{n}" for n in sorted(present, key=lambda x: int(x) if x.isdigit() else 99))
        message = (f"正文引用“{label}”，但预案附件只有{have}，所引附件不存在，相关内容无据可查。" if have else
                   f"正文引用“{label}”，但预案没有任何附件，相关内容无据可查。")
        ev = plan.evidence(clause) if clause else plan.evidence(text=label, offset=ref.get("start"))
        out.append(Finding("dangling_reference", MEDIUM, message, [ev],
                           f"补充{label}，或改正正文中的附件编号。", (plan.title,)))
    return out


def _section_numbers(plan: Plan) -> set[str]:
    nums = {s.number.strip() for s in plan.sections.values() if s.number}
    nums |= set(re.findall(r"(?m)^[#\s　]*((?:第[一二三四五六七八九十百零〇\d]+[章节条])|\d+(?:\.\d+)+)", plan.text))
    return nums


def _sections(plan: Plan) -> list[Finding]:
    nums = _section_numbers(plan)
    out = []
    for c in plan.clauses:
        for m in _SECTION_REF.finditer(c.text):
            ref = m.group(1)
            if ref in nums:
                continue
            message = f"正文引用本预案“{ref}”，但预案中没有该章节条款。"
            out.append(Finding("dangling_reference", MEDIUM, message, [plan.evidence(c)],
                               "改正引用的章节编号，或补充所引内容。", (plan.title,)))
    return out


def _norm(title: str) -> str:
    """Title without spaces, 《》 and bracketed parts (…预案（田湾核电站） → …预案)."""
    s = re.sub(r"\s+", "", title or "").strip("《》")
    s = re.sub(r"[（(][^（）()]*[）)]", "", s)
    return s


def _plans(corpus: Corpus, plan: Plan) -> list[Finding]:
    """Cited plans of a jurisdiction whose 总体 plan is in the store, that the store lacks."""
    held = {_norm(p.title) for p in corpus.plans}
    systems = {p.jurisdiction for p in corpus.plans if p.overall and p.jurisdiction}
    out, seen = [], set()
    for ref in plan.plan_refs:
        title = ref.get("title") or ""
        if not title or _norm(title) in held or title in seen or title == plan.title:
            continue
        juris = max((j for j in systems if title.startswith(j)), key=len, default=None)
        if not juris:
            continue
        seen.add(title)
        clause = plan.fact_clause(ref)
        ev = plan.evidence(clause) if clause else plan.evidence(text=f"《{title}》", offset=ref.get("start"))
        message = f"预案引用《{title}》，但{juris}现行预案中没有该预案（名称可能有误或预案已废止）。"
        out.append(Finding("dangling_reference", MEDIUM, message, [ev],
                           "核对被引用预案的准确名称，改为现行预案。", (plan.title,)))
    return out


def check(corpus: Corpus, plans: list[Plan] | None = None) -> list[Finding]:
    out: list[Finding] = []
    for plan in plans or corpus.plans:
        out += _annexes(plan) + _sections(plan) + _plans(corpus, plan)
    return out
