"""Understand an incoming incident report (信息快报, 短信, 转发, 续报 …).

``parse_report(text)`` returns a flat dict with the incident type, casualty figures, losses,
physical magnitudes, location, time, hazardous chemicals and organisations named in the text.
Everything not stated in the text is None (lists are empty).

Lexicons are data: ``nlp/resources/taxonomy.csv``, ``incident_keywords.csv``, ``chemicals.csv``,
``organisations.csv`` and a city gazetteer (see ``nlp.places``). They are loaded once, lazily.
"""
from __future__ import annotations

import csv
import os
import re
import threading
import time as _time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from nlp.numbers import NUMBER, cn_to_number, to_int
from nlp.places import EMPTY_LOCATION, admin_index, load_gazetteer, resolve_location

RESOURCES = Path(__file__).resolve().parent / "resources"
MAX_CHARS = 20_000

FIELDS = ("type_code", "type_name", "category", "deaths", "missing", "injured", "seriously_injured",
          "evacuated", "trapped", "direct_loss_wan", "magnitude", "burned_area_ha", "leak_tonnes",
          "location", "time", "hazards", "organisations")

_lock = threading.Lock()


# =============================================================================================
# Lexicons
# =============================================================================================

@dataclass
class TaxonomyEntry:
    code: str
    name: str
    category: str
    parent: str | None
    aliases: tuple[str, ...]


class Lexicons:
    def __init__(self, resources: Path = RESOURCES) -> None:
        self.taxonomy: dict[str, TaxonomyEntry] = {}
        for row in _rows(resources / "taxonomy.csv"):
            code = row["code"].strip()
            self.taxonomy[code] = TaxonomyEntry(
                code, row["name"].strip(), row["category"].strip(), (row.get("parent_code") or "").strip() or None,
                tuple(a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()))
        self.roots = {c for c, e in self.taxonomy.items() if e.parent is None}

        # surface → [(code, weight)]
        self.keywords: dict[str, list[tuple[str, float]]] = {}
        for row in _rows(resources / "incident_keywords.csv"):
            code, kw = row["type_code"].strip(), row["keyword"].strip()
            if code in self.taxonomy and kw:
                self._kw(kw, code, float(row.get("weight") or 1))
        for code, e in self.taxonomy.items():
            if code in self.roots:
                continue
            for surface in (e.name, *e.aliases):
                if len(surface) >= 2:
                    self._kw(surface, code, 3.0)
        from nlp.incident import EXTRA_KEYWORDS
        for code, kw, weight in EXTRA_KEYWORDS:
            if code in self.taxonomy:
                self._kw(kw, code, weight)
        self.keyword_re = _alternation(self.keywords)

        self.chemicals: dict[str, str] = {}     # surface → canonical name
        for row in _rows(resources / "chemicals.csv"):
            name = (row.get("name") or "").strip()
            if not name:
                continue
            self.chemicals.setdefault(name, name)
            for alias in re.split(r"[;；]", row.get("aliases") or ""):
                alias = alias.strip()
                # one-character aliases (氯, 氢, 钠) and bare numbers are too ambiguous
                if len(alias) >= 2 and not alias.isdigit():
                    self.chemicals.setdefault(alias, name)
        self.chemical_re = _alternation(self.chemicals)

        # organisation surface → (canonical, needs_prefix)
        self.organisations: dict[str, tuple[str, bool]] = {}
        for row in _rows(resources / "organisations.csv"):
            canonical = row["canonical"].strip()
            forms = [canonical] + [a.strip() for a in re.split(r"[;；]", (row.get("aliases") or "") + ";" +
                                                               (row.get("old_names") or "")) if a.strip()]
            for f in forms:
                if len(f) >= 2:
                    self.organisations.setdefault(f, (canonical, _org_needs_prefix(f, canonical)))
        self.organisation_re = _alternation(self.organisations)

    def _kw(self, surface: str, code: str, weight: float) -> None:
        lst = self.keywords.setdefault(surface, [])
        for i, (c, w) in enumerate(lst):
            if c == code:
                lst[i] = (c, max(w, weight))
                return
        lst.append((code, weight))

    def family(self, code: str) -> str:
        """The top non-root ancestor (A20401 → A20400, A21301 → A21300)."""
        cur = code
        while True:
            e = self.taxonomy.get(cur)
            if e is None or e.parent is None or e.parent in self.roots:
                return cur
            cur = e.parent


_ORG_SUFFIX = re.compile(r"(局|委|会|队|站|中心|部|办|司|院|所|团|厅|处|支队|大队|指挥部|政府)$")


def _org_needs_prefix(surface: str, canonical: str) -> bool:
    """Short or generic forms (消防, 公安, 政府, 交警) only count after a place prefix (市, 灌南县)."""
    if surface.startswith("委"):
        return True
    return len(surface) < 3 or not _ORG_SUFFIX.search(surface)


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _alternation(words: Iterable[str]) -> re.Pattern:
    alts = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alts))) if alts else re.compile(r"(?!x)x")


_lexicons: Lexicons | None = None


def lexicons() -> Lexicons:
    global _lexicons
    if _lexicons is None:
        with _lock:
            if _lexicons is None:
                _lexicons = Lexicons()
    return _lexicons


def warm_up(gazetteer: str | os.PathLike | None = None) -> None:
    """Load lexicons, gazetteer and jionlp now rather than on the first report."""
    lexicons()
    load_gazetteer(gazetteer)
    admin_index()
    parse_report("2024年1月1日8时，江苏省连云港市灌南县堆沟港镇一化工企业液氯储罐泄漏，市应急局到场，3人受伤。",
                 gazetteer=gazetteer)


# =============================================================================================
# Text preparation
# =============================================================================================

_FULLWIDTH = str.maketrans("０１２３４５６７８９．：（）％，；！？ＭＫｋｍｇ", "0123456789.:()%,;!?MKkmg")


def normalise(text: str) -> str:
    text = text.translate(_FULLWIDTH)
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    # drop spaces between CJK/digits ("3 人 死亡") but keep newlines
    text = re.sub(r"(?<=[\u4e00-\u9fff\d])[ \t]+(?=[\u4e00-\u9fff\d])", "", text)
    return text


# =============================================================================================
# Incident type
# =============================================================================================

