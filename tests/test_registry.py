"""Resource registries: nlp.registry.load_registry and friends."""
from __future__ import annotations

import csv
import re
from dataclasses import fields
from pathlib import Path

import openpyxl
import pytest

from nlp import registry as reg
from nlp.registry import (
    HEADER_SYNONYMS, RECORD_CLASSES, RegistryError, RowError, Expert, Shelter, Supply, Team,
    detect_registry_kind, export_safe, load_registry, record_id, write_csv,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "corpora" / "sources" / "lianyungang" / "registry"
BUILT = ROOT / "corpora" / "lianyungang" / "registry"
DOCS = ROOT / "docs" / "registry.md"

EXPECTED_KIND = {
    "救援队伍": "team", "应急物资": "supply", "应急装备": "equipment",
    "应急专家": "expert", "避难场所": "shelter", "重大危险源": "hazard_source",
}
SOURCE_FILES = sorted(SOURCES.glob("*.csv"))


def _source_rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as fh:
        return sum(1 for row in list(csv.reader(fh))[1:] if any(c.strip() for c in row))


def _built_file(stem: str) -> Path:
    found = [p for p in BUILT.glob(f"{stem}.*") if p.suffix in (".csv", ".xlsx")]
    assert len(found) == 1, f"expected one built file for {stem}, found {found}"
    return found[0]


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list], title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# --------------------------------------------------------------------------- the demo corpus


def test_corpus_has_all_six_kinds():
    assert {p.stem for p in SOURCE_FILES} == set(EXPECTED_KIND)
    assert any(p.suffix == ".xlsx" for p in BUILT.iterdir())


@pytest.mark.parametrize("source", SOURCE_FILES, ids=lambda p: p.stem)
def test_built_registry_loads_with_zero_errors(source):
    built = _built_file(source.stem)
    result = load_registry(built)
    assert result.errors == [], [str(e) for e in result.errors]
    assert result.kind == EXPECTED_KIND[source.stem]
    assert len(result.records) == _source_rows(source)
    assert all(isinstance(r, RECORD_CLASSES[result.kind]) for r in result.records)
    assert len(set(result.ids)) == len(result.records), "ids must be unique within a registry"
    # same content as the clean source, whatever the build did to the file
    from_source = load_registry(source)
    assert from_source.errors == []
    assert result.records == from_source.records
    assert result.ids == from_source.ids
    for rec in result.records:
        assert rec.name
        if getattr(rec, "lon", None) is not None:
            assert 118 < rec.lon < 120.5 and 33.5 < rec.lat < 35.5  # 连云港


def test_built_xlsx_has_title_row_above_header():
    xlsx = [p for p in BUILT.glob("*.xlsx")]
    assert xlsx
    for path in xlsx:
        result = load_registry(path)
        assert result.header_row == 2, path.name
        assert result.rows[0] == 3  # spreadsheet row numbers


def test_built_gbk_shelters_with_synonym_headers():
    path = BUILT / "避难场所.csv"
    data = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = load_registry(path)
    assert result.kind == "shelter"
    assert result.columns["name"] == "名称"
    assert result.columns["capacity"] == "可容纳人数"
    first = result.records[0]
    assert first == Shelter(name="苍梧绿园应急避难场所", shelter_type="Ⅰ类（中心避难场所）", county="海州区",
                            address="海州区苍梧路与海连东路交叉口", area_m2=250000, capacity=60000,
                            lon=119.2, lat=34.61, org="连云港市城市管理局")


def test_corpus_values_are_typed_and_split():
    teams = load_registry(_built_file("救援队伍")).records
    first = teams[0]
    assert isinstance(first, Team)
    assert first.size == 126 and isinstance(first.size, int)
    assert "危化品处置" in first.specialities and len(first.specialities) > 3
    assert all(";" not in s for t in teams for s in t.specialities)
    hazards = load_registry(_built_file("重大危险源")).records
    # "1,3-丁二烯" is one chemical, not two
    assert any("1,3-丁二烯" in h.chemicals for h in hazards)
    assert not any(c in ("1", "3-丁二烯") for h in hazards for c in h.chemicals)
    experts = load_registry(_built_file("应急专家")).records
    assert all(e.phone is None or not e.phone.endswith(".0") for e in experts)
    assert {e.field for e in experts} >= {"危险化学品", "消防"}


