"""Facts read from an emergency plan outline: duties of member units, reporting time limits, legal
references, plan references, annex references and organisation mentions.

Every fact carries the index of its clause in `outline.clauses` and a character span in `outline.text`.
"""
from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from nlp.outline import Clause, Outline, Section

RESOURCES = Path(__file__).parent / "resources"
_ITEM_PREFIX = re.compile(r"^\s*(?:[（(][\d一二三四五六七八九十]{1,3}[）)]|\d{1,2}(?:\.\d{1,2})*[.、．]?(?=[\s\u3000\u4e00-\u9fff])|[一二三四五六七八九十]{1,3}、|[①-⑳])\s*")


def _json(obj) -> dict:
    d = asdict(obj)
    if "span" in d:
        d["span"] = list(d["span"])
    return d


# ---------------------------------------------------------------------------------------------
# organisations


@dataclass
class OrgMention:
    text: str             # as written, with its locality prefix (市应急局, 东海县水利局)
    canonical: str        # canonical name with the same prefix (市应急管理局)
    base: str             # canonical name without prefix (应急管理局)
    domain: str
    old_name: bool        # a pre-2018 name (安监局, 环保局 …): a finding for drafters
    alias: bool
    clause_index: int
    span: tuple[int, int]

    def to_json(self) -> dict:
        return _json(self)


@lru_cache(maxsize=1)
def _org_lexicon() -> list[tuple[str, str, str, str]]:
    """(surface, canonical, kind canonical|alias|old, domain), longest surface first."""
    out = []
    path = RESOURCES / "organisations.csv"
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            canon = row["canonical"].strip()
            dom = (row.get("domain") or "").strip()
            out.append((canon, canon, "canonical", dom))
            for a in (row.get("aliases") or "").split(";"):
                if a.strip():
                    out.append((a.strip(), canon, "alias", dom))
            for a in (row.get("old_names") or "").split(";"):
                if a.strip():
                    out.append((a.strip(), canon, "old", dom))
    out.sort(key=lambda x: -len(x[0]))
    return out


_ORG_END = re.compile(r"(局|委员会|委|办公室|办|中心|支队|大队|中队|指挥部|公司|集团|部|站|院|会|所|厅|处|分局|管委会|政府)$")
_PLACE_PREFIX = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:省|市|新区|县|区))$")
_SINGLE_PREFIX = re.compile(r"(省|市|县|区)$")
_BEFORE_PLACE = re.compile(r"(^|[，,。；;：:、（）()\s|｜]|由|向|和|与|及|会同|配合|协调|报告|组织|指导|请求|在|设在|担任)$")


@lru_cache(maxsize=1)
def _org_regex() -> re.Pattern:
    names = [re.escape(s) for s, *_ in _org_lexicon() if len(s) >= 2]
    return re.compile("|".join(names))


def find_organisations(text: str, offset: int = 0, clause_index: int = -1) -> list[OrgMention]:
    """Organisation mentions in `text` normalised to canonical names (aliases and old names resolved)."""
    lex = {s: (c, k, d) for s, c, k, d in _org_lexicon()}
    out: list[OrgMention] = []
    for m in _org_regex().finditer(text):
        surface = m.group(0)
        canon, kind, dom = lex[surface]
        # generic words (公安, 消防, 交警 …) only count when used as an organisation name
        if kind == "alias" and not _ORG_END.search(surface) and not _SINGLE_PREFIX.search(text[:m.start()]):
            continue
        start = m.start()
        before = text[:start]
        prefix = ""
        pm = _PLACE_PREFIX.search(before)
        if pm and _BEFORE_PLACE.search(before[:pm.start()]):
            prefix = pm.group(1)
        else:
            sm = _SINGLE_PREFIX.search(before)
            if sm:
                prefix = sm.group(1)
        if canon in ("人民政府",) and not prefix:
            continue
        start -= len(prefix)
        out.append(OrgMention(prefix + surface, prefix + canon, canon, dom, kind == "old", kind == "alias",
                              clause_index, (offset + start, offset + m.end())))
    return out


