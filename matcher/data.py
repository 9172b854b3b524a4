"""What the matcher needs from the graph, read once into plain objects (`World`).

Everything is read through the CURRENT version of each document, so old versions never leak into
an answer. `World.key` changes whenever any current version changes, so caches can be keyed on it.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from kg.cypher import cypher

VERSIONS = cypher("match_versions", """
    MATCH (d:Document)-[:CURRENT]->(v:DocVersion)
    RETURN d.doc_id AS doc_id, v.version_id AS version_id, v.kind AS kind, v.title AS title,
           properties(v) AS props
    ORDER BY doc_id""")
SECTIONS = cypher("match_sections", """
    MATCH (:Document)-[:CURRENT]->(v:DocVersion)
    WHERE v.kind IN $kinds
    MATCH (s:Section {version_id: v.version_id})
    RETURN s.version_id AS version_id, s.path AS path, s.number AS number, s.heading AS heading,
           s.level AS level, s.start AS start, s.end AS end""", ("kinds",))
CLAUSES = cypher("match_clauses", """
    MATCH (:Document)-[:CURRENT]->(v:DocVersion)
    WHERE v.kind IN $kinds
    MATCH (c:Clause {version_id: v.version_id})
    RETURN c.clause_id AS clause_id, c.version_id AS version_id, c.text AS text, c.seq AS seq,
           c.start AS start, c.end AS end, c.section_path AS section_path
    ORDER BY version_id, seq""", ("kinds",))
COVERED = cypher("match_covered_types", """
    MATCH (:Document)-[:CURRENT]->(v:DocVersion)-[:COVERS]->(t:IncidentType)
    RETURN v.version_id AS version_id, t.code AS code""")


def _facts_query(name: str, rel: str, label: str):
    return cypher(f"match_{name}", f"""
    MATCH (:Document)-[:CURRENT]->(v:DocVersion)-[:{rel}]->(f:{label})
    OPTIONAL MATCH (f)-[:STATED_IN]->(c:Clause)
    RETURN v.version_id AS version_id, properties(f) AS props, c.clause_id AS clause_id""")


RULES = _facts_query("rules", "HAS_RULE", "GradingRule")
LEVELS = _facts_query("levels", "HAS_LEVEL", "ResponseLevel")
DUTIES = _facts_query("duties", "ASSIGNS", "Duty")
LIMITS = _facts_query("limits", "HAS_LIMIT", "ReportLimit")
REGISTRY = cypher("match_registry", """
    MATCH (:Document)-[:CURRENT]->(:DocVersion)-[:LISTS]->(n)
    RETURN labels(n) AS labels, properties(n) AS props""")
PLACES = cypher("match_places", "MATCH (p:Place) RETURN properties(p) AS props")
CASES = cypher("match_cases", """
    MATCH (:Document)-[:CURRENT]->(v:DocVersion)-[:DESCRIBES]->(k:Case)
    RETURN v.version_id AS version_id, properties(k) AS props""")


@dataclass
class Clause:
    clause_id: str
    version_id: str
    text: str
    seq: int
    start: int
    end: int
    section_path: str       # numbers, e.g. "五 > （二）"
    section: str = ""       # numbers with headings, e.g. "五、应急响应 > （二）分级响应"
    headings: str = ""      # headings only, for retrieval features


@dataclass
class Doc:
    doc_id: str
    version_id: str
    kind: str
    title: str
    meta: dict
    text: str = ""
    types: list[str] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    rules: list[dict] = field(default_factory=list)
    levels: list[dict] = field(default_factory=list)
    duties: list[dict] = field(default_factory=list)
    limits: list[dict] = field(default_factory=list)
    case: dict = field(default_factory=dict)

    @property
    def admin_level(self) -> str | None:
        return self.meta.get("admin_level")

    @property
    def jurisdiction(self) -> str | None:
        return self.meta.get("jurisdiction")

    @property
    def plan_type(self) -> str | None:
        return self.meta.get("plan_type")


@dataclass
class World:
    key: str
    docs: dict[str, Doc]                       # by version_id
    registry: dict[str, list[dict]]            # label -> rows
    places: list[dict]
    clause_by_id: dict[str, Clause]

    def of_kind(self, kind: str) -> list[Doc]:
        return [d for d in self.docs.values() if d.kind == kind]

    @property
    def plans(self) -> list[Doc]:
        return self.of_kind("plan")

    @property
    def cases(self) -> list[Doc]:
        return self.of_kind("case")


def _section_labels(rows: list[dict]) -> dict[tuple[str, str], tuple[str, str]]:
    """(version_id, path) -> ("五、应急响应 > （二）分级响应", "应急响应 分级响应")."""
    by_path = {(r["version_id"], r["path"]): r for r in rows}
    out = {}
    for (vid, path), r in by_path.items():
        parts, heads = [], []
        numbers = path.split(" > ")
        for i in range(len(numbers)):
            s = by_path.get((vid, " > ".join(numbers[:i + 1])))
            if s is None:
                continue
            num = s["number"] or ""
            sep = "" if not num or num.endswith(("、", "）", ")", "．")) else " "
            parts.append(f"{num}{sep}{s['heading']}".strip())
            heads.append(s["heading"] or "")
        out[(vid, path)] = (" > ".join(parts), " ".join(heads))
    return out


def load_world(backend) -> World:
    versions = backend.read(VERSIONS)
    docs: dict[str, Doc] = {}
    for r in versions:
        props = dict(r["props"] or {})
        text = props.pop("text", "") or ""
        meta = {k[5:]: v for k, v in props.items() if k.startswith("meta_")}
        docs[r["version_id"]] = Doc(r["doc_id"], r["version_id"], r["kind"], r["title"], meta, text)
    kinds = ["plan", "case", "regulation"]
    labels = _section_labels(backend.read(SECTIONS, {"kinds": kinds}))
    clause_by_id: dict[str, Clause] = {}
    for r in backend.read(CLAUSES, {"kinds": kinds}):
        doc = docs.get(r["version_id"])
        if doc is None:
            continue
        sec, heads = labels.get((r["version_id"], r["section_path"]), ("", ""))
        c = Clause(r["clause_id"], r["version_id"], r["text"], r["seq"], r["start"], r["end"],
                   r["section_path"] or "", sec, heads)
        doc.clauses.append(c)
        clause_by_id[c.clause_id] = c
    for r in backend.read(COVERED):
        if r["version_id"] in docs:
            docs[r["version_id"]].types.append(r["code"])
    for statement, attr in ((RULES, "rules"), (LEVELS, "levels"), (DUTIES, "duties"), (LIMITS, "limits")):
        grouped = defaultdict(list)
        for r in backend.read(statement):
            grouped[r["version_id"]].append({**r["props"], "clause_id": r["clause_id"]})
        for vid, rows in grouped.items():
            if vid in docs:
                setattr(docs[vid], attr, sorted(rows, key=lambda x: x.get("seq", 0)))
    for r in backend.read(CASES):
        if r["version_id"] in docs:
            docs[r["version_id"]].case = r["props"]
    registry: dict[str, list[dict]] = defaultdict(list)
    for r in backend.read(REGISTRY):
        for label in r["labels"]:
            registry[label].append(r["props"])
    places = [r["props"] for r in backend.read(PLACES)]
    key = hashlib.sha256(json.dumps(sorted(docs), ensure_ascii=False).encode()).hexdigest()[:16]
    return World(key, docs, dict(registry), places, clause_by_id)
