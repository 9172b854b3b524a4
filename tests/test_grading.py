"""Grading rules: comparators, units, numbering styles, the plan's own 以上/以下 note, evaluate()."""
from nlp.clean import clean_text
from nlp.grading import evaluate, extract_grading_rules, extract_response_levels
from nlp.outline import parse_outline


def rules_of(text):
    return extract_grading_rules(parse_outline(clean_text(text)))


def keys(rules):
    return {(r.grade, r.metric, r.op, r.value, r.upper_op, r.upper) for r in rules}


CN_STYLE = """某市危险化学品事故应急预案
某市人民政府办公室　2024年6月
一、总则
（一）事故分级
危险化学品事故分为特别重大、重大、较大和一般四级。
1. 特别重大危险化学品事故，是指有下列情形之一的：
（1）造成30人以上死亡（含失踪），或者100人以上重伤的；
（2）造成1亿元以上直接经济损失的；
2. 重大危险化学品事故，是指有下列情形之一的：
（1）造成10人以上30人以下死亡（含失踪）的；
（2）危险化学品泄漏量在100吨以上500吨以下的。
3. 较大危险化学品事故，是指有下列情形之一的：
（1）因泄漏需紧急疏散转移5000人以上1万人以下的；
4. 一般危险化学品事故，是指有下列情形之一的：
（1）造成3人以下死亡（含失踪）的；
二、组织指挥体系
市指挥部负责组织指挥，30人以上的队伍待命。
"""


def test_cn_numbering_and_default_convention():
    k = keys(rules_of(CN_STYLE))
    assert ("特别重大", "deaths", ">=", 30, None, None) in k
    assert ("特别重大", "seriously_injured", ">=", 100, None, None) in k
    assert ("特别重大", "direct_loss_wan", ">=", 10000, None, None) in k      # 亿元 → 万元
    assert ("重大", "deaths", ">=", 10, "<", 30) in k                          # 以下 excludes
    assert ("重大", "leak_tonnes", ">=", 100, "<", 500) in k
    assert ("较大", "evacuated", ">=", 5000, "<", 10000) in k                 # 万人 → 人
    assert ("一般", "deaths", "<", 3, None, None) in k
    assert len(k) == 7  # nothing from outside the grading section ("30人以上的队伍")


def test_spans_point_at_the_criterion():
    text = clean_text(CN_STYLE)
    for r in extract_grading_rules(parse_outline(text)):
        assert text[r.span[0]:r.span[1]] == r.text
        assert r.clause_index >= 0


def test_decimal_numbering_and_plan_note_reversed():
    plan = """某县地震应急预案
某县人民政府　2023年4月
1　总则
1.7　地震灾害分级
1.7.1　特别重大地震灾害
1. 造成300人以上死亡（含失踪）的；
2. 本县发生7.0级以上地震的。
1.7.2　重大地震灾害
1. 造成50人以上300人以下死亡的；
2. 本县发生6.0级以上、7.0级以下地震的。
1.7.3　说明
本预案所称“以上”不含本数，“以下”含本数。
2　组织指挥体系
"""
    k = keys(rules_of(plan))
    assert ("特别重大", "deaths", ">", 300, None, None) in k
    assert ("特别重大", "magnitude", ">", 7, None, None) in k
    assert ("重大", "deaths", ">", 50, "<=", 300) in k
    assert ("重大", "magnitude", ">", 6, "<=", 7) in k


def test_article_numbering_with_grade_in_line():
    plan = """某市海上搜救应急预案
第一章　总则
第六条　海上突发事件分为特别重大、重大、较大和一般四级。
第七条　凡符合下列情形之一的，为特别重大海上突发事件：
（一）造成30人以上死亡（含失踪）的；
（二）船舶溢油1000吨以上致水域污染的。
第八条　凡符合下列情形之一的，为较大海上突发事件：
（一）船舶溢油100吨以上500吨以下致水域污染的；
（二）500总吨以上3000总吨以下的船舶发生险情的。
第二章　组织指挥体系
第九条　搜救中心负责指挥。
"""
    k = keys(rules_of(plan))
    assert ("特别重大", "deaths", ">=", 30, None, None) in k
    assert ("特别重大", "oil_spill_tonnes", ">=", 1000, None, None) in k
    assert ("较大", "oil_spill_tonnes", ">=", 100, "<", 500) in k
    assert ("较大", "ship_gross_tonnage", ">=", 500, "<", 3000) in k


