"""Clauses to act on: lexical (BM25) and dense similarity fused with graph features
(the response level's start condition, the response section, scenario words) by a small
learned linear ranker (weights in ranker.json, trained by `python -m matcher.train_ranker`)."""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher.data import Clause, Doc

WEIGHTS_FILE = Path(__file__).with_name("ranker.json")
FEATURES = ("bm25", "dense", "start_condition", "other_condition", "who_starts", "in_level", "fired_rule", "response_section",
            "measures_section", "level_words", "grade_word", "hazard_words", "grading_section", "org_section",
            "report_section", "short", "fallback_scope", "ungraded_first")
DEFAULT_WEIGHTS = {"bm25": 2.0, "dense": 2.0, "start_condition": 3.0, "other_condition": 0.5, "who_starts": 1.0, "in_level": 1.0, "fired_rule": 1.0,
                   "response_section": 1.0, "measures_section": 1.0, "level_words": 1.0, "grade_word": 0.5,
                   "hazard_words": 1.0, "grading_section": -1.5, "org_section": -1.0, "report_section": -0.5, "short": -1.0,
                   "bias": 0.0}
_RESPONSE = re.compile(r"响应|处置|救援|应对|行动")
_MEASURES = re.compile(r"措施|处置|行动|方案|要点")
_GRADING = re.compile(r"分级|等级|级别划分|分级标准")
_ORG = re.compile(r"组织|机构|职责|指挥体系|成员单位")
_REPORT = re.compile(r"信息报告|报告|预警|监测")
_WHO = re.compile(r"(决定|宣布|批准)启动|报请[^。]{0,30}启动")
# an overall plan's own rule for events no special plan covers
_FALLBACK = re.compile(r"(尚未|未|没有)(制定|编制)[^，。；]{0,12}(专项|预案)|无专项[^，。；]{0,6}预案")
_FIRST = re.compile(r"先期处置|先期|接报|核实|监测|信息报告|报告")
_LEVEL_NAMES = {"一级": ("一级", "Ⅰ级", "I级"), "二级": ("二级", "Ⅱ级", "II级"),
                "三级": ("三级", "Ⅲ级", "III级"), "四级": ("四级", "Ⅳ级", "IV级")}


@dataclass
class Query:
    text: str
    grade: str | None
    level: dict | None           # the response level the grade starts
    hazard_words: list[str]      # hazards, chemical names and type name words from the report
    rule_clause: str | None = None   # the clause whose grading criterion fired, in this plan
    fallback: bool = False           # an overall plan standing in for a missing special plan


def load_weights() -> dict[str, float]:
    if WEIGHTS_FILE.exists():
        return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))["weights"]
    return dict(DEFAULT_WEIGHTS)


def _norm(x: np.ndarray) -> np.ndarray:
    hi = float(x.max()) if len(x) else 0.0
    return x / hi if hi > 0 else np.zeros_like(x)


def features(clauses: list[Clause], q: Query, bm25: np.ndarray, dense: np.ndarray | None) -> np.ndarray:
    """One row of FEATURES per clause."""
    level = q.level or {}
    conds = [c for c in (level.get("conditions") or []) if c]
    names = _LEVEL_NAMES.get(level.get("level") or "", ())
    bm = _norm(np.asarray(bm25, dtype=float))
    dn = np.zeros(len(clauses)) if dense is None else np.clip(np.asarray(dense, dtype=float), 0, 1)
    if dense is not None and len(dn):
        spread = dn.max() - dn.min()
        dn = (dn - dn.min()) / spread if spread > 0 else np.zeros_like(dn)
    is_cond = [c.clause_id == level.get("clause_id") or any(cond[:20] in c.text for cond in conds)
               for c in clauses]
    # of a level's alternative start conditions, the one that fired, else the one closest to the report
    cond_idx = [i for i, x in enumerate(is_cond) if x]
    best = next((i for i in cond_idx if clauses[i].clause_id == q.rule_clause), None)
    if best is None and cond_idx:
        best = max(cond_idx, key=lambda i: bm[i])
    rows = []
    for i, c in enumerate(clauses):
        heads = c.headings
        in_level = level.get("start") is not None and level["start"] <= c.start < level.get("end", -1)
        rows.append([
            bm[i], dn[i], float(i == best), float(is_cond[i] and i != best),
            float(in_level and bool(_WHO.search(c.text))), float(in_level), float(c.clause_id == q.rule_clause),
            float(bool(_RESPONSE.search(heads))), float(bool(_MEASURES.search(heads))),
            float(any(n in c.text or n in heads for n in names)),
            float(bool(q.grade) and q.grade in c.text),
            min(sum(1 for w in q.hazard_words if w in c.text), 3) / 3.0,
            float(bool(_GRADING.search(heads))), float(bool(_ORG.search(heads))),
            float(bool(_REPORT.search(heads)) and not _RESPONSE.search(heads)),
            float(len(c.text) < 15),
            float(q.fallback and bool(_FALLBACK.search(c.text))),
            float(q.grade is None and bool(_FIRST.search(heads))),
        ])
    return np.asarray(rows, dtype=float).reshape(len(clauses), len(FEATURES))


def score(feats: np.ndarray, weights: dict[str, float]) -> np.ndarray:
    w = np.array([weights.get(f, 0.0) for f in FEATURES])
    return feats @ w + weights.get("bias", 0.0)


def why(row: np.ndarray, q: Query) -> str:
    f = dict(zip(FEATURES, row))
    parts = []
    if f["start_condition"]:
        parts.append(f"{(q.level or {}).get('level', '')}响应的启动条件")
    elif f["other_condition"]:
        parts.append(f"{(q.level or {}).get('level', '')}响应的另一启动条件")
    elif f["who_starts"]:
        parts.append(f"{(q.level or {}).get('level', '')}响应由谁启动")
    elif f["in_level"]:
        parts.append(f"{(q.level or {}).get('level', '')}响应的规定")
    if f["fired_rule"]:
        parts.append("定级依据的分级标准")
    if f["measures_section"] or f["response_section"]:
        parts.append("位于应急响应/处置措施部分")
    if f["fallback_scope"]:
        parts.append("没有专项预案时依本预案应对的规定")
    if f["hazard_words"]:
        parts.append("涉及本事件的危险因素")
    if f["bm25"] > 0.5:
        parts.append("与报告用词高度相关")
    if f["dense"] > 0.7:
        parts.append("与报告语义相近")
    return "；".join(parts) or "与报告相关"


def rank(doc: Doc, q: Query, bm25: np.ndarray, dense: np.ndarray | None, weights: dict, k: int) -> list[dict]:
    if not doc.clauses:
        return []
    feats = features(doc.clauses, q, bm25, dense)
    s = score(feats, weights)
    s[[not c.section_path for c in doc.clauses]] = -np.inf  # title-block lines are not actionable
    order = [i for i in np.argsort(-s, kind="stable")[:k] if np.isfinite(s[i])]
    return [{"plan_title": doc.title, "section": doc.clauses[i].section or doc.clauses[i].section_path,
             "text": doc.clauses[i].text, "score": round(1 / (1 + math.exp(-float(s[i]))), 3),
             "why": why(feats[i], q), "clause_id": doc.clauses[i].clause_id,
             "start": doc.clauses[i].start, "end": doc.clauses[i].end} for i in order]
