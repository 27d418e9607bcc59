"""Every place with a position is a marker on the interactive map, named by the kit's rule.

The expected places, positions, names and layers are derived here from ``data/places.csv``
read with the csv module, not from the map helpers, so a helper that drops, moves, renames
or mislayers a place fails this test.
"""

from __future__ import annotations

import csv
import re
import unicodedata

import folium
import pytest

import helpers
from helpers import maps, paths


def expected_places() -> dict[str, dict]:
    with (paths.DATA_DIR / "places.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {r["place_id"]: r for r in rows if r["lat"] and r["lon"]}


def rule_name(row: dict) -> str:
    """docs/place-names.md: both sides' names (first spelling of each usage), Latin A–Z."""
    usages = dict(
        (side, names.split(",")[0].strip())
        for names, side in re.findall(
            r"([^;]+?)\s*\((Azerbaijani|Armenian) usage\)", row["other_names"]
        )
    )
    if len(usages) == 2 and usages["Azerbaijani"] != usages["Armenian"]:
        ascii_key = lambda n: unicodedata.normalize("NFKD", n).encode("ascii", "ignore").lower()  # noqa: E731
        return " / ".join(sorted(usages.values(), key=ascii_key))
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


def test_every_positioned_place_is_a_marker_at_its_coordinates_with_its_rule_name(markers):
    by_title = {c.options.get("title"): c for c, _ in markers}
    for place_id, row in expected_places().items():
        name = rule_name(row)
        assert name in by_title, f"{place_id}: no marker titled {name!r}"
        lat, lon = by_title[name].location
        assert (lat, lon) == (float(row["lat"]), float(row["lon"])), place_id


def test_context_places_sit_in_a_context_layer_and_article_places_do_not(markers):
    layer_of = {c.options.get("title"): layer for c, layer in markers}
    for place_id, row in expected_places().items():
        layer = layer_of[rule_name(row)].lower()
        if row["origin"] == "context":
            assert "context" in layer or "venue" in layer or "meeting" in layer, (place_id, layer)
        else:
            assert "context" not in layer, (place_id, layer)


def test_no_marker_names_a_place_the_gazetteer_does_not_position(markers):
    names = {rule_name(r) for r in expected_places().values()}
    titled = {c.options.get("title") for c, _ in markers} - {None}
    assert titled <= names, sorted(titled - names)
