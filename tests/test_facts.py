"""Duties, reporting time limits, references and organisation mentions."""
from nlp.clean import clean_text
from nlp.facts import (extract_annex_references, extract_duties, extract_references, extract_time_limits,
                       find_organisations, normalise_org)
from nlp.outline import parse_outline

PLAN = """某市危险化学品事故应急预案
某市人民政府办公室　2024年6月
一、总则
（一）编制依据
依据《中华人民共和国安全生产法》（2021年修正）、《突发事件应急预案管理办法》（国办发〔2024〕5号）和《某市突发事件总体应急预案》，制定本预案。
二、组织指挥体系及职责
（一）成员单位职责
1. 市应急局：承担市指挥部办公室日常工作；组织协调应急救援。
2. 市公安局、市消防救援支队：负责现场警戒和人员搜救。
（二）其他单位
（三）市安监局。负责安全生产综合监管。
三、信息报告
县（区）应急管理部门接到较大以上事故报告后，应当在30分钟内通过电话向市应急管理局报告，1小时内书面报告。
分级标准见附件1，联系表见附件3。
附件1　分级标准表
"""


def outline():
    return parse_outline(clean_text(PLAN))


def test_duties_from_member_unit_lists():
    o = outline()
    duties = extract_duties(o)
    orgs = [d.canonical for d in duties]
    assert "市应急管理局" in orgs                      # alias 市应急局 resolved
    assert "市公安局" in orgs and "市消防救援支队" in orgs  # two units on one line
    d = next(d for d in duties if d.canonical == "市应急管理局")
    assert d.items == ["承担市指挥部办公室日常工作", "组织协调应急救援"]
    assert o.text[d.span[0]:d.span[1]] == d.action


def test_time_limits():
    o = outline()
    tl = extract_time_limits(o)
    assert [(t.minutes, t.mode) for t in tl] == [(30, "电话"), (60, "书面")]
    assert tl[0].recipient == "市应急管理局"
    assert tl[1].recipient == "市应急管理局"            # carried over to the written report
    assert tl[0].reporter.startswith("县（区）应急管理部门")
    assert o.text[tl[0].span[0]:tl[0].span[1]].startswith("30分钟内")


def test_legal_and_plan_references():
    refs = extract_references(outline())
    by = {r.title: r for r in refs}
    law = by["中华人民共和国安全生产法"]
    assert law.kind == "law" and law.version == "2021年修正" and law.year == 2021
    assert by["突发事件应急预案管理办法"].version == "国办发〔2024〕5号"
    assert by["某市突发事件总体应急预案"].kind == "plan"


def test_annex_references_check_existence():
    refs = {r.number: r.exists for r in extract_annex_references(outline())}
    assert refs == {"1": True, "3": False}


def test_organisation_normalisation_and_old_names():
    assert normalise_org("市应急局") == "市应急管理局"
    assert normalise_org("东海县卫健委") == "东海县卫生健康委员会"
    ms = find_organisations("由市安监局和市环保局会同市卫健委处置")
    assert [(m.canonical, m.old_name) for m in ms] == [
        ("市应急管理局", True), ("市生态环境局", True), ("市卫生健康委员会", False)]
    o = outline()
    old = [d for d in extract_duties(o) if d.org == "市安监局"]
    assert old and old[0].canonical == "市应急管理局"
