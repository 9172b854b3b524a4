"""Consistency checker: each kind on small synthetic plans (a fictional 丰川市 and its 临河县), positive
and negative; the seeded inconsistencies of the dev corpus with exact evidence; renderers and CLI."""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from kg.ingest import ingest_paths
from matcher.check import KINDS, run_checks
from matcher.check.compare import compare
from matcher.check.render import compare_html, compare_markdown, to_html, to_markdown, to_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "lianyungang"
GOLD = CORPUS / "gold" / "inconsistencies"
MAX_NON_GOLD = 3   # measured: 2 findings outside the gold on the dev corpus (both real problems)

# --- synthetic plans -------------------------------------------------------------------------

CITY_HAZMAT = """丰川市危险化学品事故应急预案
丰川市人民政府办公室　2024年3月
一、总则
（一）编制依据
依据《中华人民共和国突发事件应对法》《中华人民共和国安全生产法》（{law}）和《丰川市突发事件总体应急预案》等，制定本预案。
（二）事故分级
1. 特别重大事故：造成30人以上死亡的；需紧急疏散转移5万人以上的。
2. 重大事故：造成10人以上30人以下死亡的；需紧急疏散转移1万人以上5万人以下的。
3. 较大事故：造成3人以上10人以下死亡的；需紧急疏散转移5000人以上1万人以下的。
4. 一般事故：造成3人以下死亡的；需紧急疏散转移5000人以下的。
（三）适用范围
1. 道路运输过程中发生的危险化学品泄漏事故，由市应急管理局牵头组织处置，市交通运输局配合。
二、组织指挥体系及职责
（一）市指挥部
市人民政府设立丰川市危险化学品事故应急指挥部，总指挥由分管副市长担任。
（二）成员单位职责
1. 市应急管理局：负责危险化学品事故应急处置的综合协调。
2. {org}：负责危险化学品安全生产的综合监督管理。
三、监测预警
（一）风险监测
市应急管理局组织开展重大危险源监测。
四、信息报告
（一）县（区）应急管理部门接到较大以上危险化学品事故报告后，应当在30分钟内通过电话向市应急管理局报告，1小时内书面报告。
五、应急响应
（一）分级响应
发生较大以上事故，启动二级响应。
（二）处置措施
市应急管理局调派丰川市消防救援支队特勤大队和{team}实施救援。
六、应急保障
（一）物资保障
全市应急物资储备情况见{annex}。
七、预案管理
本预案原则上每3年评估修订一次。
附件1　危险化学品事故分级标准表
附件2　市指挥部成员单位联系表
"""

COUNTY_HAZMAT = """临河县危险化学品事故应急预案
（临河县人民政府　{date}印发）
一、总则
（一）编制依据
依据《中华人民共和国突发事件应对法》和《丰川市危险化学品事故应急预案》，制定本预案。
（二）预案衔接
本预案是《丰川市危险化学品事故应急预案》在本县的具体化，与市级预案相衔接。
（三）事故分级
1. 特别重大事故：造成30人以上死亡的。
2. 重大事故：造成10人以上30人以下死亡的。
3. 较大事故：造成3人以上10人以下死亡的；需紧急疏散转移{evac}人以上1万人以下的。
4. 一般事故：造成3人以下死亡的。
二、组织指挥体系及职责
县人民政府设立县危险化学品事故应急指挥部，办公室设在县应急管理局。
三、监测预警
县应急管理局负责风险监测和预警发布。
四、信息报告
（一）对较大以上危险化学品事故，县应急管理局应当在{limit}内向市应急管理局报告。
五、应急响应
（一）分级响应
发生一般事故，启动四级响应。
（二）处置措施
县消防救援大队负责灭火和人员搜救。
六、应急保障
县应急管理局负责应急物资储备。
七、预案管理
本预案原则上每3年修订一次。
"""

