"""Train and evaluate the spaCy NER on the annotated benchmark passages.

    python -m nlp.train_ner [--out DIR] [--iters N] [--seed S]   # train, save, evaluate on dev
    python -m nlp.train_ner --eval-only [--out DIR]               # evaluate the shipped model

Passages are split by a hash of their id (about 1 in 4 goes to dev), so the split never depends on
file order or the seed. Gold spans are aligned to jieba tokens with ``alignment_mode="expand"``;
the script reports how many did not align exactly. Scores are exact (start, end, label) matches
against the gold character spans as annotated, so an entity that cannot be a whole-token span
always counts as missed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import compounding, filter_spans, fix_random_seed, minibatch

from nlp.spacy_pipeline import DEFAULT_ORDER, LABELS, MODEL_DIR, ORDERS, build_blank, load_lexicon, \
    load_pipeline

ANNOTATIONS = Path(__file__).resolve().parent.parent / "corpora" / "lianyungang" / "benchmark" / "nlp_annotations.jsonl"
DEV_BUCKETS = 4                # one bucket of four goes to dev (~25 %)
# a small NER: its own hash-embedding CNN, no vectors, no shared tok2vec
NER_CONFIG = {"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                        "extra_state_tokens": False, "hidden_width": 64, "maxout_pieces": 2,
                        "use_upper": True, "nO": None,
                        "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None,
                                    "width": 64, "depth": 2, "embed_size": 2000, "window_size": 1,
                                    "maxout_pieces": 3, "subword_features": True}}}


# ---------------------------------------------------------------------------------------------
# data


def load_passages(path: Path = ANNOTATIONS) -> list[dict]:
    """Annotated passages; lines without "passage" (the metrics/notes object) are skipped."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if "passage" in row:
                    out.append(row)
    return out


def is_dev(pid: str) -> bool:
    return int(hashlib.sha1(pid.encode("utf-8")).hexdigest(), 16) % DEV_BUCKETS == 0


def split(passages: list[dict]) -> tuple[list[dict], list[dict]]:
    return [p for p in passages if not is_dev(p["id"])], [p for p in passages if is_dev(p["id"])]


def make_examples(nlp: Language, passages: list[dict]) -> tuple[list[Example], Counter]:
    """Training examples with gold spans expanded to token boundaries; stats on alignment."""
    stats: Counter = Counter()
    examples = []
    for p in passages:
        doc = nlp.make_doc(p["passage"])
        ref = nlp.make_doc(p["passage"])
        spans = []
        for e in p["entities"]:
            stats["gold"] += 1
            if doc.char_span(e["start"], e["end"]) is None:
                stats["misaligned"] += 1
            span = doc.char_span(e["start"], e["end"], label=e["label"], alignment_mode="expand")
            if span is not None:
                spans.append(span)
        kept = filter_spans(spans)
        stats["dropped_overlap"] += len(spans) - len(kept)
        ref.ents = kept
        examples.append(Example(doc, ref))
    return examples, stats


# ---------------------------------------------------------------------------------------------
# scoring


def score(nlp: Language, passages: list[dict]) -> dict[str, Counter]:
    """Per-label tp/fp/fn of exact character spans."""
    counts: dict[str, Counter] = {lab: Counter() for lab in LABELS}
    texts = [p["passage"] for p in passages]
    for p, doc in zip(passages, nlp.pipe(texts)):
        gold = {(e["start"], e["end"], e["label"]) for e in p["entities"]}
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        for s in gold | pred:
            c = counts.setdefault(s[2], Counter())
            c["tp" if s in gold and s in pred else "fn" if s in gold else "fp"] += 1
    return counts


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def overall(counts: dict[str, Counter]) -> tuple[float, float, float]:
    return prf(sum(counts.values(), Counter()))


def _cell(c: Counter) -> str:
    if not c["tp"] + c["fp"] + c["fn"]:
        return f"{'-':<6}{'-':<6}{'-':<6}"
    return "{:<6.2f}{:<6.2f}{:<6.2f}".format(*prf(c))


