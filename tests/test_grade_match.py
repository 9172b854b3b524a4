"""Grading a report against a plan: report figures in rule vocabulary, upper-only criteria,
criteria without numbers, joined conditions, kinds a criterion is limited to, exercises.

Plans and reports here are synthetic (a made-up 某市), so nothing depends on the corpus."""
import json

from matcher.data import Clause, Doc
from matcher.grade import grade_by_state, grade_with, report_facts, rule_met
from nlp.clean import clean_text
from nlp.grading import (Condition, GradingRule, extract_grading_rules, measurements, normalise_report,
                         qualitative_met, revised_figures, subject_alternatives)
from nlp.outline import parse_outline


def make_doc(plan: str, title: str) -> Doc:
    """A plan as the matcher reads it from the graph: clauses with ids, rules as properties."""
    text = clean_text(plan)
    outline = parse_outline(text)
    vid = f"test/{title}@0"
    clauses = [Clause(f"{vid}#c{i}", vid, c.text, i, c.start, c.end, "") for i, c in enumerate(outline.clauses)]
    rules = []
    for i, r in enumerate(extract_grading_rules(outline)):
        conds = [c.__dict__ for c in r.conditions]
        rules.append({"grade": r.grade, "metric": r.metric, "op": r.op, "value": r.value, "upper_op": r.upper_op,
                      "upper": r.upper, "unit": r.unit, "subject": r.subject, "scope": r.scope, "text": r.text,
                      "source": r.source, "start": r.span[0], "end": r.span[1], "seq": i,
                      "conditions": json.dumps(conds, ensure_ascii=False) if conds else None,
                      "clause_id": clauses[r.clause_index].clause_id if r.clause_index >= 0 else None})
    assert rules, "the synthetic plan must yield grading rules"
    return Doc(title, vid, "plan", title, {}, text, [], clauses, rules)


def grade(doc: Doc, report: str, parsed: dict | None = None):
    return grade_with(doc.rules, report_facts(parsed or {}, report), doc, report)[0]


# ---------------------------------------------------------------------------------------------
# report figures


def test_spoken_quantities_are_normalised():
    assert normalise_report("积水已持续3个半小时") == "积水已持续3.5小时"
    assert normalise_report("已经两个多小时了") == "已经2.5小时了"
    assert normalise_report("一共十二个人送医") == "一共12人送医"
    assert normalise_report("积水约40公分") == "积水约40厘米"
    assert normalise_report("已转移3400余人") == "已转移3400人"


def test_durations_take_their_kind_from_the_sentence():
    m = measurements("取水口自昨日起被迫减量取水，截至今日已持续13小时。")
    assert m["water_source_cut_hours"] == 13
    m = measurements("城区路段积水已持续3个半小时以上，积水深约40公分。")
    assert m["waterlogging_hours"] == 3.5
    assert abs(m["waterlogging_depth_m"] - 0.4) < 1e-9
    assert measurements("停电至今已经4个多小时了")["power_outage_hours"] == 4.5


def test_a_length_is_a_level_only_next_to_a_level_word_or_a_gauge():
    assert measurements("堤防决口，口门宽约40米") == {}
    assert measurements("某某站水位4.35米") == {"water_level_m": {"某某站": 4.35}}
    m = measurements("共有6处积水深度超过0.5米，最深处约0.7米")
    assert m["waterlogging_points"] == 6 and m["waterlogging_depth_m"] == 0.7
    assert "water_level_m" not in m


def test_bare_head_counts_are_not_casualties():
    assert measurements("救援人员将3人救出") == {}
    assert measurements("渔船船员7人，已全部获救") == {}
    # the casualty word of the sentence names them
    assert measurements("居民出现头晕、恶心等中毒症状，截至9时已有15人送医")["poisoned"] == 15
    assert measurements("现在一共十二个人诊断为急性中毒")["poisoned"] == 12


def test_a_revised_figure_replaces_the_first_one():
    text = "泄漏量由首报的约8吨修正为约15吨，其中约3吨流入沟渠。"
    assert revised_figures(text) == {"leak_tonnes": 15}
    assert report_facts({"leak_tonnes": 3}, text)["leak_tonnes"] == 15
    down = "直接经济损失由初报的900万元核减为300万元。"
    assert report_facts({"direct_loss_wan": 900}, down)["direct_loss_wan"] == 300
    assert measurements("停电用户比例已由首报的20%上升至45%")["power_users_pct"] == 45
    assert measurements("停电用户比例由首报的60%回落至45%")["power_users_pct"] == 45
    # without a first figure, a rise states the latest value, not a revision of the peak
    assert measurements("停电用户比例一度升至60%，目前降至45%")["power_users_pct"] == 60