CITY_ROAD = """丰川市道路交通事故应急预案
丰川市人民政府办公室　2024年5月
1 总则
1.1 适用范围
本预案适用于本市行政区域内道路交通事故的应对。
1.2 事故分级
较大事故：造成3人以上10人以下死亡的。
1.3 牵头处置分工
1.3.1 危险化学品运输车辆发生泄漏的，由{lead}牵头组织现场处置，市生态环境局配合。
2 组织指挥体系及职责
2.1 市指挥部
市人民政府设立市道路交通事故应急指挥部。
3 监测预警
市公安局交通警察支队负责道路交通风险监测。
4 信息报告
事发地县区公安交警部门接报后应当在30分钟内电话报告市公安局交通警察支队，1小时内书面报告。
5 应急响应
5.1 分级响应
发生较大以上道路交通事故，启动二级响应。
5.2 处置措施
市公安局交通警察支队负责交通管制。
6 应急保障
市交通运输局负责运输保障。
"""

OVERALL = """丰川市突发事件总体应急预案
丰川市人民政府　2024年5月
一、总则
（一）工作原则
坚持人民至上、生命至上。
（二）应急预案体系
各专项预案引用本预案时使用现行版本，现行专项预案包括《丰川市危险化学品事故应急预案》。
二、组织指挥体系
市人民政府是本市突发事件应急管理工作的行政领导机关。
三、监测预警
各有关部门负责监测。
四、应急处置与救援
（一）信息报告
事发地县（区）人民政府接到较大以上突发事件信息后，应当在30分钟内通过电话向市政府总值班室报告，1小时内书面报告。
五、应急保障
市应急管理局负责应急物资保障。
六、预案管理
本预案原则上每3年评估修订一次。
"""

POWER = """丰川市大面积停电事件应急预案
丰川市人民政府办公室　2023年6月
1 总则
1.1 编制依据
依据《中华人民共和国突发事件应对法》和《丰川市突发事件总体应急预案》{version}等，制定本预案。
1.2 事件分级
较大大面积停电事件：丰川电网减供负荷20%以上40%以下的。
2 组织体系
市人民政府设立市大面积停电事件应急指挥部。
3 监测预警和信息报告
3.1 监测
供电公司负责电网运行监测。
3.2 信息报告
供电公司应当在30分钟内电话报告市指挥部办公室。
4 应急响应
4.1 响应分级
发生较大以上事件，启动二级响应。
4.2 响应措施
组织抢修恢复供电。
5 应急保障
供电公司负责抢修队伍和物资保障。
6 附则
本预案原则上每3年修订一次。
"""

LAW = """中华人民共和国安全生产法（2021年修正）
（2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过；2021年6月10日第十三届全国人民代表大会常务委员会第二十九次会议第三次修正，自2021年9月1日起施行）
说明：本文为编者归纳复述。
第一条　为了加强安全生产工作，制定本法。
"""

COMPANY = """丰川宏达化工有限公司生产安全事故应急预案
（丰川宏达化工有限公司　2024年6月发布）
1 总则
1.1 适用范围
本预案适用于公司生产安全事故的应对。
2 应急组织机构及职责
公司成立应急指挥部，总经理任总指挥。
3 应急响应
3.1 信息报告
发生事故后，公司应在1小时内报告临河县应急管理局。
4 后期处置
事故结束后开展善后处置。
5 应急保障
公司配备应急物资。
6 储罐泄漏现场处置方案
6.1 事故风险描述
储罐区储存甲醇，可能发生泄漏。
6.2 应急工作职责
当班班长负责现场指挥。
6.3 应急处置
发现泄漏立即关闭进出料阀门。
{notes}
"""

TEAMS = """队伍名称,队伍类型,专业特长,人数,主管单位,所在区县,地址,经度,纬度,联系人,联系电话,主要装备
丰川市消防救援支队特勤大队,国家综合性消防救援队伍,灭火;堵漏,100,丰川市消防救援支队,东城区,东城区1号,119.1,34.1,张三,0000-1111111,消防车
丰川市危险化学品应急救援队,专业应急救援队伍,危化品处置,60,丰川市应急管理局,东城区,东城区2号,119.2,34.2,李四,0000-2222222,侦检车
"""

CITY_OK = dict(law="2021年修正", org="市工业和信息化局", team="丰川市危险化学品应急救援队", annex="附件2")


