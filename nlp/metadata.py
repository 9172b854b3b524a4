"""Document metadata for emergency plans (预案) and regulations (法规).

``plan_metadata(rec)`` reads a plan's title block (``XX市人民政府办公室　2024年6月``, ``编号：…　版本：…``),
its self-positioning sentences (``本预案是《…》的专项预案``, ``与《…》相衔接``), scope (适用范围),
management clauses (``每3年评估修订一次``, ``由…负责解释``, ``《…》同时废止``) and references.
``regulation_metadata(rec)`` reads a law's promulgation note (通过/修正/修订/施行/废止).
``law_key(title)`` normalises a law title for matching.

Everything is pattern- and lexicon-based (jionlp's national divisions, the city gazetteer, the
incident taxonomy); nothing names a particular city.

    python -m nlp.metadata [FOLDER ...]   # field coverage over plan/regulation folders
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from nlp.numbers import cn_to_number
from nlp.records import DocumentRecord

LEVEL_RANK = {"国家": 0, "省": 1, "市": 2, "县区": 3, "园区": 4, "乡镇": 5, "企业": 6}
ORG_END = (r"(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|管理委员会|管委会|委员会|指挥部|分局|局|厅|委|部|办"
           r"|有限责任公司|有限公司|公司|集团|中心|院|所|站|队|厂)")
PARK = (r"(?:化工园区|工业园区|产业园区|经济技术开发区|高新技术产业开发区|经济开发区|开发区|高新区|新区|保税区|综合保税区"
        r"|产业基地|工业园|产业园|园区)")
COMPANY = r"(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|集团|公司|厂)"

# ---------------------------------------------------------------------------------------------
# dates


_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?)?")
_DATE_DASH = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?(?!\d)")
_CN_DATE = re.compile(r"(?P<y>[〇零○一二三四五六七八九]{4})年(?:(?P<m>[一二三四五六七八九十]{1,2})月(?:(?P<d>[一二三四五六七八九十]{1,3})日)?)?")


def _iso(y, m, d) -> str:
    out = f"{int(y):04d}"
    if m:
        out += f"-{int(m):02d}"
        if d:
            out += f"-{int(d):02d}"
    return out


def _cn(s: str | None) -> int | None:
    return None if not s else int(cn_to_number(s.replace("○", "〇")) or 0) or None


def find_dates(text: str) -> list[tuple[int, str]]:
    """(position, ISO date) for every written date: 2024年6月5日 → 2024-06-05, 2024年6月 → 2024-06,
    二〇二四年六月 → 2024-06, 2024-06-05."""
    out = [(m.start(), _iso(m.group("y"), m.group("m"), m.group("d"))) for m in _DATE.finditer(text)]
    out += [(m.start(), _iso(m.group("y"), m.group("m"), m.group("d"))) for m in _DATE_DASH.finditer(text)
            if 1 <= int(m.group("m")) <= 12]
    for m in _CN_DATE.finditer(text):
        y = "".join(str(int(cn_to_number(ch) or 0)) for ch in m.group("y").replace("○", "〇"))
        out.append((m.start(), _iso(y, _cn(m.group("m")), _cn(m.group("d")))))
    return sorted(out)


def iso_date(text: str) -> str | None:
    """The first date written in ``text`` as ISO (YYYY, YYYY-MM or YYYY-MM-DD), or None."""
    dates = find_dates(text or "")
    return dates[0][1] if dates else None


# ---------------------------------------------------------------------------------------------
# titles, places, levels


def law_key(title: str) -> str:
    """《中华人民共和国安全生产法》（2021年修正） → 安全生产法; for matching law and plan titles."""
    s = re.sub(r"\s+", "", title or "")
    s = s.strip("《》<>〈〉")
    s = re.sub(r"》.*$", "", s)
    s = re.sub(r"^中华人民共和国", "", s)
    while True:
        t = re.sub(r"[（(][^（）()]*(?:\d{4}|修正|修订|修改|草案|试行|暂行|版|令|号|〔)[^（）()]*[）)]$", "", s)
        if t == s:
            break
        s = t
    return s


def _admin_full():
    from nlp.places import admin_index
    return admin_index().full


def _gazetteer():
    from nlp.places import load_gazetteer
    return load_gazetteer()


NOT_ADMIN = {"城市", "都市", "超市", "门市", "社区", "景区", "港区", "矿区", "库区", "灾区", "山区", "林区", "市区", "城区",
             "片区", "辖区", "校区", "厂区", "罐区", "街区", "营区", "水库区", "保护区", "风景区", "居住区", "商业区", "地区"}
_LEVEL_OF_ADMIN = {"province": "省", "city": "市", "county": "县区"}
_ADMIN_NAME = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:特别行政区|自治区|自治州|自治县|省|市|县|区|旗|盟|州)")


def _admin_at(text: str, pos: int) -> tuple[str, str] | None:
    """(name, level) of a province/city/county full name written at ``pos`` (jionlp's table)."""
    full = _admin_full()
    for n in range(12, 1, -1):
        s = text[pos:pos + n]
        if len(s) == n and s in full and _ADMIN_NAME.fullmatch(s):
            return s, _LEVEL_OF_ADMIN[full[s][0].level]
    return None


def subject_of(title: str) -> tuple[str | None, str | None, str | None]:
    """(admin_level, jurisdiction, parent) for a plan title or an issuer name.

    ``灌南县堆沟港化工园区生产安全事故应急预案`` → (园区, 堆沟港化工园区, 灌南县);
    ``江苏海澜石化有限公司…`` → (企业, 江苏海澜石化有限公司, None); ``连云港市…`` → (市, 连云港市, None).
    """
    s = re.sub(r"^[#\s]+", "", title or "")
    if s.startswith(("国家", "国务院", "全国")):
        return "国家", "国家", None
    m = re.match(rf"^([\u4e00-\u9fff（）()]{{2,30}}?{COMPANY})(?=[\u4e00-\u9fff（(]|$)", s)
    if m and not re.search(r"预案|事故|事件|灾害", m.group(1)):
        return "企业", m.group(1), None
    chain: list[tuple[str, str]] = []
    pos = 0
    while len(chain) < 4:
        hit = _admin_at(s, pos) or _admin_guess(s, pos)
        if hit is None:
            break
        chain.append(hit)
        pos += len(hit[0])
    if chain and re.search(PARK + "$", chain[-1][0]) and not chain[-1][0].endswith("新区"):
        name = chain.pop()[0]            # a park the national table lists as a county (…工业园区)
        return "园区", name, chain[-1][0] if chain else None
    parent = chain[-1][0] if chain else None
    pm = re.match(rf"[\u4e00-\u9fff]{{2,14}}?{PARK}", s[pos:])
    if pm and not re.search(r"预案|事故|事件|灾害|应急", pm.group(0)):
        gaz = _gazetteer()
        name = pm.group(0)
        if gaz is not None and name in gaz.surfaces and gaz.places[gaz.surfaces[name]].kind in ("园区", "新区", "功能区"):
            place = gaz.places[gaz.surfaces[name]]
            return "园区", place.name, parent or place.parent
        if re.fullmatch(PARK, name) or len(name) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]{0,2}" + PARK, name):
            name = (parent or "") + name        # 甲市化工园区, not 化工园区
        return "园区", name, parent
    tm = re.match(r"[\u4e00-\u9fff]{1,6}?(?:镇|乡|街道)(?!办)", s[pos:])
    if chain and tm and not re.search(r"预案|事故|事件|灾害|应急|城镇", tm.group(0)):
        return "乡镇", tm.group(0), parent
    if chain:
        name, level = chain[-1]
        return level, name, chain[-2][0] if len(chain) > 1 else None
    return None, None, None


