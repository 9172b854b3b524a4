"""`yingji export` (RDF Turtle/JSON-LD, GraphML, Cypher) and `yingji sparql`: every format parses
back to the store's counts, RDF conforms to the SHACL shapes, the Cypher script lints clean and
rebuilds the same graph, and SPARQL agrees with Cypher."""
from __future__ import annotations

import argparse
import copy
import json
import math
import os
import shutil
from collections import Counter

import pytest

from kg import export as ex
from kg.cypher import Query, cypher
from kg.export import Edge, ExportGraph, Node
from kg.schema import NODE_KEYS, RELATIONSHIP_TYPES
from tests.conftest import CORPUS

FILES = [CORPUS / "plans" / "东海县地震应急预案.docx", CORPUS / "plans" / "灌南县防汛抗旱应急预案.txt",
         CORPUS / "registry" / "应急物资.csv", CORPUS / "gazetteer" / "places.csv"]
CLAUSES_PER_DOC = cypher("test_clauses_per_document", """
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)
    OPTIONAL MATCH (c:Clause {version_id: v.version_id})
    RETURN d.doc_id AS doc, count(c) AS n""")
SPARQL_CLAUSES = """
    SELECT ?doc (COUNT(DISTINCT ?c) AS ?n) WHERE {
      ?d a yj:Document ; yj:docId ?doc ; yj:current ?v .
      OPTIONAL { ?v yj:hasSection*/yj:subsection*/yj:hasClause ?c }
    } GROUP BY ?doc"""


def _linter_ready():
    from kg import lint

    return shutil.which("node") and (lint.LINTER / "node_modules").is_dir()


def _skip_without_linter():
    if not _linter_ready():
        if os.environ.get("CI"):
            pytest.fail("CI must install the Cypher linter (npm ci --prefix tools/cypher_lint)")
        pytest.skip("Cypher linter not installed: npm ci --prefix tools/cypher_lint")


@pytest.fixture
def loaded(backend):
    """The backend holding two plans, a supply registry and the gazetteer; with the store's counts."""
    from kg.ingest import ingest_paths
    from kg.stats import collect

    report = ingest_paths(backend, FILES, backend.store_dir)
    assert not report.errors and len(report.ingested) == len(FILES)
    stats = collect(backend)
    return backend, sum(stats["nodes"].values()), sum(stats["relationships"].values())


def _norm(graph: ExportGraph):
    """Comparable form: nodes by identity, relationships as a multiset."""
    dump = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)  # noqa: E731
    nodes = {(n.label, n.key): (n.labels, dump(n.props)) for n in graph.nodes}
    edges = Counter((e.type, e.start, e.end, dump(e.props)) for e in graph.edges)
    return nodes, edges


# --------------------------------------------------------------------------------- whole exports

def test_read_graph_is_complete_and_paging_agrees(loaded, monkeypatch):
    backend, n_nodes, n_edges = loaded
    graph = ex.read_graph(backend)
    assert (len(graph.nodes), len(graph.edges)) == (n_nodes, n_edges)
    assert graph.skipped_nodes == graph.skipped_edges == 0
    labels = {n.label for n in graph.nodes}
    assert {"Document", "DocVersion", "Section", "Clause", "Supply", "Depot", "Place", "GradingRule"} <= labels
    # tiny pages, and pages that shrink to one row because rows look big
    monkeypatch.setattr(ex, "PAGE_CHARS", 2_000)
    assert _norm(ex.read_graph(backend, rows=7)) == _norm(graph)


def test_rdf_round_trips_and_conforms(loaded, tmp_path):
    from rdflib import Graph

    backend, n_nodes, n_edges = loaded
    g = ex.to_rdf(ex.read_graph(backend))
    counts = ex.rdf_counts(g)
    assert (counts["nodes"], counts["edges"]) == (n_nodes, n_edges)
    for fmt, parser in (("ttl", "turtle"), ("jsonld", "json-ld")):
        out = tmp_path / f"g.{fmt}"
        out.write_bytes(ex.serialize_rdf(g, fmt))
        back = Graph().parse(out, format=parser)
        assert set(back) == set(g), fmt
        assert ex.rdf_counts(back) == counts
    conforms, text = ex.validate(g)
    assert conforms, text[:3000]
    # relationships with properties survive as statements (organisation mentions)
    mentions = [row for row in _sparql(g, "SELECT ?t WHERE { ?st rdf:predicate yj:mentions ; yj:text ?t }")]
    assert mentions


