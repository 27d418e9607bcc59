"""The committed geodata and the gazetteer script: checksums agree, differences are caught."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json

import pytest

from helpers import maps, paths


def _script():
    spec = importlib.util.spec_from_file_location(
        "build_gazetteer", paths.ROOT / "scripts" / "build_gazetteer.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("record", maps.geo_provenance(), ids=lambda r: r["file"])
def test_geo_files_match_their_provenance_and_the_data_package(record):
    path = paths.GEO_DIR / record["file"]
    assert _sha256(path) == record["sha256"], f"{path.name} changed: rerun the build script"
    assert record["licence"] and record["origin"]["package"] and record["command"]
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == f"geo/{record['file']}")
    assert resource["hash"] == f"sha256:{record['sha256']}"
    assert resource["licenses"] and resource["sources"]


def test_country_outlines_hold_the_countries_the_maps_need():
    names = set(maps.load_countries()["name"])
    assert {"Azerbaijan", "Armenia", "Georgia", "Iran", "Turkey", "Russia"} <= names
    assert path_size_kb(paths.GEO_DIR / "countries-caucasus.geojson") < 500


def path_size_kb(path) -> float:
    return path.stat().st_size / 1024


def _rows():
    with (paths.DATA_DIR / "places.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def _fake_geonames(rows, shift=None):
    """A GeoNames table that agrees with the gazetteer, except ``shift`` place ids."""
    codes = {"azerbaijan": "AZ", "armenia": "AM", "russia": "RU"}
    table = {}
    for row in rows:
        if row["geonames_id"]:
            lat = float(row["lat"]) + (0.5 if row["place_id"] == shift else 0)
            table[int(row["geonames_id"])] = {
                "name": row["name"],
                "latitude": lat,
                "longitude": float(row["lon"]),
                "countrycode": codes.get(row["parent_id"], "RU"),
                "alternatenames": [],
            }
    return table


def test_gazetteer_check_agrees_and_catches_a_moved_place(tmp_path):
    script = _script()
    header, rows = _rows()
    diffs, _, fixes = script.check(rows, _fake_geonames(rows))
    assert diffs == [] and fixes == {}
    diffs, _, fixes = script.check(rows, _fake_geonames(rows, shift="shusha"))
    assert len(diffs) == 1 and "shusha" in diffs[0] and set(fixes) == {"shusha"}

    copy = tmp_path / "places.csv"
    copy.write_bytes((paths.DATA_DIR / "places.csv").read_bytes())
    script.write(copy, header, rows, fixes)
    with copy.open(encoding="utf-8", newline="") as handle:
        after = {r["place_id"]: r for r in csv.DictReader(handle)}
    before = {r["place_id"]: r for r in _rows()[1]}
    assert float(after["shusha"]["lat"]) == pytest.approx(float(before["shusha"]["lat"]) + 0.5)
    for place_id, row in before.items():  # nothing else changes, names least of all
        changed = {k for k in row if row[k] != after[place_id][k]}
        assert changed <= ({"lat"} if place_id == "shusha" else set()), (place_id, changed)


def test_gazetteer_check_flags_a_wrong_country():
    script = _script()
    _, rows = _rows()
    table = _fake_geonames(rows)
    goris = next(r for r in rows if r["place_id"] == "goris")
    table[int(goris["geonames_id"])]["countrycode"] = "AZ"
    diffs, _, _ = script.check(rows, table)
    assert any("goris" in d and "AZ" in d for d in diffs)
