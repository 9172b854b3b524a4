"""The neighbourhood of one graph node, laid out for drawing without any remote script.

A node is addressed by its label and key (`kg.schema.NODE_KEYS`), e.g. ("Place", "连云区").
`neighbourhood()` returns the node, its neighbours and the edges between them; `layout()` places
them on rings around the centre (deterministic, so a rerun draws the same picture).
"""
from __future__ import annotations

import math

from kg.cypher import cypher
from kg.schema import NODE_KEYS

MAX_NEIGHBOURS = 60
LONG_TEXT = 120

LABEL_ZH = {
    "Document": "文档", "DocVersion": "文档版本", "Section": "章节", "Clause": "条款", "Organisation": "组织机构",
    "IncidentType": "事件类型", "GradingRule": "分级规则", "ResponseLevel": "响应级别", "Duty": "职责",
    "ReportLimit": "报告时限", "LawRef": "法规引用", "Regulation": "法规", "PlanRef": "预案引用",
    "AnnexRef": "附件引用", "Case": "案例", "Team": "救援队伍", "Supply": "应急物资", "Equipment": "应急装备",
    "Expert": "应急专家", "Shelter": "避难场所", "HazardSource": "重大危险源", "Depot": "物资储备库",
    "Place": "地名", "Meta": "元数据",
}
# properties that name a node, best first
NAME_PROPS = ("name", "title", "heading", "org", "describe", "level", "text", "action", "label")

NEIGHBOURS = {label: cypher(f"ui_neighbours_{label.lower()}", f"""
    MATCH (n:{label} {{{key}: $key}})-[r]-(m)
    RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m) AS labels, properties(m) AS props
    LIMIT $limit""", ("key", "limit")) for label, key in NODE_KEYS.items()}
NODE = {label: cypher(f"ui_node_{label.lower()}", f"""
    MATCH (n:{label} {{{key}: $key}})
    RETURN labels(n) AS labels, properties(n) AS props""", ("key",)) for label, key in NODE_KEYS.items()}
SEARCH = cypher("ui_search_nodes", """
    MATCH (n)
    WHERE NOT n:Clause AND NOT n:DocVersion
      AND (n.name CONTAINS $q OR n.title CONTAINS $q OR n.heading CONTAINS $q)
    RETURN labels(n) AS labels, properties(n) AS props
    LIMIT $limit""", ("q", "limit"))


def _label(labels: list[str]) -> str | None:
    return next((lb for lb in labels or [] if lb in NODE_KEYS), None)


def display_name(label: str, props: dict) -> str:
    for p in NAME_PROPS:
        v = props.get(p)
        if isinstance(v, str) and v.strip():
            v = v.strip()
            if label == "Section":
                v = f"{props.get('number') or ''} {v}".strip()
            return v if len(v) <= 24 else v[:23] + "…"
    return str(props.get(NODE_KEYS.get(label, ""), ""))[-24:]


def _short(props: dict) -> dict:
    """Properties fit for a tooltip: long texts cut, internal keys dropped."""
    out = {}
    for k, v in props.items():
        if k.startswith("_") or k in ("sha256", "row"):
            continue
        if isinstance(v, str) and len(v) > LONG_TEXT:
            v = v[:LONG_TEXT] + "…"
        if isinstance(v, list):
            v = "、".join(str(x) for x in v[:8]) + ("…" if len(v) > 8 else "")
        out[k] = v
    return out


def as_node(labels: list[str], props: dict) -> dict | None:
    label = _label(labels)
    if label is None:
        return None
    key = props.get(NODE_KEYS[label])
    if key is None:
        return None
    return {"id": f"{label}:{key}", "label": label, "label_zh": LABEL_ZH.get(label, label), "key": key,
            "name": display_name(label, props), "props": _short(props)}


def search(backend, text: str, limit: int = 20) -> list[dict]:
    text = (text or "").strip()
    if not text:
        return []
    rows = backend.read(SEARCH, {"q": text, "limit": limit})
    return [n for n in (as_node(r["labels"], r["props"]) for r in rows) if n]


def node(backend, label: str, key) -> dict | None:
    if label not in NODE:
        return None
    rows = backend.read(NODE[label], {"key": key})
    return as_node(rows[0]["labels"], rows[0]["props"]) if rows else None


def neighbourhood(backend, label: str, key, limit: int = MAX_NEIGHBOURS) -> dict:
    """{"center": node, "nodes": [...], "edges": [{"source","target","type"}]}; empty when not found."""
    center = node(backend, label, key)
    if center is None:
        return {"center": None, "nodes": [], "edges": []}
    nodes = {center["id"]: center}
    edges = []
    for r in backend.read(NEIGHBOURS[label], {"key": key, "limit": limit}):
        other = as_node(r["labels"], r["props"])
        if other is None:
            continue
        nodes.setdefault(other["id"], other)
        src, dst = (center["id"], other["id"]) if r["outgoing"] else (other["id"], center["id"])
        edges.append({"source": src, "target": dst, "type": r["type"]})
    return {"center": center, "nodes": list(nodes.values()), "edges": edges}


def layout(hood: dict) -> dict:
    """Positions: the centre at (0, 0), neighbours on rings grouped by label (up to 20 per ring)."""
    center = hood.get("center")
    if center is None:
        return {"nodes": [], "edges": []}
    others = sorted((n for n in hood["nodes"] if n["id"] != center["id"]), key=lambda n: (n["label"], n["name"]))
    placed = {center["id"]: {**center, "x": 0.0, "y": 0.0, "is_center": True}}
    per_ring = 20
    for i, n in enumerate(others):
        ring, slot = divmod(i, per_ring)
        count = min(per_ring, len(others) - ring * per_ring)
        angle = 2 * math.pi * slot / max(count, 1) + ring * 0.3
        radius = 1.0 + 0.7 * ring
        placed[n["id"]] = {**n, "x": round(radius * math.cos(angle), 4), "y": round(radius * math.sin(angle), 4),
                           "is_center": False}
    edges = []
    for e in hood["edges"]:
        a, b = placed.get(e["source"]), placed.get(e["target"])
        if a and b:
            edges.append({"type": e["type"], "x": a["x"], "y": a["y"], "x2": b["x"], "y2": b["y"],
                          "mx": (a["x"] + b["x"]) / 2, "my": (a["y"] + b["y"]) / 2})
    return {"nodes": list(placed.values()), "edges": edges}