def _admin_guess(text: str, pos: int) -> tuple[str, str] | None:
    """A division the national table does not know (甲市, 乙县), by its suffix."""
    m = re.compile(r"([\u4e00-\u9fff]{1,5}?)(自治区|自治州|自治县|省|市|州|盟|县|旗|区)").match(text, pos)
    if not m or any(m.group(0).endswith(w) for w in NOT_ADMIN) or re.search(PARK + "$", m.group(0)) or \
            re.search(r"预案|事故|事件|灾害|应急|突发|[镇乡]", m.group(0)):
        return None
    level = {"自治区": "省", "省": "省", "市": "市", "自治州": "市", "州": "市", "盟": "市"}.get(m.group(2), "县区")
    return m.group(0), level


# ---------------------------------------------------------------------------------------------
# plan metadata


@dataclass
class PlanMeta:
    title: str
    issuer: str | None = None              # 印发/发布 unit (title block), else 负责解释 unit
    interpreter: str | None = None         # 由…负责解释
    date: str | None = None                # issue date, ISO (YYYY-MM or YYYY-MM-DD)
    effective: str | None = None           # 施行 date when stated (印发之日 → date)
    admin_level: str | None = None         # 国家/省/市/县区/园区/乡镇/企业
    jurisdiction: str | None = None
    jurisdiction_parent: str | None = None
    version: str | None = None             # 第3版 / 2024年修订 …
    doc_number: str | None = None          # 编号 / 文号
    plan_type: str | None = None           # 总体/专项/部门/综合/现场处置方案
    components: list[str] = field(default_factory=list)    # 专项预案/现场处置方案 inside a 综合预案
    incident_types: list[str] = field(default_factory=list)
    supersedes: list[dict] = field(default_factory=list)   # {"title", "year", "version"}
    sits_under: list[str] = field(default_factory=list)    # higher plans (专项预案 of / 框架下 / 衔接 upward)
    links: list[str] = field(default_factory=list)         # same-level plans it says it 衔接 with
    cites: list[str] = field(default_factory=list)         # plan titles cited
    legal_basis: list[dict] = field(default_factory=list)  # {"title", "kind", "version"}
    lists_plans: list[str] = field(default_factory=list)   # plans named in a 预案目录 table
    review_period_years: float | None = None
    last_revised: int | None = None

    def to_json(self) -> dict:
        return asdict(self)


