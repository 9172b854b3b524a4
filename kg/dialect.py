"""What differs between FalkorDB and Neo4j: index/constraint DDL and search procedures."""
from __future__ import annotations

from dataclasses import dataclass

from kg.schema import EXTRA_INDEXES, NODE_KEYS


@dataclass(frozen=True)
class Dialect:
    name: str

    def schema_statements(self) -> list[str]:
        """DDL that creates the key and lookup indexes (idempotent where the backend allows)."""
        out: list[str] = []
        if self.name == "neo4j":
            for label, key in NODE_KEYS.items():
                out.append(f"CREATE CONSTRAINT {label.lower()}_{key} IF NOT EXISTS "
                           f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE")
            for label, prop in EXTRA_INDEXES:
                out.append(f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
            out.append("CREATE FULLTEXT INDEX clause_text IF NOT EXISTS FOR (n:Clause) ON EACH [n.text]")
        else:
            for label, key in NODE_KEYS.items():
                out.append(f"CREATE INDEX FOR (n:{label}) ON (n.{key})")
            for label, prop in EXTRA_INDEXES:
                out.append(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")
        return out

    def fulltext_clause_query(self) -> str:
        """Full-text search over clause text; parameters $q (query string) and $k (limit)."""
        if self.name == "neo4j":
            return ("CALL db.index.fulltext.queryNodes('clause_text', $q) YIELD node, score "
                    "RETURN node.clause_id AS clause_id, score ORDER BY score DESC LIMIT $k")
        return ("CALL db.idx.fulltext.queryNodes('Clause', $q) YIELD node, score "
                "RETURN node.clause_id AS clause_id, score ORDER BY score DESC LIMIT $k")


NEO4J = Dialect("neo4j")
FALKORDB = Dialect("falkordb")
