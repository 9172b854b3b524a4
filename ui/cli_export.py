"""`yingji export` and `yingji sparql`, registered on the main parser by `register(sub, common)`."""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

CELL = 60  # display columns per table cell


def cmd_export(args) -> int:
    from kg.export import export
    from ui.cli import _dump, _open

    _, backend = _open(args)
    try:
        report = export(backend, args.format, Path(args.out), validate_rdf=not args.no_validate)
    except OSError as exc:
        print(f"yingji：无法写入 {args.out}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        backend.close()
    conforms = report.get("conforms")
    if args.json:
        _dump(report)
    else:
        extra = f"，三元组 {report['triples']} 个" if "triples" in report else ""
        extra += f"，语句 {report['statements']} 条" if "statements" in report else ""
        print(f"已导出 {args.format} 到 {args.out}（{report['bytes']} 字节）：节点 {report['nodes']} 个，"
              f"关系 {report['edges']} 条{extra}；用时 {report['read_seconds'] + report['write_seconds']:.2f} 秒")
        if report["skipped_nodes"] or report["skipped_edges"]:
            print(f"  跳过无键节点 {report['skipped_nodes']} 个、关系 {report['skipped_edges']} 条")
        if conforms is not None:
            print(f"SHACL 校验：{'通过' if conforms else '未通过'}（{report['validate_seconds']:.2f} 秒）")
    if conforms is False:
        print(report["shacl_report"][:4000], file=sys.stderr)
        return 1
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    if _width(text) <= CELL:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > CELL - 1:
            return out + "…"
        out += ch
    return out


def print_table(rows: list[dict]) -> None:
    if not rows:
        print("（无结果）")
        return
    names = list(rows[0])
    cells = [[_cell(r.get(n)) for n in names] for r in rows]
    widths = [max(_width(n), *(_width(c[i]) for c in cells)) for i, n in enumerate(names)]
    pad = lambda s, w: s + " " * (w - _width(s))  # noqa: E731
    print("  ".join(pad(n, w) for n, w in zip(names, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for c in cells:
        print("  ".join(pad(s, w) for s, w in zip(c, widths)).rstrip())
    print(f"（{len(rows)} 行）")


def cmd_sparql(args) -> int:
    from kg.export import read_graph, to_rdf
    from kg.sparql import SparqlError, prepare, query_graph
    from ui.cli import _dump, _open

    try:
        text = Path(args.file).read_text(encoding="utf-8") if args.file else args.query
    except (OSError, UnicodeDecodeError) as exc:
        print(f"yingji：无法读取 {args.file}：{exc}", file=sys.stderr)
        return 2
    if not text:
        print("yingji：请提供 SPARQL 查询或 --file", file=sys.stderr)
        return 2
    try:
        q = prepare(text)
    except SparqlError as exc:
        print(f"yingji：{exc}", file=sys.stderr)
        return 2
    _, backend = _open(args)
    try:
        graph = read_graph(backend)
    finally:
        backend.close()
    rows = query_graph(to_rdf(graph), q)
    if args.json:
        _dump(rows)
    else:
        print_table(rows)
    return 0


def register(sub, common) -> None:
    from kg.export import FORMATS

    s = sub.add_parser("export", parents=[common], help="导出图谱（RDF Turtle/JSON-LD、GraphML、Neo4j Cypher）")
    s.add_argument("--format", required=True, choices=FORMATS)
    s.add_argument("--out", required=True, metavar="FILE")
    s.add_argument("--no-validate", action="store_true", help="RDF 格式不做 SHACL 校验")
    s.set_defaults(func=cmd_export)
    s = sub.add_parser("sparql", parents=[common], help="用 SPARQL 查询图谱（前缀 yj: data: rdf: rdfs: xsd:）")
    s.add_argument("query", nargs="?")
    s.add_argument("--file", help="从文件读取查询")
    s.set_defaults(func=cmd_sparql)
