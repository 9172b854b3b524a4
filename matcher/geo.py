"""Great-circle distances and nearest-neighbour look-ups (WGS-84 degrees, kilometres)."""
from __future__ import annotations

import heapq
import math
from typing import Any, Callable, Iterable, TypeVar

EARTH_RADIUS_KM = 6371.0088          # mean Earth radius (IUGG)

T = TypeVar("T")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance along the Earth's surface between two points, in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    if a > 1.0:                       # rounding; a NaN input stays NaN
        a = 1.0
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _coords(item: Any) -> tuple[float | None, float | None]:
    if isinstance(item, dict):
        return item.get("lat"), item.get("lon")
    if isinstance(item, (tuple, list)) and len(item) >= 2 and not isinstance(item[0], str):
        return item[0], item[1]
    return getattr(item, "lat", None), getattr(item, "lon", None)


def nearest(items: Iterable[T], lat: float, lon: float, k: int = 5, *,
            coords: Callable[[T], tuple[float | None, float | None]] = _coords,
            max_km: float | None = None) -> list[tuple[T, float]]:
    """The ``k`` items closest to (lat, lon) as (item, km), nearest first.

    An item's position comes from ``coords(item)``; by default its ``lat``/``lon`` attributes
    (e.g. ``nlp.places.Place``), its ``"lat"``/``"lon"`` keys, or a ``(lat, lon, ...)`` tuple.
    Items without (or with NaN) coordinates are skipped; ``max_km`` drops those farther away.
    Equal distances keep the input order.
    """
    if k <= 0:
        return []
    found = []
    for n, item in enumerate(items):
        ilat, ilon = coords(item)
        if ilat is None or ilon is None:
            continue
        d = haversine_km(lat, lon, float(ilat), float(ilon))
        if math.isnan(d):
            continue
        if max_km is None or d <= max_km:
            found.append((d, n, item))
    return [(item, d) for d, _, item in heapq.nsmallest(k, found)]
