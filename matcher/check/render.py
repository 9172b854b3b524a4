"""Findings and comparisons as plain text, Markdown and self-contained HTML (everything escaped)."""
from __future__ import annotations

import html
import re
from itertools import groupby

from matcher.check.model import KIND_NAMES, KINDS, Finding
from matcher.check.runner import summary

_STYLE = """body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2em;color:#222;
line-height:1.6}h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:2px solid #c33;padding-bottom:.2em;margin-top:2em}
h3{font-size:1.05em;color:#555}.f{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;margin:.8em 0}
.sev{display:inline-block;padding:0 .5em;border-radius:4px;color:#fff;font-size:.85em;margin-right:.5em}
.s高{background:#c0392b}.s中{background:#e67e22}.s低{background:#7f8c8d}blockquote{margin:.4em 0;padding:.3em .8em;
background:#f7f7f7;border-left:4px solid #bbb;white-space:pre-wrap}.src{color:#666;font-size:.9em}
.sug{color:#1a6b3c}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.5em;
vertical-align:top;width:50%}th{background:#f0f0f0}"""


def _groups(findings: list[Finding]):
    ordered = sorted(findings, key=Finding.sort_key)
    for plan, items in groupby(ordered, key=lambda f: f.plan):
        items = list(items)
        yield plan, [(k, [f for f in items if f.kind == k]) for k in KINDS if any(f.kind == k for f in items)]


def _head(findings: list[Finding]) -> str:
    s = summary(findings)
    kinds = "，".join(f"{KIND_NAMES[k]} {n}" for k, n in s["by_kind"].items() if n)
    sev = "，".join(f"{k} {v}" for k, v in sorted(s["by_severity"].items()))
    return f"共 {s['total']} 项发现" + (f"（{sev}）：{kinds}" if s["total"] else "。")


def to_text(findings: list[Finding]) -> str:
    lines = [_head(findings)]
    for plan, kinds in _groups(findings):
        lines += ["", f"■ {plan}"]
        for kind, items in kinds:
            for f in items:
                lines.append(f"  [{f.severity}] {KIND_NAMES[kind]}：{f.message}")
                for e in f.evidence:
                    lines.append(f"      《{e.plan_title}》{e.section}：{_one_line(e.text)}")
                lines.append(f"      建议：{f.suggestion}")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " / ", text.strip())


def _md(text: str) -> str:
    """Escape Markdown control characters in running text."""
    return re.sub(r"([\\`*_{}\[\]<>#|!])", r"\\\1", _one_line(text))


def to_markdown(findings: list[Finding], title: str = "预案一致性检查") -> str:
    out = [f"# {_md(title)}", "", _md(_head(findings))]
    for plan, kinds in _groups(findings):
        out += ["", f"## {_md(plan)}"]
        for kind, items in kinds:
            out += ["", f"### {KIND_NAMES[kind]}（{kind}）"]
            for f in items:
                out += ["", f"- **[{f.severity}]** {_md(f.message)}"]
                for e in f.evidence:
                    out.append(f"  - 《{_md(e.plan_title)}》{_md(e.section)}")
                    out.append(f"    > {_md(e.text)}")
                out.append(f"  - 建议：{_md(f.suggestion)}")
    return "\n".join(out) + "\n"


def _h(text: str) -> str:
    return html.escape(text or "", quote=True)


def _ev_html(e) -> str:
    return (f'<div class="src">《{_h(e.plan_title)}》{_h(e.section)}</div>'
            f"<blockquote>{_h(e.text)}</blockquote>")


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{_h(title)}</title>'
            f"<style>{_STYLE}</style></head><body>{body}</body></html>\n")


def to_html(findings: list[Finding], title: str = "预案一致性检查") -> str:
    parts = [f"<h1>{_h(title)}</h1><p>{_h(_head(findings))}</p>"]
    for plan, kinds in _groups(findings):
        parts.append(f"<h2>{_h(plan)}</h2>")
        for kind, items in kinds:
            parts.append(f"<h3>{_h(KIND_NAMES[kind])}（{_h(kind)}）</h3>")
            for f in items:
                parts.append(f'<div class="f"><p><span class="sev s{_h(f.severity)}">{_h(f.severity)}</span>'
                             f"{_h(f.message)}</p>" + "".join(_ev_html(e) for e in f.evidence) +
                             f'<p class="sug">建议：{_h(f.suggestion)}</p></div>')
    return _page(title, "".join(parts))


# --- comparisons ----------------------------------------------------------------------------


def compare_text(cmp) -> str:
    rows = cmp.rows()
    lines = [f"《{cmp.a}》 ↔ 《{cmp.b}》：{len(rows)} 处冲突"]
    for r in rows:
        lines += ["", f"[{r['severity']}] {KIND_NAMES.get(r['kind'], r['kind'])}：{r['message']}"]
        for side, name in (("a", cmp.a), ("b", cmp.b)):
            for e in r[side]:
                lines.append(f"    《{name}》{e['section']}：{_one_line(e['text'])}")
    return "\n".join(lines) + "\n"


def compare_markdown(cmp) -> str:
    rows = cmp.rows()
    out = [f"# 预案对照：《{_md(cmp.a)}》与《{_md(cmp.b)}》", "", f"共 {len(rows)} 处冲突。"]
    for r in rows:
        out += ["", f"## [{r['severity']}] {KIND_NAMES.get(r['kind'], r['kind'])}", "", _md(r["message"]), "",
                f"| 《{_md(cmp.a)}》 | 《{_md(cmp.b)}》 |", "|---|---|"]
        cell = lambda evs: "<br>".join(f"**{_md(e['section'])}**：{_md(e['text'])}" for e in evs) or "（无）"  # noqa: E731
        out.append(f"| {cell(r['a'])} | {cell(r['b'])} |")
        out += ["", f"建议：{_md(r['suggestion'])}"]
    return "\n".join(out) + "\n"


def compare_html(cmp) -> str:
    rows = cmp.rows()
    parts = [f"<h1>预案对照</h1><p>{len(rows)} 处冲突</p>"]
    for r in rows:
        cell = lambda evs: "".join(  # noqa: E731
            f'<div class="src">{_h(e["section"])}</div><blockquote>{_h(e["text"])}</blockquote>' for e in evs) or "（无）"
        parts.append(f'<div class="f"><p><span class="sev s{_h(r["severity"])}">{_h(r["severity"])}</span>'
                     f"{_h(KIND_NAMES.get(r['kind'], r['kind']))}：{_h(r['message'])}</p>"
                     f"<table><tr><th>《{_h(cmp.a)}》</th><th>《{_h(cmp.b)}》</th></tr>"
                     f"<tr><td>{cell(r['a'])}</td><td>{cell(r['b'])}</td></tr></table>"
                     f'<p class="sug">建议：{_h(r["suggestion"])}</p></div>')
    return _page(f"预案对照：{cmp.a} / {cmp.b}", "".join(parts))