# Supplementary keywords found missing from incident_keywords.csv while tuning on the benchmark
# and the CEEC news corpus (generic domain vocabulary; candidates to merge into the CSV).
EXTRA_KEYWORDS: list[tuple[str, str, float]] = [
    ("A10100", "排水防涝", 3), ("A10100", "防涝", 2), ("A10100", "排涝", 2), ("A10100", "泵站", 2),
    ("A10100", "下穿通道", 1),
    ("A20800", "擦碰", 3), ("A20800", "触礁", 3), ("A20800", "倾覆", 3), ("A20800", "弃船", 3),
    ("A21200", "扶梯", 2), ("A21200", "自动扶梯", 3), ("A21200", "游乐园", 2), ("A21200", "游乐设备", 3),
    ("A21200", "过山车", 3), ("A21200", "蒸汽锅炉", 3),
    ("A21400", "雾霾", 3), ("A21400", "重污染", 3), ("A21400", "空气质量", 2), ("A21400", "PM2.5", 3),
    ("A21400", "污染物", 2), ("A21400", "噪声", 3), ("A21400", "噪音", 3), ("A21400", "扰民", 2),
    ("A21400", "恶臭", 2), ("A21400", "油带", 2), ("A21400", "油膜", 1), ("A21400", "围油栏", 2),
    ("A21400", "收油机", 2), ("A21400", "烟雾事件", 3), ("A21400", "排入", 1), ("A21400", "有机废水", 2),
    ("A21400", "水源地", 2), ("A21400", "取水口", 2), ("A21400", "污染源", 2),
    ("A20300", "塔机", 3), ("A20300", "塔式起重机", 3), ("A20300", "在建", 2), ("A20300", "临边", 2),
    ("A20300", "坠落", 2), ("A20300", "住建", 2), ("A20300", "钢筋工", 2), ("A20300", "木工", 2),
    ("A20300", "架子工", 2), ("A20300", "停工", 2), ("A20300", "项目", 1), ("A20300", "下井", 1),
    ("A20300", "触电", 1),
    ("A30201", "流水席", 2), ("A30201", "上吐下泻", 2), ("A30201", "喜宴", 2), ("A30201", "酒席", 2),
    ("A30500", "病因不明", 3), ("A30500", "病因仍不明", 3), ("A30500", "原因待查", 2),
    ("A40400", "欠薪", 3), ("A40400", "拖欠工资", 3), ("A40400", "维稳", 3), ("A40400", "情绪激动", 2),
    ("A40400", "上访", 3), ("A40400", "游行", 2), ("A40400", "抗议", 2),
]

# Dominance rules for mixed incidents. Words are domain vocabulary, not city data.
HAZMAT_WORDS = re.compile(r"危险化学品|危化品|危险品|危险货物|化工|石化|炼化|槽罐车|罐车|槽车|储罐|罐区|反应釜|精馏|装置区|毒气|有毒气体|剧毒")
PLANT_WORDS = re.compile(r"化工(?:厂|企业|园区|公司|装置|有限公司|科技)|化学(?:品|工业)|石化|炼化|炼油|储罐|罐区|反应釜|精馏塔|装置区|生产装置|危险化学品|危化品")
TRANSPORT_WORDS = re.compile(r"槽罐车|罐车|槽车|危化品运输|危险货物运输|危运|运输车|货车|挂车|半挂|侧翻|追尾|相撞|高速|国道|省道")
RELEASE_WORDS = re.compile(r"泄漏|泄露|外泄|漏出|漏了|漏在|撒漏|洒漏|溢出|逸出|扩散|起火|着火|燃烧|爆炸|爆燃|闪爆")
NO_RELEASE = re.compile(r"(?:未|没有|无)(?:发生|造成|出现)?(?:泄漏|泄露|外泄|起火|着火|爆炸)")
GAS_WORDS = re.compile(r"燃气|天然气|液化气|液化石油气|煤气|瓦斯罐|钢瓶|调压|燃气管道")
PREMISES_WORDS = re.compile(r"餐馆|饭店|餐厅|酒店|烧烤|小吃|后厨|厨房|居民|住宅|小区|门面|商铺|用户|楼|市场|管道|管线")
FOOD_WORDS = re.compile(r"食物中毒|食堂|就餐|聚餐|进食|食用|婚宴|宴席|喜宴|流水席|酒席|午餐|晚餐|早餐|盒饭|外卖|饭菜|餐食|凉拌|剩菜|留样")
ILLNESS_WORDS = re.compile(r"中毒|腹泻|呕吐|腹痛|恶心|发热|送医|就诊|上吐下泻|急诊")
INFECTION_WORDS = re.compile(r"病毒|阳性|确诊|传染|疫情|病例|密切接触|隔离")
CRASH_WORDS = re.compile(r"相撞|追尾|侧翻|碰撞|翻车|车祸|撞|刮擦|碾压|坠|冲出|失控|交通事故")
VESSEL_ACCIDENT = re.compile(r"碰撞|擦碰|相撞|倾覆|翻沉|沉没|搁浅|触礁|落水|失火|起火|进水|遇险|故障|走锚|弃船|失联|漂流|机舱")
RADIATION_WORDS = re.compile(r"辐射|放射|剂量|核泄漏|应急待命|厂房应急|场区应急|场外应急|机组|反应堆|停堆|碘片|核事故|核应急")
SHIP_WORDS = re.compile(r"化学品船|油轮|货船|船舶|散货船|液货船|锚地|锚泊|海域|航道")
CONSTRUCTION_WORDS = re.compile(r"在建|施工|工地|项目部|住宅项目|工程项目|住建|塔机|脚手架|基坑|雨污分流|管网工程")
EQUIPMENT_WORDS = re.compile(r"锅炉|压力容器|电梯|扶梯|起重机|塔吊|游乐|气瓶|压力管道|索道")
NEGATION = re.compile(r"(?:无|未|没有|排除|未见|未发现|并非|不是|没)[^，。；,;]{0,3}$")
FUEL_GASES = {"天然气", "液化石油气", "甲烷", "一氧化碳"}
MOTOR_FUELS = {"汽油", "柴油", "煤油"}
# families whose accidents in a chemical plant go under the hazardous-chemicals plan
PLANT_FAMILIES = {"A20600", "A21600", "A21200", "A20500", "A30300", "A20300"}
NATURAL_OVER_ROAD = {"A10400", "A10300", "A10100", "A10200", "A10600"}

# Families whose sub-codes are scenarios of one plan: report the family code.
SCENARIO_FAMILIES = {"A20400"}

HAZMAT, GAS, FOOD = "A20400", "A21301", "A30201"


def _lead(text: str) -> str:
    first = text.split("\n", 1)[0]
    return first if 4 <= len(first) <= 200 else text[:150]


def _place_spans(text: str) -> list[tuple[int, int]]:
    gaz = load_gazetteer()
    if gaz is None:
        return []
    return [(pos, pos + len(surface)) for pos, surface, _ in gaz.find(text)]


def _keyword_hits(text: str):
    """(surface, weight factor) per keyword mention: negated mentions are dropped, mentions that
    are only part of a place name (田湾核电站, 堆沟港化工园区) and one-character keywords count little."""
    lex = lexicons()
    spans = _place_spans(text)
    for m in lex.keyword_re.finditer(text):
        surface = m.group(0)
        if surface.isdigit() and (text[m.start() - 1:m.start()].isdigit() or text[m.end():m.end() + 1].isdigit()):
            continue                      # 119 inside a phone number
        if NEGATION.search(text[max(0, m.start() - 6):m.start()]):
            continue
        factor = 1.0
        if any(a <= m.start() and m.end() <= b for a, b in spans):
            factor = 0.25
        if len(surface) == 1:
            factor *= 0.5
        yield m.start(), surface, factor


