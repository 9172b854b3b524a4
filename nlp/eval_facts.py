"""Precision/recall of grading rules, duties and reporting time limits against the annotated passages.

    python -m nlp.eval_facts [--gold corpora/lianyungang/benchmark/nlp_annotations.jsonl]
                             [--plans corpora/sources/lianyungang/plans] [-v]

Extraction runs on whole plan sources; predictions are restricted to the annotated passages (a fact
counts when its clause lies inside a passage). Matching:
- grading rules: grade + metric + op + value + upper_op + upper (and-conditions count as rules);
- duties: organisation (normalised) + clause;
- time limits: minutes + clause.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from nlp.clean import clean_text
from nlp.facts import extract_duties, extract_time_limits, normalise_org
from nlp.grading import GradingRule, extract_grading_rules
from nlp.loaders import read_text
from nlp.outline import parse_outline

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "corpora/lianyungang/benchmark/nlp_annotations.jsonl"
PLANS = ROOT / "corpora/sources/lianyungang/plans"


def _num(v):
    if v is None:
        return None
    return round(float(v), 4)


def _norm_clause(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def _find_plan(plans: Path, title: str) -> Path | None:
    for p in sorted(plans.iterdir()):
        if p.stem == title:
            return p
    return None


def _passage_spans(text: str, passage: str) -> list[tuple[int, int]]:
    """Where a passage sits in the cleaned text (whole, else paragraph by paragraph)."""
    i = text.find(passage)
    if i >= 0:
        return [(i, i + len(passage))]
    spans = []
    for para in [p.strip() for p in passage.split("\n") if p.strip()]:
        j = text.find(para)
        if j >= 0:
            spans.append((j, j + len(para)))
    return spans


def _flatten(rules: list[GradingRule]) -> list[tuple]:
    out = []
    for r in rules:
        out.append((r, (r.grade, r.metric, r.op, _num(r.value), r.upper_op, _num(r.upper))))
        for c in r.conditions:
            out.append((r, (r.grade, c.metric, c.op, _num(c.value), c.upper_op, _num(c.upper))))
    return out


class PR:
    def __init__(self, name: str):
        self.name, self.tp, self.fp, self.fn = name, 0, 0, 0
        self.misses: list[str] = []
        self.extras: list[str] = []

    def add(self, gold: Counter, pred: Counter, label: str):
        for k in gold | pred:
            g, p = gold.get(k, 0), pred.get(k, 0)
            self.tp += min(g, p)
            if g > p:
                self.fn += g - p
                self.misses.append(f"{label}: {k}")
            if p > g:
                self.fp += p - g
                self.extras.append(f"{label}: {k}")

    def match(self, gold: list[tuple], pred: list[tuple], label: str):
        """(key, clause) pairs; a clause matches when one contains the other (item numbers and
        headings split off a clause do not count against it)."""
        used = [False] * len(pred)
        for key, gc in gold:
            hit = next((j for j, (k, pc) in enumerate(pred)
                        if not used[j] and k == key and pc and (pc in gc or gc in pc)), None)
            if hit is None:
                self.fn += 1
                self.misses.append(f"{label}: {(key, gc[:60])}")
            else:
                used[hit] = True
                self.tp += 1
        for j, (k, pc) in enumerate(pred):
            if not used[j]:
                self.fp += 1
                self.extras.append(f"{label}: {(k, pc[:60])}")

    def line(self) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return (f"{self.name:14s} gold={self.tp + self.fn:4d} pred={self.tp + self.fp:4d} tp={self.tp:4d}  "
                f"P={p:6.1%} R={r:6.1%} F1={f:6.1%}")


def evaluate_corpus(gold_path: Path = GOLD, plans: Path = PLANS, verbose: bool = False) -> dict:
    lines = [json.loads(x) for x in open(gold_path, encoding="utf-8") if x.strip()]
    lines = [x for x in lines if x.get("id") != "METRICS"]
    cache: dict[str, tuple] = {}
    grading, duties, limits = PR("grading_rules"), PR("duties"), PR("time_limits")
    missing_plans = set()
    for ann in lines:
        title = ann["plan"]
        if title not in cache:
            path = _find_plan(plans, title)
            if path is None:
                missing_plans.add(title)
                cache[title] = None  # type: ignore[assignment]
                continue
            outline = parse_outline(clean_text(read_text(path)))
            cache[title] = (outline, extract_grading_rules(outline), extract_duties(outline),
                            extract_time_limits(outline))
        if cache[title] is None:
            continue
        outline, rules, dut, tl = cache[title]
        spans = _passage_spans(outline.text, ann["passage"])
        inside = lambda a, b: any(s <= a and b <= e for s, e in spans)  # noqa: E731
        label = f"{ann['id']} {title}"

        def clause_of(idx: int) -> str:
            return _norm_clause(outline.clauses[idx].text) if 0 <= idx < len(outline.clauses) else ""

        g = Counter((r["grade"], r["metric"], r["op"], _num(r["value"]), r.get("upper_op"), _num(r.get("upper")))
                    for r in ann.get("grading_rules", []))
        p = Counter(k for r, k in _flatten(rules) if inside(*r.span))
        grading.add(g, p, label)

        g = [(normalise_org(d["org"]), _norm_clause(d["clause"])) for d in ann.get("duties", [])]
        p = [(d.canonical, clause_of(d.clause_index)) for d in dut
             if inside(outline.clauses[d.clause_index].start, outline.clauses[d.clause_index].end)]
        duties.match(g, p, label)

        g = [(float(t["minutes"]), _norm_clause(t["clause"])) for t in ann.get("time_limits", [])]
        p = [(float(t.minutes), clause_of(t.clause_index)) for t in tl
             if inside(outline.clauses[t.clause_index].start, outline.clauses[t.clause_index].end)]
        limits.match(g, p, label)
    result = {}
    for pr in (grading, duties, limits):
        print(pr.line())
        result[pr.name] = {"tp": pr.tp, "fp": pr.fp, "fn": pr.fn}
        if verbose:
            for m in pr.misses:
                print("   MISS ", m[:220])
            for m in pr.extras:
                print("   EXTRA", m[:220])
    if missing_plans:
        print("plans not found:", ", ".join(sorted(missing_plans)), file=sys.stderr)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--plans", type=Path, default=PLANS)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not args.gold.exists():
        print(f"gold not found: {args.gold}", file=sys.stderr)
        return 2
    evaluate_corpus(args.gold, args.plans, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
