"""An event whose start and end are known to different precisions is written with each
end at its own precision wherever the kit dates it: no label names a month or a day
that the row (data/events.csv, read here with the csv module) does not know for that end.

The oracle is the row itself: for each end, the month name is allowed only if that end's
precision is a month or finer, the day only if it is a day (or a week, or a window's end).
"""

from __future__ import annotations

import calendar
import csv
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers.views import chronology, sequence, timeline

EVENTS = Path(__file__).resolve().parents[1] / "data" / "events.csv"
MONTHS = list(calendar.month_name)[1:]
MONTH_RE = re.compile(r"(?:(\d{1,2}) )?(" + "|".join(MONTHS) + r")\b")


def _rows() -> dict[str, dict]:
    with EVENTS.open(newline="", encoding="utf-8") as f:
        return {r["event_id"]: r for r in csv.DictReader(f)}


def _allowed(row: dict) -> tuple[set[str], set[tuple[str, str]]]:
    """Month names, and (day, month) pairs, the row knows for either end."""
    ends = [
        (row["date_start"], row["date_prec"]),
        (row["date_end"], row.get("date_end_prec") or row["date_prec"]),
    ]
    months, days = set(), set()
    for value, precision in ends:
        d = date.fromisoformat(value)
        if precision in {"day", "week", "month", "approximate"}:
            months.add(MONTHS[d.month - 1])
        if precision in {"day", "week", "approximate"}:
            days.add((str(d.day), MONTHS[d.month - 1]))
    return months, days


def finer_than_row(phrase: str, row: dict) -> list[str]:
    """The dates in ``phrase`` written more finely than ``row`` knows them.

    >>> row = {"date_start": "1992-01-01", "date_end": "1994-05-12",
    ...        "date_prec": "year", "date_end_prec": "month"}
    >>> finer_than_row("Fighting, January 1992 to May 1994", row)
    ['January']
    >>> finer_than_row("Fighting, 1992 to 12 May 1994", row)
    ['12 May']
    >>> finer_than_row("Fighting, 1992 to May 1994", row)
    []
    """
    months, days = _allowed(row)
    wrong = []
    for m in MONTH_RE.finditer(phrase):
        day, month = m.group(1), m.group(2)
        if month not in months or (day and (day, month) not in days):
            wrong.append(m.group(0))
    return wrong


def test_the_check_fails_on_a_start_written_finer_than_its_precision():
    """The round-6 label: a start known to the year written as 'January 1992'."""
    row = _rows()["takeover-1990s"]
    assert row["date_prec"] == "year" and row["date_end_prec"] == "month"
    assert finer_than_row("Fighting, January 1992 to May 1994", row) == ["January"]
    assert finer_than_row("between 1992 and 12 May 1994", row) == ["12 May"]


def test_mixed_precisions_are_in_the_data():
    """The class is live: some event is known to different precisions at its two ends."""
    mixed = [r for r in _rows().values() if r["date_end_prec"]]
    assert mixed
    assert all(r["date_end_prec"] != r["date_prec"] for r in mixed)


def _shown(ds) -> list[tuple[str, str]]:
    """(event id, date phrase) for every place the views date an event."""
    spans = timeline.event_spans(ds)
    out = []
    for line in chronology.build(ds).lines:
        out.append((line.row[1], line.text.split(": ", 1)[0]))
    for start, end, label in timeline.periods(spans):
        hit = spans.loc[(spans["start"] == start) & (spans["end"] == end), "event_id"]
        out += [(event_id, label) for event_id in hit]
    for _, event in spans.iterrows():
        out.append((event["event_id"], sequence._when(event, spans)))
    return out


def test_no_view_dates_an_event_more_finely_than_its_row():
    rows = _rows()
    shown = _shown(helpers.load())
    assert {e for e, _ in shown} >= {e for e, r in rows.items() if r["date_end_prec"]}
    wrong = [(e, p, finer_than_row(p, rows[e])) for e, p in shown if finer_than_row(p, rows[e])]
    assert wrong == []


@pytest.mark.parametrize("day", ["1994-06-01", "2010-05-12", "2020-12-31", "2021-01-11"])
def test_as_of_views_date_events_no_more_finely_than_their_rows(day):
    """In a view for an earlier day, an event still dated as events.csv dates it keeps
    each end's precision (one redated from the reports known then has the reports')."""
    rows = _rows()
    ds = helpers.load().as_of(day)
    kept = {
        e
        for e, start, end in ds.events[["event_id", "date_start", "date_end"]].itertuples(
            index=False
        )
        if e in rows
        and pd.Timestamp(start) == pd.Timestamp(rows[e]["date_start"])
        and pd.Timestamp(end) == pd.Timestamp(rows[e]["date_end"])
    }
    wrong = [
        (e, p, finer_than_row(p, rows[e]))
        for e, p in _shown(ds)
        if e in kept and finer_than_row(p, rows[e])
    ]
    assert wrong == []
