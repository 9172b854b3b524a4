"""Load resource registries (名录): rescue teams, supplies, equipment, experts, shelters and
major hazard sources, from CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16) or XLSX files.

    result = load_registry("救援队伍.csv")
    result.kind      # "team"
    result.records   # [Team(...), ...]
    result.errors    # [RowError(file, row, column, message), ...]  bad rows, skipped

A bad row never stops the load: it is reported with the spreadsheet row number (1-based, as
Excel/WPS shows it) and the column header, and left out. A file that cannot be read at all,
or whose header cannot be mapped, raises `RegistryError` with one Chinese sentence.

Column headers are matched through `HEADER_SYNONYMS` (per kind, per field). The header row is
the first of the first `HEADER_SCAN_ROWS` rows that maps at least `MIN_HEADER_COLUMNS` known
columns, so a title row above the header is fine. Cells are read as data only: formulas are
never evaluated (XLSX is opened with data_only=True, which yields the cached value).
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from nlp.loaders import LoadError

MAX_BYTES = 50 * 1024 * 1024        # files larger than this are refused
MAX_ROWS = 100_000                  # data rows read from one file; the rest is reported
MAX_COLS = 200                      # columns looked at in one row
HEADER_SCAN_ROWS = 30               # the header must be within the first rows
MIN_HEADER_COLUMNS = 3              # a header row maps at least this many known columns
MAX_BLANK_RUN = 10_000              # stop an XLSX sheet after this many blank rows in a row
MAX_CELL_CHARS = 10_000             # longer cells are reported and the row skipped

KINDS = ("team", "supply", "equipment", "expert", "shelter", "hazard_source")
KIND_NAMES_ZH = {
    "team": "救援队伍",
    "supply": "应急物资",
    "equipment": "应急装备",
    "expert": "应急专家",
    "shelter": "避难场所",
    "hazard_source": "重大危险源",
}
# file-name keywords per kind (a file name hitting exactly one kind decides it)
FILENAME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "team": ("队伍", "救援队", "抢险队", "救援力量"),
    "supply": ("物资",),
    "equipment": ("装备", "设备"),
    "expert": ("专家",),
    "shelter": ("避难", "避险", "安置点", "安置场所", "疏散场所"),
    "hazard_source": ("危险源",),
}


class RegistryError(LoadError):
    """A registry file that cannot be loaded at all (unreadable, empty, unmappable header)."""


@dataclass(frozen=True)
class RowError:
    file: str
    row: int          # 1-based spreadsheet row number; 0 when the error concerns the whole file
    column: str       # the column header as written in the file ("" when not about one cell)
    message: str      # Chinese

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else ""
        col = f"「{self.column}」列" if self.column else ""
        return f"{Path(self.file).name} {where}{col}：{self.message}"


# ---------------------------------------------------------------------------------------------
# records, one class per kind


@dataclass
class Team:
    name: str
    team_type: str | None = None
    specialities: list[str] = field(default_factory=list)
    size: int | None = None
    org: str | None = None
    county: str | None = None
    address: str | None = None
    lon: float | None = None
    lat: float | None = None
    contact: str | None = None
    phone: str | None = None
    equipment: list[str] = field(default_factory=list)


@dataclass
class Supply:
    name: str
    supply_class: str | None = None
    spec: str | None = None
    quantity: int | float | None = None
    unit: str | None = None
    depot: str | None = None
    county: str | None = None
    lon: float | None = None
    lat: float | None = None
    org: str | None = None
    phone: str | None = None


@dataclass
class Equipment:
    name: str
    equip_class: str | None = None
    quantity: int | float | None = None
    unit: str | None = None
    org: str | None = None
    location: str | None = None
    county: str | None = None
    lon: float | None = None
    lat: float | None = None
    performance: str | None = None
    phone: str | None = None


@dataclass
class Expert:
    name: str
    field: str | None = None
    org: str | None = None
    title: str | None = None
    phone: str | None = None
    expertise: str | None = None


@dataclass
class Shelter:
    name: str
    shelter_type: str | None = None
    county: str | None = None
    address: str | None = None
    area_m2: int | float | None = None
    capacity: int | None = None
    lon: float | None = None
    lat: float | None = None
    org: str | None = None


@dataclass
class HazardSource:
    name: str
    company: str | None = None
    county: str | None = None
    park: str | None = None
    chemicals: list[str] = field(default_factory=list)
    level: str | None = None
    lon: float | None = None
    lat: float | None = None
    hazards: list[str] = field(default_factory=list)


RECORD_CLASSES: dict[str, type] = {
    "team": Team, "supply": Supply, "equipment": Equipment,
    "expert": Expert, "shelter": Shelter, "hazard_source": HazardSource,
}

Record = Team | Supply | Equipment | Expert | Shelter | HazardSource

# ---------------------------------------------------------------------------------------------
# columns: value type, required fields and header synonyms

# value types: text, list (multi-valued), int, number (int or float), lon, lat
FIELD_TYPES: dict[str, dict[str, str]] = {
    "team": {"size": "int", "specialities": "list", "equipment": "list", "lon": "lon", "lat": "lat"},
    "supply": {"quantity": "number", "lon": "lon", "lat": "lat"},
    "equipment": {"quantity": "number", "lon": "lon", "lat": "lat"},
    "expert": {},
    "shelter": {"area_m2": "number", "capacity": "int", "lon": "lon", "lat": "lat"},
    "hazard_source": {"chemicals": "list", "hazards": "list", "lon": "lon", "lat": "lat"},
}

# a column that must be present in the header, and a value that must be present in each row
REQUIRED: dict[str, tuple[str, ...]] = {
    "team": ("name",),
    "supply": ("name", "quantity"),
    "equipment": ("name",),
    "expert": ("name", "field"),
    "shelter": ("name",),
    "hazard_source": ("name", "company"),
}

# fields that, with the kind, make a record's stable id (see record_id)
ID_FIELDS: dict[str, tuple[str, ...]] = {
    "team": ("name",),
    "supply": ("name", "depot"),
    "equipment": ("name", "org", "location"),
    "expert": ("name",),
    "shelter": ("name",),
    "hazard_source": ("name", "company"),
}

_LON = ("经度", "lon", "lng", "long", "longitude", "X坐标", "X", "东经", "经度坐标")
_LAT = ("纬度", "lat", "latitude", "Y坐标", "Y", "北纬", "纬度坐标")
_COUNTY = ("所在区县", "区县", "县区", "所属区县", "所在县区", "县（区）", "区（县）", "行政区",
           "行政区划", "所在地区", "所属地区", "所在区域", "区域", "辖区")
_PHONE = ("联系电话", "电话", "手机", "手机号码", "联系方式", "值班电话", "办公电话", "联系人电话")
_ORG = ("主管单位", "所属单位", "管理单位", "责任单位", "依托单位", "隶属单位", "主管部门")

HEADER_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "team": {
        "name": ("队伍名称", "名称", "队伍", "救援队伍名称", "救援队伍", "队伍全称", "队名"),
        "team_type": ("队伍类型", "类型", "队伍类别", "队伍性质", "队伍分类", "类别"),
        "specialities": ("专业特长", "专长", "救援专业", "专业类别", "专业", "救援能力", "擅长救援类型",
                         "主要专业"),
        "size": ("人数", "队伍人数", "队员人数", "人员数量", "规模", "人员规模", "总人数"),
        "org": _ORG,
        "county": _COUNTY,
        "address": ("地址", "驻地", "驻地地址", "详细地址", "所在地址", "队伍地址", "营区地址"),
        "lon": _LON,
        "lat": _LAT,
        "contact": ("联系人", "负责人", "队长", "责任人"),
        "phone": _PHONE,
        "equipment": ("主要装备", "装备", "装备情况", "主要装备器材", "配备装备", "装备器材"),
    },
    "supply": {
        "name": ("物资名称", "名称", "物资", "品名", "物资品名"),
        "supply_class": ("物资类别", "类别", "物资分类", "分类", "物资类型", "类型"),
        "spec": ("规格型号", "规格", "型号", "规格参数"),
        "quantity": ("数量", "库存数量", "储备数量", "库存", "储备量", "现有数量", "库存量", "实有数量"),
        "unit": ("单位", "计量单位", "数量单位"),
        "depot": ("储备库", "存放地点", "仓库", "库点", "储备地点", "存储地点", "储备库名称", "仓库名称",
                  "储备库点", "存放位置"),
        "county": _COUNTY,
        "lon": _LON,
        "lat": _LAT,
        "org": ("管理单位", "所属单位", "主管单位", "责任单位", "储备单位"),
        "phone": _PHONE,
    },
    "equipment": {
        "name": ("装备名称", "名称", "设备名称", "装备", "装备器材名称"),
        "equip_class": ("装备类别", "类别", "装备类型", "类型", "分类", "装备分类"),
        "quantity": ("数量", "台套数", "装备数量", "台（套）数", "现有数量"),
        "unit": ("单位", "计量单位"),
        "org": ("所属单位", "管理单位", "主管单位", "配备单位", "责任单位"),
        "location": ("存放地点", "存放位置", "所在位置", "停放地点", "储备库", "库点", "仓库", "存放场所"),
        "county": _COUNTY,
        "lon": _LON,
        "lat": _LAT,
        "performance": ("主要性能", "性能参数", "技术参数", "性能", "主要功能", "性能指标"),
        "phone": _PHONE,
    },
    "expert": {
        "name": ("姓名", "专家姓名", "名称", "专家"),
        "field": ("专业领域", "专业", "领域", "专家类别", "专业类别", "所属领域", "专家领域"),
        "org": ("工作单位", "单位", "所在单位", "单位名称", "工作单位及职务"),
        "title": ("职称", "职务", "技术职称", "职称职务", "职务职称"),
        "phone": _PHONE,
        "expertise": ("擅长方向", "专长", "研究方向", "擅长领域", "专业特长", "主要专长", "擅长"),
    },
    "shelter": {
        "name": ("场所名称", "名称", "避难场所名称", "避难场所", "应急避难场所名称", "场所"),
        "shelter_type": ("类型", "场所类型", "类别", "级别", "场所类别", "避难场所类型"),
        "county": _COUNTY,
        "address": ("地址", "位置", "详细地址", "所在位置", "场所地址"),
        "area_m2": ("面积_平方米", "面积", "占地面积", "有效面积", "避难面积", "有效避难面积", "用地面积"),
        "capacity": ("容纳人数", "可容纳人数", "容量", "疏散人数", "容纳能力", "可安置人数", "安置人数"),
        "lon": _LON,
        "lat": _LAT,
        "org": ("管理单位", "主管单位", "责任单位", "产权单位", "所属单位"),
    },
    "hazard_source": {
        "name": ("危险源名称", "名称", "重大危险源名称", "危险源", "单元名称", "危险源单元"),
        "company": ("所属企业", "企业名称", "企业", "单位名称", "所属单位", "生产经营单位"),
        "county": _COUNTY,
        "park": ("园区", "所在园区", "化工园区", "所属园区", "园区名称"),
        "chemicals": ("危险化学品", "主要危险化学品", "危化品名称", "化学品", "涉及危险化学品",
                      "危险化学品名称", "危化品", "主要物料"),
        "level": ("危险源等级", "等级", "级别", "重大危险源等级", "危险等级"),
        "lon": _LON,
        "lat": _LAT,
        "hazards": ("主要危险", "危险特性", "主要危险性", "事故类型", "可能发生的事故类型", "风险类型",
                    "主要风险"),
    },
}

# English column labels for docs and exports
FIELD_LABELS_EN: dict[str, str] = {
    "name": "name", "team_type": "team type", "specialities": "specialities", "size": "head count",
    "org": "organisation", "county": "district/county", "address": "address", "lon": "longitude",
    "lat": "latitude", "contact": "contact person", "phone": "phone", "equipment": "main equipment",
    "supply_class": "supply class", "spec": "specification", "quantity": "quantity", "unit": "unit",
    "depot": "depot", "equip_class": "equipment class", "location": "storage location",
    "performance": "performance", "field": "field", "title": "title", "expertise": "expertise",
    "shelter_type": "shelter type", "area_m2": "area (m²)", "capacity": "capacity (persons)",
    "company": "company", "park": "industrial park", "chemicals": "chemicals", "level": "grade",
    "hazards": "main hazards",
}

# ---------------------------------------------------------------------------------------------
# header matching


_HEADER_NOISE = re.compile(r"[\s_\-*:：·.、#№\ufeff]+")


def _norm_header(text: Any) -> str:
    s = unicodedata.normalize("NFKC", str(text if text is not None else "")).lower()
    return _HEADER_NOISE.sub("", s)


def _strip_paren(s: str) -> str:
    return re.sub(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】", "", s)


def _build_index() -> dict[str, dict[str, str]]:
    index: dict[str, dict[str, str]] = {}
    for kind, table in HEADER_SYNONYMS.items():
        idx: dict[str, str] = {}
        for fld, syns in table.items():
            for syn in syns:
                idx.setdefault(_norm_header(syn), fld)   # the first field listing a synonym wins
        index[kind] = idx
    return index


_SYNONYM_INDEX = _build_index()


def _field_for(kind: str, header: Any) -> str | None:
    index = _SYNONYM_INDEX[kind]
    key = _norm_header(header)
    if not key:
        return None
    if key in index:
        return index[key]
    bare = _strip_paren(key)
    if bare and bare in index:
        return index[bare]
    return None


def map_header(kind: str, header: Iterable[Any]) -> dict[str, int]:
    """field -> column index for one header row; the first column wins when two map to one field."""
    mapping: dict[str, int] = {}
    for i, cell in enumerate(header):
        if i >= MAX_COLS:
            break
        fld = _field_for(kind, cell)
        if fld and fld not in mapping:
            mapping[fld] = i
    return mapping


def _kinds_from_name(path: Any) -> list[str]:
    stem = Path(str(path)).stem if path else ""
    return [k for k, words in FILENAME_KEYWORDS.items() if any(w in stem for w in words)]


def detect_registry_kind(path: Any, header: Iterable[Any] | None = None) -> str | None:
    """The registry kind ("team", "supply", …) from the file name and/or a header row.

    A header that maps at least MIN_HEADER_COLUMNS columns including the name decides; the
    file-name kind wins among equally good headers. Without a usable header, a file name that
    names exactly one kind decides. None when neither tells.
    """
    by_name = _kinds_from_name(path)
    cells = list(header)[:MAX_COLS] if header is not None else []
    scores = {}
    for kind in KINDS:
        mapping = map_header(kind, cells)
        if "name" in mapping and len(mapping) >= MIN_HEADER_COLUMNS:
            scores[kind] = len(mapping)
    if scores:
        best = max(scores.values())
        top = [k for k, v in scores.items() if v == best]
        preferred = [k for k in top if k in by_name]
        if preferred:
            return preferred[0]
        if len(top) == 1:
            return top[0]
        named = [k for k in by_name if k in scores]
        return named[0] if len(named) == 1 else None
    return by_name[0] if len(by_name) == 1 else None


# ---------------------------------------------------------------------------------------------
# cell values

NULL_TOKENS = {"", "-", "--", "—", "——", "－", "/", "／", "\\", "无", "暂无", "n/a", "na", "null", "none",
               "nan", "#n/a", "空"}
SKIP_NAMES = {"合计", "总计", "小计", "共计"}
NOTE_PREFIX = re.compile(r"^(注|备注|说明|填表|制表|审核|数据来源|统计时间|截至|更新时间)")
LIST_SPLIT = re.compile(r"[;；、，/／|｜\n]+|(?<!\d),|,(?!\d)")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"


_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*[\r\n]+[ \t]*(?=[{_CJK}])")
_WS_RUN = re.compile(r"\s+")


def _cell_text(value: Any) -> str:
    """A cell as clean text: numbers without a spurious '.0', dates as ISO, whitespace tidied."""
    if value is None:
        return ""
    if isinstance(value, str):
        if value.isprintable() and "  " not in value and value.strip() == value:
            return value  # the common case: nothing to tidy
        s = value.replace("\ufeff", "").replace("\u00a0", " ").replace("\u3000", " ")
        s = _CJK_BREAK.sub("", s)
        return _WS_RUN.sub(" ", s).strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return _cell_text(str(value))


def _is_null(text: str) -> bool:
    return text.strip().lower() in NULL_TOKENS


class _CellError(ValueError):
    pass


_NUM = re.compile(r"^([+-]?\d+(?:\.\d+)?)(万)?$")


def _parse_number(value: Any, integer: bool) -> int | float | None:
    if isinstance(value, bool):
        raise _CellError(f"应为数字，实际为「{_cell_text(value)}」")
    if isinstance(value, (int, float)):
        num = float(value)
        if num != num or num in (float("inf"), float("-inf")):
            raise _CellError("应为数字")
    elif isinstance(value, str) and value.isdigit() and value.isascii():
        num = float(value)  # the common case
    else:
        text = _cell_text(value)
        if _is_null(text):
            return None
        s = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
        s = re.sub(r"^约", "", s)
        m = _NUM.match(s)
        if not m:
            raise _CellError(f"应为数字，实际为「{text[:30]}」")
        num = float(m.group(1)) * (10000 if m.group(2) else 1)
    if num < 0:
        raise _CellError(f"不能为负数（{_cell_text(value)}）")
    if integer:
        if not float(num).is_integer():
            raise _CellError(f"应为整数，实际为「{_cell_text(value)}」")
        return int(num)
    return int(num) if float(num).is_integer() and abs(num) < 1e15 else num


_PLAIN_FLOAT = re.compile(r"^-?\d{1,3}(?:\.\d+)?$")
_DMS = re.compile(r"^(\d+(?:\.\d+)?)°(?:(\d+(?:\.\d+)?)['′])?(?:(\d+(?:\.\d+)?)(?:\"|″|''|′′))?$")


def _parse_coord(value: Any) -> float | None:
    if isinstance(value, bool):
        raise _CellError("应为经纬度数值")
    if isinstance(value, (int, float)):
        num = float(value)
    elif isinstance(value, str) and _PLAIN_FLOAT.match(value):
        num = float(value)  # the common case
    else:
        text = _cell_text(value)
        if _is_null(text):
            return None
        s = unicodedata.normalize("NFKC", text).replace(" ", "").upper()
        s = re.sub(r"^(东经|北纬|E|N)", "", s)
        s = re.sub(r"(E|N)$", "", s)
        m = _DMS.match(s)
        if m:
            num = float(m.group(1)) + float(m.group(2) or 0) / 60 + float(m.group(3) or 0) / 3600
        else:
            s = s.rstrip("°")
            try:
                num = float(s)
            except ValueError:
                raise _CellError(f"应为经纬度数值，实际为「{text[:30]}」") from None
    if num != num or num in (float("inf"), float("-inf")):
        raise _CellError("应为经纬度数值")
    return num


def _split_list(value: Any) -> list[str]:
    text = _cell_text(value)
    if _is_null(text):
        return []
    out: list[str] = []
    for part in LIST_SPLIT.split(text):
        part = part.strip()
        if part and not _is_null(part) and part not in out:
            out.append(part)
    return out


def export_safe(value: Any) -> Any:
    """A value safe to write into a CSV/XLSX that someone opens in Excel: leading = + - @ are
    stripped from text cells so they cannot act as formulas. Numbers are left alone."""
    if isinstance(value, str):
        return value.lstrip("=+-@")
    return value


# ---------------------------------------------------------------------------------------------
# stable ids


def _id_part(value: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or "")))


def record_id(kind: str, record: Any) -> str:
    """A stable id: the kind plus a hash of the identifying fields (name; + depot for supplies;
    + organisation and location for equipment; + company for hazard sources). Width and
    whitespace differences do not change it, so re-loading a file gives the same ids."""
    if kind not in ID_FIELDS:
        raise ValueError(f"未知的名录类型：{kind}")
    parts = [kind] + [_id_part(getattr(record, f, None)) for f in ID_FIELDS[kind]]
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{kind}:{digest}"


# ---------------------------------------------------------------------------------------------
# reading rows


@dataclass
class RegistryResult:
    file: str
    kind: str
    records: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)      # spreadsheet row of each record
    header_row: int = 0                                 # spreadsheet row of the header
    columns: dict[str, str] = field(default_factory=dict)  # field -> header text as in the file
    sheet: str | None = None                            # XLSX sheet read

    @property
    def ids(self) -> list[str]:
        return [record_id(self.kind, r) for r in self.records]

    @property
    def kind_zh(self) -> str:
        return KIND_NAMES_ZH[self.kind]


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise RegistryError(f"{name}：UTF-16 编码损坏，无法读取") from exc
    if b"\x00" in data[:65536]:
        raise RegistryError(f"{name}：不是文本表格（含二进制内容），请另存为 CSV 或 XLSX")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and _looks_like_junk(text):
            break
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or _looks_like_junk(str(best)):
        raise RegistryError(f"{name}：无法识别文本编码（支持 UTF-8、GBK/GB18030），可能不是表格文件")
    return str(data.decode(best.encoding, errors="replace"))


def _looks_like_junk(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    private = sum(1 for ch in sample if unicodedata.category(ch) in ("Co", "Cn", "Cs"))
    return (control + private) / len(sample) > 0.02


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    n = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _CsvBroken(n + 1, str(exc)) from exc
        n += 1
        yield n, row[:MAX_COLS]


class _CsvBroken(Exception):
    def __init__(self, row: int, detail: str):
        super().__init__(detail)
        self.row = row
        self.detail = detail


def _choose_delimiter(text: str, path: Path) -> str:
    head = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    best, best_score = ",", -1
    for delim in (",", "\t", ";", "|"):
        try:
            rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delim))
        except csv.Error:
            continue
        score = 0
        for row in rows:
            kind = detect_registry_kind(path, row)
            if kind:
                score = len(map_header(kind, row))
                break
        if score > best_score:
            best, best_score = delim, score
    return best


def _xlsx_sheets(path: Path):
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise RegistryError(f"{path.name}：不是有效的 XLSX 文件（压缩包损坏）") from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise RegistryError(f"{path.name}：XLSX 文件损坏或无法解析（{exc.__class__.__name__}）") from exc
    return book


def _sheet_rows(sheet) -> Iterator[tuple[int, list[Any]]]:
    blank_run = 0
    for n, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLS), 1):
        values = list(row or ())
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                return
        else:
            blank_run = 0
        yield n, values


def _find_header(path: Path, rows: list[tuple[int, list[Any]]]) -> tuple[int, str, dict[str, int]] | None:
    """(index in rows, kind, mapping) of the first row mapping >= MIN_HEADER_COLUMNS columns."""
    for i, (_, row) in enumerate(rows[:HEADER_SCAN_ROWS]):
        kind = detect_registry_kind(path, row)
        if kind:
            mapping = map_header(kind, row)
            if len(mapping) >= MIN_HEADER_COLUMNS:
                return i, kind, mapping
    return None


def _known_columns_hint(kind_hint: list[str]) -> str:
    kinds = kind_hint or list(KINDS)
    names = []
    for kind in kinds[:2]:
        names += [HEADER_SYNONYMS[kind][f][0] for f in list(HEADER_SYNONYMS[kind])[:4]]
    return "、".join(dict.fromkeys(names))


def load_registry(path: str | Path, *, max_rows: int = MAX_ROWS) -> RegistryResult:
    """Load one registry file. Bad rows go to `.errors` and are skipped; an unreadable file or an
    unmappable header raises RegistryError."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise RegistryError(f"{path}：文件不存在")
    if not path.is_file():
        raise RegistryError(f"{path}：不是文件")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise RegistryError(f"{name}：旧版 Excel(.xls) 不支持，请另存为 .xlsx 或 CSV")
    if suffix not in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm"):
        raise RegistryError(f"{name}：不支持的名录文件类型 {suffix or '(无扩展名)'}，应为 CSV 或 XLSX")
    try:
        size = path.stat().st_size
        if size == 0:
            raise RegistryError(f"{name}：文件为空")
        if size > MAX_BYTES:
            raise RegistryError(f"{name}：文件过大（{size // 1048576} MB，上限 {MAX_BYTES // 1048576} MB）")
        if suffix in (".xlsx", ".xlsm"):
            return _load_xlsx(path, max_rows)
        data = path.read_bytes()
    except PermissionError as exc:
        raise RegistryError(f"{name}：无读取权限") from exc
    except OSError as exc:
        raise RegistryError(f"{name}：读取失败（{exc.strerror or exc}）") from exc
    if data[:4] == b"PK\x03\x04":
        raise RegistryError(f"{name}：内容是 XLSX/ZIP 压缩包而不是 CSV，请把扩展名改为 .xlsx")
    text = _decode(data, name)
    if not text.strip():
        raise RegistryError(f"{name}：文件为空")
    delimiter = "\t" if suffix == ".tsv" else _choose_delimiter(text, path)
    rows = _csv_rows(text, delimiter)
    return _load_rows(path, rows, max_rows, sheet=None)