def normalise_org(name: str) -> str:
    """'市应急局' → '市应急管理局'; unknown names come back unchanged."""
    ms = find_organisations(name)
    if ms and ms[0].span[0] == 0 and ms[0].span[1] == len(name):
        return ms[0].canonical
    if ms and ms[-1].span[1] == len(name):
        return name[:ms[-1].span[0]] + ms[-1].canonical
    return name


def extract_organisations(outline: Outline) -> list[OrgMention]:
    out = []
    for i, c in enumerate(outline.clauses):
        out.extend(find_organisations(c.text, c.start, i))
    return out


# ---------------------------------------------------------------------------------------------
# duties

DUTY_HEAD = re.compile(r"职责|职能|分工")
_ORG_LINE = re.compile(r"^([^，。；：:,（(]{2,30}?(?:[（(][^）)]{1,20}[）)])?)[：:。]\s*(.+)$")
_NOT_ORG = re.compile(r"职责|负责|主要|其他|组成|如下|下列|包括|承担|按照|根据|成员单位$")


@dataclass
class Duty:
    org: str               # as written
    canonical: str         # normalised via organisations.csv
    action: str            # the duty text
    items: list[str]       # the duty split into action items
    clause_index: int
    span: tuple[int, int]  # span of the action text

    def to_json(self) -> dict:
        return _json(self)


def _looks_like_org(name: str) -> bool:
    name = name.strip()
    if not (2 <= len(name) <= 30) or _NOT_ORG.search(name):
        return False
    return bool(_ORG_END.search(re.sub(r"[（(][^）)]*[）)]$", "", name)) or find_organisations(name)
                or re.search(r"(镇|乡|街道|县|区|单位|企业|部队|各[^，]{0,6})$", name))


def _duty_sections(outline: Outline) -> list[Section]:
    return [s for s, _ in outline.walk() if DUTY_HEAD.search(s.heading or "")
            and not re.search(r"指挥部职责|总指挥|办公室职责", s.heading or "")]


def extract_duties(outline: Outline) -> list[Duty]:
    regions = [(s.start, s.end) for s in _duty_sections(outline)]
    # "第十四条　成员单位职责如下：" style: a clause that introduces the list
    for c in outline.clauses:
        if re.search(r"(成员单位|有关单位|联动单位)[^。]{0,6}职责", c.text[:30]) and c.section is not None:
            regions.append((c.start, c.section.end))
    out: list[Duty] = []
    seen_sec: set[int] = set()
    for i, c in enumerate(outline.clauses):
        if not any(a <= c.start < b for a, b in regions):
            continue
        sec = c.section
        org = action = None
        a_start = c.start
        body = _ITEM_PREFIX.sub("", c.text, count=1)
        lead = len(c.text) - len(body)
        m = _ORG_LINE.match(body)
        if m and _looks_like_org(m.group(1)):
            org, action = m.group(1).strip(), m.group(2).strip()
            a_start = c.start + lead + m.start(2)
        elif sec is not None and id(sec) not in seen_sec and _looks_like_org(sec.heading or "") and \
                not DUTY_HEAD.search(sec.heading or "") and c.start - sec.start < len(sec.number) + len(sec.heading) + 4:
            org, action = sec.heading.strip(), c.text
        if org is None or not action:
            continue
        if sec is not None:
            seen_sec.add(id(sec))
        items = [x.strip() for x in re.split(r"[；;]", action.rstrip("。")) if x.strip()]
        for one in _split_orgs(org):
            out.append(Duty(one, normalise_org(_strip_domain(one)), action, items, i,
                            (a_start, a_start + len(action))))
    seen = {(d.canonical, d.clause_index) for d in out}
    for i, c in enumerate(outline.clauses):
        for org, action, a0 in _inline_duties(c.text):
            canon = normalise_org(_strip_domain(org))
            if (canon, i) in seen:
                continue
            seen.add((canon, i))
            out.append(Duty(org, canon, action, [action], i, (c.start + a0, c.start + a0 + len(action))))
    out.sort(key=lambda d: (d.clause_index, d.span[0]))
    return out


