"""Case records (事故/事件案例): what happened, where, how bad, which plan was started, why, lessons.

``extract_case(rec_or_text, title=None)`` reads a case written as

* an optional header block of ``键：值`` lines (事件类型 / 发生时间 / 发生地点 / 伤亡情况 / 直接经济损失 /
  事件等级 / 启动预案及响应级别 …), and
* sections whose headings name their role (事件经过 / 应急处置 / 原因分析 / 经验教训 …),

and falls back to the running text when either is missing. Numbers, types, times and places come
from ``nlp.incident``; nothing here names a particular city or case.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from nlp.outline import parse_outline
from nlp.records import DocumentRecord

LEVEL_NORM = {"一": "Ⅰ级", "1": "Ⅰ级", "Ⅰ": "Ⅰ级", "I": "Ⅰ级",
              "二": "Ⅱ级", "2": "Ⅱ级", "Ⅱ": "Ⅱ级", "II": "Ⅱ级",
              "三": "Ⅲ级", "3": "Ⅲ级", "Ⅲ": "Ⅲ级", "III": "Ⅲ级",
              "四": "Ⅳ级", "4": "Ⅳ级", "Ⅳ": "Ⅳ级", "IV": "Ⅳ级"}
LEVEL_RANK = {"Ⅰ级": 1, "Ⅱ级": 2, "Ⅲ级": 3, "Ⅳ级": 4}
GRADES = ("特别重大", "重大", "较大", "一般")

# section role ← heading words (checked in this order: 原因分析（…发现问题） is a cause section)
ROLES = [
    ("cause", re.compile(r"原因")),
    ("lessons", re.compile(r"教训|启示|整改|防范|建议|反思|借鉴|警示|评估|问题")),
    ("response", re.compile(r"处置|救援|响应|应对|抢险|救治")),
    ("course", re.compile(r"经过|概况|情况|过程|简介|基本|背景|事件|事故")),
]
# header keys ← patterns
KEYS = {
    "type": r"类型|类别|性质",
    "time": r"时间|日期",
    "place": r"地点|地址|位置|区域",
    "casualties": r"伤亡|人员",
    "loss": r"损失",
    "activation": r"预案|响应",
    "grade": r"等级|级别|定级",
}

_LEVEL = r"(Ⅳ|Ⅲ|Ⅱ|Ⅰ|IV|III|II|I|[一二三四1-4])\s*级"
_LEVEL_RE = re.compile(_LEVEL + r"(?:应急)?响应|响应(?:级别)?(?:提升|调整|升级|降低)?(?:为|至|到)" + _LEVEL.replace("(", "(?P<l2>", 1))
_PLAN_TITLE = re.compile(r"《([^《》]{2,80}?(?:预案|方案)(?:[（(][^《》]{1,30}[）)])?)》")
_PLAN_BARE = re.compile(r"启动(?:了)?(?:本级|本单位)?([^，。；、《》]{2,30}?(?:应急预案|处置方案|预案))")
_NOT_STARTED = re.compile(r"未达到|未启动|不启动|无需启动|没有启动|未予启动|不具备[^，。；]{0,6}启动")


@dataclass
class CaseRecord:
    title: str
    time: str | None = None
    place: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    lon: float | None = None
    lat: float | None = None
    type_code: str | None = None
    type_name: str | None = None
    category: str | None = None
    deaths: int | None = None
    missing: int | None = None
    injured: int | None = None
    seriously_injured: int | None = None
    direct_loss_wan: float | None = None
    grade: str | None = None
    cause: str | None = None
    indirect_cause: str | None = None
    response: str | None = None
    activated_plan: str | None = None
    activated_level: str | None = None
    peak_level: str | None = None              # highest level reached under the first plan (提升为…)
    activations: list[dict] = field(default_factory=list)   # [{"plan", "level"}] as stated
    lessons: list[str] = field(default_factory=list)
    hazards: list[str] = field(default_factory=list)
    source: str | None = None                   # 真实 / 虚构 / 演练 when the text says so

    def to_json(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------------------------
# structure


def _header(text: str, body_start: int) -> dict[str, str]:
    """``键：值`` lines before the first section, keyed by role (type/time/place/…)."""
    out: dict[str, str] = {}
    for line in text[:body_start].split("\n")[:40]:
        m = re.match(r"^\s*([\u4e00-\u9fff、及和与/]{2,14})\s*[：:]\s*(\S.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        for role, rx in KEYS.items():
            if role not in out and re.search(rx, key):
                if role == "grade" and re.search(r"响应|预案", key):
                    continue
                out[role] = value
                break
    return out


def _sections(text: str, rec: DocumentRecord | None) -> tuple[dict[str, str], int]:
    """Role → section body text, and where the first section starts."""
    if rec is not None and rec.sections:
        secs = [(s.heading or "", s.start, s.end, s.level) for s in rec.sections]
    else:
        secs = []
        for s, _ in parse_outline(text).walk():
            secs.append((s.heading or "", s.start, s.end, s.level))
    out: dict[str, str] = {}
    top = min((lvl for *_, lvl in secs), default=1)
    for heading, start, end, level in secs:
        if level != top:
            continue
        for role, rx in ROLES:
            if rx.search(heading):
                if role not in out:
                    body = text[start:end].split("\n", 1)
                    out[role] = body[1].strip() if len(body) > 1 else ""
                break
    first = min((s for _, s, _, _ in secs), default=len(text))
    return out, first


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.findall(r"[^。！？!?\n]+[。！？!?]?", text or "") if s.strip()]


# ---------------------------------------------------------------------------------------------
# fields


def _activations(text: str) -> list[dict]:
    """[{"plan", "level", "levels"}] from an activation statement; negated clauses are skipped."""
    out: list[dict] = []
    for clause in re.split(r"[；;。\n]", text):
        if not clause.strip() or _NOT_STARTED.search(clause):
            continue
        plans = [(m.start(), m.group(1)) for m in _PLAN_TITLE.finditer(clause)]
        plans += [(m.start(1), m.group(1)) for m in _PLAN_BARE.finditer(clause)
                  if not any(a <= m.start(1) < a + len(t) + 2 for a, t in plans)]
        plans.sort()
        levels = [(m.start(), LEVEL_NORM[(m.group(1) or m.group("l2")).upper()]) for m in _LEVEL_RE.finditer(clause)]
        if not levels and plans and re.search(r"启动", clause):
            for _, p in plans:
                out.append({"plan": p, "level": None, "levels": []})
            continue
        groups: dict[int, dict] = {}
        for pos, level in levels:
            owner = max((i for i, (a, _) in enumerate(plans) if a < pos), default=None)
            key = owner if owner is not None else -1 - len(groups)
            g = groups.setdefault(key, {"plan": plans[owner][1] if owner is not None else None,
                                        "level": level, "levels": []})
            if level not in g["levels"]:
                g["levels"].append(level)
        out.extend(groups[k] for k in sorted(groups, key=lambda k: (k < 0, k)))
    return out


def _grade(header_value: str | None, title: str, text: str) -> str | None:
    if header_value is not None:
        if re.search(r"未达到|不定级|未定级|不构成|未构成|尚未|无", header_value):
            return None
        m = re.search("|".join(GRADES), header_value)
        if m:
            return m.group(0)
    m = re.search(r"(" + "|".join(GRADES) + r")(?:[^，。；]{0,16}?)(?:事故|事件|灾害|险情)", title)
    if m:
        return m.group(1)
    m = re.search(r"(?:属于|属|定性为|认定为|构成|定为|为|系)(" + "|".join(GRADES) + r")(?:等级)?(?:生产安全)?(?:事故|事件|灾害)", text)
    return m.group(1) if m else None


def _cause(section: str | None, text: str) -> tuple[str | None, str | None]:
    sents = _sentences(section) if section else [s for s in _sentences(text) if "原因" in s]
    direct = indirect = None
    for s in sents:
        m = re.search(r"直接原因(?:是|为|主要是|主要有)?[：:，,]?\s*", s)
        if m and direct is None and len(s) - m.end() > 4:
            direct = s[m.end():].strip()
        m = re.search(r"间接原因(?:是|为|主要是|主要有|包括)?[：:，,]?\s*", s)
        if m and indirect is None:
            indirect = s[m.end():].strip() or None
    if direct is None:
        for s in sents:
            m = re.search(r"(?:主要)?原因(?:是|为|主要是|有)?[：:]\s*", s)
            if m and len(s) - m.end() > 4:
                direct = s[m.end():].strip()
                break
    if direct is None and section:
        direct = sents[0] if sents else None
    return direct, indirect


_ENUM = r"(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]{1,2}[）)]|\d{1,2}[.、．](?!\d)|[①-⑳]|第[一二三四五六七八九十]+[，,、])"


def _lessons(section: str | None, text: str) -> list[str]:
    if section is None:
        section = "\n".join(s for s in _sentences(text) if re.search(r"教训|启示|警示|应当吸取|引以为戒", s))
    out: list[str] = []
    for sent in _sentences(section):
        for part in re.split(rf"[；;](?={_ENUM})", sent):
            part = re.sub(r"^[^，,。:：]{0,12}(?:教训|启示|建议|警示)[^，,。:：]{0,4}[:：]\s*", "", part)
            part = re.sub(rf"^\s*{_ENUM}\s*", "", part).strip(" ；;")
            if len(part) >= 6 and part not in out:
                out.append(part)
    return out


def _response(section: str | None, text: str) -> str | None:
    sents = _sentences(section) if section else [s for s in _sentences(text) if re.search(r"启动|处置|救援", s)]
    out = ""
    for s in sents[:3]:
        out += s
        if len(out) >= 120:
            break
    return out or None


_DRILL = re.compile(r"演练|演习|非真实事件|模拟事件")
_FICTION = re.compile(r"虚构|假想|杜撰|虚拟案例|模拟案例|示例案例|案例情景为设定")
_REAL = re.compile(r"真实(?:事件|案例|发生)|(?:调查组|调查)[^。；]{0,10}?(?:调查)?认定|事故调查报告|据[^。；]{0,12}(?:通报|报道|公开资料)")


def _source(title: str, header_type: str | None, text: str) -> str | None:
    head = f"{title}\n{header_type or ''}"
    if _DRILL.search(head):
        return "演练"
    if _FICTION.search(head) or _FICTION.search(text[:600]):
        return "虚构"
    if _REAL.search(text) and not re.search(r"非真实|不存在真实", text):
        return "真实"
    return None


_CHEM_PREFIX = "聚次亚高过间对邻偏一二三四五六"


def _hazards(text: str) -> list[str]:
    """Chemicals named in ``text``; a name inside a longer one (聚乙烯, 次氯酸钠, 间二氯苯) does not count."""
    from nlp.incident import lexicons

    lex = lexicons()
    out: list[str] = []
    for m in lex.chemical_re.finditer(text):
        if len(m.group(0)) == 1 or text[m.start() - 1:m.start()] in _CHEM_PREFIX and m.start() > 0:
            continue
        name = lex.chemicals[m.group(0)]
        if name not in out:
            out.append(name)
    return out


# ---------------------------------------------------------------------------------------------
# location


def _locate(place_text: str) -> dict:
    """Province/city/county from the gazetteer resolver, checked against names written in the text:
    a resolution whose city is not written while jionlp's is, loses (苏州市昆山经济技术开发区)."""
    from nlp.places import EMPTY_LOCATION, admin_index, resolve_location

    try:
        loc = resolve_location(place_text)
    except Exception:
        loc = dict(EMPTY_LOCATION)
    try:
        alt = admin_index().parse(re.split(r"[，,；;]", place_text)[0])
    except Exception:
        alt = {}

    def score(d) -> int:
        return sum(1 for k in ("province", "city", "county") if d.get(k) and d[k] in place_text)

    wrong_city = not loc.get("city") or loc["city"] not in place_text
    if alt and wrong_city and score(alt) > score(loc) and alt.get("city") and alt["city"] in place_text:
        loc = {**EMPTY_LOCATION, "province": alt.get("province"), "city": alt.get("city"),
               "county": alt.get("county")}
    return loc


