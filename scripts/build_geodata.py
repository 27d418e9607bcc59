"""Regenerate the kit's committed country outlines in ``data/geo/``.

Run from the repository root::

    .venv/bin/python scripts/build_geodata.py

It fetches the npm package ``world-atlas`` (Natural Earth 4.1.0 as TopoJSON) with
``npm pack`` into a temporary folder, checks the tarball against the pinned
SHA-256, reads ``countries-10m.json`` and writes two small GeoJSON files with a
provenance record beside each:

``countries-caucasus.geojson``
    Every country within the South Caucasus frame, clipped to it, at full 1:10m
    detail: Azerbaijan (with Nakhchivan), Armenia, Georgia and the parts of
    Turkey, Iran and Russia in the frame.
``land-locator.geojson``
    Land only (no borders), simplified, for the locator that shows Moscow. Land,
    not countries: Natural Earth 4.1.0 draws Crimea within Russia, and a locator
    showing where Moscow lies needs no borders at all.

Output is deterministic (sorted features, coordinates rounded), so a rerun with the
same package gives byte-identical files and the recorded checksums stay valid.
"""

from __future__ import annotations

import json
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from npm_geodata import npm_pack, report, sha256, write_provenance
from shapely.geometry import box, mapping

ROOT = Path(__file__).resolve().parents[1]
GEO_DIR = ROOT / "data" / "geo"

PACKAGE = "world-atlas"
VERSION = "2.0.2"
# sha256 of the npm tarball world-atlas-2.0.2.tgz (npm's own sha1 is 4bca4a57...).
TARBALL_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
NATURAL_EARTH = "Natural Earth 4.1.0, Admin 0 – Countries, 1:10m"

#: (west, south, east, north) in degrees: the South Caucasus frame of the maps.
CAUCASUS_FRAME = (39.5, 37.2, 51.0, 43.8)
#: The locator's frame: from the eastern Mediterranean to north of Moscow.
LOCATOR_FRAME = (14.0, 28.0, 74.0, 68.0)
LOCATOR_TOLERANCE = 0.04  # degrees; about 4 km: 2 px at the widest interactive view
DECIMALS = 5  # about 1 m; the TopoJSON is quantized more coarsely than that
COMMAND = ".venv/bin/python scripts/build_geodata.py"


def fetch_package(workdir: Path) -> Path:
    """``npm pack`` the pinned package into ``workdir``; return the extracted folder."""
    tarball = npm_pack(PACKAGE, VERSION, TARBALL_SHA256, workdir)
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package"


def _rounded(geom):
    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def write_geojson(frame: gpd.GeoDataFrame, path: Path, name: str) -> None:
    """Write a small, diff-friendly GeoJSON FeatureCollection (one feature per line)."""
    lines = []
    for _, row in frame.iterrows():
        props = {k: row[k] for k in frame.columns if k != "geometry"}
        feature = {
            "type": "Feature",
            "properties": props,
            "geometry": mapping(_rounded(row.geometry)),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    head = json.dumps({"type": "FeatureCollection", "name": name})[:-1]
    path.write_text(head + ',"features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def provenance(path: Path, source: Path, description: str, processing: str) -> dict:
    return {
        "file": path.name,
        "sha256": sha256(path),
        "bytes": path.stat().st_size,
        "description": description,
        "origin": {
            "data": NATURAL_EARTH,
            "data_url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/",
            "package": f"npm {PACKAGE}@{VERSION}",
            "package_tarball_sha256": TARBALL_SHA256,
            "package_file": source.name,
            "package_file_sha256": sha256(source),
        },
        "licence": "Public domain (Natural Earth, "
        "https://www.naturalearthdata.com/about/terms-of-use/); "
        "TopoJSON packaging by world-atlas, ISC licence",
        "credit": "Made with Natural Earth",
        "crs": "EPSG:4326 (WGS84 longitude/latitude)",
        "processing": processing,
        "command": COMMAND,
        "caveat": "Boundaries are Natural Earth's and shown for orientation only; "
        "they imply no position on any territorial dispute.",
    }


def build(out_dir: Path = GEO_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        package = fetch_package(Path(tmp))
        source = package / "countries-10m.json"
        # The TopoJSON carries no CRS; Natural Earth is WGS84 longitude/latitude.
        countries = gpd.read_file(source, layer="countries").set_crs(4326)
        land = gpd.read_file(source, layer="land").set_crs(4326)

        frame = box(*CAUCASUS_FRAME)
        caucasus = countries[countries.intersects(frame)].copy()
        caucasus["geometry"] = caucasus.geometry.make_valid().intersection(frame)
        caucasus = caucasus[~caucasus.geometry.is_empty]
        caucasus = caucasus.rename(columns={"id": "iso_n3"})[["iso_n3", "name", "geometry"]]
        caucasus = caucasus.sort_values("name").reset_index(drop=True)
        c_path = out_dir / "countries-caucasus.geojson"
        write_geojson(caucasus, c_path, "countries-caucasus")

        locator = gpd.GeoDataFrame(
            {"name": ["land"]},
            # make_valid: the antimeridian-cut TopoJSON has rings GEOS rejects.
            geometry=[
                land.geometry.make_valid()
                .intersection(box(*LOCATOR_FRAME))
                .union_all()
                .simplify(LOCATOR_TOLERANCE, preserve_topology=True)
            ],
            crs=4326,
        )
        l_path = out_dir / "land-locator.geojson"
        write_geojson(locator, l_path, "land-locator")

        records = [
            provenance(
                c_path,
                source,
                "Country outlines in the South Caucasus frame, 1:10m detail",
                f"countries intersecting the frame {CAUCASUS_FRAME} (W, S, E, N) "
                f"clipped to it; no simplification; coordinates rounded to "
                f"{DECIMALS} decimals",
            ),
            provenance(
                l_path,
                source,
                "Land (no borders) for the locator showing Moscow",
                f"the 'land' layer clipped to {LOCATOR_FRAME} (W, S, E, N), "
                f"simplified with tolerance {LOCATOR_TOLERANCE} degrees; "
                f"coordinates rounded to {DECIMALS} decimals",
            ),
        ]
        write_provenance(records, out_dir)
    return [c_path, l_path]


if __name__ == "__main__":
    report(build(Path(sys.argv[1]) if len(sys.argv) > 1 else GEO_DIR), ROOT)
