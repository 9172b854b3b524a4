"""Every Cypher statement yingji runs is declared here or through `cypher()`, so it can be linted.

Statements are parameterised: user input only ever travels in parameters, never in the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

REGISTRY: dict[str, "Query"] = {}


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    params: tuple[str, ...] = field(default=())
    neo4j_only: bool = False
    falkordb_only: bool = False


def cypher(name: str, text: str, params: tuple[str, ...] = (), *, neo4j_only=False, falkordb_only=False) -> Query:
    """Declare a named statement and record it in the registry for the linter."""
    q = Query(name, " ".join(text.split()), tuple(params), neo4j_only, falkordb_only)
    if name in REGISTRY and REGISTRY[name] != q:
        raise ValueError(f"Cypher statement {name!r} declared twice with different text")
    REGISTRY[name] = q
    return q


def version_deleter(name: str, label: str) -> Query:
    """The statement that removes every `label` node written for one document version."""
    return cypher(name, f"MATCH (n:{label} {{version_id: $version_id}}) DETACH DELETE n", ("version_id",))
