"""UI queries on the demo store (FalkorDB): documents, outlines, plans by type, cases, map layers,
graph neighbourhoods, the read-only console; and Neo4j's linter on every `ui_` statement."""
from __future__ import annotations

import pytest

from kg.errors import StoreError
from tests.test_ui_fixtures import demo_store  # noqa: F401 - fixture
from ui import cases, graph, mapdata, plan_types, queries
from ui.readonly import ReadOnlyRefused, run_readonly


@pytest.fixture(scope="module")
def backend(demo_store):  # noqa: F811
    from kg.config import StoreConfig
    from kg.open import open_backend

    b = open_backend(StoreConfig(store_dir=demo_store))
    yield b
    b.close()


def test_documents_versions_and_outline(backend):
    docs = queries.documents(backend)
    kinds = {d["kind"] for d in docs}
    assert {"plan", "case", "registry", "regulation"} <= kinds
    plan = next(d for d in docs if d["title"] == "连云港市危险化学品事故应急预案")
    assert plan["versions"] == 1
    (version,) = queries.versions(backend, plan["doc_id"])
    assert version["current"] and version["complete"]
    rows = queries.outline(backend, plan["version_id"])
    assert rows and rows[0]["level"] == 1 and [r["seq"] for r in rows] == sorted(r["seq"] for r in rows)
    with_clauses = next(r for r in rows if r["clauses"])
    assert queries.section_clauses(backend, plan["version_id"], with_clauses["path"])


def test_plan_facts_and_lookup_by_title(backend):
    v = queries.version_by_title(backend, "连云港市危险化学品事故应急预案")
    facts = queries.plan_facts(backend, v["version_id"])
    assert facts["rules"] and facts["duties"] and {r["grade"] for r in facts["rules"]} >= {"一般", "较大"}
    assert queries.version_by_title(backend, "不存在的预案") is None


def test_plans_grouped_by_incident_type(backend):
    groups = plan_types.plans_by_type(backend)
    hazmat = next(v for k, v in groups.items() if k.endswith("危险化学品事故"))
    assert "连云港市危险化学品事故应急预案" in {p["title"] for p in hazmat}
    assert sum(len(v) for v in groups.values()) >= len(queries.plans(backend))


def test_case_record_with_plans_and_lessons(backend):
    case = next(c for c in queries.case_docs(backend) if "“8·3”台风" in c["title"])
    rec = cases.case_record(backend, case["version_id"], {p["title"] for p in queries.plans(backend)})
    assert ("事件等级", "一般") in rec["facts"]
    assert {"title": "连云港市大面积停电事件应急预案", "in_store": True} in rec["plans"]
    assert rec["lessons"] and any(s["heading"].endswith("事件经过") for s in rec["sections"])


def test_map_layers_have_every_kind(backend):
    layers = mapdata.base_layers(backend)
    assert {r["layer"] for r in layers["resources"]} == {"team", "depot", "shelter", "hazard"}
    data = mapdata.map_points(layers)
    assert data["districts"] and data["outlines"]


def test_graph_neighbourhood_and_search(backend):
    hood = graph.neighbourhood(backend, "Place", "连云区")
    assert hood["center"]["name"] == "连云区"
    types = {e["type"] for e in hood["edges"]}
    assert "PART_OF" in types
    assert all(e["source"] in {n["id"] for n in hood["nodes"]} for e in hood["edges"])
    assert graph.neighbourhood(backend, "Place", "不存在")["center"] is None
    hits = graph.search(backend, "消防救援")
    assert hits and all(h["label"] not in ("Clause", "DocVersion") for h in hits)


def test_console_reads(backend):
    rows = run_readonly(backend, "MATCH (p:Place {name: $n}) RETURN p.name AS name, p.lon AS lon", {"n": "连云区"})
    assert rows == [{"name": "连云区", "lon": pytest.approx(119.372)}]


def test_console_refuses_writes_before_and_inside_the_database(backend, monkeypatch):
    before = run_readonly(backend, "MATCH (n) RETURN count(n) AS n")[0]["n"]
    with pytest.raises(ReadOnlyRefused, match="只读控制台拒绝写操作"):
        run_readonly(backend, "CREATE (:Place {name: '写入测试'})")
    # past the keyword guard, GRAPH.RO_QUERY itself refuses
    monkeypatch.setattr("ui.readonly.write_keyword", lambda text: None)
    with pytest.raises(ReadOnlyRefused, match="数据库在只读事务中拒绝"):
        run_readonly(backend, "CREATE (:Place {name: '写入测试'})")
    with pytest.raises(ReadOnlyRefused):
        run_readonly(backend, "MATCH (n:Place {name: '连云区'}) SET n.hacked = true")
    assert run_readonly(backend, "MATCH (n) RETURN count(n) AS n")[0]["n"] == before
    with pytest.raises(StoreError) as err:
        run_readonly(backend, "MATCH (n RETURN n")
    assert not isinstance(err.value, ReadOnlyRefused)


def test_ui_statements_pass_neo4j_linter():
    import importlib
    import pkgutil

    import ui
    from kg.cypher import REGISTRY
    from kg.lint import lint

    for mod in pkgutil.walk_packages(ui.__path__, prefix="ui."):
        importlib.import_module(mod.name)  # every ui module is safe to import (pages run only as scripts)
    statements = [q for name, q in REGISTRY.items() if name.startswith("ui_")]
    assert len(statements) >= 20
    try:
        results = lint(statements)
    except RuntimeError as exc:  # Node or the linter is not installed here
        pytest.skip(str(exc))
    bad = [(r["name"], r["diagnostics"]) for r in results if r["diagnostics"]]
    assert bad == []
