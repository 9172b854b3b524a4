"""案例学习 › 图谱邻域: search a node, draw its neighbours, click (or pick) one to move there."""
from __future__ import annotations

import streamlit as st

from ui import graph, state
from ui.charts import graph_chart

START = ("Place", "连云港市")


def _goto(node_id: str) -> None:
    label, _, key = node_id.partition(":")
    st.session_state["trn_node"] = (label, key)


def show(backend, key: str) -> None:
    query = st.text_input("查找节点（名称、标题或章节标题）", key="trn_q", placeholder="例如：连云区、消防、危险化学品")
    if query:
        hits = graph.search(backend, query)
        if hits:
            hit = st.selectbox("查找结果", hits, key="trn_hit",
                               format_func=lambda n: f"{n['label_zh']}：{n['name']}")
            if st.button("查看该节点", key="trn_go"):
                _goto(hit["id"])
        else:
            st.caption("没有找到匹配的节点。")
    label, node_key = st.session_state.get("trn_node", START)
    hood = graph.neighbourhood(backend, label, node_key)
    if hood["center"] is None:
        plans = state.cached(backend, key, "ui.queries.plans")
        if plans:
            hood = graph.neighbourhood(backend, "Document", plans[0]["doc_id"])
    if hood["center"] is None:
        st.info("请先查找一个节点。")
        return
    center = hood["center"]
    st.markdown(f"**{center['label_zh']}：{center['name']}**　邻居 {len(hood['nodes']) - 1} 个")
    chart = graph_chart(graph.layout(hood))
    event = st.altair_chart(chart, on_select="rerun", selection_mode="node", key="trn_graph")
    picked = ((event or {}).get("selection") or {}).get("node") or []
    if picked and picked[0].get("id") and picked[0]["id"] != center["id"]:
        _goto(picked[0]["id"])
        st.rerun()
    others = [n for n in hood["nodes"] if n["id"] != center["id"]]
    if others:
        cols = st.columns([3, 1])
        nxt = cols[0].selectbox("转到邻居节点（或在图中点击节点）", others, key="trn_next",
                                format_func=lambda n: f"{n['label_zh']}：{n['name']}")
        if cols[1].button("转到", key="trn_next_go"):
            _goto(nxt["id"])
            st.rerun()
    with st.expander("节点属性"):
        st.json(center["props"])