def test_markdown_headings_gauges_and_comparator_words():
    plan = """# 某市防汛抗旱应急预案
## 1 总则
### 1.5 事件分级
#### 1.5.1 特别重大水旱灾害事件
1. 某河某某站流量达到或超过7800立方米每秒的；
2. 某某水库水位超过汛限水位23.50米的；
#### 1.5.2 一般水旱灾害事件
1. 过火面积150亩以上的；
2. 泄漏量不足500公斤的；
## 2 组织指挥
"""
    rules = rules_of(plan)
    k = keys(rules)
    assert ("特别重大", "flow_m3s", ">=", 7800, None, None) in k
    assert ("特别重大", "reservoir_level_m", ">", 23.5, None, None) in k
    assert ("一般", "burned_area_ha", ">=", 10, None, None) in k             # 亩 → 公顷 /15
    assert ("一般", "leak_tonnes", "<", 0.5, None, None) in k                 # 公斤 → 吨 /1000
    subjects = {r.metric: r.subject for r in rules}
    assert subjects["flow_m3s"] == "某河某某站"
    assert subjects["reservoir_level_m"] == "某某水库"


def test_annex_table_with_header_units_and_ranges():
    plan = """某市突发环境事件应急预案
一、总则
二、附则
附件1　突发环境事件分级标准表
级别｜过火面积（公顷）｜死亡人数｜疏散转移
特别重大｜1000以上｜30人以上｜5万人以上
较大｜1以上100以下｜3～9人｜5000～1万人
附件2　联系表
单位｜电话
市应急管理局｜0518-1234567
"""
    k = keys(rules_of(plan))
    assert ("特别重大", "burned_area_ha", ">=", 1000, None, None) in k
    assert ("较大", "burned_area_ha", ">=", 1, "<", 100) in k
    assert ("较大", "deaths", ">=", 3, "<=", 9) in k
    assert ("较大", "evacuated", ">=", 5000, "<=", 10000) in k
    assert not any(r.grade is None for r in rules_of(plan))


def test_and_conditions_attach_to_the_rule():
    plan = """某市城镇燃气事故应急预案
一、总则
（一）事故分级
1. 特别重大：造成10万户以上居民用户停气且持续48小时以上的。
二、组织
"""
    rules = rules_of(plan)
    assert len(rules) == 1
    r = rules[0]
    assert (r.metric, r.op, r.value) == ("gas_outage_households", ">=", 100000)
    assert [(c.metric, c.op, c.value) for c in r.conditions] == [("gas_outage_hours", ">=", 48)]
    assert evaluate(rules, {"gas_outage_households": 200000, "gas_outage_hours": 50})[0] == "特别重大"
    assert evaluate(rules, {"gas_outage_households": 200000, "gas_outage_hours": 10})[0] is None


def test_evaluate_picks_highest_grade_and_boundaries():
    rules = rules_of(CN_STYLE)
    grade, fired = evaluate(rules, {"deaths": 2, "direct_loss_wan": 20000})
    assert grade == "特别重大" and fired.metric == "direct_loss_wan"
    assert evaluate(rules, {"deaths": 10})[0] == "重大"        # 10人以上 includes 10
    assert evaluate(rules, {"deaths": 30})[0] == "特别重大"    # 30人以下 excludes 30
    assert evaluate(rules, {"deaths": 2})[0] == "一般"
    assert evaluate(rules, {"evacuated": 10000})[0] is None     # 1万人以下 excludes 1万
    assert evaluate(rules, {}) == (None, None)


def test_evaluate_with_gauge_subjects():
    plan = """某市防汛抗旱应急预案
一、总则
（五）事件分级
1.重大：甲河乙站水位达到10.80米，或丙河丁站水位达到7.00米的。
2.一般：甲河乙站水位达到9.50米的。
二、组织
"""
    rules = rules_of(plan)
    assert evaluate(rules, {"water_level_m": {"甲河乙站": 10.9}})[0] == "重大"
    assert evaluate(rules, {"water_level_m": {"甲河乙站": 9.6}})[0] == "一般"
    assert evaluate(rules, {"water_level_m": {"丙河丁站": 7.1}})[0] == "重大"


def test_response_levels():
    plan = """某市危险化学品事故应急预案
五、应急响应
（一）分级响应
1. 一级响应
启动条件：发生特别重大或者重大危险化学品事故的。
启动程序：由市指挥部总指挥决定启动。
2. 二级响应
启动条件：发生较大危险化学品事故的。
启动程序：由市指挥部副总指挥决定启动。
（二）先期处置
事故单位立即处置。
"""
    levels = extract_response_levels(parse_outline(clean_text(plan)))
    by = {lv.level: lv for lv in levels}
    assert set(by) == {"一级", "二级"}
    assert by["一级"].grades == ["特别重大", "重大"]
    assert by["二级"].grade == "较大"
    assert "市指挥部总指挥" in by["一级"].who_starts
    assert by["一级"].start_conditions and "特别重大" in by["一级"].start_conditions[0]["text"]
