"""The timeline's marks: each event at the precision its date is known, each source's
own dating under it, the broken axis and the key (:mod:`.timeline` lays them out; so
does :mod:`.timeline_phone`).

A source's dating is drawn only where sources differ, once the panel is laid out, so
its marks can be sized and spread in pixels as shown: a day is a tick, a span a line
between ticks, at least :data:`MARK_PT` points high (over 11 px at the report's
scale); datings that would overprint share no lane. The identical dating of two
sources is drawn once.

>>> import helpers
>>> from helpers.views import timeline
>>> fig = timeline.plot(helpers.load())
>>> marks = [a for a in fig.axes[1].lines if (a.get_gid() or "").endswith(":dating")]
>>> len(marks) > 0 and min(m.get_markersize() for m in marks) >= MARK_PT
True
"""

from __future__ import annotations

import pandas as pd

#: Size of the marks of the sources' datings, in points (over 11 px at 110 dpi).
MARK_PT = 7.5
#: Their shade (the event's own marks are black-edged and darker or open).
DATING_COLOUR = "0.55"
#: Text size of the timeline, in points (the labels, ticks and key).
TEXT_PT = 8.5
#: Rows below an event's own mark at which its sources' datings are drawn (lanes).
DATING_LANES = (0.35, 0.6)

#: Grayscale styles per event kind: fill shade, hatch and marker tell them apart in print.
KIND_STYLE = {
    "military": {"shade": "0.15", "hatch": "", "marker": "s", "name": "military"},
    "ceasefire_diplomatic": {
        "shade": "0.45",
        "hatch": "///",
        "marker": "D",
        "name": "ceasefire / diplomatic",
    },
    "humanitarian": {"shade": "0.7", "hatch": "...", "marker": "o", "name": "humanitarian"},
    "peacekeeping": {"shade": "0.9", "hatch": "xx", "marker": "^", "name": "peacekeeping"},
}


def draw_events(ax, events, ys=None) -> None:
    """Draw every event's own mark on ``ax`` (the panel's x-limits decide which show).

    ``ys``: each event's height (default: one row each, in order). The sources' own
    datings are drawn once the panel is laid out (:func:`draw_datings`).
    """
    ys = range(len(events)) if ys is None else ys
    for y, row in zip(ys, events.itertuples(index=False), strict=True):
        style = KIND_STYLE.get(row.kind, KIND_STYLE["military"])
        context = row.origin == "context"
        if row.point:
            middle = row.start + (row.end - row.start) / 2
            ax.plot(
                [middle],
                [y],
                marker=style["marker"],
                markersize=7,
                linestyle="none",
                markerfacecolor="white" if context else style["shade"],
                markeredgecolor="black",
                markeredgewidth=1.2,
                zorder=3,
                gid=f"{row.event_id}:point",
            )
        elif row.date_prec == "approximate":
            # A window, not a solid bar: the event happened somewhere within it. One
            # still under way has only its first end: no source has given the other yet.
            (line,) = ax.plot(
                [row.start, row.end],
                [y, y],
                color="black",
                linewidth=1.4,
                linestyle=(0, (2, 2)) if context else "-",
                marker="|",
                markevery=[0] if _open(row) else None,
                markersize=11,
                markeredgewidth=1.6,
                zorder=2,
            )
            line.set_gid(f"{row.event_id}:window")
        elif _open(row):
            _open_bar(ax, row, y, style, context)
        else:
            _bar(ax, row, y, style, context, linewidth=1.0, linestyle="--" if context else "-")
        if _open(row):
            _arrow(ax, row.end, y, row.event_id)


def _bar(ax, row, y: float, style: dict, context: bool, **edge) -> None:
    """An event's bar (its edge as ``edge`` says), tagged with the event for the tests."""
    bars = ax.barh(
        y,
        row.end - row.start,
        left=row.start,
        height=0.5,
        color="white" if context else style["shade"],
        hatch=style["hatch"],
        edgecolor="black",
        zorder=2,
        **edge,
    )
    bars[0].set_gid(f"{row.event_id}:bar")


def _open(row) -> bool:
    return bool(getattr(row, "open", False))


def _open_bar(ax, row, y: float, style: dict, context: bool) -> None:
    """A bar with no right-hand edge: begun, and not reported ended by the view's day."""
    _bar(ax, row, y, style, context, linewidth=0)
    ax.plot(
        [row.end, row.start, row.start, row.end],
        [y - 0.25, y - 0.25, y + 0.25, y + 0.25],
        color="black",
        linewidth=1.0,
        linestyle="--" if context else "-",
        zorder=2,
    )


