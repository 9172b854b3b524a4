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


# ---------------------------------------------------------------------------------------------
# response levels: one test per layout


def levels_of(plan):
    text = clean_text(plan)
    levels = extract_response_levels(parse_outline(text))
    for lv in levels:
        for c in lv.start_conditions:
            assert text[c["span"][0]:c["span"][1]] == c["text"]
    return text, {lv.level: lv for lv in levels}


def cond_texts(lv):
    return [c["text"] for c in lv.start_conditions]


FLOOD_HEADINGS = """某市防汛抗旱应急预案
五、应急响应
（一）响应分级
市级应急响应由低到高分为四级响应、三级响应。同时满足两个以上级别启动条件的，按照最高级别启动。
（二）四级响应
1.启动条件
出现下列情形之一的，启动四级响应：
（1）市气象台发布暴雨蓝色预警，且预报本市将出现较大范围强降雨的；
（2）某河甲站水位达到警戒水位9.50米的；
（3）全市发生轻度干旱的。
2.启动程序：由市防指办主任决定启动，报市防指总指挥。
3.响应行动：市防指办主持会商；有关县（区）组织巡堤查险。
（三）三级响应
1.启动条件
出现下列情形之一的，启动三级响应：
（1）市气象台发布暴雨黄色预警的；
（2）县级河道堤防发生决口或出现较大险情的。
2.启动程序：由市防指副总指挥决定启动。
3.响应行动：派出工作组赴一线指导。
（四）先期处置
事发地立即组织先期处置。
"""


def test_response_levels_heading_sections_with_condition_items():
    text, by = levels_of(FLOOD_HEADINGS)
    assert list(by) == ["三级", "四级"]
    assert cond_texts(by["四级"]) == ["市气象台发布暴雨蓝色预警，且预报本市将出现较大范围强降雨的",
                                      "某河甲站水位达到警戒水位9.50米的", "全市发生轻度干旱的"]
    assert cond_texts(by["三级"]) == ["市气象台发布暴雨黄色预警的", "县级河道堤防发生决口或出现较大险情的"]
    assert by["四级"].who_starts == "市防指办主任"
    assert by["三级"].who_starts == "市防指副总指挥"
    assert by["四级"].grade is None                      # 较大范围强降雨 names no grade
    assert by["三级"].grade == "较大"                    # 较大险情 does
    idx = [c["clause_index"] for c in by["四级"].start_conditions]
    assert len(set(idx)) == 3 and min(idx) >= 0
    # the level's span is its whole section: the 响应行动 clause is inside, the next level is not
    a, b = by["四级"].span
    assert a <= text.index("巡堤查险") < b
    assert not a <= text.index("（三）三级响应") < b
    assert not by["三级"].span[0] <= text.index("先期处置") < by["三级"].span[1]


ARTICLES = """某市海上搜救应急预案
第五章　应急响应
第二十条　海上突发事件应急响应分为一级、二级、三级、四级。
（一）一级响应：发生特别重大海上突发事件时，由搜救中心报请市人民政府决定启动。
（二）二级响应：发生重大海上突发事件时，由搜救中心主任决定启动。
第二十一条　符合下列情形之一的，启动三级响应：
1. 发生较大海上突发事件的；
2. 客船遇险且船上人员超过100人的。
三级响应由搜救中心常务副主任决定启动。
第二十二条　船舶在港内发生险情，船方能够自行处置但需要搜救中心协调的，启动四级响应。四级响应由搜救中心办公室决定启动。
第二十三条　险情发生后，遇险船舶应当立即开展自救。
第六章　后期处置
"""


def test_response_levels_in_articles():
    text, by = levels_of(ARTICLES)
    assert list(by) == ["一级", "二级", "三级", "四级"]
    assert cond_texts(by["一级"]) == ["发生特别重大海上突发事件"]
    assert by["一级"].grade == "特别重大" and by["二级"].grade == "重大"
    assert by["一级"].who_starts == "搜救中心报请市人民政府"
    assert cond_texts(by["三级"]) == ["发生较大海上突发事件的", "客船遇险且船上人员超过100人的"]
    assert by["三级"].grade == "较大" and by["三级"].who_starts == "搜救中心常务副主任"
    assert cond_texts(by["四级"]) == ["船舶在港内发生险情，船方能够自行处置但需要搜救中心协调的"]
    assert by["四级"].who_starts == "搜救中心办公室" and by["四级"].grade is None
    assert not by["四级"].span[0] <= text.index("遇险船舶应当") < by["四级"].span[1]