def test_names_the_authoring_guide_promises_are_in_the_registry():
    teams = {t.name for t in load_registry(_built_file("救援队伍")).records}
    supplies = load_registry(_built_file("应急物资")).records
    for name in ("国家危险化学品应急救援连云港队", "连云港蓝天救援队", "灌南县防汛抢险队", "连云港港口消防队"):
        assert name in teams
    assert "连云港市救灾物资储备库" in {s.depot for s in supplies}


# --------------------------------------------------------------------------- encodings and headers


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings(tmp_path, encoding):
    text = "物资名称,数量,单位,储备库\n救灾帐篷,930,顶,灌南县救灾物资储备库\n棉被,12,床,灌南县救灾物资储备库\n"
    result = load_registry(_write(tmp_path / "物资.csv", text, encoding))
    assert result.errors == []
    assert [s.name for s in result.records] == ["救灾帐篷", "棉被"]
    assert result.records[0].depot == "灌南县救灾物资储备库"


def test_utf16_tab_separated_excel_unicode_text(tmp_path):
    text = "队伍名称\t专业特长\t人数\n东海县地震救援队\t地震搜救、破拆\t40\n"
    result = load_registry(_write(tmp_path / "队伍.txt", text, "utf-16"))
    assert result.records == [Team(name="东海县地震救援队", specialities=["地震搜救", "破拆"], size=40)]


def test_synonym_headers_gbk(tmp_path):
    text = ("品名,库存数量,计量单位,仓库,X坐标,Y坐标,区县\n"
            "编织袋,20000,条,连云港市防汛物资仓库,119.18,34.60,海州区\n"
            "冲锋舟,1.2万,艘,东海县救灾物资储备库,118.77,34.54,东海县\n")
    result = load_registry(_write(tmp_path / "防汛物资清单.csv", text, "gbk"))
    assert result.kind == "supply"
    assert result.errors == []
    a, b = result.records
    assert (a.name, a.quantity, a.unit, a.depot, a.lon, a.lat, a.county) == (
        "编织袋", 20000, "条", "连云港市防汛物资仓库", 119.18, 34.60, "海州区")
    assert b.quantity == 12000


@pytest.mark.parametrize("header,field", [
    ("队伍名称", "name"), ("救援队伍名称", "name"), ("队伍", "name"), ("专长", "specialities"),
    ("救援专业", "specialities"), ("专业类别", "specialities"), ("longitude", "lon"), ("LON", "lon"),
    ("经度（°）", "lon"), ("latitude", "lat"), ("Y坐标", "lat"), ("人数（人）", "size"), (" 联系电话 ", "phone"),
    ("*队伍名称", "name"),
])
def test_team_header_synonyms(header, field):
    assert reg.map_header("team", [header]) == {field: 0}


def test_header_synonyms_cover_the_dataclass_fields():
    for kind, cls in RECORD_CLASSES.items():
        assert [f.name for f in fields(cls)] == list(HEADER_SYNONYMS[kind]), kind
    assert reg.map_header("supply", ["储备数量", "库点", "存放地点"]) == {"quantity": 0, "depot": 1}
    assert reg.map_header("shelter", ["容量"]) == {"capacity": 0}
    assert reg.map_header("expert", ["领域", "专业"]) == {"field": 0}


def test_expert_synonyms_and_multi_sheet_xlsx(tmp_path):
    path = tmp_path / "专家库.xlsx"
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "填表说明"
    notes.append(["本表由各单位填报"])
    data = book.create_sheet("专家")
    data.append(["专家姓名", "专业", "单位", "职务", "手机", "研究方向"])
    data.append(["王某", "燃气", "连云港港华燃气有限公司", "高级工程师", 13900000000, "管网抢修"])
    book.save(path)
    result = load_registry(path)
    assert result.sheet == "专家"
    assert result.records == [Expert(name="王某", field="燃气", org="连云港港华燃气有限公司",
                                     title="高级工程师", phone="13900000000", expertise="管网抢修")]


def test_shelter_area_in_mu_is_converted(tmp_path):
    text = "场所名称,面积（亩）,容纳人数\n某公园,30,5000\n"
    result = load_registry(_write(tmp_path / "避难场所.csv", text))
    assert result.records[0].area_m2 == 20000


# --------------------------------------------------------------------------- XLSX layout