_KV = re.compile(r"(编号|文号|版本号?|版次|编制单位|发布单位|印发单位|制定单位|发布日期|印发日期|发布时间|印发时间"
                 r"|实施日期|施行日期|生效日期)\s*[：:]\s*([^\s　：:]+)")
_DOCNO = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,10}[〔\[［]\d{4}[〕\]］]\s*\d+\s*号")
_ISSUE_VERB = r"(?:印发|发布|制定|修订|施行|实施|编制|制发)"


def _head_lines(rec: DocumentRecord) -> list[str]:
    """Lines of the title block: after the title, before the first section (at most 8)."""
    end = rec.sections[0].start if rec.sections else len(rec.text)
    lines = [x.strip().lstrip("#").strip() for x in rec.text[:end].split("\n")]
    lines = [x for x in lines if x]
    if lines and lines[0] == rec.title.strip():
        lines = lines[1:]
    return lines[:8]


def _issuer_line(line: str) -> tuple[str | None, str | None]:
    """'（东海县人民政府　2022年6月印发）' → ('东海县人民政府', '2022-06')."""
    s = line.strip().strip("（）()[]【】")
    dates = find_dates(s)
    if not dates:
        return None, None
    org = s
    for rx in (_DATE, _CN_DATE, _DATE_DASH):
        org = rx.sub(" ", org)
    org = re.sub(_ISSUE_VERB + r"|于|日期|时间|[：:，,。]", " ", org)
    parts = [p for p in re.split(r"[\s　]+", org) if p]
    orgs = [p for p in parts if re.search(ORG_END + "$", p) and 2 <= len(p) <= 40]
    if len(parts) > 2 or (parts and not orgs):
        return None, dates[0][1]
    return (orgs[0] if orgs else None), dates[0][1]


def _title_block(rec: DocumentRecord, meta: PlanMeta) -> None:
    lines = _head_lines(rec)
    tail = [x.strip() for x in rec.text.rstrip().split("\n")[-4:] if x.strip()]
    for line in lines:
        for m in _KV.finditer(line):
            key, val = m.group(1), m.group(2)
            if key in ("编号", "文号"):
                meta.doc_number = meta.doc_number or val
            elif key.startswith("版"):
                meta.version = meta.version or val
            elif key.endswith("单位"):
                meta.issuer = meta.issuer or val
            elif key[:2] in ("实施", "施行", "生效"):
                meta.effective = meta.effective or iso_date(val)
            else:
                meta.date = meta.date or iso_date(val)
        if not meta.doc_number and _DOCNO.search(line):
            meta.doc_number = re.sub(r"\s+", "", _DOCNO.search(line).group(0))
        if _KV.search(line):
            continue
        org, date = _issuer_line(line)
        if not org and not date and re.fullmatch(rf"[\u4e00-\u9fff（）()]{{2,40}}?{ORG_END}", line.strip("（）() 　")) \
                and not re.search(r"预案|方案", line):
            org = line.strip("（）() 　")
        if org and not meta.issuer:
            meta.issuer = org
        if date and not meta.date and (org or len(line) <= 24):
            meta.date = date
    if not meta.issuer or not meta.date:
        for line in tail:        # 版记 at the end: "XX市人民政府办公室　2024年6月5日印发"
            if len(line) <= 50 and re.search(_ISSUE_VERB + r"[）)]?$", line):
                org, date = _issuer_line(line)
                meta.issuer = meta.issuer or org
                meta.date = meta.date or date