def _city(**kw) -> str:
    return CITY_HAZMAT.format(**{**CITY_OK, **kw})


def _county(date="2024年2月", evac="3000", limit="30分钟") -> str:
    return COUNTY_HAZMAT.format(date=date, evac=evac, limit=limit)


def _ingest(backend, tmp_path: Path, plans: dict[str, str], regulations: dict[str, str] | None = None,
            teams: bool = False) -> None:
    root = tmp_path / "fc"
    (root / "plans").mkdir(parents=True)
    for title, text in plans.items():
        (root / "plans" / f"{title}.txt").write_text(text, encoding="utf-8")
    if regulations:
        (root / "regulations").mkdir()
        for title, text in regulations.items():
            (root / "regulations" / f"{title}.txt").write_text(text, encoding="utf-8")
    if teams:
        (root / "registry").mkdir()
        (root / "registry" / "救援队伍.csv").write_text(TEAMS, encoding="utf-8")
    report = ingest_paths(backend, [root])
    assert not report.errors


def _kind(backend, kind: str):
    return run_checks(backend, kinds=[kind])


def _quotes(findings, plan: str) -> list[str]:
    return [e.text for f in findings for e in f.evidence if e.plan_title == plan]


# --- threshold_conflict ----------------------------------------------------------------------


def test_threshold_lower_plan_grading_lower(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(),
                                "临河县危险化学品事故应急预案": _county(evac="8000")})
    found = _kind(backend, "threshold_conflict")
    assert len(found) == 1
    f = found[0]
    assert f.severity == "高" and f.plans == ("临河县危险化学品事故应急预案", "丰川市危险化学品事故应急预案")
    assert any("需紧急疏散转移8000人以上1万人以下" in t for t in _quotes(found, "临河县危险化学品事故应急预案"))
    assert any("需紧急疏散转移5000人以上1万人以下" in t for t in _quotes(found, "丰川市危险化学品事故应急预案"))
    assert "较大" in f.message and "5000" in f.message


def test_threshold_stricter_lower_plan_is_fine(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(),
                                "临河县危险化学品事故应急预案": _county(evac="3000")})
    assert _kind(backend, "threshold_conflict") == []


# --- time_limit_conflict ---------------------------------------------------------------------


def test_time_limit_looser_than_plan_above(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(),
                                "临河县危险化学品事故应急预案": _county(limit="2小时")})
    found = _kind(backend, "time_limit_conflict")
    assert len(found) == 1
    assert any("县应急管理局应当在2小时内向市应急管理局报告" in t for t in _quotes(found, "临河县危险化学品事故应急预案"))
    assert any("30分钟内通过电话向市应急管理局报告，1小时内书面报告" in t
               for t in _quotes(found, "丰川市危险化学品事故应急预案"))


def test_time_limit_same_as_plan_above(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(),
                                "临河县危险化学品事故应急预案": _county(limit="30分钟")})
    assert _kind(backend, "time_limit_conflict") == []


# --- responsibility_conflict -----------------------------------------------------------------


def test_responsibility_lead_conflict_and_old_name(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(org="市安全生产监督管理局"),
                                "丰川市道路交通事故应急预案": CITY_ROAD.format(lead="市交通运输局")})
    found = _kind(backend, "responsibility_conflict")
    lead = [f for f in found if f.severity == "高"]
    old = [f for f in found if "机构改革" in f.message]
    assert len(lead) == 1 and len(old) == 1 and len(found) == 2
    assert any("由市交通运输局牵头组织现场处置" in t for t in _quotes(lead, "丰川市道路交通事故应急预案"))
    assert any("由市应急管理局牵头组织处置" in t for t in _quotes(lead, "丰川市危险化学品事故应急预案"))
    assert any("市安全生产监督管理局：负责危险化学品安全生产的综合监督管理" in t
               for t in _quotes(old, "丰川市危险化学品事故应急预案"))


def test_responsibility_consistent_leads_and_current_names(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(),
                                "丰川市道路交通事故应急预案": CITY_ROAD.format(lead="市应急管理局")})
    assert _kind(backend, "responsibility_conflict") == []