# ---------------------------------------------------------------------------------------------
# public API


_CN_NUM = r"\d+|[一二两三四五六七八九十百千]+"
_COUNTS = {
    "deaths": (r"(?:死亡|遇难|身亡|罹难)", r"(?:死亡|遇难|身亡|罹难)"),
    "missing": (r"(?:失踪|失联|下落不明)", r"(?:失踪|失联|下落不明)"),
    "injured": (r"(?:受伤|负伤)(?:住院|入院|送医)?(?:治疗)?", r"(?:受伤|负伤)"),
    "seriously_injured": (r"重伤", r"(?:重伤|受重伤)"),
}
_ZERO_COUNT = {"伤亡": ("deaths", "injured"), "死亡": ("deaths",), "遇难": ("deaths",), "受伤": ("injured",),
               "失踪": ("missing",), "重伤": ("seriously_injured",)}


def _casualties(line: str) -> dict:
    """Figures from a 伤亡情况 statement ("死亡3人，失踪2人，受伤住院640人（其中重伤76人）"); what the
    statement does not give in these plain forms comes from ``nlp.incident.extract_casualties``."""
    from nlp.incident import extract_casualties
    from nlp.numbers import to_int

    outside = re.sub(r"[（(][^）)]*[）)]", "", line)
    out: dict = {}
    for field, (before, after) in _COUNTS.items():
        text = line if field == "seriously_injured" else outside
        m = re.search(rf"{before}\s*(?:约|共)?({_CN_NUM})\s*(?:名|人)", text) or \
            re.search(rf"({_CN_NUM})\s*(?:名|人)[^，,；;。\d]{{0,2}}{after}", text)
        if m:
            out[field] = to_int(m.group(1))
    for m in re.finditer(r"(?:无|没有|未造成)(?:人员)?(伤亡|死亡|遇难|受伤|失踪|重伤)", outside):
        for field in _ZERO_COUNT[m.group(1)]:
            out.setdefault(field, 0)
    for field, value in extract_casualties(line).items():
        if out.get(field) is None and value is not None:
            out[field] = value
    return out


