"""Grading rules (事件分级标准) and response levels (分级响应) read from an emergency plan.

`extract_grading_rules(outline)` finds the grading sections of a plan (headings such as 事件分级,
事故分级, 灾害分级, 分级标准, an article that opens with "事故分级。", a clause that says "分为特别重大、
重大、较大和一般四级" followed by sibling articles, and annex tables such as 分级标准表) and turns every
numeric criterion into a `GradingRule`: grade, metric, lower bound (op/value), upper bound
(upper_op/upper), canonical unit, subject (gauge, reservoir, grid …), scope, clause index and span.

Comparators follow the 国务院令493 convention ("以上" includes the number, "以下" excludes it)
unless the plan states its own note ("本预案所称以上含本数，以下不含本数" or the reverse), which
wins. Units are normalised: 元/万元/亿元 → 万元, 万人 → 人, 亩 → 公顷 (/15), 公斤 → 吨 (/1000).

`evaluate(rules, facts)` returns the highest grade whose criterion is met and the rule that fired.
`extract_response_levels(outline)` reads the response levels (一级…四级, Ⅰ…Ⅳ级, or a plan's named levels) with
every start condition, who starts them, the grades they name and the span of each level's section.
"""
from __future__ import annotations

import bisect
import copy
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from nlp.outline import Clause, Outline, Section

GRADES = ("特别重大", "重大", "较大", "一般")
GRADE_RANK = {g: i for i, g in enumerate(reversed(GRADES))}  # 一般 0 … 特别重大 3
ROMAN_GRADE = {"Ⅰ": "特别重大", "Ⅱ": "重大", "Ⅲ": "较大", "Ⅳ": "一般",
               "I": "特别重大", "II": "重大", "III": "较大", "IV": "一般"}

# ---------------------------------------------------------------------------------------------
# data


@dataclass
class Condition:
    """An extra condition joined with 且/并/但 that must hold together with the rule."""
    metric: str
    op: str | None
    value: float | None
    upper_op: str | None
    upper: float | None
    unit: str
    subject: str | None = None
    text: str = ""


@dataclass
class GradingRule:
    grade: str
    metric: str
    op: str | None          # lower-bound comparator: ">=" or ">" (None when only an upper bound)
    value: float | None
    upper_op: str | None    # upper-bound comparator: "<" or "<=" (None when open)
    upper: float | None
    unit: str               # canonical unit of value/upper
    subject: str | None     # gauge / reservoir / grid / site the metric is measured at
    scope: str | None       # 市区, 主城区, 县（区）… when stated
    clause_index: int       # index into outline.clauses (-1 for a table row that is not a clause)
    span: tuple[int, int]   # criterion span in outline.text
    text: str               # criterion text as written
    source: str = "text"    # "text" or "table"
    conditions: list[Condition] = field(default_factory=list)

    def key(self) -> tuple:
        return (self.grade, self.metric, self.op, self.value, self.upper_op, self.upper)

    def to_json(self) -> dict:
        d = asdict(self)
        d["span"] = list(self.span)
        return d

    def describe(self) -> str:
        parts = []
        if self.op:
            parts.append(f"{self.op}{_fmt(self.value)}")
        if self.upper_op:
            parts.append(f"{self.upper_op}{_fmt(self.upper)}")
        subj = f"{self.subject} " if self.subject else ""
        return f"{self.grade}: {subj}{self.metric} {' 且 '.join(parts)} {self.unit}".strip()


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else str(v)


# ---------------------------------------------------------------------------------------------
# numbers and units

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_to_number(s: str) -> float | None:
    """Arabic or simple Chinese numerals ("十", "三十五", "一百二十") to a number."""
    s = s.strip()
    try:
        return float(s)
    except ValueError:
        pass
    try:  # cn2an handles the long tail when it is installed
        import cn2an  # type: ignore

        return float(cn2an.cn2an(s, "smart"))
    except Exception:  # noqa: BLE001 - fall back to the small parser below
        pass
    total, cur = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            cur = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (cur or 1) * CN_UNITS[ch]
            cur = 0
        else:
            return None
    return float(total + cur)


# unit as written → (family, canonical unit, factor)
UNITS: list[tuple[str, str, str, float]] = [
    ("立方米每秒", "flow", "立方米每秒", 1), ("立方米/秒", "flow", "立方米每秒", 1),
    ("m³/s", "flow", "立方米每秒", 1), ("m3/s", "flow", "立方米每秒", 1), ("方每秒", "flow", "立方米每秒", 1),
    ("平方公里", "area", "公顷", 100), ("公顷", "area", "公顷", 1), ("亩", "area", "公顷", 1 / 15),
    ("总吨", "gt", "总吨", 1),
    ("吨", "mass", "吨", 1), ("公斤", "mass", "吨", 1 / 1000), ("千克", "mass", "吨", 1 / 1000),
    ("元", "money", "万元", 1 / 10000),
    ("人次", "person", "人", 1), ("名", "person", "人", 1), ("人", "person", "人", 1),
    ("户", "household", "户", 1), ("级", "level", "级", 1),
    ("厘米", "length", "米", 0.01), ("公里", "km", "公里", 1), ("千米", "km", "公里", 1), ("米", "length", "米", 1),
    ("小时", "hours", "小时", 1), ("天", "hours", "小时", 24), ("日", "hours", "小时", 24),
    ("例", "case", "例", 1), ("%", "pct", "%", 1), ("％", "pct", "%", 1), ("倍", "ratio", "倍", 1),
    ("处", "points", "处", 1), ("个", "count", "个", 1),
]
MULT = {"万": 10000, "亿": 100000000, "千": 1000, "百": 100}
_UNIT_RE = "|".join(re.escape(u[0]) for u in sorted(UNITS, key=lambda u: -len(u[0])))
_UNIT_INFO = {u[0]: u[1:] for u in UNITS}
NUM = r"(?<![A-Za-z\d.])(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]{1,4}(?=[万亿]?(?:%s)))" % _UNIT_RE
QTY = re.compile(NUM + r"\s*([万亿千百](?!米|克))?\s*(%s)?" % _UNIT_RE)

PRE_OPS = [  # (pattern before the number, kind, op)
    ("达到或超过", "lo", ">="), ("达到或者超过", "lo", ">="), ("不低于", "lo", ">="), ("不少于", "lo", ">="),
    ("不超过", "hi", "<="), ("未超过", "hi", "<="), ("不高于", "hi", "<="), ("不大于", "hi", "<="),
    ("未达到", "hi", "<"), ("超过", "lo", ">"), ("高于", "lo", ">"), ("大于", "lo", ">"), ("多于", "lo", ">"),
    ("不足", "hi", "<"), ("低于", "hi", "<"), ("少于", "hi", "<"), ("小于", "hi", "<"),
    ("达到", "lo", ">="), ("≥", "lo", ">="), (">=", "lo", ">="), ("＞", "lo", ">"), (">", "lo", ">"),
    ("≤", "hi", "<="), ("<=", "hi", "<="), ("＜", "hi", "<"), ("<", "hi", "<"),
]
_PRE_RE = re.compile(r"(%s)(?:[\u4e00-\u9fff]{0,4}(?:水位|潮位|流量))?\s*$" % "|".join(re.escape(p[0]) for p in PRE_OPS))
_PRE_INFO = {p[0]: (p[1], p[2]) for p in PRE_OPS}
_POST_RE = re.compile(r"^\s*(及以上|以上|及以下|以下|以内)")
_RANGE_SEP = re.compile(r"^\s*(?:[～~至到—–－\-]|－)\s*$")

NOTE_LO = re.compile(r"以上[”\"」』’']?\s*(?:均)?(不含|不包括|不包含|含|包括|包含)本数")
NOTE_HI = re.compile(r"以下[”\"」』’']?\s*(?:均)?(不含|不包括|不包含|含|包括|包含)本数")


@dataclass
class Convention:
    """How a plan reads 以上 and 以下."""
    above: str = ">="
    below: str = "<"
    stated: bool = False

    @classmethod
    def from_text(cls, text: str) -> "Convention":
        conv = cls()
        m = NOTE_LO.search(text)
        if m:
            conv.above = ">" if m.group(1).startswith("不") else ">="
            conv.stated = True
        m = NOTE_HI.search(text)
        if m:
            conv.below = "<" if m.group(1).startswith("不") else "<="
            conv.stated = True
        return conv


@dataclass
class _Qty:
    start: int           # span of the whole criterion part (comparator included)
    end: int
    num_start: int
    value: float         # number × multiplier as written, unit factor not applied
    unit: str | None     # unit as written
    kind: str | None     # "lo", "hi" or None (no comparator)
    op: str | None


def _scan_quantities(s: str, conv: Convention, default_unit: str | None = None) -> list[_Qty]:
    out: list[_Qty] = []
    for m in QTY.finditer(s):
        num = cn_to_number(m.group(1))
        if num is None:
            continue
        mult = MULT.get(m.group(2) or "", 1)
        unit = m.group(3)
        if unit is None and m.group(2) and m.group(2) in "千百":
            continue
        start, end = m.start(), m.end()
        kind = op = None
        pre = _PRE_RE.search(s[max(0, start - 12):start])
        if pre:
            kind, op = _PRE_INFO[pre.group(1)]
            start = start - (len(s[max(0, start - 12):start]) - pre.start())
        post = _POST_RE.match(s[end:])
        if post:
            word = post.group(1)
            if word.endswith("以上"):
                kind, op = "lo", (">=" if word.startswith("及") else (op if op in (">=", ">") else conv.above))
            elif word == "以内":
                kind, op = "hi", "<="
            else:
                kind, op = "hi", ("<=" if word.startswith("及") else conv.below)
            end += post.end()
        out.append(_Qty(start, end, m.start(), num * mult, unit or default_unit, kind, op))
    return out


# ---------------------------------------------------------------------------------------------
# metrics

# family → list of (metric, keywords); first keyword hit decides, order = priority on ties
PERSON_KEYS = [
    ("deaths", ("死亡", "遇难", "罹难", "伤亡")), ("missing", ("失踪",)), ("seriously_injured", ("重伤",)),
    ("poisoned", ("中毒",)), ("injured", ("受伤", "轻伤", "伤员", "伤")),
    ("persons_in_distress", ("生命安全", "遇险", "危及")), ("trapped", ("被困",)),
    ("evacuated", ("疏散", "转移", "撤离", "安置")), ("aircraft_occupants", ("载员",)),
    ("affected_people", ("受灾", "受影响", "影响")),
]