def test_jsonld_has_a_compact_context(loaded, tmp_path):
    backend, *_ = loaded
    doc = json.loads(ex.serialize_rdf(ex.to_rdf(ex.read_graph(backend)), "jsonld"))
    ctx = doc["@context"]
    assert ctx["yj"] == ex.YJ_IRI and ctx["hasVersion"] == {"@id": "yj:hasVersion", "@type": "@id"}
    assert ctx["docId"] == "yj:docId"
    assert any("docId" in node for node in doc["@graph"])


def test_graphml_round_trips(loaded, tmp_path):
    import networkx as nx

    backend, n_nodes, n_edges = loaded
    graph = ex.read_graph(backend)
    out = tmp_path / "g.graphml"
    ex.write_graphml(graph, out)
    g = nx.read_graphml(out, force_multigraph=True)
    assert (g.number_of_nodes(), g.number_of_edges()) == (n_nodes, n_edges)
    types = Counter(d["label"] for _, _, d in g.edges(data=True))
    assert types == Counter(e.type for e in graph.edges)
    place = next(d for _, d in g.nodes(data=True) if d["labels"] == ":Place" and d.get("lat") is not None)
    assert isinstance(place["lat"], float) and isinstance(json.loads(place["aliases"]), list)
    section = next(d for _, d in g.nodes(data=True) if d["labels"] == ":Section")
    assert isinstance(section["level"], int)


def test_cypher_script_rebuilds_the_graph(loaded, tmp_path):
    backend, n_nodes, n_edges = loaded
    graph = ex.read_graph(backend)
    out = tmp_path / "g.cypher"
    out.write_text(ex.cypher_script(graph, ex.to_cypher(graph, schema=False)), encoding="utf-8")
    statements = ex.script_statements(out.read_text(encoding="utf-8"))
    assert all("$" not in s.split("'")[0] for s in statements)   # no parameters
    backend.clear()
    for i in range(0, len(statements), 20):
        backend.write([(Query(f"export_script_{i + j}", s), {}) for j, s in enumerate(statements[i:i + 20])])
    again = ex.read_graph(backend)
    assert (again.store_nodes, again.store_edges) == (n_nodes, n_edges)
    assert _norm(again) == _norm(graph)


def test_cypher_shapes_lint_clean(loaded):
    _skip_without_linter()
    backend, *_ = loaded
    graph = ex.read_graph(backend)
    samples = ex.cypher_samples(graph)
    shapes = {s for s, _ in ex.to_cypher(graph)}
    assert {s for s, _ in samples} == shapes
    bad = {r["name"]: r["diagnostics"] for r in ex.lint_cypher(samples) if r["diagnostics"]}
    assert bad == {}


def test_sparql_counts_clauses_like_cypher(loaded):
    from kg.sparql import query

    backend, *_ = loaded
    by_cypher = {r["doc"]: r["n"] for r in backend.read(CLAUSES_PER_DOC)}
    by_sparql = {r["doc"]: r["n"] for r in query(backend, SPARQL_CLAUSES)}
    assert by_sparql == by_cypher and sum(by_cypher.values()) > 0


# --------------------------------------------------------------------------------- hard values

def _tricky() -> ExportGraph:
    weird = "引号'和\"反斜杠\\n不是换行\\\n真换行\r\t制表 😀 `backtick` {x: 1}; // 注释"
    a = {"key": "k'1\\", "text": weird, "big": 2 ** 62, "neg": -0.5, "huge": 1e20, "tiny": 1.5e-7, "nan": math.nan,
         "yes": True, "words": ["甲", "乙'"], "empty": [], "mixed": [1, 2.5], "map": {"a": [1, "x"]},
         "weird key": 1, "end": 3}
    b = {"key": "中文/键?#%", "text": "第二个"}
    return ExportGraph([Node("Meta", ["Meta"], a["key"], a), Node("Meta", ["Meta", "Odd Label"], b["key"], b)],
                       [Edge("REL WITH SPACE", ("Meta", a["key"]), ("Meta", b["key"]), {"note": weird}),
                        Edge("SEE_ALSO", ("Meta", a["key"]), ("Meta", b["key"])),
                        Edge("SEE_ALSO", ("Meta", a["key"]), ("Meta", b["key"]))], 2, 3)


