"""Case records: gold facts read by hand from the case files, general properties for every case,
and plain-text cases without a header block."""
import re
from functools import lru_cache
from pathlib import Path

import pytest

from nlp.case import extract_case
from nlp.document import build_record

CASES = Path(__file__).resolve().parents[1] / "corpora" / "lianyungang" / "cases"
FILES = sorted(p for p in CASES.iterdir() if p.suffix == ".txt")


@lru_cache(maxsize=None)
def load(name: str):
    rec = build_record(CASES / name)
    return rec, extract_case(rec)


def by_prefix(prefix: str) -> str:
    hits = [p.name for p in FILES if p.name.startswith(prefix)]
    assert len(hits) == 1, prefix
    return hits[0]


# Gold annotation: values read from each case text (header block and sections).
GOLD = {
    "东海县“5·8”": dict(time="2020-05-08T03:16", county="东海县", type_code="A10300", deaths=0, injured=3,
                     direct_loss_wan=680, grade="一般", activated_plan="东海县地震应急预案",
                     activated_level="Ⅳ级", n_lessons=4, cause="构造活动"),
    "堆沟港化工园区澜沁化工": dict(time="2020-05-16T14:25", county="灌南县", type_code="A20400", deaths=2, injured=1,
                         seriously_injured=1, direct_loss_wan=380, grade="一般",
                         activated_plan="灌南县堆沟港化工园区生产安全事故应急预案", activated_level="Ⅱ级",
                         n_lessons=4, cause="硫化氢", hazard="硫化氢"),
    "天津港瑞海公司": dict(time="2015-08-12T22:51", province="天津市", county="滨海新区", type_code="A20400",
                    deaths=165, missing=8, injured=798, direct_loss_wan=686600, grade="特别重大",
                    activated_plan="天津市突发事件总体应急预案", activated_level="Ⅰ级", cause="硝化棉",
                    source="真实", hazard="硝酸铵"),
    "江苏响水天嘉宜": dict(time="2019-03-21T14:48", city="盐城市", county="响水县", type_code="A20400", deaths=78,
                    injured=640, seriously_injured=76, direct_loss_wan=198600, grade="特别重大",
                    activated_plan="江苏省生产安全事故应急预案", activated_level="Ⅰ级", cause="硝化废料",
                    source="真实"),
    "江苏昆山中荣": dict(time="2014-08-02T07:34", province="江苏省", city="苏州市", type_code="A21600", deaths=97,
                   injured=163, direct_loss_wan=35100, grade="特别重大", activated_level="Ⅰ级", cause="铝粉尘"),
    "江苏海澜石化": dict(time="2022-07-22T16:08", county="徐圩新区", type_code="A20400", deaths=0, injured=1,
                   direct_loss_wan=420, grade="一般", activated_plan="江苏海澜石化有限公司生产安全事故应急预案",
                   activated_level="Ⅰ级", n_activations=3, cause="雷击", hazard="石脑油"),
    "沈海高速": dict(time="2019-12-08T06:50", county="灌云县", type_code="A20700", deaths=4, injured=19,
                 seriously_injured=5, direct_loss_wan=760, grade="较大",
                 activated_plan="连云港市道路交通事故应急预案（含危险化学品运输）", activated_level="Ⅲ级"),
    "灌云县燕尾港": dict(time="2024-08-20T04:30", county="灌云县", type_code="A10501", deaths=0, injured=2,
                   direct_loss_wan=2300, grade="较大", activated_plan="连云港市海洋灾害（风暴潮）应急预案",
                   activated_level="Ⅲ级"),
    "灌南县新沂河": dict(time="2023-07-14T21:30", county="灌南县", type_code="A10100", deaths=0, injured=0,
                   direct_loss_wan=380, grade="一般", activated_plan="灌南县防汛抗旱应急预案",
                   activated_level="Ⅲ级", peak_level="Ⅱ级"),
    "田湾核电站": dict(time="2024-11-14T09:00", county="连云区", type_code="A21500", grade=None,
                  activated_plan="连云港市核应急预案（田湾核电站）", activated_level="Ⅰ级", source="演练"),
    "苏连渔": dict(time="2024-10-17T03:20", type_code="A20800", deaths=3, missing=2, injured=1,
                direct_loss_wan=300, grade="较大", activated_plan="连云港市海上搜救应急预案", activated_level="Ⅲ级"),
    "东海县牛山街道": dict(time="2025-04-11T09:40", county="东海县", type_code="A21301", deaths=0, injured=0,
                    direct_loss_wan=18, grade=None, activated_level=None, source=None, hazard="天然气"),
    "赣榆区某中学": dict(time="2023-09-12T17:30", county="赣榆区", type_code="A30201", deaths=0, direct_loss_wan=18,
                   grade="一般", activated_plan="连云港市突发公共卫生事件应急预案（含食物中毒）",
                   activated_level="Ⅳ级", cause="副溶血性弧菌"),
    "连云港聚鑫": dict(time="2017-12-09T02:09", county="灌南县", type_code="A20400", deaths=10, injured=1,
                  direct_loss_wan=4875, grade="重大", activated_plan="连云港市危险化学品事故应急预案",
                  activated_level="Ⅱ级"),
    "青岛中石化": dict(time="2013-11-22T10:25", province="山东省", city="青岛市", deaths=62, injured=136,
                  direct_loss_wan=75000, grade="特别重大", activated_level="Ⅰ级", cause="腐蚀"),
    "海州区福满楼": dict(time="2024-01-15T11:52", county="海州区", type_code="A21301", deaths=3, injured=17,
                   seriously_injured=4, direct_loss_wan=860, grade="较大", activated_plan="连云港市城镇燃气事故应急预案",
                   activated_level="Ⅲ级", source=None),
}


