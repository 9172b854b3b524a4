"""Undo copy-paste damage before parsing: page numbers, running headers, tables of contents,
hard line breaks inside sentences and full-width digits/letters."""
from __future__ import annotations

import re
from collections import Counter

from nlp.headings import ITEM_START, parse_heading

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH[0xFF0E] = ord(".")

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－~]*\s*\d{1,4}\s*[-—–－~]*|第\s*\d+\s*页(?:\s*[/／，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
TOC_TITLE = re.compile(r"^\s*目\s*录\s*$")
TOC_ENTRY = re.compile(r"(?:\.{3,}|…{1,}|·{3,}|－{3,}|-{4,}|_{4,})\s*\d{1,3}\s*$")
SENTENCE_END = "。！？；：;:!?”」』"


def normalise_width(text: str) -> str:
    return text.translate(_FULLWIDTH)


def _is_table_row(line: str) -> bool:
    return "|" in line or line.count("\u3000\u3000") >= 2 or "\t" in line


def clean_text(raw: str) -> str:
    text = normalise_width(raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))
    lines = [ln.rstrip() for ln in text.split("\n")]
    lines = [ln for ln in lines if not PAGE_NUMBER.match(ln)]
    lines = _drop_running_headers(lines)
    lines = _drop_toc(lines)
    lines = _join_hard_breaks(lines)
    out = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", out)


def _drop_running_headers(lines: list[str]) -> list[str]:
    counts = Counter(ln.strip() for ln in lines if 6 <= len(ln.strip()) <= 40)
    repeated = {s for s, n in counts.items() if n >= 3 and not parse_heading(s) and not _is_table_row(s)}
    seen: set[str] = set()
    out = []
    for ln in lines:
        s = ln.strip()
        if s in repeated:
            if s in seen:
                continue
            seen.add(s)
        out.append(ln)
    return out


def _drop_toc(lines: list[str]) -> list[str]:
    out: list[str] = []
    in_toc = False
    for ln in lines:
        s = ln.strip()
        if TOC_TITLE.match(s):
            in_toc = True
            continue
        if TOC_ENTRY.search(s):
            continue
        if in_toc:
            if not s:
                continue
            in_toc = False
        out.append(ln)
    return out


def _wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped document was broken at, or None when it is not hard-wrapped."""
    lengths = [len(ln.strip()) for ln in lines if len(ln.strip()) >= 10]
    if len(lengths) < 10:
        return None
    width = sorted(lengths)[int(len(lengths) * 0.9)]
    near = sum(1 for ln in lines if abs(len(ln.strip()) - width) <= 3 and ln.strip()[-1:] not in SENTENCE_END)
    return width if near >= 0.25 * len(lengths) else None


def _join_hard_breaks(lines: list[str]) -> list[str]:
    width = _wrap_width(lines)
    if width is None:
        return lines
    out: list[str] = []
    for ln in lines:
        s = ln.strip()
        if out and s and len(out) > 1:
            prev = out[-1].strip()
            full = len(prev) >= width - 1  # a line filling the wrap width was broken, heading-like or not
            if (prev and len(prev) >= width - 4 and prev[-1] not in SENTENCE_END
                    and (full or not parse_heading(prev)) and not parse_heading(s) and not ITEM_START.match(s)
                    and not _is_table_row(prev) and not _is_table_row(s)):
                out[-1] = out[-1].rstrip() + s
                continue
        out.append(ln)
    return out
