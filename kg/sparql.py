"""`yingji sparql`: SPARQL over the graph, exported to RDF in memory (see kg.export).

Prefixes yj:, data:, rdf:, rdfs:, xsd: are predeclared. Only local data is queried: SERVICE and
FROM/FROM NAMED are refused, so a query never reaches the network.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from kg.export import DATA_IRI, YJ_IRI, read_graph, to_rdf

PREFIXES = {"yj": YJ_IRI, "data": DATA_IRI, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#"}


class SparqlError(ValueError):
    """A query that does not parse or asks for remote data."""


def _remote(node) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return node.name == "ServiceGraphPattern" or any(_remote(v) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_remote(v) for v in node)
    return False


def prepare(text: str):
    """Parse once; refuse queries that would load remote graphs."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        q = prepareQuery(text, initNs=PREFIXES)
    except Exception as exc:  # noqa: BLE001 - pyparsing and rdflib raise many kinds
        raise SparqlError(f"SPARQL 语法错误：{exc}") from exc
    if getattr(q.algebra, "datasetClause", None) or _remote(q.algebra):
        raise SparqlError("不支持 SERVICE、FROM 或 FROM NAMED：只查询本地图谱")
    return q


def _value(term) -> Any:
    from rdflib import BNode, Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, (_dt.date, _dt.time, _dt.datetime)):
            return value.isoformat()
        return value if isinstance(value, (str, int, float, bool)) else str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def query_graph(g, q) -> list[dict[str, Any]]:
    """Rows as dicts (SELECT), [{"ask": bool}] (ASK), or {"s","p","o"} triples (CONSTRUCT/DESCRIBE).
    `q` is query text or the result of `prepare`."""
    result = g.query(prepare(q) if isinstance(q, str) else q)
    if result.type == "ASK":
        return [{"ask": bool(result.askAnswer)}]
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return [{"s": _value(s), "p": _value(p), "o": _value(o)} for s, p, o in result.graph]
    names = [str(v) for v in result.vars]
    return [{name: _value(row[i]) for i, name in enumerate(names)} for row in result]


def query(backend, text: str) -> list[dict[str, Any]]:
    """Run SPARQL over the whole store (exported to RDF for this query)."""
    q = prepare(text)  # fail fast, before reading the store
    return query_graph(to_rdf(read_graph(backend)), q)
