"""threshold_conflict: a lower plan needs more of the same measure than the plan above to reach the
same grade, so it grades the same event lower. Stricter (lower) thresholds below are fine; grades or
measures one plan leaves out are not compared; joint (AND) criteria are skipped."""
from __future__ import annotations

from collections import defaultdict

from matcher.check.hierarchy import pairs, shares_type
from matcher.check.loader import Corpus, Plan
from matcher.check.model import HIGH, Finding
from matcher.check.textutil import GRADES, shorten

METRIC_NAMES = {"deaths": "死亡（含失踪）人数", "missing": "失踪人数", "seriously_injured": "重伤（中毒）人数",
                "injured": "受伤人数", "direct_loss_wan": "直接经济损失", "direct_loss": "直接经济损失",
                "evacuated": "紧急疏散转移人数", "leak_tonnes": "泄漏量", "toxic_leak_tonnes": "剧毒品泄漏量",
                "magnitude": "震级", "water_level_m": "水位", "reservoir_level_m": "库水位", "flow_m3s": "流量",
                "burned_area_ha": "过火面积", "poisoned": "中毒人数", "trapped": "被困人数"}
_EPS = 1e-9


def _lower_bound(rule: dict) -> float | None:
    op, value = rule.get("op"), rule.get("value")
    if not isinstance(value, (int, float)) or op not in (">=", ">", "=", "=="):
        return None
    return float(value) + (_EPS if op == ">" else 0.0)


def _same_subject(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return not a and not b
    return a == b or (min(len(a), len(b)) >= 2 and (a.endswith(b) or b.endswith(a)))


def _usable(rule: dict) -> bool:
    return bool(rule.get("metric")) and rule.get("grade") in GRADES and not rule.get("conditions")


def _groups(plan: Plan) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = defaultdict(list)
    for r in plan.rules:
        if _usable(r) and _lower_bound(r) is not None:
            out[(r["grade"], r["metric"], r.get("unit"))].append(r)
    return out


def _grade_of(plan: Plan, metric: str, subject: str | None, x: float) -> str | None:
    """The highest grade the plan gives a value of one measure (None: no rule covers it)."""
    best = None
    for r in plan.rules:
        if not _usable(r) or r["metric"] != metric or not _same_subject(r.get("subject"), subject):
            continue
        lo, hi, op, uop = r.get("value"), r.get("upper"), r.get("op"), r.get("upper_op")
        ok = True
        if isinstance(lo, (int, float)):
            ok = {">=": x >= lo, ">": x > lo, "<": x < lo, "<=": x <= lo}.get(op, x >= lo)
        if ok and isinstance(hi, (int, float)):
            ok = x < hi if uop in ("<", None) else x <= hi
        if ok and (best is None or GRADES.index(r["grade"]) > GRADES.index(best)):
            best = r["grade"]
    return best


def _num(x: float, unit: str = "") -> str:
    x = round(x, 6)
    if unit in ("级", "米", "m") and float(x).is_integer():
        return f"{x:.1f}"
    return f"{x:g}"


def compare_plans(lower: Plan, upper: Plan, same_level: bool = False) -> list[Finding]:
    """Findings where `lower` grades an event lower than `upper` for the same grade and measure."""
    out: list[Finding] = []
    up_groups = _groups(upper)
    for (grade, metric, unit), low_rules in sorted(_groups(lower).items()):
        up_rules = up_groups.get((grade, metric, unit)) or []
        for subject in sorted({r.get("subject") or "" for r in low_rules}):
            lows = [r for r in low_rules if _same_subject(r.get("subject") or None, subject or None)]
            ups = [r for r in up_rules if _same_subject(r.get("subject") or None, subject or None)]
            if not lows or not ups:
                continue
            low_b, up_b = min(_lower_bound(r) for r in lows), max(_lower_bound(r) for r in ups)
            if low_b <= up_b + _EPS:
                continue
            out.append(_finding(lower, upper, grade, metric, subject, unit, lows, ups, low_b, up_b, same_level))
    return out


def _finding(lower, upper, grade, metric, subject, unit, lows, ups, low_b, up_b, same_level) -> Finding:
    name = METRIC_NAMES.get(metric, metric) + (f"（{subject}）" if subject else "")
    unit = unit or ""
    given = _grade_of(lower, metric, subject or None, up_b)
    given = f"只能定为{given}" if given else "不够任何等级"
    low_text = "、".join(dict.fromkeys(r.get("text") or "" for r in lows if r.get("text")))
    up_text = "、".join(dict.fromkeys(r.get("text") or "" for r in ups if r.get("text")))
    who = "另一预案" if same_level else "上级预案"
    message = (f"同一类事件的“{grade}”等级，{who}《{upper.title}》以{name}“{up_text}”为标准，"
               f"本预案要求“{low_text}”。{name}在{_num(up_b, unit)}{unit}至{_num(low_b, unit)}{unit}之间的事件，"
               f"{who}定为{grade}，本预案{given}，定级偏低、响应可能不足。")
    evidence = _evidence(lower, lows) + _evidence(upper, ups)
    suggestion = f"按《{upper.title}》统一{grade}等级的{name}标准（不高于{_num(up_b, unit)}{unit}），或在预案中说明从严执行上级标准。"
    return Finding("threshold_conflict", HIGH, message, evidence, suggestion, (lower.title, upper.title))


def _evidence(plan: Plan, rules: list[dict]):
    out, seen = [], set()
    for r in rules:
        c = plan.fact_clause(r)
        key = c.id if c else r.get("text")
        if key in seen:
            continue
        seen.add(key)
        out.append(plan.evidence(c) if c else plan.evidence(text=shorten(r.get("text") or "", 200),
                                                              offset=r.get("start")))
    return out[:3]


def check(corpus: Corpus) -> list[Finding]:
    out: list[Finding] = []
    for lower, upper in pairs(corpus):
        if shares_type(lower, upper):   # grading differs legitimately across incident types
            out += compare_plans(lower, upper)
    return out
