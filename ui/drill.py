"""Trainee drill: a scenario (a case record or an incident report) is shown, the trainee picks the
grade, the plan and the first actions, and is scored against what the plan says (the matcher's
answer for the same text: the grade its grading rule gives, the plan it selects, the plan's
checklist)."""
from __future__ import annotations

import json
import random
from pathlib import Path

GRADES = ("特别重大", "重大", "较大", "一般", "未达分级")
KEY_ACTIONS = 4
OPTIONS = 8
WEIGHTS = {"grade": 40, "plan": 30, "actions": 30}


def benchmark_reports(corpus: Path, limit: int = 30) -> list[dict]:
    """Incident reports shipped with the demo corpus (benchmark/*.jsonl), as drill scenarios."""
    out: list[dict] = []
    folder = Path(corpus) / "benchmark"
    for path in sorted(folder.glob("reports_*.jsonl")) if folder.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if item.get("report"):
                out.append({"id": str(item.get("id")), "title": f"事件报告 {item.get('id')}",
                            "text": item["report"], "source": "report"})
    rng = random.Random(7)
    rng.shuffle(out)
    return sorted(out[:limit], key=lambda s: s["id"])


def case_scenario(title: str, text: str, max_chars: int = 900) -> dict:
    """A case record as a scenario: its account of what happened, without the findings."""
    cut = len(text)
    for marker in ("原因分析", "事故原因", "经验教训", "责任认定", "处理建议", "整改措施"):
        i = text.find(marker)
        if 0 < i < cut:
            cut = i
    body = text[:cut].strip()
    return {"id": title, "title": f"案例 {title}", "text": body[:max_chars], "source": "case"}


def answer_key(result: dict) -> dict:
    inc = result.get("incident") or {}
    plans = [p.get("title") for p in result.get("plans") or [] if p.get("title")]
    actions, seen = [], set()
    for item in result.get("checklist") or []:
        action = (item.get("action") or "").strip()
        if action and action not in seen:
            seen.add(action)
            actions.append({"org": item.get("org") or "", "action": action, "deadline": item.get("deadline")})
        if len(actions) >= KEY_ACTIONS:
            break
    return {"grade": inc.get("grade") or "未达分级", "basis": inc.get("grade_basis") or {},
            "plan": plans[0] if plans else None, "plans": plans, "actions": actions}


def action_label(item: dict) -> str:
    return f"{item['org']}：{item['action']}" if item.get("org") else item["action"]


def action_options(key: dict, distractors: list[dict], seed: str) -> list[str]:
    """The key's actions mixed with actions from other plans, in a stable order per scenario."""
    right = [action_label(a) for a in key["actions"]]
    pool = [action_label(d) for d in distractors if action_label(d) not in right]
    rng = random.Random(seed)
    pool = list(dict.fromkeys(pool))
    rng.shuffle(pool)
    options = right + pool[:max(0, OPTIONS - len(right))]
    rng.shuffle(options)
    return options


def _grade_points(picked: str | None, right: str) -> tuple[int, str]:
    if picked == right:
        return WEIGHTS["grade"], "分级正确"
    if picked in GRADES[:4] and right in GRADES[:4] and abs(GRADES.index(picked) - GRADES.index(right)) == 1:
        return WEIGHTS["grade"] * 3 // 8, f"相差一级，正确为{right}"
    return 0, f"正确为{right}"


def _plan_points(picked: str | None, key: dict) -> tuple[int, str]:
    if key["plan"] is None:
        return WEIGHTS["plan"], "无可适用预案，不计分"
    if picked == key["plan"]:
        return WEIGHTS["plan"], "预案选择正确"
    if picked in key["plans"]:
        return WEIGHTS["plan"] // 2, f"可适用但非首选，首选为《{key['plan']}》"
    return 0, f"应启用《{key['plan']}》"


def _action_points(picked: list[str], key: dict) -> tuple[int, str]:
    right = {action_label(a) for a in key["actions"]}
    if not right:
        return WEIGHTS["actions"], "预案未列出任务，不计分"
    hits = len(right & set(picked))
    wrong = len(set(picked) - right)
    points = max(0, round(WEIGHTS["actions"] * (hits - wrong) / len(right)))
    return points, f"选对 {hits}/{len(right)} 项，多选错误 {wrong} 项"


def score(grade: str | None, plan: str | None, actions: list[str], key: dict) -> dict:
    """{"total", "max", "parts": [{"item", "points", "max", "note"}]}."""
    parts = []
    for item, (points, note) in (("事件分级", _grade_points(grade, key["grade"])),
                                 ("启用预案", _plan_points(plan, key)),
                                 ("首要行动", _action_points(actions or [], key))):
        weight = WEIGHTS[{"事件分级": "grade", "启用预案": "plan", "首要行动": "actions"}[item]]
        parts.append({"item": item, "points": points, "max": weight, "note": note})
    return {"total": sum(p["points"] for p in parts), "max": sum(WEIGHTS.values()), "parts": parts}
