"""Registry rows (teams, supplies, equipment, experts, shelters, hazard sources) and gazetteer
places as graph nodes, listed by the registry document's version that holds them."""
from __future__ import annotations

import dataclasses

from kg.cypher import cypher, version_deleter
from nlp.records import DocumentRecord

LABELS = {"team": "Team", "supply": "Supply", "equipment": "Equipment", "expert": "Expert",
          "shelter": "Shelter", "hazard_source": "HazardSource"}
KEYS = {"Team": "team_id", "Supply": "supply_id", "Equipment": "equipment_id", "Expert": "expert_id",
        "Shelter": "shelter_id", "HazardSource": "hazard_id"}

CREATE_ROWS = {kind: cypher(f"create_{kind}_rows", f"""
    UNWIND $rows AS r
    MATCH (v:DocVersion {{version_id: $version_id}})
    CREATE (v)-[:LISTS]->(n:{label} {{{KEYS[label]}: r.node_id, record_id: r.record_id, version_id: $version_id}})
    SET n += r.props""", ("rows", "version_id")) for kind, label in LABELS.items()}
DELETE_ROWS = [version_deleter(f"delete_{label.lower()}_rows", label) for label in LABELS.values()]
LINK_COUNTY = {kind: cypher(f"link_{kind}_county", f"""
    UNWIND $rows AS r
    MATCH (n:{label} {{{KEYS[label]}: r.node_id}})
    MERGE (p:Place {{place_id: r.county}})
    ON CREATE SET p.name = r.county
    CREATE (n)-[:LOCATED_IN]->(p)""", ("rows",)) for kind, label in LABELS.items()}
LINK_DEPOT = cypher("link_supply_depot", """
    UNWIND $rows AS r
    MATCH (s:Supply {supply_id: r.node_id})
    MERGE (d:Depot {depot_id: r.depot_id})
    ON CREATE SET d.name = r.depot, d.lon = r.lon, d.lat = r.lat, d.county = r.county, d.version_id = $version_id
    CREATE (s)-[:STORED_AT]->(d)""", ("rows", "version_id"))
DELETE_DEPOTS = version_deleter("delete_version_depots", "Depot")
MERGE_PLACES = cypher("merge_places", """
    UNWIND $rows AS r
    MERGE (p:Place {place_id: r.name})
    SET p.name = r.name, p.kind = r.kind, p.aliases = r.aliases, p.lon = r.lon, p.lat = r.lat,
        p.parent = r.parent, p.version_id = $version_id""", ("rows", "version_id"))
LINK_PLACES = cypher("link_places", """
    UNWIND $rows AS r
    MATCH (c:Place {place_id: r.name})
    MATCH (p:Place {place_id: r.parent})
    MERGE (c)-[:PART_OF]->(p)""", ("rows",))

FACT_DELETERS = (*DELETE_ROWS, DELETE_DEPOTS)


def _props(record) -> dict:
    return {k: v for k, v in dataclasses.asdict(record).items() if v is not None and v != []}


def registry_statements(rec: DocumentRecord, version_id: str) -> list:
    """Statements that write the rows of a registry or gazetteer record (empty for other documents)."""
    reg = rec.meta.get("registry")
    if reg is not None:
        return _registry(reg, version_id)
    places = rec.meta.get("places")
    if places:
        rows = [{**p, "aliases": p.get("aliases") or []} for p in places]
        return [(MERGE_PLACES, {"rows": rows, "version_id": version_id}),
                (LINK_PLACES, {"rows": [p for p in rows if p.get("parent")]})]
    return []


def _registry(reg, version_id: str) -> list:
    rows = []
    for record, rid, row in zip(reg.records, reg.ids, reg.rows):
        props = _props(record)
        props["row"] = row
        rows.append({"node_id": f"{version_id}#{rid}", "record_id": rid, "props": props,
                     "county": record.county if hasattr(record, "county") else None, "record": record})
    out: list = []
    for i in range(0, len(rows), 200):
        chunk = rows[i:i + 200]
        out.append((CREATE_ROWS[reg.kind], {"version_id": version_id,
                                            "rows": [{k: r[k] for k in ("node_id", "record_id", "props")} for r in chunk]}))
        counties = [{"node_id": r["node_id"], "county": r["county"]} for r in chunk if r["county"]]
        if counties:
            out.append((LINK_COUNTY[reg.kind], {"rows": counties}))
        if reg.kind == "supply":
            depots = [{"node_id": r["node_id"], "depot": r["record"].depot, "depot_id": f"{version_id}#{r['record'].depot}",
                       "lon": r["record"].lon, "lat": r["record"].lat, "county": r["record"].county}
                      for r in chunk if r["record"].depot]
            out.append((LINK_DEPOT, {"rows": depots, "version_id": version_id}))
    return out
