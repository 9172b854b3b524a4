"""The `yingji` command line: the public contract. Errors are one clear line, never a traceback."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kg.errors import StoreError
from nlp.loaders import LoadError


def _dump(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _open(args):
    from kg.config import resolve
    from kg.open import open_backend

    config = resolve(getattr(args, "store", None), getattr(args, "neo4j", None))
    return config, open_backend(config)


def cmd_ingest(args) -> int:
    from kg.ingest import ingest_paths

    config, backend = _open(args)
    try:
        report = ingest_paths(backend, [Path(p) for p in args.paths], config.store_dir)
    finally:
        backend.close()
    out = report.to_json()
    if args.json:
        _dump(out)
    else:
        print(f"导入 {len(report.ingested)} 个文件，未变化 {len(report.unchanged)} 个，"
              f"跳过 {len(report.skipped)} 个，失败 {len(report.errors)} 个；"
              f"条款 {report.clauses} 条，用时 {report.seconds:.2f} 秒")
        for e in report.errors:
            print(f"  错误：{e['error']}", file=sys.stderr)
    nothing = not report.ingested and not report.unchanged
    return 1 if nothing and report.errors else 0


def cmd_stats(args) -> int:
    from kg.stats import collect

    _, backend = _open(args)
    try:
        stats = collect(backend)
    finally:
        backend.close()
    if args.json:
        _dump(stats)
        return 0
    docs = stats["documents"]
    print(f"文档 {docs['total']} 个（版本 {docs['versions']} 个）：" +
          "，".join(f"{k} {v}" for k, v in docs["by_kind"].items()))
    print("节点：" + "，".join(f"{k} {v}" for k, v in stats["nodes"].items()))
    print("关系：" + "，".join(f"{k} {v}" for k, v in stats["relationships"].items()))
    return 0


def cmd_outline(args) -> int:
    from nlp.clean import clean_text
    from nlp.loaders import read_text
    from nlp.outline import parse_outline

    outline = parse_outline(clean_text(read_text(Path(args.file))))
    if args.json:
        _dump(outline.to_json())
        return 0
    print(outline.title)
    for sec, _ in outline.walk():
        print("  " * sec.level + f"{sec.number} {sec.heading}".strip())
    return 0


def _read_batch(source: str):
    """JSON lines {"id", "report"} from a file or stdin ('-'); bad lines become errors, not crashes."""
    handle = sys.stdin if source == "-" else open(source, encoding="utf-8")
    with handle:
        for n, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                yield item.get("id", n), item["report"], None
            except (ValueError, KeyError, TypeError, AttributeError):
                yield n, None, f"第 {n} 行不是 {{\"id\", \"report\"}} JSON"


def cmd_parse(args) -> int:
    from nlp.incident import parse_report

    if args.batch:
        for item_id, text, error in _read_batch(args.batch):
            try:
                out = {"id": item_id, **parse_report(text)} if error is None else {"id": item_id, "error": error}
            except ValueError as exc:
                out = {"id": item_id, "error": str(exc)}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 0
    text = Path(args.file).read_text(encoding="utf-8") if args.file else args.text
    if text is None:
        raise LoadError("请提供报告文本、--file 或 --batch")
    try:
        result = parse_report(text)
    except ValueError as exc:
        raise LoadError(str(exc)) from exc
    if args.json:
        _dump(result)
    else:
        loc = result.get("location") or {}
        print(f"类型：{result.get('type_name') or '未识别'}（{result.get('type_code') or '-'}）")
        print(f"地点：{''.join(v for v in (loc.get('city'), loc.get('county'), loc.get('place')) if v) or '未识别'}")
        figures = [(k, result.get(k)) for k in ("deaths", "missing", "injured", "seriously_injured", "trapped", "evacuated")]
        print("伤亡：" + ("，".join(f"{k} {v}" for k, v in figures if v is not None) or "未提及"))
    return 0


def cmd_demo(args) -> int:
    from kg.corpus import demo_corpus
    from kg.ingest import ingest_paths
    from kg.stats import collect

    corpus = demo_corpus()
    if not corpus.is_dir():
        raise LoadError(f"找不到示例语料：{corpus}")
    t0 = time.perf_counter()
    config, backend = _open(args)
    startup = time.perf_counter() - t0
    try:
        report = ingest_paths(backend, [corpus], config.store_dir)
        stats = collect(backend)
        briefing = _demo_briefing(backend, config, corpus)
    finally:
        backend.close()
    where = config.neo4j_uri or str(config.store_dir)
    print(f"yingji 示例：语料 {corpus}")
    print(f"存储：{config.backend}（{where}），启动 {startup:.2f} 秒")
    print(f"导入 {len(report.ingested)} 个文件，未变化 {len(report.unchanged)} 个，失败 {len(report.errors)} 个，"
          f"新增条款 {report.clauses} 条，用时 {report.seconds:.2f} 秒")
    for e in report.errors:
        print(f"  错误：{e['error']}")
    docs = stats["documents"]
    print(f"库中文档 {docs['total']} 个：" + "，".join(f"{k} {v}" for k, v in docs["by_kind"].items()))
    print("节点：" + "，".join(f"{k} {v}" for k, v in stats["nodes"].items()))
    for d in docs["list"]:
        if d["kind"] == "plan":
            print(f"  · {d['title']}")
    if briefing:
        print("\n示例事件匹配（yingji match）：\n" + briefing)
    return 0


DEMO_REPORT = "_demo/report.txt"  # folders starting with _ are not ingested


def _demo_briefing(backend, config, corpus: Path) -> str | None:
    """The match briefing for the corpus's sample report, with how long the match took."""
    from matcher.service import Matcher
    from ui.cli_match import briefing

    sample = corpus / DEMO_REPORT
    if not sample.is_file():
        return None
    text = sample.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    matcher = Matcher(backend, config.store_dir)
    matcher.match(text)  # the first answer also embeds the plan's clauses once (cached in the store)
    first = time.perf_counter() - t0
    result = matcher.match(text)
    head = "报告：" + text.strip().replace("\n", " ")[:160]
    return (f"{head}\n{briefing(result)}\n（读图、建索引并首次匹配 {first:.1f} 秒；"
            f"之后每份报告 {result['timing_ms']['total']:.0f} 毫秒）")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yingji", description="应急预案知识图谱与辅助决策")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="嵌入式存储目录（默认用户数据目录；或 YINGJI_STORE）")
    common.add_argument("--neo4j", metavar="URI", help="使用 Neo4j（或 YINGJI_NEO4J_URI）")
    common.add_argument("--json", action="store_true", help="输出 JSON")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", parents=[common], help="导入文件或目录")
    s.add_argument("paths", nargs="+")
    s.set_defaults(func=cmd_ingest)
    s = sub.add_parser("stats", parents=[common], help="库中内容统计")
    s.set_defaults(func=cmd_stats)
    s = sub.add_parser("outline", parents=[common], help="显示文件的章节结构")
    s.add_argument("file")
    s.set_defaults(func=cmd_outline)
    s = sub.add_parser("parse", parents=[common], help="解析事件报告（类型、伤亡、地点、时间）")
    s.add_argument("text", nargs="?")
    s.add_argument("--file")
    s.add_argument("--batch", metavar="FILE|-", help="JSON 行 {\"id\",\"report\"}；- 为标准输入")
    s.set_defaults(func=cmd_parse)
    s = sub.add_parser("demo", parents=[common], help="导入示例语料并展示")
    s.set_defaults(func=cmd_demo)
    from ui import cli_check, cli_export, cli_match, cli_ui
    for module in (cli_match, cli_check, cli_export, cli_ui):
        module.register(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (StoreError, LoadError) as exc:
        print(f"yingji：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