def test_cypher_literals_survive_a_round_trip(backend):
    graph = _tricky()
    statements = ex.to_cypher(graph, schema=False)
    assert all("\n" not in s for _, s in statements)
    text = ex.cypher_script(graph, statements)
    backend.write([(Query(f"tricky_{i}", s), {}) for i, s in enumerate(ex.script_statements(text))])
    back = ex.read_graph(backend)
    expected = copy.deepcopy(graph)
    a = expected.nodes[0].props
    a["mixed"], a["map"] = [1.0, 2.5], json.dumps(a["map"], ensure_ascii=False, sort_keys=True)
    assert _norm(back) == _norm(expected)
    if _linter_ready():
        bad = {r["name"]: r["diagnostics"] for r in ex.lint_cypher(statements) if r["diagnostics"]}
        assert bad == {}


def test_rdf_and_graphml_keep_hard_values(tmp_path):
    import networkx as nx
    from rdflib import Graph

    graph = _tricky()
    g = ex.to_rdf(graph)
    assert ex.rdf_counts(g)["edges"] == 3          # parallel SEE_ALSO twins become two statements
    for fmt, parser in (("ttl", "turtle"), ("jsonld", "json-ld")):
        assert set(Graph().parse(data=ex.serialize_rdf(g, fmt).decode(), format=parser)) == set(g), fmt
    conforms, text = ex.validate(g)
    assert conforms, text
    out = tmp_path / "t.graphml"
    ex.write_graphml(graph, out)
    xg = nx.read_graphml(out, force_multigraph=True)
    a = xg.nodes[ex.node_iri("Meta", "k'1\\")]
    assert a["text"] == graph.nodes[0].props["text"] and a["big"] == 2 ** 62 and math.isnan(a["nan"])
    assert json.loads(a["words"]) == ["甲", "乙'"] and a["yes"] is True
    assert xg.nodes[ex.node_iri("Meta", "中文/键?#%")]["labels"] == ":Meta:Odd Label"
    assert xg.number_of_edges() == 3


# --------------------------------------------------------------------------------- SHACL

def _valid() -> ExportGraph:
    vid, doc = "甲.txt@00", "甲.txt"
    ids = {"doc_id": doc, "version_id": vid}
    nodes = [
        Node("Document", ["Document"], doc, {"doc_id": doc, "title": "甲市预案", "kind": "plan", "current_version": vid}),
        Node("DocVersion", ["DocVersion"], vid, {**ids, "text": "一、总则\n为做好工作。", "chars": 11, "complete": True}),
        Node("Section", ["Section"], f"{vid}#s0", {**ids, "section_id": f"{vid}#s0", "heading": "总则", "level": 1,
                                                   "start": 0, "end": 11}),
        Node("Clause", ["Clause"], f"{vid}#c0", {**ids, "clause_id": f"{vid}#c0", "text": "为做好工作。",
                                                 "start": 5, "end": 11, "seq": 0}),
        Node("GradingRule", ["GradingRule"], f"{vid}#r0", {**ids, "rule_id": f"{vid}#r0", "grade": "重大",
                                                           "metric": "deaths", "op": ">=", "value": 10.0,
                                                           "start": 5, "end": 8}),
        Node("Organisation", ["Organisation"], "市应急管理局", {"name": "市应急管理局"}),
        Node("Place", ["Place"], "海州区", {"place_id": "海州区", "name": "海州区", "lon": 119.2, "lat": 34.6}),
    ]
    edges = [Edge("HAS_VERSION", ("Document", doc), ("DocVersion", vid)),
             Edge("CURRENT", ("Document", doc), ("DocVersion", vid)),
             Edge("HAS_SECTION", ("DocVersion", vid), ("Section", f"{vid}#s0")),
             Edge("HAS_CLAUSE", ("Section", f"{vid}#s0"), ("Clause", f"{vid}#c0")),
             Edge("HAS_RULE", ("DocVersion", vid), ("GradingRule", f"{vid}#r0")),
             Edge("STATED_IN", ("GradingRule", f"{vid}#r0"), ("Clause", f"{vid}#c0")),
             Edge("MENTIONS", ("Clause", f"{vid}#c0"), ("Organisation", "市应急管理局"),
                  {"text": "市应急局", "start": 5, "end": 9}),
             Edge("MENTIONS", ("Clause", f"{vid}#c0"), ("Organisation", "市应急管理局"),
                  {"text": "应急局", "start": 7, "end": 10})]
    return ExportGraph(nodes, edges, len(nodes), len(edges))


def _node(graph: ExportGraph, label: str) -> dict:
    return next(n.props for n in graph.nodes if n.label == label)


