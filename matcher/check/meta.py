"""Plan and regulation metadata from DocVersion meta_* properties, with small fallbacks computed
from the stored title and text when a property is absent (older stores)."""
from __future__ import annotations

import re

LEVEL_RANK = {"国家": 0, "省": 1, "市": 2, "县区": 3, "园区": 4, "乡镇": 5, "企业": 6}
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月)?")
_PERIOD = re.compile(r"每\s*([\d一二两三四五六七八九十]+)\s*年[^。；]{0,8}?(?:评估|修订|修改|评审)")
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def meta(props: dict) -> dict:
    """meta_* properties without their prefix."""
    return {k[5:]: v for k, v in props.items() if k.startswith("meta_") and v not in (None, "", [])}


def as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(x) for x in value if x]


def law_key(title: str) -> str:
    """《中华人民共和国安全生产法》（2021年修正） → 安全生产法."""
    try:
        from nlp.metadata import law_key as nlp_key
        return nlp_key(title)
    except ImportError:  # pragma: no cover - older checkouts
        s = re.sub(r"\s+", "", title or "").strip("《》")
        s = re.sub(r"^中华人民共和国", "", s)
        return re.sub(r"[（(][^（）()]*[）)]$", "", s)


def year_month(date: str | None) -> tuple[int, int] | None:
    """'2024-05' / '2024-05-01' / '2024' → (2024, 5); a bare year counts as December (the youngest)."""
    if not date:
        return None
    m = re.match(r"((?:19|20)\d{2})(?:-(\d{1,2}))?", str(date))
    if not m:
        return None
    return int(m.group(1)), int(m.group(2) or 12)


def head_date(text: str) -> str | None:
    """First 'YYYY年M月' in the title block."""
    m = _DATE.search(text[:300])
    if not m:
        return None
    return f"{m.group(1)}-{int(m.group(2)):02d}" if m.group(2) else m.group(1)


def review_period(text: str) -> int | None:
    m = _PERIOD.search(text)
    if not m:
        return None
    n = m.group(1)
    return int(n) if n.isdigit() else _CN_DIGIT.get(n)


def subject(title: str) -> tuple[str | None, str | None]:
    """(admin level, jurisdiction) guessed from a title."""
    try:
        from nlp.metadata import subject_of
        level, juris, _ = subject_of(title)
        return level, juris
    except ImportError:  # pragma: no cover
        pass
    if title.startswith("国家"):
        return "国家", "国家"
    m = re.match(r"^(.{2,20}?(?:有限公司|公司|集团|厂))", title)
    if m:
        return "企业", m.group(1)
    m = re.match(r"^(.{1,12}?(?:化工园区|工业园区|园区|开发区|新区))", title)
    if m:
        return "园区", m.group(1)
    m = re.match(r"^(.{1,8}?(省|市|县|区))", title)
    if m:
        return {"省": "省", "市": "市"}.get(m.group(2), "县区"), m.group(1)
    return None, None


def plan_type(title: str, issuer: str | None) -> str:
    if "总体" in title:
        return "总体"
    if "现场处置方案" in title:
        return "现场处置方案"
    if issuer and re.search(r"(局|委员会|委|厅|办公室)$", issuer) and not re.search(r"人民政府办公", issuer):
        return "部门"
    return "专项"
