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
  in that source's stored text; ``origin=context`` rows name a ``reference_id`` and
  quote it: a non-empty ``excerpt``, no longer than the descriptor's ``maxLength``.
* a context row's reference is dated, and could state the fact it is cited for
  (see :func:`~helpers.data.checks.evidence_problems` for what that means,
  table by table).
* a reference marked ``checked`` says when (``checked_on``) and how (``checked_how``).
* ``value_low <= value_best <= value_high``; ``date_start <= date_end``.
* each source text matches its recorded SHA-256 (the text is kept byte for byte).

Loading reads files and never writes to them.
"""

from __future__ import annotations

import copy
import os
import pickle
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import DataError, Problem
from . import checks
from . import fingerprint as _fingerprint
from .as_of import KIT_TEXT, WITHHELD, dates_in_text, last_days, published_by
from .as_of import as_of as _as_of
from .reader import display, read_package, read_rows, read_texts
from .schema import SOURCED_TABLES, TABLES, convert

__all__ = [
    "KIT_TEXT",
    "SOURCED_TABLES",
    "TABLES",
    "WITHHELD",
    "Dataset",
    "DataError",
    "dates_in_text",
    "fingerprint",
    "load",
    "published_by",
]


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
    renderings: pd.DataFrame
    texts: dict[str, str] = field(repr=False)
    as_of_date: date | None = None

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
        """The dataset as it could have been known at the end of day ``when``.

        Nothing in the result was learnt after ``when``:

        * a source is kept only if it was published on or before ``when``; a reference
          only if
          the last day it may have been published (:func:`published_by`) is on or
          before ``when`` (an undated reference is never known); a row only if every
          source and reference it cites is kept;
        * an event is kept only if it had begun by ``when`` and at least one kept report
          appeared once it had begun (a deadline set before an event is no evidence
          that it happened); if it was still under way on ``when``, its ``date_end`` is cut to
          ``when`` and its ``ongoing`` column (added to as-of views) is True;
        * an event dated from outside the article (``date_origin=context``) whose context
          reports are all unknown on ``when`` is dated from the reports that remain;
        * a report whose dating begins after ``when`` is dropped, and one whose dating
          runs past it is cut at ``when``; a claim dated after ``when`` is dropped;
        * text the kit wrote (labels, notes, date bases, wording, caveats ...) that
          names a date later than ``when`` is left out (its cell emptied), since it
          can only rest on later knowledge; ids pointing at rows no longer there are
          emptied too.

        ``None`` returns the dataset as is.

        >>> ds = load()
        >>> len(ds.as_of("2021-01-10").claims), len(ds.as_of("2021-01-11").claims) > 0
        (0, True)
        >>> early = ds.as_of("2020-11-15").events.set_index("event_id")
        >>> bool(early.loc["war-2020", "ongoing"]), "moscow-meeting-2021-01-11" in early.index
        (False, False)
        """
        return _as_of(self, when)

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
    pickled = os.environ.get(paths.PRELOADED_DATASET_ENV)
    if pickled and root.resolve() == paths.data_dir().resolve():
        preloaded = _preloaded(pickled)
        if preloaded is not None:
            return preloaded
    # Loaded once per content: a second load of the same bytes (the names a table
    # cell shows, the map's own check, in the same notebook) is a copy, not a
    # second read and validation.
    key = (str(root.resolve()), _fingerprint.fingerprint(root))
    if key not in _LOADED:
        _LOADED.clear()  # the last folder only: a notebook uses one
        _LOADED[key] = _validated(root)
    return _copied(_LOADED[key], root)


#: The last dataset :func:`load` validated, by folder and fingerprint of its files.
_LOADED: dict[tuple[str, str], Dataset] = {}


def _copied(dataset: Dataset, root: Path) -> Dataset:
    """A copy of ``dataset`` as a fresh load of ``root`` would give it: nothing shared
    that can change.

    >>> ds = load()
    >>> again = _copied(ds, ds.path)
    >>> again.claims.equals(ds.claims), again.claims is ds.claims, again.package is ds.package
    (True, False, False)
    """
    tables = {name: getattr(dataset, name).copy() for name in TABLES}
    package, texts = copy.deepcopy(dataset.package), dict(dataset.texts)
    return replace(dataset, path=root, package=package, texts=texts, **tables)


def _validated(root: Path) -> Dataset:
    """Read and validate the data folder ``root`` (what :func:`load` does the first time)."""
    package = read_package(root)
    resources = {r["name"]: r for r in package.get("resources", []) if r.get("schema")}
    missing_tables = [t for t in TABLES if t not in resources]
    if missing_tables:
        raise DataError(
            [
                Problem(display(root / "datapackage.json"), None, None, f"no resource named {t!r}")
                for t in missing_tables
            ]
        )
    raw = _read_tables(root, resources)
    typed = {name: convert(raw[name], resources[name]) for name in TABLES}
    shown = {name: display(root / resources[name]["path"]) for name in TABLES}
    texts, problems = read_texts(root, typed["sources"], shown["sources"])
    problems += _cross_table_problems(raw, typed, resources, shown, texts)
    if problems:
        raise DataError(problems)

    tables = {name: typed[name].reset_index(drop=True) for name in TABLES}
    tables["places"] = _to_geodataframe(tables["places"])
    return Dataset(path=root, package=package, texts=texts, **tables)


def _preloaded(pickled: str | None) -> Dataset | None:
    """The dataset pickled at ``pickled`` by the build; None if unset or unreadable.

    An unreadable pickle is no error: the plain load that follows reads the files.

    >>> _preloaded(None), _preloaded("/no/such/file.pickle")
    (None, None)
    """
    if not pickled:
        return None
    try:
        with open(pickled, "rb") as f:
            dataset = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    return dataset if isinstance(dataset, Dataset) else None


def _read_tables(root: Path, resources: dict) -> dict[str, pd.DataFrame]:
    """Every table as text, each column checked against its Table Schema field."""
    raw: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name in TABLES:
        resource = resources[name]
        file_path = root / resource["path"]
        expected = [f["name"] for f in resource["schema"]["fields"]]
        frame, found = read_rows(file_path, expected)
        problems += found
        if frame is None:
            continue
        found = checks.schema_problems(display(file_path), frame, resource)
        problems += found
        if not found:
            raw[name] = frame
    if problems:
        raise DataError(problems)
    return raw


def _cross_table_problems(raw, typed, resources, shown, texts) -> list[Problem]:
    """Foreign keys, provenance, evidence dates, orders and claims, every table."""
    # Only tables that other tables point at need their id sets (large claims
    # tables never do); unique() first keeps the Python-level set small.
    targets = {"sources", "references", "actors", "places", "events", "quotes"}
    ids = {
        name: set(raw[name][resources[name]["schema"]["primaryKey"][0]].dropna().unique().tolist())
        for name in targets
    }
    last_day = last_days(typed["references"])  # what each reference could report, once
    problems: list[Problem] = []
    for name in TABLES:
        frame, resource = raw[name], resources[name]
        problems += checks.foreign_key_problems(shown[name], frame, resource, ids)
        if name in SOURCED_TABLES:
            problems += checks.provenance_problems(
                shown[name], frame, typed["sources"], ids["references"], texts
            )
            problems += checks.evidence_problems(
                shown[name], name, typed[name], last_day, typed["events"]
            )
    problems += checks.checked_problems(shown["references"], typed["references"])
    problems += checks.duplicate_document_problems(shown["references"], typed["references"])
    problems += checks.order_problems(
        shown["claims"],
        typed["claims"],
        [("value_low", "value_best"), ("value_best", "value_high"), ("value_low", "value_high")],
    )
    problems += checks.order_problems(
        shown["events"], typed["events"], [("date_start", "date_end")]
    )
    problems += checks.order_problems(
        shown["event_reports"],
        typed["event_reports"],
        [("reported_date_start", "reported_date_end")],
    )
    problems += checks.claim_problems(shown["claims"], typed["claims"])
    problems += checks.dating_scope_problems(shown["event_reports"], typed["event_reports"])
    problems += checks.end_precision_problems(shown["events"], typed["events"])
    problems += checks.safety_problems(shown["claims"], typed["claims"])
    return problems


def _to_geodataframe(places: pd.DataFrame):
    import geopandas as gpd  # deferred: only the places table needs it

    has_point = places["lat"].notna() & places["lon"].notna()
    geometry = gpd.points_from_xy(places["lon"], places["lat"])
    geometry = [g if ok else None for g, ok in zip(geometry, has_point, strict=True)]
    return gpd.GeoDataFrame(places, geometry=geometry, crs="EPSG:4326")
