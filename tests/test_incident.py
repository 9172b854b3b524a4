"""Incident-report understanding: numerals, casualties and updates, typing, places, limits."""
from __future__ import annotations

import time

import pytest

from nlp.incident import FIELDS, parse_many, parse_report
from nlp.numbers import cn_to_number, to_int
from nlp.places import DEFAULT_GAZETTEER, GAZETTEER_ENV, resolve_location


# --- numerals --------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,value", [
    ("三", 3), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("十余", 10), ("二十余", 20),
    ("一百多", 100), ("上百", 100), ("数十", 10), ("近百", 100), ("一百零五", 105), ("三千五百", 3500),
    ("1.5万", 15000), ("3000余", 3000), ("一万五千", 15000), ("2.19亿", 219_000_000), ("３０", 30),
])
def test_cn_to_number(raw, value):
    assert cn_to_number(raw) == value


def test_not_a_number():
    assert cn_to_number("死亡") is None
    assert to_int("") is None


@pytest.mark.parametrize("text,field,value", [
    ("事故造成三人死亡、十余人受伤。", "deaths", 3),
    ("事故造成三人死亡、十余人受伤。", "injured", 10),
    ("现场两名工人被困。", "trapped", 2),
    ("已紧急疏散周边群众1.5万人。", "evacuated", 15000),
    ("一百多名学生出现呕吐、腹泻症状。", "injured", 100),
    ("目前仍有2人失踪。", "missing", 2),
    ("共造成3死5伤。", "deaths", 3),
    ("受伤15人（其中重伤1人）。", "seriously_injured", 1),
    ("受伤15人（其中重伤1人）。", "injured", 15),
])
def test_casualty_phrases(text, field, value):
    assert parse_report(text)[field] == value


def test_households_are_not_people():
    r = parse_report("燃气管道被挖断，3000余户居民停气，无人员伤亡。")
    assert r["evacuated"] is None
    assert r["deaths"] == 0 and r["injured"] == 0


# --- explicit zero vs unstated ------------------------------------------------------------------
# A casualty field is None unless the report states it; 0 only for an explicit statement.

CASUALTY_KEYS = ("deaths", "missing", "injured", "seriously_injured", "trapped", "evacuated")


@pytest.mark.parametrize("text,expected", [
    ("仓库起火，2名搬运工受伤送医。", {"injured": 2}),
    ("现场无人员受伤，火势已控制。", {"injured": 0}),
    ("经排查未造成人员伤亡。", {"deaths": 0, "injured": 0}),
    ("目前暂无人员伤亡报告。", {"deaths": 0, "injured": 0}),
    ("未发现房屋倒塌和人员伤亡。", {"deaths": 0, "injured": 0}),
    ("无人员死亡，4人受伤。", {"deaths": 0, "injured": 4}),
    ("截至发稿，无死亡、失踪人员报告。", {"deaths": 0, "missing": 0}),
    ("现场已无失联人员。", {"missing": 0}),
    ("周边居民暂无人员不适。", {"injured": 0}),
    ("货车侧翻，没有人受伤。", {"injured": 0}),
    ("渔船进水下沉，船上9名船员均安全。", {"deaths": 0, "injured": 0}),
    ("车撞到护栏了，人都没事。", {"deaths": 0, "injured": 0}),
    ("机舱起火，轮机长手部烧伤已送医，其他人没事。", {"deaths": 0, "injured": 1}),
    ("货船搁浅，船体未破损，船员安全。", {"deaths": 0, "injured": 0}),
    ("有没有人员受伤？", {}),
    ("是否有人员伤亡尚不清楚。", {}),
    ("尚未掌握人员伤亡情况。", {}),
    ("有无人员伤亡正在核实。", {}),
    ("请各单位确保人员安全。", {}),
])
def test_zero_only_when_stated(text, expected):
    r = parse_report(text)
    assert {k: r[k] for k in CASUALTY_KEYS} == {k: expected.get(k) for k in CASUALTY_KEYS}


def test_question_then_answer():
    r = parse_report("值班员：有没有人受伤？\n现场：都没受伤，就是受了惊吓。")
    assert r["injured"] == 0 and r["deaths"] is None


def test_missing_people_found():
    assert parse_report("失联的2名工人已在仓库后侧找到，均无生命危险。")["missing"] == 0
    assert parse_report("3人失联。搜救队已找到1名失联人员。")["missing"] == 2
    assert parse_report("失联人员尚未找到，搜救仍在进行。")["missing"] is None


