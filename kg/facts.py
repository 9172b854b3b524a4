"""Facts extracted from a plan (grading rules, response levels, duties, reporting limits,
references, organisation mentions, covered incident types) as graph nodes hanging off its version.

Every fact node carries `version_id` and `doc_id`, its character span, and a STATED_IN link to
the clause it was read from, so a finding or an answer can always quote its source.
"""
from __future__ import annotations

import bisect
import json

from kg.cypher import cypher, version_deleter
from nlp.records import DocumentRecord



def _create(name: str, label: str, key: str, rel: str):
    return cypher(f"create_{name}", f"""
    UNWIND $rows AS r
    MATCH (v:DocVersion {{version_id: $version_id}})
    CREATE (v)-[:{rel}]->(f:{label} {{{key}: r.id, version_id: $version_id, doc_id: $doc_id}})
    SET f += r.props""", ("rows", "version_id", "doc_id"))


def _link(name: str, label: str, key: str):
    return cypher(f"link_{name}_clauses", f"""
    UNWIND $rows AS r
    MATCH (f:{label} {{{key}: r.id}})
    MATCH (c:Clause {{clause_id: r.clause_id}})
    CREATE (f)-[:STATED_IN]->(c)""", ("rows",))


CREATE_RULES = _create("grading_rules", "GradingRule", "rule_id", "HAS_RULE")
CREATE_LEVELS = _create("response_levels", "ResponseLevel", "level_id", "HAS_LEVEL")
CREATE_LIMITS = _create("report_limits", "ReportLimit", "limit_id", "HAS_LIMIT")
CREATE_LAW_REFS = _create("law_refs", "LawRef", "ref_id", "CITES")
CREATE_PLAN_REFS = _create("plan_refs", "PlanRef", "ref_id", "REFERS_TO")
CREATE_ANNEX_REFS = _create("annex_refs", "AnnexRef", "ref_id", "REFERS_TO")
CREATE_DUTIES = cypher("create_duties", """
    UNWIND $rows AS r
    MATCH (v:DocVersion {version_id: $version_id})
    MERGE (o:Organisation {name: r.org})
    CREATE (v)-[:ASSIGNS]->(f:Duty {duty_id: r.id, version_id: $version_id, doc_id: $doc_id})
    SET f += r.props
    CREATE (f)-[:TO_ORG]->(o)""", ("rows", "version_id", "doc_id"))
LINKS = {label: _link(label.lower(), label, key) for label, key in (
    ("GradingRule", "rule_id"), ("ResponseLevel", "level_id"), ("Duty", "duty_id"), ("ReportLimit", "limit_id"),
    ("LawRef", "ref_id"), ("PlanRef", "ref_id"), ("AnnexRef", "ref_id"))}
CREATE_MENTIONS = cypher("create_org_mentions", """
    UNWIND $rows AS r
    MATCH (c:Clause {clause_id: r.clause_id})
    MERGE (o:Organisation {name: r.org})
    CREATE (c)-[:MENTIONS {text: r.text, old_name: r.old_name, start: r.start, end: r.end,
                           version_id: $version_id}]->(o)""", ("rows", "version_id"))
LINK_TYPES = cypher("link_covered_types", """
    UNWIND $rows AS r
    MATCH (v:DocVersion {version_id: $version_id})
    MERGE (t:IncidentType {code: r.code})
    ON CREATE SET t.name = r.name, t.category = r.category
    CREATE (v)-[:COVERS]->(t)""", ("rows", "version_id"))
CREATE_CASE = cypher("create_case", """
    MATCH (v:DocVersion {version_id: $version_id})
    CREATE (v)-[:DESCRIBES]->(k:Case {case_id: $case_id, version_id: $version_id, doc_id: $doc_id})
    SET k += $props""", ("version_id", "case_id", "doc_id", "props"))
LINK_CASE_TYPE = cypher("link_case_type", """
    MATCH (k:Case {case_id: $case_id})
    MERGE (t:IncidentType {code: $code})
    ON CREATE SET t.name = $name
    CREATE (k)-[:OF_TYPE]->(t)""", ("case_id", "code", "name"))
