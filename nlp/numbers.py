"""Chinese and Arabic numerals as they appear in incident reports.

``cn_to_number("二十余")`` → 20, ``cn_to_number("1.5万")`` → 15000, ``cn_to_number("上百")`` → 100.
Approximate quantifiers (余, 多, 来, 左右, 约, 近, 超, 逾, 上) keep the stated base figure: a report
saying "十余人" is recorded as 10, the lower bound it actually asserts.
"""
from __future__ import annotations

import re

DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "两": 2, "俩": 2,
    "三": 3, "叁": 3, "仨": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")

# A number as written in a report: optional approximate prefix, the figure (Arabic with optional
# decimal and 万/亿, or Chinese numerals), optional approximate suffix.
PREFIX = r"(?:约|近|超过|超|逾|达到|达|共|计|合计|累计|至少|不少于|大约|将近|接近)?"
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?(?:\s*[万萬亿億]{1,2})?"
CHINESE = rf"(?:上|数)?[{CN_CHARS}]+|上[百千万]|数[十百千万]"
SUFFIX = r"(?:余|多|来|几|左右|以上)?"
NUMBER = rf"(?:{ARABIC}|{CHINESE})"
NUMBER_RE = re.compile(rf"{PREFIX}(?P<num>{NUMBER}){SUFFIX}")


def _chinese_integer(text: str) -> float | None:
    """Value of a pure Chinese numeral such as 三百零五, 十二, 两千, 一万五千, 二〇二四."""
    if not text:
        return None
    if all(ch in DIGITS for ch in text) and len(text) > 1:
        # digit-by-digit form (二〇二四)
        return float("".join(str(DIGITS[ch]) for ch in text))
    total = 0.0
    section = 0.0
    number = None
    for ch in text:
        if ch in DIGITS:
            number = DIGITS[ch]
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            section += (number if number is not None else 1) * unit
            number = None
        elif ch in BIG_UNITS:
            unit = BIG_UNITS[ch]
            section += number or 0
            if section == 0:
                section = 1
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section = 0
            number = None
        else:
            return None
    if number is not None:
        section += number
    return total + section


def cn_to_number(text: str) -> float | None:
    """Convert a figure written with digits and/or Chinese numerals to a number.

    Returns None when ``text`` holds no number. Approximations keep the stated base
    ("十余" → 10, "一百多" → 100, "上百" → 100, "数十" → 10, "近百" → 100).
    """
    if text is None:
        return None
    s = str(text).strip().translate(_FULLWIDTH).replace(" ", "")
    s = re.sub(rf"^{PREFIX}", "", s)
    s = re.sub(r"(?:余|多|来|几|左右|以上)+$", "", s)
    if not s:
        return None
    if s[0] in "上数":
        s = s[1:]
        if s and s[0] in SMALL_UNITS or s and s[0] in BIG_UNITS:
            s = "一" + s
    if not s:
        return None
    m = re.fullmatch(r"(\d+(?:,\d{3})*(?:\.\d+)?)([万萬亿億]{0,2})", s)
    if m:
        value = float(m.group(1).replace(",", ""))
        for ch in m.group(2):
            value *= BIG_UNITS[ch]
        return value
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([十百千拾佰仟])", s)
    if m:
        return float(m.group(1)) * SMALL_UNITS[m.group(2)]
    # mixed "3千5百" / "1万5千" → normalise Arabic digits to Chinese digits first
    if re.search(r"\d", s) and re.fullmatch(rf"[\d{CN_CHARS}]+", s) and "." not in s:
        rev = {str(v): k for k, v in DIGITS.items() if k in "零一二三四五六七八九"}
        s = "".join(rev.get(ch, ch) for ch in s)
    if re.fullmatch(rf"[{CN_CHARS}]+", s):
        return _chinese_integer(s)
    return None


def to_int(text: str) -> int | None:
    """``cn_to_number`` rounded to an int (None stays None)."""
    value = cn_to_number(text)
    return None if value is None else int(round(value))


def find_numbers(text: str):
    """Yield (start, end, value) for every figure in ``text``."""
    for m in NUMBER_RE.finditer(text):
        value = cn_to_number(m.group("num"))
        if value is not None:
            yield m.start(), m.end(), value
