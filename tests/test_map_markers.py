"""Every place with a position is a marker on the interactive map, named by the kit's rule.

The expected places, positions, names and layers are derived here from ``data/places.csv``
read with the csv module, not from the map helpers, so a helper that drops, moves, renames
or mislayers a place fails this test. Two places ride on another's marker instead of
being drawn on top of it (:data:`HOSTED`): their host's accessible name names them.
"""

from __future__ import annotations

import csv
import re

import folium
import pytest

import helpers
from helpers import maps, paths


def expected_places() -> dict[str, dict]:
    with (paths.DATA_DIR / "places.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {r["place_id"]: r for r in rows if r["lat"] and r["lon"]}


#: Places drawn with another place's marker: a venue inside its city, a centre placed
#: at a town's coordinates (data/places.csv coord_source says so).
HOSTED = {"kremlin": "moscow", "agdam-monitoring-centre": "agdam"}


def rule_name(row: dict) -> str:
    """docs/place-names.md: both sides' names (first spelling of each usage), the
    Azerbaijani usage first."""
    usages = dict(
        (side, names.split(",")[0].strip())
        for names, side in re.findall(
            r"([^;]+?)\s*\((Azerbaijani|Armenian) usage\)", row["other_names"]
        )
    )
    if len(usages) == 2 and usages["Azerbaijani"] != usages["Armenian"]:
        return f"{usages['Azerbaijani']} / {usages['Armenian']}"
    return row["name"]


@pytest.fixture(scope="module")
def markers() -> list[tuple[folium.Marker, str]]:
    ds = helpers.load()
    m = maps.interactive_map(ds, maps.load_countries())

    def walk(node, layer):
        for child in node._children.values():
            name = (
                getattr(child, "layer_name", None)
                if isinstance(child, folium.FeatureGroup)
                else None
            )
            yield child, name or layer
            yield from walk(child, name or layer)

    return [(c, layer) for c, layer in walk(m, "") if isinstance(c, folium.Marker)]


def title_of(row: dict, places: dict) -> str:
    """The marker title a place is reached by: its own, or its host's naming it."""
    guests = [places[g] for g, host in HOSTED.items() if host == row["place_id"] and g in places]
    return " and ".join([rule_name(row)] + [rule_name(g) for g in guests])


def test_every_positioned_place_is_a_marker_at_its_coordinates_with_its_rule_name(markers):
    by_title = {c.options.get("title"): c for c, _ in markers}
    places = expected_places()
    for place_id, row in places.items():
        if place_id in HOSTED:
            host = title_of(places[HOSTED[place_id]], places)
            assert rule_name(row) in host and host in by_title, place_id
            continue
        name = title_of(row, places)
        assert name in by_title, f"{place_id}: no marker titled {name!r}"
        lat, lon = by_title[name].location
        if row["coord_kind"] == "point":
            assert (lat, lon) == (float(row["lat"]), float(row["lon"])), place_id


def test_context_places_sit_in_a_context_layer_and_article_places_do_not(markers):
    layer_of = {c.options.get("title"): layer for c, layer in markers}
    places = expected_places()
    for place_id, row in places.items():
        if place_id in HOSTED:
            continue
        layer = layer_of[title_of(row, places)].lower()
        if row["origin"] == "context":
            assert "context" in layer or "venue" in layer or "meeting" in layer, (place_id, layer)
        else:
            assert "context" not in layer, (place_id, layer)


def test_no_marker_names_a_place_the_gazetteer_does_not_position(markers):
    places = expected_places()
    names = {title_of(r, places) for r in places.values()}
    titled = {c.options.get("title") for c, _ in markers if c.options.get("keyboard", True)}
    titled -= {None}
    assert titled <= names, sorted(titled - names)
