"""指挥辅助: a report in, the grade, plans, clauses, forces, checklist, map and briefing out."""
from __future__ import annotations

import time

import streamlit as st

from nlp.loaders import LoadError
from ui import state
from ui.intake import match_inputs

EXAMPLE = ("【信息快报】今日9时20分许，徐圩新区石化产业基地江苏海澜石化有限公司一储罐区发生苯泄漏并引发火灾，"
           "现场3人死亡、12人受伤，周边约200名群众已疏散。")


def _run_match(config, backend, text: str, upload) -> None:
    try:
        kwargs = match_inputs(text, upload)
    except LoadError as exc:
        st.warning(str(exc))
        return
    matcher = state.get_matcher(config, backend)
    if matcher is None:
        return
    with st.spinner("正在分析报告并匹配预案…"):
        started = time.perf_counter()
        try:
            result = state.run_match(matcher, top=5, **kwargs)
        except ValueError as exc:
            st.warning(f"报告无法分析：{exc}")
            return
        except Exception as exc:  # noqa: BLE001 - one bad report must not take the page down
            st.error(f"匹配失败：{exc.__class__.__name__}：{exc}")
            return
    st.session_state["cmd_result"] = result
    st.session_state["cmd_report"] = kwargs.get("text") or (upload[0] if upload else "")
    st.session_state["cmd_seconds"] = time.perf_counter() - started


def render() -> None:
    st.title("指挥辅助")
    config, backend, summary = state.require_store()
    state.sidebar(config, summary)
    with st.form("cmd_form"):
        text = st.text_area("事件报告", height=160, key="cmd_text", placeholder=EXAMPLE,
                            help="粘贴信息快报、短信或续报原文")
        upload = st.file_uploader("或上传报告文件（.txt / .md，或 CAP 预警 .xml）", type=["txt", "md", "xml", "cap"],
                                  key="cmd_upload", help="上传了文件时，以文件内容为准")
        submitted = st.form_submit_button("分析并匹配预案", type="primary")
    if submitted:
        _run_match(config, backend, text, (upload.name, upload.getvalue()) if upload is not None else None)
    result = st.session_state.get("cmd_result")
    if result is None:
        st.caption("提交报告后，这里显示事件分级、适用预案与条款、救援力量、任务清单、地图和简报。")
        return
    from ui.app.result_view import show

    show(result, backend, state.store_key(config), st.session_state.get("cmd_report") or "")


if __name__ == "__main__":
    render()
