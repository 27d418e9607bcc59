"""Every as-of property on every date in the data: one view per date, every check on it.

Each property lives beside its oracle and its proof that it can fail, in its own module
(tests/test_as_of.py: the dataset; test_as_of_timeline.py: the figure; test_as_of_pages.py:
what the pages say; test_as_of_empty.py: empty tables; test_as_of_words.py: the corridor;
test_as_of_known.py: events whose end was reported, labels that count a series), and each
of those checks a few key dates in the quick tier. Here, in the slow tier, every date of
``test_as_of.DATES`` (each source's and reference's date, each event's start and end, and
the day before each) gets its view computed once, and every property is checked on that
view: computing the view and its essay was most of each check's cost, and seven modules
paid it seven times.
"""

from __future__ import annotations

from datetime import date

import pytest
from test_as_of import DATES, SOURCES, check_as_of, full
from test_as_of_empty import check_empty_views_say_why
from test_as_of_known import check_counts_and_orders, check_ended_when_reported
from test_as_of_pages import check_page_words
from test_as_of_timeline import check_timeline
from test_as_of_words import STATUS, check_corridor, check_status

#: The pages' words are checked while a source is still to come (after, nothing is later).
LAST_SOURCE = max(SOURCES.values())
#: The corridor's words exist from November 2020 (test_as_of_words).
CORRIDOR_FROM = date(2020, 11, 1)
#: The status claim is in views from the article on (test_as_of_words).
STATUS_FROM = min(date.fromisoformat(r["claim_date"][:10]) for r in STATUS)


def check_every_property(when: date) -> None:
    view = full().as_of(when)
    check_as_of(when, view)
    check_timeline(when, ds=view)
    check_empty_views_say_why(when, view)
    check_ended_when_reported(when, view)
    check_counts_and_orders(when, view)
    if when < LAST_SOURCE:
        check_page_words(when, view)
    if when >= CORRIDOR_FROM:
        check_corridor(when, view)
    if when >= STATUS_FROM:
        check_status(when, view)


# Two classes, so that pytest-xdist (--dist loadscope: a class's tests stay on one worker)
# can run them side by side; every other date each, as later views hold more and cost more.
ODD, EVEN = DATES[0::2], DATES[1::2]


@pytest.mark.slow  # every date in the data (about a minute each on 2 cores)
class TestEveryOtherDate:
    @pytest.mark.parametrize("when", ODD, ids=str)
    def test_every_property_holds(self, when):
        check_every_property(when)


@pytest.mark.slow
class TestTheDatesBetween:
    @pytest.mark.parametrize("when", EVEN, ids=str)
    def test_every_property_holds(self, when):
        check_every_property(when)


def test_the_two_classes_hold_every_date():
    assert len(DATES) > 20 and sorted(ODD + EVEN) == DATES
    assert min(SOURCES.values()) in DATES and LAST_SOURCE in DATES
