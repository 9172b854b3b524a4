"""Read-only Cypher for the checker; every statement goes through CURRENT and takes parameters."""
from __future__ import annotations

from kg.cypher import cypher

_CURRENT = "MATCH (d:Document)-[:CURRENT]->(v:DocVersion) WHERE v.kind = $kind"

DOCS = cypher("check_docs", _CURRENT + " RETURN d.doc_id AS doc_id, v AS v", ("kind",))
SECTIONS = cypher("check_sections", _CURRENT + """
    MATCH (s:Section {version_id: v.version_id})
    OPTIONAL MATCH (p:Section)-[:SUBSECTION]->(s)
    RETURN v.version_id AS version_id, s.section_id AS id, s.number AS number, s.heading AS heading,
           s.level AS level, s.start AS start, s.end AS end, s.seq AS seq, p.section_id AS parent""", ("kind",))
CLAUSES = cypher("check_clauses", _CURRENT + """
    MATCH (c:Clause {version_id: v.version_id})
    OPTIONAL MATCH (s:Section)-[:HAS_CLAUSE]->(c)
    RETURN v.version_id AS version_id, c.clause_id AS id, c.text AS text, c.start AS start, c.end AS end,
           c.seq AS seq, c.section_path AS section_path, s.section_id AS section_id""", ("kind",))


def _facts(name: str, rel: str, label: str):
    return cypher(f"check_{name}", _CURRENT + f"""
    MATCH (v)-[:{rel}]->(f:{label})
    OPTIONAL MATCH (f)-[:STATED_IN]->(c:Clause)
    RETURN v.version_id AS version_id, f AS f, c.clause_id AS clause_id""", ("kind",))


RULES = _facts("rules", "HAS_RULE", "GradingRule")
LIMITS = _facts("limits", "HAS_LIMIT", "ReportLimit")
LAW_REFS = _facts("law_refs", "CITES", "LawRef")
PLAN_REFS = _facts("plan_refs", "REFERS_TO", "PlanRef")
ANNEX_REFS = _facts("annex_refs", "REFERS_TO", "AnnexRef")
DUTIES = cypher("check_duties", _CURRENT + """
    MATCH (v)-[:ASSIGNS]->(f:Duty)
    OPTIONAL MATCH (f)-[:TO_ORG]->(o:Organisation)
    OPTIONAL MATCH (f)-[:STATED_IN]->(c:Clause)
    RETURN v.version_id AS version_id, f AS f, o.name AS org, c.clause_id AS clause_id""", ("kind",))
MENTIONS = cypher("check_mentions", _CURRENT + """
    MATCH (c:Clause {version_id: v.version_id})-[m:MENTIONS]->(o:Organisation)
    RETURN v.version_id AS version_id, c.clause_id AS clause_id, m.text AS text, m.old_name AS old_name,
           m.start AS start, m.end AS end, o.name AS org""", ("kind",))
COVERS = cypher("check_covers", _CURRENT + """
    MATCH (v)-[:COVERS]->(t:IncidentType)
    RETURN v.version_id AS version_id, t.code AS code, t.name AS name""", ("kind",))

# registry rows listed by current registry versions
REGISTRY = {label: cypher(f"check_registry_{label.lower()}", f"""
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)-[:LISTS]->(n:{label})
    RETURN n.name AS name, n.org AS org""") for label in ("Team", "Shelter", "Expert", "Equipment")}
DEPOTS = cypher("check_registry_depots", """
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)-[:LISTS]->(s:Supply)
    OPTIONAL MATCH (s)-[:STORED_AT]->(p:Depot)
    RETURN DISTINCT s.depot AS depot, p.name AS name""")
PLACES = cypher("check_places", """
    MATCH (p:Place)
    RETURN p.name AS name, p.kind AS kind, p.aliases AS aliases, p.parent AS parent""")
