"""Field coverage of ``nlp.case.extract_case`` over a folder of case records.

    python -m nlp.eval_case [FOLDER] [--json] [-v]

A field counts as covered when it is not None / empty. ``-v`` prints each case's main fields.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nlp.case import CaseRecord, extract_case
from nlp.document import build_record

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "corpora" / "lianyungang" / "cases"
FIELDS = [f for f in CaseRecord.__dataclass_fields__ if f != "title"]
BRIEF = ("time", "county", "type_code", "deaths", "injured", "direct_loss_wan", "grade", "activated_level")


def evaluate(folder: Path) -> tuple[list[dict], dict[str, int]]:
    rows = []
    for p in sorted(Path(folder).iterdir()):
        if p.is_file() and p.suffix.lower() in (".txt", ".md", ".docx", ".pdf", ".html"):
            rows.append({"file": p.name, **extract_case(build_record(p)).to_json()})
    cov = {f: sum(1 for r in rows if r.get(f) not in (None, [], "")) for f in FIELDS}
    return rows, cov


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", default=str(CASES))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    rows, cov = evaluate(Path(args.folder))
    if args.json:
        print(json.dumps({"cases": len(rows), "coverage": cov, "records": rows if args.verbose else None},
                         ensure_ascii=False, indent=2))
        return 0
    if args.verbose:
        for r in rows:
            print(r["file"], "|", " ".join(f"{k}={r[k]}" for k in BRIEF), f"lessons={len(r['lessons'])}")
    print(f"cases: {len(rows)}")
    for f, n in cov.items():
        print(f"  {f:<18} {n:>3}/{len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
