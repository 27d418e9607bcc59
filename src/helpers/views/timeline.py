"""Draw events in time with their dating uncertainty shown, not hidden.

An event known only to the year is drawn across that whole year, one known to the
month across the whole month, an approximate one across its window; only a
day-precision event becomes a point. Where sources date an event differently, each
source's own dating is drawn under it (a tick for a day, a line for a span), so the
disagreement shows. The marks and the key are drawn by :mod:`.timeline_draw`.

>>> import helpers
>>> ds = helpers.load()
>>> s = event_spans(ds).set_index("event_id")
>>> s.loc["takeover-1990s", ["start", "end"]].tolist()  # known to the month: whole months
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

#: Zoomed window of the chart's second panel: the 2020 war to the Moscow meeting.
ZOOM = ("2020-09-01", "2021-01-31")


def span(start, end, precision: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The half-open interval ``[start, end)`` a date covers at its precision.

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
    """
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

    Columns: ``event_id, label, kind, origin, date_origin, date_prec, start, end``
    (half-open) and ``point`` (True for a single day known to the day). In an
    ``as_of`` view, spans are cut at the as-of day.
    """
    from .provenance import with_dual_names

    rows = []
    # In an as-of view, nothing is drawn past the as-of day: later dating is not yet known.
    cutoff = pd.Timestamp(ds.as_of_date) + pd.Timedelta(days=1) if ds.as_of_date else None
    for ev in visible_events(ds).itertuples(index=False):
        interval = span(ev.date_start, ev.date_end, ev.date_prec)
        if interval is None:
            continue
        if cutoff is not None and interval[1] > cutoff > interval[0]:
            interval = (interval[0], cutoff)
        rows.append(
            {
                "event_id": ev.event_id,
                # Labels are the kit's own voice: contested places in both names.
                "label": with_dual_names(ev.label, ds),
                "kind": ev.kind,
                "origin": ev.origin,
                "date_origin": ev.date_origin,
                "date_prec": ev.date_prec,
                "start": interval[0],
                "end": interval[1],
                "point": bool(
                    ev.date_prec == "day" and interval[1] - interval[0] == pd.Timedelta(days=1)
                ),
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
            "start",
            "end",
            "point",
        ],
    )
    return frame.sort_values(["start", "end", "event_id"], kind="stable").reset_index(drop=True)


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
#: Height of the key under the timeline, in inches.
KEY_HEIGHT = 1.75


#: The timeline's title (both layouts).
TITLE = "The sequence as the sources date it, each date drawn at the precision it is known"


def _label(row, chars: int = LABEL_CHARS) -> str:
    import textwrap

    text = "\n".join(textwrap.wrap(row.label, chars))
    if row.origin == "context":
        return f"{text} [context]"
    if row.date_origin == "context":
        return f"{text} †"  # reported in the article, dated from outside it
    return text


def periods(events: pd.DataFrame, window=None) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
    """Periods of fighting to shade: military events spanning :data:`PHASE_DAYS` or more.

    >>> import helpers
    >>> [label for *_, label in periods(event_spans(helpers.load()))]
    ['Fighting, January 1992 to May 1994', 'Fighting, 27 September to 10 November 2020']
    """
    from .provenance import phrase_date

    found = []
    for row in events.itertuples(index=False):
        long = row.end - row.start >= pd.Timedelta(days=PHASE_DAYS)
        if row.kind == "military" and long and not row.point and row.date_prec != "approximate":
            last = row.end - pd.Timedelta(days=1)
            when = phrase_date(row.start, last, row.date_prec).removeprefix("between ")
            when = when.replace(" and ", " to ")
            found.append((row.start, row.end, f"Fighting, {when}"))
    return found


def _panels(events, reports, zoom_window):
    """The two x-ranges drawn: the years before the zoom, and the zoom itself."""
    starts = pd.concat([events["start"], reports["start"]])
    ends = pd.concat([events["end"], reports["end"]])
    early = ends <= zoom_window[0]
    if early.any():
        first = starts[early].min()
        last = ends[early].max()
        left = (pd.Timestamp(first.year, 1, 1), pd.Timestamp(last.year + 1, 1, 1))
        if last == pd.Timestamp(last.year, 1, 1):
            left = (left[0], last)
    else:
        left = (zoom_window[0] - pd.Timedelta(days=366), zoom_window[0])
    return left, zoom_window


def drawn_spans(ds) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events to draw, and the reports drawn under them: only those of events whose
    sources date them differently (a single dating is already the event's own mark)."""
    events, reports = event_spans(ds), report_spans(ds)
    distinct = reports.drop_duplicates(["event_id", "start", "end"])["event_id"].value_counts()
    reports = reports[reports["event_id"].isin(distinct.index[distinct > 1])]
    if events.empty:
        raise ValueError(f"timeline.plot: the dataset in {ds.path} has no dated events to draw")
    return events, reports