def score_types(text: str) -> dict[str, float]:
    """Weighted keyword score per taxonomy code (lead/title mentions count once more)."""
    return _score(text)[0]


def _score(text: str) -> tuple[dict[str, float], dict[str, float]]:
    lex = lexicons()
    lead_len = len(_lead(text)) if text.startswith(_lead(text)) else 0
    per_surface: dict[str, list[float]] = {}
    for pos, surface, factor in _keyword_hits(text):
        lst = per_surface.setdefault(surface, [])
        if len(lst) < 3:
            lst.append(factor)
        if pos < lead_len and len(lst) < 4:
            lst.append(factor)
    scores: dict[str, float] = {}
    fam_scores: dict[str, float] = {}
    for surface, factors in per_surface.items():
        n = sum(factors)
        fam_best: dict[str, float] = {}
        for code, weight in lex.keywords[surface]:
            scores[code] = scores.get(code, 0.0) + weight * n
            fam = lex.family(code)
            fam_best[fam] = max(fam_best.get(fam, 0.0), weight * n)
        for fam, v in fam_best.items():
            fam_scores[fam] = fam_scores.get(fam, 0.0) + v
    return scores, fam_scores


def classify(text: str, hazards: list[str] | None = None) -> str | None:
    """The taxonomy code for ``text`` (None when nothing matches).

    Weighted keyword scores are summed per family (a keyword counts once per family); then the
    dominant hazard decides mixed incidents: chemicals released from a vehicle → 危险化学品; a
    fire or explosion in a chemical plant → 危险化学品; gas in premises → 城镇燃气; food
    poisoning → 食品安全; a road blocked by a landslide → 地质灾害; an oil spill without a vessel
    accident → 环境污染.
    """
    lex = lexicons()
    scores, fam_scores = _score(text)
    if not fam_scores:
        return None
    ranked = sorted(fam_scores, key=fam_scores.get, reverse=True)
    top = ranked[0]

    hazards = hazards if hazards is not None else find_hazards(text)
    chem = [h for h in hazards if h not in FUEL_GASES and h not in MOTOR_FUELS]
    fuel_gas = [h for h in hazards if h in FUEL_GASES]
    release = len(RELEASE_WORDS.findall(text)) > len(NO_RELEASE.findall(text))
    plant_ctx = bool(PLANT_WORDS.search(text))
    transport_ctx = bool(TRANSPORT_WORDS.search(text))
    gas_ctx = bool(fuel_gas) or bool(GAS_WORDS.search(text))
    meal_ctx = bool(FOOD_WORDS.search(text))
    food_ctx = meal_ctx and bool(ILLNESS_WORDS.search(text))
    haz_score = fam_scores.get(HAZMAT, 0.0)
    gas_fam = lex.family(GAS) if GAS in lex.taxonomy else None
    food_fam = lex.family(FOOD) if FOOD in lex.taxonomy else None

    def runner_up(exclude: set[str], among: set[str] | None = None) -> str | None:
        for f in ranked[1:]:
            if f not in exclude and (among is None or f in among) and fam_scores[f] > 0:
                return f
        return None

    fam = top
    # food poisoning is a food-safety event, whatever else is mentioned (symptoms, 中毒, 户)
    if food_fam and food_ctx and fam_scores.get(food_fam, 0) > 0 and not (plant_ctx and chem) \
            and not (INFECTION_WORDS.search(text) and fam_scores.get("A30100", 0) > fam_scores.get(food_fam, 0)):
        fam = food_fam
    # vomiting pupils with a virus and no meal → infectious disease
    elif top == food_fam and not meal_ctx and INFECTION_WORDS.search(text) and fam_scores.get("A30100", 0) > 0:
        fam = "A30100"
    # a road vehicle carrying chemicals that releases them → hazardous chemicals
    elif top in ("A20700", "A20900") and release and (chem or HAZMAT_WORDS.search(text)) \
            and not (gas_ctx and not chem and not transport_ctx):
        fam = HAZMAT
    # chemicals leaking aboard a ship at sea → the maritime search-and-rescue plan acts first
    elif top == HAZMAT and SHIP_WORDS.search(text) and fam_scores.get("A20800", 0) >= 3 and not plant_ctx:
        fam = "A20800"
    # a road "accident" with no crash: the natural hazard or the other event is the incident
    elif top == "A20700" and not CRASH_WORDS.search(text) and runner_up({"A20700"}):
        fam = runner_up({"A20700"})
    # a vessel without a vessel accident: an oil spill is pollution
    elif top == "A20800" and not VESSEL_ACCIDENT.search(text) and fam_scores.get("A21400", 0) > 0:
        fam = "A21400"
    # a nuclear site named only as a landmark
    elif top == "A21500" and not RADIATION_WORDS.search(text) and runner_up({"A21500"}):
        fam = runner_up({"A21500"})
    # gas explosion / leak in premises, pipes or homes → 城镇燃气, unless in a chemical plant
    elif gas_fam and gas_ctx and not (plant_ctx and chem) and not (chem and transport_ctx) and \
            top in PLANT_FAMILIES | {HAZMAT, gas_fam} and fam_scores.get(gas_fam, 0) > 0 and \
            (PREMISES_WORDS.search(text) or top == gas_fam):
        fam = gas_fam
    # boilers, lifts, cranes, rides outside chemical plants → special equipment
    elif top in {HAZMAT, "A20600", "A21600"} and EQUIPMENT_WORDS.search(text) and \
            fam_scores.get("A21200", 0) > 0 and not plant_ctx and not chem and not CONSTRUCTION_WORDS.search(text):
        fam = "A21200"
    # workers poisoned or hurt on a construction site (not a plant) → construction safety
    elif top in {HAZMAT, "A21200", "A21303", "A21600"} and CONSTRUCTION_WORDS.search(text) and \
            fam_scores.get("A20300", 0) > 0 and not plant_ctx and not transport_ctx:
        fam = "A20300"
    # fire, explosion, poisoning or equipment failure in a chemical setting → hazardous chemicals
    elif top in PLANT_FAMILIES and haz_score > 0 and (plant_ctx or (chem and release)):
        fam = HAZMAT
    # earthquakes: a stated magnitude is decisive
    if fam != "A10300" and "A10300" in lex.taxonomy and re.search(r"\d(?:\.\d)?级(?:[^，。；]{0,3})地震|里氏|震级", text):
        fam = "A10300"
    return _specific_code(fam, scores)


def _specific_code(family: str, scores: dict[str, float]) -> str:
    """Most specific code inside ``family`` that the text supports (A21301 rather than A21300)."""
    lex = lexicons()
    if family in SCENARIO_FAMILIES:
        return family
    children = [c for c, e in lex.taxonomy.items() if e.parent == family]
    best = max(children, key=lambda c: scores.get(c, 0.0), default=None)
    if best is not None and scores.get(best, 0.0) > 0:
        return best
    return family