MARKDOWN_ROMAN = """# 某市海洋灾害应急预案
## 5 应急响应
### 5.1 响应分级
市级应急响应由低到高分为Ⅳ级、Ⅲ级。
### 5.2 Ⅳ级响应
启动条件，出现下列情形之一的：
1. 发布风暴潮蓝色预警，预计某某站潮位达到蓝色警戒潮位的；
2. 海堤出现一般险情的
由市指挥部办公室主任决定启动。办公室组织会商。
### 5.3 Ⅲ级响应
启动条件，出现下列情形之一的：
1. 发布风暴潮黄色预警的；
2. 海堤出现较大险情的；
3. 造成3人以上10人以下死亡的。
由市指挥部副总指挥决定启动。
### 5.4 先期处置
事发地立即处置。
"""


def test_response_levels_markdown_roman_numerals_qualitative_items():
    text, by = levels_of(MARKDOWN_ROMAN)
    assert list(by) == ["三级", "四级"]
    assert cond_texts(by["四级"]) == ["发布风暴潮蓝色预警，预计某某站潮位达到蓝色警戒潮位的", "海堤出现一般险情的"]
    assert cond_texts(by["三级"]) == ["发布风暴潮黄色预警的", "海堤出现较大险情的", "造成3人以上10人以下死亡的"]
    assert (by["四级"].grade, by["三级"].grade) == ("一般", "较大")
    assert by["四级"].who_starts == "市指挥部办公室主任"
    a, b = by["四级"].span
    assert text[a:].startswith("### 5.2") and a <= text.index("办公室组织会商") < b <= text.index("### 5.3")


ASCII_ROMAN_INLINE = """某县地震应急预案
5 应急响应
5.1 分级响应
5.1.1 I级响应
启动条件：（1）本县发生特别重大地震灾害的；（2）本县发生6.0级以上地震的。
由县指挥部总指挥报请县人民政府主要负责同志同意后启动。
5.1.2 II级响应
启动条件：本县发生重大地震灾害。
由县指挥部总指挥决定启动。
5.2 先期处置
乡镇立即组织群众避险。
"""


def test_response_levels_ascii_roman_and_inline_items_split():
    text, by = levels_of(ASCII_ROMAN_INLINE)
    assert list(by) == ["一级", "二级"]
    conds = by["一级"].start_conditions
    assert [c["text"] for c in conds] == ["本县发生特别重大地震灾害的", "本县发生6.0级以上地震的"]
    assert conds[0]["span"] != conds[1]["span"] and conds[0]["clause_index"] == conds[1]["clause_index"] >= 0
    assert by["一级"].who_starts == "县指挥部总指挥报请县人民政府主要负责同志"
    assert cond_texts(by["二级"]) == ["本县发生重大地震灾害"] and by["二级"].grade == "重大"


LIST_ITEMS = """某市突发事件总体应急预案
四、应急处置
（三）分级响应
市级应急响应由高到低分为一级、二级和三级。
1. 一级响应。发生特别重大、重大突发事件，或者需要全市力量应对的，由市应急委主任决定启动一级应急响应。
2. 一级、二级响应以外的，按下列规定：
3. 三级响应：发生一般突发事件需市级指导的，由事发地县（区）人民政府启动本级响应；市应急局视情启动三级响应。
4. 专项应急预案应当明确各级响应的具体启动条件。
（四）指挥协调
市应急委统一指挥。
"""


def test_response_levels_as_list_items():
    text, by = levels_of(LIST_ITEMS)
    assert list(by) == ["一级", "三级"]
    assert cond_texts(by["一级"]) == ["发生特别重大、重大突发事件，或者需要全市力量应对的"]
    assert by["一级"].grades == ["特别重大", "重大"] and by["一级"].grade == "特别重大"
    assert cond_texts(by["三级"]) == ["发生一般突发事件需市级指导的"]
    assert by["三级"].who_starts == "市应急局"            # not the county that starts its own level
    a, b = by["三级"].span
    assert not a <= text.index("4. 专项应急预案") < b   # the next sibling item is not part of the level


