"""Write documents to the graph as versions: Document -CURRENT-> DocVersion -> Section -> Clause.

A new version is written beside the old one, marked incomplete; only when every node is in place
does one statement move the CURRENT pointer. Readers follow CURRENT, so they never see half a
document, and a killed ingest leaves an incomplete version that the next ingest removes.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

from kg.cypher import cypher, version_deleter
from nlp.records import DocumentRecord

BATCH = 200

CURRENT_VERSION = cypher("doc_current_version", """
    MATCH (d:Document {doc_id: $doc_id})-[:CURRENT]->(v:DocVersion)
    RETURN v.version_id AS version_id, v.sha256 AS sha256, v.title AS title, v.kind AS kind""", ("doc_id",))
VERSION_STATE = cypher("version_state", """
    MATCH (v:DocVersion {version_id: $version_id}) RETURN v.complete AS complete""", ("version_id",))
INCOMPLETE_VERSIONS = cypher("incomplete_versions", """
    MATCH (v:DocVersion) WHERE v.complete = false RETURN v.version_id AS version_id""")
MERGE_DOCUMENT = cypher("merge_document", "MERGE (d:Document {doc_id: $doc_id})", ("doc_id",))
CREATE_VERSION = cypher("create_version", """
    MATCH (d:Document {doc_id: $doc_id})
    CREATE (d)-[:HAS_VERSION]->(v:DocVersion {version_id: $version_id, doc_id: $doc_id, sha256: $sha256,
        title: $title, kind: $kind, path: $path, suffix: $suffix, text: $text, chars: $chars,
        ingested_at: $ingested_at, complete: false})""",
    ("doc_id", "version_id", "sha256", "title", "kind", "path", "suffix", "text", "chars", "ingested_at"))
CREATE_SECTIONS = cypher("create_sections", """
    UNWIND $rows AS r
    CREATE (:Section {section_id: r.section_id, version_id: $version_id, doc_id: $doc_id, number: r.number,
        heading: r.heading, level: r.level, path: r.path, start: r.start, end: r.end, seq: r.seq})""",
    ("rows", "version_id", "doc_id"))
LINK_TOP_SECTIONS = cypher("link_top_sections", """
    UNWIND $ids AS sid
    MATCH (v:DocVersion {version_id: $version_id})
    MATCH (s:Section {section_id: sid})
    CREATE (v)-[:HAS_SECTION]->(s)""", ("ids", "version_id"))
LINK_SUBSECTIONS = cypher("link_subsections", """
    UNWIND $rows AS r
    MATCH (p:Section {section_id: r.parent})
    MATCH (c:Section {section_id: r.child})
    CREATE (p)-[:SUBSECTION]->(c)""", ("rows",))
CREATE_CLAUSES = cypher("create_clauses", """
    UNWIND $rows AS r
    MATCH (s:Section {section_id: r.section_id})
    CREATE (s)-[:HAS_CLAUSE]->(:Clause {clause_id: r.clause_id, version_id: $version_id, doc_id: $doc_id,
        text: r.text, start: r.start, end: r.end, seq: r.seq, section_path: r.section_path})""",
    ("rows", "version_id", "doc_id"))
CREATE_LOOSE_CLAUSES = cypher("create_loose_clauses", """
    UNWIND $rows AS r
    MATCH (v:DocVersion {version_id: $version_id})
    CREATE (v)-[:HAS_CLAUSE]->(:Clause {clause_id: r.clause_id, version_id: $version_id, doc_id: $doc_id,
        text: r.text, start: r.start, end: r.end, seq: r.seq, section_path: r.section_path})""",
    ("rows", "version_id", "doc_id"))
SWITCH_CURRENT = cypher("switch_current", """
    MATCH (d:Document {doc_id: $doc_id})
    MATCH (v:DocVersion {version_id: $version_id})
    OPTIONAL MATCH (d)-[old:CURRENT]->(:DocVersion)
    DELETE old
    SET v.complete = true, d.title = v.title, d.kind = v.kind, d.path = v.path, d.suffix = v.suffix,
        d.sha256 = v.sha256, d.current_version = v.version_id
    CREATE (d)-[:CURRENT]->(v)""", ("doc_id", "version_id"))
DELETE_VERSION_CLAUSES = version_deleter("delete_version_clauses", "Clause")
DELETE_VERSION_SECTIONS = version_deleter("delete_version_sections", "Section")
DELETE_VERSION_NODE = version_deleter("delete_version_node", "DocVersion")


def _chunks(rows: list[dict], size: int = BATCH) -> Iterable[list[dict]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def version_id(rec: DocumentRecord) -> str:
    return f"{rec.doc_id}@{rec.sha256[:16]}"


def delete_version_statements(vid: str, fact_deleters=()) -> list:
    """Statements that remove one version and everything hanging off it."""
    params = {"version_id": vid}
    return [(q, params) for q in (*fact_deleters, DELETE_VERSION_CLAUSES, DELETE_VERSION_SECTIONS,
                                  DELETE_VERSION_NODE)]


def version_statements(rec: DocumentRecord, now: str | None = None) -> list:
    """Everything needed to write a new, still incomplete version of a document."""
    vid = version_id(rec)
    base = {"version_id": vid, "doc_id": rec.doc_id}
    sid = lambda seq: f"{vid}#s{seq}"  # noqa: E731
    out: list = [(MERGE_DOCUMENT, {"doc_id": rec.doc_id}),
                 (CREATE_VERSION, {**base, "sha256": rec.sha256, "title": rec.title, "kind": rec.kind,
                                   "path": rec.path, "suffix": rec.suffix, "text": rec.text,
                                   "chars": len(rec.text),
                                   "ingested_at": now or _dt.datetime.now(_dt.timezone.utc).isoformat()})]
    sections = [{"section_id": sid(s.seq), "number": s.number, "heading": s.heading, "level": s.level,
                 "path": s.path, "start": s.start, "end": s.end, "seq": s.seq} for s in rec.sections]
    for rows in _chunks(sections):
        out.append((CREATE_SECTIONS, {**base, "rows": rows}))
    top = [sid(s.seq) for s in rec.sections if s.parent_seq is None]
    for i in range(0, len(top), BATCH):
        out.append((LINK_TOP_SECTIONS, {"version_id": vid, "ids": top[i:i + BATCH]}))
    links = [{"parent": sid(s.parent_seq), "child": sid(s.seq)} for s in rec.sections if s.parent_seq is not None]
    for rows in _chunks(links):
        out.append((LINK_SUBSECTIONS, {"rows": rows}))
    clause_rows = [{"clause_id": f"{vid}#c{c.seq}", "section_id": sid(c.section_seq) if c.section_seq is not None
                    else None, "text": c.text, "start": c.start, "end": c.end, "seq": c.seq,
                    "section_path": c.section_path} for c in rec.clauses]
    for rows in _chunks([r for r in clause_rows if r["section_id"]]):
        out.append((CREATE_CLAUSES, {**base, "rows": rows}))
    for rows in _chunks([r for r in clause_rows if not r["section_id"]]):
        out.append((CREATE_LOOSE_CLAUSES, {**base, "rows": rows}))
    return out


def switch_statement(rec: DocumentRecord):
    return (SWITCH_CURRENT, {"doc_id": rec.doc_id, "version_id": version_id(rec)})