# =============================================================================================
# Numbers: casualties, losses, magnitudes
# =============================================================================================

N = rf"(?P<n>{NUMBER})(?:余|多|来|左右)?"
_NOUNS = (r"(?:作业人员|施工人员|人员|人|群众|居民|村民|学生|师生|工人|员工|职工|乘客|游客|船员|渔民|司机|驾驶员|民工|"
          r"儿童|患者|病人|顾客|食客|住户|孩子|幼儿|老人|女性|男性|男子|女子|护林员|养殖户|农民|外操|同事|旅客|病例|感染者)")
WHO = rf"(?:(?:名|位|个|例){_NOUNS}?|{_NOUNS})"
GAP = r"(?:[^，。；,;、\d（(其]{0,3}?)"
LONG_GAP = r"(?:(?!死亡|遇难|身亡|失踪|人|名)[^，。；,;、\d（(其]){0,14}?"
UPD = r"(?:人数)?(?:已|现已|目前已|累计|共|共计|合计|总计)?(?:升至|增至|上升到|上升至|增加到|增加至|上升为|增加为|达到|达|为|是|有)?(?:约|近|超过|超)?"
ADV = r"(?:当场|已|已经|不幸|经抢救无效|抢救无效|送医后|先后|相继|均|全部|不同程度|轻度|轻微)?"
INJURY = r"(?:受伤|负伤|烧伤|烫伤|灼伤|砸伤|擦伤|摔伤|划伤|撞伤|压伤|割伤|咬伤|冻伤|刺伤|挤伤|扭伤|伤)"
SYMPTOM = r"(?:吸入|中毒|症状|不适|送医|就医|就诊|急诊|呕吐|腹泻|腹痛|恶心|发热|高热|头晕|头痛|胸闷|中暑|皮疹|发病|上吐下泻)"
BACK_GAP = r"(?:[^，。；,;\d]{0,6}?)"
# a clause-crossing gap between a counted person and an unmistakable outcome further on
# ("一名木工从18层临边坠落，当场死亡"); it never runs over another head count or casualty word
_OTHER_COUNT = rf"{NUMBER}(?:名|人|位|个|例)"
FAR_GAP = rf"(?:(?!死亡|遇难|身亡|{_OTHER_COUNT})[^。；;]){{0,40}}?"
FAR_GAP_STRICT = rf"(?:(?!死|亡|遇难|伤|失踪|失联|下落不明|被困|无|没|另|其余|还有|救起|救出|获救|找到|报警|来电|反映|{_OTHER_COUNT})[^。；;]){{0,40}}?"
INJURY_STRONG = r"(?<!未)(?:受伤|负伤|烧伤|烫伤|灼伤|砸伤|擦伤|摔伤|划伤|撞伤|压伤|割伤|咬伤|冻伤|刺伤|挤伤|扭伤|挫伤|蹭伤|骨折)"
# one person named by role, counted as 1 ("户主手部轻度烧伤", "驾驶人和一名乘客下落不明")
SINGLE = r"(?:驾驶人|驾驶员|司机|轮机长|船长|押运员|户主|店主|车主|房主|该村民|该员工|该男子|该女子)"

_PATTERNS: list[tuple[str, str]] = [
    # (field, regex) – matches are sorted by position; at one number the field earlier here wins
    ("deaths_injured", rf"(?P<n>{NUMBER})死(?P<n2>{NUMBER})伤"),
    ("deaths", rf"{N}{WHO}{GAP}{ADV}(?:死亡|遇难|身亡|罹难|丧生|殒命)"),
    ("deaths", rf"(?:死亡|遇难|身亡|罹难)(?:者|人员)?{UPD}{N}(?:名|人|位|例)"),
    ("missing", rf"{N}{WHO}{GAP}{ADV}(?:失踪|失联|下落不明)"),
    ("missing", rf"(?:失踪|失联)(?:者|人员)?{UPD}{N}(?:名|人|位)"),
    ("serious", rf"{N}{WHO}{GAP}{ADV}(?:重伤|受重伤|伤重|伤势较重|伤势严重|伤势危重|伤情较重|伤情严重|危重|病危|重度中毒|重症)"),
    ("serious", rf"{N}{WHO}{LONG_GAP}(?:严重|重度)(?:烧伤|烫伤|灼伤|冻伤|砸伤|摔伤|撞伤|压伤|受伤)"),
    ("serious", rf"(?:重伤|重症|危重|伤势较重|重度中毒)(?:患者|病例|人员|员)?{UPD}{N}(?:名|人|位|例)"),
    ("serious", rf"{N}{WHO}(?:[^，。；,;\d（(]{{0,8}}?)[（(](?:均为|均系)?重伤[）)]"),
    ("deaths", rf"{N}{WHO}{FAR_GAP}(?:(?:经)?抢救无效(?:[^，。；,;]{{0,10}}?)|当场|确认|证实|不幸)(?:死亡|身亡|遇难)"),
    ("deaths", rf"{N}{WHO}{FAR_GAP}(?:已经|已)?无生命体征"),
    ("light", rf"{N}{WHO}{GAP}{ADV}(?:轻伤|受轻伤|轻微伤|轻度中毒|轻症)"),
    ("light", rf"(?:轻伤|轻症|轻微伤){UPD}{N}(?:名|人|位|例)"),
    ("injured", rf"{N}{WHO}{LONG_GAP}{ADV}{INJURY}(?![亡员者])"),
    ("injured", rf"(?:受伤|伤者|伤员){UPD}{N}(?:名|人|位)"),
    ("one_injured", rf"(?P<n>{SINGLE}){GAP}{ADV}(?:受轻伤|轻伤|受伤|烧伤|烫伤|摔伤|擦伤|砸伤|冻伤)"),
    ("one_death", rf"(?P<n>驾驶人|驾驶员|司机|该村民|该员工|该男子|该女子)[^。；;]{{0,14}}?(?:抢救无效死亡|当场死亡|不幸身亡|经抢救无效)"),
    ("injured", rf"(?<![死亡重轻])伤{N}(?:名|人)"),
    ("trapped", rf"{N}{WHO}{GAP}(?:被困|受困|被埋|被压)"),
    ("trapped", rf"(?:被困|受困|被埋|被压|困){UPD}{N}(?:名|人|位)"),
    ("poisoned", rf"{N}{WHO}(?:[^，。；,;\d]{{0,12}}?){SYMPTOM}"),
    ("poisoned", rf"(?:中毒|不适|发病|就医|送医|就诊|接诊|病例|患者|急诊){BACK_GAP}{UPD}{N}(?:名|人|位|例)"),
    ("poisoned", rf"{N}例(?:[^，。；,;\d]{{0,8}}?)(?:病例|患者|感染者)"),
    ("hospital", rf"{N}{WHO}{GAP}(?:住院|留观|留院|入院)"),
    ("hospital", rf"(?:住院|留观|留院观察|入院){UPD}{N}(?:名|人|位|例)"),
    # people rescued and taken to hospital count as injured when nothing else is said
    ("hospital", rf"(?:救起|救出|获救)(?:了)?{N}(?:名|人|位){_NOUNS}?(?:[^。；;\d]{{0,16}}?)(?:送医|已送|送往|送至|医院|救治)"),
    ("hospital", rf"{N}{WHO}{GAP}(?:被救出|被救起|获救|救出|救起)(?:[^。；;\d]{{0,12}}?)(?:送医|已送|送往|送至|医院|救治|骨折|受伤)"),
    ("evacuated", rf"(?:疏散|转移|撤离|安置|疏导)(?:了)?(?:[^，。；,;\d]|\d+(?:余|多)?户){{0,12}}?(?:[，,]?截至[^，。；,;]{{1,12}}?[时日分][，,]?)?(?:约|近|共|共计|累计|超过|超)?{N}(?:名|人)(?!次)"),
    ("evacuated", rf"{N}(?:名|人){_NOUNS}?(?:[^，。；,;、\d]{{0,4}}?)(?:被|已|已被|紧急|安全|已安全)?(?:疏散|转移|撤离)"),
    ("update", rf"(?:已|现已|目前已|人数)?(?:升至|增至|上升到|上升至|增加到|增加至|上升为|增加为)(?:约)?{N}(?:名|人|位|例)"),
    ("update", rf"(?:累计|共计|总计)(?:有|达)?{N}(?:名|人|例)"),
    # clause-crossing forms rank last: any closer reading of the number wins
    ("far_injured", rf"{N}{WHO}{FAR_GAP_STRICT}{INJURY_STRONG}(?![^，。；,;]{{0,2}}{_OTHER_COUNT})"),
    ("far_missing", rf"{N}{WHO}{FAR_GAP_STRICT}(?:已|仍|目前仍)?(?:失联|失踪|下落不明)(?![^，。；,;]{{0,2}}{_OTHER_COUNT})"),
]
_FAR_FIELDS = {"far_injured": "injured", "far_missing": "missing"}
_PRIORITY = {f: i for i, f in enumerate(dict.fromkeys(f for f, _ in _PATTERNS))}
_COMPILED = [(f, re.compile(p)) for f, p in _PATTERNS]
# Explicit statements that a figure is zero ("无人员伤亡", "未造成人员死亡、失踪", "没有人受伤"); they
# fill only fields the report gives no number for. A field the report says nothing about stays None.
_ZERO_TERMS: dict[str, tuple[str, ...]] = {
    "伤亡": ("deaths", "injured"), "死伤": ("deaths", "injured"),
    "死亡": ("deaths",), "遇难": ("deaths",), "身亡": ("deaths",),
    "受伤": ("injured",), "中毒": ("injured",), "不适": ("injured",), "发病": ("injured",),
    "重伤": ("seriously_injured",), "失踪": ("missing",), "失联": ("missing",),
    "被困": ("trapped",), "受困": ("trapped",),
    "重症": (), "危重": (), "住院": (),          # illness grades: no statement about injuries
}
_ZERO_TERM = "(?:" + "|".join(sorted(_ZERO_TERMS, key=len, reverse=True)) + ")"
_ZERO_TERM_RE = re.compile(_ZERO_TERM)
_ZERO_NEG = (r"(?<!有)(?:无任何|无(?!法|论|须|需|关|意|效|人机)|没有|没|未造成|未发生|未导致|未致|未引起|暂无|暂未发现|"
             r"未发现|未见|未有|未收到|未接到|未出现|并无|尚无|均无|均未|都未)")