_GENERIC_ORG = r"[\u4e00-\u9fff]{1,14}?(?:局|委员会|委|办公室|办|中心|支队|大队|分局|指挥部|公司|集团|部|室|队|站)(?:[（(][^）)]{1,12}[）)])?"
_INLINE_BY = re.compile(r"由(" + _GENERIC_ORG + r")(牵头|负责|会同|调用|设置|组织|统一|承担)([^。；]*)")
_INLINE_SUBJ = re.compile(r"(?:^|[；;。]\s*)(?:[（(]?\d{1,2}[）).、]\s*)?(" + _GENERIC_ORG + r"(?:[、和](?:" + _GENERIC_ORG + r"))*)(?:是[^，。]{0,30}，)?(负责|承担|牵头|调度|调派)([^。；]*)")


def _inline_duties(text: str) -> list[tuple[str, str, int]]:
    """'由市交通运输局牵头组织…' / '市委宣传部、市委网信办负责…' outside the member-unit list."""
    out = []
    for rx in (_INLINE_BY, _INLINE_SUBJ):
        for m in rx.finditer(text):
            orgs = m.group(1)
            if not any(_looks_like_org(o) for o in _split_orgs(orgs)):
                continue
            action = (m.group(2) + m.group(3)).strip()
            for o in _split_orgs(orgs):
                if _looks_like_org(o):
                    out.append((o, action, m.start(2)))
    return out


def _split_orgs(org: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[、]|(?<=[局委办队司团部心站])和", org) if p.strip()]
    return parts if len(parts) > 1 and all(_looks_like_org(p) for p in parts) else [org]


def _strip_domain(org: str) -> str:
    """'市自然资源和规划局（林业）' → '市自然资源和规划局'; keeps '江苏核电有限公司（田湾核电站）'."""
    m = re.match(r"^(.+?)[（(]([^）)]{1,12})[）)]$", org)
    if m and not re.search(r"(站|厂|公司|局|中心|队)$", m.group(2)):
        return m.group(1)
    return org


# ---------------------------------------------------------------------------------------------
# reporting time limits

_TIME = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)\s*(分钟|小时|个小时|日|天)(?:内|以内|之内)")
_MODE = [("电话", "电话"), ("书面", "书面"), ("网络直报", "网络直报"), ("直报", "网络直报"), ("短信", "短信"),
         ("传真", "传真"), ("口头", "电话"), ("信息系统", "网络直报"), ("网络", "网络直报")]
_REPORT_VERB = re.compile(r"报告|报送|上报|报至|续报|核报|通报|报")
_NOT_REPORT = re.compile(r"到达|赶到|出动|抵达|发布|举行|扑灭|控制|分发|完成|恢复|撤离|补报")
_RECIP = re.compile(r"向([^，。；、]{2,40}?)(?:报告|报送|上报|通报|报)")
_RECIP2 = re.compile(r"(?:报告|报送|上报|通报|报至)([^，。；：]{2,40}?)(?:[，。；]|$|和|，同时|并)")


@dataclass
class TimeLimit:
    reporter: str | None
    recipient: str | None
    minutes: float
    mode: str | None        # 电话 / 书面 / 网络直报 / …
    text: str
    clause_index: int
    span: tuple[int, int]

    def to_json(self) -> dict:
        return _json(self)


def _minutes(num: str, unit: str) -> float | None:
    if num == "半":
        v = 0.5
    else:
        try:
            v = float(num)
        except ValueError:
            from nlp.grading import cn_to_number
            v = cn_to_number(num.replace("半", ""))
            if v is None:
                return None
    return v * {"分钟": 1, "小时": 60, "个小时": 60, "日": 1440, "天": 1440}[unit]


_REPORTER = re.compile(r"^(.{2,40}?)(?:接到|接报|在接|发现|于|应当|应(?!急)|须|必须|要求|立即|在\d|，|\d)")


