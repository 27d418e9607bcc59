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
  quote it: a non-empty ``excerpt`` of at most :data:`EXCERPT_MAX` characters.
* a context row's reference is dated, and could state the fact it is cited for
  (see :func:`_evidence_problems` for what that means, table by table).
* a reference marked ``checked`` says when (``checked_on``) and how (``checked_how``).
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
    "renderings",
)
#: Below this size a table is parsed by the standard library, above it by Arrow.
SMALL_FILE_BYTES = 256 * 1024
#: Names of the tables (and ``texts``) read through a :class:`Dataset`'s attributes in
#: this process. The report build reads it after each notebook, so a notebook reruns
#: when a table it used changes, not when any table does. :func:`load` builds the
#: Dataset only after validating, so validation never counts as a read.
TABLES_READ: set[str] = set()
_RECORDED = frozenset((*TABLES, "texts"))
#: Tables whose rows carry the provenance columns (origin, source_id, passage, reference_id,
#: excerpt).
SOURCED_TABLES = (
    "actors",
    "places",
    "event_reports",
    "claims",
    "quotes",
    "topics",
    "glossary",
    "renderings",
)
#: The longest verbatim excerpt a context row may quote from its reference (a quotation
#: to check the row against, not a copy of the reference).
EXCERPT_MAX = 300


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
        if when is None:
            return self
        cutoff = pd.Timestamp(when).normalize()
        known_sources = set(self.sources.loc[self.sources["published"] <= cutoff, "source_id"])
        refs = self.references
        by_ref = _last_days(refs)  # each reference's last possible day, by id
        known_refs = set(by_ref.index[by_ref.notna() & (by_ref <= cutoff)])

        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            # Every source and reference a row cites must be known (an article row
            # may also cite a reference for its caveat).
            source_ok = frame["source_id"].isna() | frame["source_id"].isin(known_sources)
            ref_ok = frame["reference_id"].isna() | frame["reference_id"].isin(known_refs)
            cites = frame["source_id"].notna() | frame["reference_id"].notna()
            ok = source_ok & ref_ok & cites
            return frame.loc[ok].reset_index(drop=True)

        kept = {name: keep(getattr(self, name)) for name in SOURCED_TABLES}
        reports = kept["event_reports"]
        reports = reports.loc[
            reports["reported_date_start"].isna() | (reports["reported_date_start"] <= cutoff)
        ].copy()
        reports["reported_date_end"] = reports["reported_date_end"].where(
            reports["reported_date_end"].isna() | (reports["reported_date_end"] <= cutoff),
            cutoff,
        )
        claims = kept["claims"]
        kept["claims"] = claims.loc[claims["claim_date"] <= cutoff].reset_index(drop=True)
        # A report witnesses its event if it appeared once the event had begun; a
        # provision or deadline published before it is no evidence that it happened.
        appeared = reports["source_id"].map(self.sources.set_index("source_id")["published"])
        appeared = appeared.fillna(reports["reference_id"].map(by_ref))
        began = reports["event_id"].map(self.events.set_index("event_id")["date_start"])
        witnessed = set(reports.loc[began.isna() | (appeared >= began), "event_id"])
        events = self.events.loc[
            self.events["event_id"].isin(witnessed)
            & (self.events["date_start"].isna() | (self.events["date_start"] <= cutoff))
        ].copy()
        # Under way on the day is visible on the day; how it ended is not.
        ongoing = events["date_end"].notna() & (events["date_end"] > cutoff)
        events = _date_from_known_reports(events, reports, self.event_reports)
        events["ongoing"] = ongoing
        events.loc[ongoing | (events["date_end"] > cutoff), "date_end"] = cutoff
        reports = reports.loc[reports["event_id"].isin(set(events["event_id"]))]
        kept["event_reports"] = reports.reset_index(drop=True)
        tables = {
            "sources": self.sources.loc[self.sources["source_id"].isin(known_sources)],
            "references": refs.loc[refs["reference_id"].isin(known_refs)],
            "events": events,
            **kept,
        }
        tables = {name: _without_later_dates(frame, cutoff) for name, frame in tables.items()}
        tables = _without_dangling_ids(tables)
        return replace(
            self,
            texts={k: v for k, v in self.texts.items() if k in known_sources},
            as_of_date=cutoff.date(),
            **{name: frame.reset_index(drop=True) for name, frame in tables.items()},
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


def published_by(published, precision) -> pd.Series:
    """The last day a publication dated at ``precision`` may have appeared.

    A reference known only to the year 2013 may have appeared on 31 December 2013, so
    an as-of view of 1 June 2013 cannot count on it. Works on Series (or scalars).

    >>> days = published_by(pd.Series(pd.to_datetime(["2013-01-01", "2020-11-01", "2021-01-30"])),
    ...                      pd.Series(["year", "month", "day"]))
    >>> [d.date().isoformat() for d in days]
    ['2013-12-31', '2020-11-30', '2021-01-30']
    >>> published_by(pd.Series([pd.NaT]), pd.Series([None])).isna().all()
    np.True_
    """
    published = pd.to_datetime(pd.Series(published)).reset_index(drop=True)
    precision = pd.Series(precision).reset_index(drop=True)
    out = published.copy()
    year = precision == "year"
    month = precision == "month"
    out[year] = published[year] + pd.offsets.YearEnd(0)
    out[month] = published[month] + pd.offsets.MonthEnd(0)
    return out


#: A date written in text: ISO (2021-01-30), day-month-year (30 January 2021), the
#: article's style (Jan. 30, 2021 / Sept. 27, 2020), month-year (January 2021) or a
#: bare year (1994, also in ranges such as 1992-1994).
_MONTHS = (
    "jan(?:uary|\\.)?|feb(?:ruary|\\.)?|mar(?:ch|\\.)?|apr(?:il|\\.)?|may|june?|july?|"
    "aug(?:ust|\\.)?|sep(?:tember|t\\.|\\.)?|oct(?:ober|\\.)?|nov(?:ember|\\.)?|dec(?:ember|\\.)?"
)


def dates_in_text(text) -> list[pd.Timestamp]:
    """The first day of every date a text names, at the precision it names it.

    "January 2021" names 1 January 2021 at the earliest; "1994" names 1 January 1994.
    Numbers that are not years (2,802; 48,000; 00:00) are not dates.

    >>> [d.date().isoformat() for d in dates_in_text(
    ...     "opened on 30 January 2021; signed Nov. 10, 2020; in 1992-1994; 2,802 killed")]
    ['2021-01-30', '2020-11-10', '1992-01-01', '1994-01-01']
    >>> dates_in_text(None)
    []
    """
    import re

    if not isinstance(text, str):
        return []
    found: list[pd.Timestamp] = []
    taken: list[tuple[int, int]] = []
    patterns = (
        (r"\b(\d{4})-(\d{2})-(\d{2})\b", lambda m: (m[1], m[2], m[3])),
        (
            rf"\b(\d{{1,2}}) ({_MONTHS})\s+(\d{{4}})\b",
            lambda m: (m[3], _month_number(m[2]), m[1]),
        ),
        (
            rf"\b({_MONTHS})\s*(\d{{1,2}}),?\s+(\d{{4}})\b",
            lambda m: (m[3], _month_number(m[1]), m[2]),
        ),
        (rf"\b({_MONTHS})\s+(\d{{4}})\b", lambda m: (m[2], _month_number(m[1]), 1)),
        (r"(?<![\d,.:])\b(1[89]\d\d|20\d\d)\b(?![\d,:])", lambda m: (m[1], 1, 1)),
    )
    for pattern, parts in patterns:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            year, month, day = (int(x) for x in parts(m))
            try:
                found.append(pd.Timestamp(year, month, day))
            except ValueError:
                continue
            taken.append((m.start(), m.end()))
    order = sorted(range(len(found)), key=lambda i: taken[i][0])
    return [found[i] for i in order]


def _month_number(name: str) -> int:
    return [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
    ].index(name[:3].lower()) + 1


#: Columns the kit writes in its own words, per table: an as-of view empties any that
#: names a date later than its day. (Passages, excerpts and quotations are the sources'
#: own words, published by then.)
KIT_TEXT = {
    "events": ("label", "date_basis", "note"),
    "event_reports": ("wording", "date_basis", "framing_note"),
    "claims": ("statement", "caveat", "framing_note", "subject"),
    "actors": ("role", "note"),
    "places": ("note",),
    "quotes": ("note",),
    "topics": ("topic", "emphasis"),
    "glossary": ("explanation", "whose_framing", "neutral_alternative"),
    "renderings": ("note",),
    "references": ("title", "note"),
    "sources": ("published_basis", "perspective"),
}
#: What an emptied required cell says instead (the row itself is still known).
WITHHELD = "(wording withheld in this as-of view: it names a later date)"


def _without_later_dates(frame: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Empty the kit's own text cells that name a date after ``cutoff``."""
    name = _table_of(frame)
    out = frame.copy()
    for column in KIT_TEXT.get(name, ()):
        if column not in out.columns:
            continue
        later = out[column].map(lambda v: any(d > cutoff for d in dates_in_text(v)))
        if later.any():
            required = column in {"label", "wording", "statement", "title", "topic", "subject"}
            out[column] = out[column].astype(object)
            out.loc[later, column] = WITHHELD if required else pd.NA
    return out


def _table_of(frame: pd.DataFrame) -> str:
    """Which table a frame is, by its first column (the id)."""
    first = frame.columns[0]
    return {
        "event_id": "events",
        "report_id": "event_reports",
        "claim_id": "claims",
        "actor_id": "actors",
        "place_id": "places",
        "quote_id": "quotes",
        "topic_id": "topics",
        "term_id": "glossary",
        "rendering_id": "renderings",
        "reference_id": "references",
        "source_id": "sources",
    }.get(first, "")


def _date_from_known_reports(
    events: pd.DataFrame, known: pd.DataFrame, every: pd.DataFrame
) -> pd.DataFrame:
    """Events whose dating rests on reports not yet known: dated from the known ones.

    That is an event dated from outside the article (``date_origin=context``) that has
    context reports, none of them known yet; and an event from the article none of
    whose article reports is known yet (an as-of view before the article).
    """
    events = events.copy()
    for i in events.index:
        event_id = events.at[i, "event_id"]
        own = known[known["event_id"] == event_id]
        had = set(every.loc[every["event_id"] == event_id, "origin"])
        has = set(own["origin"])
        context_gone = events.at[i, "date_origin"] == "context" and "context" in had - has
        article_gone = events.at[i, "origin"] == "article" and "article" not in has
        if not (context_gone or article_gone):
            continue
        precs = own["reported_date_prec"].dropna().unique()
        events.loc[i, ["date_start", "date_end"]] = [
            own["reported_date_start"].min(),
            own["reported_date_end"].max(),
        ]
        events.loc[i, "date_prec"] = precs[0] if len(precs) == 1 else "approximate"
        events.loc[i, "date_origin"] = "article" if "article" in has else "context"
        if article_gone:
            events.loc[i, "origin"] = "context"
        events.loc[i, ["date_basis", "note"]] = [
            "Dated from the reports known on this view's date.",
            pd.NA,
        ]
    return events


def _without_dangling_ids(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Empty ids that point at rows an as-of view left out (views join on them)."""
    ids = {
        "actors": set(tables["actors"]["actor_id"]),
        "places": set(tables["places"]["place_id"]),
        "events": set(tables["events"]["event_id"]),
    }
    pointers = {
        "events": {"place_id": "places"},
        "actors": {"affiliation_id": "actors"},
        "places": {"parent_id": "places"},
        "claims": {"event_id": "events", "claimant_id": "actors", "side_id": "actors"},
        "quotes": {"event_id": "events"},
        "topics": {"raised_by_id": "actors", "assigned_to_id": "actors"},
    }
    out = dict(tables)
    for name, columns in pointers.items():
        frame = out[name].copy()
        for column, target in columns.items():
            bad = frame[column].notna() & ~frame[column].isin(ids[target])
            frame[column] = frame[column].astype(object).where(~bad, pd.NA)
        out[name] = frame
    events = out["events"].copy()
    events["actor_ids"] = events["actor_ids"].map(
        lambda v: tuple(a for a in v if a in ids["actors"]) if isinstance(v, tuple) else v
    )
    out["events"] = events
    # Topics and quotes belong to an event; without it they tell nothing in this view.
    for name in ("topics", "quotes"):
        frame = out[name]
        if name == "topics":
            frame = frame.loc[frame["event_id"].isin(ids["events"])]
        out[name] = frame
    speakers = out["quotes"]["speaker_id"].isin(ids["actors"])
    out["quotes"] = out["quotes"].loc[speakers]
    return out


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


def _last_days(references: pd.DataFrame) -> pd.Series:
    """Each reference's last possible day of publication (:func:`published_by`), by id."""
    last_day = published_by(references["published"], references["published_prec"])
    last_day.index = pd.Index(references["reference_id"])
    return last_day


def _evidence_problems(
    shown: str, name: str, frame: pd.DataFrame, last_day: pd.Series, events: pd.DataFrame
) -> list[Problem]:
    """Context rows quote their reference, and the reference could state the fact.

    Every ``origin=context`` row needs a non-empty ``excerpt`` (verbatim from its
    reference, at most :data:`EXCERPT_MAX` characters; the same limit holds for any
    excerpt), and its reference needs a ``published`` date.

    *Could state it* means: the reference was not certainly published before the fact
    it is cited for had begun. A reference published while an event is under way can
    report its start (a ceasefire announced the day it takes effect, a deployment
    reported in its first week), but no reference can report an event, or a dating of
    it, that had not begun when it appeared: an announcement of a future deadline is
    not evidence that the deadline was met. The reference's publication is taken at
    the last day its precision allows (:func:`published_by`), so a book known to the
    year only fails when even 31 December of that year is too early. Per table:

    * ``event_reports`` that date the event (``reported_date_start`` given): published
      on or after that start and the event's ``date_start``. A report that gives no
      dating of its own states only what its reference said when it appeared (a
      provision, a deadline, an announcement), so it may precede the event; it is
      never evidence that the event happened (see :meth:`Dataset.as_of`);
    * ``claims``: on or after ``claim_date`` (when the claim was made);
    * ``quotes``: on or after the ``date_start`` of the event the words were said at;
    * ``actors``, ``places``, ``topics``, ``glossary``: no date to compare (a meeting's
      agenda, for one, may be announced before the meeting).
    """
    problems = []
    context = frame["origin"] == "context"
    excerpt = frame["excerpt"].fillna("").astype(str)
    for row in frame.index[context & (excerpt.str.strip() == "")]:
        problems.append(
            Problem(
                shown,
                int(row),
                "excerpt",
                "is empty: a context row needs the verbatim excerpt of its reference "
                "that supports it",
            )
        )
    for row in frame.index[excerpt.str.len() > EXCERPT_MAX]:
        problems.append(
            Problem(
                shown,
                int(row),
                "excerpt",
                f"is {len(excerpt[row])} characters long; an excerpt is at most "
                f"{EXCERPT_MAX} (quote the sentence that supports the row)",
            )
        )
    event_start = events.set_index("event_id")["date_start"]
    facts: list[tuple[str, pd.Series]] = []
    if name == "event_reports":
        dated = frame["reported_date_start"].notna()
        facts.append(("the event's date_start", frame["event_id"].map(event_start).where(dated)))
        facts.append(("reported_date_start", frame["reported_date_start"]))
    elif name == "claims":
        facts.append(("claim_date", frame["claim_date"]))
    elif name == "quotes":
        facts.append(("the date_start of its event", frame["event_id"].map(event_start)))
    for row in frame.index[context & frame["reference_id"].isin(last_day.index)]:
        ref = frame.at[row, "reference_id"]
        published = last_day[ref]
        if pd.isna(published):
            problems.append(
                Problem(
                    shown,
                    int(row),
                    "reference_id",
                    f"reference {ref!r} has no published date (references.csv): a context "
                    "row needs a dated reference, or no as-of view can place it",
                )
            )
            continue
        late = [(what, dates[row]) for what, dates in facts]
        late = [(what, fact) for what, fact in late if pd.notna(fact) and published < fact]
        if late:
            begun = " and ".join(f"{what} ({_fmt(fact)})" for what, fact in late)
            problems.append(
                Problem(
                    shown,
                    int(row),
                    "reference_id",
                    f"reference {ref!r} was published by {_fmt(published)}, before {begun}: "
                    "it could not report what had not yet begun (cite a reference published "
                    "on or after it)",
                )
            )
    return problems


def _checked_problems(shown: str, references: pd.DataFrame) -> list[Problem]:
    """A reference marked checked says when and how it was checked."""
    problems = []
    checked = references["checked"]
    for column, what in (("checked_on", "the day it was checked"), ("checked_how", "how")):
        missing = references[column].isna()
        if references[column].dtype == object:
            missing |= references[column].fillna("").astype(str).str.strip() == ""
        for row in references.index[checked & missing]:
            problems.append(
                Problem(shown, int(row), column, f"is empty, but checked is true: record {what}")
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
    targets = {"sources", "references", "actors", "places", "events", "quotes"}
    ids = {
        name: set(raw[name][resources[name]["schema"]["primaryKey"][0]].dropna().unique().tolist())
        for name in targets
    }
    typed = {name: convert(raw[name], resources[name]) for name in TABLES}
    shown = {name: _display(root / resources[name]["path"]) for name in TABLES}
    texts, found = _read_texts(root, typed["sources"], shown["sources"])
    last_day = _last_days(typed["references"])  # what each reference could report, once
    problems += found
    for name in TABLES:
        frame, resource = raw[name], resources[name]
        problems += _foreign_key_problems(shown[name], frame, resource, ids)
        if name in SOURCED_TABLES:
            problems += _provenance_problems(
                shown[name], frame, typed["sources"], ids["references"], texts
            )
            problems += _evidence_problems(
                shown[name], name, typed[name], last_day, typed["events"]
            )
    problems += _checked_problems(shown["references"], typed["references"])
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
