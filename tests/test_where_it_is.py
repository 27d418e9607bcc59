"""Notebook 01's finding says where Nagorno-Karabakh is: inside Azerbaijan's internationally
recognised borders, near Armenia, how near computed from the outlines.

The oracle reads the data with the csv and json modules: the region's parent in the
gazetteer, the status claim, and the country outline's vertices (distance by pyproj's Geod
to the nearest vertex, which is never nearer than the true border).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re

from pyproj import Geod

import helpers
from helpers import maps, paths


def _rows(name: str) -> list[dict]:
    with open(paths.DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _vertices(country: str) -> list[tuple[float, float]]:
    data = json.loads((paths.DATA_DIR / "geo" / "countries-caucasus.geojson").read_text())
    (feature,) = [f for f in data["features"] if f["properties"]["name"] == country]
    text = json.dumps(feature["geometry"]["coordinates"])
    return [(float(x), float(y)) for x, y in re.findall(r"\[(-?[\d.]+), (-?[\d.]+)\]", text)]


def test_the_finding_names_the_country_the_region_is_in_and_its_neighbour():
    places = {r["place_id"]: r for r in _rows("places.csv")}
    actors = {r["actor_id"]: r["name"] for r in _rows("actors.csv")}
    country = actors[places["nagorno-karabakh"]["parent_id"]]
    assert any(
        r["metric"] == "status" and actors.get(r["side_id"]) == country for r in _rows("claims.csv")
    ), "the data no longer records the region's status: nothing to check"
    town = places["stepanakert"]
    geod = Geod(ellps="WGS84")
    km = min(
        geod.inv(float(town["lon"]), float(town["lat"]), x, y)[2] / 1000
        for x, y in _vertices("Armenia")
    )
    text = maps.where_it_is(helpers.load())
    assert f"inside {country}'s internationally recognised borders" in text, text
    assert "near Armenia" in text, text
    said = float(re.search(r"about ([\d,]+) km", text).group(1).replace(",", ""))
    # Said to the nearest 5 km, so within 2.5 km of the distance, plus half a kilometre
    # for the nearest vertex standing a little farther than the border between vertices
    # (34.7 km said as "30", rounded to 10 km, fails).
    assert said % 5 == 0 and abs(said - km) <= 3, (said, km)


def test_a_town_moved_into_another_country_changes_the_answer():
    """The check can fail: the answer follows the data, not a fixed sentence."""
    ds = helpers.load()
    places = ds.places.copy()
    yerevan = places["place_id"].eq("stepanakert")
    places.loc[yerevan, ["lat", "lon"]] = [40.18, 44.51]  # Yerevan
    text = maps.where_it_is(dataclasses.replace(ds, places=places))
    assert "inside Armenia" in text and "Azerbaijan's" not in text, text


def test_without_a_recorded_status_it_does_not_say_internationally_recognised():
    ds = helpers.load()
    claims = ds.claims[ds.claims["metric"].ne("status")].reset_index(drop=True)
    text = maps.where_it_is(dataclasses.replace(ds, claims=claims))
    assert "internationally recognised" not in text and "Azerbaijan" in text, text