def _reporter(sentence: str) -> str | None:
    s = re.sub(r"^(对|凡|发生)[^，]{0,40}，", "", sentence)
    s = re.sub(r"^[^，]{0,30}(后|时)，", "", s) if not re.match(r"^[^，]{0,30}(局|部门|单位|政府|中心|企业|公司|办)", s) else s
    m = _REPORTER.match(s)
    if not m:
        return None
    r = m.group(1).strip("，、 ")
    r = re.sub(r"^(事故发生后|事件发生后|地震发生后|接报后)，?", "", r)
    return r if 2 <= len(r) <= 40 and not re.search(r"报告|分钟|小时", r) else None


def extract_time_limits(outline: Outline) -> list[TimeLimit]:
    out: list[TimeLimit] = []
    for i, c in enumerate(outline.clauses):
        text = _ITEM_PREFIX.sub("", c.text, count=1)
        base = c.start + len(c.text) - len(text)
        if not _TIME.search(text):
            continue
        # sentence by sentence
        pos = 0
        for sent in re.split(r"(?<=[。；;])", text):
            s_off = base + pos
            pos += len(sent)
            if not _TIME.search(sent):
                continue
            reporter = _reporter(sent)
            recipient = None
            for m in _TIME.finditer(sent):
                tail = sent[m.end():]
                seg = re.split(r"[，。；;]", tail)[0]
                head = sent[max(0, m.start() - 30):m.start()]
                head_seg = re.split(r"[，。；;]", head)[-1]
                window = head_seg + seg
                if not _REPORT_VERB.search(seg) or _NOT_REPORT.search(seg):
                    continue
                mins = _minutes(m.group(1), m.group(2))
                if mins is None:
                    continue
                mode = next((v for k, v in _MODE if k in window), None)
                rm = _RECIP.search(window) or _RECIP2.search(seg + "，")
                if rm:
                    cand = rm.group(1).strip()
                    cand = re.sub(r"^(通过)?(电话|书面|网络)?(形式)?(向)?", "", cand)
                    cand = re.sub(r"(报告|报送)$", "", cand)
                    if cand and not re.match(r"^(书面|初步|情况|有关)", cand):
                        recipient = cand
                out.append(TimeLimit(reporter, recipient, mins, mode, sent[m.start():m.end() + len(seg)].strip(),
                                     i, (s_off + m.start(), s_off + m.end() + len(seg))))
    return out


# ---------------------------------------------------------------------------------------------
# legal, plan and annex references

_TITLE = re.compile(r"《([^《》]{2,80})》")
_VERSION_AFTER = re.compile(r"^\s*[（(]([^（）()]{0,30}?(?:\d{4}\s*年[^（）()]{0,12}|〔\d{4}〕\s*\d+\s*号)[^（）()]{0,10})[）)]")
_VERSION_BEFORE = re.compile(r"(\d{4}\s*年\s*(?:修订|修正|修改|版|印发)?)\s*(?:的)?$")


@dataclass
class Reference:
    title: str
    kind: str              # law | regulation | standard | plan | document
    version: str | None    # "2021年修正", "国办发〔2024〕5号" …
    year: int | None
    clause_index: int
    span: tuple[int, int]

    def to_json(self) -> dict:
        return _json(self)


def _ref_kind(title: str) -> str:
    if title.endswith("预案") or re.search(r"预案（[^）]*）$|预案\([^)]*\)$", title):
        return "plan"
    if re.search(r"法$|法（", title):
        return "law"
    if re.search(r"条例|规定|办法|细则|规则", title):
        return "regulation"
    if re.search(r"标准|规范|导则|GB|AQ", title):
        return "standard"
    return "document"


