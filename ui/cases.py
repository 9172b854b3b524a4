"""Case records for trainees: the header facts, the account, the plans it activated, the lessons."""
from __future__ import annotations

import re

from ui import queries

HEADER_LINE = re.compile(r"^([\u4e00-\u9fff]{2,12})[：:]\s*(.+)$")
PLAN_TITLE = re.compile(r"《([^《》]{2,60}?(?:预案|方案))》")
LESSON_HEADINGS = ("经验教训", "教训", "启示", "整改", "防范措施", "发现问题", "改进")


def header_facts(text: str) -> list[tuple[str, str]]:
    """`事件类型：…`-style lines before the first numbered section."""
    facts = []
    for line in text.splitlines()[1:20]:
        line = line.strip()
        if re.match(r"^[一二三四五六七八九十]+、|^第[一二三四五六七八九十]+", line):
            break
        m = HEADER_LINE.match(line)
        if m:
            facts.append((m.group(1), m.group(2)))
    return facts


def plan_titles(text: str) -> list[str]:
    return list(dict.fromkeys(PLAN_TITLE.findall(text)))


def is_lesson(heading: str) -> bool:
    return any(word in (heading or "") for word in LESSON_HEADINGS)


def case_record(backend, version_id: str, known_plans: set[str] | None = None) -> dict:
    """Everything the case page shows about one case document."""
    text = queries.version_text(backend, version_id)
    sections = queries.outline(backend, version_id)
    parts = []
    lessons: list[str] = []
    for sec in sections:
        clauses = [c["text"] for c in queries.section_clauses(backend, version_id, sec["path"])]
        parts.append({"heading": f"{sec['number']}、{sec['heading']}" if sec["level"] == 1 else sec["heading"],
                      "clauses": clauses})
        if is_lesson(sec["heading"]):
            lessons += clauses
    activated: list[str] = []
    for node in queries.case_nodes(backend, version_id):
        activated += [a.split("|")[0].strip() for a in node.get("activations") or [] if a]
        activated += [node["activated_plan"]] if node.get("activated_plan") else []
        if node.get("lessons") and not lessons:
            lessons = list(node["lessons"])
    plans = list(dict.fromkeys(activated + plan_titles(text)))
    return {"title": text.splitlines()[0].strip() if text else "", "facts": header_facts(text), "sections": parts,
            "lessons": lessons, "plans": [{"title": p, "in_store": known_plans is None or p in known_plans}
                                          for p in plans], "text": text}