_ZERO_RE = re.compile(
    rf"{_ZERO_NEG}(?:造成|发生|出现|导致|引起|收到|接到|发现)?(?:任何)?"
    rf"(?:[^，。；,;、\s\d]{{1,6}}?(?:和|及|、|与))?"          # 未发现房屋损坏和人员伤亡
    rf"(?:一)?(?:受照)?(?:名?{_NOUNS})?(?:的|受照)?{_ZERO_TERM}(?:(?:、|和|及|或|与|/)?{_ZERO_TERM})*")
# colloquial all-clear: 人都没事, 船员均安全, "…，船员安全。" (not 确保人员安全, 确保群众和游客安全)
_SAFE_RE = re.compile(
    rf"(?<!确保)(?<!保障)(?<!保证)(?<!注意)(?<!关注)(?<!危及)(?<!威胁)(?<!保护)(?<!生命)"
    rf"{_NOUNS}(?:都|均|全部|全都|也都|均已|都已)(?:没事|没有事|平安|安全|无恙|无碍|好(?![转些多像]))"
    rf"|(?:^|(?<=[，,:：]))(?:船上|车上|现场)?(?:所有|全体|其他|其余|其它)?{_NOUNS}(?:没事|平安|安全|无恙)(?=[，。；,;!！\s]|$)")
_QUESTION = re.compile(r"(?:吗|呢)$")
# missing people who were found (dead or alive): 找到2名失联人员, 失联的1名检修工…在管廊下找到
_NOT_BEFORE_FOUND = r"(?<![未没])(?<!未能)(?<!没能)(?<!没有)"
_FOUND_RES = [
    re.compile(rf"{_NOT_BEFORE_FOUND}(?:找到|寻获|找回|发现|打捞出|打捞起|救出|救起|搜救出|搜寻到)(?:了)?"
               rf"(?:{N}(?:名|位|个)?)?(?:失踪|失联)(?:的)?(?:人员|者|{_NOUNS})?"),
    re.compile(rf"(?:失踪|失联|下落不明)(?:的)?(?:人员|者|{_NOUNS})?(?:[^。；;]{{0,24}}?)(?:均|全部|都|已|被)*"
               rf"{_NOT_BEFORE_FOUND}(?:找到|寻获|找回|获救|救出|救起|被发现|生还|脱险)(?:{N}(?:名|人|位))?"),
]
_SINGLE_AND = re.compile(rf"{SINGLE}(?:和|与|及|、)$")
_LIGHT_ONLY = re.compile(r"轻伤|轻微伤|轻度(?:烧伤|烫伤|灼伤|冻伤|擦伤|受伤)|轻微(?:擦伤|受伤|划伤)|皮外伤|"
                         r"(?:均为|都是|均系|均属)轻度")
_FIELD_WORDS = [("deaths", re.compile(r"死亡|遇难|身亡|罹难")), ("missing", re.compile(r"失踪|失联")),
                ("serious", re.compile(r"重伤|重症|危重")), ("injured", re.compile(r"受伤|伤者|伤员|伤")),
                ("poisoned", re.compile(r"中毒|不适|就医|送医|症状|发病|患病|病例|就诊|急诊")),
                ("trapped", re.compile(r"被困|受困")), ("evacuated", re.compile(r"疏散|转移|撤离"))]