def _load_xlsx(path: Path, max_rows: int) -> RegistryResult:
    book = _xlsx_sheets(path)
    try:
        sheets = list(book.worksheets)
        active = book.active
        if active in sheets:
            sheets.remove(active)
            sheets.insert(0, active)
        first_error: RegistryError | None = None
        for sheet in sheets:
            if not hasattr(sheet, "iter_rows"):  # chartsheets
                continue
            try:
                return _load_rows(path, _sheet_rows(sheet), max_rows, sheet=sheet.title)
            except RegistryError as exc:
                first_error = first_error or exc
        raise first_error or RegistryError(f"{path.name}：工作簿中没有可读取的工作表")
    except RegistryError:
        raise
    except Exception as exc:  # noqa: BLE001 - broken XML inside the zip surfaces while iterating
        raise RegistryError(f"{path.name}：XLSX 文件损坏或无法解析（{exc.__class__.__name__}）") from exc
    finally:
        book.close()


def _load_rows(path: Path, rows: Iterator[tuple[int, list[Any]]], max_rows: int,
               sheet: str | None) -> RegistryResult:
    name = path.name
    where = f"（工作表「{sheet}」）" if sheet else ""
    head: list[tuple[int, list[Any]]] = []
    broken: _CsvBroken | None = None
    try:
        for item in rows:
            head.append(item)
            if len(head) >= HEADER_SCAN_ROWS:
                break
    except _CsvBroken as exc:
        if not head:
            raise RegistryError(f"{name}：CSV 格式错误（第{exc.row}行：{exc.detail}）") from exc
        broken = exc
    if not any(any(_cell_text(v) for v in r) for _, r in head):
        raise RegistryError(f"{name}{where}：没有内容")
    found = _find_header(path, head)
    if found is None:
        raise RegistryError(
            f"{name}{where}：前{HEADER_SCAN_ROWS}行中找不到可识别的表头（至少需要{MIN_HEADER_COLUMNS}个已知列，"
            f"如 {_known_columns_hint(_kinds_from_name(path))}），无法判断名录类型或列含义")
    idx, kind, mapping = found
    header_no, header = head[idx]
    missing = [f for f in REQUIRED[kind] if f not in mapping]
    if missing:
        need = "、".join(f"「{HEADER_SYNONYMS[kind][f][0]}」" for f in missing)
        raise RegistryError(f"{name}{where}：{KIND_NAMES_ZH[kind]}名录缺少必需列 {need}（第{header_no}行表头）")

    result = RegistryResult(file=str(path), kind=kind, header_row=header_no, sheet=sheet,
                            columns={f: _cell_text(header[i]) for f, i in mapping.items()})
    header_norm = [_norm_header(h) for h in header]
    name_col = mapping["name"]
    seen: dict[str, int] = {}
    count = 0

    def data_rows() -> Iterator[tuple[int, list[Any]]]:
        yield from head[idx + 1:]
        if broken is not None:
            raise broken
        if len(head) >= HEADER_SCAN_ROWS:
            yield from rows

    try:
        for row_no, row in data_rows():
            texts = [_cell_text(v) for v in row]
            filled = [t for t in texts if t]
            if not filled:
                continue
            if (name_col < len(row) and _norm_header(row[name_col]) == header_norm[name_col]
                    and [_norm_header(v) for v in row[:len(header_norm)]] == header_norm):
                continue  # a repeated header (pasted tables, page breaks)
            if len(filled) == 1 and NOTE_PREFIX.match(filled[0]):
                continue  # a note under the table
            if count >= max_rows:
                result.errors.append(RowError(str(path), row_no, "",
                                              f"超过行数上限 {max_rows}，从本行起未读取"))
                break
            count += 1
            record = _make_record(path, kind, mapping, header, row, row_no, result.errors)
            if record is None:
                continue
            rid = record_id(kind, record)
            if rid in seen:
                result.errors.append(RowError(
                    str(path), row_no, result.columns["name"],
                    f"与第{seen[rid]}行重复（{_id_description(kind)}相同），已跳过"))
                continue
            seen[rid] = row_no
            result.records.append(record)
            result.rows.append(row_no)
    except _CsvBroken as exc:
        result.errors.append(RowError(str(path), exc.row, "", f"CSV 格式错误（{exc.detail}），其后内容未读取"))
    return result


