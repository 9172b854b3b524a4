"""Pure logic behind the UI pages: briefing, highlight, drill scoring, map and graph layout, intake,
read-only guard, uploads and the `yingji ui` command line. No store, no browser."""
from __future__ import annotations

import io
import sys

import pytest

from ui import briefing, checks, drill, graph, highlight, intake, mapdata
from ui.readonly import write_keyword

# a hand-built result in the Matcher.match contract: test data for the renderers only
RESULT = {
    "incident": {"type_code": "A20400", "type_name": "危险化学品事故", "category": "事故灾难", "deaths": 1,
                 "missing": None, "injured": 2, "seriously_injured": 2, "evacuated": None, "direct_loss_wan": 35.5,
                 "location": {"province": "江苏省", "city": "连云港市", "county": "徐圩新区", "place": "石化产业基地",
                              "lon": 119.58, "lat": 34.58},
                 "time": "6月14日9时20分", "hazards": ["硫化氢"], "grade": "一般",
                 "grade_basis": {"plan": "徐圩新区危险化学品事故应急预案", "section": "1 > 1.4 事件分级",
                                 "rule": "一般：3人以下死亡", "text": "造成3人以下死亡的"},
                 "response_level": "四级"},
    "plans": [{"title": "徐圩新区危险化学品事故应急预案", "level": "县", "score": 1.0, "why": "事发地辖区"},
              {"title": "连云港市危险化学品事故应急预案", "level": "市", "score": 0.8, "why": "上级预案"}],
    "clauses": [{"plan_title": "徐圩新区危险化学品事故应急预案", "section": "4 > 4.2 处置措施",
                 "text": "救援人员佩戴正压式空气呼吸器和防化服方可进入危险区域。", "score": 0.9, "why": "处置措施"}],
    "teams": [{"name": "徐圩新区专职消防救援大队", "speciality": "危化品处置", "distance_km": 0.7, "score": 1,
               "why": "距离近", "lon": 119.578, "lat": 34.586}],
    "supplies": [{"name": "吸附棉", "quantity": 5000, "unit": "公斤", "depot": "徐圩新区危化品应急物资库",
                  "distance_km": 1.5, "why": "危化品处置物资", "lon": 119.565, "lat": 34.575}],
    "experts": [{"name": "韦春华", "field": "危险化学品", "org": "江苏海澜石化有限公司", "why": "领域匹配"}],
    "cases": [{"title": "堆沟港化工园区澜沁化工“5·16”硫化氢中毒事故", "source": "cases/x.txt", "score": 0.8,
               "why": "同类事件"}],
    "checklist": [{"org": "徐圩新区应急管理局", "action": "向新区管委会报告（电话）", "deadline": "30分钟内",
                   "source": "《徐圩新区危险化学品事故应急预案》3.1"},
                  {"org": "徐圩新区应急管理局", "action": "组织专家会商", "deadline": None, "source": "4.1"},
                  {"org": "新区消防救援大队", "action": "侦检并划定警戒区", "deadline": "立即", "source": "4.2"}],
    "timing_ms": {"parse": 10.0, "total": 25.0},
}


# -- briefing ---------------------------------------------------------------------------------

def test_markdown_briefing_has_every_section():
    md = briefing.to_markdown(RESULT, "报告原文")
    for text in ("# 突发事件应急处置简报", "一般：依据 《徐圩新区危险化学品事故应急预案》1 > 1.4 事件分级",
                 "建议响应级别：四级", "救援人员佩戴正压式空气呼吸器", "| 徐圩新区专职消防救援大队 | 危化品处置 | 0.7 |",
                 "吸附棉", "韦春华", "硫化氢中毒事故", "徐圩新区应急管理局", "| 组织专家会商 | 立即 |", "死亡 1 人"):
        assert text in md, text
    assert md.count("\n## ") == 7


def test_markdown_escapes_table_pipes_and_handles_empty_result():
    result = {**RESULT, "teams": [{**RESULT["teams"][0], "name": "甲|乙队"}]}
    assert "甲｜乙队" in briefing.to_markdown(result)
    empty = briefing.to_markdown({"incident": {}, "plans": [], "clauses": [], "checklist": []})
    assert "未达分级（无可适用的分级规则）" in empty and "未匹配到预案" in empty


