"""Grade an incident by a plan's own structured grading rules; the highest grade met wins.

Numeric rules (read at ingest) are evaluated against the report's figures; the plan's grading
clauses are also read here for what the stored rules cannot say on their own: criteria without
numbers (堤防决口, 取水中断), the kind of event a criterion is limited to (食物中毒, 学校, "发生碰撞、
触礁、火灾等险情"), 死亡（含失踪）, "未出现死亡病例" joined to the criterion before it, and a catch-all
一般 criterion ("尚未达到较大…级别的")."""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nlp.grading import (GRADE_RANK, Condition, GradingRule, criterion_items, gate_met, grading_items,
                         is_catch_all, is_exercise, measurements, qualitative_met, revised_figures, states_harm,
                         strip_item_lead, subject_alternatives)

NOT_GRADED = "未达分级"
# the same quantity under another metric name (a reservoir level is a water level at the reservoir)
_METRIC_ALIASES = {"reservoir_level_m": "water_level_m", "water_level_m": "reservoir_level_m"}
_PARSE_FIELDS = ("deaths", "missing", "injured", "seriously_injured", "evacuated", "trapped",
                 "direct_loss_wan", "magnitude", "burned_area_ha", "leak_tonnes")
# a report revising a figure upward states both, and a part ("其中3吨流入沟渠") is no larger than the whole
_KEEP_MAX = ("direct_loss_wan", "leak_tonnes")
_WITH_MISSING = re.compile(r"死亡[（(](?:含|包括)?失踪[）)]|死亡[和、或]?失踪|死亡（含失踪")
# 重伤（包括急性工业中毒）, 中毒或者重伤: the poisoned count as seriously injured
_WITH_POISONED = re.compile(r"重伤[（(](?:含|包括)[^）)]{0,6}中毒|中毒(?:或者|或|、|和)重伤|重伤(?:或者|或|、|和)中毒")


def report_facts(parsed: dict, text: str) -> dict:
    """Quantities for rule evaluation: the parser's figures win over generic measurements, except
    a figure the report states as a revision of an earlier one (由首报的8吨修正为15吨)."""
    facts = measurements(text)
    revised = revised_figures(text)
    for key in _PARSE_FIELDS:
        if parsed.get(key) is not None:
            keep_max = key in _KEEP_MAX and isinstance(facts.get(key), (int, float))
            facts[key] = max(parsed[key], facts[key]) if keep_max else parsed[key]
    for key, value in revised.items():
        facts[key] = value
    # a public-health poisoning's casualties are the poisoned (食物中毒 reports say 发病/就诊, not 中毒)
    if "中毒" in (parsed.get("type_name") or "") and (parsed.get("type_code") or "").startswith("A3") and \
            facts.get("poisoned") is None:
        count = max((facts.get(k) for k in ("injured", "affected_people") if isinstance(facts.get(k), (int, float))),
                    default=None)
        if count:
            facts["poisoned"] = count
    # cases at a school within a week are a cluster (学校、托幼机构1周内…聚集性病例)
    if isinstance(facts.get("cases"), (int, float)) and "cluster_cases_week" not in facts and \
            re.search(r"周|[7七]天", text) and re.search(r"聚集|学校|幼儿园|托幼|班级", text):
        facts["cluster_cases_week"] = facts["cases"]
    for metric, alias in _METRIC_ALIASES.items():
        if metric not in facts and alias in facts:
            facts[metric] = facts[alias]
    return facts


def _rule(props: dict) -> GradingRule:
    conds = [Condition(**c) for c in json.loads(props["conditions"])] if props.get("conditions") else []
    return GradingRule(props["grade"], props["metric"], props.get("op"), props.get("value"), props.get("upper_op"),
                       props.get("upper"), props.get("unit", ""), props.get("subject"), props.get("scope"), -1,
                       (props.get("start", 0), props.get("end", 0)), props.get("text", ""),
                       props.get("source", "text"), conds)


