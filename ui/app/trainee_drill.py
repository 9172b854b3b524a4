"""案例学习 › 演练: pick grade, plan and first actions for a scenario; scored against the plan."""
from __future__ import annotations

import streamlit as st

from kg.corpus import demo_corpus
from ui import drill, state


def _scenarios(backend, key: str) -> list[dict]:
    out = drill.benchmark_reports(demo_corpus())
    for case in state.cached(backend, key, "ui.queries.case_docs"):
        text = state.cached(backend, key, "ui.queries.version_text", case["version_id"])
        out.append(drill.case_scenario(case["title"], text))
    return out


def _key_for(matcher, scenario: dict) -> dict | None:
    cache = st.session_state.setdefault("trn_keys", {})
    if scenario["id"] not in cache:
        with st.spinner("正在依据预案生成参考答案…"):
            try:
                cache[scenario["id"]] = drill.answer_key(state.run_match(matcher, text=scenario["text"], top=5))
            except Exception as exc:  # noqa: BLE001
                st.error(f"无法生成参考答案：{exc}")
                return None
    return cache[scenario["id"]]


def _distractors(backend, key: str, answer: dict) -> list[dict]:
    plans = [p for p in state.cached(backend, key, "ui.queries.plans") if p["title"] not in answer["plans"]]
    out: list[dict] = []
    for p in plans[:6]:
        out += state.cached(backend, key, "ui.queries.plan_facts", p["version_id"])["duties"][:3]
    return out


def drill_view(backend, key: str, scenario: dict, answer: dict, plans: list[str]) -> None:
    options = drill.action_options(answer, _distractors(backend, key, answer), scenario["id"])
    with st.form(f"trn_drill_form"):
        grade = st.radio("事件等级", drill.GRADES, index=None, horizontal=True, key="trn_grade")
        plan = st.selectbox("应启用的预案", plans, index=None, placeholder="选择预案", key="trn_plan_pick")
        actions = st.multiselect("首要行动（可多选）", options, key="trn_actions", placeholder="选择首要行动")
        done = st.form_submit_button("提交答案", type="primary")
    if not done:
        return
    result = drill.score(grade, plan, actions, answer)
    st.metric("得分", f"{result['total']} / {result['max']}")
    for part in result["parts"]:
        st.markdown(f"- **{part['item']}**：{part['points']}/{part['max']}　{part['note']}")
    with st.expander("参考答案（依据预案）", expanded=True):
        basis = answer.get("basis") or {}
        st.markdown(f"**等级**：{answer['grade']}" + (f"（《{basis.get('plan')}》{basis.get('rule') or ''}）" if basis else ""))
        st.markdown(f"**预案**：《{answer['plan']}》" if answer["plan"] else "**预案**：无")
        for a in answer["actions"]:
            st.markdown(f"- {drill.action_label(a)}　{a.get('deadline') or ''}")


def show(config, backend, key: str) -> None:
    scenarios = _scenarios(backend, key)
    if not scenarios:
        st.info("没有可用的演练情景。")
        return
    scenario = st.selectbox("演练情景", scenarios, format_func=lambda s: s["title"], key="trn_scenario")
    st.markdown("**情景**")
    st.info(scenario["text"])
    started = st.session_state.get("trn_started") == scenario["id"]
    if not started:
        st.caption("阅读情景后开始演练：判断事件等级、选择应启用的预案和首要行动，提交后对照预案评分。")
        if not st.button("开始演练", type="primary", key="trn_start"):
            return
        st.session_state["trn_started"] = scenario["id"]
    matcher = state.get_matcher(config, backend)
    if matcher is None:
        return
    answer = _key_for(matcher, scenario)
    if answer is None:
        return
    plans = [p["title"] for p in state.cached(backend, key, "ui.queries.plans")]
    drill_view(backend, key, scenario, answer, plans)
