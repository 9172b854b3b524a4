"""Which plans apply: by incident type, jurisdiction and the plan hierarchy.

The most local government plan whose jurisdiction holds the incident and which covers its type
grades it. That plan leads for 一般 events (and events below any grade); for 较大 and above the plan
one level up (the city's plan for the type, else the city's overall plan) leads. Enterprise plans
apply when the report names the enterprise.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from matcher.data import Doc
from matcher.places import PlaceIndex
from nlp.incident import lexicons

_RANK = {"国家": 0, "省": 1, "市": 2, "县区": 3, "园区": 4, "企业": 5}


def ancestors(code: str | None) -> list[str]:
    tax = lexicons().taxonomy
    out: list[str] = []
    while code and code in tax and code not in out:
        out.append(code)
        code = tax[code].parent
    return out


def type_fit(plan_types: list[str], code: str | None) -> float:
    """How well a plan's covered types fit an incident type (1 exact … 0 unrelated)."""
    if not code or not plan_types:
        return 0.0
    up = ancestors(code)
    best = 0.0
    for t in plan_types:
        if t == code:
            return 1.0
        if t in up:  # the plan covers a broader class holding this type
            best = max(best, 0.9 - 0.05 * up.index(t))
        elif code in ancestors(t):  # the plan covers a narrower type
            best = max(best, 0.6)
        elif up and ancestors(t)[-2:-1] == up[-2:-1]:
            best = max(best, 0.15)
    return best


@dataclass
class PlanInfo:
    doc: Doc
    level: str | None
    place: str | None           # jurisdiction as a gazetteer name (None for enterprises)
    types: list[str]
    overall: bool

    @property
    def rank(self) -> int:
        return _RANK.get(self.level or "", 2)


def plan_info(doc: Doc, places: PlaceIndex) -> PlanInfo:
    level = doc.admin_level
    named = places.find_in(doc.jurisdiction or doc.title)
    # the deepest place the title or jurisdiction names
    place = max(named, key=lambda n: len(places.chain(n)), default=None)
    if level is None:
        if any(w in doc.title for w in ("有限公司", "集团", "企业", "厂")):
            level = "企业"
        elif place:
            kind = (places.by_name[place].get("kind") or "")
            level = {"市": "市", "区县": "县区", "园区": "园区", "省": "省"}.get(kind, "县区")
    overall = (doc.plan_type == "总体") or "总体" in doc.title
    if place is None and level not in (None, "企业"):
        place = doc.jurisdiction  # no gazetteer entry: the name the plan gives (matched by name)
    return PlanInfo(doc, level, place if level != "企业" else None, list(doc.types), overall)


@dataclass
class PlanChoice:
    lead: PlanInfo | None
    grading: PlanInfo | None
    ranked: list[tuple[PlanInfo, float, str]] = field(default_factory=list)   # (plan, score, why)


PARK_RADIUS_KM = 10.0


def _near_park(p: PlanInfo, chain: list[str], text: str, places: PlaceIndex | None, origin) -> bool:
    """A park plan also applies beside its park's parent when the incident is close to the park and
    the report speaks of the park (园区/新区…): parks and towns often share ground."""
    if places is None or origin is None or p.level != "园区" or not p.place:
        return False
    parent = places.by_name.get(p.place, {}).get("parent")
    xy = places.coords(p.place)
    if not xy or parent not in chain or p.place[-2:] not in text:
        return False
    from matcher.geo import haversine_km

    return haversine_km(origin[0], origin[1], xy[0], xy[1]) <= PARK_RADIUS_KM


def applicable(infos: list[PlanInfo], chain: list[str], text: str, places: PlaceIndex | None = None,
               origin=None) -> list[PlanInfo]:
    """Government plans whose jurisdiction holds the incident; enterprise plans the report names."""
    out = []
    for p in infos:
        if p.level == "企业":
            name = (p.doc.jurisdiction or p.doc.title.split("有限公司")[0] + "有限公司")
            short = name.replace("有限公司", "").replace("股份", "")
            if name in text or (len(short) >= 4 and short[-4:] in text):
                out.append(p)
        elif p.place is None or not chain or p.place in chain or _near_park(p, chain, text, places, origin):
            out.append(p)
    return out


def choose(infos: list[PlanInfo], code: str | None, chain: list[str], text: str,
           places: PlaceIndex | None = None, origin=None) -> tuple[list[PlanInfo], PlanInfo | None]:
    """Applicable plans covering the type, most local first, and the plan that grades the event."""
    cands = [p for p in applicable(infos, chain, text, places, origin) if p.level != "企业"]
    covering = [p for p in cands if not p.overall and type_fit(p.types, code) >= 0.5]
    # a park beside the place chain counts as one level below the park's parent
    depth = lambda p: chain.index(p.place) if p.place in chain else (  # noqa: E731
        chain.index(places.by_name[p.place]["parent"]) - 0.5 if places and p.place in places.by_name and
        places.by_name[p.place].get("parent") in chain else len(chain))
    covering.sort(key=lambda p: (depth(p), -type_fit(p.types, code)))
    overall = sorted((p for p in cands if p.overall), key=depth)
    grading = covering[0] if covering else (overall[0] if overall else None)
    return covering, grading


def city_plan(infos: list[PlanInfo], covering: list[PlanInfo]) -> PlanInfo | None:
    """The plan one level up from the local plans: the highest-level covering plan (市 first)."""
    above = [p for p in covering if p.rank <= _RANK["市"]]
    if above:
        return max(above, key=lambda p: p.rank)
    overall = [p for p in infos if p.overall and p.rank <= _RANK["市"]]
    return max(overall, key=lambda p: p.rank) if overall else None