_SENT_SPLIT = re.compile(r"[。！？!?；;\n]")
_NOT_PEOPLE_BEFORE = re.compile(r"(?:第|级|号|年|月|日|时|点|分|秒|米|公里|千米|km|吨|辆|艘|户|间|栋|处|(?<!救)起|次|个)$")
_EARLIER_FIGURE = re.compile(r"(?:首报|前报|初报|原报|上报|此前|上期|昨日首报|由)[^，。；,;\d]{0,3}$")
_PERSON_NOTE = re.compile(r"[（(](?:男|女)[^）)]{0,12}[）)]|[（(]\d{1,3}岁[）)]|\d{1,3}岁(?=[\u4e00-\u9fff])|[（(](?![^）)]*(?:伤|亡|毒|症|死|其中))[^）)\d]{1,6}[）)]")


def _is_other_event(sentence: str) -> bool:
    """Sentences that cite another (historical) event, e.g. 参照…事故, 曾造成…"""
    return bool(re.search(r"(?:曾|历史上|类似|参照|借鉴|对比|同比|去年|往年)[^，。]{0,20}?(?:造成|导致|致)", sentence)) \
        or bool(re.search(r"(?:19|20)\d\d年[^，。]{0,30}?事故[^，。]{0,10}?(?:造成|导致|致)", sentence) and "此次" not in sentence
                and "本次" not in sentence)


def extract_casualties(text: str) -> dict:
    """Deaths, missing, injured, seriously injured, trapped and evacuated people.

    The latest figure for each field wins (续报: 已升至/增至/上升到), so later sentences override
    earlier ones; "其中…" sub-counts never override the total they qualify, and figures quoted
    from an earlier report ("首报46人", "由2人升至3人") are ignored. Poisoning and illness counts
    go into ``injured`` unless the report gives an injured total.

    A field the report does not state is None; it is 0 only when the report says so (无人员伤亡 →
    deaths and injured 0, 无人员受伤 → injured 0 only, 无失联 / 失联人员已找到 → missing 0,
    人都没事 / 船员均安全 → deaths and injured 0). Questions (有没有人员受伤？) state nothing.
    """
    text = _PERSON_NOTE.sub("", text)
    found: dict[str, tuple[int, int, bool]] = {}     # field → (position, value, is_subset)

    def put(field: str, pos: int, value: int | None, subset: bool = False) -> None:
        if value is None:
            return
        prev = found.get(field)
        if subset and prev is not None:
            return
        if prev is None or pos >= prev[0]:
            found[field] = (pos, value, subset)

    zeros: set[str] = set()
    last_field: str | None = None
    offset = 0
    for sentence in _SENT_SPLIT.split(text):
        start = offset
        offset += len(sentence) + 1
        if not sentence.strip() or _is_other_event(sentence):
            continue
        spans: list[tuple[int, int, str, re.Match]] = []
        for field, rx in _COMPILED:
            for m in rx.finditer(sentence):
                spans.append((m.start("n"), _PRIORITY[field], field, m))
        found_spans: list[tuple[int, int]] = []
        for fm in sorted((fm for rx in _FOUND_RES for fm in rx.finditer(sentence)), key=lambda x: x.start()):
            if not any(fm.start() < y and x < fm.end() for x, y in found_spans):   # one phrase, one finding
                found_spans.append(fm.span())
                spans.append((fm.start(), -1, "found", fm))
        spans.sort(key=lambda s: (s[0], s[1]))
        used_numbers: set[int] = set()
        for npos, _, field, m in spans:
            if field == "found":
                # missing people found: the missing count drops by the number found (to 0 if unstated)
                n_found = to_int(m.group("n")) if m.group("n") else None
                prev = found.get("missing")
                left = prev[1] - n_found if prev and n_found and prev[1] > n_found else 0
                put("missing", start + m.end(), left)
                continue
            if npos in used_numbers:
                continue
            field = _FAR_FIELDS.get(field, field)
            if field == "missing" and any(a <= npos < b for a, b in found_spans):
                continue
            raw = m.group("n")
            before = sentence[:npos]
            if _NOT_PEOPLE_BEFORE.search(before) and not re.search(
                    r"(?:死亡|遇难|失踪|受伤|重伤|疏散|转移|被困|中毒)[^，。]{0,4}$", before) \
                    and not re.search(r"\d+(?:余|多)?户$", before) \
                    and not (re.match(r"(?:名|位|人(?!民|次))", sentence[m.end("n"):]) and not before.endswith("第")):
                continue                          # 27户89名村民, 9点40分一名木工 are people
            if _EARLIER_FIGURE.search(before):
                used_numbers.add(npos)
                continue
            if field in ("one_injured", "one_death"):
                value, field = 1, ("injured" if field == "one_injured" else "deaths")
            else:
                value = to_int(raw)
            if value is None or value > 10_000_000:
                continue
            pair = _SINGLE_AND.search(before)
            if pair and field != "evacuated" and not re.search(
                    rf"{NUMBER}(?:名|位|个)[\u4e00-\u9fff]{{0,4}}$", before[:pair.start()]):
                value += 1                                          # 司机和2名工人 → 3
            # 其中…: a breakdown of a total, including later items of the same list (其中2人重伤，2人轻微不适)
            subset = bool(re.search(r"其中[^，。；]{0,6}$", before)) or bool(re.search(r"[（(][^）)]*$", before)) \
                or (bool(re.search(r"其中[^。；另]{0,30}[，,、]$", before)) and field != "update"
                    and not re.search(r"升至|增至|上升|增加|累计|共", m.group(0)))
            pos = start + npos
            if field == "deaths_injured":
                put("deaths", pos, value)
                put("injured", pos, to_int(m.group("n2")))
                used_numbers.add(npos)
                continue
            if field == "update":
                target = None
                window = before[-14:]
                best = -1
                for fname, frx in _FIELD_WORDS:
                    for fm in frx.finditer(window):
                        if fm.start() > best:
                            best, target = fm.start(), fname
                target = target or last_field
                if target is None:
                    continue
                field = target
            end = m.end()
            if field == "evacuated" and re.match(r"(?:户|人次)", sentence[end:end + 2]):
                continue
            put(field, pos, value, subset)
            used_numbers.add(npos)
            last_field = field
        end_char = text[start + len(sentence):start + len(sentence) + 1]
        if end_char == "?" or _QUESTION.search(sentence):
            continue                                  # 有没有人员受伤？ is not a statement
        for zm in _ZERO_RE.finditer(sentence):
            for term in _ZERO_TERM_RE.findall(zm.group(0)):
                zeros.update(_ZERO_TERMS[term])
        if _SAFE_RE.search(sentence):
            zeros.update(("deaths", "injured"))

    out = {k: None for k in ("deaths", "missing", "injured", "seriously_injured", "evacuated", "trapped")}
    for k in ("deaths", "missing", "evacuated", "trapped"):
        if k in found:
            out[k] = found[k][1]
    serious = found.get("serious")
    light = found.get("light")
    total = found.get("injured")
    poisoned = found.get("poisoned")
    hospital = found.get("hospital")
    if serious:
        out["seriously_injured"] = serious[1]
    elif _LIGHT_ONLY.search(text) and (light is None or total is None or light[1] >= total[1]):
        out["seriously_injured"] = 0                  # every injury stated is light (not 轻症: illness grade)
    injured = None
    if total is not None:
        injured = total[1]
        # a later poisoning figure that is not a subset of the injured total is the newer count
        if poisoned is not None and poisoned[0] > total[0] and not poisoned[2] and poisoned[1] > injured:
            injured = poisoned[1]
    else:
        parts = [p[1] for p in (serious, light) if p is not None]
        if parts:
            injured = sum(parts)
        if poisoned is not None and (injured is None or poisoned[1] > injured):
            injured = poisoned[1]
        if injured is None and hospital is not None:
            injured = hospital[1]
    out["injured"] = injured
    for k in zeros:
        if out.get(k) is None:
            out[k] = 0
    return out


