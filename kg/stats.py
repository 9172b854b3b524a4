"""`yingji stats`: what the store holds."""
from __future__ import annotations

from kg.cypher import cypher

NODE_COUNTS = cypher("stats_nodes", "MATCH (n) RETURN labels(n) AS labels, count(n) AS n")
REL_COUNTS = cypher("stats_rels", "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n")
DOCUMENTS = cypher("stats_documents", """
    MATCH (d:Document)-[:HAS_VERSION]->(v:DocVersion)
    WHERE v.complete = true
    RETURN d.doc_id AS doc_id, d.title AS title, d.kind AS kind, d.current_version AS current,
           count(v) AS versions
    ORDER BY doc_id""")


def collect(backend) -> dict:
    labels: dict[str, int] = {}
    for row in backend.read(NODE_COUNTS):
        for label in row["labels"] or ["(none)"]:
            labels[label] = labels.get(label, 0) + row["n"]
    rels = {row["type"]: row["n"] for row in backend.read(REL_COUNTS)}
    documents = backend.read(DOCUMENTS)
    by_kind: dict[str, int] = {}
    for d in documents:
        by_kind[d["kind"]] = by_kind.get(d["kind"], 0) + 1
    return {"nodes": dict(sorted(labels.items())), "relationships": dict(sorted(rels.items())),
            "documents": {"total": len(documents), "by_kind": dict(sorted(by_kind.items())),
                          "versions": sum(d["versions"] for d in documents), "list": documents}}