def _arrow(ax, x, y: float, event_id: str) -> None:
    """The open end of an event still under way: an arrowhead on the view's last day.

    Clipped to its panel like every mark: each panel of a broken axis draws every event,
    and an arrowhead left unclipped on a panel of the 1990s sat far to its right (and
    doubled the saved figure's width). The panel cut at the view's day leaves room for it
    (:func:`helpers.views.timeline.margin`).
    """
    (head,) = ax.plot(
        [x],
        [y],
        marker=">",
        markersize=7,
        linestyle="none",
        color="black",
        zorder=3,
    )
    head.set_gid(f"{event_id}:open")


def break_marks(left_ax, right_ax) -> None:
    """The usual broken-axis marks: the years between the panels are not drawn."""
    left_ax.spines["right"].set_visible(False)
    right_ax.spines["left"].set_visible(False)
    right_ax.tick_params(axis="y", left=False)
    kw = {
        "marker": [(-1, -1.5), (1, 1.5)],
        "markersize": 10,
        "linestyle": "none",
        "color": "black",
        "mec": "black",
        "mew": 1,
        "clip_on": False,
    }
    left_ax.plot([1, 1], [0, 1], transform=left_ax.transAxes, **kw)
    right_ax.plot([0, 0], [0, 1], transform=right_ax.transAxes, **kw)