_INTERPRETER = re.compile(r"由([^，。；、由]{2,40}?)(?:会同[^，。；]{2,40}?)?负责(?:解释|本预案(?:的)?解释)")
_ISSUED_BY = re.compile(r"本预案(?:由|经)([^，。；]{2,40}?" + ORG_END + r")(?:审定|批准)?(?:后)?(?:印发|发布)")
_EFFECTIVE = re.compile(r"自\s*(?P<date>[^，。；起]{4,16}?)\s*起(?:施行|实施|执行|生效)")
_REVIEW = re.compile(r"每\s*(?P<n>[\d一二两三四五六七八九十半]+)\s*(?:个)?年(?:至少|原则上)?[^。；，]{0,6}?(?:评估|修订|修改|评审|更新|复审)")


def _management(rec: DocumentRecord, meta: PlanMeta) -> None:
    text = rec.text
    m = _INTERPRETER.search(text)
    if m:
        meta.interpreter = m.group(1).strip()
    if not meta.issuer:
        m = _ISSUED_BY.search(text)
        meta.issuer = m.group(1) if m else meta.interpreter
    for m in _EFFECTIVE.finditer(text):
        phrase = m.group("date")
        if re.search(r"印发|发布|公布|颁布|之日", phrase):
            meta.effective = meta.effective or meta.date
        elif iso_date(phrase):
            meta.effective = meta.effective or iso_date(phrase)
        break
    m = _REVIEW.search(text)
    if m:
        n = m.group("n")
        years = 0.5 if n == "半" else cn_to_number(n)
        meta.review_period_years = int(years) if years == int(years) else years


_VERSION_IN_TITLE = re.compile(r"[（(]\s*((?:(?:19|20)\d{2})\s*年?\s*(?:修订|修正|修改|版|试行)?[^（）()]{0,6}|修订版|修订稿|试行)\s*[）)]")
_VERSION_LINE = re.compile(r"((?:19|20)\d{2})\s*年\s*(修订|修正|修改|版)|第\s*[\d一二三四五六七八九十]+\s*版|修订版|[Vv]\d+(?:\.\d+)*")
_SELF_REVISED = re.compile(r"本预案(?:于|经|在)?\s*((?:19|20)\d{2})\s*年[^。；]{0,12}?(?:修订|修正|修改)")


def _version(rec: DocumentRecord, meta: PlanMeta) -> None:
    m = _VERSION_IN_TITLE.search(rec.title)
    if m and not meta.version:
        meta.version = m.group(1).strip()
    if not meta.version:
        for line in _head_lines(rec):
            if _issuer_line(line)[0] and not re.search(r"修订|修正|版", line):
                continue
            vm = _VERSION_LINE.search(line)
            if vm:
                meta.version = vm.group(0)
                break
    if not meta.version:
        m = _SELF_REVISED.search(rec.text)
        if m:
            meta.version = m.group(1) + "年修订"
    year = re.search(r"(?:19|20)\d{2}", meta.version or "")
    if year:
        meta.last_revised = int(year.group(0))
    elif meta.date:
        meta.last_revised = int(meta.date[:4])


# ---------------------------------------------------------------------------------------------
# plan type, components


_COMPONENT = re.compile(r"^(?:第[一二三四五六七八九十\d]+部分[\s　]*)?([^，。；：:|｜]{0,30}?(?:综合应急预案|专项应急预案|现场处置方案|应急处置卡))$")
_SELF = re.compile(r"本(?:预案|方案)(?:是|为|属于|作为|系)")


