"""Where an incident is, as a chain of gazetteer places from the most specific up to the province."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PlaceIndex:
    by_name: dict[str, dict]      # name or alias -> place
    names: list[str]              # longest first, for scanning text

    @classmethod
    def build(cls, places: list[dict]) -> "PlaceIndex":
        by_name: dict[str, dict] = {}
        for p in places:
            for n in [p.get("name")] + list(p.get("aliases") or []):
                if n and len(n) >= 2 and n not in by_name:
                    by_name[n] = p
        for p in places:  # a canonical name always wins over another place's alias
            if p.get("name"):
                by_name[p["name"]] = p
        return cls(by_name, sorted(by_name, key=len, reverse=True))

    def chain(self, name: str | None) -> list[str]:
        """Canonical names from `name` up through its parents."""
        out: list[str] = []
        p = self.by_name.get(name or "")
        while p is not None and p["name"] not in out:
            out.append(p["name"])
            p = self.by_name.get(p.get("parent") or "")
        return out

    def find_in(self, text: str) -> list[str]:
        """Places named in a text, longest matches first, without overlaps."""
        taken: list[tuple[int, int]] = []
        found: list[str] = []
        for n in self.names:
            start = text.find(n)
            while start >= 0:
                end = start + len(n)
                if not any(a < end and start < b for a, b in taken):
                    taken.append((start, end))
                    if self.by_name[n]["name"] not in found:
                        found.append(self.by_name[n]["name"])
                start = text.find(n, end)
        return found

    def coords(self, name: str | None) -> tuple[float, float] | None:
        p = self.by_name.get(name or "")
        if p and p.get("lat") is not None and p.get("lon") is not None:
            return float(p["lat"]), float(p["lon"])
        return None


def incident_chain(index: PlaceIndex, location: dict, text: str) -> list[str]:
    """The parser's location as a chain, refined by a more specific place the text names inside it;
    when the parser found nothing, the deepest place the text names."""
    base: list[str] = []
    for key in ("place", "county", "city"):
        base = index.chain(location.get(key))
        if base:
            break
    for name in index.find_in(text[:600]):
        chain = index.chain(name)
        if (not base or base[0] in chain) and len(chain) > len(base):
            base = chain
    if not base:  # a place the gazetteer lacks: the parser's own names, most specific first
        base = [location[k] for k in ("county", "city", "province") if location.get(k)]
    return base
