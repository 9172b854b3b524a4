"""Guess what a document is: plan, regulation, case, registry or other."""
from __future__ import annotations

import re

REGISTRY_SUFFIXES = {".csv", ".xlsx"}
CASE_MARKERS = ("事件经过", "事故经过", "经验教训", "原因分析", "伤亡情况", "直接经济损失")
LAW_TITLE = re.compile(r"(法|条例|办法|规定|细则|决定)(（[^）]*）)?$")


def detect_kind(title: str, text: str, suffix: str) -> str:
    if suffix.lower() in REGISTRY_SUFFIXES:
        return "registry"
    head = text[:3000]
    if LAW_TITLE.search(title.strip()):
        return "regulation"
    if re.search(r"预案|处置方案", title):
        return "plan"
    if sum(marker in head for marker in CASE_MARKERS) >= 2 or re.search(r"事故|事件$", title) and "经过" in head:
        return "case"
    # cases are named by their date: 响水“3·21”特别重大爆炸事故
    if re.search(r"[“\"]\d{1,2}[·.．]\d{1,2}[”\"]", title) and re.search(r"(事故|事件|灾害|险情|疫情)$", title):
        return "case"
    if re.search(r"^第[一二三四五六七八九十]+条", head, re.M):
        return "regulation"
    if "应急预案" in head[:200]:
        return "plan"
    return "other"