def test_docx_briefing_opens_and_says_the_same():
    from docx import Document

    doc = Document(io.BytesIO(briefing.to_docx(RESULT, "报告原文")))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "突发事件应急处置简报" in text and "救援人员佩戴正压式空气呼吸器" in text
    assert "徐圩新区专职消防救援大队" in cells and "30分钟内" in cells


def test_checklist_grouped_by_organisation_in_order():
    groups = briefing.checklist_by_org(RESULT["checklist"])
    assert list(groups) == ["徐圩新区应急管理局", "新区消防救援大队"]
    assert len(groups["徐圩新区应急管理局"]) == 2


# -- highlight --------------------------------------------------------------------------------

def test_highlight_marks_clause_inside_its_passage_and_escapes_html():
    text = "一、总则\n前文<b>。\n救援人员佩戴正压式空气呼吸器方可进入。\n后文。"
    out = highlight.highlight_clause(text, "救援人员佩戴正压式空气呼吸器方可进入。")
    assert "<mark" in out and "救援人员佩戴正压式空气呼吸器方可进入。</mark>" in out
    assert "&lt;b&gt;" in out and "后文" in out


def test_highlight_uses_span_only_when_it_holds_the_clause():
    text = "甲乙丙丁。救援人员佩戴呼吸器进入现场。戊己。"
    start = text.index("救援")
    good = highlight.highlight_clause(text, "救援人员佩戴呼吸器进入现场。", span=(start, start + 14))
    wrong = highlight.highlight_clause(text, "救援人员佩戴呼吸器进入现场。", span=(0, 4))
    assert good == wrong and "<mark" in good
    assert "救援人员佩戴呼吸器进入现场。</mark>" in good


def test_highlight_falls_back_to_the_clause_alone():
    out = highlight.highlight_clause("完全无关的文本", "找不到的条款内容很长很长")
    assert "找不到的条款内容很长很长</mark>" in out


def test_passage_window_is_bounded():
    text = "甲" * 1000 + "目标" + "乙" * 1000
    before, match, after = highlight.passage(text, 1000, 1002, window=50)
    assert match == "目标" and len(before) <= 51 and len(after) <= 51


# -- drill ------------------------------------------------------------------------------------

def test_drill_perfect_answer_scores_full_marks():
    key = drill.answer_key(RESULT)
    picks = [drill.action_label(a) for a in key["actions"]]
    out = drill.score("一般", "徐圩新区危险化学品事故应急预案", picks, key)
    assert out["total"] == out["max"] == 100


def test_drill_partial_credit():
    key = drill.answer_key(RESULT)
    right = drill.action_label(key["actions"][0])
    out = drill.score("较大", "连云港市危险化学品事故应急预案", [right, "乱选的行动"], key)
    parts = {p["item"]: p["points"] for p in out["parts"]}
    assert parts["事件分级"] == 15  # one grade off
    assert parts["启用预案"] == 15  # applicable but not the lead plan
    assert parts["首要行动"] == 0   # one right, one wrong
    assert drill.score(None, None, [], key)["total"] == 0


def test_drill_options_contain_every_key_action_and_are_stable():
    key = drill.answer_key(RESULT)
    distractors = [{"org": "某局", "action": f"行动{i}"} for i in range(10)]
    a = drill.action_options(key, distractors, "AC001")
    assert a == drill.action_options(key, distractors, "AC001")
    assert len(a) == drill.OPTIONS and all(drill.action_label(x) in a for x in key["actions"])


def test_drill_case_scenario_hides_the_findings():
    text = "某事故\n一、事件经过\n发生爆炸。\n二、原因分析\n违规动火。\n三、经验教训\n加强管理。"
    s = drill.case_scenario("某事故", text)
    assert "发生爆炸" in s["text"] and "违规动火" not in s["text"]


def test_drill_benchmark_reports(tmp_path):
    from tests.test_ui_fixtures import CORPUS

    reports = drill.benchmark_reports(CORPUS, limit=5)
    assert len(reports) == 5 and all(r["text"] for r in reports)
    assert drill.benchmark_reports(tmp_path) == []


# -- map and graph ----------------------------------------------------------------------------

