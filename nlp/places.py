"""Where an incident happened: nation-wide admin divisions plus a city's own gazetteer.

Two sources are combined:

* the national province/city/county table shipped with jionlp (``jio.china_location_loader`` and
  ``jio.parse_location``), for any place in China;
* a city gazetteer CSV (columns ``名称,别名,类型,上级,经度,纬度``) for local places below county
  level — towns, parks, rivers, roads, key sites — with coordinates. Its path is an argument, or
  the ``YINGJI_GAZETTEER`` environment variable, or the bundled 连云港 gazetteer.

Both are loaded once per process (per gazetteer path) and scanned with one compiled regex each.
"""
from __future__ import annotations

import csv
import os
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_GAZETTEER = Path(__file__).resolve().parent.parent / "corpora" / "lianyungang" / "gazetteer" / "places.csv"
GAZETTEER_ENV = "YINGJI_GAZETTEER"

PROVINCE_TYPES = {"省", "自治区", "直辖市"}
CITY_TYPES = {"市", "地级市", "自治州", "地区", "盟"}
COUNTY_TYPES = {"区县", "县", "区", "县级市", "旗"}
COUNTY_LEVEL_PARKS = {"园区", "新区", "功能区"}

_lock = threading.Lock()


def gazetteer_path(path: str | os.PathLike | None = None) -> Path:
    """Resolve which gazetteer to use: argument, then $YINGJI_GAZETTEER, then the bundled one."""
    if path:
        return Path(path)
    env = os.environ.get(GAZETTEER_ENV)
    if env:
        return Path(env)
    return DEFAULT_GAZETTEER


# ---------------------------------------------------------------------------------------------
# Gazetteer
# ---------------------------------------------------------------------------------------------

@dataclass
class Place:
    name: str
    kind: str
    parent: str | None
    lon: float | None
    lat: float | None
    aliases: tuple[str, ...] = ()


def place_from_row(row: dict) -> Place | None:
    """One gazetteer CSV row (名称,别名,类型,上级,经度,纬度) as a Place; None without a name."""
    name = (row.get("名称") or "").strip()
    if not name:
        return None
    aliases = tuple(a.strip() for a in re.split(r"[;；、]", row.get("别名") or "") if a.strip())
    lon, lat = _float(row.get("经度")), _float(row.get("纬度"))
    if lon is None or lat is None:
        lon = lat = None
    return Place(name, (row.get("类型") or "").strip(), (row.get("上级") or "").strip() or None, lon, lat, aliases)


@dataclass
class Gazetteer:
    places: dict[str, Place]
    surfaces: dict[str, str]            # surface form → canonical name
    pattern: re.Pattern | None
    _depth: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "Gazetteer":
        places: dict[str, Place] = {}
        surfaces: dict[str, str] = {}
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                place = place_from_row(row)
                if place is None:
                    continue
                places.setdefault(place.name, place)
                surfaces.setdefault(place.name, place.name)
        for place in places.values():
            for alias in place.aliases:
                # one-character aliases (苏) are too ambiguous in running text
                if len(alias) >= 2:
                    surfaces.setdefault(alias, place.name)
        pattern = None
        if surfaces:
            alts = sorted(surfaces, key=len, reverse=True)
            pattern = re.compile("|".join(map(re.escape, alts)))
        return cls(places, surfaces, pattern)

    def ancestors(self, name: str) -> list[Place]:
        """The place itself followed by its 上级 chain (cycle-safe)."""
        chain: list[Place] = []
        seen: set[str] = set()
        cur = self.places.get(name)
        while cur is not None and cur.name not in seen:
            chain.append(cur)
            seen.add(cur.name)
            cur = self.places.get(cur.parent) if cur.parent else None
        return chain

    def depth(self, name: str) -> int:
        if name not in self._depth:
            self._depth[name] = len(self.ancestors(name)) - 1
        return self._depth[name]

    def level_of(self, name: str, types: set[str]) -> str | None:
        for p in self.ancestors(name):
            if p.kind in types:
                return p.name
        return None

    def county_of(self, name: str) -> str | None:
        """The county-level unit: a 区县, or a park/new district (园区) directly under a city."""
        for p in self.ancestors(name):
            if p.kind in COUNTY_TYPES:
                return p.name
            if p.kind in COUNTY_LEVEL_PARKS and p.parent in self.places and \
                    self.places[p.parent].kind in CITY_TYPES:
                return p.name
        return None

    def find(self, text: str) -> list[tuple[int, str, str]]:
        """(position, surface, canonical name) for each gazetteer mention, longest match first."""
        if self.pattern is None:
            return []
        return [(m.start(), m.group(0), self.surfaces[m.group(0)]) for m in self.pattern.finditer(text)]


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=16)
def _load_gazetteer(path: str, mtime: float) -> Gazetteer:
    return Gazetteer.load(Path(path))


