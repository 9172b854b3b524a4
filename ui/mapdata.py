"""Points for the incident map, read from the store: gazetteer places, teams, depots, shelters and
hazard sources (current registry versions only), and the incident and matched resources on top.

Everything is plain rows {"layer", "name", "lon", "lat", "detail", "county"}; `ui.mapview` draws them
with no basemap, so the map never asks the internet for tiles.
"""
from __future__ import annotations

import math

from kg.cypher import cypher

PLACES = cypher("ui_map_places", """
    MATCH (p:Place)
    WHERE p.lon IS NOT NULL AND p.lat IS NOT NULL
    RETURN p.name AS name, p.kind AS kind, p.parent AS parent, p.lon AS lon, p.lat AS lat""")
TEAMS = cypher("ui_map_teams", """
    MATCH (:Document)-[:CURRENT]->(:DocVersion)-[:LISTS]->(n:Team)
    WHERE n.lon IS NOT NULL
    RETURN n.name AS name, n.lon AS lon, n.lat AS lat, n.county AS county, n.specialities AS detail""")
SHELTERS = cypher("ui_map_shelters", """
    MATCH (:Document)-[:CURRENT]->(:DocVersion)-[:LISTS]->(n:Shelter)
    WHERE n.lon IS NOT NULL
    RETURN n.name AS name, n.lon AS lon, n.lat AS lat, n.county AS county, n.capacity AS detail""")
HAZARDS = cypher("ui_map_hazards", """
    MATCH (:Document)-[:CURRENT]->(:DocVersion)-[:LISTS]->(n:HazardSource)
    WHERE n.lon IS NOT NULL
    RETURN n.name AS name, n.lon AS lon, n.lat AS lat, n.county AS county,
           n.company AS company, n.level AS detail""")
DEPOTS = cypher("ui_map_depots", """
    MATCH (:Document)-[:CURRENT]->(:DocVersion)-[:LISTS]->(:Supply)-[:STORED_AT]->(n:Depot)
    WHERE n.lon IS NOT NULL
    RETURN DISTINCT n.name AS name, n.lon AS lon, n.lat AS lat, n.county AS county""")

LAYERS_ZH = {"incident": "事发地点", "team": "救援队伍", "depot": "物资储备库", "shelter": "避难场所",
             "hazard": "重大危险源", "place": "地名", "district": "区县"}
COUNTY_KINDS = {"区县", "县", "区", "县级市", "新区", "功能区", "园区"}
# places that sit inside a district's land (rivers, roads, sea areas and islands would stretch its outline)
OUTLINE_KINDS = {"乡镇街道", "乡镇", "街道", "镇", "乡", "园区", "港区", "水库", "山体", "重点目标", "水文站"}


def _fmt(detail) -> str:
    if isinstance(detail, list):
        return "、".join(str(x) for x in detail[:6])
    return "" if detail is None else str(detail)


def _rows(layer: str, rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        if r.get("lon") is None or r.get("lat") is None:
            continue
        detail = _fmt(r.get("detail"))
        if layer == "hazard" and r.get("company"):
            detail = f"{r['company']} {detail}".strip()
        if layer == "shelter" and detail:
            detail = f"容纳 {detail} 人"
        out.append({"layer": layer, "layer_zh": LAYERS_ZH[layer], "name": r["name"], "lon": float(r["lon"]),
                    "lat": float(r["lat"]), "detail": detail, "county": r.get("county") or ""})
    return out


def base_layers(backend) -> dict:
    """{"places": [...], "resources": [...]} from the store."""
    places = [{**p, "lon": float(p["lon"]), "lat": float(p["lat"])} for p in backend.read(PLACES)]
    resources = (_rows("team", backend.read(TEAMS)) + _rows("depot", backend.read(DEPOTS))
                 + _rows("shelter", backend.read(SHELTERS)) + _rows("hazard", backend.read(HAZARDS)))
    return {"places": places, "resources": resources}


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def incident_point(result: dict | None) -> dict | None:
    loc = ((result or {}).get("incident") or {}).get("location") or {}
    if loc.get("lon") is None or loc.get("lat") is None:
        return None
    name = loc.get("place") or loc.get("county") or loc.get("city") or "事发地点"
    return {"layer": "incident", "layer_zh": LAYERS_ZH["incident"], "name": name, "lon": float(loc["lon"]),
            "lat": float(loc["lat"]), "detail": (result.get("incident") or {}).get("type_name") or "", "county": ""}


def map_points(layers: dict, result: dict | None = None, radius_km: float | None = None) -> dict:
    """Points to draw: every resource (or those within `radius_km` of the incident), the incident,
    and which resources the match selected (`selected` = True), plus district labels and outlines."""
    incident = incident_point(result)
    chosen = {("team", t.get("name")): t for t in (result or {}).get("teams") or []}
    chosen.update({("depot", s.get("depot")): s for s in (result or {}).get("supplies") or []})
    points, seen = [], set()
    for r in layers.get("resources", []):
        key = (r["layer"], r["name"])
        if incident and radius_km is not None and key not in chosen and \
                distance_km(incident["lon"], incident["lat"], r["lon"], r["lat"]) > radius_km:
            continue
        seen.add(key)
        points.append({**r, "selected": key in chosen})
    for (layer, name), item in chosen.items():  # matched resources the registry layers lack
        if (layer, name) not in seen and name and item.get("lon") is not None and item.get("lat") is not None:
            points.append({"layer": layer, "layer_zh": LAYERS_ZH[layer], "name": name, "lon": float(item["lon"]),
                           "lat": float(item["lat"]), "detail": "", "county": "", "selected": True})
    links = []
    if incident:
        points.append({**incident, "selected": True})
        links = [{"lon": incident["lon"], "lat": incident["lat"], "lon2": p["lon"], "lat2": p["lat"],
                  "name": p["name"]} for p in points if p["selected"] and p["layer"] != "incident"]
    return {"points": points, "links": links, "districts": districts(layers.get("places", [])),
            "outlines": outlines(layers.get("places", []))}


def districts(places: list[dict]) -> list[dict]:
    return [{"name": p["name"], "lon": p["lon"], "lat": p["lat"]} for p in places if p.get("kind") in COUNTY_KINDS]


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (monotone chain), counter-clockwise, first point not repeated."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def outlines(places: list[dict]) -> list[dict]:
    """Each district's area approximated by the hull of its own and its places' gazetteer points."""
    by_name = {p["name"]: p for p in places}
    groups: dict[str, list[tuple[float, float]]] = {}
    for p in places:
        if p.get("kind") in COUNTY_KINDS:
            groups.setdefault(p["name"], []).append((p["lon"], p["lat"]))
    for p in places:
        if p.get("kind") not in OUTLINE_KINDS:
            continue
        parent, seen = p.get("parent"), 0
        while parent and parent not in groups and parent in by_name and seen < 6:
            parent, seen = by_name[parent].get("parent"), seen + 1
        if parent in groups:
            groups[parent].append((p["lon"], p["lat"]))
    rows = []
    for name, pts in sorted(groups.items()):
        hull = _hull(pts)
        if len(hull) < 3:
            continue
        for i, (lon, lat) in enumerate(hull + hull[:1]):
            rows.append({"district": name, "order": i, "lon": lon, "lat": lat})
    return rows