def _first_key(window: str, table: list[tuple[str, tuple[str, ...]]], last: bool = False) -> str | None:
    best = None
    for metric, keys in table:
        for k in keys:
            i = window.rfind(k) if last else window.find(k)
            if i < 0:
                continue
            if best is None or (i > best[0] if last else i < best[0]):
                best = (i, metric)
    return best[1] if best else None


def _strip_parens(s: str) -> str:
    return re.sub(r"[（(][^（）()]{0,30}[）)]", lambda m: "\u3000" * len(m.group(0)), s)


def _near_key(before: str) -> str | None:
    """Keyword nearest before the number; for a list "中毒、重伤100人" the first of the list."""
    best = None
    for metric, keys in PERSON_KEYS:
        for k in keys:
            i = before.rfind(k)
            if i >= 0 and (best is None or i + len(k) > best[0] + best[2]):
                best = (i, metric, len(k))
    if best is None:
        return None
    i, metric = best[0], best[1]
    while i > 0 and before[i - 1] == "、":
        prev = before[:i - 1]
        hit = None
        for m2, keys in PERSON_KEYS:
            for k in keys:
                if prev.endswith(k):
                    hit = (len(prev) - len(k), m2)
        if not hit:
            break
        i, metric = hit
    return metric


def _metric(family: str, after: str, before: str, clause: str, header: str = "") -> str | None:
    after, before, header = _strip_parens(after), _strip_parens(before), _strip_parens(header)
    after = re.split(r"[并且但，,；;。或]", after)[0]
    ctx = header + before + after
    before = header + before
    if family == "person":
        m = (_first_key(after, PERSON_KEYS) or _near_key(before[len(header):]) or _near_key(header)
             or "affected_people")
        if m == "poisoned" and re.search(r"中毒(?:或者|或|、|和)重伤|重伤(?:或者|或|、|和)中毒", clause):
            m = "seriously_injured"  # "100人以上中毒或者重伤": one count of the seriously harmed
        return m
    if family == "case":
        if "死亡" in after:
            return "deaths"
        if "聚集" in clause:
            return "cluster_cases_week"
        if "霍乱" in clause:
            return "cholera_cases_week"
        if "鼠疫" in clause or "炭疽" in clause:
            return "plague_anthrax_cases"
        return "cases"
    if family == "count":
        if "省" in after[:4]:
            return "affected_provinces"
        if "县" in after[:4]:
            return "affected_counties"
        if "市" in after[:6]:
            return "affected_cities"
        return None
    if family == "money":
        return "direct_loss_wan"
    if family == "mass":
        if "溢油" in ctx or "油" in before[-8:]:
            return "oil_spill_tonnes"
        if "剧毒" in before:
            return "toxic_leak_tonnes"
        return "leak_tonnes"
    if family == "gt":
        return "ship_gross_tonnage"
    if family == "area":
        return "burned_area_ha" if re.search("过火|火|森林|林地|受害", ctx + clause) else "area_ha"
    if family == "level":
        if "风" in ctx:
            return "wind_force"
        return "magnitude" if re.search("地震|震级|震", ctx + clause) else None
    if family == "length":
        if "潮" in ctx:
            return "tide_level_m"
        if "积水" in ctx or "深度" in ctx:
            return "waterlogging_depth_m"
        if "水库" in before or "库水位" in before:
            return "reservoir_level_m"
        if "水位" in ctx or "站" in before or "闸" in before:
            return "water_level_m"
        return "water_level_m" if "水" in clause else None
    if family == "flow":
        return "flow_m3s"
    if family == "household":
        if "停气" in ctx or "燃气" in ctx or "气" in after:
            return "gas_outage_households"
        if "停电" in ctx:
            return "power_outage_households"
        if "停水" in ctx or "供水" in ctx:
            return "water_outage_households"
        return "households_affected"
    if family == "pct":
        if "减供负荷" in before or "负荷" in before:
            return "power_load_loss_pct"
        if ("用户" in before or "用户" in after) and "停电" in ctx:
            return "power_users_pct"
        if "受旱" in before or "耕地" in before:
            return "drought_farmland_pct"
        if "缺水" in before:
            return "water_shortage_pct"
        if "生产总值" in before or "GDP" in before:
            return "loss_gdp_pct"
        return None
    if family == "hours":
        if "停气" in ctx or ("持续" in before and "停气" in clause):
            return "gas_outage_hours"
        if "断航" in ctx or "航道" in before:
            return "channel_closure_hours"
        if "通行" in ctx or "中断" in before and "公路" in clause:
            return "road_closure_hours"
        if "取水" in ctx or "水源" in ctx or "供水" in ctx:
            return "water_source_cut_hours"
        if "停电" in ctx or "停电" in clause:
            return "power_outage_hours"
        if "积水" in clause:
            return "waterlogging_hours"
        return "duration_hours"
    if family == "km":
        return "seawall_damage_km" if "堤" in clause else "damage_length_km"
    if family == "ratio":
        return "incidence_multiple"
    if family == "points":
        return "waterlogging_points" if "积水" in after else "points"
    return None


SUBJECT_RE = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{1,16}?(?:核电站|水文站|潮位站|水库|电网|站|闸))")
_SUBJ_DELIM = re.compile(r"[，,、；;。：:（）()\s|｜或和及与]|或者")
SCOPE_RE = re.compile(r"(主城区|市区|县城|县（区）|县区|全市|本市|本县|城区|县级电网)")


def _subject(before: str) -> str | None:
    """Nearest gauge/reservoir/grid name before a quantity (generic suffixes, no fixed names)."""
    best = None
    for m in SUBJECT_RE.finditer(before):
        best = m
    if not best:
        return None
    # cut at the last delimiter inside the match window
    seg = before[:best.end()]
    cut = max((m.end() for m in _SUBJ_DELIM.finditer(seg)), default=0)
    name = seg[cut:]
    name = re.sub(r"^(本市|全市|本县|造成|发生|因|在)", "", name)
    return name if len(name) >= 2 and not name.startswith(("中型", "小型", "大型", "以下")) else None


def _canon(q: _Qty) -> tuple[str | None, str | None, float]:
    if q.unit is None:
        return None, None, q.value
    family, unit, factor = _UNIT_INFO[q.unit]
    return family, unit, round(q.value * factor, 6)


# ---------------------------------------------------------------------------------------------
# criteria in one text fragment

_SEG_SPLIT = re.compile(r"[，,；;。]|或者|或")
_ITEM_PREFIX = re.compile(r"^\s*(?:\*\*)?\s*(?:[（(][\d一二三四五六七八九十]{1,3}[）)]|\d{1,2}(?:\.\d{1,2})*[.、．]?(?=[\s\u3000\u4e00-\u9fff])|[一二三四五六七八九十]{1,3}、|[①-⑳])\s*")


def _criteria(s: str, conv: Convention, default_unit: str | None = None, header: str = "",
              bare_is_lower: bool = False) -> list[tuple[str, str | None, float | None, str | None, float | None, str, str | None,
                              str | None, int, int, list[Condition]]]:
    """Criteria in a fragment: (metric, op, value, upper_op, upper, unit, subject, scope, start, end, conds)."""
    qs = _scan_quantities(s, conv, default_unit)
    if bare_is_lower:
        for k, q in enumerate(qs):
            nxt = qs[k + 1] if k + 1 < len(qs) else None
            if q.kind is None and q.unit and not (nxt and _RANGE_SEP.match(s[q.end:nxt.num_start])) and \
                    not (k > 0 and _RANGE_SEP.match(s[qs[k - 1].end:q.num_start])):
                q.kind, q.op = "lo", ">="
    # ranges written X～Y / X至Y / X-Y
    merged: list[tuple[_Qty, _Qty | None]] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        if nxt is not None and q.kind is None and _RANGE_SEP.match(s[q.end:nxt.num_start]) and \
                (nxt.kind in (None, "hi") or nxt.op in (">=",)):
            unit = q.unit or nxt.unit
            lo = _Qty(q.start, q.end, q.num_start, q.value if q.unit else q.value, unit, "lo", ">=")
            if q.unit is None and nxt.unit is not None:
                lo.value = q.value
            hi = _Qty(nxt.start, nxt.end, nxt.num_start, nxt.value, nxt.unit or unit, "hi",
                      nxt.op if nxt.kind == "hi" else "<=")
            merged.append((lo, hi))
            i += 2
            continue
        if q.kind == "lo" and nxt is not None and nxt.kind == "hi" and \
                re.fullmatch(r"[\s、，,]*", s[q.end:nxt.start]) and (q.unit or nxt.unit):
            fam_q = _UNIT_INFO[q.unit][0] if q.unit else None
            fam_n = _UNIT_INFO[nxt.unit][0] if nxt.unit else None
            if fam_q is None or fam_n is None or fam_q == fam_n:
                if q.unit is None:
                    q.unit = nxt.unit
                if nxt.unit is None:
                    nxt.unit = q.unit
                merged.append((q, nxt))
                i += 2
                continue
        if q.kind is not None:
            merged.append((q, None) if q.kind == "lo" else (None, q))  # type: ignore[arg-type]
        i += 1

    items = []
    for lo, hi in merged:
        first = lo or hi
        last = hi or lo
        assert first is not None and last is not None
        family, unit, lo_v = _canon(lo) if lo else (None, None, None)
        fam2, unit2, hi_v = _canon(hi) if hi else (None, None, None)
        family, unit = family or fam2, unit or unit2
        if family is None:
            continue
        seg_start = max((m.end() for m in _SEG_SPLIT.finditer(s[:first.start])), default=0)
        seg_end_m = _SEG_SPLIT.search(s, last.end)
        seg_end = seg_end_m.start() if seg_end_m else len(s)
        before = s[seg_start:first.start]
        after = s[last.end:seg_end]
        metric = _metric(family, after, before, header + s, header)
        if metric is None:
            continue
        subject = _subject(header + s[:first.start]) if family in ("length", "flow", "pct", "hours") else None
        if metric in ("power_load_loss_pct", "power_users_pct"):
            subject = _subject(header + s[:first.start])
        scope_m = None
        for m in SCOPE_RE.finditer(s[seg_start:first.start]):
            scope_m = m
        if lo is None:  # only an upper bound: "X以下" → op "<", value X
            crit_b = [hi.op, hi_v, None, None]
        else:
            crit_b = [lo.op, lo_v, hi.op if hi else None, hi_v if hi else None]
        items.append([metric, *crit_b, unit, subject, scope_m.group(1) if scope_m else None,
                      first.start, last.end, []])
    if not header:
        items.extend(_qualitative(s))
    items.sort(key=lambda x: x[8])
    out = []
    prev_end = None
    for crit in items:
        metric, unit, subject = crit[0], crit[5], crit[6]
        gap = s[prev_end:crit[8]] if prev_end is not None else None
        if out and gap is not None and "或" not in gap and (
                re.search(r"且|并|但|同时|持续", gap) or not re.search(r"[，,、；;。（）()]", gap)):
            out[-1][10].append(Condition(metric, crit[1], crit[2], crit[3], crit[4], unit, subject,
                                         s[crit[8]:crit[9]]))
        else:
            out.append(crit)
        prev_end = crit[9]
    return [tuple(c) for c in out]  # type: ignore[misc]