def _components(rec: DocumentRecord) -> list[str]:
    out: list[str] = []
    cands = sorted([(s.start, s.heading) for s in rec.sections] +
                   [(c.start, c.text) for c in rec.clauses if len(c.text) <= 32])
    for _, h in cands:
        m = _COMPONENT.match((h or "").strip())
        if m and m.group(1) not in out and m.group(1) != rec.title:
            out.append(m.group(1))
    generic = {"专项应急预案", "现场处置方案", "应急处置卡"}
    return [x for x in out if x not in generic or not any(y.endswith(x) and y != x for y in out)]


def _self_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。；\n]", text) if _SELF.search(s) or ("衔接" in s and "《" in s)]


def _plan_type(rec: DocumentRecord, meta: PlanMeta, selfs: list[str]) -> str | None:
    title = rec.title
    if re.search(r"总体应急预案|总体预案", title):
        return "总体"
    if re.search(r"现场处置方案$", title):
        return "现场处置方案"
    if re.search(r"专项应急预案$", title) and meta.admin_level == "企业":
        return "专项"
    if meta.admin_level == "企业":
        return "综合"
    for s in selfs:
        tail = s[_SELF.search(s).end():] if _SELF.search(s) else ""
        if re.search(r"部门(?:应急)?预案", tail):
            return "部门"
        if re.search(r"专项(?:应急)?预案|衔接预案", tail):
            return "专项"
        if re.search(r"联合(?:应急)?预案", tail):
            return "联合"
    issuer = meta.issuer or ""
    if issuer and re.search(r"(?:局|委员会|委|厅|部)$", issuer) and not re.search(r"政府|办公[室厅]|管委会|管理委员会", issuer):
        return "部门"
    return "专项"


# ---------------------------------------------------------------------------------------------
# relations to other plans


_TITLE = re.compile(r"《([^《》]{2,80})》")
_SUB_BEFORE = re.compile(r"(?:是|为|属于|作为|系|在|向上与|上与|纳入|服从|隶属于?)$")
_SUB_AFTER = re.compile(r"^(?:的|在[^，。；]{0,12}的|框架|指导|统一|体系|之下|下)")
_LINK_AFTER = re.compile(r"^[^，。；]{0,6}?(?:相衔接|衔接|相配套|配套|协调一致)")
_SYSTEM = re.compile(r"是([^，。；《》]{2,30}?(?:应急)?预案)体系的(?:组成部分|子预案)")


def _title_groups(sentence: str):
    """Consecutive 《…》 titles joined by 、和及与 share their context: yields (titles, before, after)."""
    ms = list(_TITLE.finditer(sentence))
    i = 0
    while i < len(ms):
        j = i
        while j + 1 < len(ms) and re.fullmatch(r"[、，,和及与以及\s]*", sentence[ms[j].end():ms[j + 1].start()]):
            j += 1
        yield [m.group(1).strip() for m in ms[i:j + 1]], sentence[:ms[i].start()], sentence[ms[j].end():]
        i = j + 1


def _rank(title: str) -> int | None:
    level = subject_of(title)[0]
    return LEVEL_RANK.get(level) if level else None


def _relations(rec: DocumentRecord, meta: PlanMeta, selfs: list[str]) -> None:
    own = law_key(rec.title)
    my_rank = LEVEL_RANK.get(meta.admin_level or "", 9)

    def add(lst: list[str], t: str) -> None:
        if law_key(t) != own and t not in lst:
            lst.append(t)

    for s in selfs:
        for m in _SYSTEM.finditer(s):
            add(meta.sits_under, m.group(1))
        for titles, before, after in _title_groups(s):
            if not re.search(r"预案|方案", "".join(titles)):
                continue
            b = before[-8:]
            if _SUB_BEFORE.search(b) and (_SUB_AFTER.search(after) or "向上" in b or "纳入" in b):
                for t in titles:
                    add(meta.sits_under, t)
            elif _LINK_AFTER.search(after) or re.search(r"(?:与|同)$", b):
                for t in titles:
                    r = _rank(t)
                    higher = r is not None and r < my_rank
                    add(meta.sits_under if higher or "向上" in b else meta.links, t)
    if not meta.sits_under and meta.plan_type in ("专项", "部门", "总体", "综合"):
        # not stated: the nearest 总体预案 it cites at its own level (or the closest above)
        best = None
        for t in meta.cites:
            if "总体" not in t:
                continue
            r = _rank(t)
            if r is None or r > my_rank or (r == my_rank and meta.plan_type == "总体"):
                continue
            if best is None or r > best[0]:
                best = (r, t)
        if best:
            meta.sits_under.append(best[1])