LAYERS = {"places": [{"name": "甲区", "kind": "区县", "parent": "某市", "lon": 119.0, "lat": 34.0},
                     {"name": "甲镇", "kind": "乡镇街道", "parent": "甲区", "lon": 119.2, "lat": 34.1},
                     {"name": "甲山", "kind": "山体", "parent": "甲镇", "lon": 119.1, "lat": 34.3},
                     {"name": "远海", "kind": "海域", "parent": "甲区", "lon": 122.0, "lat": 36.0}],
          "resources": [{"layer": "team", "layer_zh": "救援队伍", "name": "远队", "lon": 121.0, "lat": 36.0,
                         "detail": "", "county": ""},
                        {"layer": "shelter", "layer_zh": "避难场所", "name": "近场所", "lon": 119.58, "lat": 34.59,
                         "detail": "", "county": ""}]}


def test_map_points_mark_matched_resources_and_filter_by_radius():
    data = mapdata.map_points(LAYERS, RESULT, radius_km=20)
    names = {p["name"]: p for p in data["points"]}
    assert "远队" not in names and "近场所" in names
    assert names["徐圩新区专职消防救援大队"]["selected"] and names["徐圩新区危化品应急物资库"]["selected"]
    assert names["石化产业基地"]["layer"] == "incident"
    assert len(data["links"]) == 2
    assert {o["district"] for o in data["outlines"]} == {"甲区"}  # hull of its own places
    assert max(o["lon"] for o in data["outlines"]) < 120  # a sea area does not stretch the outline
    assert "远队" in {p["name"] for p in mapdata.map_points(LAYERS, RESULT)["points"]}


def test_map_chart_has_no_remote_resource():
    import json

    from ui.charts import map_chart

    spec = json.dumps(map_chart(mapdata.map_points(LAYERS, RESULT)).to_dict(), ensure_ascii=False)
    urls = [u for u in __import__("re").findall(r"https?://[^\"']+", spec) if "vega.github.io/schema" not in u]
    assert urls == []  # the only URL is Vega-Lite's $schema identifier, never fetched


def test_distance_is_haversine():
    assert mapdata.distance_km(119.0, 34.0, 119.0, 35.0) == pytest.approx(111.2, abs=0.2)


def test_graph_layout_is_deterministic_and_centred():
    hood = {"center": {"id": "Place:甲", "label": "Place", "label_zh": "地名", "name": "甲", "key": "甲", "props": {}},
            "nodes": [], "edges": []}
    for i in range(25):
        n = {"id": f"Team:{i}", "label": "Team", "label_zh": "救援队伍", "name": f"队{i}", "key": str(i), "props": {}}
        hood["nodes"].append(n)
        hood["edges"].append({"source": n["id"], "target": "Place:甲", "type": "LOCATED_IN"})
    hood["nodes"].append(hood["center"])
    laid = graph.layout(hood)
    assert laid == graph.layout(hood)
    centre = next(n for n in laid["nodes"] if n["is_center"])
    assert (centre["x"], centre["y"]) == (0.0, 0.0) and len(laid["edges"]) == 25
    from ui.charts import graph_chart

    assert graph_chart(laid) is not None and graph_chart({"nodes": [], "edges": []}) is None


def test_graph_node_naming():
    node = graph.as_node(["Section"], {"section_id": "v#s1", "number": "1.2", "heading": "适用范围", "text": "x" * 500})
    assert node["id"] == "Section:v#s1" and node["name"] == "1.2 适用范围"
    assert graph.as_node(["Unknown"], {"name": "x"}) is None
    assert len(graph.as_node(["Clause"], {"clause_id": "c", "text": "很长" * 100})["props"]["text"]) <= 121


# -- intake, checks, uploads, read-only guard --------------------------------------------------

def test_intake_text_upload_and_cap():
    from nlp.loaders import LoadError

    assert intake.match_inputs("报告", None) == {"text": "报告"}
    assert intake.match_inputs("", ("r.txt", "上传的报告".encode("gb18030"))) == {"text": "上传的报告"}
    cap = b'<?xml version="1.0"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"></alert>'
    assert intake.match_inputs("", ("a.xml", cap)) == {"cap": cap}
    assert intake.match_inputs("", ("a.txt", cap)) == {"cap": cap}
    with pytest.raises(LoadError):
        intake.match_inputs("  ", None)
    with pytest.raises(LoadError):
        intake.match_inputs("", ("a.txt", b"   "))


def test_findings_filters():
    found = [{"kind": "threshold_conflict", "evidence": [{"plan_title": "甲"}, {"plan_title": "乙"}]},
             {"kind": "stale_plan", "evidence": [{"plan_title": "乙"}]}]
    assert len(checks.filter_findings(found, "乙")) == 2
    assert len(checks.filter_findings(found, "甲")) == 1
    assert len(checks.filter_findings(found, None, ["stale_plan"])) == 1
    assert checks.kind_label("threshold_conflict") == "分级标准冲突"