def print_table(results: dict[str, dict[str, Counter]], out=sys.stdout) -> None:
    """Per-label P/R/F, one column group per system; "gold" counts the first system's data."""
    w = 25
    print(f"{'label':<11}{'gold':>5} " + "".join(f"| {n:<{w}}" for n in results), file=out)
    print(f"{'':<17}" + f"| {'P     R     F':<{w}}" * len(results), file=out)
    labels = [lab for lab in LABELS if any(lab in r for r in results.values())]
    labels += sorted({lab for r in results.values() for lab in r} - set(LABELS))
    for lab in labels + ["OVERALL"]:
        cs = [sum(r.values(), Counter()) if lab == "OVERALL" else r.get(lab, Counter()) for r in results.values()]
        gold = cs[0]["tp"] + cs[0]["fn"]
        print(f"{lab:<11}{gold:>5} " + "".join(f"| {_cell(c):<{w}}" for c in cs), file=out)


# ---------------------------------------------------------------------------------------------
# training


def train(passages: list[dict], out: Path | None, iters: int = 30, seed: int = 0,
          log=print) -> Language:
    """Train a fresh NER (blank zh + user dictionary) on `passages`; save it to `out`."""
    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = build_blank(load_lexicon())
    ner = nlp.add_pipe("ner", config=NER_CONFIG)
    for lab in LABELS:
        ner.add_label(lab)
    examples, stats = make_examples(nlp, passages)
    log(f"train: {len(examples)} passages, {stats['gold']} gold spans, {stats['misaligned']} not token-aligned "
        f"(expanded), {stats['dropped_overlap']} dropped as overlapping")
    optimizer = nlp.initialize(lambda: examples)
    for i in range(iters):
        rng.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=compounding(8.0, 32.0, 1.05)):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        if i % 5 == 4 or i == iters - 1:
            log(f"  iter {i + 1:>3}  loss {losses.get('ner', 0.0):.1f}")
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        nlp.meta.update({"name": "yingji_ner", "version": "0.1.0",
                         "description": "NER for Chinese emergency plans (nlp/train_ner.py)",
                         "labels_source": str(ANNOTATIONS.name)})
        nlp.to_disk(out)
    return nlp


def evaluate(model_dir: Path, dev: list[dict], out=sys.stdout) -> dict[str, dict[str, Counter]]:
    """Dev scores of the rules alone, the NER alone and each combination order."""
    lex = load_lexicon()
    ner_only = build_blank(lex)
    ner_only.add_pipe("ner", source=spacy.load(model_dir))
    results = {"ruler": score(load_pipeline(None, lex=lex), dev), "ner": score(ner_only, dev)}
    for order in ORDERS:
        results[order + ("*" if order == DEFAULT_ORDER else "")] = score(load_pipeline(model_dir, order, lex), dev)
    print_table(results, out)
    print("* = combination used by load_pipeline(); exact (start, end, label) matches on dev", file=out)
    return results


def alignment_report(passages: list[dict]) -> str:
    lines = []
    for user_dict in (False, True):
        _, stats = make_examples(build_blank(load_lexicon(), user_dict=user_dict), passages)
        lines.append(f"{stats['misaligned']}/{stats['gold']} gold spans not token-aligned with jieba "
                     f"{'+ user dictionary' if user_dict else '(no user dictionary)'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nlp.train_ner", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=MODEL_DIR, help="model folder (default nlp/models/ner)")
    ap.add_argument("--iters", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", type=Path, default=ANNOTATIONS)
    ap.add_argument("--eval-only", action="store_true", help="evaluate the model in --out, do not train")
    args = ap.parse_args(argv)

    passages = load_passages(args.data)
    tr, dev = split(passages)
    print(f"passages: {len(passages)}  train {len(tr)}  dev {len(dev)}  "
          f"(dev entities {sum(len(p['entities']) for p in dev)})")
    print(alignment_report(passages))
    if not args.eval_only:
        t0, c0 = time.perf_counter(), time.process_time()
        train(tr, args.out, args.iters, args.seed)
        print(f"trained in {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU -> {args.out}")
    if not (Path(args.out) / "ner").is_dir():
        print(f"no model in {args.out}", file=sys.stderr)
        return 1
    evaluate(args.out, dev)
    return 0


if __name__ == "__main__":
    sys.exit(main())