def find_supersedes(text: str, own_title: str = "") -> list[dict]:
    """Documents a text says it replaces: 《…》（2019年）同时废止 / 代替《…》 / 原…版本同时废止."""
    out: list[dict] = []
    replace_verbs = ("代替", "替代", "取代")
    for clause in re.split(r"[。；;\n]", text):
        for part in re.split(r"[，,]", clause):
            kw = re.search(r"同时废止|予以废止|废止|停止适用|停止执行|不再执行|同时作废|代替|替代|取代", part)
            if not kw:
                continue
            titles = [m for m in _TITLE.finditer(part)
                      if (m.start() > kw.start()) == (kw.group(0) in replace_verbs)]
            for m in titles:
                after = re.match(r"^\s*[（(]([^（）()]{2,30})[）)]", part[m.end():])
                version = after.group(1) if after else None
                years = re.findall(r"(?:19|20)\d{2}", version or "") or \
                    re.findall(r"(?:19|20)\d{2}", re.split(r"》", part[:m.start()])[-1])[-1:]
                out.append({"title": m.group(1), "year": int(years[0]) if years else None, "version": version})
            if not titles and re.search(r"版本|原预案|原办法|原条例|原规定|原方案", part[:kw.start()]):
                years = list(dict.fromkeys(int(y) for y in re.findall(r"(?:19|20)\d{2}", part[:kw.start()])))
                verb = re.search(r"修正|修订|修改", part[:kw.start()])
                for y in years or [None]:
                    out.append({"title": law_key(own_title) or None, "year": y,
                                "version": f"{y}年{verb.group(0)}" if y and verb else None})
    return out


# ---------------------------------------------------------------------------------------------
# incident types


def _taxonomy_surfaces() -> list[tuple[str, str]]:
    """(surface, code): taxonomy names, and aliases of 4+ characters, longest first."""
    from nlp.incident import lexicons

    lex = lexicons()
    out = []
    for code, e in lex.taxonomy.items():
        if len(e.name) >= 2:
            out.append((e.name, code))
        out.extend((a, code) for a in e.aliases if len(a) >= 4)
    return sorted(out, key=lambda x: -len(x[0]))


