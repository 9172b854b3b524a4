"""`yingji check`: cross-plan consistency findings for plan drafters (wired by ui.cli via register)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from kg.errors import StoreError


def cmd_check(args) -> int:
    from matcher.check import KINDS, run_checks
    from matcher.check import render
    from matcher.check.compare import compare
    from matcher.check.loader import load
    from matcher.check.runner import UnknownPlan, summary
    from ui.cli import _open

    bad = [k for k in args.kind or [] if k not in KINDS]
    if bad:
        print(f"yingji：未知的检查类型 {'、'.join(bad)}（可选：{'、'.join(KINDS)}）", file=sys.stderr)
        return 2
    _, backend = _open(args)
    started = time.perf_counter()   # checking time, after the store is open
    try:
        corpus = load(backend)
        try:
            if args.compare:
                result = compare(backend, args.compare[0], args.compare[1], corpus=corpus)
            else:
                result = run_checks(backend, plan=args.plan, kinds=args.kind, as_of=args.as_of, corpus=corpus)
        except UnknownPlan as exc:
            print(f"yingji：{exc}", file=sys.stderr)
            return 2
    finally:
        backend.close()
    seconds = time.perf_counter() - started
    if args.compare:
        out = (json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n" if args.json else
               render.compare_markdown(result) if args.format == "md" else
               render.compare_html(result) if args.format == "html" else render.compare_text(result))
    elif args.json:
        out = json.dumps({"findings": [f.to_json() for f in result], "summary": summary(result),
                          "plans": len(corpus.plans), "seconds": round(seconds, 3)},
                         ensure_ascii=False, indent=2) + "\n"
    elif args.format == "md":
        out = render.to_markdown(result)
    elif args.format == "html":
        out = render.to_html(result)
    else:
        out = render.to_text(result)
    if args.out:
        try:
            Path(args.out).write_text(out, encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"无法写入 {args.out}：{exc.strerror or exc}") from exc
        print(f"已写入 {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(out)
    return 0


def register(sub, common) -> None:
    s = sub.add_parser("check", parents=[common], help="预案一致性检查（分级标准、职责、时限、法规、引用、资源、要素、时效）")
    s.add_argument("--plan", help="只看与该预案有关的发现（标题、标题片段或文档编号）")
    s.add_argument("--kind", action="append", metavar="KIND", help="只做某类检查（可重复）")
    s.add_argument("--format", choices=("md", "html"), help="输出 Markdown 或 HTML（默认为易读文本；--json 输出 JSON）")
    s.add_argument("--out", metavar="FILE", help="写入文件")
    s.add_argument("--compare", nargs=2, metavar=("A", "B"), help="两部预案在冲突条款处并排对照")
    s.add_argument("--as-of", dest="as_of", metavar="YYYY-MM", help="判断预案是否过时的日期（默认库中最新文件日期）")
    s.set_defaults(func=cmd_check)