def test_a_toxic_chemical_leak_is_also_a_toxic_leak():
    m = measurements("槽车液氯泄漏，据称重泄漏约1.3吨")
    assert m["leak_tonnes"] == 1.3 and m["toxic_leak_tonnes"] == 1.3
    assert "toxic_leak_tonnes" not in measurements("硫酸储罐泄漏约1.3吨")


def test_grid_figures_keep_their_area():
    m = measurements("甲区主城区约35%的用户停电。全市停电用户占比约8%")
    assert m["power_users_pct"] == {"甲区主城区": 35, "": 8}


# ---------------------------------------------------------------------------------------------
# evaluation of stored rules


def test_upper_only_criteria_need_the_casualty():
    three_or_less = GradingRule("一般", "deaths", "<", 3, None, None, "人", None, None, 0, (0, 0), "3人以下")
    assert not rule_met(three_or_less, {"deaths": 0})
    assert rule_met(three_or_less, {"deaths": 2})
    none = GradingRule("一般", "deaths", "<", 1, None, None, "人", None, None, 0, (0, 0), "未出现死亡病例")
    assert rule_met(none, {"deaths": 0})
    # joined as a condition, "未出现死亡病例" also holds when the report gives no death figure
    rule = GradingRule("一般", "poisoned", ">=", 30, "<=", 100, "人", None, None, 0, (0, 0), "30人以上",
                       conditions=[Condition("deaths", "<", 1, None, None, "人")])
    assert rule_met(rule, {"poisoned": 40})
    assert not rule_met(rule, {"poisoned": 40, "deaths": 1})


def test_subjects_listed_with_a_shared_head():
    alts = subject_alternatives("乙区主城区电网", "4. 甲区、乙区主城区电网供电用户30%以上停电")
    assert alts == ["乙区主城区电网", "甲区主城区电网"]
    assert subject_alternatives("某站", "某站水位5米") == ["某站"]


CHEM = """某市危险化学品事故应急预案
一、总则
（一）事故分级
1. 较大事故：有下列情形之一的：
（1）造成3人以上10人以下死亡（含失踪），或者10人以上50人以下重伤（包括急性工业中毒，下同）的；
（2）剧毒化学品泄漏量在1吨以上的。
2. 一般事故：有下列情形之一的：
（1）造成3人以下死亡（含失踪），或者10人以下重伤的；
（2）危险化学品泄漏量在10吨以下的。
二、组织指挥体系
"""


def test_missing_count_as_dead_and_poisoned_as_seriously_injured_when_the_plan_says_so():
    doc = make_doc(CHEM, "某市危险化学品事故应急预案")
    assert grade(doc, "两人失踪。", {"missing": 2, "deaths": 0}) == "一般"
    assert grade(doc, "两人死亡，两人失踪。", {"missing": 2, "deaths: ": 0, "deaths": 2}) == "较大"
    assert grade(doc, "共有12人诊断为急性中毒。") == "较大"
    assert grade(doc, "无人员伤亡。", {"deaths": 0, "injured": 0}) is None
    assert grade(doc, "罐车液氯泄漏约1.2吨，无人员伤亡。", {"deaths": 0}) == "较大"


FLOOD = """某县防汛抗旱应急预案
一、总则
（一）事件分级
1.重大：甲河站水位达到保证水位8.00米，或乙河、丙河堤防发生决口的。
2.较大：甲河站水位达到7.00米，或丁河等县级河道堤防发生决口的。
3.一般：甲河站水位达到警戒水位6.00米，或一般河道堤防、涵闸出现险情的。
二、组织指挥体系
"""


def test_criteria_without_numbers():
    doc = make_doc(FLOOD, "某县防汛抗旱应急预案")
    assert grade(doc, "丁河北堤王庄段刚刚决口了，口门约10米。") == "较大"
    assert grade(doc, "丁河水位上涨，堤防巡查未发现险情。") is None             # no breach, negated 险情
    assert grade(doc, "戊河一段堤防决口。") is None                          # a river the plan does not name
    assert grade(doc, "小圩涵闸闸门变形，闸身两侧有渗水。") == "一般"
    assert grade(doc, "巡查小圩涵闸，未发现险情。") is None
    assert grade(doc, "甲河站水位7.20米。") == "较大"