def extract_case(rec_or_text: DocumentRecord | str, title: str | None = None) -> CaseRecord:
    """A ``CaseRecord`` from a case record or its plain text (see the module docstring)."""
    from nlp.incident import classify, extract_quantities, extract_time, lexicons, normalise, parse_report

    rec = rec_or_text if isinstance(rec_or_text, DocumentRecord) else None
    text = rec.text if rec is not None else normalise(str(rec_or_text or ""))
    if not text.strip():
        raise ValueError("案例内容为空")
    title = title or (rec.title if rec is not None else "") or text.strip().split("\n", 1)[0]
    title = title.strip().lstrip("#").strip()
    sections, body_start = _sections(text, rec)
    header = _header(text, body_start) or _header(text, len(text))
    narrative = "\n".join(sections[k] for k in ("course", "response", "cause") if sections.get(k)) or text
    case = CaseRecord(title=title)

    lex = lexicons()
    code = None
    if header.get("type"):
        code = classify(header["type"]) or classify(f"{title}\n{header['type']}")
    report = parse_report(f"{title}\n{sections.get('course') or text}")
    code = code or report["type_code"]
    if code:
        entry = lex.taxonomy[code]
        case.type_code, case.type_name, case.category = code, entry.name, entry.category

    case.time = extract_time(header["time"]) if header.get("time") else report["time"]
    if header.get("place"):
        case.place = header["place"]
        loc = _locate(header["place"])
    else:
        loc = report["location"]
        case.place = loc.get("place")
    for k in ("province", "city", "county", "lon", "lat"):
        setattr(case, k, loc.get(k))

    figures = _casualties(header["casualties"]) if header.get("casualties") else report
    for k in ("deaths", "missing", "injured", "seriously_injured"):
        setattr(case, k, figures.get(k))
    if header.get("loss"):
        case.direct_loss_wan = extract_quantities("直接经济损失" + header["loss"])["direct_loss_wan"]
    else:
        case.direct_loss_wan = report["direct_loss_wan"]

    case.grade = _grade(header.get("grade"), title, narrative)
    case.cause, case.indirect_cause = _cause(sections.get("cause"), text)
    case.response = _response(sections.get("response"), text)

    acts = _activations(header["activation"]) if header.get("activation") else []
    if not any(a["level"] for a in acts):
        starts = "\n".join(s for s in _sentences(sections.get("response") or narrative) if "启动" in s)
        acts = acts + [a for a in _activations(starts) if a not in acts]
    case.activations = [{"plan": a["plan"], "level": a["level"]} for a in acts]
    first = next((a for a in acts if a["level"]), acts[0] if acts else None)
    if first:
        case.activated_plan = first["plan"] or next((a["plan"] for a in acts if a["plan"]), None)
        case.activated_level = first["level"]
        if first["levels"]:
            case.peak_level = min(first["levels"], key=LEVEL_RANK.get)

    case.lessons = _lessons(sections.get("lessons"), text)
    case.hazards = _hazards(narrative)
    case.source = _source(title, header.get("type"), text)
    return case


def extract_case_file(path) -> CaseRecord:
    from nlp.document import build_record

    return extract_case(build_record(path))
