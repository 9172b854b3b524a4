"""预案管理 › 一致性检查 and 并排对照."""
from __future__ import annotations

import streamlit as st

from kg.errors import StoreError
from ui import checks, state
from ui.highlight import highlight_clause

ALL = "（全部预案）"


def _load(backend, key: str) -> list[dict] | None:
    try:
        with st.spinner("正在检查预案一致性…"):
            return state.cached(backend, key, "ui.checks.findings_json")
    except checks.CheckerMissing as exc:
        st.info(f"{exc}，暂时无法显示一致性检查结果。")
    except StoreError as exc:
        st.error(f"一致性检查读取存储失败：{exc}")
    return None


def findings(backend, key: str) -> None:
    found = _load(backend, key)
    if found is None:
        return
    plans = sorted({p for f in found for p in checks.plans_of(f)})
    cols = st.columns(2)
    plan = cols[0].selectbox("按预案筛选", [ALL] + plans, key="drf_chk_plan")
    kinds = sorted({f.get("kind") for f in found if f.get("kind")})
    picked = cols[1].multiselect("按问题类型筛选", kinds, format_func=checks.kind_label, key="drf_chk_kinds")
    shown = checks.filter_findings(found, None if plan == ALL else plan, picked)
    by_title = {p["title"]: p for p in state.cached(backend, key, "ui.queries.plans")}
    st.caption(f"共 {len(found)} 条问题，当前显示 {len(shown)} 条。")
    for i, f in enumerate(shown):
        title = f"【{checks.severity_label(f.get('severity'))}】{checks.kind_label(f.get('kind'))}：{f.get('message')}"
        with st.expander(title, expanded=i == 0):
            for e in f.get("evidence") or []:
                st.markdown(f"**《{e.get('plan_title')}》 {e.get('section') or ''}**")
                st.markdown(f"> {e.get('text') or ''}")
            if f.get("suggestion"):
                st.markdown(f"**修改建议**：{f['suggestion']}")
            pair = [by_title[t] for t in checks.plans_of(f) if t in by_title]
            if len(pair) >= 2:
                st.button("并排对照这两个预案", key=f"drf_cmp_{i}", on_click=_choose, args=(pair[0], pair[1], f))
                if st.session_state.get("drf_pair", {}).get("finding") == f:
                    st.success("已选定，请打开「并排对照」标签页。")


def _choose(a: dict, b: dict, finding: dict) -> None:
    st.session_state["drf_pair"] = {"a": a["title"], "b": b["title"], "finding": finding}
    st.session_state["drf_a"], st.session_state["drf_b"] = a, b


def _column(backend, key: str, title: str, quotes: list[dict]) -> None:
    version = state.cached(backend, key, "ui.queries.version_by_title", title)
    text = (version or {}).get("text") or ""
    if not quotes:
        st.caption("（该预案没有涉及此问题的条文）")
    for e in quotes:
        st.markdown(f"**{e.get('section') or ''}**")
        st.markdown(highlight_clause(text, e.get("text") or "", window=150), unsafe_allow_html=True)


def _conflicts(backend, key: str, a: str, b: str) -> list[dict] | None:
    try:
        with st.spinner("正在对照两个预案…"):
            return state.cached(backend, key, "ui.checks.compare_json", a, b)
    except checks.CheckerMissing as exc:
        st.info(f"{exc}，暂时无法对照。")
    except (StoreError, KeyError, LookupError, ValueError) as exc:
        st.error(f"对照失败：{exc}")
    return None


def _first_pair(backend, key: str) -> dict:
    """The first finding that quotes two plans, so the tab opens at a real conflict."""
    try:
        found = state.cached(backend, key, "ui.checks.findings_json")
    except (checks.CheckerMissing, StoreError):
        return {}
    first = next((f for f in found if len(checks.plans_of(f)) >= 2), None)
    return {"a": checks.plans_of(first)[0], "b": checks.plans_of(first)[1], "finding": first} if first else {}


def side_by_side(backend, key: str, plan_picker) -> None:
    pair = st.session_state.get("drf_pair") or _first_pair(backend, key)
    cols = st.columns(2)
    with cols[0]:
        a = plan_picker(backend, key, "预案甲", "drf_a", pair.get("a"))
    with cols[1]:
        b = plan_picker(backend, key, "预案乙", "drf_b", pair.get("b"))
    if a is None or b is None:
        return
    if a["title"] == b["title"]:
        st.caption("请选择两个不同的预案。")
        return
    conflicts = _conflicts(backend, key, a["title"], b["title"])
    if conflicts is None:
        return
    if not conflicts:
        st.success("这两个预案之间没有发现冲突。")
        return
    wanted = (pair.get("finding") or {}).get("message")
    index = next((i for i, c in enumerate(conflicts) if c.get("message") == wanted), 0)
    conflict = st.selectbox(f"两预案之间的冲突（{len(conflicts)} 处）", conflicts, index=index, key="drf_conflict",
                            format_func=lambda c: f"{checks.kind_label(c.get('kind'))}：{c.get('message')}"[:120])
    st.warning(f"【{checks.severity_label(conflict.get('severity'))}】{checks.kind_label(conflict.get('kind'))}："
               f"{conflict.get('message')}")
    cols = st.columns(2)
    for col, plan, side in zip(cols, (a, b), ("a", "b")):
        with col:
            st.subheader(plan["title"])
            _column(backend, key, plan["title"], conflict.get(side) or [])
    if conflict.get("suggestion"):
        st.info(f"修改建议：{conflict['suggestion']}")
