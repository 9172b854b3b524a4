"""Small text helpers shared by the checks: sentences, grade scopes, admin-level markers."""
from __future__ import annotations

import re

GRADES = ("一般", "较大", "重大", "特别重大")
ALL_GRADES = frozenset(GRADES)
_ABOVE = {g: frozenset(GRADES[i:]) for i, g in enumerate(GRADES)}

# written grade scopes, longest first
_SCOPE = re.compile(r"(特别重大(?:和|、|及|或者?)重大|重大(?:和|、|及|或者?)特别重大|(?:一般|较大|重大)(?:及|级)?以上"
                    r"|特别重大|重大|较大|一般(?![性地的]))")
_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条款][\s　]*|[（(][\d一二三四五六七八九十]{1,3}[）)]\s*"
                        r"|\d{1,2}(?:\.\d{1,2})*[.、．]?\s*|[一二三四五六七八九十]{1,3}、\s*|[①-⑳]\s*)")


def strip_numbering(text: str) -> str:
    prev = None
    while prev != text:
        prev, text = text, _NUMBERING.sub("", text, count=1)
    return text


def grade_scope(text: str) -> frozenset[str]:
    """Grades a phrase is about, from the last scope written in it ('较大以上…' → 较大, 重大, 特别重大)."""
    hits = list(_SCOPE.finditer(text))
    if not hits:
        return ALL_GRADES
    s = hits[-1].group(0)
    if "以上" in s:
        return _ABOVE[s[:2]]
    if "特别重大" in s and s != "特别重大":
        return frozenset({"重大", "特别重大"})
    return frozenset({s})


def sentence_bounds(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The sentence (ended by 。 or a line break) holding text[start:end]."""
    end = start if end is None else end
    a = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find("。", end), text.find("\n", end)) if i >= 0]
    b = min(stops) + 1 if stops else len(text)
    return a, b


# admin-level markers for reporters and recipients (order matters: longest forms first)
_LEVEL_MARKERS = [
    ("企业", r"企业|公司|事故单位|事发单位|生产经营单位|单位负责人|本单位|厂(?!房)"),
    ("园区", r"园区|新区|开发区|功能区|产业区|管委会|管理委员会"),
    ("乡镇", r"乡镇|[镇乡]（[乡镇、]*街道）|镇（乡）|各[镇乡]|街道办|镇人民政府|乡人民政府"),
    ("县区", r"县（区）|县（市、区）|县区|区县|县级|县(?![级城])|[\u4e00-\u9fff]{1,3}(?<![新园发港景社辖城灾库矿厂罐山林])区(?:人民政府|政府|委|应急|防指|指挥部)"),
    ("省", r"省"),
    ("市", r"(?<![城都超门上])市(?![场民]|民政)|(?<![城都超门上])市(?=民政)"),
]
_LEVEL_RX = [(lvl, re.compile(rx)) for lvl, rx in _LEVEL_MARKERS]


def levels_in(text: str) -> set[str]:
    return {lvl for lvl, rx in _LEVEL_RX if rx.search(text or "")}


def first_level(text: str) -> str | None:
    best = None
    for lvl, rx in _LEVEL_RX:
        m = rx.search(text or "")
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), lvl)
    return best[1] if best else None


def shorten(text: str, n: int = 60) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= n else text[:n - 1] + "…"
