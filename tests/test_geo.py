"""Great-circle distances and nearest look-ups."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from matcher.geo import EARTH_RADIUS_KM, haversine_km, nearest
from nlp.places import load_gazetteer
from tests.conftest import CORPUS

LIANYUNGANG = (34.60, 119.22)
NANJING = (32.06, 118.80)


def test_lianyungang_to_nanjing():
    # 2.54° of latitude (≈282 km) and 0.42° of longitude at 33°N (≈39 km): ≈285 km as the crow flies
    d = haversine_km(*LIANYUNGANG, *NANJING)
    assert d == pytest.approx(285.1, abs=2)
    assert haversine_km(*NANJING, *LIANYUNGANG) == pytest.approx(d)


def test_known_distances():
    assert haversine_km(34.6, 119.2, 34.6, 119.2) == 0
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.19, abs=0.01)         # one degree of latitude
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert haversine_km(90, 0, -90, 0) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert haversine_km(0, 179.5, 0, -179.5) == pytest.approx(111.19, abs=0.01)  # across the date line
    assert math.isnan(haversine_km(float("nan"), 0, 0, 0))


@dataclass
class Site:
    name: str
    lat: float | None
    lon: float | None


def test_nearest_with_objects_dicts_and_tuples():
    sites = [Site("南京", *NANJING), Site("无坐标", None, None), Site("连云港", *LIANYUNGANG),
             Site("徐圩", 34.56, 119.55)]
    got = nearest(sites, 34.586, 119.595, k=2)
    assert [s.name for s, _ in got] == ["徐圩", "连云港"]
    assert got[0][1] < got[1][1]
    assert [s.name for s, _ in nearest(sites, 34.586, 119.595, k=10, max_km=100)] == ["徐圩", "连云港"]
    assert nearest(sites, 0, 0, k=0) == []

    dicts = [{"id": 1, "lat": 32.06, "lon": 118.80}, {"id": 2, "lat": 34.6, "lon": 119.2}, {"id": 3}]
    assert [d["id"] for d, _ in nearest(dicts, 34.7, 119.3, k=5)] == [2, 1]
    assert nearest([(32.06, 118.80, "南京"), (34.6, 119.2, "连云港")], 34.7, 119.3, k=1)[0][0][2] == "连云港"
    assert nearest([Site("a", float("nan"), 1.0)], 0, 0) == []


def test_nearest_ties_keep_input_order_and_custom_coords():
    pts = [("东", 0.0, 1.0), ("西", 0.0, -1.0), ("北", 1.0, 0.0)]
    got = nearest(pts, 0, 0, k=3, coords=lambda p: (p[1], p[2]))
    assert [p[0] for p, _ in got[:2]] == ["东", "西"]


def test_nearest_gazetteer_place():
    gaz = load_gazetteer(CORPUS / "gazetteer" / "places.csv")
    (place, km), = nearest(gaz.places.values(), 34.586, 119.595, k=1)
    assert place.name.startswith("徐圩") and km < 5