_LOSS_RE = re.compile(rf"(?:经济)?损失(?:[^。；;，,]{{0,14}}?)(?P<n>{NUMBER})(?:余|多)?\s*(?P<u>亿|万)?元")
_MAG_RE = [
    re.compile(r"(?:里氏|震级|M[Ss]?|Ｍ)\s*(?:为|达)?\s*(?P<n>\d+(?:\.\d+)?)\s*级?"),
    re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*级(?:[^，。；]{0,3}?)(?:地震|左右地震|有感地震|余震)"),
    re.compile(rf"(?P<n>[一二三四五六七八九]点[一二三四五六七八九零〇])级(?:[^，。；]{{0,3}}?)地震"),
]
_AREA_RE = re.compile(rf"(?:过火|火场|受害|烧毁|燃烧|着火)(?:林地|森林|山林|面积|林)?(?:面积)?(?:[^。；;，,]{{0,8}}?)(?P<n>{NUMBER})(?:余|多)?\s*(?P<u>公顷|亩|平方米|平方公里|hm2|ha)")
_AREA_BARE_RE = re.compile(rf"(?P<n>{NUMBER})(?:余|多)?\s*(?P<u>公顷|亩)(?:[^。；，]{{0,6}}?)(?:过火|烧毁|受灾林|林地)")
_LEAK_RE = [
    re.compile(rf"(?:泄漏|泄露|外泄|漏出|漏了|溢出|流失|排放)(?:量|物料|总量)?(?:[^。；;，,吨]{{0,8}}?)(?P<n>{NUMBER})(?:余|多)?\s*(?P<u>吨|t|公斤|千克|kg|Kg|KG)(?![a-zA-Z/])"),
    re.compile(rf"(?P<n>{NUMBER})(?:余|多)?\s*(?P<u>吨|t|公斤|千克|kg|Kg|KG)(?:左右)?(?:[^。；;，,的车船罐]{{0,6}}?)(?:泄漏|泄露|外泄|漏出|溢出|流入|流失)"),
]


def _convert_mag(raw: str) -> float | None:
    if "点" in raw:
        a, b = raw.split("点", 1)
        x, y = cn_to_number(a), cn_to_number(b)
        return None if x is None or y is None else x + y / 10
    return cn_to_number(raw)


def extract_quantities(text: str) -> dict:
    out = {"direct_loss_wan": None, "magnitude": None, "burned_area_ha": None, "leak_tonnes": None}
    for m in _LOSS_RE.finditer(text):
        v = cn_to_number(m.group("n"))
        if v is None:
            continue
        u = m.group("u")
        out["direct_loss_wan"] = _round(v * 10000 if u == "亿" else v if u == "万" else v / 10000)
    if re.search(r"地震|震级|震中|震源|余震|里氏", text):
        for rx in _MAG_RE:
            for m in rx.finditer(text):
                v = _convert_mag(m.group("n"))
                if v is not None and 0 < v < 10:
                    out["magnitude"] = v
                    break
            if out["magnitude"] is not None:
                break
    area_hits = list(_AREA_RE.finditer(text)) or list(_AREA_BARE_RE.finditer(text))
    for m in area_hits:
        v = cn_to_number(m.group("n"))
        if v is None:
            continue
        factor = {"公顷": 1, "ha": 1, "hm2": 1, "亩": 1 / 15, "平方米": 1 / 10000, "平方公里": 100}[m.group("u")]
        out["burned_area_ha"] = _round(v * factor)
    best = None
    for rx in _LEAK_RE:
        for m in rx.finditer(text):
            v = cn_to_number(m.group("n"))
            if v is None:
                continue
            factor = 1 if m.group("u") in ("吨", "t") else 1 / 1000
            if best is None or m.start() > best[0]:
                best = (m.start(), _round(v * factor))
    if best:
        out["leak_tonnes"] = best[1]
    return out


def _round(v: float) -> float | int:
    v = round(v, 4)
    return int(v) if v == int(v) else v


# =============================================================================================
# Hazards, organisations
# =============================================================================================

def find_hazards(text: str) -> list[str]:
    lex = lexicons()
    seen: dict[str, None] = {}
    for m in lex.chemical_re.finditer(text):
        name = lex.chemicals[m.group(0)]
        if len(m.group(0)) == 1 and _is_inside_word(text, m.start()):
            continue
        seen.setdefault(name, None)
    return list(seen)


def _is_inside_word(text: str, pos: int) -> bool:
    nxt = text[pos + 1:pos + 2]
    return bool(nxt) and nxt in "乙甲基酚胺类系环"


_PLACE_PREFIX = re.compile(r"(?:国家|省|市|县|区|镇|乡|街道|新区|园区)$")


def find_organisations(text: str) -> list[str]:
    """Organisation names, normalised (市应急局 → 市应急管理局, 灌南县安监局 → 灌南县应急管理局)."""
    lex = lexicons()
    gaz = load_gazetteer()
    index = admin_index()
    out: dict[str, None] = {}
    for m in lex.organisation_re.finditer(text):
        surface = m.group(0)
        canonical, needs_prefix = lex.organisations[surface]
        prefix = _org_prefix(text[:m.start()], gaz, index)
        if not prefix:
            if needs_prefix:
                continue
            if canonical.startswith("委"):
                continue
        elif prefix in ("省", "市", "县", "区") and canonical.startswith("委"):
            pass
        after = text[m.end():m.end() + 2]
        if after[:1] in ("人", "车", "员", "站", "官", "所", "队") and not _ORG_SUFFIX.search(surface):
            continue
        out.setdefault(prefix + canonical, None)
    for m in re.finditer(r"(?:[\u4e00-\u9fff（）()]{2,24}?)(?:股份有限公司|有限责任公司|有限公司|集团公司)", text):
        name = re.split(r"[，。、；：:,\s]|(?:位于|发生|的|在|于|是|经|据|向|对|由|与|和|及|称|为)", m.group(0))[-1]
        if len(name) >= 6:
            out.setdefault(name, None)
    return list(out)