_NO_CASUALTY = re.compile(r"(?:未|没有|无)(?:出现|造成|发生)?(?:人员)?伤亡")
_NO_DEATH = re.compile(r"(?:未|没有|无)(?:出现|造成|发生)(?:人员)?死亡(?:病例|人员)?")
_ANY_DEATH = re.compile(r"(?<![未无没])(?:出现|造成|发生)(?:[^，。；\d未]{0,6}?)死亡(?:病例|人员)?")


def _qualitative(s: str) -> list[list]:
    """Criteria stated without numbers: 出现死亡病例 → deaths >= 1; 未出现死亡病例 → deaths < 1."""
    out = []
    taken: list[tuple[int, int]] = []
    for m in _NO_CASUALTY.finditer(s):
        out.append(["deaths", "<", 1.0, None, None, "人", None, None, m.start(), m.end(), []])
        out.append(["injured", "<", 1.0, None, None, "人", None, None, m.start(), m.end(), []])
        taken.append(m.span())
    for m in _NO_DEATH.finditer(s):
        if not any(a <= m.start() < b for a, b in taken):
            out.append(["deaths", "<", 1.0, None, None, "人", None, None, m.start(), m.end(), []])
            taken.append(m.span())
    for m in _ANY_DEATH.finditer(s):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
            continue
        if re.search(r"\d", m.group(0)) or re.search(r"\d\s*(?:人|例|名)?\s*(?:以上|以下)?$", s[:m.start()]):
            continue
        out.append(["deaths", ">=", 1.0, None, None, "人", None, None, m.start(), m.end(), []])
    return out


# ---------------------------------------------------------------------------------------------
# grades in headings and lines

_GRADE_WORD = "特别重大|重大|较大|一般"
_LINE_GRADE = re.compile(
    rf"^(?:\*\*)?\s*({_GRADE_WORD})(?:[\u4e00-\u9fff]{{0,14}}?(?:事故|事件|灾害|火灾|险情|疫情|情形))?"
    r"\s*(?:[（(](?:[ⅠⅡⅢⅣIV]+)级?[）)])?\s*(?:\*\*)?\s*(?:[：:，,|｜\s（(]|是指|$)")
_INTRO_GRADE = re.compile(rf"为({_GRADE_WORD})[\u4e00-\u9fff（）()]{{0,20}}[：:]\s*$")
_REFER_GRADE = re.compile(rf"(?:参照|按照|视为|认定为|列为|定为)({_GRADE_WORD})(?:事故|事件|灾害|等级)")
_ROMAN_LINE = re.compile(r"^[（(]?([ⅠⅡⅢⅣ])级[）)]?")
GRADING_HEAD = re.compile(r"(分级|等级|级别划分|分级标准)")
NOT_GRADING_HEAD = re.compile(r"预警|响应|应急状态|风险|监测|储备|负担|保障|管控|管理")
INTRO_RE = re.compile(rf"分为({_GRADE_WORD})[、，,和及]")


def heading_grade(text: str) -> str | None:
    t = text.strip().strip("*").strip()
    m = _LINE_GRADE.match(t + " ")
    if m:
        return m.group(1)
    m = re.match(rf"^({_GRADE_WORD})", t)
    if m and re.search(r"事故|事件|灾害|火灾|级", t):
        return m.group(1)
    m = _ROMAN_LINE.match(t)
    if m:
        return ROMAN_GRADE[m.group(1)]
    return None


def line_grade(text: str) -> tuple[str | None, bool]:
    """(grade stated by a line, whether it sets the grade for following items)."""
    t = _ITEM_PREFIX.sub("", text, count=1).strip()
    t = t.lstrip("*").strip()
    m = _LINE_GRADE.match(t)
    if m:
        return m.group(1), True
    m = _INTRO_GRADE.search(t)
    if m:
        return m.group(1), True
    m = _REFER_GRADE.search(t)
    if m:
        return m.group(1), False
    return None, False


def _is_grading_heading(sec: Section) -> bool:
    h = sec.heading or ""
    return bool(GRADING_HEAD.search(h)) and not NOT_GRADING_HEAD.search(h)


def _first_clause(outline: Outline, sec: Section) -> Clause | None:
    for c in outline.clauses:
        if c.section is sec:
            return c
        if c.start > sec.end:
            break
    return None


def grading_regions(outline: Outline) -> list[tuple[int, int]]:
    """Spans of the grading sections (body and annex)."""
    regions: list[tuple[int, int]] = []
    parents: dict[int, list[Section]] = {}

    def rec(nodes: list[Section]):
        for s in nodes:
            for c in s.children:
                parents[id(c)] = s.children
            rec(s.children)
    rec(outline.sections)
    for sec, _ in outline.walk():
        if _is_grading_heading(sec):
            regions.append((sec.start, sec.end))
            continue
        fc = _first_clause(outline, sec)
        if fc is None:
            continue
        head = re.split(r"[。：:]", fc.text, maxsplit=1)[0]
        if not sec.heading and fc.start - sec.start < 12 and len(head) <= 16 and GRADING_HEAD.search(head) \
                and not NOT_GRADING_HEAD.search(head):
            regions.append((sec.start, sec.end))
            continue
        if not sec.heading and INTRO_RE.search(fc.text):
            # an article that introduces the grades: the following sibling articles hold them
            sibs = parents.get(id(sec), outline.sections)
            end = sec.end
            idx = next(i for i, x in enumerate(sibs) if x is sec)
            for nxt in sibs[idx + 1:]:
                nfc = _first_clause(outline, nxt)
                text = (nxt.heading or "") + (nfc.text if nfc else "")
                if heading_grade(nxt.heading or "") or (nfc and line_grade(nfc.text)[0]) or \
                        re.search(rf"为({_GRADE_WORD})", text[:60]):
                    end = nxt.end
                else:
                    break
            regions.append((sec.start, end))
    # a grading paragraph outside a grading heading (e.g. "特别重大：…" lines right after an intro)
    for c in outline.clauses:
        if INTRO_RE.search(c.text) and not any(a <= c.start < b for a, b in regions):
            sec = c.section
            if sec is not None and _is_grading_heading(sec):
                continue
    regions.sort()
    merged: list[tuple[int, int]] = []
    for a, b in regions:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _section_chain(sec: Section | None, outline: Outline) -> list[Section]:
    chain = []
    if sec is None:
        return chain
    path: list[Section] = []

    def rec(nodes, trail):
        for s in nodes:
            if s is sec:
                path.extend(trail + [s])
                return True
            if rec(s.children, trail + [s]):
                return True
        return False
    rec(outline.sections, [])
    chain = list(reversed(path))
    return chain


# ---------------------------------------------------------------------------------------------
# tables

TABLE_SPLIT = re.compile(r"\s*[|｜\t]\s*|\u3000{2,}")


def _is_table_line(s: str) -> bool:
    return ("|" in s or "｜" in s or "\t" in s or s.count("\u3000\u3000") >= 1 and len(TABLE_SPLIT.split(s)) >= 3)


def _cells(line: str, offset: int) -> list[tuple[str, int]]:
    s = line
    out = []
    pos = 0
    for part in TABLE_SPLIT.split(s):
        i = s.find(part, pos) if part else pos
        if part.strip():
            out.append((part.strip(), offset + i + (len(part) - len(part.lstrip()))))
        pos = i + len(part)
    if s.strip().startswith(("|", "｜")) and out and out[0][0] == "":
        out = out[1:]
    return out


def _header_unit(header: str) -> str | None:
    m = re.search(r"[（(]\s*(%s)\s*[）)]" % _UNIT_RE, header)
    if m:
        return m.group(1)
    m = re.search(r"单位[：:]\s*(%s)" % _UNIT_RE, header)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------------------------
# main entry


def extract_grading_rules(outline: Outline) -> list[GradingRule]:
    text = outline.text
    regions = grading_regions(outline)
    if not regions:
        return []
    # the plan's own note wins; a note inside the grading section wins over one elsewhere
    conv = Convention.from_text(text)
    for a, b in regions:
        local = Convention.from_text(text[a:b])
        if local.stated:
            conv = local
            break
    rules: list[GradingRule] = []
    state: dict[int, str | None] = {}
    header: list[str] | None = None
    header_sec: int | None = None
    for ci, c in enumerate(outline.clauses):
        if not any(a <= c.start < b for a, b in regions):
            continue
        sec_key = id(c.section)
        line = c.text
        if _is_table_line(line):
            cells = _cells(line, c.start)
            if not cells or all(re.fullmatch(r"[-:：\s—]+", x[0]) for x in cells):
                continue
            g = heading_grade(cells[0][0]) if cells else None
            if g is None:
                if not any(re.search(r"\d", x[0]) for x in cells):
                    header, header_sec = [x[0] for x in cells], sec_key
                continue
            hdr = header if header_sec == sec_key and header else []
            for col, (cell, off) in enumerate(cells[1:], start=1):
                h = hdr[col] if col < len(hdr) else ""
                for crit in _criteria(cell, conv, _header_unit(h), header=h + "：", bare_is_lower=True):
                    metric, op, v, uop, up, unit, subj, scope, s0, s1, conds = crit
                    rules.append(GradingRule(g, metric, op, v, uop, up, unit, subj, scope, ci,
                                             (off + s0, off + s1),
                                             cell, "table", conds))
            continue
        g, sets = line_grade(line)
        if g is not None and sets:
            state[sec_key] = g
        if g is None:
            g = state.get(sec_key)
        if g is None:
            for s in _section_chain(c.section, outline):
                g = heading_grade(s.heading or "")
                if g:
                    break
                if any(a == s.start for a, _ in regions) or _is_grading_heading(s):
                    break
        if g is None:
            continue
        body = line
        for crit in _criteria(body, conv):
            metric, op, v, uop, up, unit, subj, scope, s0, s1, conds = crit
            rules.append(GradingRule(g, metric, op, v, uop, up, unit, subj, scope, ci,
                                     (c.start + s0, c.start + s1), body[s0:s1], "text", conds))
    _fix_table_spans(rules, text)
    return rules


