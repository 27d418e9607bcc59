"""The timeline laid out for a phone: the two periods stacked, each event's label above it.

On a desktop (:func:`helpers.views.timeline.plot`) the labels form a column left of
the panels side by side (in the full dataset, the years before the 2020 war, then the
war and what followed). A phone is too narrow for that: here the periods are stacked, each
drawing only its own events, every label wrapped to the width of the screen and
set above its event, and the key in one column under them. Shown by
:func:`helpers.figures.show` on narrow screens, with the same alt text.

>>> import helpers
>>> fig = plot(helpers.load(), width=3.1)
>>> [ax.get_title(loc="left") for ax in fig.axes]
['1991 to 1994', 'September 2020 to January 2021']
"""

from __future__ import annotations

import pandas as pd

from . import timeline_draw as draw
from . import timeline_spans as spans

#: Type size, in points: shown unscaled at 110 px per inch, 7.5 pt is 11.5 px.
TEXT_PT = 7.5
#: Height of a line of labels, and of an event's mark, in the panels' vertical units
#: (one unit: :data:`UNIT_IN` inches).
LINE = 0.5
UNIT_IN = 0.25


def _in_window(frame: pd.DataFrame, window) -> pd.Series:
    return (frame["start"] < window[1]) & (frame["end"] > window[0])


def _rows(events: pd.DataFrame, labels: list[str]) -> tuple[list[float], list[float], float]:
    """Where each event's label starts and its mark sits (units, downwards); total height."""
    tops, marks, y = [], [], 1.6  # room above the first row for the period's name
    for label in labels:
        y += 0.35
        tops.append(y)
        y += LINE * (label.count("\n") + 1) + 0.45
        marks.append(y)
        y += 0.75
    return tops, marks, y + 0.2


def _panel(ax, window, events, reports, labels, ds_meeting, as_of=None) -> None:

    tops, ys, height = _rows(events, labels)
    for first, last, label in spans.periods(events, window):
        if first < window[1] and last > window[0]:
            ax.axvspan(max(first, window[0]), min(last, window[1]), color="0.88", zorder=0)
            ax.text(
                0.01,
                0.15,
                label,
                transform=ax.get_yaxis_transform(),
                va="top",
                fontsize=TEXT_PT,
                fontstyle="italic",
                parse_math=False,
            )
    draw.draw_events(ax, events, ys=ys)
    for top, label in zip(tops, labels, strict=True):
        ax.text(
            0.01,
            top,
            label,
            transform=ax.get_yaxis_transform(),
            va="top",
            fontsize=TEXT_PT,
            parse_math=False,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.5},
        )
    if ds_meeting is not None and window[0] <= ds_meeting < window[1]:
        # Named in the key ("dash-dot line: the Moscow meeting"): no room for words here.
        ax.axvline(ds_meeting, color="black", linewidth=0.9, linestyle="-.", zorder=1)
    ax.set_xlim(window[0], window[1] + spans.margin(window, as_of))
    ax.set_ylim(height, 0)
    ax.set_yticks([])
    ax.grid(axis="x", color="0.8", linewidth=0.6)
    ax.set_axisbelow(True)
    # The dates at the top of each panel as well as at its foot: a panel is taller than a
    # phone's screen, and a reader scrolling down it must see the months where it begins.
    ax.tick_params(labelsize=TEXT_PT, top=True, labeltop=True)
    for spine in ("left", "right", "top"):
        ax.spines[spine].set_visible(False)


def plot(ds, width: float = 3.1):
    """The timeline of ``ds`` for a phone, ``width`` inches wide (see the module)."""
    import textwrap

    from .figures import new_figure
    from .marks import chars, wrap

    events, reports = spans.drawn_spans(ds)
    windows = spans.windows(events, reports, ds.as_of_date)
    line = chars(width * 0.86, TEXT_PT)
    panels = []
    for window in windows:
        shown = events[_in_window(events, window)].reset_index(drop=True)
        labels = [
            "\n".join(textwrap.wrap(spans.event_label(r, line).replace("\n", " "), line))
            for r in shown.itertuples(index=False)
        ]
        own = reports[reports["event_id"].isin(shown["event_id"])]
        panels.append((window, shown, own, labels, _rows(shown, labels)[2]))
    title = wrap(spans.TITLE, chars(width, 9.5))
    # Room for the title's lines, then clear space above the first panel's heading.
    # (and for the dates along each panel's top edge).
    top_in = 0.95 + (title.count("\n") + 1) * 9.5 * 1.35 / 72
    gap_in, key_in = 1.05, 3.8
    heights = [p[4] * UNIT_IN for p in panels]
    total = top_in + sum(heights) + gap_in * len(panels) + key_in
    fig = new_figure(figsize=(width, total))
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
    meeting = spans.meeting_date(ds)
    for ax, (window, shown, own, labels, _) in zip(axes, panels, strict=True):
        _panel(ax, window, shown, own, labels, meeting, ds.as_of_date)
        ax.set_title(
            spans.window_title(window, ds.as_of_date),
            loc="left",
            fontsize=8.5,
            fontweight="bold",
        )
        spans.date_ticks(ax, window, "concise")
    # The index's thumbnail: a strip from the start of the last panel (in the full
    # dataset, the 2020 panel: its title, the fighting, the first events).
    near_marks = _rows(panels[-1][1], panels[-1][3])[1]
    if near_marks:
        fig.kit_thumbnail_at = (axes[-1], windows[-1][0], near_marks[min(1, len(near_marks) - 1)])
    if len(windows) > 1:
        gap = spans.not_drawn(windows[0][1], windows[1][0])
        if gap:
            axes[0].set_xlabel(f"axis broken: {gap} not drawn", fontsize=TEXT_PT)
    fig.suptitle(title, x=0.03, ha="left", fontsize=9.5, fontweight="bold")
    fig.subplots_adjust(
        left=0.04,
        right=0.92,
        top=1 - top_in / total,
        bottom=key_in / total,
        hspace=gap_in / (sum(heights) / len(heights)),
    )
    for ax, (_, shown, own, labels, _) in zip(axes, panels, strict=True):
        draw.draw_datings(ax, shown, own, ys=_rows(shown, labels)[1])
    draw.draw_key(
        fig,
        spans.key_rows(ds, events, reports, windows),
        fontsize=TEXT_PT,
        ncols=1,
        title_chars=chars(width, TEXT_PT),
        label_chars=chars(width * 0.7, TEXT_PT),
    )
    return fig