def load_gazetteer(path: str | os.PathLike | None = None) -> Gazetteer | None:
    """The gazetteer at ``path`` (see ``gazetteer_path``), cached; None when the file is missing."""
    p = gazetteer_path(path)
    try:
        mtime = p.stat().st_mtime
    except OSError:
        return None
    return _load_gazetteer(str(p), mtime)


# ---------------------------------------------------------------------------------------------
# National admin divisions (jionlp)
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Admin:
    level: str              # province | city | county
    province: str
    city: str | None
    county: str | None

    @property
    def name(self) -> str:
        return self.county or self.city or self.province


class AdminIndex:
    """Every province, city and county name (and safe aliases) from jionlp's table."""

    def __init__(self) -> None:
        from nlp.jio import jionlp

        jio = jionlp()  # heavy import, done lazily once

        self.jio = jio
        table = jio.china_location_loader()
        self.full: dict[str, list[Admin]] = {}
        self.alias: dict[str, list[Admin]] = {}     # aliases needing a supporting parent mention
        self.strong_alias: dict[str, list[Admin]] = {}
        for pname, pval in table.items():
            prov = Admin("province", pname, None, None)
            self._add(self.full, pname, prov)
            for a in _aliases(pval.get("_alias")):
                self._add(self.strong_alias, a, prov)
            for cname, cval in pval.items():
                if cname.startswith("_"):
                    continue
                city = Admin("city", pname, cname, None)
                if cname != pname:               # 北京市 → 北京市 (municipality) is the province
                    self._add(self.full, cname, city)
                    for a in _aliases(cval.get("_alias")):
                        self._add(self.strong_alias, a, city)
                for kname, kval in cval.items():
                    if kname.startswith("_"):
                        continue
                    county = Admin("county", pname, cname, kname)
                    self._add(self.full, kname, county)
                    for a in _aliases(kval.get("_alias")):
                        self._add(self.alias, a, county)
        # a city alias that is also a county alias elsewhere is not strong
        for a in list(self.strong_alias):
            if a in self.full:
                del self.strong_alias[a]
        surfaces = set(self.full) | set(self.strong_alias) | set(self.alias)
        self.pattern = re.compile("|".join(map(re.escape, sorted(surfaces, key=len, reverse=True))))

    @staticmethod
    def _add(index: dict, key: str, admin: Admin) -> None:
        if key and len(key) >= 2:
            lst = index.setdefault(key, [])
            if admin not in lst:
                lst.append(admin)

    def mentions(self, text: str) -> list[tuple[int, str, list[Admin], bool]]:
        """(position, surface, candidates, needs_support) for admin names in ``text``."""
        out = []
        for m in self.pattern.finditer(text):
            s = m.group(0)
            if s in self.full:
                out.append((m.start(), s, self.full[s], False))
            elif s in self.strong_alias:
                out.append((m.start(), s, self.strong_alias[s], False))
            else:
                # county short names (海州, 响水) only count when followed by nothing that makes
                # them part of a longer word we do not know, and when a parent is also mentioned
                out.append((m.start(), s, self.alias[s], True))
        return out

    def parse(self, fragment: str) -> dict:
        return self.jio.parse_location(fragment, town_village=False, change2new=True)


def _aliases(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)]


_admin_index: AdminIndex | None = None


def admin_index() -> AdminIndex:
    global _admin_index
    if _admin_index is None:
        with _lock:
            if _admin_index is None:
                _admin_index = AdminIndex()
    return _admin_index


# ---------------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------------

EMPTY_LOCATION = {"province": None, "city": None, "county": None, "place": None, "lon": None, "lat": None}

# places that are areas (not points): a 市 or 省 entry in the gazetteer is not a specific place
_AREA_TYPES = PROVINCE_TYPES | CITY_TYPES


def _resolve_admin(text: str, index: AdminIndex) -> tuple[Admin | None, int]:
    """Best province/city/county chain named in ``text`` and the position of its mention."""
    mentions = index.mentions(text)
    if not mentions:
        return None, -1
    provinces = {a.province for _, _, cands, weak in mentions if not weak for a in cands if a.level == "province"}
    cities = {(a.province, a.city) for _, _, cands, weak in mentions if not weak for a in cands if a.level == "city"}
    city_names = {c for _, c in cities}
    # counties whose full name was written also support their city/province
    best: tuple[tuple, Admin, int] | None = None
    for pos, surface, cands, weak in mentions:
        for a in cands:
            support = 0
            if a.level == "county":
                if a.city in city_names:
                    support += 2
                if a.province in provinces:
                    support += 1
                if weak and support == 0:
                    continue
                if not weak and len(cands) > 1 and support == 0:
                    # ambiguous county name with no parent named: keep but rank low
                    support = -1
            elif a.level == "city":
                if a.province in provinces:
                    support += 1
            level_rank = {"county": 2, "city": 1, "province": 0}[a.level]
            key = (support >= 0, level_rank, support, -pos)
            if best is None or key > best[0]:
                best = (key, a, pos)
    if best is None:
        return None, -1
    return best[1], best[2]