def _fix_table_spans(rules: list[GradingRule], text: str) -> None:
    for r in rules:
        if r.source != "table":
            continue
        a, b = r.span
        if text[a:b] and a < b:
            continue
        i = text.find(r.text)
        if i >= 0:
            r.span = (i, i + len(r.text))


# ---------------------------------------------------------------------------------------------
# evaluation


def _check(op: str | None, bound: float | None, x: float) -> bool:
    if op is None or bound is None:
        return True
    return {">=": x >= bound, ">": x > bound, "<": x < bound, "<=": x <= bound}[op]


def _lookup(facts: dict, metric: str, subject: str | None) -> float | None:
    v = facts.get(metric)
    if isinstance(v, dict):
        if subject is None:
            return None
        for k, x in v.items():
            if k == subject or k in subject or subject in k:
                return x
        return None
    if v is None and subject:
        d = facts.get(subject)
        if isinstance(d, dict):
            return d.get(metric)
    return v


def rule_met(rule: GradingRule | Condition, facts: dict) -> bool:
    x = _lookup(facts, rule.metric, rule.subject)
    if x is None:
        return False
    if rule.op is None and rule.upper_op is None:
        return False
    upper_only = rule.op in (None, "<", "<=") and not (rule.op and rule.upper_op)
    if upper_only and x <= 0:  # "3人以下死亡" describes an event with deaths, not one without
        return False
    if not (_check(rule.op, rule.value, x) and _check(rule.upper_op, rule.upper, x)):
        return False
    return all(rule_met(c, facts) for c in getattr(rule, "conditions", []))


def evaluate(rules: list[GradingRule], facts: dict) -> tuple[str | None, GradingRule | None]:
    """Highest grade any of whose criteria is met, and the rule that fired (first in the plan)."""
    best: tuple[int, GradingRule] | None = None
    for r in rules:
        if rule_met(r, facts):
            rank = GRADE_RANK[r.grade]
            if best is None or rank > best[0]:
                best = (rank, r)
    return (best[1].grade, best[1]) if best else (None, None)


# ---------------------------------------------------------------------------------------------
# response levels
#
# A level is introduced by an anchor: a heading, paragraph or list item that opens with the level
# ("（二）四级响应", "### 5.2 Ⅳ级响应", "1. 一级响应：发生……时，由……决定启动", "3.2.1 一级响应（公司级）
# 启动条件，符合下列情形之一的："), or, inside a response-levels region (分级响应/响应分级/响应级别…, or
# the section that says "应急响应分为一级、二级……"), a sentence that ends by starting it ("符合下列情形
# 之一的，启动一级响应：", "……企业能够自行处置的，启动三级响应。"). The anchor's scope — the level's span —
# is its section for a heading, else the lines up to the next anchor, the next heading or the next item
# numbered like the anchor. Within the scope the start conditions are: the text after 启动条件; each
# item of a "下列情形之一" list, one entry per item (items written inline as （1）…（2）… are split); or
# the anchor's own condition clause ("发生较大事故时，由……启动" → "发生较大事故"). Qualitative conditions
# are kept as written. who_starts comes from "由……决定启动" (or "……视情启动", "……报请……启动") in the scope.
# Grades are the grade words the conditions use as grades (较大事故, 较大险情, 较大以上…事故 — not
# 较大范围, 重大危险源). Levels are 一级…四级 (Ⅰ级/I级/1级 normalised); a plan with named levels only
# (园区级响应/企业级响应) keeps the names as written, in the plan's order. When a level has more than one
# anchor (a later 响应措施 list that repeats 一级响应), the first anchor that yields conditions wins; a
# summary table (响应级别｜启动条件｜启动人) fills only what the text left empty.

LEVEL_WORDS = {"一": "一级", "二": "二级", "三": "三级", "四": "四级", "1": "一级", "2": "二级", "3": "三级",
               "4": "四级", "Ⅰ": "一级", "Ⅱ": "二级", "Ⅲ": "三级", "Ⅳ": "四级", "I": "一级", "II": "二级",
               "III": "三级", "IV": "四级"}
LEVEL_RANK = {"一级": 0, "二级": 1, "三级": 2, "四级": 3}
_LV = r"(?:[一二三四]|Ⅳ|Ⅲ|Ⅱ|Ⅰ|IV|III|II|I|[1-4])"
_LV_ONE = rf"(?<![A-Za-z\d]){_LV}级(?:\s*[（(][^（）()]{{1,10}}[）)])?"
_LV_MANY = rf"{_LV_ONE}(?:\s*(?:[、，,/和及与]|或者?)\s*{_LV_ONE})*"
# the level at the start of a heading or line: 一级响应, Ⅰ级应急响应, 一级、二级响应, 一级（公司级）响应
_LEAD = re.compile(rf"^(?P<lv>{_LV_MANY})\s*(?P<resp>(?:应急)?响应)?")
_NAMED_LEAD = re.compile(r"^(?P<lv>[\u4e00-\u9fff]{1,4}级)(?P<resp>(?:应急)?响应)")
_NOT_NAMED = re.compile(r"本级|上级|下级|同级|各级|分级|等级|相应|升级|降级|越级|逐级|该级|此级|[一二三四五六七八九十]级$")
# what may follow the level in a heading: （公司级）, 启动条件, 的启动标准 …
_TAIL = re.compile(r"\s*\**\s*(?:[（(][^（）()]{0,12}[）)])?\s*(?P<label>的?(?:启动)?(?:条件|标准)|启动)?"
                   r"\s*(?:[（(][^（）()]{0,12}[）)])?\s*\**")
_LINE_PREFIX = re.compile(
    r"^(?P<md>#{1,6}\s*)?(?:\*\*)?\s*(?P<num>第[一二三四五六七八九十百零〇\d]+[章节条]"
    r"|[（(][\d一二三四五六七八九十]{1,3}[）)]|\d{1,2}(?:\.\d{1,2})+\.?(?!\d)|\d{1,2}[.、．](?!\d)"
    r"|\d{1,2}(?=[\s\u3000])|[一二三四五六七八九十]{1,3}[、.．]|[①-⑳])?[\s\u3000]*(?:\*\*)?[\s\u3000]*")
_REGION_HEAD = re.compile(r"分级响应|响应分级|响应级别|分级对照|响应启动|启动条件|响应的启动|响应等级")
_REGION_INTRO = re.compile(r"响应(?:级别|等级)?[^。；;]{0,12}?(?:分为|设定为|划分为|设为|共分|包括)[^。；;]{0,30}?级"
                           r"|^(?:分级响应|响应分级)[。：:]")
_CONTEXT_HEAD = re.compile(r"响应|启动|分级")
_BLOCKED_HEAD = re.compile(r"预警|监测|演练|培训|宣传")
_COND_LABEL = re.compile(r"^(?:\d{1,2}[.、．]\s*)?(?:响应|应急响应)?(?:启动条件|启动标准|响应条件)(?:为|是)?\s*\**\s*[：:，,。]?\s*")
_OTHER_LABEL = re.compile(r"^(?:启动程序|响应程序|启动方式|启动权限|响应行动|响应措施|应急行动|处置措施|主要措施|工作措施"
                          r"|应急处置|响应内容|工作重点|主要任务)")
_LIST_INTRO_RE = re.compile(r"^[^。；;]{0,30}?(?:下列|以下|如下)[^。；;：:，,]{0,4}?(?:情形|情况|条件|事项|标准)"
                            r"(?P<one>[^。；;：:，,]{0,6}?(?:之一|任一|任何一))?[^。；;：:，,]{0,6}"
                            r"(?:[，,]\s*(?:(?:应当|应|可|即|立即)\s*)?启动[^。；;：:]{0,12})?\s*(?P<colon>[：:])?[。，,]?\s*")
_STARTS_LEVEL = re.compile(rf"启动\s*(?:本预案)?\s*(?P<lv>{_LV_MANY})\s*(?:应急)?响应")
_END_STARTS = re.compile(rf"^(?P<pre>.*?)[，,]\s*(?:(?:则|应当|应|可以|可|立即|即|并)\s*)*(?:决定)?启动\s*(?:本预案)?\s*"
                         rf"(?P<lv>{_LV_MANY})\s*(?:应急)?响应\s*(?P<sep>[：:。；;]|$)")
_COND_START = re.compile(r"^(?:初判|经研判|经评估|研判|经)?(?:本[市县区镇]|全[市县区]|辖区内?|[^，。；]{0,10}?)?"
                         r"(?:发生|出现|达到|超过|造成|符合|满足|预计|预报|可能|遭遇|遇|受到)"
                         r"|^(?:当|凡|因|如|若|接到|进入|发布)")
# where a condition ends and who starts it (or what is done) begins
_WHO_CUT = re.compile(r"[，,；;。]\s*(?:并|且|则)?\s*由(?=[^。；;]{0,40}?启动)|时[，,](?=[^。；;]{0,40}?启动)"
                      r"|[，,]\s*(?:(?:则|应当|应|可以|可|立即|即|并)\s*)*(?:决定)?启动"
                      r"|[，,](?=[^，,。；;]{0,24}?(?:报请|决定启动|宣布启动))|。")
_ENUM = re.compile(r"[（(]\d{1,2}[）)]|[①-⑳]")
_ITEM_STYLES = ("paren_num", "num", "circled", "paren_cn", "cn")
WHO_RE = re.compile(r"由([^，。；：]{2,40}?(?:报请[^，。；：]{2,30}?)?)(?:决定|宣布|批准|同意后|批准后)?启动")
WHO_RE2 = re.compile(r"([^，。；：]{2,20}?)(?:决定|宣布|视情)启动")
WHO_RE3 = re.compile(r"([^，。；：]{2,20}?)(?:立即|及时)?报请([^，。；：]{2,20}?)(?:决定|同意后|批准后)?启动")
_OWN_LEVEL_AFTER = re.compile(r"\s*(?:本级|本单位|本部门|县级|县（区）级|区级|镇级|乡镇级)")
_GRADE_NOUN = re.compile(r"事故|事件|灾害|灾情|险情|火灾|疫情|突发|污染|地震|案件|警情|等级|级别")
_NOT_GRADE_AFTER = re.compile(r"^(?:危险源|隐患|活动|节日|节假日|会议|变化|决策|事项|问题|范围|项目|工程|损失|影响|风险|危害"
                              r"|疾病|传染病|社会影响|保障|任务|情况|意义|部署|政治)")
