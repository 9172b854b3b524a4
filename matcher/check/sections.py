"""missing_section: mandatory elements for the plan's type absent from its outline.

Government plans follow 《突发事件应急预案管理办法》（国办发〔2024〕5号）: 总体预案 (组织体系, 工作原则,
监测预警/风险防控, 应急处置, 应急保障); 专项/部门/园区预案 (分级标准, 组织指挥, 监测预警, 信息报告,
分级响应, 处置措施, 队伍物资保障). Enterprise plans follow GB/T 29639-2020: 综合应急预案, each 专项应急预案
(适用范围, 组织机构及职责, 响应启动, 处置措施, 应急保障) and each 现场处置方案 (事故风险描述, 应急工作职责,
应急处置, 注意事项). An element counts as present when a heading (or a run-in heading such as
'第六条　事故分级。') inside the plan or sub-plan names it.
"""
from __future__ import annotations

import re

from matcher.check.loader import Corpus, Plan, Section
from matcher.check.model import MEDIUM, Finding

# (element, a heading naming it, headings that do not count)
OVERALL = [("组织指挥体系", r"组织|指挥|机构", None), ("工作原则", r"原则", None),
           ("监测预警", r"监测|预警|风险防控|预防", None), ("应急处置", r"处置|响应|救援", r"后期"),
           ("应急保障", r"保障", None)]
SPECIAL = [("事件分级标准", r"分级|等级|分类|应急状态", r"预警|响应"), ("组织指挥体系及职责", r"组织|指挥|机构", None),
           ("监测预警", r"监测|预警|预报|预防|风险防控|应急准备", None), ("信息报告", r"报告|报送|接报", None),
           ("分级响应", r"响应|应急状态|启动", r"结束|终止|调整"), ("处置措施", r"处置|响应措施|防护行动|救援|抢险", r"后期"),
           ("应急队伍和物资保障", r"保障|队伍|物资", None)]
ENTERPRISE = [("适用范围", r"适用范围|总则", None), ("应急组织机构及职责", r"组织|机构|职责", None),
              ("应急响应", r"响应", None), ("后期处置", r"后期|善后|恢复", None), ("应急保障", r"保障", None)]
SPECIAL_PART = [("适用范围", r"适用范围", None), ("组织机构及职责", r"组织|机构|职责", None),
                ("响应启动", r"响应|启动", None), ("处置措施", r"处置", None), ("应急保障", r"保障", None)]
ONSITE_PART = [("事故风险描述", r"风险|事故特征|危险性", None), ("应急工作职责", r"职责|分工", None),
               ("应急处置", r"处置", None), ("注意事项", r"注意事项", None)]
_RUN_IN = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+条[\s　]*)?([^，。；：:\s]{2,14})[。：:]")


def _headings(plan: Plan, within: Section | None = None) -> list[str]:
    lo, hi = (within.start, within.end) if within else (0, len(plan.text))
    out = [s.heading or "" for s in plan.sections.values()
           if lo <= s.start < hi and (within is None or s.id != within.id)]
    for c in plan.clauses:
        if lo <= c.start < hi:
            m = _RUN_IN.match(c.text)
            if m:
                out.append(m.group(1))
    return [h for h in out if h and not re.match(r"^附件|^附录|^附表", h)]


def _missing(heads: list[str], elements, facts: set[str] = frozenset()) -> list[str]:
    def present(inc, exc):
        return any(re.search(inc, h) and not (exc and re.search(exc, h)) for h in heads)
    return [name for name, inc, exc in elements if name not in facts and not present(inc, exc)]


def _facts_present(plan: Plan) -> set[str]:
    """Elements the extracted facts show to be there even without a heading."""
    out = set()
    if plan.rules:
        out.add("事件分级标准")
    if plan.limits:
        out.add("信息报告")
    if plan.duties:
        out.add("组织指挥体系及职责")
    return out


def _finding(plan: Plan, missing: list[str], where: str, basis: str, evidence) -> Finding:
    message = f"{where}缺少{basis}要求的“{'”“'.join(missing)}”。"
    return Finding("missing_section", MEDIUM, message, evidence,
                   f"按{basis}补充“{'”“'.join(missing)}”。", (plan.title,))


def _parts(plan: Plan, word: str) -> list[Section]:
    return sorted((s for s in plan.sections.values() if word in (s.heading or "")), key=lambda s: s.start)


def check(corpus: Corpus, plans: list[Plan] | None = None) -> list[Finding]:
    out: list[Finding] = []
    for plan in plans or corpus.plans:
        if not plan.sections:
            continue
        if plan.enterprise or plan.plan_type in ("综合", "现场处置方案") and plan.level in ("企业", None):
            basis = "GB/T 29639-2020"
            specials, onsite = _parts(plan, "专项应急预案"), _parts(plan, "现场处置方案")
            first = min([s.start for s in specials + onsite], default=len(plan.text))
            top = [h for s in plan.sections.values() if s.start < first for h in [s.heading or ""]]
            miss = _missing(top, ENTERPRISE)
            if miss and plan.plan_type != "现场处置方案":
                out.append(_finding(plan, miss, "综合应急预案部分", basis, [plan.head_evidence()]))
            if plan.plan_type == "现场处置方案" and not onsite:
                miss = _missing(_headings(plan), ONSITE_PART)
                if miss:
                    out.append(_finding(plan, miss, "现场处置方案", basis, [plan.head_evidence()]))
            for part, elements, label in [(s, SPECIAL_PART, "专项应急预案") for s in specials] + \
                                          [(s, ONSITE_PART, "现场处置方案") for s in onsite]:
                miss = _missing(_headings(plan, part), elements)
                if miss:
                    ev = plan.evidence(text=plan.heading_line(part), offset=part.start)
                    ev = type(ev)(plan.title, f"{part.number} {part.heading}".strip(), ev.text)
                    out.append(_finding(plan, miss, f"{label}“{part.heading}”", basis, [ev]))
            continue
        elements = OVERALL if plan.overall else SPECIAL
        miss = _missing(_headings(plan), elements, _facts_present(plan))
        if miss:
            basis = "《突发事件应急预案管理办法》"
            out.append(_finding(plan, miss, f"{plan.plan_type or ''}预案", basis, [plan.head_evidence()]))
    return out