def test_upload_names_are_sanitised(tmp_path):
    from ui.uploads import UPLOAD_ROOT, safe_name, save_uploads

    assert safe_name("../../etc/预案.txt") == "预案.txt"
    assert safe_name("run.sh") is None and safe_name(".hidden.txt") is None
    folder, refused = save_uploads([("../甲预案.txt", b"x"), ("evil.exe", b"y")], tmp_path)
    assert folder.name == UPLOAD_ROOT and [p.name for p in folder.iterdir()] == ["甲预案.txt"]
    assert refused == ["evil.exe"]


@pytest.mark.parametrize("text,word", [
    ("MATCH (n) RETURN n.start, n.set, {set: 1}", None),
    ("MATCH (n:Set) WHERE n.name = 'CREATE' RETURN n // delete", None),
    ("MATCH (n) SET n.x = 1", "SET"),
    ("create (n)", "CREATE"),
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MERGE (n:Place {name: 'x'})", "MERGE"),
    ("CALL db.idx.fulltext.createNodeIndex('A', 'b')", "db.idx.fulltext.createNodeIndex"),
])
def test_write_keywords(text, word):
    assert write_keyword(text) == word


def test_ui_command_line(monkeypatch, tmp_path):
    from ui import cli_ui

    cmd = cli_ui.streamlit_command(str(tmp_path), None, 9999, "127.0.0.1")
    assert cmd[:5] == [sys.executable, "-P", "-m", "streamlit", "run"] and cmd[5].endswith("main.py")
    assert cmd[cmd.index("--server.port") + 1] == "9999" and cmd[-2:] == ["--store", str(tmp_path.resolve())]
    seen = {}
    monkeypatch.setattr(cli_ui.os, "execv", lambda exe, argv: seen.update(exe=exe, argv=argv))
    assert cli_ui.main(["ui", "--store", str(tmp_path), "--port", "9998"]) == 0
    assert seen["argv"][seen["argv"].index("--server.port") + 1] == "9998"


def test_store_options_from_script_arguments():
    from ui.state import store_options

    assert store_options(["--store", "/x", "--other"]) == ("/x", None)
    assert store_options(["--neo4j", "bolt://h"]) == (None, "bolt://h")
    assert store_options([]) == (None, None)


def test_console_on_neo4j_uses_a_read_session():
    """The Neo4j path: a READ-mode session and a managed read transaction, with a time limit."""
    import neo4j

    from ui import readonly

    calls = {}

    class Tx:
        def run(self, query, params):
            calls["query"], calls["params"] = query, params
            return [{"n": 1}]

    class Session:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute_read(self, work):
            calls["read"] = True
            return work(Tx())

        def execute_write(self, work):  # pragma: no cover - must never be called
            raise AssertionError("write transaction used")

    class Driver:
        def session(self, **kwargs):
            calls["session"] = kwargs
            return Session()

    class FakeNeo4j:
        database = "yingji"
        _driver = Driver()

        @staticmethod
        def _collect(result):
            return list(result)

        @staticmethod
        def _guard(fn):
            return fn()

    rows = readonly.run_readonly(FakeNeo4j(), "MATCH (n) RETURN count(n) AS n", {"x": 1})
    assert rows == [{"n": 1}] and calls["read"]
    assert calls["session"] == {"default_access_mode": neo4j.READ_ACCESS, "database": "yingji"}
    assert calls["query"].timeout == readonly.TIMEOUT_MS / 1000 and calls["params"] == {"x": 1}
    with pytest.raises(readonly.ReadOnlyRefused):
        readonly.run_readonly(FakeNeo4j(), "MATCH (n) DELETE n")
    assert "session" in calls


def test_neo4j_refusal_message_is_recognised():
    from kg.errors import StoreError
    from ui import readonly

    class Refusing:
        _driver = object()
        database = None

        @staticmethod
        def _guard(fn):
            raise StoreError("Neo4j 查询错误：Writing in read access mode not allowed. Attempted write to database")

    with pytest.raises(readonly.ReadOnlyRefused, match="数据库在只读事务中拒绝"):
        readonly.run_readonly(Refusing(), "CALL custom.writer()")