_ROMAN_GRADE_IN = re.compile(r"(?<![A-Za-z])(Ⅳ|Ⅲ|Ⅱ|Ⅰ|IV|III|II|I)级(?:及?以上)?[^，,。；;]{0,12}?(?:事故|事件|灾害|险情)")


@dataclass
class ResponseLevel:
    level: str                     # 一级 … 四级 (or the plan's own name: 园区级, 企业级)
    grade: str | None              # first grade it maps to, when stated
    grades: list[str]
    start_conditions: list[dict]   # {"text", "span", "clause_index"}
    who_starts: str | None
    span: tuple[int, int]          # the level's whole section

    def to_json(self) -> dict:
        d = asdict(self)
        d["span"] = list(self.span)
        return d


def _split_levels(s: str) -> list[str]:
    """一级、二级 → [一级, 二级]; parenthesised names (公司级) are not levels of their own."""
    s = re.sub(r"[（(][^（）()]*[）)]", "", s)
    out = []
    for x in re.findall(rf"(?<![A-Za-z\d])({_LV})级", s):
        lv = LEVEL_WORDS[x]
        if lv not in out:
            out.append(lv)
    return out


def _grades_in(text: str) -> list[str]:
    """Grade words used as grades: 较大事故, 特别重大、重大突发事件, 较大以上…事故, 较大险情 — not
    较大范围, 重大危险源, 一般情况."""
    out = []
    for m in re.finditer(_GRADE_WORD, text):
        after = text[m.end():]
        chain = re.match(rf"(?:(?:[、，,]|或者?|和|及|以及|至)(?:{_GRADE_WORD}))*(?:及?以上|以下)?", after)
        rest = after[chain.end():]
        if _NOT_GRADE_AFTER.match(rest):
            continue
        seg = re.split(r"[，,。；;：:、（(）)]", rest, maxsplit=1)[0][:16]
        if _GRADE_NOUN.search(seg) and m.group() not in out:
            out.append(m.group())
    for m in _ROMAN_GRADE_IN.finditer(text):
        g = ROMAN_GRADE[m.group(1)]
        if g not in out:
            out.append(g)
    return out


def _who(text: str) -> str | None:
    """由A决定启动 → A; 由A报请B同意后启动 → "A报请B"; A视情启动 → A."""
    weak = None
    for m in WHO_RE.finditer(text):
        w = re.sub(r"在[^，。；]{2,30}?(?:统一)?(?:指挥|领导|指导)下$", "", m.group(1).strip()) or m.group(1).strip()
        if _OWN_LEVEL_AFTER.match(text[m.end():]):  # 由县（区）人民政府启动本级响应: not this plan's level
            weak = weak or w
            continue
        return w
    m = WHO_RE2.search(text)
    if m:
        w = re.sub(r"^(由|经)", "", re.split(r"[，,：:]", m.group(1))[-1].strip())
        if w:
            return w
    m = WHO_RE3.search(text)
    if m:
        return re.sub(r"^(由|经)", "", m.group(1).strip()) + "报请" + m.group(2).strip()
    return weak


def _prefix(line: str) -> tuple[str | None, int]:
    """Numbering style of a line (chapter, article, paren_cn, paren_num, num, dec3, md2 …) and the
    length of its numbering prefix."""
    m = _LINE_PREFIX.match(line)
    num = m.group("num")
    if m.group("md"):
        style = "md%d" % m.group("md").count("#")
    elif not num:
        style = None
    elif num.startswith("第"):
        style = {"章": "chapter", "节": "jie", "条": "article"}[num[-1]]
    elif num[0] in "（(":
        style = "paren_num" if num[1].isdigit() else "paren_cn"
    elif num[0] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        style = "circled"
    elif num[0].isdigit():
        depth = num.rstrip(".").count(".") + 1
        style = "num" if depth == 1 and num[-1] in ".、．" else f"dec{depth}"
    else:
        style = "cn"
    return style, m.end()


def _list_intro(s: str):
    """"出现下列情形之一的：", "符合下列条件之一的，启动一级响应：" — a list of alternatives follows."""
    m = _LIST_INTRO_RE.match(s)
    return m if m and (m.group("one") or m.group("colon")) else None


def _clean_piece(s: str, off: int) -> tuple[str, int, int] | None:
    """Strip separators and an inline item mark around a condition; (text, start, end) or None."""
    lead = re.match(r"^[\s\u3000：:，,。；;、*]*", s).end()
    m = re.match(r"(?:[（(]\d{1,2}[）)]|[①-⑳])[\s\u3000]*", s[lead:])
    if m:
        lead += m.end()
    body = s[lead:]
    body_end = len(body.rstrip(" \u3000\t：:，,。；;、*"))
    body = body[:body_end]
    if len(body) < 2:
        return None
    return body, off + lead, off + lead + len(body)


def _condition_pieces(frag: str, off: int, labelled: bool) -> tuple[list[tuple[str, int, int]], bool]:
    """Conditions in the text that follows a level or a 启动条件 label. Returns the pieces and whether
    a list of items is announced (出现下列情形之一的：) and still to come."""
    lead = re.match(r"^[\s\u3000：:，,。；;*]*", frag).end()
    frag, off = frag[lead:], off + lead
    lab = _COND_LABEL.match(frag)
    if lab and lab.end():
        labelled = True
        frag, off = frag[lab.end():], off + lab.end()
    intro = _list_intro(frag)
    if intro:
        rest, roff = frag[intro.end():], off + intro.end()
        if len(rest.strip(" \u3000：:，,。；;")) < 2:
            return [], True
        frag, off, labelled = rest, roff, True
    if not frag.strip():
        return [], labelled
    marks = list(_ENUM.finditer(frag))
    if len(marks) >= 2 and not frag[:marks[0].start()].strip(" \u3000：:，,"):
        pieces = []
        for i, mk in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(frag)
            part = frag[mk.start():end]
            if i + 1 == len(marks):
                cut = _WHO_CUT.search(part)
                part = part[:cut.start()] if cut else part
            p = _clean_piece(part, off + mk.start())
            if p:
                pieces.append(p)
        return pieces, False
    cut = _WHO_CUT.search(frag)
    part = frag[:cut.start()] if cut else frag
    if not labelled and not _COND_START.search(part[:24]):
        return [], False
    p = _clean_piece(part, off)
    return ([p] if p else []), False


@dataclass
class _Line:
    start: int
    end: int
    text: str
    style: str | None
    body_at: int                   # offset of the text after the numbering prefix, within text
    section: Section | None        # the section this line heads, else the clause's section
    heading: bool


@dataclass
class _Anchor:
    index: int                     # line index
    levels: list[str]
    rest: str                      # text after the level (and its tail) on the anchor line
    rest_at: int
    labelled: bool                 # the tail said 启动条件
    kind: str                      # "lead" (opens with the level) or "end" (…的，启动一级响应)
    tail_grades: list[str] = field(default_factory=list)
    end: int = -1


def _lines(outline: Outline) -> list[_Line]:
    text = outline.text
    heads = {sec.start: sec for sec, _ in outline.walk()}
    starts = [c.start for c in outline.clauses]
    out = []
    pos = 0
    for raw in text.split("\n"):
        s = raw.strip()
        if s:
            a = pos + len(raw) - len(raw.lstrip())
            sec = heads.get(a)
            if sec is None:
                i = bisect.bisect_right(starts, a) - 1
                sec = outline.clauses[i].section if i >= 0 and outline.clauses[i].start == a else None
            style, plen = _prefix(s)
            out.append(_Line(a, a + len(s), s, style, plen, sec, a in heads))
        pos += len(raw) + 1
    return out


def _parents(outline: Outline) -> dict[int, Section | None]:
    out: dict[int, Section | None] = {}

    def rec(nodes, parent):
        for s in nodes:
            out[id(s)] = parent
            rec(s.children, s)
    rec(outline.sections, None)
    return out


def _clause_at(outline: Outline, starts: list[int], pos: int, end: int) -> int:
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and outline.clauses[i].end >= end:
        return i
    return -1


