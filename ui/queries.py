"""Read-only graph queries the assistant needs: documents, versions, outlines, plan facts, cases.

Every statement is declared with `kg.cypher.cypher` (names start with `ui_`) and parameterised,
so `tests/test_ui_queries.py` can lint it with Neo4j's linter like the rest of the project.
Functions take a backend and return plain rows; none of them writes.
"""
from __future__ import annotations

from kg.cypher import cypher

DOCUMENTS = cypher("ui_documents", """
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)
    OPTIONAL MATCH (d)-[:HAS_VERSION]->(o:DocVersion)
    WHERE o.complete = true
    RETURN d.doc_id AS doc_id, v.title AS title, v.kind AS kind, v.version_id AS version_id,
           v.suffix AS suffix, v.chars AS chars, v.ingested_at AS ingested_at,
           v.meta_admin_level AS admin_level, v.meta_plan_type AS plan_type, v.meta_issuer AS issuer,
           v.meta_date AS date, v.meta_jurisdiction AS jurisdiction, count(o) AS versions
    ORDER BY kind, title""")
VERSIONS = cypher("ui_versions", """
    MATCH (d:Document {doc_id: $doc_id})-[:HAS_VERSION]->(v:DocVersion)
    RETURN v.version_id AS version_id, v.title AS title, v.sha256 AS sha256, v.chars AS chars,
           v.ingested_at AS ingested_at, v.complete AS complete, v.version_id = d.current_version AS current
    ORDER BY ingested_at DESC""", ("doc_id",))
OUTLINE = cypher("ui_outline", """
    MATCH (s:Section {version_id: $version_id})
    OPTIONAL MATCH (s)-[:HAS_CLAUSE]->(c:Clause)
    RETURN s.number AS number, s.heading AS heading, s.level AS level, s.path AS path, s.seq AS seq,
           count(c) AS clauses
    ORDER BY seq""", ("version_id",))
SECTION_CLAUSES = cypher("ui_section_clauses", """
    MATCH (c:Clause {version_id: $version_id})
    WHERE c.section_path = $path
    RETURN c.text AS text, c.start AS start, c.end AS end, c.seq AS seq
    ORDER BY seq""", ("version_id", "path"))
VERSION_BY_TITLE = cypher("ui_version_by_title", """
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)
    WHERE v.title = $title
    RETURN d.doc_id AS doc_id, v.version_id AS version_id, v.text AS text, v.kind AS kind
    LIMIT 1""", ("title",))
CLAUSE_BY_TEXT = cypher("ui_clause_by_text", """
    MATCH (c:Clause {version_id: $version_id})
    WHERE c.text = $text
    RETURN c.start AS start, c.end AS end, c.section_path AS section_path
    LIMIT 1""", ("version_id", "text"))
PLANS = cypher("ui_plans", """
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)
    WHERE v.kind = 'plan'
    RETURN d.doc_id AS doc_id, v.title AS title, v.version_id AS version_id,
           v.meta_admin_level AS admin_level, v.meta_plan_type AS plan_type
    ORDER BY title""")
COVERED_TYPES = cypher("ui_covered_types", """
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)-[:COVERS]->(t:IncidentType)
    RETURN v.version_id AS version_id, t.code AS code, t.name AS name, t.category AS category""")
PLAN_RULES = cypher("ui_plan_rules", """
    MATCH (v:DocVersion {version_id: $version_id})-[:HAS_RULE]->(r:GradingRule)
    RETURN r.grade AS grade, r.describe AS rule, r.text AS text, r.seq AS seq
    ORDER BY seq""", ("version_id",))
PLAN_LEVELS = cypher("ui_plan_levels", """
    MATCH (v:DocVersion {version_id: $version_id})-[:HAS_LEVEL]->(l:ResponseLevel)
    RETURN l.level AS level, l.grade AS grade, l.who_starts AS who_starts, l.conditions AS conditions,
           l.seq AS seq
    ORDER BY seq""", ("version_id",))
PLAN_DUTIES = cypher("ui_plan_duties", """
    MATCH (v:DocVersion {version_id: $version_id})-[:ASSIGNS]->(f:Duty)-[:TO_ORG]->(o:Organisation)
    RETURN o.name AS org, f.action AS action, f.seq AS seq
    ORDER BY seq""", ("version_id",))
CASE_DOCS = cypher("ui_case_docs", """
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)
    WHERE v.kind = 'case'
    RETURN d.doc_id AS doc_id, v.title AS title, v.version_id AS version_id
    ORDER BY title""")
VERSION_TEXT = cypher("ui_version_text", """
    MATCH (v:DocVersion {version_id: $version_id})
    RETURN v.text AS text, v.title AS title""", ("version_id",))
CASE_NODES = cypher("ui_case_nodes", """
    MATCH (c:Case {version_id: $version_id})
    RETURN c.title AS title, c.grade AS grade, c.activated_plan AS activated_plan, c.activations AS activations,
           c.lessons AS lessons, c.type_name AS type_name, c.lon AS lon, c.lat AS lat""", ("version_id",))


def documents(backend) -> list[dict]:
    """Every document's current version with its metadata and how many versions it has."""
    return backend.read(DOCUMENTS)


def versions(backend, doc_id: str) -> list[dict]:
    return backend.read(VERSIONS, {"doc_id": doc_id})


def outline(backend, version_id: str) -> list[dict]:
    return backend.read(OUTLINE, {"version_id": version_id})


def section_clauses(backend, version_id: str, path: str) -> list[dict]:
    return backend.read(SECTION_CLAUSES, {"version_id": version_id, "path": path})


def version_by_title(backend, title: str) -> dict | None:
    rows = backend.read(VERSION_BY_TITLE, {"title": title})
    return rows[0] if rows else None


def clause_span(backend, version_id: str, text: str) -> dict | None:
    rows = backend.read(CLAUSE_BY_TEXT, {"version_id": version_id, "text": text})
    return rows[0] if rows else None


def plans(backend) -> list[dict]:
    return backend.read(PLANS)


def covered_types(backend) -> list[dict]:
    return backend.read(COVERED_TYPES)


def plan_facts(backend, version_id: str) -> dict:
    params = {"version_id": version_id}
    return {"rules": backend.read(PLAN_RULES, params), "levels": backend.read(PLAN_LEVELS, params),
            "duties": backend.read(PLAN_DUTIES, params)}


def case_docs(backend) -> list[dict]:
    return backend.read(CASE_DOCS)


def version_text(backend, version_id: str) -> str:
    rows = backend.read(VERSION_TEXT, {"version_id": version_id})
    return (rows[0]["text"] or "") if rows else ""


def case_nodes(backend, version_id: str) -> list[dict]:
    """The case's structured record (Case node) when ingest wrote one."""
    return backend.read(CASE_NODES, {"version_id": version_id})
