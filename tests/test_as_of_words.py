"""Words the maps compute for a date say only what was reported by then.

Review 7 of the as-of builds found the Lachin corridor drawn, keyed and tabled as "under
Russian peacekeepers" from 10 November 2020, on the statement's provision alone, while
notebook 03 (rightly) withheld the peacekeepers' deployment until the first report of it
(1 December 2020). The oracle here reads event_reports.csv with the csv module: the
first day a report of the deployment appeared after the deployment began (or dating
it), as tests/test_as_of.py counts a witness.
"""

from __future__ import annotations

from datetime import date

import pytest
from test_as_of import DATES, EVENTS, ROWS, appeared, day, full, read

CORRIDOR = [r for r in ROWS["event_reports"].values() if r["event_id"] == "peacekeepers-deployed"]
BEGAN = day(EVENTS["peacekeepers-deployed"]["date_start"])
#: The first day a report said the peacekeepers had deployed (not that they would).
DEPLOYED_KNOWN = min(
    appeared(r)
    for r in CORRIDOR
    if appeared(r) > BEGAN or (r["reported_date_start"] and appeared(r) >= BEGAN)
)
CORRIDOR_KNOWN = min(appeared(r) for r in read("control_changes") if r["change"] == "corridor")
#: The corridor said to be under the peacekeepers, as a fact (not a provision).
UNDER = "corridor under Russian peacekeepers"


def corridor_words(ds) -> str:
    """What both maps and the table of changes say of the corridor."""
    from helpers.views.maps import legend, static
    from helpers.views.maps.layers import change_table

    rows = legend.legend_rows(ds, {"corridor"})
    table = change_table(ds)
    return " | ".join(
        [*(t for _, t in rows), static.static_alt(ds), *table["What"].astype(str).tolist()]
    )


def check_corridor(when: date, ds=None) -> None:
    ds = full().as_of(when) if ds is None else ds
    words = corridor_words(ds)
    if when < CORRIDOR_KNOWN:
        return
    assert (UNDER in words) == (when >= DEPLOYED_KNOWN), (when, words[:300])


@pytest.mark.slow  # every date from November 2020 (two minutes on 2 cores)
@pytest.mark.parametrize("when", [d for d in DATES if d >= date(2020, 11, 1)], ids=str)
def test_the_corridor_is_under_peacekeepers_only_once_their_deployment_is_reported(when):
    check_corridor(when)


@pytest.mark.parametrize("when", [date(2020, 11, 10), date(2020, 11, 30), date(2020, 12, 1)])
def test_the_corridor_is_under_peacekeepers_only_once_reported_on_key_dates(when):
    """The quick tier's sample: the statement's day, the day before the report, its day."""
    check_corridor(when)


def test_the_oracle_and_the_check_can_fail():
    """The days the review named; and the full data's words judged as of 10 November 2020."""
    assert (date(2020, 11, 10), date(2020, 12, 1)) == (CORRIDOR_KNOWN, DEPLOYED_KNOWN)
    when = date(2020, 11, 10)
    with pytest.raises(AssertionError):
        check_corridor(when, full().__class__(**{**full().__dict__, "as_of_date": when}))