def extract_response_levels(outline: Outline) -> list[ResponseLevel]:
    text = outline.text
    lines = _lines(outline)
    parents = _parents(outline)
    clause_starts = [c.start for c in outline.clauses]

    def chain(sec: Section | None, own: bool = True) -> list[Section]:
        out = []
        s = sec if own else (parents.get(id(sec)) if sec is not None else None)
        while s is not None:
            out.append(s)
            s = parents.get(id(s))
        return out

    # response-levels regions: 分级响应 headings and sections that say "应急响应分为……级"
    region_ids = set()
    for sec, _ in outline.walk():
        if _REGION_HEAD.search(sec.heading or ""):
            region_ids.add(id(sec))
    for c in outline.clauses:
        if c.section is not None and _REGION_INTRO.search(c.text):
            region_ids.add(id(c.section))

    level_secs: set[int] = set()  # sections holding a level anchor found so far

    def in_region(sec: Section | None, own: bool = True, siblings: bool = False) -> bool:
        secs = chain(sec, own)
        if any(id(s) in region_ids for s in secs):
            return True
        if siblings and sec is not None:
            # a level right after a short 响应分级 section or article, as its sibling, or after such levels
            parent = parents.get(id(sec))
            sibs = parent.children if parent is not None else outline.sections
            i = next((j for j, s in enumerate(sibs) if s is sec), 0)
            for s in reversed(sibs[:i]):
                if id(s) in region_ids:
                    return True
                if id(s) not in level_secs:
                    break
        return False

    def blocked(secs: list[Section]) -> bool:
        return any(_BLOCKED_HEAD.search(s.heading or "") for s in secs)

    # 1. anchors
    anchors: list[_Anchor] = []
    named: list[_Anchor] = []
    for li, ln in enumerate(lines):
        body = ln.text[ln.body_at:]
        if _is_table_line(ln.text):
            continue
        own = not ln.heading  # a heading's context is its parents; a paragraph's includes its section
        secs = chain(ln.section, own)
        if blocked(secs):
            continue
        lead = _LEAD.match(body)
        target = anchors
        if not lead:
            lead = _NAMED_LEAD.match(body)
            if lead and _NOT_NAMED.search(lead.group("lv")):
                lead = None
            target = named
        if lead:
            tail = _TAIL.match(body, lead.end())
            after = body[tail.end():]
            ends = not after.strip() or re.match(r"^[\s\u3000]*[：:。，,；;]", after)
            if not ends:
                lead = None
            elif not lead.group("resp"):
                # "Ⅰ级" alone: only a heading (or a labelled line) inside a response-levels region
                if not (in_region(ln.section, own, siblings=True) and (ln.heading or tail.group("label"))):
                    lead = None
            elif not ln.heading and not (in_region(ln.section, own)
                                         or any(_CONTEXT_HEAD.search(s.heading or "") for s in secs)):
                lead = None
            if lead:
                lv = (_split_levels(lead.group("lv")) if target is anchors else [lead.group("lv")])
                tail_text = body[:tail.end()]
                if ln.section is not None:
                    level_secs.add(id(ln.section))
                target.append(_Anchor(li, lv, after, ln.start + ln.body_at + tail.end(), bool(tail.group("label")),
                                      "lead", [g for g in _GRADE_WORD.split("|")
                                               if re.search(rf"[（(]{g}(?:事故|事件|灾害)?[）)]", tail_text)]))
                continue
        if not in_region(ln.section, own, siblings=True) or body.startswith("由"):
            continue
        mentions = _STARTS_LEVEL.findall(body)
        m = _END_STARTS.match(body)
        if m and len(mentions) == 1 and m.group("pre").strip():
            anchors.append(_Anchor(li, _split_levels(m.group("lv")), m.group("pre"), ln.start + ln.body_at,
                                   True, "end"))
            if ln.section is not None:
                level_secs.add(id(ln.section))
            if m.group("sep") in ("：", ":"):
                anchors[-1].rest = m.group("pre") + "："
    if not anchors:
        anchors = named

    # an anchor inside a heading anchor's section is part of that level unless it opens another level
    heads = [(lines[a.index].section, a) for a in anchors if lines[a.index].heading and a.kind == "lead"]
    kept = []
    for a in anchors:
        ln = lines[a.index]
        inside = [h for sec, h in heads if h is not a and sec.start < ln.start < sec.end]
        if inside and (a.kind == "end" or any(set(h.levels) & set(a.levels) for h in inside)):
            continue
        kept.append(a)
    anchors = sorted(kept, key=lambda a: a.index)

    # 2. scopes
    for k, a in enumerate(anchors):
        ln = lines[a.index]
        nxt = lines[anchors[k + 1].index].start if k + 1 < len(anchors) else len(text)
        if ln.heading:
            end = min(ln.section.end, nxt)
        else:
            end = min(ln.section.end if ln.section is not None else len(text), nxt)
            for other in lines[a.index + 1:]:
                if other.start >= end:
                    break
                if other.heading or (ln.style and other.style == ln.style):
                    end = other.start
                    break
        a.end = end

    # 3. conditions and who within each scope
    found: dict[str, list[dict]] = {}
    order: list[str] = []
    for a in anchors:
        conds: list[tuple[str, int, int]] = []
        who = _who(a.rest) if a.kind == "lead" else _who(lines[a.index].text)
        pieces, list_open = _condition_pieces(a.rest, a.rest_at, a.labelled)
        conds += pieces
        parent_style = lines[a.index].style
        item_style = None
        first = True
        for ln in lines[a.index + 1:]:
            if ln.start >= a.end:
                break
            if _is_table_line(ln.text):
                continue
            body = ln.text[ln.body_at:]
            body_at = ln.start + ln.body_at
            if _COND_LABEL.match(body):
                pieces, list_open = _condition_pieces(body, body_at, True)
                conds += pieces
                parent_style, item_style, first = ln.style, None, False
                who = who or _who(body)
                continue
            if _OTHER_LABEL.match(body):
                list_open = False
                who = who or _who(body)
                first = False
                continue
            if list_open:
                if _list_intro(body) and item_style is None and not ln.style:
                    pieces, list_open = _condition_pieces(body, body_at, True)
                    conds += pieces
                    continue
                if ln.style and ln.style != parent_style and item_style in (None, ln.style):
                    item_style, first = ln.style, False
                    p = _clean_piece(body, body_at)
                    if p:
                        conds.append(p)
                    continue
                list_open = False
            if _list_intro(body) and (first or not conds):
                pieces, list_open = _condition_pieces(body, body_at, True)
                conds += pieces
                parent_style, item_style = ln.style, None
            else:
                m = _END_STARTS.match(body)
                if m and set(_split_levels(m.group("lv"))) & set(a.levels) and not body.startswith("由"):
                    conds += _condition_pieces(m.group("pre"), body_at, True)[0]
                elif first and not conds and not body.startswith("由"):
                    pieces = _condition_pieces(body, body_at, False)[0]
                    conds += pieces
                    if pieces and ln.style in _ITEM_STYLES:  # items right under the level heading
                        list_open, parent_style, item_style = True, lines[a.index].style, ln.style
            who = who or _who(body)
            first = False
        cond_dicts = [{"text": t, "span": [s, e], "clause_index": _clause_at(outline, clause_starts, s, e)}
                      for t, s, e in conds]
        ln = lines[a.index]
        span = (ln.start if not ln.heading else ln.section.start, a.end)
        if not ln.heading:
            last = max((x.end for x in lines[a.index:] if x.start < a.end), default=ln.end)
            span = (ln.start, last)
        grades = []
        for c in cond_dicts:
            for g in _grades_in(c["text"]):
                if g not in grades:
                    grades.append(g)
        for g in a.tail_grades:
            if g not in grades:
                grades.append(g)
        for i, lv in enumerate(a.levels):
            cand = {"conds": cond_dicts, "who": who, "span": span, "grades": grades,
                    "grade": (grades[i] if len(a.levels) > 1 and len(grades) == len(a.levels) else
                              (grades[0] if grades else None))}
            if lv not in found:
                found[lv] = []
                order.append(lv)
            found[lv].append(cand)

    levels: dict[str, ResponseLevel] = {}
    for lv in order:
        cands = found[lv]
        best = next((c for c in cands if c["conds"]), cands[0])
        who = best["who"] or next((c["who"] for c in cands if c["who"]), None)
        levels[lv] = ResponseLevel(lv, best["grade"], list(best["grades"]), list(best["conds"]), who, best["span"])

    # 4. "X级响应由……决定启动" said apart from the level's conditions; grade mappings in the intro
    #    ("应对特别重大地震灾害，启动一级响应；应对重大……"); summary tables
    for ln in lines:
        body = ln.text[ln.body_at:]
        m = re.match(rf"^({_LV_MANY})\s*(?:应急)?响应(?:由|经)", body)
        if m:
            for lv in _split_levels(m.group(1)):
                if lv in levels and not levels[lv].who_starts:
                    levels[lv].who_starts = _who(body)
    mapping: dict[str, list[tuple[str, str, int, int]]] = {}
    tables: dict[str, dict] = {}
    header = None
    for ln in lines:
        if not in_region(ln.section, not ln.heading):
            continue
        t = ln.text
        if _is_table_line(t):
            cells = _cells(t, ln.start)
            if not cells or all(re.fullmatch(r"[-:：\s—]+", c[0]) for c in cells):
                continue
            lv = _split_levels(re.match(rf"^\s*({_LV_MANY})?", cells[0][0]).group(1) or "")
            if not lv:
                header = [c[0] for c in cells]
                continue
            for x in lv:
                row = tables.setdefault(x, {"conds": [], "who": None, "span": (ln.start, ln.end)})
                for j, (cell, at) in enumerate(cells[1:], start=1):
                    h = header[j] if header and j < len(header) else ""
                    if "条件" in h or "情形" in h:
                        for part in re.finditer(r"[^；;]+", cell):
                            p = _clean_piece(part.group(), at + part.start())
                            if p:
                                row["conds"].append({"text": p[0], "span": [p[1], p[2]],
                                                     "clause_index": _clause_at(outline, clause_starts, p[1], p[2])})
                    elif "启动" in h or "决定" in h:
                        row["who"] = row["who"] or cell
            continue
        for m in re.finditer(rf"((?:应对|发生)({_GRADE_WORD})[^，。；;]*?)[，,]\s*启动({_LV})级(?:应急)?响应", t):
            s = ln.start + m.start(1)
            mapping.setdefault(LEVEL_WORDS[m.group(3)], []).append((m.group(2), m.group(1), s, s + len(m.group(1))))
    for lv, rows in mapping.items():
        r = levels.get(lv)
        if r is None:
            a, b = rows[0][2], rows[0][3]
            r = levels[lv] = ResponseLevel(lv, None, [], [], None, (a, b))
        for g, cond, a, b in rows:
            if g not in r.grades:
                r.grades.append(g)
            if not r.start_conditions:
                r.start_conditions.append({"text": cond, "span": [a, b],
                                           "clause_index": _clause_at(outline, clause_starts, a, b)})
    for lv, row in tables.items():
        r = levels.get(lv)
        if r is None:
            r = levels[lv] = ResponseLevel(lv, None, [], [], None, row["span"])
        if not r.start_conditions:
            r.start_conditions = row["conds"]
            for c in row["conds"]:
                for g in _grades_in(c["text"]):
                    if g not in r.grades:
                        r.grades.append(g)
        r.who_starts = r.who_starts or row["who"]

    out = list(levels.values())
    for r in out:
        r.grade = r.grade if r.grade in r.grades else (r.grades[0] if r.grades else None)
    first_seen = {r.level: i for i, r in enumerate(out)}
    return sorted(out, key=lambda r: (LEVEL_RANK.get(r.level, 9), first_seen[r.level]))


# ---------------------------------------------------------------------------------------------
# measurements stated in a report, in the metric vocabulary of the grading rules

# dates and clock times are not quantities: 6月18日11时20分, 22时起, 8:50
_CLOCK = re.compile(r"\d{1,4}\s*[年月]\s*\d{0,2}\s*日?|\d{1,2}\s*日|\d{1,2}\s*[时点]\s*(?:\d{1,2}\s*分)?(?![^，。；]{0,2}(?:以上|以下))(?=[许起前后至到，。；、\s]|\d|$)|\d{1,2}:\d{2}")
_DIFF_BEFORE = re.compile(r"(超|超过|超出|高出|高于|低于|上涨|涨|回落|下降|降)[^，。；0-9０-９一二三四五六七八九十]{0,6}$")
_SENTENCE = re.compile(r"[。；;\n！!？?]")

# spoken forms of a quantity → the written form the scanner reads
_SPOKEN_NUM = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)"
_SPOKEN_UNITS = r"[万亿千百]?(?:人|名|户|吨|公斤|米|厘米|公里|亩|公顷|处|元|万元|例|小时|天|间|艘|辆)"


