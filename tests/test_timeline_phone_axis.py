"""The phone timeline shows its dates where a reader scrolling it meets them: along the top
of each panel as well as at its foot (a panel is taller than a phone's screen).

Checked on the drawn figure: each panel's visible date labels above its first event's
label and below its last, the same dates at both edges.
"""

from __future__ import annotations

import pytest
from matplotlib.text import Text

import helpers
from helpers import figures
from helpers.views import timeline


@pytest.fixture(scope="module")
def phone():
    fig = timeline.plot(helpers.load(), width=figures.PHONE_WIDTH_IN)
    fig.canvas.draw()
    return fig


def _dates(ax, top: bool) -> list[tuple[str, float]]:
    """(text, vertical centre in pixels) of the visible date labels on one edge."""
    out = []
    # The ticks as last drawn, with their texts (get_major_ticks() may hand back fresh ones).
    for tick in ax.xaxis._update_ticks():
        label = tick.label2 if top else tick.label1
        if label.get_visible() and label.get_text():
            box = label.get_window_extent()
            out.append((label.get_text(), (box.y0 + box.y1) / 2))
    return out


def _event_labels(ax) -> list[float]:
    """Vertical centres (pixels) of the panel's wrapped event labels (texts in the axes)."""
    return [
        (t.get_window_extent().y0 + t.get_window_extent().y1) / 2
        for t in ax.texts
        if isinstance(t, Text) and t.get_text().strip() and t.get_visible()
    ]


def test_every_panel_has_its_dates_at_top_and_foot(phone):
    panels = [ax for ax in phone.axes if ax.get_title(loc="left")]
    assert len(panels) >= 1
    for ax in panels:
        top, foot = _dates(ax, top=True), _dates(ax, top=False)
        assert len(top) >= 2, (ax.get_title(loc="left"), top)
        assert [t for t, _ in top] == [t for t, _ in foot]
        labels = _event_labels(ax)
        assert labels, ax.get_title(loc="left")
        # Matplotlib's pixel y grows upwards: the top dates above every label in the panel,
        # the foot's below every one.
        assert min(y for _, y in top) > max(labels), ax.get_title(loc="left")
        assert max(y for _, y in foot) < min(labels), ax.get_title(loc="left")


def test_the_top_dates_do_not_overprint_the_panel_title(phone):
    for ax in phone.axes:
        title = ax.title
        if not title.get_text():
            continue
        box = title.get_window_extent()
        for tick in ax.xaxis._update_ticks():
            if tick.label2.get_visible() and tick.label2.get_text():
                assert not box.overlaps(tick.label2.get_window_extent()), title.get_text()


def test_the_axis_check_can_fail(phone):
    """Without top labels (the layout before), the first check finds none."""
    ax = next(ax for ax in phone.axes if ax.get_title(loc="left"))
    ax.tick_params(labeltop=False)
    phone.canvas.draw()
    try:
        assert _dates(ax, top=True) == []
    finally:
        ax.tick_params(labeltop=True)
        phone.canvas.draw()