# ---------------------------------------------------------------------------------------------
# evaluation


def _value(facts: dict, metric: str, subject: str | None, alternatives: list[str] | None = None):
    v = facts.get(metric)
    if v is None and metric.endswith("_hours") and isinstance(facts.get("duration_hours"), (int, float)):
        v = facts["duration_hours"]  # "已持续13小时" with the kind of interruption stated elsewhere
    if isinstance(v, dict):
        for subj in (alternatives or [subject]) if subject else []:
            for k, x in v.items():
                if k and (k == subj or k in subj or subj in k):
                    return x
        return v.get("")  # a figure for no named gauge or grid: the whole area's
    if v is None and subject and isinstance(facts.get(subject), dict):
        return facts[subject].get(metric)
    return v


def rule_met(rule: GradingRule | Condition, facts: dict, subjects: list[str] | None = None) -> bool:
    """Like nlp.grading.rule_met, with upper-only criteria read as the plan means them: "3人以下死亡"
    (stored as op "<", value 3) describes an event with deaths, so it needs at least one; only a
    bound of 1 or less ("未出现死亡病例", deaths < 1) is met by none."""
    x = _value(facts, rule.metric, rule.subject, subjects)
    op, value, uop, upper = rule.op, rule.value, rule.upper_op, rule.upper
    if op in ("<", "<=") and uop is None:
        op, value, uop, upper = None, None, op, value
    if x is None:
        # a joined "未出现死亡病例" holds when the report states no such casualty at all
        return isinstance(rule, Condition) and op is None and upper is not None and upper <= 1
    if op is None and uop is None:
        return False
    if op is None and x <= 0 and not (upper is not None and upper <= 1):
        return False
    checks = {">=": lambda b: x >= b, ">": lambda b: x > b, "<": lambda b: x < b, "<=": lambda b: x <= b}
    if op and value is not None and not checks[op](value):
        return False
    if uop and upper is not None and not checks[uop](upper):
        return False
    return all(rule_met(c, facts) for c in getattr(rule, "conditions", []))


@dataclass
class _Criterion:
    props: dict
    rule: GradingRule
    scope: str                      # the clause (text rules) or cell (table rules) the rule is part of
    subjects: list[str] | None = None  # the rule's gauge/grid and those listed with it


@dataclass
class PlanGrading:
    """What a plan's grading clauses say beyond its stored numeric rules."""
    deaths_with_missing: bool = False
    injured_with_poisoned: bool = False
    qualitative: list[tuple[str, str, int]] = field(default_factory=list)   # (grade, criterion, offset)
    catch_all: tuple[str, int] | None = None                               # (criterion, offset)
    title: str = ""
    clauses: list = field(default_factory=list)                            # the plan's Clause objects
    by_id: dict = field(default_factory=dict)

    def clause_at(self, offset: int, clause_id: str | None = None):
        if clause_id and clause_id in self.by_id:
            return self.by_id[clause_id]
        for c in self.clauses:
            if c.start <= offset < c.end:
                return c
        return None


@lru_cache(maxsize=256)
def _plan_grading_cached(version_id: str, title: str, text: str) -> PlanGrading:
    from nlp.outline import parse_outline

    pg = PlanGrading(title=title)
    items = grading_items(parse_outline(text)) if text else []
    pg.deaths_with_missing = any(_WITH_MISSING.search(t) for _, t, _ in items)
    pg.injured_with_poisoned = any(_WITH_POISONED.search(t) for _, t, _ in items)
    for grade, clause_text, offset in items:
        for item in criterion_items(strip_item_lead(clause_text)):
            item = item.strip()
            if grade == "一般" and is_catch_all(item):
                pg.catch_all = (item, offset)
            elif len(item) >= 4 and not re.search(r"\d|情形之一", item):
                pg.qualitative.append((grade, item, offset))
    return pg