_prefix_res: dict = {}


def _prefix_re(gaz, index) -> re.Pattern:
    key = id(gaz)
    if key not in _prefix_res:
        names = set(index.full) | set(index.strong_alias)
        if gaz is not None:
            names |= set(gaz.surfaces)
        alts = sorted((n for n in names if len(n) >= 2), key=len, reverse=True)
        _prefix_res[key] = re.compile("(?:" + "|".join(map(re.escape, alts)) + ")$")
    return _prefix_res[key]


def _org_prefix(before: str, gaz, index) -> str:
    """Place name(s) written right before an organisation (连云港市, 灌南县, 市)."""
    rx = _prefix_re(gaz, index)
    prefix = ""
    tail = before
    for _ in range(3):          # 江苏省连云港市灌南县 at most
        m = rx.search(tail[-16:])
        if not m:
            break
        prefix = m.group(0) + prefix
        tail = tail[:len(tail) - len(m.group(0))]
    if prefix:
        return prefix
    m = re.search(r"(国家|省|市|县|区)$", before[-2:])
    return m.group(1) if m else ""


# =============================================================================================
# Time
# =============================================================================================

_jio = None


def _jio_time(expr: str, base: float | None = None):
    global _jio
    if _jio is None:
        from nlp.jio import jionlp
        _jio = jionlp()
    return _jio.parse_time(expr, time_base=base if base is not None else _time.time())


_ABS_TIME = re.compile(
    r"(?P<expr>(?P<y>(?:19|20)\d{2})\s*[年\-/.]\s*(?P<mo>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?:凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜间|夜里|晚)?\s*(?P<h>\d{1,2})\s*[时点:：]\s*(?:(?P<mi>\d{1,2})\s*分?)?(?:许|左右)?)?)")
_PART_TIME = re.compile(
    r"(?P<expr>(?:(?P<mo>\d{1,2})月(?P<d>\d{1,2})日|(?:今天|今日|昨天|昨日|前天|当日|当天|本日)|今晨|昨晚|昨夜)"
    r"\s*(?P<part>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜间|夜里|晚)?\s*(?:(?P<h>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[时点]\s*(?:(?P<mi>\d{1,2}|半)\s*分?)?(?:许|左右|多)?)?)")


def _iso(y: int, mo: int, d: int, h: int | None, mi: int | None) -> str | None:
    try:
        if h is None:
            return datetime(y, mo, d).date().isoformat()
        return datetime(y, mo, d, h, mi or 0).isoformat(timespec="minutes")
    except ValueError:
        return None


def _pm(part: str | None, h: int | None) -> int | None:
    if h is None:
        return None
    if part in ("下午", "傍晚", "晚上", "晚", "夜间", "夜里") and h < 12:
        return h + 12
    if part == "中午" and h < 11:
        return h + 12
    return h


def extract_time(text: str, time_base: datetime | None = None) -> str | None:
    """When it happened: ISO 8601 where resolvable, else the raw expression."""
    head = text[:2000]
    absolute = list(_ABS_TIME.finditer(head))
    partial = list(_PART_TIME.finditer(head))
    # the first expression in the text with a clock time is usually the time of occurrence
    cands = sorted([(m.start(), "abs", m) for m in absolute] + [(m.start(), "part", m) for m in partial],
                   key=lambda x: x[0])
    if not cands:
        return None
    with_clock = [c for c in cands if c[2].group("h")]
    pos, kind, m = (with_clock or cands)[0]
    if kind == "abs":
        h = m.group("h")
        part = re.search(r"凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜间|夜里|晚", m.group("expr"))
        return _iso(int(m.group("y")), int(m.group("mo")), int(m.group("d")),
                    _pm(part.group(0) if part else None, int(h)) if h else None,
                    int(m.group("mi")) if m.group("mi") else None) or m.group("expr")
    # partial/relative: resolve against time_base, or a full date elsewhere in the text
    base = time_base
    if base is None and absolute:
        a = absolute[0]
        try:
            base = datetime(int(a.group("y")), int(a.group("mo")), int(a.group("d")))
        except ValueError:
            base = None
    expr = m.group("expr").strip()
    if base is None:
        return expr
    h_raw = m.group("h")
    h = None if h_raw is None else to_int(h_raw)
    mi = m.group("mi")
    mi = 30 if mi == "半" else (int(mi) if mi else None)
    h = _pm(m.group("part"), h)
    if m.group("mo"):
        y, mo, d = base.year, int(m.group("mo")), int(m.group("d"))
    else:
        shift = 0
        if re.match(r"昨|昨天|昨日", expr):
            shift = -1
        elif expr.startswith("前天"):
            shift = -2
        from datetime import timedelta
        day = (base + timedelta(days=shift))
        y, mo, d = day.year, day.month, day.day
        if expr.startswith("昨晚") or expr.startswith("昨夜"):
            h = h if h is None or h >= 12 else h + 12
    return _iso(y, mo, d, h, mi) or expr


# =============================================================================================
# Public API
# =============================================================================================

def parse_report(text: str, *, gazetteer: str | os.PathLike | None = None,
                 time_base: datetime | None = None) -> dict:
    """Structured facts from one incident report.

    ``gazetteer`` overrides the city gazetteer (default: $YINGJI_GAZETTEER, then the bundled
    连云港 one); ``time_base`` resolves relative times such as 今日凌晨.
    """
    if text is None or not str(text).strip():
        raise ValueError("事件报告内容为空：请提供事件信息文本（时间、地点、事件类型、伤亡等）")
    text = normalise(str(text)[:MAX_CHARS])
    lex = lexicons()
    hazards = find_hazards(text)
    code = classify(text, hazards)
    entry = lex.taxonomy.get(code) if code else None
    result = {
        "type_code": code,
        "type_name": entry.name if entry else None,
        "category": entry.category if entry else None,
    }
    result.update(extract_casualties(text))
    result.update(extract_quantities(text))
    try:
        result["location"] = resolve_location(text, gazetteer)
    except Exception:  # never let an odd address crash the intake
        result["location"] = dict(EMPTY_LOCATION)
    result["time"] = extract_time(text, time_base)
    result["hazards"] = hazards
    result["organisations"] = find_organisations(text)
    return {k: result[k] for k in FIELDS}


def parse_many(items: Iterable, *, gazetteer: str | os.PathLike | None = None,
               time_base: datetime | None = None) -> list[dict]:
    """Parse a batch. Items are strings or dicts with a ``report``/``text`` key.

    An item that cannot be parsed (empty text) yields ``{"error": "<message>"}`` in its place
    so one bad message never loses the batch.
    """
    out = []
    for item in items:
        text = item
        if isinstance(item, dict):
            text = item.get("report") or item.get("text") or ""
        try:
            out.append(parse_report(text, gazetteer=gazetteer, time_base=time_base))
        except ValueError as exc:
            out.append({"error": str(exc)})
    return out
