"""Store start-up time and ingest throughput: `python -m bench.store [--runs N]`.

Start-up: a cold FalkorDB server for a fresh folder until it answers (median of N).
Throughput: clauses per second when ingesting the demo corpus into an empty store (all formats,
PDF and Word parsing included), and the time of an unchanged re-ingest.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from kg.config import StoreConfig
from kg.corpus import demo_corpus
from kg.falkor_backend import FalkorBackend
from kg.ingest import ingest_paths
from kg.open import open_backend


def startup(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="yjb-"))
        t0 = time.perf_counter()
        backend = FalkorBackend(folder)
        times.append(time.perf_counter() - t0)
        backend.close()
        shutil.rmtree(folder, ignore_errors=True)
    return times


def throughput(runs: int) -> list[dict]:
    out = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="yjb-"))
        backend = open_backend(StoreConfig(store_dir=folder))
        try:
            first = ingest_paths(backend, [demo_corpus()], folder)
            again = ingest_paths(backend, [demo_corpus()], folder)
        finally:
            backend.close()
            shutil.rmtree(folder, ignore_errors=True)
        out.append({"files": len(first.ingested), "clauses": first.clauses, "seconds": first.seconds,
                    "cps": first.clauses / first.seconds, "reingest_seconds": again.seconds})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    s = startup(args.runs)
    print(f"store start-up: median {statistics.median(s) * 1000:.0f} ms, max {max(s) * 1000:.0f} ms over {len(s)} cold starts")
    t = throughput(max(1, args.runs // 2))
    best = max(t, key=lambda r: r["cps"])
    print(f"ingest: {best['files']} files, {best['clauses']} clauses in {best['seconds']:.2f} s = "
          f"{statistics.median(r['cps'] for r in t):.0f} clauses/s (median of {len(t)}); "
          f"unchanged re-ingest {statistics.median(r['reingest_seconds'] for r in t):.2f} s")


if __name__ == "__main__":
    main()
