"""Altair (Vega-Lite) charts for the map and the graph neighbourhood.

Vega-Lite is bundled with Streamlit's frontend, so these charts draw with no basemap, no tiles and
no script from a CDN: nothing leaves the machine.
"""
from __future__ import annotations

import math

import altair as alt
import pandas as pd

LAYER_COLOURS = {"事发地点": "#d62728", "救援队伍": "#1f77b4", "物资储备库": "#2ca02c", "避难场所": "#9467bd",
                 "重大危险源": "#ff7f0e"}
LAYER_SHAPES = {"事发地点": "cross", "救援队伍": "circle", "物资储备库": "square", "避难场所": "triangle-up",
                "重大危险源": "diamond"}
WIDTH = 720


def _domain(values: list[float], pad: float) -> list[float]:
    lo, hi = min(values), max(values)
    span = max(hi - lo, 0.05)
    return [lo - span * pad, hi + span * pad]


def map_chart(data: dict) -> alt.LayerChart | None:
    """The incident map from `ui.mapdata.map_points`; None when there is nothing with coordinates."""
    points, outlines, districts = data["points"], data["outlines"], data["districts"]
    lons = [p["lon"] for p in points] + [o["lon"] for o in outlines]
    lats = [p["lat"] for p in points] + [o["lat"] for o in outlines]
    if not lons:
        return None
    xdom, ydom = _domain(lons, 0.05), _domain(lats, 0.05)
    aspect = (ydom[1] - ydom[0]) / ((xdom[1] - xdom[0]) * math.cos(math.radians(sum(ydom) / 2)))
    height = int(max(280, min(900, WIDTH * aspect)))
    x = alt.X("lon:Q", scale=alt.Scale(domain=xdom, zero=False, nice=False), title="经度")
    y = alt.Y("lat:Q", scale=alt.Scale(domain=ydom, zero=False, nice=False), title="纬度")
    layers = []
    if outlines:
        layers.append(alt.Chart(pd.DataFrame(outlines)).mark_line(color="#b0b0b0", strokeWidth=1).encode(
            x=x, y=y, detail="district:N", order="order:Q"))
    if districts:
        layers.append(alt.Chart(pd.DataFrame(districts)).mark_text(color="#808080", fontSize=12).encode(
            x=x, y=y, text="name:N"))
    if data["links"]:
        layers.append(alt.Chart(pd.DataFrame(data["links"])).mark_rule(color="#d62728", strokeDash=[4, 3],
                                                                       opacity=0.6).encode(
            x=x, y=y, x2="lon2:Q", y2="lat2:Q"))
    if points:
        frame = pd.DataFrame(points)
        frame["size"] = frame.apply(lambda r: 400 if r["layer"] == "incident" else (140 if r["selected"] else 50),
                                    axis=1)
        present = [k for k in LAYER_COLOURS if k in set(frame["layer_zh"])]
        layers.append(alt.Chart(frame).mark_point(filled=True, opacity=0.85).encode(
            x=x, y=y,
            color=alt.Color("layer_zh:N", title="图层", scale=alt.Scale(
                domain=present, range=[LAYER_COLOURS[k] for k in present])),
            shape=alt.Shape("layer_zh:N", title="图层", scale=alt.Scale(
                domain=present, range=[LAYER_SHAPES[k] for k in present])),
            size=alt.Size("size:Q", legend=None),
            tooltip=[alt.Tooltip("layer_zh:N", title="类别"), alt.Tooltip("name:N", title="名称"),
                     alt.Tooltip("detail:N", title="说明"), alt.Tooltip("county:N", title="区县")]))
    return alt.layer(*layers).properties(width=WIDTH, height=height).interactive()


def graph_chart(laid: dict) -> alt.LayerChart | None:
    """The neighbourhood from `ui.graph.layout`; clicking a node selects it (selection "node")."""
    if not laid["nodes"]:
        return None
    nodes = pd.DataFrame([{k: n[k] for k in ("id", "label_zh", "name", "x", "y", "is_center")} for n in laid["nodes"]])
    nodes["size"] = nodes["is_center"].map(lambda c: 900 if c else 300)
    scale = alt.Scale(domain=[-2.4, 2.4], zero=False, nice=False)
    x = alt.X("x:Q", scale=scale, axis=None)
    y = alt.Y("y:Q", scale=scale, axis=None)
    pick = alt.selection_point(name="node", fields=["id"], on="click")
    layers = []
    if laid["edges"]:
        edges = pd.DataFrame(laid["edges"])
        layers.append(alt.Chart(edges).mark_rule(color="#aaaaaa").encode(x=x, y=y, x2="x2:Q", y2="y2:Q"))
        layers.append(alt.Chart(edges).mark_text(color="#999999", fontSize=9).encode(
            x=alt.X("mx:Q", scale=scale, axis=None), y=alt.Y("my:Q", scale=scale, axis=None), text="type:N"))
    base = alt.Chart(nodes)
    layers.append(base.mark_circle(opacity=0.9, stroke="#333333", strokeWidth=0.5).encode(
        x=x, y=y, size=alt.Size("size:Q", legend=None),
        color=alt.Color("label_zh:N", title="类别", scale=alt.Scale(scheme="tableau10")),
        tooltip=[alt.Tooltip("label_zh:N", title="类别"), alt.Tooltip("name:N", title="名称")]).add_params(pick))
    layers.append(base.mark_text(dy=-14, fontSize=11).encode(x=x, y=y, text="name:N"))
    return alt.layer(*layers).properties(width=WIDTH, height=WIDTH)