def test_light_injuries_mean_no_serious_ones_but_mild_illness_says_nothing():
    assert parse_report("两车刮擦，2人轻伤。")["seriously_injured"] == 0
    assert parse_report("3人受伤，其中1人轻伤。")["seriously_injured"] is None
    assert parse_report("30名学生出现腹泻症状，均为轻症。")["seriously_injured"] is None


@pytest.mark.parametrize("text,field,value", [
    ("一名钢筋工从12层临边坠落，当场死亡。", "deaths", 1),
    ("1名工人被救出时已无生命体征。", "deaths", 1),
    ("1名渔民收网时不慎落水，现已失联。", "missing", 1),
    ("驾驶人和一名乘客下落不明。", "missing", 2),
    ("一名保洁员在清理时被掉落的玻璃划伤手臂。", "injured", 1),
    ("货车司机和2名路人吸入氨气后送医。", "injured", 3),
    ("两人受伤已送医，其中1人伤重。", "seriously_injured", 1),
    ("已转移周边20户65名村民。", "evacuated", 65),
    ("周边居民紧急疏散，截至22时约3000人。", "evacuated", 3000),
    ("4名员工吸入氯气，其中1人重伤，3人轻微不适。", "injured", 4),
])
def test_casualties_across_clauses(text, field, value):
    assert parse_report(text)[field] == value


# --- updates -----------------------------------------------------------------------------------

def test_update_latest_figure_wins():
    text = ("【续报】某化工厂爆炸事故。首报死亡2人。截至今日8时，事故死亡人数已升至5人（前报3人），"
            "受伤人数增至21人，其中重伤4人。")
    r = parse_report(text)
    assert r["deaths"] == 5
    assert r["injured"] == 21
    assert r["seriously_injured"] == 4


def test_bare_update_attaches_to_field():
    r = parse_report("初报3人遇难。经搜救，遇难人数上升到7人。")
    assert r["deaths"] == 7


def test_subset_does_not_override_total():
    r = parse_report("事故共造成12人死亡（现场遇难8人，送医后抢救无效4人），31人受伤。")
    assert r["deaths"] == 12
    assert r["injured"] == 31


def test_quantities():
    r = parse_report("东海县发生4.3级地震，直接经济损失约2.19亿元。")
    assert r["magnitude"] == 4.3 and r["direct_loss_wan"] == 21900
    assert parse_report("云台山森林火灾，过火面积约45亩。")["burned_area_ha"] == 3
    assert parse_report("液氯槽罐车侧翻，泄漏约500公斤液氯。")["leak_tonnes"] == 0.5
    assert parse_report("据测定，M5.1级地震发生在海域。")["magnitude"] == 5.1


# --- typing --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,code", [
    ("连霍高速东海段一辆液氯槽罐车与货车追尾后侧翻，液氯发生泄漏，下风向村民疏散。", "A20400"),
    ("堆沟港化工园区某化工企业储罐区发生火灾，现场浓烟，消防救援支队正在扑救。", "A20400"),
    ("海州区一餐馆后厨液化石油气钢瓶泄漏引发爆炸，造成2人受伤。", "A21301"),
    ("赣榆区某中学学生在食堂就餐后出现呕吐、腹泻症状，疑似食物中毒，23人送医。", "A30201"),
    ("长深高速灌南段两辆小轿车追尾相撞，1人受伤。", "A20700"),
    ("东海县桃林镇发生4.3级地震，震源深度9公里，部分老旧房屋墙体开裂。", "A10300"),
])
def test_mixed_incident_typing(text, code):
    r = parse_report(text)
    assert r["type_code"] == code, (r["type_code"], r["type_name"])


def test_type_name_and_category_from_taxonomy():
    r = parse_report("海州区一餐馆燃气爆炸，3人死亡。")
    assert r["type_name"] == "城镇燃气事故"
    assert r["category"] == "事故灾难"
    r = parse_report("某小学多名学生食堂就餐后呕吐腹泻，疑似食物中毒。")
    assert r["category"] == "公共卫生事件"


# --- location ------------------------------------------------------------------------------------

def test_local_place_resolves_through_gazetteer():
    loc = parse_report("今日14时，白塔埠镇附近连霍高速一辆槽罐车侧翻。")["location"]
    assert loc["place"] == "白塔埠镇"
    assert loc["county"] == "东海县"
    assert loc["city"] == "连云港市"
    assert loc["province"] == "江苏省"
    assert loc["lon"] == pytest.approx(118.9) and loc["lat"] == pytest.approx(34.58)