def test_qualitative_matching_is_conservative():
    item = "新某河、某某水库等入境河流发生污染，污染团进入本市境内并威胁下游取水口"
    assert qualitative_met(item, "新某河入库段水发黑，岸边大量死鱼，污染团下午进库。")
    assert not qualitative_met(item, "新某河水位上涨，水质正常。")
    level = "县级城市集中式饮用水水源地取水中断的"
    assert not qualitative_met(level, "某镇集中式饮用水水源地取水中断，已启用备用水源。")
    assert qualitative_met("餐饮场所等人员密集场所发生燃气爆炸，造成建筑物局部坍塌的",
                           "路边一家火锅店燃气爆炸了。沿街门面房局部坍塌。", "某市城镇燃气事故应急预案")
    assert not qualitative_met("餐饮场所等人员密集场所发生燃气爆炸，造成建筑物局部坍塌的",
                               "路边一家火锅店燃气爆炸了，无建筑损坏。", "某市城镇燃气事故应急预案")


ENV = """某市突发环境事件应急预案
一、总则
（一）事件分级
1. 较大突发环境事件。凡符合下列情形之一的，为较大突发环境事件：
（1）因环境污染直接导致10人以上50人以下中毒或者重伤的；
2. 一般突发环境事件。凡符合下列情形之一的，为一般突发环境事件：
（1）因环境污染直接导致10人以下中毒或者重伤的；
（2）对环境造成一定影响，尚未达到较大突发环境事件级别的。
二、组织指挥体系
"""


def test_catch_all_needs_some_harm():
    doc = make_doc(ENV, "某市突发环境事件应急预案")
    assert grade(doc, "某河一段出现大片死鱼，水体发黑有异味。") == "一般"
    assert grade(doc, "河面有白色泡沫，经快检各项指标正常，未见死鱼，无异味。") is None
    assert grade(doc, "下风向居民出现中毒症状，截至9时已有12人送医。", {"injured": 12}) == "较大"


HEALTH = """某市突发公共卫生事件应急预案
一、总则
（一）事件分级
1. 较大突发公共卫生事件，有下列情形之一的：
（1）一次食物中毒人数超过100人，或者出现死亡病例的；
（2）一次发生急性职业中毒10人以上50人以下，或者死亡5人以下的。
2. 一般突发公共卫生事件，有下列情形之一的：
（1）一次食物中毒人数30人以上、不超过100人，未出现死亡病例的；
（2）学校、托幼机构发生一次食物中毒10人以上30人以下，未出现死亡病例的。
二、组织指挥体系
"""


def test_criteria_limited_to_a_kind_of_event():
    doc = make_doc(HEALTH, "某市突发公共卫生事件应急预案")
    food = {"type_code": "A30201", "type_name": "食物中毒"}
    # a canteen outbreak is not an occupational poisoning
    assert grade(doc, "工地食堂午餐后24人恶心呕吐，无重症。", {**food, "injured": 24}) is None
    assert grade(doc, "某小学学生午餐后18人腹痛呕吐，无死亡。", {**food, "injured": 18, "deaths": 0}) == "一般"
    assert grade(doc, "婚宴流水席后累计45人上吐下泻。", {**food, "injured": 45}) == "一般"
    # "未出现死亡病例" is a condition of the 30–100 criterion, not a criterion of its own
    assert grade(doc, "婚宴后累计45人发病，1人死亡。", {**food, "injured": 45, "deaths": 1}) == "较大"
    assert grade(doc, "车间作业时12人急性职业中毒。", {"injured": 12}) == "较大"


SEA = """某市海上搜救应急预案
第六条　海上突发事件分为特别重大、重大、较大和一般四级。本预案所称“以上”含本数，“以下”不含本数。
第七条　凡符合下列情形之一的，为重大海上突发事件：
（一）3000总吨以上的非客船发生碰撞、触礁、火灾等险情，对船舶及人员生命安全造成严重威胁的；
第八条　凡符合下列情形之一的，为较大海上突发事件：
（一）船舶沉没、搁浅造成主航道断航24小时以上的。
第二章　组织指挥体系及职责
"""


def test_listed_accidents_limit_a_tonnage_criterion():
    doc = make_doc(SEA, "某市海上搜救应急预案")
    assert grade(doc, "散货船（约5000总吨）在航道搁浅，船体未破损，断航已26小时。") == "较大"
    assert grade(doc, "散货船（约5000总吨）与渔船碰撞，机舱进水。") == "重大"


def test_an_exercise_is_not_an_incident():
    levels = [{"level": "二级", "grade": "重大", "conditions": ["核电厂进入场区应急状态。"]}]
    assert grade_by_state(levels, "核电厂进入场区应急状态，已启动二级响应。")[0] == "重大"
    drill = "【演练信息】开展联合演习，模拟2号机组进入场区应急状态。本信息为演练，非真实事件。"
    assert grade_by_state(levels, drill) == (None, None)
    assert grade_by_state(levels, "模拟2号机组进入场区应急状态的桌面推演今日举行。") == (None, None)
