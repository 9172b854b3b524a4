"""Plan and regulation metadata: values read by hand from each corpus file, plus synthetic edge cases."""
from functools import lru_cache
from pathlib import Path

import pytest

from nlp.document import build_record
from nlp.metadata import (find_dates, find_supersedes, iso_date, law_key, plan_metadata, regulation_metadata,
                          subject_of)

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "lianyungang"
PLANS = CORPUS / "plans"
REGS = CORPUS / "regulations"
GENERAL = "连云港市突发事件总体应急预案"
CITY_OFFICE = "连云港市人民政府办公室"


@lru_cache(maxsize=None)
def plan(name: str):
    return plan_metadata(build_record(PLANS / name))


@lru_cache(maxsize=None)
def regulation(name: str):
    return regulation_metadata(build_record(REGS / name))


# Gold, read from each plan: (admin_level, plan_type, jurisdiction, issuer, date, incident code, sits_under member)
GOLD = {
    "东海县地震应急预案.docx": ("县区", "专项", "东海县", "东海县人民政府", "2022-06", "A10300", "连云港市地震应急预案"),
    "徐圩新区危险化学品事故应急预案.txt": ("园区", "专项", "徐圩新区", "徐圩新区管委会", "2024-03", "A20400",
                                "连云港市危险化学品事故应急预案"),
    "江苏海澜石化有限公司生产安全事故应急预案.docx": ("企业", "综合", "江苏海澜石化有限公司", "江苏海澜石化有限公司", "2024-03",
                                      "A20400", "徐圩新区危险化学品事故应急预案"),
    "灌南县堆沟港化工园区生产安全事故应急预案.txt": ("园区", "专项", "堆沟港化工园区", "灌南县堆沟港化工园区管理委员会", "2023-05",
                                     "A20400", "连云港市危险化学品事故应急预案"),
    "灌南县防汛抗旱应急预案.txt": ("县区", "专项", "灌南县", "灌南县人民政府", "2023-04", "A10100", "连云港市防汛抗旱应急预案"),
    "连云港市危险化学品事故应急预案.txt": ("市", "专项", "连云港市", CITY_OFFICE, "2023-08", "A20400", GENERAL),
    "连云港市地震应急预案.txt": ("市", "专项", "连云港市", CITY_OFFICE, "2023-08", "A10300", GENERAL),
    "连云港市城镇燃气事故应急预案.docx": ("市", "专项", "连云港市", CITY_OFFICE, "2024-07", "A21301", GENERAL),
    "连云港市大面积停电事件应急预案.pdf": ("市", "专项", "连云港市", CITY_OFFICE, "2016-12", "A21303", GENERAL),
    "连云港市建筑施工事故应急预案.txt": ("市", "部门", "连云港市", "连云港市住房和城乡建设局", "2021-04", "A20300", GENERAL),
    "连云港市核应急预案（田湾核电站）.pdf": ("市", "专项", "连云港市", CITY_OFFICE, "2024-09", "A21500", GENERAL),
    "连云港市森林防灭火应急预案.txt": ("市", "专项", "连云港市", CITY_OFFICE, "2023-03", "A10600", GENERAL),
    "连云港市海上搜救应急预案.txt": ("市", "专项", "连云港市", CITY_OFFICE, "2022-09", "A20800", GENERAL),
    "连云港市海洋灾害（风暴潮）应急预案.md": ("市", "专项", "连云港市", CITY_OFFICE, "2022-08", "A10501", GENERAL),
    "连云港市突发事件总体应急预案.txt": ("市", "总体", "连云港市", "连云港市人民政府", "2024-05", "A20000", None),
    "连云港市突发公共卫生事件应急预案（含食物中毒）.md": ("市", "专项", "连云港市", CITY_OFFICE, "2024-12", "A30201", GENERAL),
    "连云港市突发环境事件应急预案.txt": ("市", "专项", "连云港市", CITY_OFFICE, "2023-08", "A21400", GENERAL),
    "连云港市道路交通事故应急预案（含危险化学品运输）.txt": ("市", "专项", "连云港市", CITY_OFFICE, "2023-09", "A20700", GENERAL),
    "连云港市防汛抗旱应急预案.txt": ("市", "专项", "连云港市", CITY_OFFICE, "2024-05", "A10100", GENERAL),
}


