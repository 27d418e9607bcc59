"""What an as-of view says is over, counted or ordered rests on what was known by its day.

Review 7 of the as-of builds found the 2020 war drawn "no end reported" from the day the
statement that ended it was published, and "A first … humanitarian ceasefire" before a
second existed. The oracles read the CSV files with the csv module (tests/test_as_of.py):
which report rows were known by a day, and what each dates.
"""

from __future__ import annotations

from datetime import date

import pytest
from test_as_of import EVENTS, ROWS, appeared, day, full

from helpers import timeline

REPORTS = list(ROWS["event_reports"].values())


def end_reported_by(event_id: str, when: date) -> date | None:
    """The last day of the event by a report known on ``when`` that dates its end (the
    whole event, or only its end), if one does and that day has come."""
    ends = [
        day(r["reported_date_end"])
        for r in REPORTS
        if r["event_id"] == event_id
        and appeared(r) <= when
        and r["dating_scope"] in ("whole", "end")
        and r["reported_date_prec"] == "day"
        and r["reported_date_end"]
        and day(r["reported_date_end"]) <= when
    ]
    return max(ends) if ends else None


def drawn_open(ev) -> bool:
    return bool(getattr(ev, "ongoing", False)) or not bool(getattr(ev, "end_known", True))


def check_ended_when_reported(when: date, ds=None) -> None:
    """An event whose end a report known by the day dates is not drawn or told as open."""
    ds = full().as_of(when) if ds is None else ds
    for ev in timeline.visible_events(ds).itertuples(index=False):
        if end_reported_by(ev.event_id, when) is not None:
            assert not drawn_open(ev), (when, ev.event_id, "its end was reported by then")


# Every date: tests/test_as_of_every_date.py (one view per date, every property on it).


@pytest.mark.parametrize("when", [date(2020, 11, 10), date(2020, 12, 1), date(2021, 1, 10)])
def test_an_event_is_not_open_once_its_end_is_reported_on_key_dates(when):
    check_ended_when_reported(when)


def test_the_war_has_a_reported_end_before_the_article():
    """The oracle itself: some report other than the article dates the 2020 war's end
    from 10 November 2020 (the day the statement that ended it was published)."""
    war = max(
        (e for e in EVENTS.values() if e["kind"] == "military" and e["date_prec"] == "day"),
        key=lambda e: e["date_start"],
    )
    assert end_reported_by(war["event_id"], day(war["date_end"])) == day(war["date_end"])


def test_the_end_check_can_fail():
    """Without the report rows that date its end, the war is open on 1 December 2020 again
    (as review 7 found it), and the check says so."""
    when = date(2020, 12, 1)
    ds = full()
    ending = {r["report_id"] for r in REPORTS if r["dating_scope"] in ("whole", "end")}
    reports = ds.event_reports.loc[
        ~(ds.event_reports["report_id"].isin(ending) & (ds.event_reports["origin"] == "context"))
    ]
    blind = ds.__class__(**{**ds.__dict__, "event_reports": reports}).as_of(when)
    with pytest.raises(AssertionError):
        check_ended_when_reported(when, blind)