def plan_grading(doc) -> PlanGrading:
    pg = _plan_grading_cached(doc.version_id, doc.title, doc.text or "")
    if pg.clauses is not doc.clauses:
        pg.clauses, pg.by_id = doc.clauses, {c.clause_id: c for c in doc.clauses}
    return pg


def _criteria_of(rules: list[dict], pg: PlanGrading | None) -> list[_Criterion]:
    """Rule objects with their clause; "未出现死亡病例" right after a criterion of the same
    alternative ("30人以上、不超过100人，未出现死亡病例的") becomes a condition of it."""
    out: list[_Criterion] = []
    for props in rules:
        rule = _rule(props)
        scope = props.get("text", "")
        clause = pg.clause_at(props.get("start", -1), props.get("clause_id")) if pg else None
        if clause is not None and props.get("source", "text") != "table":
            scope = clause.text
        prev = out[-1] if out else None
        none_bound = rule.op in ("<", "<=") and rule.upper_op is None and rule.value is not None and rule.value <= 1
        if none_bound and prev is not None and clause is not None and prev.scope == scope and \
                prev.props.get("start", 0) < props.get("start", 0) and prev.rule.grade == rule.grade:
            gap = clause.text[max(0, prev.props.get("end", 0) - clause.start):max(0, props.get("start", 0) - clause.start)]
            if "或" not in gap and len(gap) <= 12:
                prev.rule.conditions.append(Condition(rule.metric, rule.op, rule.value, rule.upper_op, rule.upper,
                                                      rule.unit, rule.subject, rule.text))
                continue
        subjects = subject_alternatives(rule.subject, clause.text) if rule.subject and clause is not None else None
        out.append(_Criterion(props, rule, scope, subjects))
    return out


def grade_with(rules: list[dict], facts: dict, doc=None, text: str | None = None
               ) -> tuple[str | None, dict | None]:
    """(grade, the rule's properties) or (None, None) when no criterion is met. With the plan (`doc`)
    and the report `text`, criteria without numbers and the plan's catch-all 一般 count too."""
    pg = plan_grading(doc) if doc is not None else None
    if text is not None and is_exercise(text):
        return None, None
    facts = dict(facts)
    with_missing = pg.deaths_with_missing if pg else any(_WITH_MISSING.search(r.get("text", "")) for r in rules)
    if with_missing and isinstance(facts.get("missing"), (int, float)) and facts["missing"] > 0:
        facts["deaths"] = (facts.get("deaths") or 0) + facts["missing"]
    with_poisoned = pg.injured_with_poisoned if pg else any(_WITH_POISONED.search(r.get("text", "")) for r in rules)
    if with_poisoned and isinstance(facts.get("poisoned"), (int, float)):
        facts["seriously_injured"] = max(facts.get("seriously_injured") or 0, facts["poisoned"])
    best: tuple[int, dict] | None = None
    for crit in _criteria_of(rules, pg):
        if text is not None and not gate_met(crit.scope, text):
            continue
        if rule_met(crit.rule, facts, crit.subjects):
            rank = GRADE_RANK[crit.rule.grade]
            if best is None or rank > best[0]:
                best = (rank, crit.props)
    if pg is not None and text is not None:
        for grade, item, offset in pg.qualitative:
            rank = GRADE_RANK[grade]
            if (best is None or rank > best[0]) and qualitative_met(item, text, pg.title):
                c = pg.clause_at(offset)
                best = (rank, {"grade": grade, "metric": "qualitative", "text": item,
                               "clause_id": c.clause_id if c else None, "describe": f"{grade}：{item}"})
        if best is None and pg.catch_all and states_harm(text):
            item, offset = pg.catch_all
            c = pg.clause_at(offset)
            best = (0, {"grade": "一般", "metric": "catch_all", "text": item,
                        "clause_id": c.clause_id if c else None, "describe": f"一般：{item}"})
    return (best[1]["grade"], best[1]) if best else (None, None)