def _inside_admin_name(hit, text: str, admin) -> bool:
    """A local place name that is only part of a national county or city name written in full
    (宿城 inside 宿迁市宿城区) is not a mention of the local place."""
    if admin is None:
        return False
    pos, surface, _name = hit
    for full in (admin.county, admin.city):
        if full and surface != full and surface in full:
            start = text.find(full)
            while start >= 0:
                if start <= pos and pos + len(surface) <= start + len(full):
                    return True
                start = text.find(full, start + 1)
    return False


def resolve_location(text: str, gazetteer: str | os.PathLike | None = None) -> dict:
    """Province, city, county, most specific local place and its coordinates for ``text``.

    Missing parts are None. The gazetteer decides when it names a place below city level;
    otherwise the national table (jionlp) does.
    """
    loc = dict(EMPTY_LOCATION)
    gaz = load_gazetteer(gazetteer)
    index = admin_index()

    best_place = None
    voted_county: str | None = None
    multi_county = False
    admin, admin_pos = _resolve_admin(text, index)
    if gaz is not None:
        hits = [h for h in gaz.find(text) if not _inside_admin_name(h, text, admin)]
        votes: dict[str, float] = {}
        for pos, surface, name in hits:
            c = gaz.county_of(name)
            if c:
                votes[c] = votes.get(c, 0.0) + (2.0 if c == name else 1.0)
        if votes:
            order = sorted(votes, key=votes.get, reverse=True)
            voted_county = order[0]
            if len(order) > 1 and votes[order[1]] * 1.5 > votes[order[0]]:
                # several counties with similar weight: a city-wide event, or unclear
                first = {c: min(p for p, _, n in hits if gaz.county_of(n) == c) for c in order[:2]}
                multi_county = sum(1 for c in order if votes[c] >= 2) >= 2
                voted_county = min(first, key=first.get)
        ranked = []
        for pos, surface, name in hits:
            place = gaz.places[name]
            c = gaz.county_of(name)
            ranked.append(((place.kind not in _AREA_TYPES, c is not None and c == voted_county,
                            gaz.depth(name), -pos), name))
        if ranked:
            ranked.sort(reverse=True)
            best_place = ranked[0][1]

    gaz_specific = best_place is not None and gaz.places[best_place].kind not in _AREA_TYPES
    gaz_city = gaz.level_of(best_place, CITY_TYPES) if best_place else None
    # if the national table names a county in another city than the gazetteer's place, and the
    # gazetteer place is only an area (市/省), trust the national table
    use_gazetteer = best_place is not None and (
        gaz_specific or admin is None or admin.level != "county" or admin.city == gaz_city)
    if admin is not None and best_place is not None and admin.level == "county" and gaz_city and admin.city != gaz_city:
        # a county elsewhere written in full before the local place → the report is about it
        local_pos = min(pos for pos, _, name in gaz.find(text) if name == best_place)
        if admin_pos < local_pos and gaz.county_of(best_place) is None:
            use_gazetteer = False

    if use_gazetteer and admin is not None and admin.province:
        # the text names another province and the local place is known only by an alias here
        # (开发区, 港区 …): the national table wins
        gaz_province = gaz.level_of(best_place, PROVINCE_TYPES)
        by_alias = all(surface != name for _, surface, name in hits if name == best_place)
        if gaz_province and admin.province != gaz_province and by_alias:
            use_gazetteer = False

    if use_gazetteer:
        place = gaz.places[best_place]
        loc["place"] = place.name
        loc["lon"], loc["lat"] = place.lon, place.lat
        loc["province"] = gaz.level_of(best_place, PROVINCE_TYPES)
        loc["city"] = gaz.level_of(best_place, CITY_TYPES)
        loc["county"] = None if multi_county else gaz.county_of(best_place)
        if loc["county"] is None and not multi_county and admin is not None and admin.level == "county" and (
                loc["city"] in (None, admin.city)):
            loc["county"] = admin.county
        if loc["city"] is None and admin is not None and admin.city and loc["province"] in (None, admin.province):
            loc["city"] = admin.city
        if loc["province"] is None and admin is not None:
            loc["province"] = admin.province
        if loc["province"] is None and loc["city"]:
            hit = index.full.get(loc["city"])
            if hit:
                loc["province"] = hit[0].province
    elif admin is not None:
        # confirm/normalise the chain through jionlp's own parser on the admin fragment
        fragment = "".join(x for x in (admin.province, admin.city, admin.county) if x)
        try:
            parsed = index.parse(fragment)
        except Exception:  # pragma: no cover - jionlp edge cases
            parsed = {}
        loc["province"] = parsed.get("province") or admin.province
        loc["city"] = parsed.get("city") or admin.city
        loc["county"] = parsed.get("county") or admin.county
        if admin.level == "province":
            loc["city"] = loc["county"] = None if admin.city is None else loc["city"]
        if admin.level != "county":
            loc["county"] = None
    return loc