def _id_description(kind: str) -> str:
    return "、".join(HEADER_SYNONYMS[kind][f][0] for f in ID_FIELDS[kind])


def _area_factor(header_text: str) -> float:
    h = unicodedata.normalize("NFKC", header_text)
    if "万平方米" in h or "万m2" in h.lower() or "万㎡" in h:
        return 10000.0
    if "公顷" in h or re.search(r"\bha\b", h.lower()):
        return 10000.0
    if "亩" in h:
        return 10000.0 / 15
    return 1.0


def _make_record(path: Path, kind: str, mapping: dict[str, int], header: list[Any], row: list[Any],
                 row_no: int, errors: list[RowError]):
    types = FIELD_TYPES[kind]
    values: dict[str, Any] = {}
    row_errors: list[RowError] = []

    def err(fld: str, message: str) -> None:
        col = _cell_text(header[mapping[fld]]) if fld in mapping else HEADER_SYNONYMS[kind][fld][0]
        row_errors.append(RowError(str(path), row_no, col, message))

    for fld, col in mapping.items():
        raw = row[col] if col < len(row) else None
        if isinstance(raw, str) and len(raw) > MAX_CELL_CHARS:
            err(fld, f"内容过长（{len(raw)} 字符，上限 {MAX_CELL_CHARS}）")
            continue
        kind_of = types.get(fld, "text")
        try:
            if kind_of == "list":
                values[fld] = _split_list(raw)
            elif kind_of == "int":
                values[fld] = _parse_number(raw, integer=True)
            elif kind_of == "number":
                num = _parse_number(raw, integer=False)
                if num is not None and fld == "area_m2":
                    factor = _area_factor(_cell_text(header[col]))
                    if factor != 1.0:
                        num = round(num * factor, 2)
                        num = int(num) if float(num).is_integer() else num
                values[fld] = num
            elif kind_of in ("lon", "lat"):
                values[fld] = _parse_coord(raw)
            else:
                text = _cell_text(raw)
                values[fld] = None if _is_null(text) else text
        except _CellError as exc:
            err(fld, str(exc))

    if values.get("name") in SKIP_NAMES:
        return None  # a totals row
    for fld in REQUIRED[kind]:
        if fld in mapping and values.get(fld) in (None, "", []) and not any(
                e.column == _cell_text(header[mapping[fld]]) for e in row_errors):
            err(fld, "必填项为空" if fld != "name" else "名称为空")

    lon, lat = values.get("lon"), values.get("lat")
    if lon is not None and not -180 <= lon <= 180:
        err("lon", f"经度 {lon:g} 超出范围（-180～180）")
    if lat is not None and not -90 <= lat <= 90:
        hint = "（经纬度可能填反）" if lon is not None and -90 <= lon <= 90 else ""
        err("lat", f"纬度 {lat:g} 超出范围（-90～90）{hint}")
    if ("lon" in mapping and "lat" in mapping) and (lon is None) != (lat is None) and not any(
            e.column in (_cell_text(header[mapping["lon"]]), _cell_text(header[mapping["lat"]]))
            for e in row_errors):
        err("lat" if lat is None else "lon", "经纬度只填了一个，坐标不完整")

    if row_errors:
        errors.extend(row_errors)
        return None
    return RECORD_CLASSES[kind](**values)