def test_xlsx_title_row_blank_rows_notes_and_totals(tmp_path):
    path = _xlsx(tmp_path / "应急物资.xlsx", [
        ["灌南县应急物资储备清单（2024年）"],
        [None],
        ["序号", "物资名称", "规格型号", "储备数量", "单位", "存放地点", "经度", "纬度"],
        [1, "救生衣", "成人", 500, "件", "灌南县救灾物资储备库", 119.35, 34.09],
        [None, None, None, None, None, None, None, None],
        [2, "发电机", "5kW", "abc", "台", "灌南县救灾物资储备库", 119.35, 34.09],
        [3, "抽水泵", "", 12.0, "台", "灌南县救灾物资储备库", 119.35, 34.09],
        [None, "合计", None, 512, None, None, None, None],
        ["注：数据截至2024年6月"],
    ])
    result = load_registry(path)
    assert result.kind == "supply"
    assert result.header_row == 3
    assert [r.name for r in result.records] == ["救生衣", "抽水泵"]
    assert result.rows == [4, 7]
    assert result.records[1].quantity == 12 and isinstance(result.records[1].quantity, int)
    assert result.records[1].spec is None
    assert result.errors == [RowError(str(path), 6, "储备数量", "应为数字，实际为「abc」")]


def test_xlsx_formula_cells_are_not_evaluated(tmp_path):
    path = _xlsx(tmp_path / "救援队伍.xlsx", [
        ["队伍名称", "人数", "主管单位", "联系电话"],
        ["=HYPERLINK(\"http://x\",\"点我\")", 10, "某单位", "=1+1"],
        ["连云港蓝天救援队", "=5*20", "社会组织", "0518-1"],
    ])
    result = load_registry(path)
    # formulas written by openpyxl have no cached value: data_only gives None, nothing is computed
    assert [(e.row, e.column) for e in result.errors] == [(2, "队伍名称")]
    assert [(t.name, t.size) for t in result.records] == [("连云港蓝天救援队", None)]


# --------------------------------------------------------------------------- bad rows


def test_broken_rows_are_reported_with_row_and_column(tmp_path):
    text = ("物资名称,物资类别,数量,单位,储备库,经度,纬度\n"          # row 1
            "救灾帐篷,生活保障物资,930,顶,连云港市救灾物资储备库,119.15,34.62\n"   # 2 ok
            ",生活保障物资,10,顶,连云港市救灾物资储备库,119.15,34.62\n"         # 3 no name
            "棉被,生活保障物资,很多,床,连云港市救灾物资储备库,119.15,34.62\n"     # 4 bad quantity
            "折叠床,生活保障物资,30,张,连云港市救灾物资储备库,219.15,34.62\n"     # 5 lon out of range
            "雨衣,防汛物资,30,件,连云港市防汛物资仓库,34.6,119.1\n"             # 6 swapped
            "沙袋,防汛物资,,条,连云港市防汛物资仓库,119.1,34.6\n"               # 7 empty required
            "铁锹,防汛物资,-5,把,连云港市防汛物资仓库,119.1,\n"                # 8 negative + half coord
            "救生圈,防汛物资,80,个,连云港市防汛物资仓库,119.1,34.6\n"           # 9 ok
            "救灾帐篷,生活保障物资,5,顶,连云港市救灾物资储备库,119.15,34.62\n")  # 10 duplicate of row 2
    path = _write(tmp_path / "应急物资.csv", text)
    result = load_registry(path)
    assert [r.name for r in result.records] == ["救灾帐篷", "救生圈"]
    assert result.rows == [2, 9]
    got = {(e.row, e.column) for e in result.errors}
    assert got == {(3, "物资名称"), (4, "数量"), (5, "经度"), (6, "纬度"), (7, "数量"), (8, "数量"),
                   (8, "纬度"), (10, "物资名称")}
    by_row = {e.row: e for e in result.errors}
    assert all(e.file == str(path) for e in result.errors)
    assert "名称为空" in by_row[3].message
    assert "很多" in by_row[4].message
    assert "超出范围" in by_row[5].message
    assert "填反" in by_row[6].message
    assert "与第2行重复" in by_row[10].message
    assert str(by_row[4]).startswith("应急物资.csv 第4行「数量」列：")


def test_dms_and_prefixed_coordinates(tmp_path):
    text = "场所名称,经度,纬度\n甲,E119.2,N34.6\n乙,119°12'00\",34°36'00\"\n"
    result = load_registry(_write(tmp_path / "避难场所.csv", text))
    assert result.errors == []
    assert [(s.lon, s.lat) for s in result.records] == [(119.2, 34.6), (119.2, 34.6)]


