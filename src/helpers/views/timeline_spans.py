"""What the timeline draws, as data: each event's span at its precision, the sources'
datings under it, the windows the axis breaks into, the periods of fighting, the key.

Both layouts of the timeline read it: the desktop's (:mod:`.timeline`) and the
phone's (:mod:`.timeline_phone`); nothing here draws a figure (:func:`date_ticks` and
:func:`margin` set a panel's axis).

>>> import helpers
>>> s = event_spans(helpers.load()).set_index("event_id")
>>> bool(s.loc["clashes-2020-09-27", "point"])
True
"""

from __future__ import annotations

import pandas as pd

from .timeline_draw import KIND_STYLE

#: A stretch this long with nothing dated in it is not drawn: the axis breaks there, and
#: the marks either side of it get a panel each (in the full dataset: 1991 to 1994, then
#: September 2020 to January 2021).
BREAK_DAYS = 730


def span(
    start, end, precision: str, end_prec: str | None = None
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The half-open interval ``[start, end)`` a date covers at its precision.

    ``end_prec`` is the end's own precision where it differs from the start's.

    Parameters
    ----------
    start, end : date-like or None
        First and last day (``end`` defaults to ``start``; ``start`` to ``end``).
    precision : {"day", "week", "month", "year", "approximate"}

    Returns
    -------
    tuple of Timestamp, or None when neither date is known.

    Examples
    --------
    >>> span("2020-11-01", "2020-11-01", "month")  # a month, not a dot on the 1st
    (Timestamp('2020-11-01 00:00:00'), Timestamp('2020-12-01 00:00:00'))
    >>> span("1992-01-01", "1994-12-31", "year")
    (Timestamp('1992-01-01 00:00:00'), Timestamp('1995-01-01 00:00:00'))
    >>> span("2020-11-10", None, "day")
    (Timestamp('2020-11-10 00:00:00'), Timestamp('2020-11-11 00:00:00'))
    >>> span(None, None, "day") is None
    True
    >>> span("1992-01-01", "1994-05-12", "year", "month")  # 1992 to May 1994
    (Timestamp('1992-01-01 00:00:00'), Timestamp('1994-06-01 00:00:00'))
    """
    if end_prec and end_prec != precision:
        head, tail = span(start, start, precision), span(end, end, end_prec)
        if head is None or tail is None:
            return head or tail
        if head[0] >= tail[1]:
            raise ValueError(f"span: start {start} is after end {end}")
        return head[0], tail[1]
    known = [v is not None and not pd.isna(v) for v in (start, end)]
    if not any(known):
        return None
    first = pd.Timestamp(start if known[0] else end)
    last = pd.Timestamp(end if known[1] else start)
    if first > last:
        raise ValueError(f"span: start {first.date()} is after end {last.date()}")
    if precision == "year":
        return pd.Timestamp(first.year, 1, 1), pd.Timestamp(last.year + 1, 1, 1)
    if precision == "month":
        return (first.to_period("M").start_time, (last.to_period("M") + 1).start_time)
    if precision in {"day", "week", "approximate"}:
        return first.normalize(), last.normalize() + pd.Timedelta(days=1)
    raise ValueError(
        f"span: unknown precision {precision!r} (expected day, week, month, year or approximate)"
    )


def visible_events(ds) -> pd.DataFrame:
    """The events table as the loaded sources support it.

    In an ``as_of`` view from before the article, an article event may survive
    through a context report alone; its dates, dating notes and origin then come
    from the reports that remain, not from the article (column ``article_known``
    says whether any article report remains).

    >>> import helpers
    >>> ev = visible_events(helpers.load().as_of("2020-12-31")).set_index("event_id")
    >>> ev.loc["takeover-1990s", ["date_start", "date_prec", "origin"]].tolist()
    [Timestamp('1992-01-01 00:00:00'), 'year', 'context']
    """
    from ..data.datings import redate

    events = ds.events.copy()
    if "end_known" not in events:
        events["end_known"] = True
    reports = ds.event_reports
    with_article = set(reports.loc[reports["origin"] == "article", "event_id"])
    known = events["event_id"].isin(with_article) | (events["origin"] != "article")
    events["article_known"] = known
    for i in events.index[~events["article_known"]]:
        own = reports[reports["event_id"] == events.at[i, "event_id"]]
        redate(events, i, own)
        events.loc[i, ["origin", "date_origin"]] = ["context", "context"]
        events.loc[i, ["date_basis", "note"]] = [pd.NA, pd.NA]
    return events


def event_spans(ds) -> pd.DataFrame:
    """One row per event with its drawn interval, sorted by date.

    Columns: ``event_id, label, kind, origin, date_origin, date_prec`` (the start's
    precision), ``date_end_prec`` (the end's), ``start, end``
    (half-open), ``point`` (True for a single day known to the day) and ``open``. In an
    ``as_of`` view, spans are cut at the as-of day, and an event not seen to end by
    then (under way, or dated only by its outbreak) is ``open``: drawn with no end, up
    to its last report.
    """
    from .provenance import end_precision, with_dual_names

    rows = []
    # In an as-of view, nothing is drawn past the as-of day: later dating is not yet known.
    cutoff = pd.Timestamp(ds.as_of_date) + pd.Timedelta(days=1) if ds.as_of_date else None
    for ev in visible_events(ds).itertuples(index=False):
        last_prec = end_precision(ev._asdict())
        interval = span(ev.date_start, ev.date_end, ev.date_prec, last_prec)
        if interval is None:
            continue
        if cutoff is not None and interval[1] > cutoff > interval[0]:
            interval = (interval[0], cutoff)
        # Not seen to end by an as-of view's day (under way then, or dated only by its
        # outbreak): drawn open-ended, up to its last report, never as a span that ends.
        under_way = _flag(getattr(ev, "ongoing", False)) or not _flag(
            getattr(ev, "end_known", True)
        )
        if under_way:
            interval = (interval[0], _open_end(interval[0], getattr(ev, "last_reported", None)))
        rows.append(
            {
                "event_id": ev.event_id,
                # Labels are the kit's own voice: contested places in both names.
                "label": with_dual_names(ev.label, ds),
                "kind": ev.kind,
                "origin": ev.origin,
                "date_origin": ev.date_origin,
                "date_prec": ev.date_prec,
                "date_end_prec": last_prec,
                "start": interval[0],
                "end": interval[1],
                "point": bool(
                    not under_way
                    and ev.date_prec == "day"
                    and interval[1] - interval[0] == pd.Timedelta(days=1)
                ),
                "open": under_way,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "event_id",
            "label",
            "kind",
            "origin",
            "date_origin",
            "date_prec",
            "date_end_prec",
            "start",
            "end",
            "point",
            "open",
        ],
    )
    return frame.sort_values(["start", "end", "event_id"], kind="stable").reset_index(drop=True)


def _flag(value) -> bool:
    return False if value is None or pd.isna(value) else bool(value)


def _open_end(start, last_reported) -> pd.Timestamp:
    """Where an event not seen to end is drawn to: the day after its last report (the
    chronology's "no end reported; last reported on …"), at least its first day.

    >>> _open_end(pd.Timestamp("2020-09-27"), pd.Timestamp("2020-10-05")).date()
    datetime.date(2020, 10, 6)
    >>> _open_end(pd.Timestamp("2020-09-27"), None).date()
    datetime.date(2020, 9, 28)
    """
    last = start if last_reported is None or pd.isna(last_reported) else last_reported
    return max(start, pd.Timestamp(last).normalize()) + pd.Timedelta(days=1)


def report_spans(ds) -> pd.DataFrame:
    """One row per dated event report: each source's own dating of an event.

    >>> import helpers
    >>> r = report_spans(helpers.load())
    >>> r.loc[r["report_id"] == "r-agreement-truce-aa", ["start", "end"]].iloc[0].tolist()
    [Timestamp('2020-11-01 00:00:00'), Timestamp('2020-12-01 00:00:00')]
    """
    rows = []
    for rep in ds.event_reports.itertuples(index=False):
        interval = span(rep.reported_date_start, rep.reported_date_end, rep.reported_date_prec)
        if interval is None:
            continue
        rows.append(
            {
                "report_id": rep.report_id,
                "event_id": rep.event_id,
                "origin": rep.origin,
                "claimant": rep.claimant,
                "date_prec": rep.reported_date_prec,
                "start": interval[0],
                "end": interval[1],
            }
        )
    return pd.DataFrame(
        rows, columns=["report_id", "event_id", "origin", "claimant", "date_prec", "start", "end"]
    )


#: Characters per line of an event's label (wrapped, never cut short).
LABEL_CHARS = 30


#: A military event this long or longer is also drawn as a shaded period of fighting.
PHASE_DAYS = 28


#: The timeline's title (both layouts).
TITLE = "The sequence as the sources date it, each date drawn at the precision it is known"


def event_label(row, chars: int = LABEL_CHARS) -> str:
    import textwrap

    mark = ""
    if row.origin == "context":
        mark = " [context]"
    elif row.date_origin == "context":
        mark = " †"  # reported in the article, dated from outside it
    # Wrapped with its mark, so no line outgrows the labels' column.
    return "\n".join(textwrap.wrap(row.label + mark, chars))


def periods(events: pd.DataFrame, window=None) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
    """Periods of fighting to shade: military events spanning :data:`PHASE_DAYS` or more.

    >>> import helpers
    >>> [label for *_, label in periods(event_spans(helpers.load()))]
    ['Fighting, 1992 to May 1994', 'Fighting, 27 September to 10 November 2020']

    Fighting still under way on an as-of view's day has no end to name:

    >>> T = pd.Timestamp
    >>> war = pd.DataFrame([{"kind": "military", "point": False, "date_prec": "day", "open": True,
    ...                      "start": T("2020-09-27"), "end": T("2020-11-06")}])
    >>> [label for *_, label in periods(war)]
    ['Fighting from 27 September 2020, no end reported']
    """
    from .provenance import end_precision, format_date, phrase_date

    found = []
    for row in events.itertuples(index=False):
        long = row.end - row.start >= pd.Timedelta(days=PHASE_DAYS)
        if row.kind == "military" and long and not row.point and row.date_prec != "approximate":
            if getattr(row, "open", False):
                start = format_date(
                    row.start, row.date_prec if row.date_prec != "approximate" else "day"
                )
                found.append((row.start, row.end, f"Fighting from {start}, no end reported"))
                continue
            last = row.end - pd.Timedelta(days=1)
            when = phrase_date(row.start, last, row.date_prec, end_precision(row._asdict()))
            when = when.removeprefix("between ")
            when = when.replace(" and ", " to ")
            found.append((row.start, row.end, f"Fighting, {when}"))
    return found


def windows(events, reports, as_of=None) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The x-ranges drawn, computed from the marks: one panel per stretch of dated marks.

    Where nothing is dated for :data:`BREAK_DAYS` or more, the axis breaks (at the
    longest such stretch) and each side gets its own panel. A panel spanning years runs
    from the start of its first year; one spanning months, from the start of its first
    month. No panel runs past ``as_of`` (an as-of view's day): nothing later is known;
    while an event is under way at that day, the last panel runs to it (unless it is
    :data:`BREAK_DAYS` or more after the last mark); otherwise it ends with its marks.

    >>> import helpers
    >>> def days(ranges):
    ...     return [(a.date().isoformat(), b.date().isoformat()) for a, b in ranges]
    >>> days(windows(*drawn_spans(helpers.load())))
    [('1991-01-01', '1995-01-01'), ('2020-09-01', '2021-02-01')]
    >>> days(windows(*drawn_spans(helpers.load().as_of("2020-10-10")), "2020-10-10"))
    [('1992-01-01', '1995-01-01'), ('2020-09-01', '2020-10-11')]
    >>> days(windows(*drawn_spans(helpers.load().as_of("1994-05-12")), "1994-05-12"))
    [('1992-02-01', '1992-05-01')]
    >>> days(windows(*drawn_spans(helpers.load().as_of("2022-12-27")), "2022-12-27"))[-1]
    ('2020-09-01', '2021-02-01')
    """
    marks = pd.DataFrame(
        {
            "start": pd.concat([events["start"], reports["start"]], ignore_index=True),
            "end": pd.concat([events["end"], reports["end"]], ignore_index=True),
        }
    ).sort_values("start", kind="stable")
    reach = marks["end"].cummax().shift()  # the furthest any earlier mark runs
    gaps = (marks["start"] - reach).dropna()
    cutoff = pd.Timestamp(as_of) + pd.Timedelta(days=1) if as_of is not None else None
    groups = [marks]
    if not gaps.empty and gaps.max() >= pd.Timedelta(days=BREAK_DAYS):
        first_late = marks["start"] >= marks.loc[gaps.idxmax(), "start"]
        groups = [marks[~first_late], marks[first_late]]
    ends = [g["end"].max() for g in groups]
    # The view's own day closes the axis ("now") only while an event is open at it: after
    # the last event ended, running to the view's day squeezed 2020-21 into a sliver.
    under_way = "open" in events and bool(events["open"].any())
    if cutoff is not None and under_way and cutoff - ends[-1] < pd.Timedelta(days=BREAK_DAYS):
        ends[-1] = max(ends[-1], cutoff)
    return [_window(g["start"].min(), end, cutoff) for g, end in zip(groups, ends, strict=True)]


def _window(first, last, cutoff) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Whole years for a stretch of years, whole months for a shorter one; cut at ``cutoff``."""
    if last - first > pd.Timedelta(days=BREAK_DAYS):
        window = (pd.Timestamp(first.year, 1, 1), pd.Timestamp(last.year + 1, 1, 1))
        if last == pd.Timestamp(last.year, 1, 1):
            window = (window[0], last)
    else:
        window = (
            first.to_period("M").start_time,
            (last - pd.Timedelta(days=1)).to_period("M").end_time.normalize()
            + pd.Timedelta(days=1),
        )
    if window[1] - window[0] < pd.Timedelta(days=32):  # one month: a month either side
        window = (
            (window[0] - pd.Timedelta(days=1)).to_period("M").start_time,
            (window[1].to_period("M") + 1).start_time,
        )
    if cutoff is not None and window[1] > cutoff:
        window = (window[0], cutoff)
    return window


def long_window(window) -> bool:
    """Whether a panel spans years (ticked by year) rather than months."""
    return window[1] - window[0] > pd.Timedelta(days=BREAK_DAYS)


def not_drawn(left_end, right_start) -> str | None:
    """What a broken axis leaves out between a panel ending at ``left_end`` (exclusive)
    and one starting at ``right_start``: whole years as years, part years by month.

    >>> not_drawn(pd.Timestamp("1995-01-01"), pd.Timestamp("2020-01-01"))
    '1995 to 2019'
    >>> not_drawn(pd.Timestamp("1992-05-01"), pd.Timestamp("1994-04-01"))
    'May 1992 to March 1994'
    >>> not_drawn(pd.Timestamp("1995-01-01"), pd.Timestamp("1995-01-01")) is None
    True
    """
    first = pd.Timestamp(left_end).normalize()
    last = pd.Timestamp(right_start).normalize() - pd.Timedelta(days=1)
    if last < first:
        return None
    begin = str(first.year) if (first.month, first.day) == (1, 1) else f"{first:%B %Y}"
    end = str(last.year) if (last.month, last.day) == (12, 31) else f"{last:%B %Y}"
    return begin if begin == end else f"{begin} to {end}"


def window_title(window, as_of=None) -> str:
    """A panel's title: its years or months, or up to the view's day where it is cut there.

    >>> T = pd.Timestamp
    >>> window_title((T("1991-01-01"), T("1995-01-01")))
    '1991 to 1994'
    >>> window_title((T("2020-09-01"), T("2021-02-01")))
    'September 2020 to January 2021'
    >>> window_title((T("2020-09-01"), T("2020-09-28")), "2020-09-27")
    '1 to 27 September 2020'
    >>> window_title((T("2020-09-01"), T("2020-10-11")), "2020-10-10")
    'September to 10 October 2020'
    >>> window_title((T("1992-01-01"), T("1994-05-13")), "1994-05-12")
    '1992 to 12 May 1994'
    """
    from .provenance import format_date

    first, last = window[0], window[1] - pd.Timedelta(days=1)
    cut = as_of is not None and last == pd.Timestamp(as_of)
    if long_window(window):
        return f"{first.year} to {format_date(last) if cut else last.year}"
    if cut and (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {format_date(last)}"
    end = format_date(last) if cut else format_date(last, "month")
    if not cut and (first.year, first.month) == (last.year, last.month):
        return end
    begin = format_date(first, "month")
    if cut and first.year == last.year:
        begin = begin.removesuffix(f" {first.year}")
    return f"{begin} to {end}"


def key_rows(ds, events, reports, shown_windows) -> list[tuple[str, str]]:
    """The key's rows, ``(mark, words)``, for the marks this view draws, and only those.

    An as-of view from before the meeting has no meeting line to explain, one from
    before the article no "in the article" marks; an event under way on the view's day
    is drawn open-ended, with the day named.

    >>> import helpers
    >>> ds = helpers.load().as_of("2020-10-10")
    >>> events, reports = drawn_spans(ds)
    >>> rows = dict(key_rows(ds, events, reports, windows(events, reports, "2020-10-10")))
    >>> list(rows)
    ['military', 'ceasefire_diplomatic', 'context', 'point', 'bar', 'open', 'fighting']
    >>> rows["open"]
    'arrow: no end reported by 10 October 2020;\\ndrawn up to its last report'
    """
    from .provenance import format_date

    rows = [
        (kind, style["name"]) for kind, style in KIND_STYLE.items() if kind in set(events["kind"])
    ]
    article = bool(len(ds.sources))
    context = events["origin"] == "context"
    if (~context).any():
        rows.append(("article", "in the article: filled, solid edge"))
    if context.any():
        outside = "only outside the article" if article else "outside the kit's sources"
        rows.append(("context", f"[context]: {outside}: open, dashed"))
    open_ended = events["open"] if "open" in events else pd.Series(False, index=events.index)
    windowed = events["date_prec"] == "approximate"
    for mark, present, words in (
        ("point", events["point"].any(), "point: known to the day"),
        (
            "bar",
            (~events["point"] & ~windowed).any(),
            "bar: a span of days, or known only to the month or year",
        ),
        ("window", windowed.any(), "window: some time within it (approximate)"),
    ):
        if present:
            rows.append((mark, words))
    if open_ended.any():
        rows.append(
            (
                "open",
                "arrow: no end reported"
                + (f" by {format_date(ds.as_of_date)}" if ds.as_of_date else "")
                + ";\ndrawn up to its last report",
            )
        )
    if not reports.empty:
        darker = "darker: a dating from outside the article" if article else ""
        rows.append(
            (
                "dating",
                "grey tick or line under an event: one source's dating\n"
                "(a day or a span), where sources differ" + (";\n" + darker if darker else ""),
            )
        )
    if any(first < b and last > a for first, last, _ in periods(events) for a, b in shown_windows):
        rows.append(("fighting", "shaded: a period of fighting"))
    meeting = meeting_date(ds)
    if meeting is not None and any(a <= meeting < b for a, b in shown_windows):
        rows.append(("meeting", "dash-dot line: the Moscow meeting"))
    if ((~context) & (events["date_origin"] == "context")).any():
        rows.append(("dagger", "†: in the article, dated from outside it"))
    return rows


def drawn_spans(ds) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events to draw, and the reports drawn under them: only those of events whose
    sources date them differently (a single dating is already the event's own mark)."""
    events, reports = event_spans(ds), report_spans(ds)
    distinct = reports.drop_duplicates(["event_id", "start", "end"])["event_id"].value_counts()
    reports = reports[reports["event_id"].isin(distinct.index[distinct > 1])]
    if events.empty:
        raise ValueError(f"timeline.plot: the dataset in {ds.path} has no dated events to draw")
    return events, reports


def date_ticks(ax, window, month_format: str) -> None:
    """Year ticks on a panel spanning years, month ticks on one spanning months, all
    inside ``window``, none on its end (the x-limits may run a little past it: :func:`margin`)."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FixedLocator

    if long_window(window):
        years = window[1].year - window[0].year
        locator, formatter = mdates.YearLocator(2 if years >= 3 else 1), mdates.DateFormatter("%Y")
    else:
        locator = mdates.MonthLocator()
        formatter = (
            mdates.ConciseDateFormatter(locator)
            if month_format == "concise"
            else mdates.DateFormatter(month_format)
        )
    first, last = mdates.date2num(window[0]), mdates.date2num(window[1])
    ticks = [t for t in locator.tick_values(window[0], window[1]) if first <= t < last]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(formatter)


def margin(window, as_of) -> pd.Timedelta:
    """Room drawn past a panel cut at an as-of view's day, so a mark on that day shows
    whole (no tick or mark is drawn in it)."""
    cut = as_of is not None and window[1] == pd.Timestamp(as_of) + pd.Timedelta(days=1)
    return (window[1] - window[0]) * 0.025 if cut else pd.Timedelta(0)


def meeting_date(ds):
    """Start of the event the meeting agenda (topics) belongs to, if there is one."""
    ids = ds.topics["event_id"].dropna()
    if ids.empty:
        return None
    hit = ds.events.loc[ds.events["event_id"] == ids.mode().iloc[0], "date_start"]
    return None if hit.empty or pd.isna(hit.iloc[0]) else hit.iloc[0]
