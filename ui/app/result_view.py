"""How the commander page shows one match result."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from ui import briefing, state
from ui.highlight import highlight_clause

GRADE_COLOURS = {"特别重大": "#b71c1c", "重大": "#e65100", "较大": "#f9a825", "一般": "#1565c0", "未达分级": "#616161"}


def _cell(value: str, label: str, style: str = "font-size:1.25rem;font-weight:600") -> str:
    return (f'<div style="flex:1;min-width:9rem"><div style="{style}">{html.escape(value)}</div>'
            f'<div style="color:#666;font-size:0.85rem">{label}</div></div>')


def _grade(inc: dict) -> None:
    grade = inc.get("grade") or "未达分级"
    colour = GRADE_COLOURS.get(grade, "#333")
    cells = [f'<div class="yj-grade" style="flex:1;min-width:9rem"><div style="font-size:1.9rem;font-weight:700;'
             f'color:{colour}">{html.escape(grade)}</div><div style="color:#666;font-size:0.85rem">事件等级</div></div>',
             _cell(inc.get("response_level") or "未确定", "响应级别"),
             _cell(inc.get("type_name") or "未识别", "事件类型"),
             _cell(briefing.place_text(inc.get("location"), short=True), "地点")]
    st.markdown(f'<div style="display:flex;gap:1.5rem;flex-wrap:wrap;align-items:flex-end">{"".join(cells)}</div>',
                unsafe_allow_html=True)
    basis = inc.get("grade_basis") or {}
    if basis:
        st.markdown(f"**分级依据**：《{basis.get('plan') or ''}》{basis.get('section') or ''} — "
                    f"规则 `{basis.get('rule') or ''}`")
        if basis.get("text"):
            st.markdown(f"> {basis['text']}")
    else:
        st.caption("没有适用的分级规则被触发。")
    st.caption(f"伤亡：{briefing.casualty_text(inc)}　时间：{inc.get('time') or '未提及'}　"
               f"危险物质：{'、'.join(inc.get('hazards') or []) or '无'}")


def _plans_and_clauses(result: dict, backend, key: str) -> None:
    plans = result.get("plans") or []
    if plans:
        st.dataframe(pd.DataFrame([{"预案": p.get("title"), "层级": p.get("level"), "得分": p.get("score"),
                                    "理由": p.get("why")} for p in plans]), hide_index=True)
    else:
        st.info("没有匹配到预案。")
    st.subheader("应执行条款")
    for i, c in enumerate(result.get("clauses") or []):
        with st.container(border=True):
            st.markdown(f"**{i + 1}. 《{c.get('plan_title')}》 {c.get('section') or ''}**")
            st.markdown(_passage(c, backend, key), unsafe_allow_html=True)
            if c.get("why"):
                st.caption(f"匹配理由：{c['why']}")


def _passage(clause: dict, backend, key: str) -> str:
    """The clause highlighted in its plan's text (by its span when the result carries one)."""
    text, span = "", None
    if clause.get("clause_id") and clause.get("start") is not None:
        text = state.cached(backend, key, "ui.queries.version_text", clause["clause_id"].rsplit("#", 1)[0])
        span = (clause["start"], clause["end"])
    if not text:
        version = state.cached(backend, key, "ui.queries.version_by_title", clause.get("plan_title") or "")
        text = (version or {}).get("text") or ""
    return highlight_clause(text, clause.get("text") or "", span=span)


def _forces(result: dict) -> None:
    frames = (("救援队伍", "teams", {"name": "队伍", "speciality": "专业", "distance_km": "距离(公里)", "why": "理由"}),
              ("应急物资", "supplies", {"name": "物资", "quantity": "数量", "unit": "单位", "depot": "储备库",
                                    "distance_km": "距离(公里)", "why": "理由"}),
              ("应急专家", "experts", {"name": "专家", "field": "领域", "org": "单位", "why": "理由"}))
    for title, field, columns in frames:
        st.subheader(title)
        rows = result.get(field) or []
        if not rows:
            st.caption("无")
            continue
        frame = pd.DataFrame([{label: r.get(col) for col, label in columns.items()} for r in rows])
        st.dataframe(frame, hide_index=True)


def _checklist(result: dict) -> None:
    groups = briefing.checklist_by_org(result.get("checklist") or [])
    if not groups:
        st.info("预案中没有可列出的任务。")
    for org, items in groups.items():
        st.markdown(f"**{org}**")
        for item in items:
            deadline = item.get("deadline") or "立即"
            st.markdown(f"- [ ] {item.get('action')}　⏱ {deadline}　<span style='color:#888'>（{item.get('source') or ''}）"
                        f"</span>", unsafe_allow_html=True)


def _map(result: dict, backend, key: str) -> None:
    from ui.charts import map_chart
    from ui.mapdata import incident_point, map_points

    layers = state.cached(backend, key, "ui.mapdata.base_layers")
    if incident_point(result) is None:
        st.caption("报告中的地点没有坐标，地图只显示资源分布。")
    radius = st.select_slider("显示范围", options=[10, 20, 50, 100, 0], value=0, key="cmd_radius",
                              format_func=lambda v: "全部" if v == 0 else f"{v} 公里内")
    chart = map_chart(map_points(layers, result, radius_km=radius or None))
    if chart is None:
        st.info("存储中没有带坐标的地名或资源，无法绘制地图。")
    else:
        st.altair_chart(chart, key="cmd_map")
        st.caption("离线绘制：灰线为按地名库坐标近似的区县范围，虚线连接事发地点与调派的队伍和物资库。")


def _cases(result: dict) -> None:
    cases = result.get("cases") or []
    if not cases:
        st.caption("没有相似案例。")
    for c in cases:
        st.markdown(f"- **{c.get('title')}**　{c.get('why') or ''}")


def _export(result: dict, report: str) -> None:
    st.download_button("下载简报（Markdown）", briefing.to_markdown(result, report), file_name="应急处置简报.md",
                       mime="text/markdown", key="cmd_md")
    st.download_button("下载简报（Word .docx）", briefing.to_docx(result, report), file_name="应急处置简报.docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", key="cmd_docx")


def show(result: dict, backend, key: str, report: str) -> None:
    _grade(result.get("incident") or {})
    tabs = st.tabs(["预案与条款", "力量与物资", "任务清单", "地图", "相似案例", "导出简报"])
    with tabs[0]:
        _plans_and_clauses(result, backend, key)
    with tabs[1]:
        _forces(result)
    with tabs[2]:
        _checklist(result)
    with tabs[3]:
        _map(result, backend, key)
    with tabs[4]:
        _cases(result)
    with tabs[5]:
        _export(result, report)
    timing = result.get("timing_ms") or {}
    if timing:
        st.caption("用时：" + "，".join(f"{k} {v:.0f} 毫秒" if isinstance(v, (int, float)) else f"{k} {v}"
                                      for k, v in timing.items()))