def test_integer_field_rejects_fraction(tmp_path):
    text = "队伍名称,人数,主管单位\n甲队,12.5,某局\n乙队,12.0,某局\n"
    result = load_registry(_write(tmp_path / "救援队伍.csv", text))
    assert [t.size for t in result.records] == [12]
    assert [(e.row, e.column) for e in result.errors] == [(2, "人数")]


def test_row_cap(tmp_path):
    lines = ["队伍名称,人数,主管单位"] + [f"队{i},{i},某局" for i in range(10)]
    result = load_registry(_write(tmp_path / "救援队伍.csv", "\n".join(lines)), max_rows=5)
    assert len(result.records) == 5
    assert len(result.errors) == 1
    assert result.errors[0].row == 7 and "上限" in result.errors[0].message


def test_default_row_cap_is_100000():
    assert reg.MAX_ROWS == 100_000


# --------------------------------------------------------------------------- unreadable files


def test_unmappable_header_raises_in_chinese(tmp_path):
    path = _write(tmp_path / "救援队伍.csv", "甲,乙,丙\n1,2,3\n")
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    assert "表头" in str(info.value) and "救援队伍.csv" in str(info.value)
    assert re.search(r"[\u4e00-\u9fff]", str(info.value))


def test_missing_required_column_raises(tmp_path):
    path = _write(tmp_path / "应急物资.csv", "物资名称,单位,储备库,经度\n帐篷,顶,某库,119\n")
    with pytest.raises(RegistryError, match="缺少必需列.*数量"):
        load_registry(path)


def test_unknown_kind_raises(tmp_path):
    # two columns only: not enough to recognise anything, and the file name says nothing
    with pytest.raises(RegistryError):
        load_registry(_write(tmp_path / "data.csv", "名称,经度\n甲,119\n"))


@pytest.mark.parametrize("name,content", [
    ("救援队伍.csv", b""),
    ("救援队伍.csv", b"   \n\n"),
    ("救援队伍.csv", bytes(range(256)) * 40),
    ("救援队伍.csv", b"PK\x03\x04" + b"\x01" * 100),
    ("救援队伍.xlsx", b"this is not a zip file"),
    ("救援队伍.xlsx", b"PK\x03\x04" + b"\x00" * 200),
    ("救援队伍.xls", b"\xd0\xcf\x11\xe0"),
    ("救援队伍.pdf", b"%PDF-1.4"),
])
def test_hostile_files_raise_registry_error(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RegistryError):
        load_registry(path)


def test_missing_file_and_oversize(tmp_path, monkeypatch):
    with pytest.raises(RegistryError, match="不存在"):
        load_registry(tmp_path / "无.csv")
    path = _write(tmp_path / "救援队伍.csv", "队伍名称,人数,主管单位\n" + "甲,1,乙\n" * 100)
    monkeypatch.setattr(reg, "MAX_BYTES", 100)
    with pytest.raises(RegistryError, match="过大"):
        load_registry(path)


def test_broken_csv_quote_does_not_crash(tmp_path):
    text = '队伍名称,人数,主管单位\n甲队,1,某局\n"乙队,2,某局\n'
    result = load_registry(_write(tmp_path / "救援队伍.csv", text))
    assert result.records[0].name == "甲队"


def test_xlsx_opened_read_only_data_only(tmp_path, monkeypatch):
    seen = {}
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    load_registry(_xlsx(tmp_path / "专家.xlsx", [["姓名", "专业领域", "工作单位"], ["甲", "消防", "乙"]]))
    assert seen.get("read_only") is True and seen.get("data_only") is True


def test_huge_sparse_xlsx_is_quick(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["队伍名称", "人数", "主管单位"])
    sheet.append(["甲队", 5, "某局"])
    sheet.cell(row=1_000_000, column=1, value="远处的格子")
    path = tmp_path / "救援队伍.xlsx"
    book.save(path)
    result = load_registry(path)
    assert [t.name for t in result.records] == ["甲队"]


# --------------------------------------------------------------------------- kinds, ids, export