# ---------------------------------------------------------------------------------------------
# export


def records_to_rows(kind: str, records: Iterable[Any]) -> list[list[Any]]:
    """A header row (canonical Chinese headers) and one row per record, safe for spreadsheets
    (text cells pass through export_safe; list fields are joined with ';')."""
    cls = RECORD_CLASSES[kind]
    names = [f.name for f in fields(cls)]
    out: list[list[Any]] = [[HEADER_SYNONYMS[kind][n][0] for n in names]]
    for rec in records:
        row = []
        for n in names:
            v = getattr(rec, n)
            if isinstance(v, list):
                v = ";".join(v)
            row.append("" if v is None else export_safe(v))
        out.append(row)
    return out


def write_csv(path: str | Path, kind: str, records: Iterable[Any]) -> Path:
    """Write records as a UTF-8 (with BOM, so Excel shows Chinese) CSV that load_registry reads back."""
    path = Path(path)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(records_to_rows(kind, records))
    return path


def load_registry_dir(folder: str | Path) -> list[RegistryResult]:
    """Load every .csv/.xlsx in a folder (sorted by name); raises RegistryError on the first bad file."""
    folder = Path(folder)
    return [load_registry(p) for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix.lower() in (".csv", ".xlsx") and not p.name.startswith("~$")]
