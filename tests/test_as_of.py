"""As-of views never show what was learnt later.

The expectations come from the CSV files, read here with the csv module, not from the
code under test: for every date that matters in the dataset (each event's start and end,
each source's and reference's date, and the day before each), plus dates drawn by
hypothesis, the as-of dataset holds no row whose source or reference appeared after that
day, no date after it in events, reports or claims, ends every event still under way on
that day, and the narrative and timeline built from it name no later date.
"""

from __future__ import annotations

import calendar
import csv
import functools
import re
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helpers
from helpers import narrative, paths, timeline

DATA = paths.DATA_DIR


def read(table: str) -> list[dict]:
    with (DATA / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def last_day(published: str, precision: str, checked_on: str = "") -> date | None:
    """The last day a reference dated at ``precision`` may have appeared.

    A date known only from below ("in or after 2012") has no last day but the day the
    copy was seen (``checked_on``), or none at all.
    """
    if not published:
        return None
    if precision.endswith("_or_later"):
        return day(checked_on)
    d = day(published)
    if precision == "year":
        return date(d.year, 12, 31)
    if precision == "month":
        return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    return d


SOURCES = {r["source_id"]: day(r["published"]) for r in read("sources")}
REFERENCES = {
    r["reference_id"]: last_day(r["published"], r["published_prec"], r["checked_on"])
    for r in read("references")
}
EVENTS = {r["event_id"]: r for r in read("events")}
SOURCED = ("actors", "places", "event_reports", "claims", "quotes", "topics", "glossary")
ROWS = {table: {r[next(iter(r))]: r for r in read(table)} for table in SOURCED}


def appeared(row: dict) -> date:
    """When everything a row cites had appeared (the later of its source and reference)."""
    days = []
    if row["source_id"]:
        days.append(SOURCES[row["source_id"]])
    if row["reference_id"]:
        days.append(REFERENCES[row["reference_id"]] or date.max)
    return max(days)


def every_date() -> list[date]:
    days = set(SOURCES.values()) | {d for d in REFERENCES.values() if d}
    for ev in EVENTS.values():
        days |= {day(ev["date_start"]), day(ev["date_end"])} - {None}
    days |= {d - timedelta(days=1) for d in list(days)}
    return sorted(days)


DATES = every_date()


@functools.cache
def full():
    """The whole dataset, loaded once, when a test first needs it (not while collecting)."""
    return helpers.load(DATA)


# Dates written in text, found here independently of the kit's own date finder.
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTHS["sept"] = 9
_DMY = re.compile(r"\b(\d{1,2})(?:\s*(?:-|and|to)\s*\d{1,2})? ([A-Z][a-z]+)\.? (\d{4})\b")
_MDY = re.compile(r"\b([A-Z][a-z]+)\.? (\d{1,2}), (\d{4})\b")
_MY = re.compile(r"\b([A-Z][a-z]+) (\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"(?<![\d,.:/])\b(19\d\d|20\d\d)\b(?![\d,:/])")


def earliest_days_named(text: str) -> list[date]:
    """The first day each date written in ``text`` can mean."""
    out = []
    for m in _ISO.finditer(text):
        out.append(date(int(m[1]), int(m[2]), int(m[3])))
    for m in _DMY.finditer(text):
        if m[2].lower() in MONTHS:
            out.append(date(int(m[3]), MONTHS[m[2].lower()], int(m[1])))
    for m in _MDY.finditer(text):
        if m[1].lower() in MONTHS:
            out.append(date(int(m[3]), MONTHS[m[1].lower()], int(m[2])))
    for m in _MY.finditer(text):
        if m[1].lower() in MONTHS:
            out.append(date(int(m[2]), MONTHS[m[1].lower()], 1))
    out += [date(int(y), 1, 1) for y in _YEAR.findall(text)]
    return out


def check_as_of(when: date, ds=None) -> None:
    ds = full().as_of(when) if ds is None else ds
    stamp = pd.Timestamp(when)
    # Sources and references: exactly those that had appeared.
    assert set(ds.sources["source_id"]) == {s for s, d in SOURCES.items() if d <= when}
    assert set(ds.references["reference_id"]) == {
        r for r, d in REFERENCES.items() if d is not None and d <= when
    }
    # Every row: what it cites had appeared (looked up in the raw CSV by the row's id).
    for table in SOURCED:
        frame = getattr(ds, table)
        for key in frame.iloc[:, 0]:
            assert appeared(ROWS[table][key]) <= when, (when, table, key)
    # Events: begun by then, ended at the latest then, flagged if under way.
    for ev in ds.events.itertuples(index=False):
        raw = EVENTS[ev.event_id]
        assert day(raw["date_start"]) <= when, (when, ev.event_id)
        # (One known only to a month or a year happened once in it: not under way.)
        still = day(raw["date_end"]) > when and not known_to_one_period(raw)
        assert bool(ev.ongoing) == still, (when, ev.event_id)
        if still:
            assert ev.date_end == stamp, (when, ev.event_id)
    for rep in ds.event_reports.itertuples(index=False):
        start = ROWS["event_reports"][rep.report_id]["reported_date_start"]
        assert not start or day(start) <= when, (when, rep.report_id)
    for table, columns in {
        "events": ["date_start", "date_end"],
        "event_reports": ["reported_date_start", "reported_date_end"],
        "claims": ["claim_date"],
    }.items():
        frame = getattr(ds, table)
        for column in columns:
            late = frame.loc[frame[column] > stamp]
            assert late.empty, (when, table, column, late.iloc[:, 0].tolist())
    story = str(ds_narrative(ds))  # built once: every check below reads the same essay
    check_no_article_before_it_and_no_one_day_war(when, ds, story)
    check_every_event_is_reported_as_having_happened(when, ds)
    check_names_only_what_it_holds_and_looks_ahead_only_with_a_date(when, ds)
    # The views built from it name no later date, except inside a quotation of words a
    # source or reference had published by then (a deadline announced before it fell).
    published_words = [
        row[column]
        for table in SOURCED
        for row in ROWS[table].values()
        if appeared(row) <= when
        for column in ("passage", "excerpt", "text")
        if row.get(column)
    ]
    texts = [story, timeline.alt_text(ds)]
    texts += timeline.event_spans(ds)["label"].tolist()
    for text in texts:
        text = re.sub(
            r"“([^”]*)”",
            lambda m: " " if any(m[1] in words for words in published_words) else m[0],
            text,
        )
        later = [d for d in earliest_days_named(text) if d > when]
        assert not later, (when, later, text[:300])


NAMES_THE_ARTICLE = re.compile(r"\bthe article\b|\bAnadolu\b", re.IGNORECASE)
#: Columns in the kit's own words (this test's own list).
KIT_COLUMNS = {
    "events": ["label", "date_basis", "note"],
    "event_reports": ["wording", "date_basis", "framing_note"],
    "claims": ["statement", "caveat", "framing_note"],
    "actors": ["role", "note"],
    "places": ["note"],
    "glossary": ["explanation", "whose_framing"],
    "quotes": ["note"],
    "references": ["note"],
}
#: Every id in the data (the first column of each table), read from the CSV files.
ALL_IDS = {k for table in SOURCED for k in ROWS[table]} | set(SOURCES) | set(REFERENCES)
ALL_IDS |= set(EVENTS)
#: An id as the kit's text names it ("report r-agdam", "reference tass-2020-11-11").
ID_NAMED = re.compile(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])")
#: Words that place something in a sequence only hindsight knows (this test's own list).
HINDSIGHT = re.compile(
    r"\b(?:first|second|third) war\b|\blast of\b|\bfinal(?:ly)?\b|\beventually\b|\blater\b"
    r"|\bsubsequent(?:ly)?\b"
    # A body's name for itself in the past tense says the body is gone (the de facto
    # authorities "styled themselves 'Republic of Artsakh'" in views of 2021).
    r"|\b(?:styled|called|named) themselves\b",
    re.IGNORECASE,
)


def kit_text(ds) -> list[str]:
    return [
        v
        for table, columns in KIT_COLUMNS.items()
        for column in columns
        for v in getattr(ds, table)[column].dropna().astype(str)
    ]


def known_to_one_period(raw: dict) -> bool:
    """An event of events.csv dated only to one month, or one year, that it lies within
    (the CSCE's decision of March 1992): it happened once then, it did not last so long."""
    start, end = day(raw["date_start"]), day(raw["date_end"])
    if raw.get("date_end_prec") not in (None, "", raw["date_prec"]):
        return False  # its start and end are known to different precisions: a span
    if raw["date_prec"] == "month":
        return (start.year, start.month) == (end.year, end.month)
    return raw["date_prec"] == "year" and start.year == end.year


def check_no_article_before_it_and_no_one_day_war(when: date, ds, story: str | None = None) -> None:
    """``story``: the view's narrative, if already built."""
    story = str(ds_narrative(ds)) if story is None else story
    # Before the article existed, nothing in the view names it or its publisher.
    if when < min(SOURCES.values()):
        for text in kit_text(ds) + [story]:
            assert not NAMES_THE_ARTICLE.search(text), (when, text[:200])
    # An event whose known reports date only its start is not cut to that one day.
    for ev in timeline.visible_events(ds).itertuples(index=False):
        if not getattr(ev, "end_known", True):
            line = [x for x in story.splitlines() if ev.label in x]
            assert all(x.startswith(("From ", "[context] From ")) for x in line), (when, line)


def check_every_event_is_reported_as_having_happened(when: date, ds) -> None:
    """An event is shown only when a report known by then says it took place.

    A report that dates the event says so; one that gives no date says so only if it
    appeared after the event began. An undated row published on or before that day is a
    provision, a plan or a deadline ("a peacekeeping contingent ... is deployed", in the
    statement that provides for it), not a report that it happened.
    """
    for event_id in ds.events["event_id"]:
        began = day(EVENTS[event_id]["date_start"])
        witnesses = [
            r["report_id"]
            for r in ROWS["event_reports"].values()
            if r["event_id"] == event_id
            and appeared(r) <= when
            and (
                began is None
                or appeared(r) > began
                or (appeared(r) >= began and (r["reported_date_start"] or r["reported_date_end"]))
            )
        ]
        assert witnesses, (when, event_id, "no report known by then says it took place")


def check_names_only_what_it_holds_and_looks_ahead_only_with_a_date(when: date, ds) -> None:
    # The kit's text names no row or reference the view does not hold (a note pointing at
    # a reference published later would name a document before it existed).
    held = set(ds.sources["source_id"]) | set(ds.references["reference_id"])
    held |= set(ds.events["event_id"]) | {k for t in SOURCED for k in getattr(ds, t).iloc[:, 0]}
    for text in kit_text(ds):
        named = {m for m in ID_NAMED.findall(text) if m in ALL_IDS}
        assert named <= held, (when, sorted(named - held), text[:200])
        # A word written knowing what came later ("the first war") is dated, so that
        # views before the date withhold it (dates after the view are checked above).
        # (The view's own notice that it withheld such a text says "later" and is no hindsight.)
        if HINDSIGHT.search(text) and not text.startswith("(wording withheld"):
            assert earliest_days_named(text), (when, text[:200])


def ds_narrative(ds):
    return narrative.build(ds) if len(ds.events) else ""


@pytest.mark.slow  # every date in the data: tests/test_as_of_every_date.py; here, others
@settings(
    max_examples=5,  # random dates, between and beyond the dates in the data
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(st.dates(min_value=DATES[0] - timedelta(days=400), max_value=DATES[-1] + timedelta(days=2)))
def test_as_of_never_shows_what_was_learnt_later(when):
    check_as_of(when)


@pytest.mark.parametrize(
    "when",
    sorted({DATES[0], min(SOURCES.values()) - timedelta(days=1), min(SOURCES.values())}),
)
def test_as_of_never_shows_what_was_learnt_later_on_key_dates(when):
    """The quick tier's sample: the first date in the data, and either side of the article."""
    check_as_of(when)


def test_the_dates_cover_every_event_source_and_reference():
    assert len(DATES) > 20
    assert min(SOURCES.values()) in DATES
    assert all(day(ev["date_end"]) in DATES for ev in EVENTS.values())


def test_the_check_can_fail_on_a_view_that_leaks():
    """The same checks reject the full dataset passed off as a view of 15 November 2020."""
    when = date(2020, 11, 15)
    leaky = full().__class__(
        **{**full().__dict__, "as_of_date": when, "events": full().events.assign(ongoing=False)}
    )
    with pytest.raises(AssertionError):
        check_as_of(when, leaky)


def test_earliest_days_named_reads_the_styles_in_the_data():
    text = "signed Nov. 10, 2020; on 30 January 2021; in May 1994; 1992-1994; 2,802; 00:00"
    found = set(earliest_days_named(text))
    assert {date(2020, 11, 10), date(2021, 1, 30), date(1994, 5, 1), date(1992, 1, 1)} <= found
    assert not any(d.year in (2802, 2000) for d in found)


def test_the_check_can_fail_on_a_view_that_names_the_article_early():
    """Full data passed off as a view of 31 December 2020 still names the article."""
    when = date(2020, 12, 31)
    leaky = full().__class__(**{**full().__dict__, "as_of_date": when})
    with pytest.raises(AssertionError):
        check_no_article_before_it_and_no_one_day_war(when, leaky)


def test_a_lower_bound_date_is_not_a_publication_date():
    """'In or after 2012' is not known in 2020: the reference stays out of 2020's views."""
    lower = [r for r in read("references") if r["published_prec"].endswith("_or_later")]
    assert lower
    for r in lower:
        assert r["reference_id"] not in set(full().as_of("2021-01-11").references["reference_id"])
    assert last_day("2012-01-01", "year") == date(2012, 12, 31)  # the rule it replaces


def test_the_check_can_fail_on_words_from_later():
    """A label written knowing the later war, and a note naming a later reference."""
    when = date(2020, 11, 15)
    view = full().as_of(when)
    events = view.events.copy()
    events.loc[events["event_id"] == "ceasefire-1994", "label"] = "Ceasefire ends the first war"
    hindsight = view.__class__(**{**view.__dict__, "events": events})
    with pytest.raises(AssertionError):
        check_names_only_what_it_holds_and_looks_ahead_only_with_a_date(when, hindsight)
    later = next(r for r, d in REFERENCES.items() if d and d > when)
    actors = view.actors.copy()
    actors.loc[0, "note"] = f"See reference {later}."
    naming = view.__class__(**{**view.__dict__, "actors": actors})
    with pytest.raises(AssertionError):
        check_names_only_what_it_holds_and_looks_ahead_only_with_a_date(when, naming)
    glossary = view.glossary.copy()
    glossary.loc[0, "whose_framing"] = "the de facto authorities styled themselves 'Artsakh'"
    gone = view.__class__(**{**view.__dict__, "glossary": glossary})
    with pytest.raises(AssertionError):
        check_names_only_what_it_holds_and_looks_ahead_only_with_a_date(when, gone)
    check_names_only_what_it_holds_and_looks_ahead_only_with_a_date(when, view)


def test_the_check_can_fail_on_a_month_dated_event_shown_under_way():
    """Review 7's T8: on 24 March 1992 the CSCE's decision (known to March 1992) was
    'from March 1992; no end reported'."""
    when = date(1992, 3, 24)
    view = full().as_of(when)
    assert any(known_to_one_period(EVENTS[e]) for e in view.events["event_id"])
    check_as_of(when, view)
    under_way = view.__class__(**{**view.__dict__, "events": view.events.assign(ongoing=True)})
    with pytest.raises(AssertionError):
        check_as_of(when, under_way)
