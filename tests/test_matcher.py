"""The matcher on a small invented city (甲市 with 乙县), written here: plan hierarchy, grading by
the plan's own rules, response level and its start condition, resources by distance, JSON shape."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import CORPUS

CITY_PLAN = """甲市危险化学品事故应急预案
甲市人民政府办公室　2024年5月
一、总则
（一）适用范围
本预案适用于甲市行政区域内危险化学品生产、储存、运输过程中发生的泄漏、火灾、爆炸、中毒事故。
（二）事故分级
1. 特别重大事故：造成30人以上死亡，或者100人以上中毒（重伤）的事故。
2. 重大事故：造成10人以上30人以下死亡，或者50人以上100人以下中毒（重伤）的事故。
3. 较大事故：造成3人以上10人以下死亡，或者10人以上50人以下中毒（重伤）的事故。
4. 一般事故：造成3人以下死亡，或者10人以下中毒（重伤）的事故。
二、组织指挥体系
（一）市指挥部
市危险化学品事故应急指挥部总指挥由分管副市长担任，办公室设在市应急管理局。
（二）成员单位职责
市应急管理局：负责指挥部办公室日常工作，牵头组织事故应急处置。
市生态环境局：负责事故现场及周边环境应急监测，提出污染处置建议。
三、信息报告
事故单位应当在1小时内向事故发生地县（区）应急管理部门报告。
四、应急响应
（一）分级响应
1. 一级响应：发生特别重大或者重大危险化学品事故时，由市指挥部总指挥决定启动一级响应。
2. 二级响应：发生较大危险化学品事故时，由市指挥部总指挥决定启动二级响应。
3. 三级响应：发生一般危险化学品事故时，由市指挥部办公室主任决定启动三级响应。
（二）处置措施
1. 泄漏处置：关闭泄漏源上下游阀门，使用堵漏器材封堵，用吸附棉围堵收集泄漏物。
2. 中毒救治：救援人员佩戴正压式空气呼吸器进入现场，将中毒人员转移至上风向安全区域并送医救治。
3. 火灾扑救：对着火储罐实施冷却，使用泡沫覆盖液面，防止火势蔓延。
五、附则
本预案自印发之日起施行。
"""

COUNTY_PLAN = """乙县危险化学品事故应急预案
乙县人民政府　2024年3月
1 总则
1.1 适用范围
本预案适用于乙县行政区域内发生的危险化学品泄漏、火灾、爆炸、中毒事故。本预案是《甲市危险化学品事故应急预案》的衔接预案。
1.2 事故分级
1.2.1 较大事故：造成3人以上10人以下死亡，或者泄漏量5吨以上的事故。
1.2.2 一般事故：造成3人以下死亡，或者泄漏量1吨以上5吨以下的事故。
2 应急响应
2.1 分级响应
2.1.1 二级响应：发生较大危险化学品事故时，由县指挥部总指挥决定启动二级响应，并报请市指挥部支援。
2.1.2 三级响应：发生一般危险化学品事故时，由县应急管理局局长决定启动三级响应。
2.2 处置措施
2.2.1 县消防救援大队到场后立即设立警戒区，疏散下风向群众。
2.2.2 县生态环境局在厂界和下风向布设监测点，每小时报告一次监测结果。
3 附则
本预案自印发之日起施行。
"""

OVERALL_PLAN = """甲市突发事件总体应急预案
甲市人民政府　2024年1月
一、总则
（一）适用范围
本预案适用于甲市行政区域内自然灾害、事故灾难、公共卫生事件和社会安全事件的应对工作。
二、应急响应
（一）响应分级
1. 一级响应：发生特别重大突发事件时，由市应急委主任决定启动一级响应。
2. 四级响应：发生一般突发事件时，由事发地县级人民政府决定启动四级响应。
（二）处置措施
事发地人民政府立即组织营救受害人员，疏散、撤离并妥善安置受威胁人员。
"""

PLACES = """名称,别名,类型,上级,经度,纬度
甲省,,省,,118.80,32.00
甲市,,市,甲省,119.20,34.60
乙县,,区县,甲市,119.60,34.20
丙镇,,乡镇街道,乙县,119.65,34.25
"""

TEAMS = """队伍名称,队伍类型,专业特长,人数,主管单位,所在区县,地址,经度,纬度,联系人,联系电话,主要装备
乙县消防救援大队,国家综合性消防救援队伍,危化品处置;灭火;堵漏,40,甲市消防救援支队,乙县,乙县城关,119.61,34.21,张三,0000,泡沫车2辆
甲市消防特勤大队,国家综合性消防救援队伍,危化品处置;灭火;堵漏,120,甲市消防救援支队,甲市,甲市中心,119.20,34.60,李四,0000,泡沫车6辆
甲市急救中心医疗队,医疗卫生救援队伍,医疗救护,60,甲市卫生健康委员会,甲市,甲市中心,119.21,34.61,王五,0000,救护车10辆
"""


@pytest.fixture(scope="module")
def world():
    from kg.config import StoreConfig
    from kg.ingest import ingest_paths
    from kg.open import open_backend
    from matcher.service import Matcher

    root = Path(tempfile.mkdtemp(prefix="yj-m-"))
    corpus = root / "甲市"
    for rel, text in (("plans/甲市危险化学品事故应急预案.txt", CITY_PLAN), ("plans/乙县危险化学品事故应急预案.txt", COUNTY_PLAN),
                      ("plans/甲市突发事件总体应急预案.txt", OVERALL_PLAN), ("gazetteer/places.csv", PLACES),
                      ("registry/救援队伍.csv", TEAMS)):
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus / rel).write_text(text, encoding="utf-8")
    store = root / "s"
    backend = open_backend(StoreConfig(store_dir=store))
    report = ingest_paths(backend, [corpus], store)
    assert not report.errors, report.errors
    yield Matcher(backend, store, embedder="none"), backend, store
    backend.close()
    shutil.rmtree(root, ignore_errors=True)


def test_county_plan_grades_and_leads_for_a_minor_event(world):
    m = world[0]
    out = m.match("乙县丙镇一化工厂储罐阀门泄漏，泄漏量约2吨，1人中毒死亡，县消防救援大队已到场。")
    inc = out["incident"]
    assert inc["grade"] == "一般"
    assert inc["grade_basis"]["plan"] == "乙县危险化学品事故应急预案"
    assert out["plans"][0]["title"] == "乙县危险化学品事故应急预案"
    assert inc["response_level"] == "三级"


def test_city_plan_leads_above_the_county_threshold(world):
    m = world[0]
    out = m.match("乙县丙镇一化工厂发生氯气泄漏事故，已造成5人死亡，泄漏仍在持续。")
    assert out["incident"]["grade"] == "较大"
    titles = [p["title"] for p in out["plans"]]
    assert titles[0] == "甲市危险化学品事故应急预案"
    assert "乙县危险化学品事故应急预案" in titles
    # the city plan's level for 较大 and its start condition come first among the clauses
    assert out["incident"]["response_level"] == "二级"
    assert any("启动二级响应" in c["text"] for c in out["clauses"][:3])


def test_below_every_threshold_is_not_graded(world):
    out = world[0].match("乙县丙镇一化工厂管道法兰轻微渗漏，约20公斤物料流入围堰，无人员伤亡，已处置完毕。")
    assert out["incident"]["grade"] == "未达分级"
    assert out["incident"]["grade_basis"] is None


def test_no_special_plan_falls_back_to_the_overall_plan(world):
    out = world[0].match("甲市一居民楼发生山体滑坡，部分房屋受损，暂无人员伤亡。")
    assert out["plans"][0]["title"] == "甲市突发事件总体应急预案"


def test_nearer_team_with_the_same_speciality_ranks_first(world):
    out = world[0].match("乙县丙镇一化工厂储罐泄漏，2人中毒受伤。")
    names = [t["name"] for t in out["teams"]]
    assert names.index("乙县消防救援大队") < names.index("甲市消防特勤大队")
    assert "甲市急救中心医疗队" in names  # people hurt: medical care is called
    d = {t["name"]: t["distance_km"] for t in out["teams"]}
    assert d["乙县消防救援大队"] < d["甲市消防特勤大队"]


def test_clauses_are_single_paragraphs_with_sections(world):
    out = world[0].match("乙县丙镇一化工厂储罐泄漏，泄漏量约3吨，2人中毒。")
    for c in out["clauses"]:
        assert "\n" not in c["text"].strip()
        assert c["section"] and c["plan_title"] and c["why"]


def test_json_shape_matches_the_contract(world):
    out = world[0].match("乙县丙镇一化工厂储罐泄漏，泄漏量约3吨。")
    assert set(out) >= {"incident", "plans", "clauses", "teams", "supplies", "experts", "cases", "checklist",
                        "timing_ms"}
    assert {"grade", "grade_basis", "response_level", "type_code", "location"} <= set(out["incident"])
    for p in out["plans"]:
        assert set(p) >= {"title", "level", "score", "why"}
    for t in out["teams"]:
        assert set(t) >= {"name", "speciality", "distance_km", "score", "why"}
    for x in out["checklist"]:
        assert set(x) >= {"org", "action", "deadline", "source"}
    json.dumps(out, ensure_ascii=False)


def test_empty_report_is_a_clear_error(world):
    with pytest.raises(ValueError):
        world[0].match("   ")


def test_cap_alert_is_matched(world):
    cap_dir = CORPUS / "cap"
    files = sorted(cap_dir.glob("*.xml"))
    if not files:
        pytest.skip("no CAP examples")
    out = world[0].match(cap=files[0])
    assert out["incident"]["type_code"]


def test_cli_match_json_and_batch(world):
    _, backend, store = world
    env_cmd = [sys.executable, "-m", "ui.cli", "match", "--store", str(store), "--embedder", "none"]
    one = subprocess.run(env_cmd + ["--json", "乙县丙镇一化工厂储罐泄漏，1人死亡。"], capture_output=True, text=True,
                         timeout=120)
    assert one.returncode == 0, one.stderr
    assert json.loads(one.stdout)["incident"]["grade"] == "一般"
    lines = "\n".join(json.dumps({"id": i, "report": r}, ensure_ascii=False)
                      for i, r in (("a", "乙县丙镇储罐泄漏，5人死亡。"), ("b", ""), ("c", "not json")))
    batch = subprocess.run(env_cmd + ["--batch", "-"], input=lines + "\nnot json\n", capture_output=True, text=True,
                           timeout=120)
    assert batch.returncode == 0, batch.stderr
    rows = [json.loads(x) for x in batch.stdout.splitlines()]
    assert rows[0]["id"] == "a" and rows[0]["incident"]["grade"] == "较大"
    assert "error" in rows[1] and "error" in rows[-1]


def test_a_city_without_gazetteer_matches_plans_by_jurisdiction_names(tmp_path):
    """Another city's plans with no gazetteer in the store: places come from the parser's national
    place table and plan jurisdictions from their titles."""
    from kg.config import StoreConfig
    from kg.ingest import ingest_paths
    from kg.open import open_backend
    from matcher.service import Matcher

    corpus = tmp_path / "宿迁"
    (corpus / "plans").mkdir(parents=True)
    city = CITY_PLAN.replace("甲市", "宿迁市")
    county = COUNTY_PLAN.replace("乙县", "沭阳县").replace("甲市", "宿迁市")
    (corpus / "plans" / "宿迁市危险化学品事故应急预案.txt").write_text(city, encoding="utf-8")
    (corpus / "plans" / "沭阳县危险化学品事故应急预案.txt").write_text(county, encoding="utf-8")
    store = Path(tempfile.mkdtemp(prefix="yj-sq-"))
    backend = open_backend(StoreConfig(store_dir=store))
    try:
        ingest_paths(backend, [corpus], store)
        m = Matcher(backend, store, embedder="none")
        out = m.match("江苏省宿迁市沭阳县一化工厂储罐泄漏，泄漏量约2吨，1人中毒死亡。")
        assert out["plans"][0]["title"] == "沭阳县危险化学品事故应急预案"
        assert out["incident"]["grade"] == "一般"
        out = m.match("江苏省宿迁市宿城区一化工厂发生氯气泄漏，造成4人死亡。")
        assert out["plans"][0]["title"] == "宿迁市危险化学品事故应急预案"
        assert "沭阳县危险化学品事故应急预案" not in [p["title"] for p in out["plans"]]
    finally:
        backend.close()
        shutil.rmtree(store, ignore_errors=True)


def test_reporting_limits_follow_the_grade_band_they_are_written_for():
    from matcher.checklist import applies_to_grade
    from matcher.data import Doc

    text = ("接到较大以上事故信息后，应当在30分钟内电话报告，1小时内书面报告；"
            "一般事故应当在1小时内电话报告、2小时内书面报告。事故单位应当在1小时内报告。")
    doc = Doc("d", "v", "plan", "某预案", {}, text)
    at = lambda snippet: {"start": text.index(snippet)}  # noqa: E731
    assert applies_to_grade(doc, at("30分钟内"), "重大")
    assert not applies_to_grade(doc, at("30分钟内"), "一般")
    assert applies_to_grade(doc, at("2小时内书面"), "一般")
    assert not applies_to_grade(doc, at("2小时内书面"), "较大")
    assert applies_to_grade(doc, at("1小时内报告"), "较大")  # no band: always


def test_the_situation_calls_for_supplies():
    from matcher.resources import situation_supplies

    fire = situation_supplies({"injured": 2}, "凌晨3时仓库起火，2人受伤")
    assert "急救包" in fire and any("泡沫" in w for w in fire) and "应急照明灯" in fire
    assert situation_supplies({}, "一辆货车抛锚，无其他情况") == []


def test_a_huge_report_is_cut_and_says_so(world):
    from matcher.service import MAX_REPORT_CHARS

    out = world[0].match("乙县丙镇一化工厂储罐泄漏，1人死亡。" + "现场情况持续更新。" * 5000)
    assert str(MAX_REPORT_CHARS) in out["incident"]["note"]
    assert out["incident"]["grade"] == "一般"