def test_every_plan_has_gold():
    assert sorted(p.name for p in PLANS.iterdir()) == sorted(GOLD)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_plan_gold(name):
    level, ptype, juris, issuer, date, code, parent = GOLD[name]
    m = plan(name)
    assert m.title == Path(name).stem
    assert (m.admin_level, m.plan_type, m.jurisdiction) == (level, ptype, juris)
    assert m.issuer == issuer
    assert m.date == date and m.last_revised == int(date[:4])
    assert code in m.incident_types
    if parent:
        assert parent in m.sits_under
    assert m.review_period_years == 3          # every plan says 每3年/每三年 评估或修订
    assert m.interpreter                       # every plan names who interprets it
    assert m.supersedes == []                  # none of them says it replaces an earlier text
    assert m.title not in m.cites and all(t.endswith(("预案", "）")) for t in m.cites)
    assert m.to_json()["title"] == m.title


def test_specific_plan_facts():
    hl = plan("江苏海澜石化有限公司生产安全事故应急预案.docx")
    assert hl.version == "第3版" and hl.doc_number == "HLSH-YJ-2024-01"
    assert "火灾爆炸事故专项应急预案" in hl.components and "硫化氢中毒现场处置方案" in hl.components
    assert hl.interpreter == "安全环保部"
    dg = plan("灌南县堆沟港化工园区生产安全事故应急预案.txt")
    assert dg.jurisdiction_parent == "灌南县"
    assert "连云港市突发环境事件应急预案" in dg.sits_under
    road = plan("连云港市道路交通事故应急预案（含危险化学品运输）.txt")
    assert "A20400" in road.incident_types                  # （含危险化学品运输）
    assert "连云港市危险化学品事故应急预案" in road.links         # same level: a link, not a parent
    surge = plan("连云港市海洋灾害（风暴潮）应急预案.md")
    assert {"A10500", "A10502", "A10503"} <= set(surge.incident_types)
    total = plan("连云港市突发事件总体应急预案.txt")
    assert {"A10000", "A20000", "A30000", "A40000"} <= set(total.incident_types)
    assert len(total.lists_plans) == 13 and "连云港市建筑施工事故应急预案" in total.lists_plans
    power = plan("连云港市大面积停电事件应急预案.pdf")
    assert GENERAL in power.cites and power.interpreter == "市工业和信息化局"
    xw = plan("徐圩新区危险化学品事故应急预案.txt")
    assert xw.jurisdiction_parent == "连云港市"
    assert "连云港市海上搜救应急预案" not in xw.sits_under     # "按照…有关规定执行" is not subordination


REG_GOLD = {
    "中华人民共和国安全生产法（2021年修正）.txt": ("安全生产法", "2021年修正", "2021-09-01", "全国人大常委会"),
    "中华人民共和国突发事件应对法（2024年修订）.txt": ("突发事件应对法", "2024年修订", "2024-11-01", "全国人大常委会"),
    "危险化学品安全管理条例.txt": ("危险化学品安全管理条例", "2013年修正", "2013-12-07", "国务院"),
    "生产安全事故报告和调查处理条例.txt": ("生产安全事故报告和调查处理条例", None, "2007-06-01", "国务院"),
    "突发事件应急预案管理办法（2024年）.txt": ("突发事件应急预案管理办法", "2024年", "2024-01-31", "国务院办公厅"),
}


@pytest.mark.parametrize("name", sorted(REG_GOLD))
def test_regulation_gold(name):
    key, version, date, issuer = REG_GOLD[name]
    m = regulation(name)
    assert (m.key, m.version, m.date, m.issuer) == (key, version, date, issuer)