def _spoken_number(s: str) -> str:
    v = cn_to_number(s)
    return s if v is None else _fmt(v)


def normalise_report(text: str) -> str:
    """公分 → 厘米, 3个半小时 → 3.5小时, 两个多小时 → 2.5小时 ("more than two"), 十二个人 → 12人,
    3400余人 → 3400人 (a lower bound), 半小时 → 0.5小时."""
    t = text.replace("公分", "厘米").replace("钟头", "小时")

    def plus_half(m):
        v = cn_to_number(m.group(1))
        return m.group(0) if v is None else _fmt(v + 0.5)
    t = re.sub(_SPOKEN_NUM + r"\s*个?(?:半|多)(?=个?小时)", plus_half, t)
    t = re.sub(r"(?<![\d一二两三四五六七八九十.])半个?(?=小时)", "0.5", t)
    t = re.sub(_SPOKEN_NUM + r"\s*(?:多|余|来)?\s*个(?=小时|人)",
               lambda m: _spoken_number(m.group(1)), t)
    t = re.sub(r"(\d+(?:\.\d+)?)\s*(?:多|余|来)\s*(?=%s)" % _SPOKEN_UNITS, r"\1", t)
    t = re.sub(r"([一二两三四五六七八九十百千]+)\s*(?:多|余|来)\s*(?=%s)" % _SPOKEN_UNITS,
               lambda m: _spoken_number(m.group(1)), t)
    return t.replace("小时个", "小时")


# a revised figure: "由首报的约8吨修正为约15吨" → 15 replaces 8
_REVISED_FROM = re.compile(r"由(?:首报|初报|前报|上期|上报|原报|此前|早前|最初|前期)?(?:时)?的?\s*(?:约|近|超过)?\s*$")
_REVISED_TO = re.compile(r"(?:修正|核定|核增|核减|核实|调整|更正|上升|上调|下调|增加|增长|增|升|下降|减少|回落|降|减)"
                         r"(?:为|至|到)\s*(?:约|近|超过)?\s*$")
_CORRECTED_TO = re.compile(r"(?:修正|核定|核增|核减|核实|更正)(?:为|至)\s*(?:约|近|超过)?\s*$")
_LEVEL_METRICS = ("water_level_m", "reservoir_level_m", "tide_level_m")
_DEPTH_WORDS = re.compile(r"积水|水深|深度|最深|淹深|深约|深达|没过|淹没")
_HOURS_CONTEXT = (("water_source_cut_hours", r"取水|水源"), ("power_outage_hours", r"停电|断电"),
                  ("gas_outage_hours", r"停气|供气"), ("channel_closure_hours", r"断航|航道"),
                  ("road_closure_hours", r"中断通行|通行中断|封闭|封道|断交"),
                  ("waterlogging_hours", r"积水|内涝"))
_AREA = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:主城区|城区)|[\u4e00-\u9fff]{1,6}?[县区](?![域内])")
_CITYWIDE = re.compile(r"全市|全网|本市|市域|全县|全区")
# 剧毒化学品 (危险化学品目录 marks them 剧毒); a leak of one is also a toxic leak
TOXIC_CHEMICALS = re.compile(
    r"剧毒|液氯|氯气|氰化钠|氰化钾|氰化氢|氢氰酸|光气|碳酰氯|砷化氢|磷化氢|氟气|氯化氰|四乙基铅|羰基镍|"
    r"异氰酸甲酯|甲基异氰酸酯|三氧化二砷|砒霜|硒化氢|五羰基铁|氟乙酸钠|甲拌磷|对硫磷|涕灭威|硫酸二甲酯|丙酮氰醇|丙烯醛")


def _segment_before(sent: str, s0: int) -> str:
    cut = max((m.end() for m in re.finditer(r"[，,：:]", sent[:s0])), default=0)
    return sent[cut:s0]


def _report_metric(metric: str, subject: str | None, sent: str, s0: int, s1: int
                   ) -> tuple[str | None, str | None]:
    """A report's figure in rule vocabulary, read more strictly than a plan's criterion: a bare
    head count names no metric unless a casualty word sits just before it; a length is a level
    only next to 水位/潮位 or a gauge; a duration takes its kind from the sentence."""
    seg = _segment_before(sent, s0)
    if metric == "affected_people":
        if re.search(r"受灾|影响", seg + sent[s1:s1 + 6]):
            return metric, subject
        near = _near_key(_strip_parens(sent[max(0, s0 - 20):s0]))
        return (near, subject) if near not in (None, "affected_people") else (None, None)
    if metric in _LEVEL_METRICS or metric == "waterlogging_depth_m":
        if metric == "waterlogging_depth_m" or (_DEPTH_WORDS.search(seg) and not re.search("水位|潮位", seg)):
            return "waterlogging_depth_m", None
        if "潮位" in seg:
            return "tide_level_m", subject
        if "水位" in seg or subject:
            return metric, subject
        return None, None
    if metric.endswith("_hours"):
        subject = _subject(seg)  # a gauge named earlier in the sentence did not stop for hours
        if metric == "duration_hours":
            best = None
            for name, pat in _HOURS_CONTEXT:
                for m in re.finditer(pat, sent[:s0]):
                    if best is None or m.start() > best[0]:
                        best = (m.start(), name)
            if best:
                return best[1], subject
        return metric, subject
    if metric in ("power_users_pct", "power_load_loss_pct"):
        named = _subject(seg)
        if named:
            return metric, named
        if _CITYWIDE.search(seg):
            return metric, None
        area = _AREA.search(seg)
        return metric, (area.group(0) if area else subject)
    return metric, subject


def _report_items(sent: str):
    """(metric, op, value, subject, start, end) for each figure in one report sentence, conditions
    joined to a criterion included."""
    for metric, op, value, _uop, _up, _unit, subject, _scope, s0, s1, conds in _criteria(
            sent, Convention(), bare_is_lower=True):
        yield metric, op, value, subject, s0, s1
        pos = s1
        for c in conds:
            i = sent.find(c.text, pos) if c.text else -1
            if i < 0:
                continue
            pos = i + len(c.text)
            yield c.metric, c.op, c.value, c.subject, i, pos


@lru_cache(maxsize=64)
def _measure(text: str) -> tuple[dict, dict]:
    out: dict = {}
    revised: dict = {}
    text = normalise_report(_CLOCK.sub(lambda m: " " * len(m.group(0)), text))
    toxic = bool(TOXIC_CHEMICALS.search(text))
    for sent in _SENTENCE.split(text):
        superseded = False
        for metric, op, value, subject, s0, s1 in _report_items(sent):
            before = sent[max(0, s0 - 8):s0]
            if op not in (">=", ">") or value is None or \
                    (_DIFF_BEFORE.search(before) and not re.search(r"[至到达为]\s*$", before)):
                continue
            if _REVISED_FROM.search(sent[max(0, s0 - 12):s0]):
                superseded = True
                continue  # the superseded figure of a revision
            metric, subject = _report_metric(metric, subject, sent, s0, s1)
            if metric is None:
                continue
            if op == ">":  # "超过0.5米": more than the number itself
                value = value + 1e-6
            names = [metric] + (["toxic_leak_tonnes"] if metric == "leak_tonnes" and toxic else [])
            for name in names:
                # "由首报的28%上升至52%", "损失核定为620万元": the latest figure, not the largest
                if not subject and (_CORRECTED_TO.search(sent[max(0, s0 - 8):s0]) or
                                    superseded and _REVISED_TO.search(sent[max(0, s0 - 8):s0])):
                    revised[name] = value
                if subject:
                    slot = out.setdefault(name, {})
                    if not isinstance(slot, dict):
                        slot = out[name] = {"": slot}
                    slot[subject] = max(value, slot.get(subject, value))
                elif isinstance(out.get(name), dict):
                    out[name][""] = max(value, out[name].get("", value))
                else:
                    out[name] = max(value, out.get(name, value))
    for name, value in revised.items():
        if not isinstance(out.get(name), dict):
            out[name] = value
    return out, revised


def measurements(text: str) -> dict:
    """Quantities a report states, keyed like grading-rule metrics: {metric: value} or, for a
    metric measured at a named gauge or site, {metric: {subject: value}}. The largest figure per
    key wins, except a revised one (由首报的8吨修正为15吨 → 15); differences (超警戒水位0.3米) and
    upper bounds (无人员死亡) are not measurements."""
    return copy.deepcopy(_measure(text)[0])


def revised_figures(text: str) -> dict:
    """Figures a report states as revisions of earlier ones ({metric: latest value})."""
    return dict(_measure(text)[1])


# ---------------------------------------------------------------------------------------------
# criteria without numbers (决口, 取水中断, 厂外电源全部中断 …) read from a plan's grading clauses and
# matched against a report conservatively


def grading_items(outline: Outline) -> list[tuple[str, str, int]]:
    """(grade, text, start offset) of every grading clause, table rows cell by cell, graded the way
    `extract_grading_rules` grades them."""
    regions = grading_regions(outline)
    out: list[tuple[str, str, int]] = []
    state: dict[int, str | None] = {}
    for c in outline.clauses:
        if not any(a <= c.start < b for a, b in regions):
            continue
        line = c.text
        if _is_table_line(line):
            cells = _cells(line, c.start)
            g = heading_grade(cells[0][0]) if cells else None
            if g is not None:
                out.extend((g, cell, off) for cell, off in cells[1:])
            continue
        g, sets = line_grade(line)
        if g is not None and sets:
            state[id(c.section)] = g
        if g is None:
            g = state.get(id(c.section))
        if g is None:
            for s in _section_chain(c.section, outline):
                g = heading_grade(s.heading or "")
                if g or any(a == s.start for a, _ in regions) or _is_grading_heading(s):
                    break
        if g is not None:
            out.append((g, line, c.start))
    return out


