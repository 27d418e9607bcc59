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
from .timeline_spans import (  # noqa: F401  (the timeline's public names, as before)
    BREAK_DAYS,
    LABEL_CHARS,
    PHASE_DAYS,
    TITLE,
    date_ticks,
    drawn_spans,
    event_label,
    event_spans,
    key_rows,
    long_window,
    margin,
    meeting_date,
    not_drawn,
    periods,
    report_spans,
    span,
    visible_events,
    window_title,
    windows,
)

#: Width of the timeline, in inches: at :data:`helpers.figures.DISPLAY_DPI` it fits the
#: report's column unscaled, so its text (:data:`TEXT_PT` and up) stays at least 11 px.
WIDTH = 8.0
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
    labels = [event_label(r) for r in events.itertuples(index=False)]
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
        gap = not_drawn(ranges[0][1], ranges[1][0])
        if gap:
            axes[0].set_xlabel(f"axis broken:\n{gap} not drawn", fontsize=TEXT_PT)
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


def takeaway(ds) -> str:
    """The timeline's alt text: what it shows, in one sentence (:func:`alt_text` has the rest).

    >>> import helpers
    >>> takeaway(helpers.load())[:40]
    'Timeline of 19 events, from 1992 to 2021'
    """
    events = event_spans(ds)
    if events.empty:
        return "Timeline with no dated events."
    fighting = "; ".join(label.replace("Fighting", "fighting") for *_, label in periods(events))
    each = "each drawn across" if len(events) > 1 else "drawn across"
    return (
        f"{_how_many(events)}, {each} the span its date is known to"
        + (f" ({fighting})" if fighting else "")
        + "."
    )


def _how_many(events: pd.DataFrame) -> str:
    """'Timeline of 19 events, from 1992 to 2021'; 'Timeline of 1 event, in 1992'."""
    from ..data.wording import count

    first, last = events["start"].min(), events["end"].max() - pd.Timedelta(days=1)
    years = f"in {first.year}" if first.year == last.year else f"from {first.year} to {last.year}"
    return f"Timeline of {count(len(events), 'event')}, {years}"


def _bars_in_words(widths: pd.DataFrame, total: int) -> str:
    """Why the events drawn as bars are bars: known only to a year, month or window, or
    known to the day at both ends but lasting (a war of several weeks). Every count is
    the figure's own: the points known to the day are named only when there are some.

    >>> bars = pd.DataFrame({"date_prec": ["month"]})
    >>> _bars_in_words(bars, 1)
    'It is drawn as a bar (known only to a year, month or window).'
    >>> _bars_in_words(bars, 3).split("; ")[1]
    'the other 2 are points known to the day.'
    >>> _bars_in_words(bars.iloc[:0], 2)
    'Every event is a point known to the day.'
    """
    end_prec = widths.get("date_end_prec", widths["date_prec"]).fillna(widths["date_prec"])
    vague = int(((widths["date_prec"] != "day") | (end_prec != "day")).sum())
    lasting = len(widths) - vague
    said = [f"{vague} known only to a year, month or window"] if vague else []
    if lasting:
        said.append(f"{lasting} dated to the day at both ends but lasting longer")
    if not said:
        return "Every event is a point known to the day."
    why = " and ".join(said)
    if len(widths) == 1:
        why = why.removeprefix("1 ")
        if total == 1:
            return f"It is drawn as a bar ({why})."
    if len(widths) == total:
        return f"All {total} events are drawn as bars ({why})."
    bars = (
        "1 event is drawn as a bar"
        if len(widths) == 1
        else f"{len(widths)} events are drawn as bars"
    )
    rest = total - len(widths)
    points = "the other 1 is a point" if rest == 1 else f"the other {rest} are points"
    return f"{bars} ({why}); {points} known to the day."


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
    widths = events.loc[~events["point"]]
    if n_context:
        of_them = (
            "it is"
            if len(events) == 1
            else "all of them are"
            if n_context == len(events)
            else f"{n_context} of them {'is' if n_context == 1 else 'are'}"
        )
        outside = "the article" if len(ds.sources) else "references"
        head = (
            f"{_how_many(events)}; {of_them} context from outside {outside} "
            "(drawn open and dashed)."
        )
    else:
        head = f"{_how_many(events)}."
    parts = [head, _bars_in_words(widths, len(events))]
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