# --- superseded_law --------------------------------------------------------------------------


def test_superseded_law_old_version(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(law="2014年修正")},
            {"中华人民共和国安全生产法（2021年修正）": LAW})
    found = _kind(backend, "superseded_law")
    assert len(found) == 1
    assert any("《中华人民共和国安全生产法》（2014年修正）" in t for t in _quotes(found, "丰川市危险化学品事故应急预案"))


def test_superseded_law_current_version(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(law="2021年修正")},
            {"中华人民共和国安全生产法（2021年修正）": LAW})
    assert _kind(backend, "superseded_law") == []


# --- dangling_reference ----------------------------------------------------------------------


def test_dangling_annex(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(annex="附件3")})
    found = _kind(backend, "dangling_reference")
    assert len(found) == 1 and "附件3" in found[0].message
    assert any("全市应急物资储备情况见附件3" in t for t in _quotes(found, "丰川市危险化学品事故应急预案"))


def test_annex_that_exists(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(annex="附件2")})
    assert _kind(backend, "dangling_reference") == []


# --- unknown_resource ------------------------------------------------------------------------


def test_unknown_team(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(team="丰川市海上应急救援一大队")}, teams=True)
    found = _kind(backend, "unknown_resource")
    assert len(found) == 1 and "丰川市海上应急救援一大队" in found[0].message
    assert any("丰川市海上应急救援一大队实施救援" in t for t in _quotes(found, "丰川市危险化学品事故应急预案"))


def test_registered_teams(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city()}, teams=True)
    assert _kind(backend, "unknown_resource") == []


# --- missing_section -------------------------------------------------------------------------


def test_onsite_plan_without_notes(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川宏达化工有限公司生产安全事故应急预案": COMPANY.format(notes="")})
    found = _kind(backend, "missing_section")
    assert len(found) == 1 and "注意事项" in found[0].message
    assert found[0].evidence[0].text == "6 储罐泄漏现场处置方案"


def test_complete_plans(backend, tmp_path):
    _ingest(backend, tmp_path, {
        "丰川宏达化工有限公司生产安全事故应急预案": COMPANY.format(notes="6.4 注意事项\n佩戴正压式空气呼吸器，严禁单人作业。"),
        "丰川市危险化学品事故应急预案": _city(), "丰川市突发事件总体应急预案": OVERALL})
    assert _kind(backend, "missing_section") == []


# --- stale_plan ------------------------------------------------------------------------------


def test_stale_plan_overdue_and_old_edition(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(),
                                "临河县危险化学品事故应急预案": _county(date="2015年3月"),
                                "丰川市突发事件总体应急预案": OVERALL,
                                "丰川市大面积停电事件应急预案": POWER.format(version="（2014年版）")})
    found = _kind(backend, "stale_plan")
    assert sorted(f.plan for f in found) == ["丰川市大面积停电事件应急预案", "临河县危险化学品事故应急预案"]
    assert any("（临河县人民政府　2015年3月印发）" in t for t in _quotes(found, "临河县危险化学品事故应急预案"))
    assert any("《丰川市突发事件总体应急预案》（2014年版）" in t for t in _quotes(found, "丰川市大面积停电事件应急预案"))


def test_recent_plans_are_not_stale(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(),
                                "临河县危险化学品事故应急预案": _county(date="2024年2月"),
                                "丰川市突发事件总体应急预案": OVERALL,
                                "丰川市大面积停电事件应急预案": POWER.format(version="")})
    assert _kind(backend, "stale_plan") == []
    # an explicit as-of date far ahead makes every plan overdue
    assert len(run_checks(backend, kinds=["stale_plan"], as_of="2030-01")) == 4


# --- filters, compare, renderers -------------------------------------------------------------


