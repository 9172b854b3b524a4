"""Measure ``nlp.incident.parse_report`` against gold data.

    python -m nlp.eval_parse [--benchmark DIR] [--ceec DIR] [--errors]

1. The city benchmark (``corpora/lianyungang/benchmark/reports_*.jsonl``): exact-match accuracy of
   type_code (and type family), deaths, injured (plus missing, seriously_injured, evacuated where
   gold has them), province and county. A gold null counts as correct only when we return null.
2. The CEEC corpus of real Chinese environmental-emergency news (XML, Shanghai University), if
   present: all six classes are environmental pollution, so the expected type is the A21400
   family; province accuracy on documents whose <Location> tags name exactly one province.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import sys
import time
from pathlib import Path

from nlp.incident import lexicons, parse_report, warm_up

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCHMARK = ROOT / "corpora" / "lianyungang" / "benchmark"
DEFAULT_CEEC = Path(os.environ.get("YINGJI_CEEC", "/work/shared/data/CEEC"))

NUMERIC = ("deaths", "injured", "missing", "seriously_injured", "evacuated")


def _pct(ok: int, n: int) -> str:
    return f"{ok}/{n} = {100.0 * ok / n:.1f}%" if n else "n/a"


def eval_benchmark(folder: Path, show_errors: bool = False) -> dict:
    files = sorted(glob.glob(str(folder / "reports_*.jsonl")))
    if not files:
        print(f"[benchmark] no reports_*.jsonl under {folder}")
        return {}
    lex = lexicons()
    tally: dict[str, list[int]] = {}
    timings: list[float] = []
    errors: list[str] = []

    def count(key: str, ok: bool) -> None:
        t = tally.setdefault(key, [0, 0])
        t[0] += int(ok)
        t[1] += 1

    n_items = 0
    for path in files:
        for line_no, line in enumerate(open(path, encoding="utf-8"), 1):
            line = line.strip()
            if not line:
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                print(f"[benchmark] {Path(path).name}:{line_no}: not JSON, skipped")
                continue
            gold = item.get("gold") or {}
            text = item.get("report") or ""
            if not text.strip():
                continue
            n_items += 1
            t0 = time.perf_counter()
            got = parse_report(text)
            timings.append((time.perf_counter() - t0) * 1000)
            rid = item.get("id", f"{Path(path).stem}:{line_no}")
            if "type_code" in gold:
                ok = got["type_code"] == gold["type_code"]
                count("type_code", ok)
                gfam = lex.family(gold["type_code"]) if gold["type_code"] in lex.taxonomy else gold["type_code"]
                count("type_family", got["type_code"] is not None and lex.family(got["type_code"]) == gfam)
                if not ok:
                    errors.append(f"{rid} type {got['type_code']} != {gold['type_code']}")
            for key in NUMERIC:
                if key in gold:
                    ok = got[key] == gold[key]
                    count(key, ok)
                    if not ok:
                        errors.append(f"{rid} {key} {got[key]} != {gold[key]}")
            for key in ("province", "county"):
                if key in gold:
                    ok = got["location"][key] == gold[key]
                    count(key, ok)
                    if not ok:
                        errors.append(f"{rid} {key} {got['location'][key]} != {gold[key]}")
    print(f"[benchmark] {n_items} reports from {len(files)} file(s): {', '.join(Path(f).name for f in files)}")
    for key in ("type_code", "type_family", *NUMERIC, "province", "county"):
        if key in tally:
            print(f"  {key:<18} {_pct(*tally[key])}")
    casualty = [tally[k] for k in ("deaths", "injured", "missing", "seriously_injured", "evacuated") if k in tally]
    if casualty:
        print(f"  {'casualties (all)':<18} {_pct(sum(c[0] for c in casualty), sum(c[1] for c in casualty))}")
    if timings:
        timings.sort()
        print(f"  time per report    median {statistics.median(timings):.1f} ms, "
              f"p95 {timings[int(0.95 * (len(timings) - 1))]:.1f} ms, max {timings[-1]:.1f} ms")
    if show_errors and errors:
        print("  errors:")
        for e in errors:
            print("   ", e)
    return tally


def _ceec_doc(path: Path):
    from defusedxml import ElementTree as ET

    root = ET.parse(str(path)).getroot()
    title = "".join(root.findtext("Title") or "").strip()
    content = root.find("Content")
    paragraphs = []
    if content is not None:
        for para in content.iter("Paragraph"):
            paragraphs.append("".join(para.itertext()))
    text = title + "\n" + "\n".join(paragraphs)
    text = "".join(text.split(" ")).replace("\t", "")
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    locations = ["".join(el.itertext()).strip() for el in root.iter("Location")]
    return title, text, locations


def _province_of(names: list[str]) -> set[str]:
    """Provinces named by the <Location> tags (full names or unambiguous short names)."""
    from nlp.places import admin_index

    idx = admin_index()
    found = set()
    for name in names:
        for _, surface, cands, weak in idx.mentions(name):
            if weak:
                continue
            provs = {a.province for a in cands}
            if len(provs) == 1:
                found |= provs
    return found


def eval_ceec(folder: Path, show_errors: bool = False) -> dict:
    files = sorted(folder.rglob("*.xml")) if folder.exists() else []
    if not files:
        print(f"[CEEC] corpus not found under {folder}: skipped")
        return {}
    lex = lexicons()
    ok_cat = ok_prov = n_prov = n = 0
    errors = []
    by_class: dict[str, list[int]] = {}
    for path in files:
        try:
            title, text, locations = _ceec_doc(path)
        except Exception as exc:  # malformed XML in the corpus
            print(f"[CEEC] {path.name}: unreadable ({exc}), skipped")
            continue
        if not text.strip():
            continue
        n += 1
        got = parse_report(text)
        cls = path.parent.name
        good = got["type_code"] is not None and lex.family(got["type_code"]) == "A21400"
        ok_cat += good
        c = by_class.setdefault(cls, [0, 0])
        c[0] += good
        c[1] += 1
        if not good:
            errors.append(f"{cls}/{title[:30]} type {got['type_code']} {got['type_name']}")
        provinces = _province_of(locations)
        if len(provinces) == 1:
            n_prov += 1
            gold = next(iter(provinces))
            hit = got["location"]["province"] == gold
            ok_prov += hit
            if not hit:
                errors.append(f"{cls}/{title[:30]} province {got['location']['province']} != {gold}")
    print(f"[CEEC] {n} news reports under {folder}")
    print(f"  type A21400 family {_pct(ok_cat, n)}")
    for cls, (a, b) in sorted(by_class.items()):
        print(f"    {cls:<8} {_pct(a, b)}")
    print(f"  province           {_pct(ok_prov, n_prov)} (documents whose Location tags name one province)")
    if show_errors and errors:
        print("  errors:")
        for e in errors:
            print("   ", e)
    return {"type": (ok_cat, n), "province": (ok_prov, n_prov)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nlp.eval_parse", description=__doc__.splitlines()[0])
    ap.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK)
    ap.add_argument("--ceec", type=Path, default=DEFAULT_CEEC)
    ap.add_argument("--errors", action="store_true", help="list every miss")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    warm_up()
    print(f"warm-up {1000 * (time.perf_counter() - t0):.0f} ms")
    eval_benchmark(args.benchmark, args.errors)
    eval_ceec(args.ceec, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
