"""Plan facts in the graph: each fact hangs off its version, points at the clause it was read from,
follows the CURRENT version, and is removed with a half-written version."""
from __future__ import annotations

from kg.cypher import cypher
from kg.ingest import ingest_paths, remove_incomplete
from matcher.data import load_world
from nlp.document import build_record

PLAN = """丁市燃气事故应急预案
丁市人民政府办公室　2024年6月
一、总则
（一）适用范围
本预案适用于丁市行政区域内城镇燃气泄漏、火灾、爆炸事故的应对。
（二）事故分级
1. 较大事故：造成3人以上10人以下死亡，或者停气{households}户以上的事故。
2. 一般事故：造成3人以下死亡的事故。
二、组织指挥体系及职责
市住房和城乡建设局：牵头组织燃气事故应急处置，调度燃气抢修队伍。
三、信息报告
燃气经营企业应当在30分钟内向市住房和城乡建设局电话报告。
四、应急响应
（一）分级响应
1. 二级响应：发生较大燃气事故时，由市指挥部总指挥决定启动二级响应。
五、附则
本预案依据《中华人民共和国突发事件应对法》制定。
"""

CASE = """丁市“3·5”餐馆燃气爆炸事故
一、事故经过
2023年3月5日12时10分，丁市一餐馆液化石油气泄漏引发爆炸，造成2人死亡、5人受伤。
二、应急处置
事故发生后，丁市启动《丁市燃气事故应急预案》三级响应，组织救援。
三、事故原因
直接原因是液化石油气软管老化破损。
四、教训
1. 餐饮场所燃气安全检查必须常态化。
"""

RULES_WITH_CLAUSES = cypher("test_rules_with_clauses", """
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)-[:HAS_RULE]->(r:GradingRule)-[:STATED_IN]->(c:Clause)
    RETURN r.grade AS grade, r.metric AS metric, r.value AS value, r.text AS text, c.text AS clause""")
ALL_RULES = cypher("test_all_rules", "MATCH (r:GradingRule) RETURN r.version_id AS version_id, r.value AS value")
DUTY_ORGS = cypher("test_duty_orgs", """
    MATCH (:Document)-[:CURRENT]->(:DocVersion)-[:ASSIGNS]->(:Duty)-[:TO_ORG]->(o:Organisation)
    RETURN o.name AS name""")
ACTIVATED = cypher("test_activated", """
    MATCH (k:Case)-[a:ACTIVATED]->(d:Document) RETURN k.title AS case, d.title AS plan, a.level AS level""")


def _write(folder, households=1000):
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    (folder / "cases").mkdir(parents=True, exist_ok=True)
    (folder / "plans" / "丁市燃气事故应急预案.txt").write_text(PLAN.format(households=households), encoding="utf-8")
    (folder / "cases" / "丁市3·5燃气爆炸.txt").write_text(CASE, encoding="utf-8")


def test_facts_link_to_their_clauses_and_follow_current(backend, tmp_path):
    corpus = tmp_path / "丁市"
    _write(corpus, 1000)
    ingest_paths(backend, [corpus])
    rows = backend.read(RULES_WITH_CLAUSES)
    assert rows and all(r["text"] in r["clause"] for r in rows)
    assert {"deaths", "gas_outage_households"} <= {r["metric"] for r in rows}
    assert 1000 in [r["value"] for r in rows]
    assert "住房和城乡建设局" in "".join(r["name"] for r in backend.read(DUTY_ORGS))

    _write(corpus, 2000)  # a new version with a different threshold
    ingest_paths(backend, [corpus])
    values = [r["value"] for r in backend.read(RULES_WITH_CLAUSES)]
    assert 2000 in values and 1000 not in values  # CURRENT shows only the new version's facts
    plan = next(d for d in load_world(backend).plans)
    assert plan.title == "丁市燃气事故应急预案"
    assert [r["value"] for r in plan.rules if r["metric"] == "gas_outage_households"] == [2000]
    assert plan.limits and plan.limits[0]["minutes"] == 30
    assert any(lv["level"] == "二级" for lv in plan.levels)


def test_case_links_to_the_plan_it_activated(backend, tmp_path):
    corpus = tmp_path / "丁市"
    _write(corpus)
    ingest_paths(backend, [corpus])
    rows = backend.read(ACTIVATED)
    assert [r["plan"] for r in rows] == ["丁市燃气事故应急预案"]


def test_a_half_written_version_takes_its_facts_with_it(backend, tmp_path):
    from kg import documents as docs
    from kg import facts

    corpus = tmp_path / "丁市"
    _write(corpus, 1000)
    path = corpus / "plans" / "丁市燃气事故应急预案.txt"
    rec = build_record(path, corpus)
    vid = docs.version_id(rec)
    # write a version and its facts but never switch CURRENT, as a killed ingest would
    backend.write(docs.version_statements(rec) + facts.fact_statements(rec, vid))
    assert any(r["version_id"] == vid for r in backend.read(ALL_RULES))
    assert remove_incomplete(backend) == 1
    assert not any(r["version_id"] == vid for r in backend.read(ALL_RULES))