def key_handle(mark: str):
    """The sample drawn in the key for ``mark`` (a kind of :data:`KIND_STYLE`, or one of
    ``article, context, point, bar, window, open, dating, fighting, meeting, dagger``)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if mark in KIND_STYLE:
        style = KIND_STYLE[mark]
        bar = Patch(facecolor=style["shade"], hatch=style["hatch"], edgecolor="black")
        dot = Line2D(
            [],
            [],
            marker=style["marker"],
            linestyle="none",
            markersize=7,
            markerfacecolor=style["shade"],
            markeredgecolor="black",
        )
        return (bar, dot)
    dating = {"color": DATING_COLOUR, "marker": "|", "markersize": MARK_PT, "markeredgewidth": 2.2}
    return {
        "article": lambda: Patch(facecolor="0.6", edgecolor="black"),
        "context": lambda: Patch(facecolor="white", edgecolor="black", linestyle="--"),
        "point": lambda: Line2D([], [], marker="D", linestyle="none", color="black", markersize=6),
        "bar": lambda: Patch(facecolor="0.6", edgecolor="black"),
        "window": lambda: Line2D(
            [], [], color="black", marker="|", markersize=10, markeredgewidth=1.6
        ),
        "open": lambda: Line2D(
            [0, 1], [0, 0], color="black", marker=">", markevery=[1], markersize=7
        ),
        "dating": lambda: (
            Line2D([], [], linestyle="none", **dating),
            Line2D([], [], linewidth=1.6, **dating),
        ),
        "fighting": lambda: Patch(facecolor="0.88", edgecolor="none"),
        "meeting": lambda: Line2D([], [], color="black", linestyle="-.", linewidth=0.9),
        "dagger": lambda: Line2D([], [], linestyle="none"),
    }[mark]()


def draw_key(
    fig,
    rows: list[tuple[str, str]],
    fontsize: float = TEXT_PT,
    ncols: int = 2,
    title_chars: int = 0,
    label_chars: int = 0,
) -> None:
    """A key for the encodings the timeline draws: ``rows`` of ``(mark, words)``
    (:func:`helpers.views.timeline.key_rows`); ``*_chars``: wrap its title, labels."""
    import textwrap

    from matplotlib.legend_handler import HandlerTuple

    handles = [key_handle(mark) for mark, _ in rows]
    names = [words for _, words in rows]
    if label_chars:
        names = [textwrap.fill(name, label_chars) for name in names]
    fig.legend(
        handles,
        names,
        handler_map={tuple: HandlerTuple(ndivide=None, pad=0.6)},
        loc="lower left",
        bbox_to_anchor=(0.01, 0.0),
        ncols=ncols,
        fontsize=fontsize,
        frameon=False,
        title="\n".join(textwrap.wrap(KEY_TITLE, title_chars or len(KEY_TITLE))),
        title_fontsize=fontsize,
        alignment="left",
        handlelength=2.6,
    )


KEY_TITLE = "Key (shade, hatching and marker shape tell the kinds apart in grayscale)"


def _lanes(extents: list[tuple[float, float]]) -> list[int]:
    """A lane for each mark's horizontal extent (pixels, sorted by start): the first lane
    whose last mark ends before this one starts, so no two marks in a lane touch.

    >>> _lanes([(0, 10), (5, 12), (11, 20), (30, 31)])
    [0, 1, 0, 0]
    """
    ends: list[float] = []
    lanes = []
    for start, end in extents:
        lane = next((i for i, last in enumerate(ends) if last < start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        lanes.append(lane)
    return lanes


def draw_datings(ax, events, reports, ys=None) -> None:
    """Each source's own dating of an event under its mark, on a laid-out panel ``ax``.

    Call after the figure's layout and the panel's x-limits are final: marks are sized
    and spread in pixels as shown. A day is a tick, a span a line between ticks. Days
    closer than a tick's width on this panel are one tick (their difference does not
    show at this scale; the table of disagreements gives it); identical datings are
    drawn once. An event bar narrower than a tick is widened to one, so it reads as a
    box, not a smudge.
    """
    ys = list(range(len(events))) if ys is None else list(ys)
    x0, x1 = _xlim_dates(ax)
    per_day = ax.get_window_extent().width / max((x1 - x0).days, 1)
    mark_px = MARK_PT * ax.figure.dpi / 72
    for y, row in zip(ys, events.itertuples(index=False), strict=True):
        _widen_narrow_bar(ax, row, per_day, mark_px)
        own = reports[reports["event_id"] == row.event_id]
        own = own.sort_values("origin").drop_duplicates(["start", "end"])  # article first
        own = own[(own["end"] > x0) & (own["start"] < x1)]
        marks = _dating_marks(own, x0, per_day, mark_px)
        extents = [(a - 3, b + 3) for a, b, *_ in marks]
        for lane, (_, _, start, end, rep) in zip(_lanes(extents), marks, strict=True):
            _dating_mark(ax, rep, start, end, y + DATING_LANES[min(lane, len(DATING_LANES) - 1)])


def _dating_marks(own, x0, per_day: float, mark_px: float) -> list[tuple]:
    """``(left px, right px, start, end, report)`` per mark, sorted; near days merged."""
    marks = []
    for rep in own.sort_values(["start", "end"]).itertuples(index=False):
        a = (rep.start - x0).days * per_day
        b = (rep.end - x0).days * per_day
        if b - a >= mark_px:
            marks.append((a, b, rep.start, rep.end, rep))
            continue
        middle = (a + b) / 2
        day = rep.start + (rep.end - rep.start) / 2
        near = [m for m in marks if m[3] is None and abs((m[0] + m[1]) / 2 - middle) < mark_px]
        if not near:
            marks.append((middle - mark_px / 2, middle + mark_px / 2, day, None, rep))
    return sorted(marks, key=lambda m: (m[0], m[1]))


def _widen_narrow_bar(ax, row, per_day: float, mark_px: float) -> None:
    # The bar's x and width are date numbers (days), as per_day counts them.
    for patch in ax.patches:
        if patch.get_gid() == f"{row.event_id}:bar" and patch.get_width() * per_day < mark_px:
            middle = patch.get_x() + patch.get_width() / 2
            width = mark_px / per_day
            patch.set_x(middle - width / 2)
            patch.set_width(width)
            patch.set_hatch("")


def _xlim_dates(ax):
    import matplotlib.dates as mdates

    return [pd.Timestamp(mdates.num2date(v).replace(tzinfo=None)) for v in ax.get_xlim()]


def _dating_mark(ax, rep, start, end, y: float) -> None:
    """A tick at ``start`` (``end`` None: a day), or a line from ``start`` to ``end``."""
    context = rep.origin == "context"
    xs = [start] if end is None else [start, end]
    (mark,) = ax.plot(
        xs,
        [y] * len(xs),
        color="0.35" if context else DATING_COLOUR,
        linewidth=1.6,
        linestyle=(0, (2, 1.5)) if context else "-",
        solid_capstyle="butt",
        marker="|",
        markersize=MARK_PT,
        markeredgewidth=2.2,
        zorder=4,
    )
    mark.set_gid(f"{rep.event_id}:{rep.report_id}:dating")
