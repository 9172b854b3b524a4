"""`yingji export`: the graph as RDF (Turtle, JSON-LD), GraphML, or a Cypher script for Neo4j.

The graph is read label by label with registered, paginated statements generated from
`kg.schema.NODE_KEYS`, so labels and relationship types added to the schema are exported without
changes here. A node is identified by its primary label (the first of its labels in NODE_KEYS) and
that label's key; nodes without a key are counted as skipped, never guessed.

RDF: classes and properties live in `yj:` (kg/ontology/yingji.ttl), nodes in `data:`;
relationships become object properties (HAS_VERSION -> yj:hasVersion). A relationship that has
properties, or a parallel twin of the same type, is also written as an rdf:Statement carrying them,
so no relationship is lost. Every RDF export validates against kg/ontology/shapes.ttl.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from kg.cypher import Query, cypher
from kg.schema import NODE_KEYS
from kg.stats import NODE_COUNTS, REL_COUNTS

ONTOLOGY_DIR = Path(__file__).parent / "ontology"
ONTOLOGY = ONTOLOGY_DIR / "yingji.ttl"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
YJ_IRI = "https://yingji.example/ontology#"
DATA_IRI = "https://yingji.example/data/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FORMATS = ("ttl", "jsonld", "graphml", "cypher")
LABEL_PROPS = ("title", "name", "heading")   # rdfs:label comes from the first one present
PAGE_ROWS = 1000
PAGE_CHARS = 4_000_000                       # shrink pages holding big texts (DocVersion.text)


def _queries(label: str, key: str) -> tuple[Query, Query]:
    """A page of nodes, and the relationships leaving the same page (flat rows read fastest)."""
    page = f"MATCH (n:{label}) WITH n ORDER BY n.{key} SKIP $skip LIMIT $limit"
    nodes = cypher(f"export_{label.lower()}_nodes", f"{page} RETURN labels(n) AS labels, properties(n) AS props",
                   ("skip", "limit"))
    edges = cypher(f"export_{label.lower()}_edges", f"""{page}
    MATCH (n)-[r]->(b)
    WITH n, r, b, head([l IN $order WHERE l IN labels(b)]) AS end_label
    RETURN labels(n) AS labels, n.{key} AS start, type(r) AS type, properties(r) AS props,
           end_label, b[$keys[end_label]] AS end_key""", ("skip", "limit", "order", "keys"))
    return nodes, edges


PAGES = {label: _queries(label, key) for label, key in NODE_KEYS.items()}


# --------------------------------------------------------------------------------- read

@dataclass
class Node:
    label: str                 # primary label
    labels: list[str]
    key: Any
    props: dict[str, Any]


@dataclass
class Edge:
    type: str
    start: tuple[str, Any]     # (primary label, key)
    end: tuple[str, Any]
    props: dict[str, Any] = field(default_factory=dict)


@dataclass
class ExportGraph:
    nodes: list[Node]
    edges: list[Edge]
    store_nodes: int = 0
    store_edges: int = 0

    @property
    def skipped_nodes(self) -> int:
        return self.store_nodes - len(self.nodes)

    @property
    def skipped_edges(self) -> int:
        return self.store_edges - len(self.edges)


def primary_label(labels: Iterable[str]) -> str | None:
    present = set(labels)
    return next((label for label in NODE_KEYS if label in present), None)


def _clean(props: dict | None) -> dict:
    return {k: v for k, v in (props or {}).items() if v is not None}


def _pages(backend, label: str, rows: int = PAGE_ROWS) -> Iterator[tuple[list[dict], list[dict]]]:
    """(nodes, their outgoing relationships) per SKIP/LIMIT page; pages shrink for big rows."""
    node_query, edge_query = PAGES[label]
    skip, limit = 0, rows
    while True:
        nodes = backend.read(node_query, {"skip": skip, "limit": limit})
        yield nodes, backend.read(edge_query, {"skip": skip, "limit": limit, "order": list(NODE_KEYS),
                                               "keys": NODE_KEYS})
        if len(nodes) < limit:
            return
        skip += len(nodes)
        size = len(json.dumps(nodes, ensure_ascii=False, default=str))
        limit = max(1, min(rows, limit * PAGE_CHARS // max(size, 1)))


def read_graph(backend, rows: int = PAGE_ROWS) -> ExportGraph:
    """Every keyed node, and every relationship between keyed nodes."""
    counts = backend.read(NODE_COUNTS)
    present = {label for row in counts for label in row["labels"] or ()}
    graph = ExportGraph([], [], sum(r["n"] for r in counts), sum(r["n"] for r in backend.read(REL_COUNTS)))
    for label, key in NODE_KEYS.items():
        if label not in present:
            continue
        for nodes, edges in _pages(backend, label, rows):
            for row in nodes:
                props = _clean(row["props"])
                if primary_label(row["labels"]) == label and props.get(key) is not None:
                    graph.nodes.append(Node(label, sorted(row["labels"]), props[key], props))
            for row in edges:
                if primary_label(row["labels"]) == label and None not in (row["start"], row["end_key"]):
                    graph.edges.append(Edge(row["type"], (label, row["start"]), (row["end_label"], row["end_key"]),
                                            _clean(row["props"])))
    return graph


# --------------------------------------------------------------------------------- RDF

@lru_cache(maxsize=4096)
def camel(name: str) -> str:
    """HAS_VERSION -> hasVersion, doc_id -> docId, area_m2 -> areaM2; other characters percent-encoded."""
    parts = [p for p in re.split(r"[_\s-]+", name) if p]
    if not parts:
        return quote(name or "_", safe="")
    if len(parts) == 1 and not name.isupper():
        out = parts[0][:1].lower() + parts[0][1:]
    else:
        out = parts[0].lower() + "".join(p[:1].upper() + p[1:].lower() for p in parts[1:])
    return quote(out, safe="")


def node_iri(label: str, key: Any) -> str:
    return f"{DATA_IRI}{quote(label, safe='')}/{quote(str(key), safe='')}"


def _literals(value: Any) -> list:
    from rdflib import RDF, XSD, Literal

    if value is None:
        return []
    if isinstance(value, bool):
        return [Literal(value)]
    if isinstance(value, int):
        return [Literal(value, datatype=XSD.integer)]
    if isinstance(value, float):
        return [Literal(value, datatype=XSD.double)]
    if isinstance(value, str):
        return [Literal(value)]
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, (list, tuple, dict)) for v in value):
            return [Literal(json.dumps(value, ensure_ascii=False), datatype=RDF.JSON)]
        return [lit for v in value for lit in _literals(v)]
    if isinstance(value, dict):
        return [Literal(json.dumps(value, ensure_ascii=False, sort_keys=True), datatype=RDF.JSON)]
    return [Literal(str(value))]


def _edge_groups(edges: list[Edge]) -> dict[tuple, list[Edge]]:
    groups: dict[tuple, list[Edge]] = defaultdict(list)
    for e in edges:
        groups[(e.start, e.type, e.end)].append(e)
    return groups


def to_rdf(graph: ExportGraph):
    """An rdflib Graph: typed nodes with literal properties, relationships as object properties."""
    from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

    yj, g = Namespace(YJ_IRI), Graph()
    g.bind("yj", yj)
    g.bind("data", Namespace(DATA_IRI))
    g.bind("xsd", XSD)
    iris: dict[tuple, URIRef] = {}
    terms: dict[str, URIRef] = {}

    def iri(label: str, key: Any) -> URIRef:
        return iris.get((label, key)) or iris.setdefault((label, key), URIRef(node_iri(label, key)))

    def term(name: str) -> URIRef:
        return terms.get(name) or terms.setdefault(name, yj[camel(name)])

    add = g.add
    for n in graph.nodes:
        s = iri(n.label, n.key)
        for label in n.labels:
            add((s, RDF.type, yj[quote(label, safe="")]))
        for k, v in n.props.items():
            for lit in _literals(v):
                add((s, term(k), lit))
        name = next((n.props[p] for p in LABEL_PROPS if isinstance(n.props.get(p), str) and n.props[p]), None)
        if name:
            add((s, RDFS.label, Literal(name)))
    for (start, rel_type, end), group in _edge_groups(graph.edges).items():
        s, p, o = iri(*start), term(rel_type), iri(*end)
        add((s, p, o))
        if len(group) == 1 and not group[0].props:
            continue
        bodies = sorted(((json.dumps(e.props, ensure_ascii=False, sort_keys=True, default=str), e) for e in group),
                        key=lambda t: t[0])
        for i, (body, e) in enumerate(bodies):
            st = URIRef(f"{DATA_IRI}rel/" + hashlib.sha1(f"{s}|{p}|{o}|{i}|{body}".encode()).hexdigest()[:20])
            add((st, RDF.type, RDF.Statement))
            add((st, RDF.subject, s))
            add((st, RDF.predicate, p))
            add((st, RDF.object, o))
            for k, v in e.props.items():
                for lit in _literals(v):
                    add((st, term(k), lit))
    return g


def rdf_counts(g) -> dict[str, int]:
    """Nodes (yj-typed subjects), relationships (reified statements plus plain links) and triples."""
    from rdflib import RDF, URIRef

    nodes = {s for s, o in g.subject_objects(RDF.type) if str(o).startswith(YJ_IRI)}
    reified = set(g.subjects(RDF.type, RDF.Statement))
    covered = {(g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)) for st in reified}
    links = {(s, p, o) for s, p, o in g
             if isinstance(o, URIRef) and str(p).startswith(YJ_IRI) and str(o).startswith(DATA_IRI)}
    return {"nodes": len(nodes), "edges": len(reified) + len(links - covered), "triples": len(g)}


def jsonld_context(g) -> dict:
    """Prefixes plus one short term per yj: predicate in use; links are typed @id."""
    from rdflib import Literal

    ctx: dict[str, Any] = {"yj": YJ_IRI, "data": DATA_IRI, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                           "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                           "xsd": "http://www.w3.org/2001/XMLSchema#"}
    links, values = set(), set()
    for _, p, o in g:
        if str(p).startswith(YJ_IRI):
            (values if isinstance(o, Literal) else links).add(str(p)[len(YJ_IRI):])
    for term in sorted(values | links):
        if term in ctx or not re.fullmatch(r"[A-Za-z_]\w*", term):
            continue
        # a name used both ways keeps its prefixed form, so neither reading is forced on it
        if term in links and term not in values:
            ctx[term] = {"@id": f"yj:{term}", "@type": "@id"}
        elif term not in links:
            ctx[term] = f"yj:{term}"
    return ctx


TURTLE_PREFIXES = {"yj": YJ_IRI, "data": DATA_IRI, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                   "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#"}


def _turtle_iri(iri: str) -> str:
    for prefix, ns in TURTLE_PREFIXES.items():
        if prefix != "data" and iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def turtle(g) -> str:
    """Turtle grouped by subject, in a stable order. (rdflib's writer tries to make a prefixed name of
    every percent-encoded data IRI, and takes ten times as long.)"""
    from rdflib import XSD, Literal

    cache: dict = {}

    def n3(t) -> str:
        if not isinstance(t, Literal):
            return cache.get(t) or cache.setdefault(t, _turtle_iri(str(t)))
        if t.datatype is None:
            return t.n3()
        if t.datatype == XSD.integer and re.fullmatch(r"[+-]?\d+", t) or \
                t.datatype == XSD.boolean and str(t) in ("true", "false"):
            return str(t)
        return f"{Literal(str(t)).n3()}^^{n3(t.datatype)}"

    out = [f"@prefix {p}: <{ns}> .\n" for p, ns in TURTLE_PREFIXES.items()]
    for s in sorted(set(g.subjects())):
        by_p: dict = defaultdict(list)
        for p, o in g.predicate_objects(s):
            by_p[p].append(o)
        body = " ;\n    ".join(("a" if str(p) == RDF_TYPE else n3(p)) + " " + " , ".join(sorted(n3(o) for o in objs))
                                for p, objs in sorted(by_p.items(), key=lambda kv: (str(kv[0]) != RDF_TYPE, kv[0])))
        out.append(f"\n{n3(s)} {body} .\n")
    return "".join(out)


def serialize_rdf(g, fmt: str) -> bytes:
    if fmt == "ttl":
        return turtle(g).encode("utf-8")
    if fmt == "jsonld":
        return g.serialize(format="json-ld", context=jsonld_context(g), auto_compact=True,
                           ensure_ascii=False, encoding="utf-8")
    raise ValueError(f"not an RDF format: {fmt}")


def load_ttl(path: Path):
    from rdflib import Graph

    return Graph().parse(path, format="turtle")


def validate(g, inplace: bool = False) -> tuple[bool, str]:
    """SHACL validation against shapes.ttl, with the ontology's class hierarchy mixed in
    (`inplace` mixes it into `g` itself: about 20% faster, for graphs about to be dropped)."""
    from pyshacl import validate as shacl

    conforms, _, text = shacl(g, shacl_graph=load_ttl(SHAPES), ont_graph=load_ttl(ONTOLOGY),
                              inference="none", allow_warnings=True, inplace=inplace)
    return bool(conforms), text


# --------------------------------------------------------------------------------- GraphML

_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _graphml_value(value: Any) -> tuple[str, str]:
    """(GraphML type, text); lists and maps as JSON strings."""
    if isinstance(value, (list, tuple, dict)):
        return "string", json.dumps(value, ensure_ascii=False)
    kind = _GRAPHML_TYPES.get(type(value), "string")
    if kind == "boolean":
        return kind, "true" if value else "false"
    if kind == "double" and not math.isfinite(value):
        return kind, "NaN" if math.isnan(value) else "INF" if value > 0 else "-INF"
    if kind == "double":
        return kind, repr(value)
    return kind, str(value)


def _xml_text(text: str) -> str:
    return escape(_XML_BAD.sub("\ufffd", text), {"\r": "&#13;"})


def write_graphml(graph: ExportGraph, path: Path) -> None:
    """Nodes keyed by their data IRI with `labels` (":Document"); edges carry `label` (the type)."""
    keys: dict[tuple[str, str, str], str] = {("node", "labels", "string"): "d0", ("edge", "label", "string"): "e0"}

    def key_id(scope: str, name: str, kind: str) -> str:
        return keys.setdefault((scope, name, kind), f"{scope[0]}{len(keys)}")

    def data(scope: str, props: dict) -> str:
        out = []
        for k, v in props.items():
            kind, text = _graphml_value(v)
            out.append(f'<data key="{key_id(scope, k, kind)}">{_xml_text(text)}</data>')
        return "".join(out)

    body = []
    for n in graph.nodes:
        iri = quoteattr(node_iri(n.label, n.key))
        labels = _xml_text("".join(f":{label}" for label in n.labels))
        body.append(f'<node id={iri}><data key="d0">{labels}</data>{data("node", n.props)}</node>\n')
    for i, e in enumerate(graph.edges):
        src, dst = quoteattr(node_iri(*e.start)), quoteattr(node_iri(*e.end))
        body.append(f'<edge id="r{i}" source={src} target={dst}><data key="e0">{_xml_text(e.type)}</data>'
                    f'{data("edge", e.props)}</edge>\n')
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
        for (scope, name, kind), kid in keys.items():
            fh.write(f'<key id="{kid}" for="{scope}" attr.name={quoteattr(_XML_BAD.sub("", name))} '
                     f'attr.type="{kind}"/>\n')
        fh.write('<graph id="yingji" edgedefault="directed">\n')
        fh.writelines(body)
        fh.write("</graph>\n</graphml>\n")


# --------------------------------------------------------------------------------- Cypher

_ESCAPES = str.maketrans({"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\u0000"})
BATCH_ROWS = 200
BATCH_CHARS = 200_000


def ident(name: str) -> str:
    """A label, type or key as Cypher: bare when it is a plain identifier, else in backticks."""
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else "`" + name.replace("`", "``") + "`"


def _storable(value: Any) -> Any:
    """What Neo4j can hold: maps and mixed or nested lists become JSON strings."""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, (list, tuple)):
        kinds = {type(v) for v in value}
        if kinds == {int, float}:
            return [float(v) for v in value]      # Neo4j lists are homogeneous
        if len(kinds) > 1 or kinds - {int, float, str, bool}:
            return json.dumps(value, ensure_ascii=False)
        return list(value)
    return value


def literal(value: Any) -> str:
    """A Cypher literal both Neo4j and FalkorDB read back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "toFloat('NaN')"
        if math.isinf(value):
            return "toFloat('Infinity')" if value > 0 else "toFloat('-Infinity')"
        return repr(value)
    if isinstance(value, str):
        return "'" + value.translate(_ESCAPES) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{ident(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return literal(str(value))


def _props_literal(props: dict) -> str:
    return literal({k: _storable(v) for k, v in props.items() if v is not None})


def _batches(rows: list[str], most: int) -> Iterator[list[str]]:
    batch, size = [], 0
    for row in rows:
        if batch and (len(batch) >= most or size + len(row) > BATCH_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(row)
        size += len(row)
    if batch:
        yield batch


def to_cypher(graph: ExportGraph, schema: bool = True, rows: int = BATCH_ROWS) -> list[tuple[str, str]]:
    """(shape, statement) pairs: Neo4j constraints and indexes, then nodes, then relationships.

    Statements take no parameters and each fits on one line. Nodes of one label set share a shape,
    as do relationships of one type between one pair of labels: linting one of each lints them all.
    """
    from kg.dialect import NEO4J

    out = [("schema", ddl) for ddl in NEO4J.schema_statements()] if schema else []
    by_labels: dict[tuple, list[str]] = defaultdict(list)
    for n in graph.nodes:
        by_labels[tuple(n.labels)].append(_props_literal(n.props))
    for labels, items in by_labels.items():
        target = "".join(f":{ident(label)}" for label in labels)
        for batch in _batches(items, rows):
            out.append((f"nodes {target}", f"UNWIND [{', '.join(batch)}] AS row CREATE (n{target}) SET n = row"))
    by_type: dict[tuple, list[str]] = defaultdict(list)
    for e in graph.edges:
        by_type[(e.type, e.start[0], e.end[0])].append(
            f"{{a: {literal(e.start[1])}, b: {literal(e.end[1])}, p: {_props_literal(e.props)}}}")
    for (rel_type, a, b), items in by_type.items():
        match = (f"MATCH (a:{ident(a)} {{{ident(NODE_KEYS[a])}: r.a}}) "
                 f"MATCH (b:{ident(b)} {{{ident(NODE_KEYS[b])}: r.b}}) "
                 f"CREATE (a)-[e:{ident(rel_type)}]->(b) SET e = r.p")
        for batch in _batches(items, rows):
            out.append((f"edges {a}-{rel_type}->{b}", f"UNWIND [{', '.join(batch)}] AS r {match}"))
    return out


def cypher_script(graph: ExportGraph, statements: list[tuple[str, str]]) -> str:
    head = (f"// yingji export: {len(graph.nodes)} nodes, {len(graph.edges)} relationships.\n"
            "// One statement per line; load with `cypher-shell -f FILE` into an empty database.\n")
    return head + "".join(f"{text};\n" for _, text in statements)


def script_statements(text: str) -> list[str]:
    """The statements of a script written by `cypher_script` (comments and blank lines dropped)."""
    lines = (line.strip() for line in text.split("\n"))
    return [line[:-1] if line.endswith(";") else line for line in lines if line and not line.startswith("//")]


def cypher_samples(graph: ExportGraph) -> list[tuple[str, str]]:
    """One statement of each shape, holding a single row: what the export writes, small enough to lint
    (the linter takes minutes over full 200-row batches of document text)."""
    first: dict[str, str] = {}
    for shape, text in to_cypher(graph, rows=1):
        first.setdefault(shape, text)
    return list(first.items())


def lint_cypher(statements: list[tuple[str, str]]) -> list[dict]:
    """Neo4j's linter over (shape, statement) pairs (see `kg.lint`; needs Node and npm ci)."""
    from kg.lint import lint

    return lint([Query(f"export_{i}: {shape}", text) for i, (shape, text) in enumerate(statements)])


# --------------------------------------------------------------------------------- files

def export(backend, fmt: str, out: Path, validate_rdf: bool = True) -> dict:
    """Write one format to `out`; counts, and SHACL conformance for RDF formats."""
    import time

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    t0 = time.perf_counter()
    graph = read_graph(backend)
    report: dict[str, Any] = {"format": fmt, "out": str(out), "nodes": len(graph.nodes), "edges": len(graph.edges),
                              "skipped_nodes": graph.skipped_nodes, "skipped_edges": graph.skipped_edges,
                              "read_seconds": round(time.perf_counter() - t0, 3)}
    t1 = time.perf_counter()
    if fmt in ("ttl", "jsonld"):
        g = to_rdf(graph)
        Path(out).write_bytes(serialize_rdf(g, fmt))
        report["triples"] = len(g)
    elif fmt == "graphml":
        write_graphml(graph, Path(out))
    else:
        statements = to_cypher(graph)
        Path(out).write_text(cypher_script(graph, statements), encoding="utf-8")
        report["statements"] = len(statements)
    report["write_seconds"] = round(time.perf_counter() - t1, 3)
    report["bytes"] = Path(out).stat().st_size
    if fmt in ("ttl", "jsonld") and validate_rdf:
        t2 = time.perf_counter()
        report["conforms"], text = validate(g, inplace=True)
        report["validate_seconds"] = round(time.perf_counter() - t2, 3)
        if not report["conforms"]:
            report["shacl_report"] = text
    return report
