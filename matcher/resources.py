"""Teams, supplies and experts to call: capability fit from the taxonomy's capability map,
distance from the incident (haversine) and whether the acting plan names them."""
from __future__ import annotations

import csv
import math
from functools import lru_cache
from pathlib import Path

from matcher.geo import haversine_km
from matcher.plans import ancestors

RESOURCES = Path(__file__).resolve().parent.parent / "nlp" / "resources"


@lru_cache(maxsize=1)
def capability_map() -> dict[str, dict[str, list[str]]]:
    out = {}
    with open(RESOURCES / "capability_map.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["type_code"]] = {k: [x for x in (row.get(k) or "").split(";") if x]
                                     for k in ("team_specialities", "supply_classes", "expert_fields",
                                               "equipment_classes")}
    return out


@lru_cache(maxsize=1)
def expert_keywords() -> list[tuple[str, list[str]]]:
    with open(RESOURCES / "expert_fields.csv", encoding="utf-8") as fh:
        return [(r["field"], [k for k in r["keywords"].split(";") if k]) for r in csv.DictReader(fh)]


def needs_for(code: str | None) -> dict[str, list[str]]:
    """Capabilities an incident type needs (the nearest ancestor with an entry)."""
    cmap = capability_map()
    for c in ancestors(code):
        if c in cmap:
            return cmap[c]
    return {"team_specialities": [], "supply_classes": [], "expert_fields": [], "equipment_classes": []}


def merged_needs(codes: list[str]) -> dict[str, list[str]]:
    """Needs of the main type first, then what secondary types add."""
    out: dict[str, list[str]] = {}
    for code in codes:
        for k, vals in needs_for(code).items():
            lst = out.setdefault(k, [])
            lst += [v for v in vals if v not in lst]
    return out


def _order_weight(item: str, wanted: list[str]) -> float:
    """1.0 for the first capability wanted, falling gently for later ones."""
    return 1.0 / (1 + 0.15 * wanted.index(item)) if item in wanted else 0.0


def _proximity(d: float | None) -> float:
    return 0.3 if d is None else math.exp(-d / 25.0)


def _distance(row: dict, origin) -> float | None:
    if origin is None or row.get("lat") is None or row.get("lon") is None:
        return None
    return round(haversine_km(origin[0], origin[1], float(row["lat"]), float(row["lon"])), 1)


def _casualties(parsed: dict) -> bool:
    return any((parsed.get(k) or 0) > 0 for k in ("deaths", "injured", "seriously_injured", "trapped", "missing"))


def team_needs(needs: dict, parsed: dict) -> list[str]:
    """Capabilities in priority order; medical care moves up when people are hurt or trapped."""
    wanted = list(needs.get("team_specialities", []))
    if _casualties(parsed):
        wanted = [w for w in wanted if w != "医疗救护"]
        wanted.insert(min(1, len(wanted)), "医疗救护")
    return wanted


_GENERIC_BIGRAMS = {"应急", "救援", "物资", "设备", "器材", "专用", "队伍", "抢险", "救护", "中心", "人民", "医院"}


def _mention(name: str, text: str) -> float:
    """1 when a name occurs in the text, 0.5 when one of its distinctive two-character words does."""
    if not name:
        return 0.0
    if name in text:
        return 1.0
    grams = {name[i:i + 2] for i in range(len(name) - 1)} - _GENERIC_BIGRAMS
    return 0.5 if any(g in text for g in grams) else 0.0


FIRE_RESCUE = "综合性消防救援"


def rank_teams(teams: list[dict], wanted: list[str], origin, plan_text: str, report: str, k: int) -> list[dict]:
    """Cover each needed capability with its best team (nearest, named by the plan, fitting the
    report), in priority order; then fill with the best remaining teams."""
    cands = []
    for t in teams:
        specs = t.get("specialities") or []
        hit = [s for s in specs if s in wanted]
        named = bool(t.get("name") and t["name"] in plan_text)
        if not hit and not named:
            continue
        d = _distance(t, origin)
        fit = max((_order_weight(s, wanted) for s in hit), default=0.0)
        base = 0.45 * _proximity(d) + 0.15 * named + 0.1 * _mention(t["name"], report) + 0.3 * fit
        if "社会" in (t.get("team_type") or ""):  # volunteer forces back up professional ones
            base -= 0.1
        cands.append((t, hit, d, named, base))
    picked: list[tuple] = []
    covered: set[str] = set()
    for need in wanted:
        if len(picked) >= k or need in covered:
            continue
        options = [c for c in cands if need in c[1] and c not in picked]
        if options:
            # a team whose main speciality is this need beats one that lists it in passing
            best = max(options, key=lambda c: c[4] + 0.25 * ((c[0].get("specialities") or [""])[0] == need))
            picked.append(best)
            covered.update(best[1])
    rest = sorted((c for c in cands if c not in picked), key=lambda c: -c[4])
    picked += rest[:max(0, k - len(picked))]
    # the nearest fire and rescue station answers first whatever the incident (综合性消防救援队伍)
    first = min((t for t in teams if FIRE_RESCUE in (t.get("team_type") or "") and _distance(t, origin) is not None),
                key=lambda t: _distance(t, origin), default=None)
    if first is not None and k > 1 and all(c[0] is not first for c in picked[:k]):
        d = _distance(first, origin)
        hit = [s for s in first.get("specialities") or [] if s in wanted]
        picked.insert(min(1, len(picked)), (first, hit, d, False, 0.45 * _proximity(d)))
    out = []
    for t, hit, d, named, base in picked[:k]:
        why = ["能力：" + "、".join(hit)] if hit else []
        if d is not None:
            why.append(f"距事发地约 {d} 公里")
        if named:
            why.append("预案点名的队伍")
        out.append({"name": t["name"], "speciality": "、".join(t.get("specialities") or []), "distance_km": d,
                    "score": round(base, 3), "why": "；".join(why), "lat": t.get("lat"), "lon": t.get("lon")})
    return out


