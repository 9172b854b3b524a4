"""预案管理: documents and versions, a plan's outline, consistency findings, side by side, uploads."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import state

KINDS_ZH = {"plan": "预案", "regulation": "法规", "case": "案例", "registry": "名录", "gazetteer": "地名库",
            "other": "其他"}
META = (("admin_level", "层级"), ("plan_type", "预案类型"), ("issuer", "发布单位"), ("date", "发布日期"),
        ("jurisdiction", "适用范围"))


def _documents(backend, key: str) -> None:
    docs = state.cached(backend, key, "ui.queries.documents")
    kinds = sorted({d["kind"] for d in docs})
    chosen = st.multiselect("文档类别", kinds, default=[k for k in kinds if k == "plan"] or kinds,
                            format_func=lambda k: KINDS_ZH.get(k, k), key="drf_kinds")
    shown = [d for d in docs if d["kind"] in chosen]
    st.dataframe(pd.DataFrame([{"标题": d["title"], "类别": KINDS_ZH.get(d["kind"], d["kind"]),
                                **{label: d.get(k) for k, label in META}, "版本数": d["versions"],
                                "导入时间": (d.get("ingested_at") or "")[:19].replace("T", " ")} for d in shown]),
                 hide_index=True)
    if not shown:
        return
    doc = st.selectbox("查看版本", shown, format_func=lambda d: d["title"], key="drf_doc")
    rows = state.cached(backend, key, "ui.queries.versions", doc["doc_id"])
    st.dataframe(pd.DataFrame([{"版本": r["version_id"].rsplit("@", 1)[-1], "当前": "✓" if r["current"] else "",
                                "完整": "✓" if r["complete"] else "未完成", "字数": r["chars"],
                                "导入时间": (r.get("ingested_at") or "")[:19].replace("T", " ")} for r in rows]),
                 hide_index=True)


def _plan_picker(backend, key: str, label: str, widget_key: str, default: str | None = None):
    plans = state.cached(backend, key, "ui.queries.plans")
    if not plans:
        st.info("存储中还没有预案。")
        return None
    titles = [p["title"] for p in plans]
    index = titles.index(default) if default in titles else 0
    return st.selectbox(label, plans, index=index, format_func=lambda p: p["title"], key=widget_key)


def outline_markdown(rows: list[dict]) -> str:
    return "\n".join(f"{'  ' * (max(r['level'], 1) - 1)}- **{r['number']}** {r['heading']}"
                     + (f"（{r['clauses']} 条）" if r["clauses"] else "") for r in rows)


def _outline(backend, key: str) -> None:
    plan = _plan_picker(backend, key, "预案", "drf_outline_plan")
    if plan is None:
        return
    left, right = st.columns([3, 2])
    with left:
        rows = state.cached(backend, key, "ui.queries.outline", plan["version_id"])
        st.markdown(outline_markdown(rows) or "（未识别出章节）")
    with right:
        facts = state.cached(backend, key, "ui.queries.plan_facts", plan["version_id"])
        st.metric("分级规则", len(facts["rules"]))
        st.metric("响应级别", len(facts["levels"]))
        st.metric("职责条目", len(facts["duties"]))
        if facts["rules"]:
            with st.expander("分级规则"):
                st.dataframe(pd.DataFrame([{"等级": r["grade"], "规则": r["rule"], "原文": r["text"]}
                                           for r in facts["rules"]]), hide_index=True)


def render() -> None:
    st.title("预案管理")
    config, backend, summary = state.require_store(allow_empty=True)
    state.sidebar(config, summary)
    key = state.store_key(config)
    from ui.app import drafter_checks, drafter_upload

    tabs = st.tabs(["文档与版本", "预案大纲", "一致性检查", "并排对照", "上传"])
    if summary["documents"]["total"] == 0:
        for tab in tabs[:4]:
            tab.info(state.EMPTY_HINT)
    else:
        with tabs[0]:
            _documents(backend, key)
        with tabs[1]:
            _outline(backend, key)
        with tabs[2]:
            drafter_checks.findings(backend, key)
        with tabs[3]:
            drafter_checks.side_by_side(backend, key, _plan_picker)
    with tabs[4]:
        drafter_upload.upload(backend, config)


if __name__ == "__main__":
    render()
