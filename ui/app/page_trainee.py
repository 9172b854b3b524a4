"""案例学习: plans by incident type, the graph around any node, case records, and a scored drill."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import state


def _browse(backend, key: str) -> None:
    groups = state.cached(backend, key, "ui.plan_types.plans_by_type")
    if not groups:
        st.info("存储中还没有预案。")
        return
    kind = st.selectbox("事件类型", list(groups), format_func=lambda k: f"{k}（{len(groups[k])} 个预案）",
                        key="trn_type")
    plan = st.radio("预案", groups[kind], format_func=lambda p: p["title"], key="trn_plan")
    facts = state.cached(backend, key, "ui.queries.plan_facts", plan["version_id"])
    left, right = st.columns(2)
    with left:
        st.markdown("**分级标准**")
        if facts["rules"]:
            st.dataframe(pd.DataFrame([{"等级": r["grade"], "标准": r["text"]} for r in facts["rules"]]),
                         hide_index=True)
        else:
            st.caption("未识别出分级标准")
        st.markdown("**响应级别**")
        for lv in facts["levels"]:
            st.markdown(f"- **{lv['level']}**（{lv.get('grade') or ''}）启动：{lv.get('who_starts') or '—'}")
    with right:
        st.markdown("**职责分工**")
        by_org: dict[str, list[str]] = {}
        for d in facts["duties"]:
            by_org.setdefault(d["org"], []).append(d["action"])
        for org, actions in list(by_org.items())[:30]:
            with st.expander(f"{org}（{len(actions)}）"):
                for a in actions:
                    st.markdown(f"- {a}")


def _cases(backend, key: str) -> None:
    cases = state.cached(backend, key, "ui.queries.case_docs")
    if not cases:
        st.info("存储中还没有案例记录。")
        return
    plans = {p["title"] for p in state.cached(backend, key, "ui.queries.plans")}
    case = st.selectbox("案例", cases, format_func=lambda c: c["title"], key="trn_case")
    from ui.cases import case_record

    rec = case_record(backend, case["version_id"], plans)
    st.subheader(rec["title"])
    if rec["facts"]:
        st.dataframe(pd.DataFrame(rec["facts"], columns=["项目", "内容"]), hide_index=True)
    if rec["plans"]:
        st.markdown("**启动的预案**：" + "；".join(
            f"《{p['title']}》" + ("" if p["in_store"] else "（库外）") for p in rec["plans"]))
    if rec["lessons"]:
        st.markdown("**经验教训**")
        for lesson in rec["lessons"]:
            st.info(lesson)
    for part in rec["sections"]:
        with st.expander(part["heading"]):
            for c in part["clauses"]:
                st.markdown(c)


def render() -> None:
    st.title("案例学习")
    config, backend, summary = state.require_store()
    state.sidebar(config, summary)
    key = state.store_key(config)
    from ui.app import trainee_drill, trainee_graph

    tabs = st.tabs(["按事件类型浏览预案", "图谱邻域", "案例库", "演练"])
    with tabs[0]:
        _browse(backend, key)
    with tabs[1]:
        trainee_graph.show(backend, key)
    with tabs[2]:
        _cases(backend, key)
    with tabs[3]:
        trainee_drill.show(config, backend, key)


if __name__ == "__main__":
    render()