@lru_cache(maxsize=1)
def _situations() -> list[dict]:
    with open(RESOURCES / "situation_supplies.csv", encoding="utf-8") as fh:
        return [{"trigger": r["trigger"], "words": [w for w in r["words"].split(";") if w],
                 "supplies": [w for w in r["supply_words"].split(";") if w]} for r in csv.DictReader(fh)]


def situation_supplies(parsed: dict, text: str) -> list[str]:
    """Supply names the situation calls for (nlp/resources/situation_supplies.csv): first aid when
    people are hurt, water and shelter when they are moved, foam for fire, light at night …"""
    out: list[str] = []
    for row in _situations():
        hit = (row["trigger"] == "casualties" and _casualties(parsed)) or \
              (row["trigger"] == "evacuation" and (parsed.get("evacuated") or 0) > 0) or \
              (row["trigger"] == "words" and any(w in text for w in row["words"]))
        if hit:
            out += [w for w in row["supplies"] if w not in out]
    return out


def rank_supplies(supplies: list[dict], needs: dict, origin, context: str, k: int,
                  called_for: list[str] = ()) -> list[dict]:
    """One row per item (its nearest depot), classes taken in turn, items the report or the chosen
    clauses mention, or the situation calls for, first."""
    wanted = needs.get("supply_classes", [])
    best: dict[str, tuple] = {}
    for s in supplies:
        name = s.get("name") or ""
        cls = s.get("supply_class") or ""
        mention = _mention(name, context) + 0.5 * _mention(s.get("spec") or "", context)
        if any(w in name for w in called_for):
            mention = max(mention, 1.0)
        if cls not in wanted and mention < 1:
            continue
        d = _distance(s, origin)
        score = 0.35 * _order_weight(cls, wanted) + 0.3 * _proximity(d) + 0.35 * min(mention, 1.0)
        if name not in best or score > best[name][1]:
            best[name] = (s, score, d, mention)
    by_class: dict[str, list[tuple]] = {}
    for row in sorted(best.values(), key=lambda r: -r[1]):
        by_class.setdefault(row[0].get("supply_class") or "", []).append(row)
    order = sorted(by_class, key=lambda c: (wanted.index(c) if c in wanted else len(wanted)))
    mentioned = sorted((r for r in best.values() if r[3] >= 1), key=lambda r: -r[1])
    picked: list[tuple] = mentioned[:k]
    while len(picked) < k and any(by_class.values()):
        for c in order:
            rows = [r for r in by_class[c] if r not in picked]
            by_class[c] = rows
            if rows and len(picked) < k:
                picked.append(rows[0])
    out = []
    for s, score, d, mention in picked:
        why = [f"物资类别：{s.get('supply_class')}"]
        if any(w in (s.get("name") or "") for w in called_for):
            why.append("本事件情形需要（见 situation_supplies.csv）")
        elif mention >= 1:
            why.append("报告或处置条款提到")
        if d is not None:
            why.append(f"{s.get('depot') or '储备点'}距事发地约 {d} 公里")
        out.append({"name": s.get("name"), "quantity": s.get("quantity"), "unit": s.get("unit"),
                    "depot": s.get("depot"), "distance_km": d, "score": round(score, 3), "why": "；".join(why),
                    "lat": s.get("lat"), "lon": s.get("lon")})
    return out


def rank_experts(experts: list[dict], needs: dict, text: str, k: int) -> list[dict]:
    wanted = list(needs.get("expert_fields", []))
    for field, words in expert_keywords():  # fields the report's own words call for
        if field not in wanted and sum(1 for w in words if w in text) >= 2:
            wanted.append(field)
    out = []
    for e in experts:
        f = e.get("field") or ""
        if f not in wanted:
            continue
        score = _order_weight(f, wanted)
        out.append({"name": e["name"], "field": f, "org": e.get("org"), "score": round(score, 3),
                    "why": f"专业领域“{f}”符合本类事件需要"})
    out.sort(key=lambda x: -x["score"])
    return out[:k]


def rank_equipment(equipment: list[dict], needs: dict, origin, context: str, k: int) -> list[dict]:
    """Equipment of the classes the incident type needs (or that the report mentions), nearest first."""
    wanted = needs.get("equipment_classes", [])
    out = []
    for e in equipment:
        cls = e.get("equip_class") or ""
        mention = _mention(e.get("name") or "", context)
        if cls not in wanted and mention < 1:
            continue
        d = _distance(e, origin)
        score = 0.4 * _order_weight(cls, wanted) + 0.35 * _proximity(d) + 0.25 * min(mention, 1.0)
        why = [f"装备类别：{cls}"] if cls in wanted else ["报告或处置条款提到"]
        if d is not None:
            why.append(f"距事发地约 {d} 公里")
        out.append({"name": e.get("name"), "class": cls, "quantity": e.get("quantity"), "unit": e.get("unit"),
                    "org": e.get("org"), "location": e.get("location"), "distance_km": d,
                    "score": round(score, 3), "why": "；".join(why), "lat": e.get("lat"), "lon": e.get("lon")})
    out.sort(key=lambda x: -x["score"])
    return out[:k]
