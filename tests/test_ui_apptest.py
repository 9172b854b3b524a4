"""Each page through Streamlit's AppTest on the demo store, with the real matcher and checker."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_ui_fixtures import CORPUS, demo_store, first_report, use_store  # noqa: F401 - fixtures

APP = Path(__file__).resolve().parents[1] / "ui" / "app"
SLOW = 600  # seconds: the first match builds the matcher's indexes and embeddings


def page(name: str) -> AppTest:
    return AppTest.from_file(str(APP / f"page_{name}.py"), default_timeout=120)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [e.value for e in at.info]
    parts += [e.value for e in at.error] + [e.value for e in at.warning] + [e.value for e in at.success]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def on_demo(demo_store, use_store):  # noqa: F811
    return use_store(demo_store)


# -- 指挥辅助 ---------------------------------------------------------------------------------

def test_commander_matches_a_pasted_report(on_demo):
    from ui import briefing

    at = page("commander").run()
    assert not at.exception and at.title[0].value == "指挥辅助"
    at.text_area(key="cmd_text").input(first_report()["report"])
    at.button[0].click().run(timeout=SLOW)
    assert not at.exception, at.exception
    result = at.session_state["cmd_result"]
    grade = result["incident"]["grade"]
    shown = texts(at)
    assert f">{grade}</div>" in shown and "事件等级" in shown
    assert result["clauses"], "the matcher returned no clause"
    first = result["clauses"][0]
    assert first["text"][:12] in shown and "<mark" in shown and first["plan_title"] in shown
    if result["incident"].get("grade_basis"):
        assert "分级依据" in shown
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["下载简报（Markdown）", "下载简报（Word .docx）"]
    assert briefing.to_markdown(result).startswith("# 突发事件应急处置简报")
    assert len(at.tabs) >= 6


def test_commander_reads_a_cap_alert(on_demo):
    cap = sorted((CORPUS / "cap").glob("*.xml"))
    if not cap:
        pytest.skip("no CAP sample in the corpus")
    at = page("commander").run()
    at.file_uploader(key="cmd_upload").upload(cap[0].name, cap[0].read_bytes(), "application/xml")
    at.button[0].click().run(timeout=SLOW)
    assert not at.exception, at.exception
    assert at.session_state["cmd_result"]["incident"]["grade"]


def test_commander_asks_for_a_report(on_demo):
    at = page("commander").run()
    at.button[0].click().run(timeout=SLOW)
    assert "请粘贴事件报告" in texts(at)


def test_empty_store_says_so(use_store, tmp_path):  # noqa: F811
    use_store(tmp_path / "empty")
    at = page("commander").run(timeout=60)
    assert not at.exception
    assert "存储中还没有任何文档" in texts(at)
    at = page("trainee").run(timeout=60)
    assert "存储中还没有任何文档" in texts(at)


def test_unusable_store_is_reported(use_store, tmp_path):  # noqa: F811
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    use_store(blocker)
    at = page("commander").run(timeout=60)
    assert not at.exception
    assert "无法连接知识图谱存储" in texts(at)


def test_neo4j_down_is_reported(monkeypatch):
    monkeypatch.setenv("YINGJI_NEO4J_URI", "bolt://127.0.0.1:9")
    at = page("console").run(timeout=60)
    assert not at.exception
    assert "无法连接知识图谱存储" in texts(at) and "Neo4j" in texts(at)


# -- 预案管理 ---------------------------------------------------------------------------------

def test_drafter_documents_outline_and_checks(on_demo):
    at = page("drafter").run(timeout=SLOW)
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == ["文档与版本", "预案大纲", "一致性检查", "并排对照", "上传"]
    assert len(at.dataframe) >= 2  # documents and versions
    shown = texts(at)
    assert "总则" in shown  # the outline of the first plan
    assert "共 " in shown and "条问题" in shown  # consistency findings
    assert "【" in "\n".join(e.label for e in at.expander)
    kinds = at.multiselect(key="drf_chk_kinds")
    kinds.set_value([kinds.options[0]]).run(timeout=SLOW)
    assert not at.exception
    # side by side opens at a conflict between two plans, each quoted and highlighted
    assert at.warning and at.selectbox(key="drf_a").value["title"] != at.selectbox(key="drf_b").value["title"]
    assert texts(at).count("<mark") >= 2


def test_drafter_upload_with_progress(use_store, tmp_path):  # noqa: F811
    use_store(tmp_path / "up")
    at = page("drafter").run(timeout=60)
    assert "存储中还没有任何文档" in texts(at)
    plan = ("丙县防汛应急预案\n一、总则\n（一）适用范围\n本预案适用于丙县。\n"
            "（二）事件分级\n1. 较大：造成3人以上10人以下死亡的。\n二、应急响应\n县防指立即组织抢险。\n").encode()
    at.file_uploader(key="drf_files").upload("丙县防汛应急预案.txt", plan, "text/plain")
    at.run(timeout=60)
    at.button(key="drf_ingest").click().run(timeout=SLOW)
    assert not at.exception, at.exception
    assert [p.value for p in at.get("progress")] in ([100], [1.0])  # the bar ends full
    assert "导入 1 个文件" in texts(at)
    at = page("drafter").run(timeout=60)  # the new plan is listed once the caches are cleared
    assert "丙县防汛应急预案" in at.selectbox(key="drf_outline_plan").options


# -- 案例学习 ---------------------------------------------------------------------------------

def test_trainee_browse_cases_and_graph(on_demo):
    at = page("trainee").run(timeout=SLOW)
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == ["按事件类型浏览预案", "图谱邻域", "案例库", "演练"]
    kind = at.selectbox(key="trn_type")
    kind.select_index(next(i for i, o in enumerate(kind.options) if "· 危险化学品事故（" in o)).run(timeout=SLOW)
    assert "连云港市危险化学品事故应急预案" in at.radio(key="trn_plan").options
    # graph: search a node, go there, then step to a neighbour
    at.text_input(key="trn_q").input("连云区").run(timeout=SLOW)
    hit = at.selectbox(key="trn_hit")
    hit.select_index(hit.options.index("地名：连云区")).run(timeout=SLOW)
    at.button(key="trn_go").click().run(timeout=SLOW)
    assert "地名：连云区" in texts(at)
    nxt = at.selectbox(key="trn_next")
    target = nxt.options[0]
    nxt.select_index(0).run(timeout=SLOW)
    at.button(key="trn_next_go").click().run(timeout=SLOW)
    assert target in texts(at)
    # cases: facts, activated plans and lessons
    case = at.selectbox(key="trn_case")
    case.select_index(next(i for i, c in enumerate(case.options) if "“8·3”台风" in c)).run(timeout=SLOW)
    shown = texts(at)
    assert "《连云港市大面积停电事件应急预案》" in shown and "经验教训" in shown


def test_trainee_drill_is_scored_against_the_plan(on_demo):
    from ui import drill

    at = page("trainee").run(timeout=SLOW)
    assert not at.exception, at.exception
    assert "trn_keys" not in at.session_state  # no matching until the trainee starts
    at.button(key="trn_start").click().run(timeout=SLOW)
    assert not at.exception, at.exception
    keys = at.session_state["trn_keys"]
    scenario = at.selectbox(key="trn_scenario").value
    answer = keys[scenario["id"]]
    at.radio(key="trn_grade").set_value(answer["grade"])
    if answer["plan"]:
        at.selectbox(key="trn_plan_pick").set_value(answer["plan"])
    picks = [drill.action_label(a) for a in answer["actions"]]
    at.multiselect(key="trn_actions").set_value(picks)
    at.button[-1].click().run(timeout=SLOW)
    assert not at.exception, at.exception
    assert at.metric[0].value == "100 / 100"
    assert "参考答案" in "\n".join(e.label for e in at.expander)


# -- Cypher 查询 ------------------------------------------------------------------------------

def test_console_reads_and_refuses_writes(on_demo):
    at = page("console").run(timeout=SLOW)
    assert not at.exception
    at.button[0].click().run(timeout=60)
    assert at.dataframe and " 行" in texts(at)
    area = next(t for t in at.text_area if t.key.startswith("cy_text"))
    area.input("MATCH (n:Place) DETACH DELETE n")
    at.button[0].click().run(timeout=60)
    assert "只读控制台拒绝写操作" in "\n".join(e.value for e in at.error)
    area = next(t for t in at.text_area if t.key.startswith("cy_text"))  # elements of the latest run
    area.input("MATCH (p:Place {name: $n}) RETURN p.name AS name")
    next(t for t in at.text_input if t.key.startswith("cy_params")).input('{"n": "连云区"}')
    at.button[0].click().run(timeout=60)
    assert not at.error, [e.value for e in at.error]
    assert "1 行" in texts(at)


def test_app_navigation_lists_the_four_pages(on_demo):
    at = AppTest.from_file(str(APP / "main.py"), default_timeout=SLOW).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "指挥辅助"
    for name, title in (("drafter", "预案管理"), ("trainee", "案例学习"), ("console", "Cypher 查询（只读）")):
        at.switch_page(f"page_{name}.py").run(timeout=SLOW)
        assert not at.exception, at.exception
        assert at.title[0].value == title
