"""Notebook 03's timeline, as of a date, draws only what was known by then (A3, A13).

Expectations come from the CSV files, read with the csv module by tests/test_as_of.py's
helpers, not from the code under test: for every date in the dataset, the timeline's
panels end by that day, every word drawn in it (panel titles, tick labels, the key, the
annotations) names no later day, names the Moscow meeting only once a report of it had
been published and the article only once it was, and every event whose end (in
events.csv) is after the day is drawn open-ended, never as a span that ends (as is an
event no report published by then gives an end, and only such an event).
"""

from __future__ import annotations

from datetime import date, timedelta

import matplotlib.dates as mdates
import pytest
from test_as_of import (
    EVENTS,
    ROWS,
    SOURCES,
    appeared,
    day,
    earliest_days_named,
    full,
    known_to_one_period,
)

from helpers import timeline

ARTICLE_DAY = min(SOURCES.values())
MEETING = "moscow-meeting-2021-01-11"
#: The first day a report of the meeting had appeared (from event_reports.csv).
MEETING_KNOWN = min(appeared(r) for r in ROWS["event_reports"].values() if r["event_id"] == MEETING)


def words_drawn(fig) -> list[str]:
    """Every text drawn in the figure: titles, tick labels, key, annotations."""
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.get_xticklabels()]
    return [t for t in texts if t]


def open_ended_in_csv(when: date, drawn: set[str]) -> set[str]:
    """Events drawn in the view whose end, in events.csv, is after the view's day."""
    return {
        e
        for e in drawn
        if EVENTS[e]["date_end"]
        and day(EVENTS[e]["date_end"]) > when >= day(EVENTS[e]["date_start"])
        and not known_to_one_period(EVENTS[e])
    }


def end_reported(event_id: str, when: date) -> bool:
    """Whether a report published by ``when`` gives the event's end (event_reports.csv:
    a dated end, of the whole event or of its end, known to the day)."""
    return any(
        r["event_id"] == event_id
        and appeared(r) <= when
        and r["reported_date_end"]
        and r["dating_scope"] in {"whole", "end"}
        and r["reported_date_prec"] == "day"
        for r in ROWS["event_reports"].values()
    )


def check_timeline(when: date, fig=None, ds=None) -> None:
    ds = full().as_of(when) if ds is None else ds
    if timeline.event_spans(ds).empty:
        return
    figs = [fig] if fig is not None else [timeline.plot(ds), timeline.plot(ds, width=3.1)]
    drawn = {g.split(":")[0] for f in figs for a in f.findobj() if (g := a.get_gid() or "")}
    drawn &= set(EVENTS)
    for f in figs:
        texts = [" ".join(t.split()) for t in words_drawn(f)]
        text = " | ".join(texts)
        # No later day named (a tick "Feb 2021", a title "to January 2021", a key row).
        later = [d for t in texts for d in earliest_days_named(t) if d > when]
        assert not later, (when, later)
        assert ("meeting" in text.lower()) == (when >= MEETING_KNOWN and MEETING in drawn), when
        if when < ARTICLE_DAY:
            assert "article" not in text.lower(), (when, text)
        # No panel runs past the view's day (a margin of a fortieth of its width at most).
        for ax in f.axes:
            left, right = (mdates.num2date(x).replace(tzinfo=None) for x in ax.get_xlim())
            width = right - left
            assert right.date() <= when + timedelta(days=1) + width * 0.03, (when, right)
        # Events under way on the day (end after it in the CSV) are drawn open-ended; any
        # other event drawn so is one no report published by then gives an end.
        opened = {
            a.get_gid().split(":")[0] for a in f.findobj() if (a.get_gid() or "").endswith(":open")
        }
        assert opened >= open_ended_in_csv(when, drawn), when
        for event_id in opened - open_ended_in_csv(when, drawn):
            assert not end_reported(event_id, when), (when, event_id)
        assert not marks_outside_their_panel(f), when
        # Nothing under way: the axis ends with the events drawn (a month's room), not at
        # the view's day (a view of 2022 squeezed 2020-21 into a sliver, review 7's T17).
        if not opened and drawn:
            last = min(
                when, max(day(EVENTS[e]["date_end"] or EVENTS[e]["date_start"]) for e in drawn)
            )
            right = mdates.num2date(f.axes[-1].get_xlim()[1]).replace(tzinfo=None).date()
            assert right <= last + timedelta(days=62), (when, right, last)
    for f in figs:
        f.clf()


def marks_outside_their_panel(fig) -> list[str]:
    """Open-end arrowheads drawn beyond their panel (an arrow on the view's day, far to
    the right of a 1992-1994 panel, doubled the width of the saved figure), and whether
    the saved figure grows wider than the figure itself."""
    found = []
    for ax in fig.axes:
        left, right = ax.get_xlim()
        for line in ax.get_lines():
            if (line.get_gid() or "").endswith(":open") and line.get_visible():
                x = mdates.date2num(line.get_xdata()[0])
                if not left <= x <= right and not line.get_clip_on():
                    found.append(f"{line.get_gid()} at {mdates.num2date(x):%Y-%m-%d}")
    tight = fig.get_tightbbox()
    if tight.width > fig.get_figwidth() * 1.1:
        found.append(f"saved {tight.width:.1f} in wide, drawn {fig.get_figwidth():.1f} in")
    return found


# Every date: tests/test_as_of_every_date.py (one view per date, every property on it).


@pytest.mark.parametrize(
    "when",
    [date(1994, 5, 12), date(2020, 10, 10), date(2021, 1, 10), date(2022, 12, 27)],
    ids=str,
)
def test_the_timeline_draws_only_what_was_known_on_key_dates(when):
    """The quick tier's sample: one panel before the war, an open war, before the article."""
    check_timeline(when)


def test_the_timeline_check_can_fail():
    """The full dataset's figure, judged as a view of 10 October 2020, fails every rule:
    its panel runs to February 2021, its key names the meeting and the article, and the
    war it draws as closed was open on that day."""
    fig = timeline.plot(full())
    with pytest.raises(AssertionError):
        check_timeline(date(2020, 10, 10), fig=fig, ds=full().as_of("2020-10-10"))
    when = date(2020, 10, 10)
    texts = [" ".join(t.split()) for t in words_drawn(fig)]
    text = " | ".join(texts)
    assert [d for t in texts for d in earliest_days_named(t) if d > when]
    assert "meeting" in text.lower() and "article" in text.lower()
    assert open_ended_in_csv(when, {"war-2020"}) == {"war-2020"}
    assert not [a for a in fig.findobj() if (a.get_gid() or "") == "war-2020:open"]


def test_the_panel_check_can_fail():
    """Review 7's T5: the arrowhead of the 2020 war, drawn unclipped on every panel, sat
    alone far to the right of the 1992-1994 panel on 10 October 2020."""
    fig = timeline.plot(full().as_of("2020-10-10"))
    for line in fig.findobj(
        lambda a: (getattr(a, "get_gid", lambda: "")() or "").endswith(":open")
    ):
        line.set_clip_on(False)
    assert marks_outside_their_panel(fig)