def _surface_codes(text: str, roots: bool) -> list[str]:
    from nlp.incident import lexicons

    lex = lexicons()
    out: list[str] = []
    taken = [False] * len(text)
    for surface, code in _taxonomy_surfaces():
        for m in re.finditer(re.escape(surface), text):
            if any(taken[m.start():m.end()]):
                continue
            if re.search(r"(?:无|非|不含|不包括|除)$", text[max(0, m.start() - 3):m.start()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            if (roots or code not in lex.roots) and code not in out:
                out.append(code)
    return out


def _scope_text(rec: DocumentRecord) -> str:
    parts = [rec.text[s.start:s.end] for s in rec.sections if re.search(r"适用范围|适用对象|范围", s.heading or "")]
    parts += [c.text for c in rec.clauses if re.search(r"本(?:预案|方案)适用于|适用范围", c.text)]
    sents = [s for s in re.split(r"[。\n]", "\n".join(parts)) if "适用" in s]
    return "\n".join(dict.fromkeys(sents))


def _incident_types(rec: DocumentRecord, meta: PlanMeta) -> list[str]:
    from nlp.incident import classify, lexicons

    lex = lexicons()
    codes: list[str] = []

    def add(c):
        if c and c not in codes:
            codes.append(c)

    if meta.plan_type == "总体":
        for c in sorted(lex.roots):
            if lex.taxonomy[c].name in rec.text:
                add(c)
    main = re.sub(r"[（(][^（）()]*[）)]", "", rec.title)
    if meta.jurisdiction and meta.admin_level == "企业":
        main = main.replace(meta.jurisdiction, "")
    add(classify(main))
    for c in _surface_codes(main, roots=False):
        add(c)
    for inner in re.findall(r"[（(]([^（）()]+)[）)]", rec.title):
        add(classify(inner))
    scope = _scope_text(rec)
    for seg in re.split(r"以及|；|\n", scope):
        if len(seg) >= 4:
            add(classify(seg))
    for c in _surface_codes(scope, roots=meta.plan_type == "总体"):
        add(c)
    if not codes:            # only a category is named (突发公共卫生事件应急预案)
        for c in _surface_codes(main + "\n" + scope, roots=True):
            add(c)
    return codes


# ---------------------------------------------------------------------------------------------
# public API


def _references(rec: DocumentRecord):
    from nlp.facts import extract_references
    from nlp.outline import parse_outline

    return extract_references(parse_outline(rec.text, rec.title))


def _table_plans(rec: DocumentRecord) -> list[str]:
    """Plan titles in a directory table (序号|预案名称|类别|…) such as a 总体预案's annex."""
    out = []
    for line in rec.text.split("\n"):
        if "|" not in line and "｜" not in line:
            continue
        for cell in re.split(r"[|｜]", line):
            cell = cell.strip().strip("《》")
            if re.search(r"(?:应急预案|处置方案)(?:[（(][^）)]*[）)])?$", cell) and len(cell) > 6 and cell != rec.title:
                if cell not in out:
                    out.append(cell)
    return out


def plan_metadata(rec: DocumentRecord) -> PlanMeta:
    """Metadata of one plan record (see the module docstring)."""
    meta = PlanMeta(title=rec.title.strip().lstrip("#").strip())
    _title_block(rec, meta)
    _management(rec, meta)
    _version(rec, meta)
    level, juris, parent = subject_of(meta.title)
    if level is None and meta.issuer:
        level, juris, parent = subject_of(meta.issuer)
    if level is None and meta.issuer and re.search(r"国务院|^[^省市县区]{2,8}部$", meta.issuer):
        level, juris = "国家", "国家"
    meta.admin_level, meta.jurisdiction, meta.jurisdiction_parent = level, juris, parent
    if meta.issuer and level == "企业" and not re.search(COMPANY, meta.issuer):
        meta.issuer = juris if meta.issuer == meta.interpreter else meta.issuer
    selfs = _self_sentences(rec.text)
    meta.plan_type = _plan_type(rec, meta, selfs)
    if meta.plan_type in ("综合", "专项") and level == "企业":
        meta.components = _components(rec)
    refs = _references(rec)
    own = law_key(meta.title)
    for r in refs:
        if r.kind == "plan" and law_key(r.title) != own and r.title not in meta.cites:
            meta.cites.append(r.title)
        elif r.kind != "plan" and r.title not in [x["title"] for x in meta.legal_basis]:
            meta.legal_basis.append({"title": r.title, "kind": r.kind, "version": r.version})
    _relations(rec, meta, selfs)
    meta.supersedes = find_supersedes(rec.text, meta.title)
    meta.incident_types = _incident_types(rec, meta)
    if meta.plan_type == "总体":
        meta.lists_plans = _table_plans(rec)
    return meta


@dataclass
class RegulationMeta:
    title: str
    key: str
    version: str | None = None       # 2021年修正 / 2024年修订 / 2024年
    date: str | None = None          # effective date of the current text, ISO
    issuer: str | None = None        # 全国人大常委会 / 国务院 / 国务院办公厅 / 应急管理部 …
    doc_number: str | None = None    # 国务院令第493号 / 国办发〔2024〕5号
    supersedes: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


_ISSUERS = [
    (r"全国人民代表大会常务委员会|全国人大常委会", "全国人大常委会"),
    (r"全国人民代表大会(?!常务)", "全国人大"),
    (r"国务院办公厅|国办发", "国务院办公厅"),
    (r"国务院(?:令|第\d+次常务会议|常务会议|公布|发布|印发)", "国务院"),
]
_LOCAL_ISSUER = re.compile(r"([\u4e00-\u9fff]{1,10}?(?:省|自治区|市))(人民代表大会常务委员会|人民政府(?:办公厅|办公室)?)")
_ORDER_NO = re.compile(r"(?:国务院|[\u4e00-\u9fff]{2,12}?(?:部|委员会|总局|局|署|人民政府))令第\s*\d+\s*号")
_MINISTRY = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:部|委员会|总局|局|署))(?:令|第\d+号令|公告|发布|印发)")


