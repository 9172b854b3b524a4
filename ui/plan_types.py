"""Plans grouped by the incident types they cover: the graph's COVERS links when ingest wrote them,
otherwise the type the report classifier reads from the plan's title."""
from __future__ import annotations

from collections import OrderedDict

from ui import queries

OTHER = "综合/其他"


def _category(code: str | None) -> str | None:
    try:
        from nlp.incident import lexicons
    except ImportError:
        return None
    entry = lexicons().taxonomy.get(code) if code else None
    return entry.category if entry else None


def _classify(title: str) -> tuple[str | None, str | None, str | None]:
    try:
        from nlp.incident import classify, lexicons
    except ImportError:
        return None, None, None
    code = classify(title)
    entry = lexicons().taxonomy.get(code) if code else None
    return (code, entry.name, entry.category) if entry else (None, None, None)


def plans_by_type(backend) -> "OrderedDict[str, list[dict]]":
    """{"事故灾难 · 危险化学品事故": [plan, ...], ...}; a plan covering several types is under each."""
    plans = queries.plans(backend)
    covered: dict[str, list[dict]] = {}
    for row in queries.covered_types(backend):
        covered.setdefault(row["version_id"], []).append(row)
    groups: dict[str, list[dict]] = {}
    for plan in plans:
        types = covered.get(plan["version_id"])
        if not types:
            code, name, category = _classify(plan["title"])
            types = [{"code": code, "name": name, "category": category}] if code else []
        keys = [f"{t.get('category') or _category(t.get('code')) or ''} · {t.get('name') or t.get('code')}".strip(" ·")
                for t in types] or [OTHER]
        for key in dict.fromkeys(keys):
            groups.setdefault(key, []).append(plan)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == OTHER, kv[0]))
    return OrderedDict(ordered)