def plot(ds, zoom: tuple[str, str] = ZOOM, width: float = WIDTH):
    """Timeline of every event: the years before the 2020 war, a break, then the 2020 war
    and what followed up to the meeting, on one row per event.

    Parameters
    ----------
    ds : Dataset
    zoom : (str, str)
        First and last day of the right-hand panel.
    width : float
        In inches; below :data:`helpers.views.marks.NARROW` the timeline is laid out
        for a phone (:mod:`.timeline_phone`: the two periods stacked).

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
    """
    import matplotlib.dates as mdates

    from .marks import NARROW
    from .provenance import format_date

    if width < NARROW:
        from . import timeline_phone

        return timeline_phone.plot(ds, zoom, width)
    events, reports = drawn_spans(ds)
    zoom_window = (pd.Timestamp(zoom[0]), pd.Timestamp(zoom[1]) + pd.Timedelta(days=1))
    left_range, right_range = _panels(events, reports, zoom_window)
    labels = [_label(r) for r in events.itertuples(index=False)]
    lines = sum(label.count("\n") + 1 for label in labels)
    height = 1.3 + KEY_HEIGHT + 0.15 * lines + 0.16 * len(events)
    # Made without pyplot (as in helpers.charts): no backend or figure registry is
    # involved, and helpers.figures.show renders it.
    from .figures import new_figure

    fig = new_figure(figsize=(WIDTH, height))
    early, near = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1, 2.6]})
    for ax, window in ((early, left_range), (near, right_range)):
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
        ax.set_xlim(*window)
        ax.grid(axis="x", color="0.8", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=TEXT_PT)
    early.set_title(
        f"{left_range[0].year} to {(left_range[1] - pd.Timedelta(days=1)).year}",
        loc="left",
        fontsize=9.5,
    )
    near.set_title(
        f"{format_date(zoom_window[0], 'month')} to {format_date(pd.Timestamp(zoom[1]), 'month')}",
        loc="left",
        fontsize=9.5,
    )
    early.xaxis.set_major_locator(
        mdates.YearLocator(2 if left_range[1].year - left_range[0].year > 3 else 1)
    )
    early.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    near.xaxis.set_major_locator(mdates.MonthLocator())
    near.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    early.set_yticks(range(len(events)), labels, fontsize=TEXT_PT)
    early.set_ylim(len(events) - 0.5, -1.5)
    break_marks(early, near)
    gap = (left_range[1].year, zoom_window[0].year - 1)
    if gap[1] >= gap[0]:
        early.set_xlabel(f"axis broken:\n{gap[0]} to {gap[1]} not drawn", fontsize=TEXT_PT)
    meeting = meeting_date(ds)
    if meeting is not None and right_range[0] <= meeting < right_range[1]:
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
    left, right, top, bottom = 2.25, 0.12, 0.75, 0.55 + KEY_HEIGHT
    fig.subplots_adjust(
        left=left / WIDTH,
        right=1 - right / WIDTH,
        top=1 - top / height,
        bottom=bottom / height,
        wspace=0.06,
    )
    for ax in (early, near):
        draw_datings(ax, events, reports)
    draw_key(fig)
    # The index's thumbnail: the 2020 war, its truces and the agreement (rows 4 to 9).
    fig.kit_thumbnail_at = (near, pd.Timestamp("2020-10-25"), 5.0)
    return fig


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
    vague = int((widths["date_prec"] != "day").sum())
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
