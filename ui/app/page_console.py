"""Cypher 查询: a read-only console for power users."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from kg.errors import StoreError
from ui import state
from ui.readonly import MAX_ROWS, ReadOnlyRefused, run_readonly

EXAMPLES = {
    "各类节点数量": "MATCH (n) RETURN labels(n)[0] AS `类别`, count(n) AS `数量` ORDER BY `数量` DESC",
    "预案及其分级规则数": "MATCH (d:Document)-[:CURRENT]->(v:DocVersion)-[:HAS_RULE]->(r:GradingRule)\n"
                         "RETURN v.title AS `预案`, count(r) AS `规则数` ORDER BY `规则数` DESC",
    "某单位的职责": "MATCH (f:Duty)-[:TO_ORG]->(o:Organisation)\nWHERE o.name CONTAINS $org\n"
                  "RETURN o.name AS `单位`, f.action AS `职责` LIMIT 20",
    "区县内的救援队伍": "MATCH (t:Team)-[:LOCATED_IN]->(p:Place)\nRETURN p.name AS `区县`, collect(t.name) AS `队伍`",
}


def render() -> None:
    st.title("Cypher 查询（只读）")
    config, backend, summary = state.require_store(allow_empty=True)
    state.sidebar(config, summary)
    st.caption("语句在只读事务中执行（FalkorDB GRAPH.RO_QUERY / Neo4j READ 事务）；任何写操作都会被拒绝。"
               f"最多显示 {MAX_ROWS} 行。")
    example = st.selectbox("示例", list(EXAMPLES), key="cy_example")
    with st.form("cy_form"):
        text = st.text_area("Cypher", value=EXAMPLES[example], height=140, key=f"cy_text_{example}")
        params = st.text_input("参数（JSON）", value='{"org": "消防"}' if "$org" in EXAMPLES[example] else "{}",
                               key=f"cy_params_{example}")
        run = st.form_submit_button("执行", type="primary")
    if not run:
        return
    try:
        values = json.loads(params or "{}")
        if not isinstance(values, dict):
            raise ValueError
    except ValueError:
        st.error("参数必须是 JSON 对象，例如 {\"org\": \"消防\"}")
        return
    try:
        rows = run_readonly(backend, text, values)
    except ReadOnlyRefused as exc:
        st.error(str(exc))
        return
    except StoreError as exc:
        st.error(f"查询失败：{exc}")
        return
    st.caption(f"{len(rows)} 行")
    if rows:
        flat = [{k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for k, v in r.items()}
                for r in rows]
        st.dataframe(pd.DataFrame(flat), hide_index=True)
        with st.expander("JSON"):
            st.json(rows)


if __name__ == "__main__":
    render()