def test_corpus_has_24_cases():
    assert len(FILES) == 24


@pytest.mark.parametrize("prefix", sorted(GOLD))
def test_gold_case(prefix):
    _, case = load(by_prefix(prefix))
    gold = dict(GOLD[prefix])
    n_lessons = gold.pop("n_lessons", None)
    n_acts = gold.pop("n_activations", None)
    cause = gold.pop("cause", None)
    hazard = gold.pop("hazard", None)
    for field, value in gold.items():
        assert getattr(case, field) == value, (prefix, field, getattr(case, field))
    if n_lessons is not None:
        assert len(case.lessons) == n_lessons
    if n_acts is not None:
        assert len(case.activations) == n_acts
    if cause is not None:
        assert case.cause and cause in case.cause
    if hazard is not None:
        assert hazard in case.hazards


_LEVEL_MENTION = re.compile(r"[一二三四ⅠⅡⅢⅣ]级(?:应急)?响应")
_NEGATED = re.compile(r"未达到|未启动|不启动")


def _activation_line(text: str) -> str | None:
    for line in text.split("\n")[:15]:
        if re.match(r"^[^：:]{2,14}(?:预案|响应)[^：:]{0,6}[：:]", line):
            return line
    return None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem[:12])
def test_general_properties(path):
    rec, case = load(path.name)
    assert case.title == rec.title
    assert case.time and re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?", case.time)
    assert case.time[:4] in rec.text[:600]
    assert case.type_code and case.type_name and case.category
    assert case.province and case.place
    assert case.lessons and all(len(x) >= 6 for x in case.lessons)
    assert case.cause and case.response
    for k in ("deaths", "missing", "injured"):
        v = getattr(case, k)
        assert v is None or (isinstance(v, int) and v >= 0)
    line = _activation_line(rec.text)
    if line and _LEVEL_MENTION.search(line) and not _NEGATED.search(line):
        assert case.activated_level in ("Ⅰ级", "Ⅱ级", "Ⅲ级", "Ⅳ级")
        assert case.activated_plan
    elif line and _NEGATED.search(line) and not re.search(r"；.*" + _LEVEL_MENTION.pattern, line):
        assert case.activated_level is None
    loss = re.search(r"直接经济损失[：:]\s*约?(\d[\d.]*)(亿|万)元", rec.text)
    if loss:
        expected = float(loss.group(1)) * (10000 if loss.group(2) == "亿" else 1)
        assert case.direct_loss_wan == pytest.approx(expected)
    d = case.to_json()
    assert d["title"] == case.title and isinstance(d["lessons"], list)


def test_plain_text_case_without_header():
    text = ("某市化工厂“6·1”爆炸事故\n"
            "2021年6月1日上午9时30分许，江苏省甲市乙县化工园区一化工企业发生爆炸，造成2人死亡、5人受伤，"
            "直接经济损失约1.2亿元。事故发生后，乙县立即启动《乙县危险化学品事故应急预案》Ⅱ级应急响应。"
            "经调查，事故直接原因是反应釜超温超压导致爆炸。该事故为重大生产安全事故。"
            "事故教训：一是企业必须严格执行工艺纪律；二是园区应加强特殊作业监管。")
    case = extract_case(text)
    assert case.title == "某市化工厂“6·1”爆炸事故"
    assert case.time == "2021-06-01T09:30"
    assert case.type_code == "A20400"
    assert (case.deaths, case.injured, case.direct_loss_wan) == (2, 5, 12000)
    assert case.grade == "重大"
    assert case.activated_plan == "乙县危险化学品事故应急预案" and case.activated_level == "Ⅱ级"
    assert case.cause.startswith("反应釜超温超压")
    assert case.lessons == ["企业必须严格执行工艺纪律", "园区应加强特殊作业监管。"]
    assert case.province == "江苏省"
    assert case.source is None


def test_sections_and_markers_in_other_words():
    text = ("甲县“3·3”山林火灾\n"
            "事故类别：森林火灾\n发生时间：2020年3月3日\n事故等级：较大\n"
            "一、基本情况\n2020年3月3日，甲县某林场发生山林火灾，1人死亡。\n"
            "二、救援处置\n县指挥部启动I级响应，后提升为Ⅰ级。\n"
            "三、事故原因\n主要原因：村民烧荒引燃山林。\n"
            "四、整改措施\n1. 加强野外用火管理。\n2. 完善林区视频监控。\n"
            "本案例为教学用虚构案例。\n")
    case = extract_case(text)
    assert case.time == "2020-03-03"
    assert case.type_code == "A10600"
    assert case.grade == "较大"
    assert case.activated_level == "Ⅰ级"
    assert case.cause == "村民烧荒引燃山林。"
    assert case.lessons[:2] == ["加强野外用火管理。", "完善林区视频监控。"]
    assert case.source == "虚构"


def test_not_started_response_is_not_a_level():
    text = ("乙区“5·5”燃气泄漏事件\n启动预案及响应级别：未达到《甲市城镇燃气事故应急预案》四级响应启动条件，未启动响应\n"
            "一、事件经过\n2022年5月5日10时，乙区一小区燃气管道泄漏。\n"
            "二、应急处置\n燃气企业关阀抢修。\n三、经验教训\n一是加强巡线。\n")
    case = extract_case(text)
    assert case.activated_level is None and case.activated_plan is None
    assert case.time == "2022-05-05T10:00"


def test_empty_text_is_refused():
    with pytest.raises(ValueError):
        extract_case("  ")
