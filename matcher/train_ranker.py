"""`python -m matcher.train_ranker`: fit the clause ranker's weights (logistic regression over
`matcher.clauses.FEATURES`) on the dev benchmark and write `matcher/ranker.json`.

A clause is positive when it holds one of the report's gold snippets. Features are computed for
the clauses of the report's gold plan, with the grade and level the matcher itself works out, so
training sees what run time sees. Grouped 5-fold cross-validation by report gives an honest
hit@5 before the final fit on all reports.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from matcher import clauses
from matcher.bench import common_args, load_reports, opened_matcher


def collect(matcher, reports: list[dict]):
    """(features, labels, report index) over the gold plans' clauses."""
    by_title = {d.title: d for d in matcher.world.plans}
    xs, ys, groups = [], [], []
    for n, r in enumerate(reports):
        doc = by_title.get(r["gold"]["plan"])
        if doc is None or not doc.clauses:
            continue
        st = matcher.understand(r["report"])
        q, bm, dense = matcher.clause_inputs(doc, st)
        feats = clauses.features(doc.clauses, q, bm, dense)
        labels = [any(s in c.text for s in r["gold"]["clauses"]) for c in doc.clauses]
        xs.append(feats)
        ys.append(np.array(labels, dtype=int))
        groups.append(np.full(len(labels), n))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(groups)


def _fit(x, y, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x, y)


def hit_at_5(model, x, y, groups) -> float:
    hits = []
    for g in np.unique(groups):
        m = groups == g
        s = model.decision_function(x[m])
        top = np.argsort(-s, kind="stable")[:5]
        hits.append(bool(y[m][top].any()))
    return float(np.mean(hits))


def cross_validate(x, y, groups, c: float, folds: int = 5, seed: int = 13) -> float:
    ids = np.unique(groups)
    rng = np.random.default_rng(seed)
    rng.shuffle(ids)
    scores = []
    for k in range(folds):
        test = np.isin(groups, ids[k::folds])
        model = _fit(x[~test], y[~test], c)
        scores.append(hit_at_5(model, x[test], y[test], groups[test]))
    return float(np.mean(scores))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m matcher.train_ranker", description=__doc__)
    common_args(ap)
    ap.add_argument("--out", default=str(clauses.WEIGHTS_FILE))
    ap.add_argument("--c", type=float, default=1.0, help="正则化强度的倒数")
    args = ap.parse_args(argv)
    with opened_matcher(args) as (matcher, _):
        x, y, groups = collect(matcher, load_reports(args.reports))
        embedder = matcher.embedder.name if matcher.embedder else "none"
    cv = cross_validate(x, y, groups, args.c)
    model = _fit(x, y, args.c)
    weights = {f: round(float(w), 4) for f, w in zip(clauses.FEATURES, model.coef_[0])}
    weights["bias"] = round(float(model.intercept_[0]), 4)
    out = {"weights": weights, "features": list(clauses.FEATURES), "embedder": embedder,
           "reports": int(len(np.unique(groups))), "clauses": int(len(y)), "positives": int(y.sum()),
           "cv_hit5_in_gold_plan": round(cv, 3), "train_hit5_in_gold_plan": round(hit_at_5(model, x, y, groups), 3)}
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