def test_regulation_numbers_and_superseded_texts():
    assert regulation("生产安全事故报告和调查处理条例.txt").doc_number == "国务院令第493号"
    assert regulation("危险化学品安全管理条例.txt").doc_number == "国务院令第591号"
    plan_rules = regulation("突发事件应急预案管理办法（2024年）.txt")
    assert plan_rules.doc_number == "国办发〔2024〕5号"
    assert plan_rules.supersedes == [{"title": "突发事件应急预案管理办法", "year": 2013, "version": "国办发〔2013〕101号"}]
    old = regulation("生产安全事故报告和调查处理条例.txt").supersedes
    assert [(x["title"], x["year"]) for x in old] == [("特别重大事故调查程序暂行规定", 1989), ("企业职工伤亡事故报告和处理规定", 1991)]
    assert {x["year"] for x in regulation("中华人民共和国安全生产法（2021年修正）.txt").supersedes} == {2009, 2014}


# ---------------------------------------------------------------------------------------------
# synthetic plans


def _plan_from(tmp_path, name: str, text: str):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return plan_metadata(build_record(p))


def test_county_plan_without_date(tmp_path):
    m = _plan_from(tmp_path, "甲县森林防灭火应急预案.txt",
                   "甲县森林防灭火应急预案\n1 总则\n1.1 适用范围\n本预案适用于本县行政区域内发生的森林火灾应对工作。\n"
                   "2 附则\n本预案自印发之日起施行。\n")
    assert (m.admin_level, m.jurisdiction, m.plan_type) == ("县区", "甲县", "专项")
    assert m.date is None and m.effective is None and m.issuer is None and m.last_revised is None
    assert m.review_period_years is None and m.supersedes == [] and m.sits_under == []
    assert m.incident_types == ["A10600"]


def test_enterprise_plan(tmp_path):
    m = _plan_from(tmp_path, "某某化工有限公司生产安全事故应急预案.txt",
                   "某某化工有限公司生产安全事故应急预案\n（某某化工有限公司　2023年2月发布）\n编号：MM-YJ-2023-01　版本：第2版\n"
                   "第一部分　综合应急预案\n1 总则\n1.1 适用范围\n本预案适用于公司厂区内发生的火灾爆炸、危险化学品泄漏事故。\n"
                   "1.2 预案体系\n本预案向上与《甲区危险化学品事故应急预案》衔接。\n"
                   "2 火灾爆炸事故专项应急预案\n2.1 适用范围\n适用于储罐区火灾爆炸事故。\n"
                   "3 储罐泄漏现场处置方案\n3.1 应急处置\n关闭阀门，启动喷淋。\n"
                   "4 预案管理\n本预案每3年至少评估一次，由安全部负责解释，自发布之日起实施。\n")
    assert (m.admin_level, m.jurisdiction, m.plan_type) == ("企业", "某某化工有限公司", "综合")
    assert (m.issuer, m.date, m.effective) == ("某某化工有限公司", "2023-02", "2023-02")
    assert (m.version, m.doc_number, m.interpreter) == ("第2版", "MM-YJ-2023-01", "安全部")
    assert m.components == ["综合应急预案", "火灾爆炸事故专项应急预案", "储罐泄漏现场处置方案"]
    assert m.sits_under == ["甲区危险化学品事故应急预案"]
    assert "A20400" in m.incident_types and m.review_period_years == 3


