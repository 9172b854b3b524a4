"""unknown_resource: a named team, depot or shelter a plan relies on that the resource registry
lacks. A name counts as 'named' when it starts with a place (gazetteer, plan jurisdictions) or a
company; generic wording (专业救援队伍, 各县区救灾物资储备库) is not judged. Skipped when the store
holds no registry."""
from __future__ import annotations

import re

from matcher.check.loader import Corpus, Plan
from matcher.check.model import MEDIUM, Finding

_SUFFIX = (r"(?:救援队|抢险队|抢修队|救护队|处置队|监测队|应急队|扑火队|消防队|专业队|突击队|搜救队|救助队|分队"
           r"|救援大队|救援中队|[一二三四五六七八九十\d]大队|[一二三四五六七八九十\d]中队|救援站|消防站"
           r"|储备库|物资库|储备中心|储备点|储备仓库|物资仓库|避难场所|避难中心|安置点)")
_CANDIDATE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()]{2,30}?" + _SUFFIX + r"(?![\u4e00-\u9fff]{0,2}(?:表|名录|清单|分布|建设|规划))")
_KIND = [("depot", r"储备库|物资库|储备中心|储备点|仓库"), ("shelter", r"避难|安置点"), ("team", r".")]
_KIND_NAME = {"team": "救援队伍", "depot": "物资储备库（点）", "shelter": "避难场所"}
_GENERIC_START = re.compile(r"^(各|有关|相关|其他|本|属地|事发地|当地|所在地|沿海|全市|全县|县级|市级|省级|专业|社会|基层)")
# a place written like one (甲市, 临河县) when the gazetteer does not know it
_PLACE_FORM = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:市|县|新区|化工园区|园区|开发区)(?![场级城区])")
_NOT_PLACE = re.compile(r"[到至往置移入进前送派调用组织在由和与及为以从向将对各等有相关其本该全]")
_FUNCTION = re.compile(r"的|为|由|以|和|与|及|或者|需要|调动|调派|调用|调度|调集|请求|派出|依托|负责|组织|指导|协调|开展|参加|配合|"
                       r"通知|引导|从|向|在|将|对|按照|应当|立即|当地")
_COMPANY = re.compile(r"^[\u4e00-\u9fff]{2,16}?(?:有限公司|公司|集团)")


def _registry_keys(corpus: Corpus, places: list[str]) -> set[str]:
    names = [n for label in ("Team", "Depot", "Shelter") for n in corpus.registry.get(label, [])]
    return {_key(n, places) for n in names} | set(names)


def _key(name: str, places: list[str]) -> str:
    """Name without its place but with its level: 连云港市消防救援支队特勤大队 → 市消防救援支队特勤大队,
    灌南县防汛抢险队 → 县防汛抢险队 (a city team and a county team stay different)."""
    s = re.sub(r"[\s（）()]", "", name)
    for p in places:
        if s.startswith(p) and len(s) - len(p) >= 3:
            return (p[-1] if p[-1] in "省市县区" else "") + s[len(p):]
    return s


def _place_names(corpus: Corpus) -> list[str]:
    names = set()
    for p in corpus.places:
        for n in [p.get("name"), *(p.get("aliases") or [])]:
            if n and len(n) >= 2:
                names.add(n)
    for p in corpus.plans:
        if p.jurisdiction and p.level != "企业":
            names.add(p.jurisdiction)
    return sorted(names, key=len, reverse=True)


def _named_part(candidate: str, places: list[str]) -> str | None:
    """The longest tail of a match that starts with a place or company name."""
    for i in range(len(candidate) - 3):
        tail = candidate[i:]
        if _GENERIC_START.match(tail):
            continue
        if _FUNCTION.search(tail) or "（" in tail[:8]:
            continue
        if any(tail.startswith(p) for p in places):
            return tail
        if re.search(r"各|等|有关|相关", tail):
            continue
        m = _PLACE_FORM.match(tail)
        if m and not _NOT_PLACE.search(m.group(0)[:-1]) or _COMPANY.match(tail):
            return tail
    return None


def _is_org_unit(name: str, places: list[str]) -> bool:
    """'东海县消防救援大队' is an administrative unit of an organisation, not a registry team."""
    from nlp.facts import find_organisations

    rest = _key(name, places)
    m = re.match(r"^(.+?)(大队|支队|中队)$", rest)
    if not m:
        return False
    return any(o.span == (0, len(m.group(1))) for o in find_organisations(m.group(1)))


def _known(name: str, keys: set[str], places: list[str]) -> bool:
    k = _key(name, places)
    if name in keys or k in keys:
        return True
    return any(len(x) >= 4 and (x.endswith(k) or k.endswith(x)) for x in keys if len(k) >= 4)


_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
                "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_EXPERT = re.compile(r"(?:专家|教授|研究员|高级工程师|高工)(?P<a>[\u4e00-\u9fff]{2,3}?)(?=同志|[，、。；（(）)]|担任|负责)"
                     r"|(?P<b>[\u4e00-\u9fff]{2,3})[（(][^（）()]{0,20}?(?:专家|教授|研究员|高级工程师)[^（）()]{0,6}[）)]")


def _experts(corpus: Corpus, plan: Plan) -> list[Finding]:
    """Experts named in person (专家张某、李某（化工专家）) who are not in the expert registry."""
    known = set(corpus.registry.get("Expert", []))
    if not known:
        return []
    found: dict[str, list] = {}
    for c in plan.clauses:
        for m in _EXPERT.finditer(c.text):
            name = m.group("a") or m.group("b")
            if name and name[0] in _SURNAMES and name not in known and not re.search(r"组|库|意见|研判|评估", name):
                found.setdefault(name, []).append(c)
    return [Finding("unknown_resource", MEDIUM, f"预案点名的专家“{name}”不在应急专家库中，无法核实其专业领域和联系方式。",
                    [plan.evidence(c) for c in clauses[:3]], f"核对“{name}”的姓名，或将其补录进专家库。", (plan.title,))
            for name, clauses in sorted(found.items())]


def check(corpus: Corpus, plans: list[Plan] | None = None) -> list[Finding]:
    if not any(corpus.registry.get(label) for label in ("Team", "Depot", "Shelter", "Expert")):
        return []
    places = _place_names(corpus)
    keys = _registry_keys(corpus, places)
    out: list[Finding] = []
    for plan in plans or corpus.plans:
        out += _experts(corpus, plan)
        found: dict[str, list] = {}
        if not any(corpus.registry.get(label) for label in ("Team", "Depot", "Shelter")):
            continue
        for c in plan.clauses:
            text = re.sub(r"《[^《》]*》", lambda m: "　" * len(m.group(0)), c.text)
            for m in _CANDIDATE.finditer(text):
                name = _named_part(m.group(0), places)
                if not name or _known(name, keys, places) or _is_org_unit(name, places):
                    continue
                found.setdefault(name, [])
                if c not in found[name]:
                    found[name].append(c)
        for name, clauses in sorted(found.items()):
            kind = next(k for k, rx in _KIND if re.search(rx, name))
            message = (f"预案点名的{_KIND_NAME[kind]}“{name}”在应急资源登记（队伍、物资、避难场所名录）中没有记录，"
                       f"调度对象无法核实和调用。")
            out.append(Finding("unknown_resource", MEDIUM, message, [plan.evidence(c) for c in clauses[:3]],
                               f"核对“{name}”的准确名称；确有该资源的，补录到资源登记中，否则改为登记中的资源。",
                               (plan.title,)))
    return out
