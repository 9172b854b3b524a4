"""Recognise a numbered heading line in any common Chinese numbering style.

Styles: Markdown `#`; 第X章 / 第X节 / 第X条; 一、; （一）; decimal 1 / 1.1 / 1.1.1; 1. ; （1）; 附件.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CN_NUM = "一二三四五六七八九十百零〇两"
TERMINAL = "。；;，,：:！？!?"
MAX_HEADING_CHARS = 40
INLINE_HEAD_MAX = 16

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("chapter", re.compile(rf"^第([{CN_NUM}\d]+)章[\s\u3000]*(.*)$")),
    ("jie", re.compile(rf"^第([{CN_NUM}\d]+)节[\s\u3000]*(.*)$")),
    ("article", re.compile(rf"^第([{CN_NUM}\d]+)条[\s\u3000]*(.*)$")),
    ("annex", re.compile(rf"^(附件|附录|附表)[\s\u3000]*([\d{CN_NUM}]*)[\s\u3000：:、.]*(.*)$")),
    ("cn", re.compile(rf"^([{CN_NUM}]{{1,3}})[、．.][\s\u3000]*(.+)$")),
    ("paren_cn", re.compile(rf"^[（(]([{CN_NUM}]{{1,3}})[）)][\s\u3000]*(.+)$")),
    ("decimal", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,4})\.?(?:[\s\u3000]+|(?=[\u4e00-\u9fff]))(.+)$")),
    ("decimal1", re.compile(r"^(\d{1,2})[\s\u3000]+([\u4e00-\u9fff].*)$")),
    ("num", re.compile(r"^(\d{1,2})[.、．][\s\u3000]*(.+)$")),
    ("paren_num", re.compile(r"^[（(](\d{1,2})[）)][\s\u3000]*(.+)$")),
]
_MD = re.compile(r"^(#{1,6})[\s\u3000]*(.+?)[\s#]*$")


@dataclass(frozen=True)
class Heading:
    style: str   # a style key; decimal depth and markdown depth are part of it (dec2, md3)
    number: str  # the numbering token as written, e.g. "一", "（一）", "1.2", "第三章"
    text: str    # heading text without its number ("" when the line has only a number)
    rest: str    # body text that followed the heading on the same line, if any


INNER_PUNCT = "，。；：,;:！？"


def _plausible(text: str) -> bool:
    """Short, no sentence punctuation anywhere, not a table row."""
    return 0 < len(text) <= MAX_HEADING_CHARS and not any(c in text for c in INNER_PUNCT) and "|" not in text


def _split_inline(text: str) -> tuple[str, str] | None:
    """'编制目的。为了……' -> ('编制目的', '为了……') when the head is short."""
    m = re.match(r"^([^。：:；;，,]{1,%d})[。：:]\s*(.+)$" % INLINE_HEAD_MAX, text)
    if m and not re.search(r"\d", m.group(1)):
        return m.group(1), m.group(2)
    return None


def parse_heading(line: str) -> Heading | None:
    s = line.strip()
    if not s or len(s) > 200:
        return None
    m = _MD.match(s)
    if m:
        depth = len(m.group(1))
        inner = parse_heading(m.group(2))
        if inner and not inner.rest:
            return Heading(f"md{depth}", inner.number, inner.text, "")
        return Heading(f"md{depth}", "", m.group(2).strip(), "")
    for style, pat in _PATTERNS:
        m = pat.match(s)
        if not m:
            continue
        if style == "annex":
            head = (m.group(1) + m.group(2)).strip()
            text = m.group(3).strip()
            if text and not _plausible(text):
                return None
            return Heading("annex", head, text, "")
        number, text = m.group(1), m.group(2).strip()
        if style in ("chapter", "jie", "article"):
            token = f"第{number}{ {'chapter': '章', 'jie': '节', 'article': '条'}[style] }"
            if not text or _plausible(text):
                return Heading(style, token, text, "")
            if style == "article":
                return Heading(style, token, "", text)
            return None
        if style in ("decimal", "decimal1"):
            depth = number.count(".") + 1
            style = f"dec{depth}"
        token = {"paren_cn": f"（{number}）", "paren_num": f"（{number}）"}.get(style, number)
        if _plausible(text):
            return Heading(style, token, text, "")
        if style in ("cn", "paren_cn") or style.startswith("dec"):
            split = _split_inline(text)
            if split:
                return Heading(style, token, split[0], split[1])
        return None
    return None


ITEM_START = re.compile(rf"^([（(][\d{CN_NUM}]{{1,3}}[）)]|\d{{1,2}}[.、．]|[{CN_NUM}]{{1,3}}、|[①-⑳]|[-*•·]\s)")