LINK_CASE_PLACE = cypher("link_case_place", """
    MATCH (k:Case {case_id: $case_id})
    MERGE (p:Place {place_id: $place})
    ON CREATE SET p.name = $place
    CREATE (k)-[:LOCATED_IN]->(p)""", ("case_id", "place"))
SET_META = cypher("set_version_meta", """
    MATCH (v:DocVersion {version_id: $version_id})
    SET v += $props""", ("version_id", "props"))

FACT_DELETERS = tuple(version_deleter(f"delete_version_{label.lower()}", label)
                      for label in ("GradingRule", "ResponseLevel", "ReportLimit", "LawRef", "PlanRef",
                                    "AnnexRef", "Duty", "Case"))


class _ClauseFinder:
    """Clause id for a fact: its own clause index, or the clause whose span holds the fact's start."""

    def __init__(self, rec: DocumentRecord, version_id: str):
        self.vid = version_id
        self.count = len(rec.clauses)
        self.starts = [c.start for c in rec.clauses]
        self.clauses = rec.clauses

    def __call__(self, clause_index: int, span) -> str | None:
        if 0 <= clause_index < self.count:
            return f"{self.vid}#c{clause_index}"
        if span:
            i = bisect.bisect_right(self.starts, span[0]) - 1
            if i >= 0 and self.clauses[i].end >= span[1]:
                return f"{self.vid}#c{i}"
        return None


def _clean(props: dict) -> dict:
    return {k: v for k, v in props.items() if v is not None and v != []}


def _rule_rows(facts, find) -> list[dict]:
    rows = []
    for i, r in enumerate(facts.grading_rules):
        conds = [c.__dict__ if hasattr(c, "__dict__") else c for c in r.conditions]
        rows.append({"id": i, "clause_id": find(r.clause_index, r.span), "props": _clean({
            "grade": r.grade, "metric": r.metric, "op": r.op, "value": r.value, "upper_op": r.upper_op,
            "upper": r.upper, "unit": r.unit, "subject": r.subject, "scope": r.scope, "text": r.text,
            "source": r.source, "start": r.span[0], "end": r.span[1], "seq": i,
            "describe": r.describe(),
            "conditions": json.dumps(conds, ensure_ascii=False) if conds else None})})
    return rows


def _level_rows(facts, find) -> list[dict]:
    rows = []
    for i, lv in enumerate(facts.response_levels):
        conds = lv.start_conditions
        first = conds[0] if conds else {}
        rows.append({"id": i, "clause_id": find(first.get("clause_index", -1), first.get("span")) if first else None,
                     "props": _clean({"level": lv.level, "grade": lv.grade, "grades": lv.grades,
                                      "conditions": [c["text"] for c in conds], "who_starts": lv.who_starts,
                                      "start": lv.span[0], "end": lv.span[1], "seq": i})})
    return rows


def _duty_rows(facts, find) -> list[dict]:
    return [{"id": i, "org": d.canonical, "clause_id": find(d.clause_index, d.span), "props": _clean({
        "org_text": d.org, "org": d.canonical, "action": d.action, "items": d.items,
        "start": d.span[0], "end": d.span[1], "seq": i})} for i, d in enumerate(facts.duties)]


def _limit_rows(facts, find) -> list[dict]:
    return [{"id": i, "clause_id": find(t.clause_index, t.span), "props": _clean({
        "reporter": t.reporter, "recipient": t.recipient, "minutes": t.minutes, "mode": t.mode, "text": t.text,
        "start": t.span[0], "end": t.span[1], "seq": i})} for i, t in enumerate(facts.time_limits)]


def _ref_rows(refs, find) -> list[dict]:
    return [{"id": i, "clause_id": find(r.clause_index, r.span), "props": _clean({
        "title": r.title, "kind": r.kind, "version": r.version, "year": r.year,
        "start": r.span[0], "end": r.span[1], "seq": i})} for i, r in enumerate(refs)]


def _annex_rows(refs, find) -> list[dict]:
    return [{"id": i, "clause_id": find(r.clause_index, r.span), "props": _clean({
        "label": r.label, "number": r.number, "exists": r.exists, "kind": "annex",
        "start": r.span[0], "end": r.span[1], "seq": i})} for i, r in enumerate(refs)]