def _break_clause_text(g): _node(g, "Clause").pop("text")
def _break_lat(g): _node(g, "Place")["lat"] = 999.0
def _break_grade(g): _node(g, "GradingRule")["grade"] = "超大"
def _break_level_type(g): _node(g, "Section")["level"] = "1"
def _break_span(g): _node(g, "Clause")["start"] = 20
def _break_current(g): _node(g, "DocVersion")["complete"] = False
def _break_target(g): g.edges[3] = Edge("HAS_CLAUSE", g.edges[3].start, ("Place", "海州区"))
def _break_orphan(g): g.edges.pop(3)
def _break_mention_span(g): g.edges[6].props["end"] = 1


@pytest.mark.parametrize("breaker, component", [
    (_break_clause_text, "MinCountConstraintComponent"),
    (_break_lat, "MaxInclusiveConstraintComponent"),
    (_break_grade, "InConstraintComponent"),
    (_break_level_type, "DatatypeConstraintComponent"),
    (_break_span, "LessThanOrEqualsConstraintComponent"),
    (_break_current, "SPARQLConstraintComponent"),
    (_break_target, "ClassConstraintComponent"),
    (_break_orphan, "MinCountConstraintComponent"),
    (_break_mention_span, "LessThanOrEqualsConstraintComponent"),
])
def test_shacl_catches_violations(breaker, component):
    conforms, text = ex.validate(ex.to_rdf(_valid()))
    assert conforms, text
    broken = copy.deepcopy(_valid())
    breaker(broken)
    conforms, text = ex.validate(ex.to_rdf(broken))
    assert not conforms and component in text


def test_ontology_covers_the_schema():
    from rdflib import OWL, RDF, RDFS, Graph, Namespace

    yj, onto = Namespace(ex.YJ_IRI), ex.load_ttl(ex.ONTOLOGY)
    for label in NODE_KEYS:
        cls = yj[label]
        assert (cls, RDF.type, OWL.Class) in onto, label
        langs = {lit.language for lit in onto.objects(cls, RDFS.label)}
        assert {"zh", "en"} <= langs and onto.value(cls, RDFS.comment), label
    for rel in RELATIONSHIP_TYPES:
        assert (yj[ex.camel(rel)], RDF.type, OWL.ObjectProperty) in onto, rel
    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes: Graph = ex.load_ttl(ex.SHAPES)
    for cls in shapes.objects(None, sh.targetClass):
        assert (cls, RDF.type, OWL.Class) in onto or cls == RDF.Statement, cls


# --------------------------------------------------------------------------------- SPARQL and CLI

def _sparql(g, text):
    from kg.sparql import query_graph

    return query_graph(g, text)


def test_sparql_refuses_remote_data():
    from rdflib import Graph

    from kg.sparql import SparqlError

    for text in ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
                 "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
                 "SELECT * WHERE { ?s ?p"):
        with pytest.raises(SparqlError):
            _sparql(Graph(), text)
    assert _sparql(Graph(), "ASK { ?s ?p ?o }") == [{"ask": False}]


def _cli(argv: list[str]) -> int:
    from ui import cli
    from ui.cli_export import register

    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "export" not in sub.choices:      # until ui.cli registers the commands itself
        common = argparse.ArgumentParser(add_help=False)
        common.add_argument("--store")
        common.add_argument("--neo4j")
        common.add_argument("--json", action="store_true")
        register(sub, common)
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_export_and_sparql(loaded, tmp_path, capsys):
    backend, n_nodes, n_edges = loaded
    if backend.store_dir is None:
        pytest.skip("the CLI test opens the embedded store by folder")
    store = ["--store", str(backend.store_dir)]
    out = tmp_path / "g.ttl"
    assert _cli(["export", "--format", "ttl", "--out", str(out), *store, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is True and (report["nodes"], report["edges"]) == (n_nodes, n_edges)
    assert report["triples"] > n_nodes and out.stat().st_size == report["bytes"]
    assert _cli(["export", "--format", "cypher", "--out", str(tmp_path / "g.cypher"), *store]) == 0
    assert f"节点 {n_nodes} 个，关系 {n_edges} 条" in capsys.readouterr().out
    assert _cli(["sparql", SPARQL_CLAUSES, *store, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["doc"]: r["n"] for r in rows} == {r["doc"]: r["n"] for r in backend.read(CLAUSES_PER_DOC)}
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?name WHERE { ?p a yj:Place ; yj:name ?name } ORDER BY ?name LIMIT 3", encoding="utf-8")
    assert _cli(["sparql", "--file", str(query), *store]) == 0
    assert "（3 行）" in capsys.readouterr().out
    assert _cli(["sparql", "SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }", *store]) == 2
    assert "SERVICE" in capsys.readouterr().err
