"""Show a clause inside its source passage, highlighted, as safe HTML."""
from __future__ import annotations

import html
import re

WINDOW = 120


def locate(text: str, clause: str) -> tuple[int, int] | None:
    """Where `clause` sits in `text`: exact, else ignoring whitespace differences, else by its head."""
    if not text or not clause:
        return None
    i = text.find(clause)
    if i >= 0:
        return i, i + len(clause)
    squeezed = "".join(clause.split())
    for head in (squeezed[:40], squeezed[:16]):
        if len(head) >= 8:
            j = text.find(head)
            if j >= 0:
                return j, min(len(text), j + len(clause))
    return None


def passage(text: str, start: int, end: int, window: int = WINDOW) -> tuple[str, str, str]:
    """(before, match, after): the match with up to `window` characters either side, cut at line breaks."""
    start, end = max(0, start), min(len(text), end)
    lo = max(0, start - window)
    nl = text.find("\n", lo, start)
    lo = nl + 1 if nl >= 0 and start - nl > 20 else lo
    hi = min(len(text), end + window)
    nl = text.rfind("\n", end, hi)
    hi = nl if nl > end + 20 else hi
    before = ("…" if lo > 0 else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < len(text) else "")
    return before, text[start:end], after


def passage_html(before: str, match: str, after: str) -> str:
    esc = lambda s: html.escape(re.sub(r"\n\s*\n", "\n", s)).replace("\n", "<br>")  # noqa: E731
    return (f'<div class="yj-passage" style="line-height:1.7;color:#555">{esc(before)}'
            f'<mark style="background:#ffe08a;color:#000">{esc(match)}</mark>{esc(after)}</div>')


def highlight_clause(text: str, clause: str, window: int = WINDOW, span: tuple[int, int] | None = None) -> str:
    """HTML of the clause highlighted in its passage; the clause alone, highlighted, when not found.

    `span` (start, end) is used when it really holds the clause; otherwise the clause is looked up."""
    if span is not None and not (0 <= span[0] < span[1] <= len(text) and
                                 "".join(text[span[0]:span[1]].split())[:16] == "".join(clause.split())[:16]):
        span = None
    span = span or locate(text, clause)
    if span is None:
        return passage_html("", clause, "")
    return passage_html(*passage(text, span[0], span[1], window))
