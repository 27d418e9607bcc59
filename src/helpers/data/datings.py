"""When do two sources really disagree on an event's date?

A report may date the whole event, only its start or its end, or one episode within
it (``event_reports.dating_scope``: ``whole``, ``start``, ``end``, ``part``). Each
dating is read as a window for the event's first day and one for its last day; two
reports disagree only when no pair of days fits both. A report of the outbreak of a
six-week war does not contradict one of the whole war; a month ("in November 2020")
does not contradict a day inside it.

How each precision bounds the days:

* ``whole`` at ``day`` precision: the event began on the first day and ended on the
  last; at ``week``, ``month`` or ``year``: both days lie inside the window; at
  ``approximate``: the event overlaps the window;
* ``start`` / ``end``: that day lies inside the window;
* ``part``: the event overlaps the window (one episode of it fell there).

>>> import pandas as pd
>>> war = _reports([("2020-09-27", "2020-11-10", "day", "whole"),
...                 ("2020-09-27", "2020-09-27", "day", "start")])
>>> conflicts(war)
[]
>>> takeover = _reports([("1991-01-01", "1991-12-31", "year", "whole"),
...                      ("1992-01-01", "1994-12-31", "year", "whole")])
>>> conflicts(takeover)
[(0, 1)]
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: The values of ``event_reports.dating_scope`` and what each says of the event.
SCOPES = {
    "whole": "dates the whole event",
    "start": "dates only its start",
    "end": "dates only its end",
    "part": "dates one episode within it",
}

_EARLIEST = pd.Timestamp.min
_LATEST = pd.Timestamp.max


@dataclass(frozen=True)
class Window:
    """The days an event's first and last day may fall on, by one report."""

    start_lo: pd.Timestamp = _EARLIEST
    start_hi: pd.Timestamp = _LATEST
    end_lo: pd.Timestamp = _EARLIEST
    end_hi: pd.Timestamp = _LATEST

    def meet(self, other: Window) -> Window:
        """The days both windows allow."""
        return Window(
            max(self.start_lo, other.start_lo),
            min(self.start_hi, other.start_hi),
            max(self.end_lo, other.end_lo),
            min(self.end_hi, other.end_hi),
        )

    @property
    def possible(self) -> bool:
        """Whether some first day and last day (first <= last) fit."""
        return (
            self.start_lo <= self.start_hi
            and self.end_lo <= self.end_hi
            and self.start_lo <= self.end_hi
        )


def _day(value, default: pd.Timestamp) -> pd.Timestamp:
    return default if value is None or pd.isna(value) else pd.Timestamp(value)


def window(report) -> Window | None:
    """The window one report puts the event in; None if it gives no date.

    >>> w = window({"reported_date_start": "2020-11-01", "reported_date_end": "2020-11-30",
    ...             "reported_date_prec": "month", "dating_scope": "whole"})
    >>> w.start_lo.date(), w.end_hi.date()
    (datetime.date(2020, 11, 1), datetime.date(2020, 11, 30))
    """
    first = report["reported_date_start"]
    last = report["reported_date_end"]
    if (first is None or pd.isna(first)) and (last is None or pd.isna(last)):
        return None
    lo, hi = _day(first, _EARLIEST), _day(last, _LATEST)
    scope = report.get("dating_scope") if hasattr(report, "get") else report["dating_scope"]
    precision = report["reported_date_prec"]
    if scope == "start":
        return Window(start_lo=lo, start_hi=hi)
    if scope == "end":
        return Window(end_lo=lo, end_hi=hi)
    if scope == "part" or precision == "approximate":
        return Window(start_hi=hi, end_lo=lo)
    if precision == "day":
        return Window(lo, lo, hi, hi)
    return Window(lo, hi, lo, hi)


def conflicts(reports: pd.DataFrame) -> list[tuple]:
    """Pairs of reports (by index label) whose datings cannot both be true."""
    windows = [(i, window(r)) for i, r in reports.iterrows()]
    windows = [(i, w) for i, w in windows if w is not None]
    found = []
    for a, (i, wi) in enumerate(windows):
        for j, wj in windows[a + 1 :]:
            if not wi.meet(wj).possible:
                found.append((i, j))
    return found