def _ids(rows: list[dict], vid: str, tag: str) -> list[dict]:
    for r in rows:
        r["id"] = f"{vid}#{tag}{r['id']}"
    return rows


def _batched(statement, rows: list[dict], params: dict, size: int = 200) -> list:
    return [(statement, {**params, "rows": rows[i:i + size]}) for i in range(0, len(rows), size)]


def _nodes(statement, label: str, rows: list[dict], params: dict) -> list:
    """Create statements, then STATED_IN links for the rows that have a clause."""
    links = [{"id": r["id"], "clause_id": r["clause_id"]} for r in rows if r.get("clause_id")]
    return _batched(statement, rows, params) + _batched(LINKS[label], links, {})


def _primitive(v) -> bool:
    return isinstance(v, (str, int, float, bool)) or (isinstance(v, list) and all(isinstance(x, str) for x in v))


def case_statements(rec: DocumentRecord, version_id: str) -> list:
    case = rec.meta.get("case")
    if not case:
        return []
    cid = f"{version_id}#case"
    props = {k: v for k, v in case.items() if v not in (None, []) and _primitive(v)}
    if case.get("activations"):
        props["activations"] = [f"{a.get('plan') or ''}|{a.get('level') or ''}" for a in case["activations"]]
    out = [(CREATE_CASE, {"version_id": version_id, "case_id": cid, "doc_id": rec.doc_id, "props": props})]
    if case.get("type_code"):
        out.append((LINK_CASE_TYPE, {"case_id": cid, "code": case["type_code"], "name": case.get("type_name")}))
    place = case.get("county") or case.get("city")
    if place:
        out.append((LINK_CASE_PLACE, {"case_id": cid, "place": place}))
    return out


def fact_statements(rec: DocumentRecord, version_id: str) -> list:
    """Statements writing the facts held in `rec.meta` (nothing for documents without facts)."""
    out: list = []
    params = {"version_id": version_id, "doc_id": rec.doc_id}
    out += case_statements(rec, version_id)
    meta = rec.meta.get("plan_meta") or rec.meta.get("doc_meta")
    if meta:
        props = {f"meta_{k}": v for k, v in meta.items() if v not in (None, []) and _primitive(v)}
        if meta.get("supersedes"):
            props["meta_supersedes"] = [d.get("title") or "" for d in meta["supersedes"]]
        if props:
            out.append((SET_META, {"version_id": version_id, "props": props}))
    types = rec.meta.get("incident_types") or []
    if types:
        out.append((LINK_TYPES, {"version_id": version_id, "rows": types}))
    facts = rec.meta.get("facts")
    if facts is None:
        return out
    find = _ClauseFinder(rec, version_id)
    ids = lambda rows, tag: _ids(rows, version_id, tag)  # noqa: E731
    out += _nodes(CREATE_RULES, "GradingRule", ids(_rule_rows(facts, find), "r"), params)
    out += _nodes(CREATE_LEVELS, "ResponseLevel", ids(_level_rows(facts, find), "l"), params)
    out += _nodes(CREATE_DUTIES, "Duty", ids(_duty_rows(facts, find), "d"), params)
    out += _nodes(CREATE_LIMITS, "ReportLimit", ids(_limit_rows(facts, find), "t"), params)
    out += _nodes(CREATE_LAW_REFS, "LawRef", ids(_ref_rows(facts.legal_references, find), "law"), params)
    out += _nodes(CREATE_PLAN_REFS, "PlanRef", ids(_ref_rows(facts.plan_references, find), "plan"), params)
    out += _nodes(CREATE_ANNEX_REFS, "AnnexRef", ids(_annex_rows(facts.annex_references, find), "annex"), params)
    mentions = [{"clause_id": find(m.clause_index, m.span), "org": m.canonical, "text": m.text,
                 "old_name": m.old_name, "start": m.span[0], "end": m.span[1]} for m in facts.organisations]
    out += _batched(CREATE_MENTIONS, [m for m in mentions if m["clause_id"]], {"version_id": version_id})
    return out
