"""Load and validate the kit's dataset in one call.

>>> ds = load()
>>> ds.sources.loc[0, "publisher"]
'Anadolu Agency'
>>> row = ds.claims.set_index("claim_id").loc["az-military-deaths"]
>>> row["bound"], float(row["value_low"]), row["passage"] in ds.text(row["source_id"])
('at_least', 2802.0, True)

Everything the loader checks is described in ``data/datapackage.json`` (types,
allowed values, required and unique columns, foreign keys) plus the kit's
provenance rules:

* ``origin=article`` rows name a ``source_id`` and a ``passage`` that occurs, exactly,
  in that source's stored text; ``origin=context`` rows name a ``reference_id``.
* ``value_low <= value_best <= value_high``; ``date_start <= date_end``.
* each source text matches its recorded SHA-256 (the text is kept byte for byte).

Loading reads files and never writes to them.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import os
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .. import paths
from ..errors import DataError, Problem
from . import fingerprint as _fingerprint
from .schema import convert, table_schema

#: The tables every dataset must have, in the order they are loaded.
TABLES = (
    "sources",
    "references",
    "actors",
    "places",
    "events",
    "event_reports",
    "claims",
    "quotes",
    "topics",
    "glossary",
)
#: Below this size a table is parsed by the standard library, above it by Arrow.
SMALL_FILE_BYTES = 256 * 1024
#: Names of the tables (and ``texts``) read through a :class:`Dataset`'s attributes in
#: this process. The report build reads it after each notebook, so a notebook reruns
#: when a table it used changes, not when any table does. :func:`load` builds the
#: Dataset only after validating, so validation never counts as a read.
TABLES_READ: set[str] = set()
_RECORDED = frozenset((*TABLES, "texts"))
#: Tables whose rows carry the provenance columns (origin, source_id, passage, reference_id).
SOURCED_TABLES = ("actors", "places", "event_reports", "claims", "quotes", "topics", "glossary")


@dataclass(frozen=True)
class Dataset:
    """The dataset's tables as pandas objects, plus the stored source texts.

    ``places`` is a GeoDataFrame in EPSG:4326 (points where ``coord_kind`` is
    ``point`` or ``label``, empty geometry otherwise). Dates are ``datetime64``,
    numbers ``float64``, missing values NA; ``events.actor_ids`` holds tuples.
    """

    path: Path
    package: dict
    sources: pd.DataFrame
    references: pd.DataFrame
    actors: pd.DataFrame
    places: pd.DataFrame
    events: pd.DataFrame
    event_reports: pd.DataFrame
    claims: pd.DataFrame
    quotes: pd.DataFrame
    topics: pd.DataFrame
    glossary: pd.DataFrame
    texts: dict[str, str] = field(repr=False)
    as_of_date: date | None = None

    def __getattribute__(self, name: str):
        if name in _RECORDED:
            TABLES_READ.add(name)
        return object.__getattribute__(self, name)

    def text(self, source_id: str) -> str:
        """The verbatim text of a stored source.

        >>> load().text("aa-2021-01-11").splitlines()[0]
        'Rssia, Azerbaijan, Armenia trilateral meeting ends'
        """
        try:
            return self.texts[source_id]
        except KeyError:
            known = ", ".join(sorted(self.texts)) or "none"
            raise KeyError(f"no source {source_id!r} in {self.path} (known: {known})") from None

    def as_of(self, when: date | str | None) -> Dataset:
        """The dataset as it could have been known on ``when``.

        Keeps article rows whose source was published on or before ``when`` and
        context rows whose reference was (undated references are kept); events
        with no remaining report are dropped. ``None`` returns the dataset as is.

        >>> ds = load()
        >>> len(ds.as_of("2021-01-10").claims), len(ds.as_of("2021-01-11").claims) > 0
        (0, True)
        """
        if when is None:
            return self
        cutoff = pd.Timestamp(when)
        known_sources = set(self.sources.loc[self.sources["published"] <= cutoff, "source_id"])
        dated = self.references["published"]
        known_refs = set(self.references.loc[dated.isna() | (dated <= cutoff), "reference_id"])

        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            ok = frame["source_id"].isin(known_sources) | frame["reference_id"].isin(known_refs)
            return frame.loc[ok].reset_index(drop=True)

        kept = {name: keep(getattr(self, name)) for name in SOURCED_TABLES}
        reported = set(kept["event_reports"]["event_id"])
        events = self.events.loc[self.events["event_id"].isin(reported)].reset_index(drop=True)
        return replace(
            self,
            sources=self.sources.loc[self.sources["source_id"].isin(known_sources)].reset_index(
                drop=True
            ),
            events=events,
            texts={k: v for k, v in self.texts.items() if k in known_sources},
            as_of_date=cutoff.date(),
            **kept,
        )

    def fingerprint(self) -> str:
        """A short SHA-256 over every file of the data folder (names and bytes)."""
        return fingerprint(self.path)


def fingerprint(data_path: Path | str | None = None) -> str:
    """A 12-character SHA-256 fingerprint of a data folder's files (:mod:`.fingerprint`).

    The report build's index shows the same value for the same folder.

    >>> len(fingerprint())
    12
    """
    return _fingerprint.fingerprint(data_path)


def _display(path: Path) -> str:
    """A path as a person would type it: relative to the working folder if inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def _read_package(root: Path) -> dict:
    package_path = root / "datapackage.json"
    if not package_path.is_file():
        raise DataError(
            [
                Problem(
                    _display(package_path), None, None, "missing file: the data package descriptor"
                )
            ]
        )
    try:
        return json.loads(package_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(
            [Problem(_display(package_path), None, None, f"not valid JSON: {exc}")]
        ) from None


def _read_rows(path: Path, expected: list[str]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse one CSV strictly: UTF-8, a header, one record per row, no ragged rows."""
    shown = _display(path)
    if not path.is_file():
        return None, [Problem(shown, None, None, "missing file")]
    raw = path.read_bytes()
    if not raw.strip():
        return None, [
            Problem(shown, None, None, f"empty file: expected a header row ({', '.join(expected)})")
        ]
    if len(raw) < SMALL_FILE_BYTES:
        # Small tables: the standard library's reader is quicker than starting Arrow
        # and checks every row's width itself.
        header, records, problems = _parse_stdlib(shown, raw)
        if problems:
            return None, problems
        cells = [[value if value != "" else None for value in record] for record in records]
        frame = pd.DataFrame(cells, columns=header, dtype="str")
    else:
        try:
            # Arrow's multi-threaded reader is ~10x faster than the csv module on large
            # tables and refuses ragged rows and bad UTF-8 (the slow diagnosis below
            # then says where). Every cell is read as text; types are checked afterwards.
            frame = pd.read_csv(
                io.BytesIO(raw),
                engine="pyarrow",
                dtype="str",
                keep_default_na=False,
                na_values=[""],
            )
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            return None, _parse_stdlib(shown, raw)[2] or [
                Problem(shown, None, None, f"unreadable CSV: {str(exc).strip()}")
            ]
    header = [str(c) for c in frame.columns]
    problems = [Problem(shown, None, c, "missing column") for c in expected if c not in header]
    problems += [
        Problem(shown, None, c, "unknown column (not in datapackage.json; a typo?)")
        for c in header
        if c not in expected
    ]
    if problems:
        return None, problems
    # Spreadsheet row numbers (header = row 1) for every message.
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame[expected], []


def _parse_stdlib(shown: str, raw: bytes) -> tuple[list[str], list[list[str]], list[Problem]]:
    """Parse with the standard library: header, non-blank records, and every problem.

    Problems: not UTF-8, duplicate header names, rows with the wrong number of fields,
    an unclosed quote (a truncated file).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        lines = raw.split(b"\n")
        header = next(csv.reader([lines[0].decode("utf-8", errors="replace")]), [])
        cells = next(csv.reader([lines[row - 1].decode("utf-8", errors="replace")]), [])
        column = next(
            (header[i] for i, cell in enumerate(cells) if "\ufffd" in cell and i < len(header)),
            None,
        )
        return (
            [],
            [],
            [
                Problem(
                    shown,
                    row,
                    column,
                    f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                )
            ],
        )
    problems: list[Problem] = []
    header: list[str] = []
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        header = next(reader)
        if len(set(header)) != len(header):
            problems.append(Problem(shown, 1, None, "duplicate column names in the header"))
        for number, record in enumerate((r for r in reader if any(r)), start=2):
            records.append(record)
            if len(record) != len(header):
                short = len(record) < len(header)
                problems.append(
                    Problem(
                        shown,
                        number,
                        header[len(record)] if short else None,
                        f"has {len(record)} fields, the header has {len(header)} "
                        f"({'truncated row?' if short else 'an unquoted comma?'})",
                    )
                )
    except csv.Error as exc:
        problems.append(
            Problem(shown, reader.line_num, None, f"unreadable CSV ({exc}); is the file truncated?")
        )
    return header, records, problems


def _schema_problems(shown: str, frame: pd.DataFrame, resource: dict) -> list[Problem]:
    try:
        table_schema(resource).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    problems: dict[tuple, Problem] = {}
    for case in cases.itertuples(index=False):
        row = None if pd.isna(case.index) else int(case.index)
        column = case.column
        check = str(case.check)
        value = case.failure_case
        if check == "not_nullable":
            message = "is empty, but a value is required"
        elif check == "field_uniqueness":
            message = f"duplicate id {value!r}"
            others = frame.index[frame[column] == value].tolist()
            if len(others) > 1:
                message += f" (rows {', '.join(map(str, others))})"
        else:
            message = f"{value!r} {check}"
        problems.setdefault((row, column), Problem(shown, row, column, message))
    return list(problems.values())


def _closest(passage: str, text: str) -> str:
    """The stretch of ``text`` most like ``passage``, for 'did you mean' hints."""
    size = len(passage)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in " \n"]
    candidates = [text[i : i + size] for i in starts]
    best = difflib.get_close_matches(passage, candidates, n=1, cutoff=0.0)
    return best[0] if best else ""


def _provenance_problems(
    shown: str, frame: pd.DataFrame, sources: pd.DataFrame, refs: set, texts: dict
) -> list[Problem]:
    problems = []
    article = frame["origin"] == "article"
    context = frame["origin"] == "context"
    for column, mask, why in (
        ("source_id", article, "is empty: an article row needs its source"),
        ("passage", article, "is empty: an article row needs the passage it comes from"),
        ("reference_id", context, "is empty: a context row needs its outside reference"),
    ):
        for row in frame.index[mask & frame[column].isna()]:
            problems.append(Problem(shown, int(row), column, why))
    for column, known, what in (
        ("source_id", set(sources["source_id"]), "source"),
        ("reference_id", refs, "reference"),
    ):
        values = frame[column].dropna()
        for row, value in values[~values.isin(known)].items():
            problems.append(Problem(shown, int(row), column, f"unknown {what} {value!r}"))
    # Check each distinct (source, passage) pair once: large tables repeat them.
    checkable = frame.loc[
        article & frame["passage"].notna() & frame["source_id"].isin(texts.keys())
    ]
    pairs = checkable[["source_id", "passage"]]
    missing = {
        (source_id, passage)
        for source_id, passage in pairs.drop_duplicates().itertuples(index=False)
        if passage not in texts[source_id]
    }
    if missing:
        hints = {pair: _closest(pair[1], texts[pair[0]]) for pair in missing}
        for row, source_id, passage in pairs.itertuples():
            if (source_id, passage) in missing:
                problems.append(
                    Problem(
                        shown,
                        int(row),
                        "passage",
                        f"not found in the text of {source_id}: {passage!r}; "
                        f"closest: {hints[(source_id, passage)]!r}",
                    )
                )
    if "text" in frame.columns:  # quotations must be verbatim too
        quotes = frame.loc[article, ["source_id", "text"]].dropna()
        for row, source_id, quote in quotes.itertuples():
            if source_id in texts and quote not in texts[source_id]:
                problems.append(
                    Problem(shown, int(row), "text", f"quotation not found verbatim in {source_id}")
                )
    return problems


def _foreign_key_problems(
    shown: str, frame: pd.DataFrame, resource: dict, ids: dict[str, set]
) -> list[Problem]:
    problems = []
    for fk in resource["schema"].get("foreignKeys", []):
        column, target = fk["fields"], fk["reference"]["resource"]
        if column in ("source_id", "reference_id"):
            continue  # reported with the provenance checks
        known = ids[target]
        values = frame[column].dropna()
        for row, value in values[~values.isin(known)].items():
            problems.append(Problem(shown, int(row), column, f"unknown {target[:-1]} {value!r}"))
    for spec in resource["schema"]["fields"]:
        if "x-references" not in spec:
            continue
        target = spec["x-references"].split(".")[0]
        sep = spec["x-list-separator"]
        items = frame[spec["name"]].dropna().str.split(sep).explode().str.strip()
        items = items[(items != "") & ~items.isin(ids[target])]
        for row, item in items.items():
            problems.append(
                Problem(shown, int(row), spec["name"], f"unknown {target[:-1]} {item!r}")
            )
    return problems


def _order_problems(shown: str, frame: pd.DataFrame, pairs) -> list[Problem]:
    """Rows where a column that must not exceed another does (both present)."""
    problems = []
    for low, high in pairs:
        if low not in frame.columns or high not in frame.columns:
            continue
        bad = frame[low].notna() & frame[high].notna() & (frame[low] > frame[high])
        for row in frame.index[bad]:
            problems.append(
                Problem(
                    shown,
                    int(row),
                    high,
                    f"{low} ({_fmt(frame.at[row, low])}) is greater than "
                    f"{high} ({_fmt(frame.at[row, high])})",
                )
            )
    return problems


def _fmt(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return f"{value:g}" if isinstance(value, float) else str(value)


def _claim_problems(shown: str, claims: pd.DataFrame) -> list[Problem]:
    """Quantitative claims need a bound and a number; a bound needs what it bounds."""
    problems = []
    quantitative = claims["claim_kind"] == "quantitative"
    for row in claims.index[quantitative & claims["bound"].isna()]:
        problems.append(
            Problem(shown, int(row), "bound", "is empty, but the claim is quantitative")
        )
    needs = {
        "exact": "value_best",
        "at_least": "value_low",
        "more_than": "value_low",
        "up_to": "value_high",
        "approximately": "value_best",
        "range": "value_low",
    }
    for bound, column in needs.items():
        for row in claims.index[(claims["bound"] == bound) & claims[column].isna()]:
            problems.append(Problem(shown, int(row), column, f"is empty, but bound is {bound!r}"))
    for row in claims.index[(claims["bound"] == "range") & claims["value_high"].isna()]:
        problems.append(Problem(shown, int(row), "value_high", "is empty, but bound is 'range'"))
    return problems


def _read_texts(root: Path, sources: pd.DataFrame, shown: str) -> tuple[dict, list[Problem]]:
    texts, problems = {}, []
    for row, source_id, name, digest in sources[
        ["source_id", "text_file", "text_sha256"]
    ].itertuples():
        path = root / "sources" / name
        if not path.is_file():
            problems.append(Problem(shown, int(row), "text_file", f"missing file {_display(path)}"))
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != digest:
            problems.append(
                Problem(
                    shown,
                    int(row),
                    "text_sha256",
                    f"{_display(path)} does not match its recorded SHA-256: "
                    "the stored text changed "
                    "(source texts are kept byte for byte; record a new source instead)",
                )
            )
        try:
            texts[source_id] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(_display(path), None, None, f"not UTF-8 ({exc.reason})"))
    return texts, problems


def load(path: Path | str | None = None) -> Dataset:
    """Load and validate the dataset in one call.

    Parameters
    ----------
    path : path-like, optional
        A data folder (with ``datapackage.json``). Defaults to ``$KIT_DATA_DIR``
        or the kit's ``data/``.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        Listing every problem found, each with file, row, column and what is wrong.

    Examples
    --------
    >>> ds = load()
    >>> ds.places.crs.to_epsg(), "moscow" in set(ds.places["place_id"])
    (4326, True)
    """
    root = Path(path) if path is not None else paths.data_dir()
    package = _read_package(root)
    resources = {r["name"]: r for r in package.get("resources", []) if r.get("schema")}
    problems: list[Problem] = []
    missing_tables = [t for t in TABLES if t not in resources]
    if missing_tables:
        raise DataError(
            [
                Problem(_display(root / "datapackage.json"), None, None, f"no resource named {t!r}")
                for t in missing_tables
            ]
        )

    raw: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        resource = resources[name]
        file_path = root / resource["path"]
        expected = [f["name"] for f in resource["schema"]["fields"]]
        frame, found = _read_rows(file_path, expected)
        problems += found
        if frame is None:
            continue
        found = _schema_problems(_display(file_path), frame, resource)
        problems += found
        if not found:
            raw[name] = frame
    if problems:
        raise DataError(problems)

    # Only tables that other tables point at need their id sets (large claims
    # tables never do); unique() first keeps the Python-level set small.
    targets = {"sources", "references", "actors", "places", "events"}
    ids = {
        name: set(raw[name][resources[name]["schema"]["primaryKey"][0]].dropna().unique().tolist())
        for name in targets
    }
    typed = {name: convert(raw[name], resources[name]) for name in TABLES}
    shown = {name: _display(root / resources[name]["path"]) for name in TABLES}
    texts, found = _read_texts(root, typed["sources"], shown["sources"])
    problems += found
    for name in TABLES:
        frame, resource = raw[name], resources[name]
        problems += _foreign_key_problems(shown[name], frame, resource, ids)
        if name in SOURCED_TABLES:
            problems += _provenance_problems(
                shown[name], frame, typed["sources"], ids["references"], texts
            )
    problems += _order_problems(
        shown["claims"],
        typed["claims"],
        [("value_low", "value_best"), ("value_best", "value_high"), ("value_low", "value_high")],
    )
    problems += _order_problems(shown["events"], typed["events"], [("date_start", "date_end")])
    problems += _order_problems(
        shown["event_reports"],
        typed["event_reports"],
        [("reported_date_start", "reported_date_end")],
    )
    problems += _claim_problems(shown["claims"], typed["claims"])
    if problems:
        raise DataError(problems)

    tables = {name: typed[name].reset_index(drop=True) for name in TABLES}
    tables["places"] = _to_geodataframe(tables["places"])
    return Dataset(path=root, package=package, texts=texts, **tables)


def _to_geodataframe(places: pd.DataFrame):
    import geopandas as gpd  # deferred: only the places table needs it

    has_point = places["lat"].notna() & places["lon"].notna()
    geometry = gpd.points_from_xy(places["lon"], places["lat"])
    geometry = [g if ok else None for g, ok in zip(geometry, has_point, strict=True)]
    return gpd.GeoDataFrame(places, geometry=geometry, crs="EPSG:4326")