ENTERPRISE = """某石化公司生产安全事故应急预案
3 应急响应
3.2 响应分级
公司应急响应由高到低分为一级（公司级）、二级（车间级）、三级（班组级）。
3.2.1 一级响应（公司级）启动条件，符合下列情形之一的：
（1）造成1人以上死亡的；
（2）装置发生火灾爆炸，可能波及一级、二级重大危险源的。
一级响应由总指挥决定启动。
3.2.2 二级响应（车间级）启动条件，符合下列情形之一的：
（1）发生局部火灾的；
（2）泄漏量在1吨以上5吨以下的。
二级响应由车间主任决定启动。
3.2.3 三级响应（班组级）启动条件：发生初起火灾，当班班组能够自行处置的。三级响应由当班班长决定启动。
3.3 响应程序
事态扩大时，逐级提高响应级别。
"""


def test_response_levels_enterprise_three_levels():
    text, by = levels_of(ENTERPRISE)
    assert list(by) == ["一级", "二级", "三级"]
    assert cond_texts(by["一级"]) == ["造成1人以上死亡的", "装置发生火灾爆炸，可能波及一级、二级重大危险源的"]
    assert cond_texts(by["二级"]) == ["发生局部火灾的", "泄漏量在1吨以上5吨以下的"]
    assert cond_texts(by["三级"]) == ["发生初起火灾，当班班组能够自行处置的"]
    assert [by[x].who_starts for x in ("一级", "二级", "三级")] == ["总指挥", "车间主任", "当班班长"]
    assert all(lv.grade is None for lv in by.values())   # 重大危险源 is not a grade


def test_response_levels_named_levels_are_kept():
    plan = """某化工园区生产安全事故应急预案
五、应急响应
（一）分级响应
园区应急响应分为园区级响应和企业级响应。
（二）园区级响应
启动条件：事故超出企业处置能力，需要园区统一调度的。
由园区管委会主任决定启动。
（三）企业级响应
启动条件：事故影响限于企业厂区内的。
由企业主要负责人决定启动。
（四）先期处置
企业立即处置。
"""
    levels = extract_response_levels(parse_outline(clean_text(plan)))
    assert [lv.level for lv in levels] == ["园区级", "企业级"]
    assert levels[0].start_conditions[0]["text"] == "事故超出企业处置能力，需要园区统一调度的"
    assert levels[1].who_starts == "企业主要负责人"


def test_response_levels_table_fills_only_what_text_left_empty():
    plan = """某园区应急预案
五、应急响应
（一）分级响应
1. 一级响应：发生较大以上事故时，由总指挥决定启动。
附件：响应分级对照表
响应级别｜启动条件（之一）｜启动人
一级｜较大以上事故；需疏散周边居民｜总指挥
二级｜一般事故；企业不能控制｜副总指挥
"""
    text, by = levels_of(plan)
    assert cond_texts(by["一级"]) == ["发生较大以上事故"]
    assert by["一级"].span[1] < text.index("附件")
    assert cond_texts(by["二级"]) == ["一般事故", "企业不能控制"]
    assert by["二级"].grade == "一般" and by["二级"].who_starts == "副总指挥"


def test_response_levels_later_measures_and_warnings_do_not_override():
    plan = """某市危险化学品事故应急预案
三、预警
（二）预警行动
1. 二级响应：发布橙色预警后，市指挥部办公室加强值班。
五、应急响应
5.1 分级响应
5.1.1 一级响应
出现下列情形之一的，启动一级响应：
（1）发生特别重大危险化学品事故的；
（2）发生重大危险化学品事故的。
由市指挥部总指挥决定启动。
5.1.2 二级响应
（1）发生较大危险化学品事故的；
（2）事故需要跨区域支援的。
由市指挥部副总指挥决定启动。
5.2 响应措施
1. 一级响应：市指挥部总指挥赶赴现场，调集全市力量。
2. 二级响应：市指挥部副总指挥赶赴现场。
"""
    text, by = levels_of(plan)
    assert cond_texts(by["一级"]) == ["发生特别重大危险化学品事故的", "发生重大危险化学品事故的"]
    assert cond_texts(by["二级"]) == ["发生较大危险化学品事故的", "事故需要跨区域支援的"]
    assert by["二级"].who_starts == "市指挥部副总指挥"
    a, b = by["一级"].span
    assert text[a:].startswith("5.1.1") and b <= text.index("5.1.2")
    assert by["二级"].span[0] > text.index("五、应急响应")