def disputed_events(reports: pd.DataFrame) -> list[str]:
    """Ids of the events whose reports really disagree on the date, in table order.

    >>> import helpers
    >>> disputed_events(helpers.load().event_reports)
    ['takeover-1990s']
    """
    out = []
    for event_id, group in reports.groupby("event_id", sort=False):
        if conflicts(group):
            out.append(event_id)
    return out


def _reports(rows) -> pd.DataFrame:
    """A small frame of datings, for the examples above."""
    columns = ["reported_date_start", "reported_date_end", "reported_date_prec", "dating_scope"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns[:2]:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def dating_from(reports: pd.DataFrame) -> dict | None:
    """The event's dates as the given reports, taken together, fix them.

    Returns ``{"date_start", "date_end", "date_prec", "end_known"}``, or None when no
    report gives a date. A report of the outbreak alone fixes the start and leaves the
    end unknown (``end_known`` False, ``date_end`` set to the start so the event is
    drawn from there): a war dated only by its first day is not a one-day war.
    Reports that cannot all be true are spanned from the earliest to the latest day.

    >>> war = _reports([("2020-09-27", "2020-09-27", "day", "start")])
    >>> d = dating_from(war)
    >>> d["date_start"].date(), d["end_known"]
    (datetime.date(2020, 9, 27), False)
    >>> deal = _reports([("2020-11-10", "2020-11-10", "day", "whole"),
    ...                  ("2020-11-09", "2020-11-10", "day", "start")])
    >>> d = dating_from(deal)
    >>> d["date_start"].date(), d["date_end"].date(), d["date_prec"]
    (datetime.date(2020, 11, 10), datetime.date(2020, 11, 10), 'day')
    """
    dated = reports[reports["reported_date_start"].notna() | reports["reported_date_end"].notna()]
    if dated.empty:
        return None
    precs = dated["reported_date_prec"].dropna().unique()
    prec = precs[0] if len(precs) == 1 else "approximate"
    met = Window()
    for _, report in dated.iterrows():
        met = met.meet(window(report))
    if not met.possible:
        return {
            "date_start": dated["reported_date_start"].min(),
            "date_end": dated["reported_date_end"].max(),
            "date_prec": "approximate",
            "end_known": True,
        }
    parts = dated[dated["dating_scope"] == "part"]
    start = met.start_lo if met.start_lo != _EARLIEST else pd.NaT
    if pd.isna(start) and len(parts):
        start = parts["reported_date_start"].min()
    end = met.end_hi if met.end_hi != _LATEST else pd.NaT
    end_known = not pd.isna(end)
    if not end_known and len(parts):
        end, end_known = parts["reported_date_end"].max(), True
    if pd.isna(start) and pd.isna(end):
        return None
    if not end_known:
        end = start
    elif not pd.isna(start) and met.start_hi != met.start_lo and prec == "day":
        prec = "approximate"  # the first day is known only to a window
    return {"date_start": start, "date_end": end, "date_prec": prec, "end_known": end_known}


def redate(events: pd.DataFrame, row, reports: pd.DataFrame) -> None:
    """Date ``events`` row ``row`` from ``reports`` (that event's own), in place.

    Sets ``date_start``, ``date_end``, ``date_prec`` and ``end_known`` as
    :func:`dating_from` gives them; a row no report dates is left as it is.

    >>> events = pd.DataFrame({"date_start": [None], "date_end": [None],
    ...                        "date_prec": [None], "end_known": [True]})
    >>> redate(events, 0, _reports([("2020-09-27", "2020-09-27", "day", "start")]))
    >>> events.at[0, "date_prec"], bool(events.at[0, "end_known"])
    ('day', False)
    """
    dated = dating_from(reports)  # a report of the outbreak alone leaves the end open
    if dated is None:
        return
    columns = ["date_start", "date_end", "date_prec", "end_known"]
    events.loc[row, columns] = [dated[c] for c in columns]
    if "date_end_prec" in events.columns:  # the reports' one precision holds for both ends
        events.loc[row, "date_end_prec"] = pd.NA
