"""Draw events in time with their dating uncertainty shown, not hidden.

An event known only to the year is drawn across that whole year, one known to the
month across the whole month, an approximate one across its window; only a
day-precision event becomes a point. Where sources date an event differently, each
source's own dating is drawn under it (a tick for a day, a line for a span), so the
disagreement shows. The marks and the key are drawn by :mod:`.timeline_draw`.

>>> import helpers
>>> ds = helpers.load()
>>> s = event_spans(ds).set_index("event_id")
>>> s.loc["takeover-1990s", ["start", "end"]].tolist()  # 1992 (a year) to May 1994 (a month)
[Timestamp('1992-01-01 00:00:00'), Timestamp('1994-06-01 00:00:00')]
>>> bool(s.loc["clashes-2020-09-27", "point"])
True
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from .timeline_draw import (  # noqa: F401  (KIND_STYLE, KEY_TITLE: the timeline's public names)
    KEY_TITLE,
    KIND_STYLE,
    TEXT_PT,
    break_marks,
    draw_datings,
    draw_events,
    draw_key,
)

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


#: Width of the timeline, in inches: at :data:`helpers.figures.DISPLAY_DPI` it fits the
#: report's column unscaled, so its text (:data:`TEXT_PT` and up) stays at least 11 px.
WIDTH = 8.0
#: Characters per line of an event's label (wrapped, never cut short).
LABEL_CHARS = 30
#: A military event this long or longer is also drawn as a shaded period of fighting.
PHASE_DAYS = 28
#: The key under the timeline, in inches: its title, a row per entry of its longer
#: column, and a line per extra line of a wrapped entry (:func:`key_height`).
KEY_TITLE_IN, KEY_ROW_IN, KEY_LINE_IN = 0.35, 0.2, 0.14


def key_height(rows: list[tuple[str, str]]) -> float:
    """Inches the key of ``rows`` takes under the timeline (two columns, filled down).

    >>> key_height([("military", "military")] * 14)
    1.75
    >>> key_height([("military", "military")] * 13 + [("dating", "a\\nb\\nc")])
    2.03
    """
    half = -(-len(rows) // 2)

    def column(part):
        extra = sum(words.count("\n") for _, words in part)
        return KEY_ROW_IN * len(part) + KEY_LINE_IN * extra

    return round(KEY_TITLE_IN + max(column(rows[:half]), column(rows[half:])), 2)


#: The timeline's title (both layouts).
TITLE = "The sequence as the sources date it, each date drawn at the precision it is known"


def _label(row, chars: int = LABEL_CHARS) -> str:
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
    the last panel runs to that day unless it is :data:`BREAK_DAYS` or more after the last mark.

    >>> import helpers
    >>> def days(ranges):
    ...     return [(a.date().isoformat(), b.date().isoformat()) for a, b in ranges]
    >>> days(windows(*drawn_spans(helpers.load())))
    [('1991-01-01', '1995-01-01'), ('2020-09-01', '2021-02-01')]
    >>> days(windows(*drawn_spans(helpers.load().as_of("2020-10-10")), "2020-10-10"))
    [('1992-01-01', '1995-01-01'), ('2020-09-01', '2020-10-11')]
    >>> days(windows(*drawn_spans(helpers.load().as_of("1994-05-12")), "1994-05-12"))
    [('1992-02-01', '1992-05-01')]
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
    if cutoff is not None and cutoff - ends[-1] < pd.Timedelta(days=BREAK_DAYS):
        ends[-1] = max(ends[-1], cutoff)  # the view's own day closes the axis: "now"
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


def plot(ds, width: float = WIDTH):
    """Timeline of every event, on one row per event, in one panel per stretch of dated
    events (:func:`windows`: in the full dataset, the years before the 2020 war, a
    break, then the 2020 war and what followed up to the meeting).

    Parameters
    ----------
    ds : Dataset
    width : float
        In inches; below :data:`helpers.views.marks.NARROW` the timeline is laid out
        for a phone (:mod:`.timeline_phone`: the periods stacked).

    Returns
    -------
    matplotlib.figure.Figure
        Made without pyplot: save and display it with :func:`helpers.figures.show`.

    Examples
    --------
    >>> import helpers
    >>> fig = plot(helpers.load())
    >>> [ax.get_title(loc="left") for ax in fig.axes][:2]
    ['1991 to 1994', 'September 2020 to January 2021']
    >>> [ax.get_title(loc="left") for ax in plot(helpers.load().as_of("2020-10-10")).axes][:2]
    ['1992 to 1994', 'September to 10 October 2020']
    """
    from .marks import NARROW

    if width < NARROW:
        from . import timeline_phone

        return timeline_phone.plot(ds, width)
    events, reports = drawn_spans(ds)
    ranges = windows(events, reports, ds.as_of_date)
    labels = [_label(r) for r in events.itertuples(index=False)]
    lines = sum(label.count("\n") + 1 for label in labels)
    key = key_rows(ds, events, reports, ranges)
    height = 1.3 + key_height(key) + 0.15 * lines + 0.16 * len(events)
    # Made without pyplot (as in helpers.charts): no backend or figure registry is
    # involved, and helpers.figures.show renders it.
    from .figures import new_figure

    fig = new_figure(figsize=(WIDTH, height))
    ratios = [1, 2.6][-len(ranges) :] if len(ranges) <= 2 else [1] * len(ranges)
    axes = fig.subplots(1, len(ranges), sharey=True, squeeze=False, width_ratios=ratios)[0]
    for ax, window in zip(axes, ranges, strict=True):
        for y in range(0, len(events), 2):  # banded rows lead the eye across the break
            ax.axhspan(y - 0.5, y + 0.5, color="0.96", zorder=0, linewidth=0)
        for first, last, label in periods(events):
            if first < window[1] and last > window[0]:
                ax.axvspan(max(first, window[0]), min(last, window[1]), color="0.88", zorder=0)
                ax.text(
                    max(first, window[0]) + (min(last, window[1]) - max(first, window[0])) / 2,
                    -0.95,
                    label.replace(", ", ",\n", 1),
                    ha="center",
                    va="center",
                    fontsize=TEXT_PT,
                    fontstyle="italic",
                    parse_math=False,
                )
        draw_events(ax, events)
        ax.set_xlim(window[0], window[1] + margin(window, ds.as_of_date))
        ax.grid(axis="x", color="0.8", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=TEXT_PT)
        ax.set_title(window_title(window, ds.as_of_date), loc="left", fontsize=9.5)
        date_ticks(ax, window, "%b\n%Y")
    axes[0].set_yticks(range(len(events)), labels, fontsize=TEXT_PT)
    axes[0].set_ylim(len(events) - 0.5, -1.5)
    for left_ax, right_ax in zip(axes, axes[1:], strict=False):
        break_marks(left_ax, right_ax)
    if len(ranges) > 1:
        gap = (ranges[0][1].year, ranges[1][0].year - 1)
        if gap[1] >= gap[0]:
            axes[0].set_xlabel(f"axis broken:\n{gap[0]} to {gap[1]} not drawn", fontsize=TEXT_PT)
    meeting = meeting_date(ds)
    near = axes[-1]
    if meeting is not None and ranges[-1][0] <= meeting < ranges[-1][1]:
        near.axvline(meeting, color="black", linewidth=0.9, linestyle="-.", zorder=1)
        near.annotate(
            "Moscow\nmeeting",
            (meeting, -1.45),
            xytext=(-3, 0),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=TEXT_PT,
        )
    fig.suptitle(
        TITLE,
        x=0.01,
        ha="left",
        fontsize=10.5,
        fontweight="bold",
    )
    # Laid out by hand, in inches: the labels' column, the title, the ticks, the key.
    left, right, top, bottom = 2.25, 0.12, 0.75, 0.55 + key_height(key)
    fig.subplots_adjust(
        left=left / WIDTH,
        right=1 - right / WIDTH,
        top=1 - top / height,
        bottom=bottom / height,
        wspace=0.06,
    )
    for ax in axes:
        draw_datings(ax, events, reports)
    draw_key(fig, key)
    # The index's thumbnail: the last panel's first weeks (in the full dataset, the 2020
    # war, its truces and the agreement: rows 4 to 9).
    thumb_x = ranges[-1][0] + min((ranges[-1][1] - ranges[-1][0]) / 2, pd.Timedelta(days=54))
    fig.kit_thumbnail_at = (near, thumb_x, min(5.0, (len(events) - 1) / 2))
    return fig


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


def takeaway(ds) -> str:
    """The timeline's alt text: what it shows, in one sentence (:func:`alt_text` has the rest).

    >>> import helpers
    >>> takeaway(helpers.load())[:40]
    'Timeline of 19 events, from 1992 to 2021'
    """
    events = event_spans(ds)
    if events.empty:
        return "Timeline with no dated events."
    first, last = events["start"].min(), events["end"].max() - pd.Timedelta(days=1)
    fighting = "; ".join(label.replace("Fighting", "fighting") for *_, label in periods(events))
    return (
        f"Timeline of {len(events)} events, from {first.year} to {last.year}, each drawn across "
        "the span its date is known to" + (f" ({fighting})" if fighting else "") + "."
    )


def _bars_in_words(widths: pd.DataFrame) -> str:
    """Why the events drawn as bars are bars: known only to a year, month or window, or
    known to the day at both ends but lasting (a war of several weeks)."""
    end_prec = widths.get("date_end_prec", widths["date_prec"]).fillna(widths["date_prec"])
    vague = int(((widths["date_prec"] != "day") | (end_prec != "day")).sum())
    lasting = len(widths) - vague
    said = [f"{vague} known only to a year, month or window"] if vague else []
    if lasting:
        said.append(f"{lasting} dated to the day at both ends but lasting longer")
    if not said:
        return "Every event is a point known to the day."
    return (
        f"{len(widths)} events are drawn as bars ({' and '.join(said)}); "
        "the rest are points known to the day."
    )


def alt_text(ds) -> str:
    """What the timeline shows, in words, for readers who cannot see it.

    >>> import helpers
    >>> alt_text(helpers.load())[:40]
    'Timeline of 19 events, from 1992 to 2021'
    """
    from .provenance import phrase_date

    events = event_spans(ds)
    if events.empty:
        return "Timeline with no dated events."
    n_context = int((events["origin"] == "context").sum())
    first, last = events["start"].min(), events["end"].max() - pd.Timedelta(days=1)
    widths = events.loc[~events["point"]]
    parts = [
        f"Timeline of {len(events)} events, from {first.year} to {last.year}; "
        f"{n_context} of them are context from outside "
        + ("the article" if len(ds.sources) else "references")
        + " (drawn open and dashed).",
        _bars_in_words(widths),
    ]
    labels = events.set_index("event_id")["label"]
    from ..data.datings import conflicts

    for event_id, own in ds.event_reports.groupby("event_id", sort=False):
        dated = own.dropna(subset=["reported_date_start", "reported_date_end"], how="all")
        keys = dated[["reported_date_start", "reported_date_end", "reported_date_prec"]]
        if event_id not in labels.index or not conflicts(dated):
            continue
        datings = [
            f"{claimant}, {phrase_date(start, end, prec)}"
            for claimant, (start, end, prec) in zip(dated["claimant"], keys.values, strict=True)
        ]
        parts.append(f"Sources disagree on the date of '{labels[event_id]}': {'; '.join(datings)}.")
    return " ".join(parts)


def show(ds, stem: str = "03-timeline", figures_dir=None) -> dict:
    """Draw, save and display the timeline of ``ds``, or say plainly that there is none.

    An as-of view from before any dated event has nothing to draw: the notebook says so,
    and removes a figure an earlier build left under the same name, rather than fail.
    Returns the paths written (empty when nothing was drawn). ``figures_dir`` defaults
    to the build's figures folder (:func:`helpers.paths.figures_dir`).

    >>> import helpers, tempfile
    >>> show(helpers.load().as_of("1990-01-01"), figures_dir=tempfile.mkdtemp())
    No dated event is known from the sources published by 1 January 1990: no timeline to draw.
    {}
    """
    from .. import paths
    from . import figures
    from .provenance import format_date

    if event_spans(ds).empty:
        folder = Path(figures_dir) if figures_dir else paths.output_dir() / "figures"
        for name in (stem, f"{stem}-phone"):
            for ext in ("png", "svg"):
                (folder / f"{name}.{ext}").unlink(missing_ok=True)
        when = f" by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
        print(f"No dated event is known from the sources published{when}: no timeline to draw.")
        return {}
    return figures.show_drawn(functools.partial(plot, ds), stem, takeaway(ds), alt_text(ds))