def _regulation_issuer(note: str) -> str | None:
    note = _DATE.sub(" ", note)
    for rx, name in _ISSUERS:
        if re.search(rx, note):
            return name
    m = _LOCAL_ISSUER.search(note)
    if m:
        return m.group(1) + ("人大常委会" if m.group(2).startswith("人民代表大会") else m.group(2))
    m = _MINISTRY.search(note)
    return m.group(1) if m else None


def regulation_metadata(rec: DocumentRecord) -> RegulationMeta:
    """Title, version, effective date, issuer and superseded texts of a law or regulation."""
    title = rec.title.strip().lstrip("#").strip()
    meta = RegulationMeta(title=title, key=law_key(title))
    lines = []
    for x in rec.text.split("\n")[1:8]:
        x = x.strip()
        if re.match(r"说明|注[：:]|第[一二三四五六七八九十\d]+[章条]|[一二三四五六七八九十]+、", x):
            break
        lines.append(x)
    note = "\n".join(x for x in lines if re.search(r"通过|公布|施行|修正|修订|印发|发布|令", x))[:600]
    m = re.search(r"[（(]\s*((?:19|20)\d{2}\s*年\s*(?:修正|修订|修改|版)?)\s*[）)]", title)
    if m:
        meta.version = re.sub(r"\s+", "", m.group(1))
    else:
        revs = re.findall(r"((?:19|20)\d{2})年\d{1,2}月\d{1,2}日[^；;。]{0,60}?(修正|修订)", note)
        if revs:
            meta.version = f"{revs[-1][0]}年{revs[-1][1]}"
    best = None
    for clause in re.split(r"[；;。\n]", note):
        em = _EFFECTIVE.search(clause)
        if not em:
            continue
        date = iso_date(em.group("date")) if iso_date(em.group("date")) else iso_date(clause)
        if date and (best is None or date > best):
            best = date
    meta.date = best
    meta.issuer = _regulation_issuer(note)
    numbers = [m.group(0) for m in re.finditer(_ORDER_NO.pattern + "|" + _DOCNO.pattern, note)
               if note[m.end():m.end() + 1] != "《" and not re.search(r"》\s*[（(]$", note[:m.start()])]
    if numbers:
        meta.doc_number = re.sub(r"\s+", "", numbers[-1])
    meta.supersedes = find_supersedes(note, title)
    return meta


# ---------------------------------------------------------------------------------------------
# coverage


PLAN_FIELDS = ("issuer", "interpreter", "date", "effective", "admin_level", "jurisdiction", "version", "doc_number",
               "plan_type", "components", "incident_types", "supersedes", "sits_under", "links", "cites",
               "legal_basis", "review_period_years", "last_revised")


def coverage(folders: list[str]) -> dict:
    """How many plans / regulations in ``folders`` get each field."""
    from pathlib import Path

    from nlp.document import build_record

    plans, regs = [], []
    for folder in folders:
        for p in sorted(Path(folder).iterdir()):
            if not p.is_file():
                continue
            rec = build_record(p)
            if rec.kind == "plan":
                plans.append(plan_metadata(rec).to_json())
            elif rec.kind == "regulation":
                regs.append(regulation_metadata(rec).to_json())
    count = lambda rows, f: sum(1 for r in rows if r.get(f) not in (None, [], ""))  # noqa: E731
    return {"plans": len(plans), "plan_fields": {f: count(plans, f) for f in PLAN_FIELDS},
            "regulations": len(regs),
            "regulation_fields": {f: count(regs, f) for f in ("version", "date", "issuer", "doc_number", "supersedes")}}


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "corpora" / "lianyungang"
    ap = argparse.ArgumentParser(description="plan/regulation metadata coverage")
    ap.add_argument("folders", nargs="*", default=[str(root / "plans"), str(root / "regulations")])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    cov = coverage(args.folders)
    if args.json:
        print(json.dumps(cov, ensure_ascii=False, indent=2))
        return 0
    for kind, fields in (("plans", "plan_fields"), ("regulations", "regulation_fields")):
        print(f"{kind}: {cov[kind]}")
        for f, n in cov[fields].items():
            print(f"  {f:<20} {n:>3}/{cov[kind]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