def test_plan_filter_compare_and_renderers(backend, tmp_path):
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(),
                                "临河县危险化学品事故应急预案": _county(evac="8000", limit="2小时"),
                                "丰川市道路交通事故应急预案": CITY_ROAD.format(lead="市应急管理局")})
    county = run_checks(backend, plan="临河县")
    assert {f.kind for f in county} == {"threshold_conflict", "time_limit_conflict"}
    assert run_checks(backend, plan="丰川市道路交通事故应急预案") == []
    assert run_checks(backend) == run_checks(backend)           # deterministic
    cmp = compare(backend, "临河县危险化学品事故应急预案", "丰川市危险化学品事故应急预案")
    rows = cmp.to_json()["conflicts"]
    assert {r["kind"] for r in rows} == {"threshold_conflict", "time_limit_conflict"}
    assert all(r["a"] and r["b"] for r in rows)
    for f in county:
        assert set(f.to_json()) == {"kind", "severity", "message", "evidence", "suggestion"}
    bad = county[0]
    bad.evidence[0] = type(bad.evidence[0])(bad.evidence[0].plan_title, "<script>x</script>", "a|b*c")
    page = to_html(county)
    assert "<script>x" not in page and "&lt;script&gt;" in page and page.startswith("<!DOCTYPE html>")
    md = to_markdown(county)
    assert "a\\|b\\*c" in md and "## 临河县危险化学品事故应急预案" in md
    assert "临河县" in to_text(county)
    assert "<table>" in compare_html(cmp) and "| 《" in compare_markdown(cmp)


def test_cli_check(backend, tmp_path, capsys):
    from ui.cli_check import cmd_check, register

    if getattr(backend, "store_dir", None) is None:
        pytest.skip("CLI test uses the embedded store")
    _ingest(backend, tmp_path, {"丰川市危险化学品事故应急预案": _city(annex="附件3")})
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store")
    common.add_argument("--neo4j")
    common.add_argument("--json", action="store_true")
    register(sub, common)
    backend.close()   # the command opens the store itself
    args = parser.parse_args(["check", "--store", str(backend.store_dir), "--json", "--kind", "dangling_reference"])
    assert cmd_check(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["total"] == 1 and out["findings"][0]["kind"] == "dangling_reference"
    target = tmp_path / "r.html"
    args = parser.parse_args(["check", "--store", str(backend.store_dir), "--format", "html", "--out", str(target)])
    assert cmd_check(args) == 0 and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    args = parser.parse_args(["check", "--store", str(backend.store_dir), "--plan", "没有这个预案"])
    assert cmd_check(args) == 2


# --- the dev corpus --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_findings():
    from kg.config import StoreConfig
    from kg.open import open_backend

    folder = Path(tempfile.mkdtemp(prefix="yj-chk-"))
    backend = open_backend(StoreConfig(store_dir=folder))
    try:
        report = ingest_paths(backend, [CORPUS], folder)
        assert not report.errors
        yield [f.to_json() for f in run_checks(backend)]
    finally:
        backend.close()
        shutil.rmtree(folder, ignore_errors=True)


def _gold() -> list[dict]:
    return [json.loads(line) for path in sorted(GOLD.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _matches(finding: dict, plan: str, snippet: str) -> bool:
    return any(e["plan_title"] == plan and snippet in e["text"] for e in finding["evidence"])


def test_dev_corpus_finds_every_seeded_inconsistency(corpus_findings):
    gold = _gold()
    assert len(gold) >= 16 and {g["kind"] for g in gold} == set(KINDS)
    missed = []
    for g in gold:
        hits = [f for f in corpus_findings if f["kind"] == g["kind"] and _matches(f, g["plan"], g["snippet"])]
        if not hits:
            missed.append((g["kind"], g["plan"], g["snippet"]))
        elif g.get("other_plan") and g.get("other_snippet"):
            assert any(_matches(f, g["other_plan"], g["other_snippet"]) for f in hits), g
    assert missed == []


def test_dev_corpus_few_false_findings(corpus_findings):
    gold = _gold()
    extra = [f for f in corpus_findings
             if not any(f["kind"] == g["kind"] and _matches(f, g["plan"], g["snippet"]) for g in gold)]
    assert len(extra) <= MAX_NON_GOLD, [f["message"] for f in extra]
