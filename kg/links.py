"""Links between documents that only exist once both ends are in the store: a case's activated
plan, a plan sitting under another, a cited plan, a registry team or depot a plan names. They are
derived, so each ingest drops and rebuilds them from the current versions."""
from __future__ import annotations

from kg.cypher import cypher

DROP = cypher("links_drop", """
    MATCH ()-[r]->() WHERE type(r) IN ['ACTIVATED', 'SITS_UNDER', 'CITES_PLAN', 'NAMES', 'SUPERSEDES']
    DELETE r""")
CURRENT_TITLES = cypher("links_titles", """
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)
    RETURN d.doc_id AS doc_id, v.version_id AS version_id, v.title AS title, v.kind AS kind,
           v.meta_sits_under AS sits_under, v.meta_supersedes AS supersedes""")
CASE_PLANS = cypher("links_case_plans", """
    MATCH (:Document)-[:CURRENT]->(:DocVersion)-[:DESCRIBES]->(k:Case)
    RETURN k.case_id AS case_id, k.activated_plan AS plan, k.activations AS activations""")
PLAN_REFS = cypher("links_plan_refs", """
    MATCH (:Document)-[:CURRENT]->(v:DocVersion)-[:REFERS_TO]->(r:PlanRef)
    RETURN v.version_id AS version_id, r.title AS title""")
PLAN_CLAUSES = cypher("links_plan_clauses", """
    MATCH (:Document)-[:CURRENT]->(v:DocVersion {kind: 'plan'})
    MATCH (c:Clause {version_id: v.version_id})
    RETURN c.clause_id AS clause_id, c.text AS text""")
REGISTRY_NAMES = cypher("links_registry_names", """
    MATCH (:Document)-[:CURRENT]->(:DocVersion)-[:LISTS]->(n)
    WHERE n:Team OR n:Expert OR n:Shelter
    RETURN labels(n)[0] AS label, coalesce(n.team_id, n.expert_id, n.shelter_id) AS node_id, n.name AS name""")
DEPOT_NAMES = cypher("links_depot_names", """
    MATCH (:Document)-[:CURRENT]->(:DocVersion)-[:LISTS]->(:Supply)-[:STORED_AT]->(d:Depot)
    RETURN DISTINCT d.depot_id AS node_id, d.name AS name""")
LINK_ACTIVATED = cypher("links_activated", """
    UNWIND $rows AS r
    MATCH (k:Case {case_id: r.case_id})
    MATCH (d:Document {doc_id: r.doc_id})
    MERGE (k)-[:ACTIVATED {level: r.level}]->(d)""", ("rows",))
LINK_UNDER = cypher("links_sits_under", """
    UNWIND $rows AS r
    MATCH (v:DocVersion {version_id: r.version_id})
    MATCH (d:Document {doc_id: r.doc_id})
    MERGE (v)-[:SITS_UNDER]->(d)""", ("rows",))
LINK_SUPERSEDES = cypher("links_supersedes", """
    UNWIND $rows AS r
    MATCH (v:DocVersion {version_id: r.version_id})
    MATCH (d:Document {doc_id: r.doc_id})
    MERGE (v)-[:SUPERSEDES]->(d)""", ("rows",))
LINK_CITES = cypher("links_cites_plan", """
    UNWIND $rows AS r
    MATCH (v:DocVersion {version_id: r.version_id})
    MATCH (d:Document {doc_id: r.doc_id})
    MERGE (v)-[:CITES_PLAN]->(d)""", ("rows",))
LINK_NAMES = {label: cypher(f"links_names_{label.lower()}", f"""
    UNWIND $rows AS r
    MATCH (c:Clause {{clause_id: r.clause_id}})
    MATCH (n:{label} {{{key}: r.node_id}})
    MERGE (c)-[:NAMES]->(n)""", ("rows",))
    for label, key in (("Team", "team_id"), ("Expert", "expert_id"), ("Shelter", "shelter_id"), ("Depot", "depot_id"))}


def _norm(title: str | None) -> str:
    return (title or "").strip("《》 ").replace("（", "(").replace("）", ")")


def _batches(statement, rows: list[dict], size: int = 500) -> list:
    return [(statement, {"rows": rows[i:i + size]}) for i in range(0, len(rows), size)]


def relink(backend) -> dict[str, int]:
    """Drop and rebuild the derived links; returns how many of each were written."""
    docs = backend.read(CURRENT_TITLES)
    by_title = {_norm(d["title"]): d["doc_id"] for d in docs}
    rows: dict[str, list[dict]] = {"activated": [], "under": [], "supersedes": [], "cites": []}
    for k in backend.read(CASE_PLANS):
        pairs = [(a.split("|")[0], a.split("|")[1] if "|" in a else "") for a in (k["activations"] or [])]
        pairs = pairs or [(k["plan"], "")]
        for plan, level in pairs:
            doc_id = by_title.get(_norm(plan))
            if doc_id:
                rows["activated"].append({"case_id": k["case_id"], "doc_id": doc_id, "level": level})
    for d in docs:
        for key, field in (("under", "sits_under"), ("supersedes", "supersedes")):
            for title in d[field] or []:
                doc_id = by_title.get(_norm(title))
                if doc_id and doc_id != d["doc_id"]:
                    rows[key].append({"version_id": d["version_id"], "doc_id": doc_id})
    for r in backend.read(PLAN_REFS):
        doc_id = by_title.get(_norm(r["title"]))
        if doc_id:
            rows["cites"].append({"version_id": r["version_id"], "doc_id": doc_id})
    names = [(r["label"], r["node_id"], r["name"]) for r in backend.read(REGISTRY_NAMES) if r["name"]]
    names += [("Depot", r["node_id"], r["name"]) for r in backend.read(DEPOT_NAMES) if r["name"]]
    named: dict[str, list[dict]] = {}
    for c in backend.read(PLAN_CLAUSES):
        for label, node_id, name in names:
            if len(name) >= 4 and name in (c["text"] or ""):
                named.setdefault(label, []).append({"clause_id": c["clause_id"], "node_id": node_id})
    statements = [(DROP, {})]
    statements += _batches(LINK_ACTIVATED, rows["activated"]) + _batches(LINK_UNDER, rows["under"])
    statements += _batches(LINK_SUPERSEDES, rows["supersedes"]) + _batches(LINK_CITES, rows["cites"])
    for label, lst in named.items():
        statements += _batches(LINK_NAMES[label], lst)
    backend.write(statements)
    counts = {k: len(v) for k, v in rows.items()}
    counts["names"] = sum(len(v) for v in named.values())
    return counts