def test_revised_plan_that_supersedes_another(tmp_path):
    m = _plan_from(tmp_path, "甲市防汛抗旱应急预案.txt",
                   "甲市防汛抗旱应急预案（2024年修订）\n甲市人民政府办公室\n2024年6月5日\n一、总则\n（一）适用范围\n"
                   "本预案适用于本市行政区域内洪涝灾害和干旱灾害的应对工作。本预案是《甲市突发事件总体应急预案》的专项应急预案。\n"
                   "（二）衔接\n本预案与《甲市气象灾害应急预案》相衔接，各县（区）防汛预案应与本预案衔接。\n"
                   "二、附则\n本预案每5年评估修订一次，由市水利局负责解释。"
                   "本预案自2024年7月1日起施行，2019年印发的《甲市防汛抗旱应急预案》同时废止。\n")
    assert (m.admin_level, m.jurisdiction, m.plan_type) == ("市", "甲市", "专项")
    assert (m.issuer, m.date, m.effective) == ("甲市人民政府办公室", "2024-06-05", "2024-07-01")
    assert (m.version, m.last_revised, m.review_period_years) == ("2024年修订", 2024, 5)
    assert m.supersedes == [{"title": "甲市防汛抗旱应急预案", "year": 2019, "version": None}]
    assert m.sits_under == ["甲市突发事件总体应急预案"] and m.links == ["甲市气象灾害应急预案"]
    assert "A10100" in m.incident_types


def test_department_plan_by_issuer(tmp_path):
    m = _plan_from(tmp_path, "甲市公路交通突发事件应急预案.txt",
                   "甲市公路交通突发事件应急预案\n（甲市交通运输局　二〇二三年三月印发）\n1 总则\n1.1 适用范围\n"
                   "本预案适用于本市公路交通中断事件。\n")
    assert (m.issuer, m.date, m.plan_type, m.admin_level) == ("甲市交通运输局", "2023-03", "部门", "市")


# ---------------------------------------------------------------------------------------------
# helpers


@pytest.mark.parametrize("title,expected", [
    ("沭阳县防汛抗旱应急预案", ("县区", "沭阳县", None)),
    ("昆山市地震应急预案", ("县区", "昆山市", None)),                 # county-level city
    ("江苏省地震应急预案", ("省", "江苏省", None)),
    ("国家地震应急预案", ("国家", "国家", None)),
    ("天津市滨海新区防汛应急预案", ("县区", "滨海新区", "天津市")),       # a 新区 that is a district
    ("苏州工业园区危险化学品事故应急预案", ("园区", "苏州工业园区", None)),
    ("甲市化工园区危险化学品事故应急预案", ("园区", "甲市化工园区", "甲市")),
    ("甲市乙区丙街道防汛应急预案", ("乡镇", "丙街道", "乙区")),
    ("某某化工有限公司生产安全事故应急预案", ("企业", "某某化工有限公司", None)),
    ("城市内涝应急预案", (None, None, None)),
])
def test_subject_of(title, expected):
    assert subject_of(title) == expected


def test_law_key():
    assert law_key("《中华人民共和国安全生产法》（2021年修正）") == "安全生产法"
    assert law_key("中华人民共和国突发事件应对法(2024年修订)") == "突发事件应对法"
    assert law_key("突发事件应急预案管理办法（国办发〔2024〕5号）") == "突发事件应急预案管理办法"
    assert law_key("生产安全事故应急条例（国务院令第708号）") == "生产安全事故应急条例"
    assert law_key("连云港市核应急预案（田湾核电站）") == "连云港市核应急预案（田湾核电站）"


def test_dates_and_supersedes_helpers():
    assert iso_date("2019年3月21日") == "2019-03-21" and iso_date("二〇二四年六月") == "2024-06"
    assert iso_date("没有日期") is None
    assert [d for _, d in find_dates("2024-06-05 与 2023年")] == ["2024-06-05", "2023"]
    sup = find_supersedes("本预案自印发之日起施行，《甲县地震应急预案》（甲政办发〔2018〕7号）同时废止。")
    assert sup == [{"title": "甲县地震应急预案", "year": 2018, "version": "甲政办发〔2018〕7号"}]
    assert find_supersedes("本办法代替《甲市应急预案管理办法》。")[0]["title"] == "甲市应急预案管理办法"
    assert find_supersedes("本预案自印发之日起施行。") == []