def extract_references(outline: Outline) -> list[Reference]:
    out = []
    for i, c in enumerate(outline.clauses):
        for m in _TITLE.finditer(c.text):
            title = m.group(1).strip()
            version = None
            vm = _VERSION_AFTER.match(c.text[m.end():])
            end = m.end()
            if vm:
                version = vm.group(1).strip()
                end += vm.end()
            else:
                bm = _VERSION_BEFORE.search(c.text[:m.start()])
                if bm:
                    version = bm.group(1).strip()
            year = None
            ym = re.search(r"(\d{4})", version or "")
            if ym:
                year = int(ym.group(1))
            out.append(Reference(title, _ref_kind(title), version, year, i, (c.start + m.start(), c.start + end)))
    return out


def extract_legal_references(outline: Outline) -> list[Reference]:
    return [r for r in extract_references(outline) if r.kind != "plan"]


def extract_plan_references(outline: Outline) -> list[Reference]:
    return [r for r in extract_references(outline) if r.kind == "plan"]


_ANNEX_REF = re.compile(r"(附件|附录|附表)\s*([\d一二三四五六七八九十]+)?")
_CN = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "十": "10"}


@dataclass
class AnnexReference:
    label: str            # 附件1
    number: str | None    # "1"
    exists: bool          # whether the outline has that annex
    clause_index: int
    span: tuple[int, int]

    def to_json(self) -> dict:
        return _json(self)


def _annex_numbers(outline: Outline) -> tuple[set[str], bool]:
    nums: set[str] = set()
    any_annex = False
    for s, _ in outline.walk():
        for txt in (s.number or "", (s.number or "") + (s.heading or "")):
            m = re.match(r"^(?:#+\s*)?(附件|附录|附表)\s*([\d一二三四五六七八九十]*)", txt)
            if m:
                any_annex = True
                if m.group(2):
                    nums.add(_CN.get(m.group(2), m.group(2)))
        m = re.search(r"(附件|附录|附表)\s*([\d一二三四五六七八九十]+)", s.heading or "")
        if m and (s.heading or "").startswith(m.group(0)):
            any_annex = True
            nums.add(_CN.get(m.group(2), m.group(2)))
    return nums, any_annex


def extract_annex_references(outline: Outline) -> list[AnnexReference]:
    nums, any_annex = _annex_numbers(outline)
    out = []
    for i, c in enumerate(outline.clauses):
        for m in _ANNEX_REF.finditer(c.text):
            if m.start() == 0 and c.section is not None and c.start == c.section.start:
                continue
            num = m.group(2)
            num_n = _CN.get(num, num) if num else None
            exists = (num_n in nums) if num_n else any_annex
            out.append(AnnexReference(m.group(0).strip(), num_n, exists, i, (c.start + m.start(), c.start + m.end())))
    return out


# ---------------------------------------------------------------------------------------------
# everything


@dataclass
class PlanFacts:
    grading_rules: list = field(default_factory=list)
    response_levels: list = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    time_limits: list[TimeLimit] = field(default_factory=list)
    legal_references: list[Reference] = field(default_factory=list)
    plan_references: list[Reference] = field(default_factory=list)
    annex_references: list[AnnexReference] = field(default_factory=list)
    organisations: list[OrgMention] = field(default_factory=list)

    def to_json(self) -> dict:
        return {k: [x.to_json() for x in v] for k, v in self.__dict__.items()}


def extract_facts(outline: Outline) -> PlanFacts:
    from nlp.grading import extract_grading_rules, extract_response_levels

    refs = extract_references(outline)
    return PlanFacts(
        grading_rules=extract_grading_rules(outline),
        response_levels=extract_response_levels(outline),
        duties=extract_duties(outline),
        time_limits=extract_time_limits(outline),
        legal_references=[r for r in refs if r.kind != "plan"],
        plan_references=[r for r in refs if r.kind == "plan"],
        annex_references=extract_annex_references(outline),
        organisations=extract_organisations(outline),
    )


def facts_for_file(path) -> PlanFacts:
    from nlp.clean import clean_text
    from nlp.loaders import read_text
    from nlp.outline import parse_outline

    return extract_facts(parse_outline(clean_text(read_text(Path(path)))))