_LEVEL_GRADE = {"一级": "特别重大", "二级": "重大", "三级": "较大", "四级": "一般"}
_LEVEL_ORDER = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}
_GRADE_WORDS = re.compile(r"特别重大|重大|较大|一般")
_THRESHOLD = re.compile(r"预警|水位|潮位|流量|\d|状态")


def response_level_for(levels: list[dict], grade: str | None) -> dict | None:
    """The plan's response level a grade starts, by the plan's own mapping. When several levels
    name the grade, the least escalated one is the default (the others add conditions). An event
    below every grade starts only a level whose conditions name no grade (企业/厂区内险情)."""
    lowest = lambda lvs: max(lvs, key=lambda lv: _LEVEL_ORDER.get(lv.get("level") or "", 0))  # noqa: E731
    if not grade or grade == NOT_GRADED:
        # only a level meant for incidents below the grades: every condition free of grade words,
        # none of them a warning or gauge reading that the report would have to meet
        base = lowest(levels) if levels else None
        conds = (base or {}).get("conditions") or []
        sub_grade = conds and not any(_GRADE_WORDS.search(c) or _THRESHOLD.search(c) for c in conds)
        return base if sub_grade else None
    primary = [lv for lv in levels if lv.get("grade") == grade]
    if primary:
        return lowest(primary)
    listed = [lv for lv in levels if grade in (lv.get("grades") or [])]
    if listed:
        return lowest(listed)
    default = next(lv for lv, g in _LEVEL_GRADE.items() if g == grade)
    return next((lv for lv in levels if lv.get("level") == default), None)


_NATIONAL = Path(__file__).resolve().parent.parent / "nlp" / "resources" / "national_grading.csv"
_STATE = re.compile(r"(?:进入|宣布|发布|启动)([\u4e00-\u9fff]{2,8}?)(?:状态|以上状态)")


@lru_cache(maxsize=1)
def _national_rows() -> list[dict]:
    with open(_NATIONAL, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def national_rules(code: str | None) -> list[dict]:
    """National default criteria for the most specific family holding `code` (国务院令493 and the
    national special plans); used only when no applicable plan states criteria of its own."""
    from matcher.plans import ancestors

    chain = ancestors(code)
    best: list[dict] = []
    best_depth = None
    for row in _national_rows():
        codes = row["type_codes"].split(";")
        depth = min((chain.index(c) for c in codes if c in chain), default=None)
        if depth is None:
            continue
        if best_depth is None or depth < best_depth:
            best, best_depth = [], depth
        if depth == best_depth:
            best.append(row)
    num = lambda v: float(v) if v not in (None, "") else None  # noqa: E731
    return [{"grade": r["grade"], "metric": r["metric"], "op": r["op"] or None, "value": num(r["value"]),
             "upper_op": r["upper_op"] or None, "upper": num(r["upper"]), "unit": r["unit"], "text": r["text"],
             "source": r["source"]} for r in best]


def grade_by_state(levels: list[dict], text: str) -> tuple[str | None, dict | None]:
    """Plans graded by declared states (核应急: 应急待命…场外应急): a start condition naming a state
    (进入厂房应急状态) that the report declares. The highest level whose state is named wins; a
    state an exercise simulates (模拟…进入场区应急状态) is not declared."""
    if is_exercise(text):
        return None, None
    best = None
    for lv in levels:
        for cond in lv.get("conditions") or []:
            for state in _STATE.findall(cond):
                if len(state) >= 3 and any(not re.search(r"模拟|假设|假定|想定", text[max(0, m.start() - 14):m.start()])
                                           for m in re.finditer(re.escape(state), text)):
                    grade = lv.get("grade") or _LEVEL_GRADE.get(lv.get("level") or "")
                    if grade and (best is None or GRADE_RANK[grade] > GRADE_RANK[best[0]]):
                        best = (grade, {"grade": grade, "text": cond, "clause_id": lv.get("clause_id"),
                                        "describe": f"{grade}：{state}"})
    return best if best else (None, None)