def test_park_is_county_level_and_nested_park_walks_up():
    assert parse_report("徐圩新区某石化企业装置区闪爆。")["location"]["county"] == "徐圩新区"
    assert parse_report("堆沟港化工园区一企业氯气泄漏。")["location"]["county"] == "灌南县"


def test_nationwide_location_via_jionlp():
    loc = parse_report("2019年3月21日，江苏响水天嘉宜化工有限公司发生特别重大爆炸事故。")["location"]
    assert loc["province"] == "江苏省" and loc["city"] == "盐城市" and loc["county"] == "响水县"
    loc = parse_report("山东省青岛市黄岛区输油管道泄漏爆炸。")["location"]
    assert loc["province"] == "山东省" and loc["county"] == "黄岛区"


def test_gazetteer_is_configurable(tmp_path, monkeypatch):
    gz = tmp_path / "places.csv"
    gz.write_text("名称,别名,类型,上级,经度,纬度\n江苏省,,省,,118.7,32.0\n盐城市,,市,江苏省,120.1,33.3\n"
                  "响水县,,区县,盐城市,119.5,34.2\n陈家港镇,陈家港,乡镇街道,响水县,119.8,34.5\n", encoding="utf-8")
    loc = parse_report("陈家港化工园区发生爆炸。", gazetteer=gz)["location"]
    assert (loc["place"], loc["county"], loc["city"]) == ("陈家港镇", "响水县", "盐城市")
    monkeypatch.setenv(GAZETTEER_ENV, str(gz))
    assert resolve_location("陈家港附近")["county"] == "响水县"
    monkeypatch.delenv(GAZETTEER_ENV)
    assert DEFAULT_GAZETTEER.exists()


# --- other fields --------------------------------------------------------------------------------

def test_time_organisations_hazards():
    r = parse_report("2024年5月16日14时25分，灌南县应急局报告：堆沟港化工园区一企业硫化氢泄漏，"
                     "市应急局、市消防救援支队已到场。")
    assert r["time"] == "2024-05-16T14:25"
    assert "灌南县应急管理局" in r["organisations"]
    assert "市应急管理局" in r["organisations"]
    assert "市消防救援支队" in r["organisations"]
    assert r["hazards"] == ["硫化氢"]


def test_relative_time_without_base_stays_raw():
    assert parse_report("今日凌晨3时许，海州区一居民楼起火。")["time"] == "今日凌晨3时许"


# --- limits --------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["", "   \n\t ", None])
def test_empty_input_raises_chinese_message(bad):
    with pytest.raises(ValueError, match="为空"):
        parse_report(bad)


def test_huge_input_is_capped_and_does_not_crash():
    text = "连云港市灌南县堆沟港化工园区液氯泄漏，造成3人死亡。" + "无关文字，" * 100_000 + "死亡人数升至99人。"
    r = parse_report(text)
    assert set(r) == set(FIELDS)
    assert r["deaths"] == 3            # the tail beyond 20,000 characters is not read


def test_result_keys_and_nulls():
    r = parse_report("收到。")
    assert list(r) == list(FIELDS)
    assert set(r["location"]) == {"province", "city", "county", "place", "lon", "lat"}
    assert r["deaths"] is None and r["hazards"] == [] and r["type_code"] is None


def test_parse_many_keeps_going():
    out = parse_many(["海州区一餐馆燃气爆炸。", "", {"report": "东海县发生4.3级地震。"}])
    assert out[0]["type_code"] == "A21301"
    assert "error" in out[1]
    assert out[2]["magnitude"] == 4.3


def test_speed_after_warm_up():
    text = ("【续报】连霍高速东海县白塔埠镇段液氯槽罐车泄漏事故：截至今日10时，死亡人数已升至2人，"
            "受伤15人（其中重伤3人），已疏散群众1860人，市应急局、市生态环境局在现场。") * 3
    parse_report(text)
    t0 = time.perf_counter()
    for _ in range(20):
        parse_report(text)
    assert (time.perf_counter() - t0) / 20 < 0.05


def test_another_province_named_in_full_beats_a_local_alias():
    from nlp.incident import parse_report

    loc = parse_report("吉林省永吉县境内发生特大洪水，开发区内一化工企业仓库被冲毁，原料桶流入河道。")["location"]
    assert loc["province"] == "吉林省"