# (event words in a criterion, words a report uses for it, role): "subject" events count only
# together with a named subject of the criterion (柴米河…堤防 决口); "self" events stand alone;
# "extra" events are further conditions (并有扩散趋势) that never match on their own
_EVENTS = (
    ("取水中断", "取水中断|停止取水|暂停取水", "subject"),
    ("决口|溃口|溃堤", "决口|溃口|溃堤|漫决", "subject"),
    ("垮坝|溃坝", "垮坝|溃坝", "subject"),
    ("全部中断|中断", "中断|全部失去", "subject"),
    ("倒塌|坍塌|垮塌", "倒塌|坍塌|垮塌|塌方|塌落", "subject"),
    ("损毁|毁坏", "损毁|毁坏|损坏|受损|冲毁|冲垮|掏空|塌", "subject"),
    ("险情", "险情|渗水|渗漏|管涌|漏洞|滑坡|裂缝|开裂|裂了|塌|掏空|变形|失灵|漫顶|漫溢|决口|溃", "subject"),
    ("溢油", "溢油|漏油|油膜|油污|油块|燃料油入海|原油入海", "subject"),
    ("污染", "污染|死鱼|发黑|异味|恶臭|超标", "subject"),
    ("泄漏|泄露", "泄漏|泄露|漏出|漏气|漏了|外溢|逸出", "subject"),
    ("爆炸|爆燃", "爆炸|爆燃", "subject"),
    ("受淹|淹没", "受淹|淹没|进水|漫进", "subject"),
    ("丢失|被盗", "丢失|被盗|失窃", "subject"),
    ("沉没|倾覆", "沉没|倾覆|翻沉", "subject"),
    ("不明原因疾病", "不明原因|病因不明|原因不明|病因仍不明|病因尚不明|病因未明", "self"),
    ("扩散|蔓延", "扩散|蔓延|波及", "extra"),
)
# kinds of place a criterion names by category, and what a report calls them
PLACE_CATEGORIES = {
    "餐饮场所": r"饭店|餐馆|餐厅|酒店|酒楼|火锅店|饭馆|小吃|烧烤|食堂|面馆|快餐",
    "人员密集场所": r"商场|超市|市场|学校|医院|车站|影院|剧院|体育馆|饭店|餐馆|餐厅|酒店|火锅店|宾馆|娱乐场所",
    "商业综合体": r"商业综合体|购物中心|商场|商业广场",
    "学校": r"学校|小学|中学|大学|学院|幼儿园|学生|班级",
    "医院": r"医院|卫生院|诊所",
    "托幼机构": r"幼儿园|托儿所|托育",
    "集体用餐配送单位": r"集体用餐|配送",
}
_GENERIC_TERMS = {"本市", "全市", "本县", "市级", "县级", "乡镇", "设区", "城市", "地区", "区域", "行政区域", "一般",
                  "主要", "重要", "船舶", "人员", "群众", "企业", "单位", "设施", "事故", "事件", "灾害", "一个",
                  "县（区）", "海域", "水域", "大量", "部分", "严重", "较大", "重大", "特别重大", "局部", "情况"}
_ITEM_LEAD = re.compile(r"^(?:\*\*)?\s*(?:[（(]?[\d一二三四五六七八九十]{1,3}[）)、.．]\s*)?(?:\*\*)?"
                        rf"(?:(?:{_GRADE_WORD})[\u4e00-\u9fff（）ⅠⅡⅢⅣ]{{0,14}}?[：:])?")
_CAUSE = re.compile(r"^(?:因|由于)[^，。；]{0,12}?(?:直接)?(?:造成|导致|引发|引起)")
_TERM_SPLIT = re.compile(r"[、，,（）()“”\"《》\s]|等|的|和|及|与|或者|或|在|发生|出现|造成|导致|引发|中任一座|任一|"
                         r"包括|其他|周边|附近|以上|以下|以内|因|内|并|且")
_CATCH_ALL = re.compile(r"尚未达到较大|未达到较大[^，。；]{0,12}(?:级别|标准)|尚未达到[^，。；]{0,12}(?:级别|标准)|其他一般")


def strip_item_lead(text: str) -> str:
    """A grading clause without its numbering and grade lead ("（3）", "2.重大：")."""
    return _ITEM_LEAD.sub("", text.strip(), count=1)


def is_catch_all(item: str) -> bool:
    """"对环境造成一定影响，尚未达到较大突发环境事件级别的": every event in scope is at least 一般."""
    return bool(_CATCH_ALL.search(item))


def states_harm(report: str) -> bool:
    """Whether a report states some harm or damage at all (what a catch-all 一般 criterion needs):
    one of the events criteria name, not negated ("未见死鱼，无异味" is none)."""
    return any(said(pat, report) for _crit, pat, role in _EVENTS if role != "extra")


_NEGATED = re.compile(r"(?:未|无|没有|没|不|未见|未发现|未出现|未造成|尚无|暂无)[\u4e00-\u9fff]{0,2}$")


def said(pattern: str, text: str) -> bool:
    """Whether the text states it (not "未见死鱼", "海堤未出现较大险情")."""
    return any(not _NEGATED.search(text[max(0, m.start() - 6):m.start()]) for m in re.finditer(pattern, text))


def _event_in(part: str):
    best = None
    for crit, report, role in _EVENTS:
        for m in re.finditer(crit, part):
            if best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1]):
                best = (m.start(), m.end(), report, role)
    return best


def _lcs(a: str, b: str) -> int:
    best, prev = 0, [0] * (len(b) + 1)
    for ch in a:
        cur = [0] * (len(b) + 1)
        for j, ch2 in enumerate(b, 1):
            if ch == ch2:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def _terms(subject: str, title: str = "") -> list[str]:
    out = []
    for t in _TERM_SPLIT.split(subject):
        t = t.strip()
        if len(t) >= 2 and t not in _GENERIC_TERMS and t not in title:
            out.append(t)
    return out


_ADMIN_QUALIFIER = re.compile(r"设区的市|省级|市级|县级|乡镇|城市|区域性|国家级|大型|中型|小型")


def _term_in(term: str, sent: str) -> bool:
    """A criterion's subject in a report sentence: as written, by category (餐饮场所 → 火锅店), or
    for a long name a shared run of 4+ characters, as long as the qualifiers that set the level
    (县级, 乡镇, 大型 …) are said too."""
    if term in sent:
        return True
    cat = PLACE_CATEGORIES.get(term)
    if cat and re.search(cat, sent):
        return True
    if any(q not in sent for q in _ADMIN_QUALIFIER.findall(term)):
        return False
    return len(term) >= 5 and _lcs(term, sent) >= 4


def qualitative_met(item: str, report: str, title: str = "") -> bool:
    """Whether a report meets a grading criterion stated without numbers. Conservative: every
    event the criterion names must be in the report, and one of them in the same sentence as a
    subject the criterion names (a river, 海堤, 取水口, a place category); criteria with figures
    are left to the numeric rules."""
    body = _ITEM_LEAD.sub("", item.strip(), count=1)
    if re.search(r"\d", body):
        return False
    sents = [s for s in _SENTENCE.split(report) if s.strip()]
    matched = False
    for part in re.split(r"[，,；;。]", body):
        part = _CAUSE.sub("", part.strip())
        ev = _event_in(part)
        if ev is None:
            continue
        start, _end, pat, role = ev
        if not said(pat, report):
            return False
        severity = re.search(r"(重大|较大|严重)险情", part)
        if severity and not said(severity.group(0), report):
            return False
        if matched or role == "extra":
            continue
        if role == "self":
            matched = True
            continue
        terms = _terms(part[:start], title)
        matched = any(said(pat, s) and any(_term_in(t, s) for t in terms) for s in sents)
    return matched


def criterion_items(text: str) -> list[str]:
    """Alternatives of one grading clause: split at "；" and at "，或（者）"."""
    return [x for x in re.split(r"[；;]|[，,]\s*或者?", text) if x.strip()]


# a criterion that names the kind of event it applies to: the report must be of that kind
GATES = (
    (r"职业中毒|职业病", r"职业|工业中毒|车间|作业|工作场所|生产装置|生产线"),
    (r"食物中毒|食源性", r"食物中毒|食源性|就餐|用餐|进食|食用|食堂|聚餐|餐|宴|流水席|饭菜|剩菜|留样|外卖|吃"),
    (r"预防接种|预防性服药", r"接种|疫苗|服药"),
    (r"高速公路", r"高速"),
)
_LISTED_EVENTS = {"碰撞": r"碰撞|相撞|擦碰|撞击", "触礁": r"触礁", "搁浅": r"搁浅", "火灾": r"火灾|起火|着火|火情|燃烧",
                  "爆炸": r"爆炸|爆燃", "泄漏": r"泄漏|泄露|漏出|漏气|漏了|外溢|逸出", "沉没": r"沉没|翻沉", "倾覆": r"倾覆|翻沉",
                  "进水": r"进水"}
_LISTED_RE = re.compile(r"发生((?:(?:%s)(?:、|，|或者|或|和|及)?){1,6})" % "|".join(_LISTED_EVENTS))


def gate_met(criterion: str, report: str) -> bool:
    """Whether a report is of the kind a criterion is limited to (食物中毒, 学校, 高速公路, a list of
    accidents "发生碰撞、触礁、火灾等险情")."""
    for crit, need in GATES:
        if re.search(crit, criterion) and not re.search(need, report):
            return False
    places = [pat for name, pat in PLACE_CATEGORIES.items() if name in criterion]  # 学校、医院等 …
    if places and not any(re.search(pat, report) for pat in places):
        return False
    m = _LISTED_RE.search(criterion)
    if m:
        kinds = [k for k in _LISTED_EVENTS if k in m.group(1)]
        if kinds and not any(re.search(_LISTED_EVENTS[k], report) for k in kinds):
            return False
    return True


_EXERCISE = re.compile(r"非真实|[【\[]?演[练习]信息|本信息为演[练习]|本次为演[练习]|系演[练习]|属演[练习]|为演[练习]，")


def subject_alternatives(subject: str, clause: str) -> list[str]:
    """A gauge or grid named in a list sharing its head: "海州区、连云区主城区电网" states the subject
    连云区主城区电网 and also 海州区主城区电网."""
    out = [subject]
    i = clause.find(subject)
    if i <= 0 or clause[i - 1] != "、":
        return out
    lst = []  # the list runs back from the subject while items are joined by 、
    pos = i - 1
    while pos > 0 and clause[pos] == "、":
        m = re.search(r"([\u4e00-\u9fff]{2,8})$", clause[:pos])
        if not m:
            break
        lst.insert(0, m.group(1))
        pos = m.start() - 1
    if not lst:
        return out
    last = lst[-1][-1]  # items end like the subject's own first item (区, 县, 站 …)
    j = subject.find(last)
    if j < 1 or j >= len(subject) - 1:
        return out
    head = subject[j + 1:]
    for item in lst:
        item = re.sub(r"^(?:其中|包括|以及)", "", item)
        out.append(item + head)
    return out


def is_exercise(report: str) -> bool:
    """A report announcing an exercise (演练/演习, 非真实事件) describes no incident to grade."""
    return bool(_EXERCISE.search(report))