def test_detect_registry_kind():
    assert detect_registry_kind("x/救援队伍.csv", None) == "team"
    assert detect_registry_kind("x/2024应急专家名单.xlsx", []) == "expert"
    assert detect_registry_kind("data.csv", ["危险源名称", "所属企业", "危险化学品", "经度"]) == "hazard_source"
    assert detect_registry_kind("data.csv", ["场所名称", "容纳人数", "面积"]) == "shelter"
    # the header wins over a misleading file name
    assert detect_registry_kind("救援队伍.csv", ["姓名", "专业领域", "工作单位", "职称"]) == "expert"
    # a file name naming two kinds is settled by the header
    assert detect_registry_kind("应急物资装备.csv", ["装备名称", "装备类别", "数量"]) == "equipment"
    assert detect_registry_kind("data.csv", ["甲", "乙"]) is None
    assert detect_registry_kind("data.csv", None) is None


def test_record_ids_are_stable(tmp_path):
    path = _built_file("应急物资")
    assert load_registry(path).ids == load_registry(path).ids
    a = Supply(name="救灾帐篷", depot="连云港市救灾物资储备库", quantity=1)
    b = Supply(name="救灾帐篷 ", depot="连云港市救灾物资储备库", quantity=999, spec="other")
    c = Supply(name="救灾帐篷", depot="东海县救灾物资储备库")
    assert record_id("supply", a) == record_id("supply", b)
    assert record_id("supply", a) != record_id("supply", c)
    assert record_id("team", Team(name="甲")) != record_id("expert", Expert(name="甲"))
    assert record_id("team", Team(name="（甲）")) == record_id("team", Team(name="(甲)"))
    assert re.fullmatch(r"supply:[0-9a-f]{16}", record_id("supply", a))
    with pytest.raises(ValueError):
        record_id("nonsense", a)


def test_multi_valued_split():
    assert reg._split_list("灭火;堵漏；洗消、侦检,破拆，搜救/水域救援") == [
        "灭火", "堵漏", "洗消", "侦检", "破拆", "搜救", "水域救援"]
    assert reg._split_list("1,3-丁二烯;苯") == ["1,3-丁二烯", "苯"]
    assert reg._split_list("无") == []
    assert reg._split_list("灭火;;灭火") == ["灭火"]


def test_export_safe_and_round_trip(tmp_path):
    assert export_safe("=cmd|' /C calc'!A0") == "cmd|' /C calc'!A0"
    assert export_safe("+86-518") == "86-518"
    assert export_safe("@SUM(A1)") == "SUM(A1)"
    assert export_safe(-3.5) == -3.5
    assert export_safe("连云港") == "连云港"
    source = load_registry(_built_file("救援队伍"))
    out = write_csv(tmp_path / "救援队伍.csv", "team", source.records)
    again = load_registry(out)
    assert again.errors == []
    assert again.records == source.records
    assert again.ids == source.ids


def test_formula_looking_text_in_csv_is_kept_not_evaluated(tmp_path):
    text = "队伍名称,人数,主管单位\n=1+1,=2*3,@某局\n"
    result = load_registry(_write(tmp_path / "救援队伍.csv", text))
    assert result.records == []
    assert [(e.row, e.column) for e in result.errors] == [(2, "人数")]
    text = "队伍名称,人数,主管单位\n=1+1,3,@某局\n"
    rec = load_registry(_write(tmp_path / "救援队伍.csv", text)).records[0]
    assert rec.name == "=1+1" and rec.org == "@某局"


# --------------------------------------------------------------------------- docs


def test_docs_list_every_synonym_and_required_column():
    text = DOCS.read_text(encoding="utf-8")
    for kind, table in HEADER_SYNONYMS.items():
        assert reg.KIND_NAMES_ZH[kind] in text
        for field_name, synonyms in table.items():
            assert f"`{field_name}`" in text, field_name
            for syn in synonyms:
                assert syn in text, f"{kind}.{field_name}: {syn} missing from docs/registry.md"


def test_fewer_than_three_known_columns_is_not_a_header(tmp_path):
    with pytest.raises(RegistryError, match="表头"):
        load_registry(_write(tmp_path / "救援队伍.csv", "队伍名称,备注\n甲队,乙\n"))


def test_cell_whitespace_and_wrapped_lines(tmp_path):
    path = _xlsx(tmp_path / "救援队伍.xlsx", [
        ["队伍名称", "人数", "主管单位", "地址"],
        ["连云港市消防救援\n支队特勤大队", 126, "\u3000连云港市消防救援支队 ", "Room 3\nBuilding  5"],
    ])
    rec = load_registry(path).records[0]
    assert rec.name == "连云港市消防救援支队特勤大队"
    assert rec.org == "连云港市消防救援支队"
    assert rec.address == "Room 3 Building 5"
