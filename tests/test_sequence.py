"""Notebook 03's bottom line (helpers.views.sequence): a finding, checked against the data.

The expectations are read from the CSV files with the csv module, not through the
code under test: the fighting's end, the meeting, and the outcome its primary records
state, with the number of sources that report that outcome.
"""

from __future__ import annotations

import csv
import datetime as dt

import helpers
from conftest import copy_data
from helpers import paths
from helpers.views import sequence


def _rows(name: str, folder=None) -> list[dict]:
    with open((folder or paths.DATA_DIR) / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _long_date(text: str) -> str:
    day = dt.date.fromisoformat(text)
    return f"{day.day} {day:%B %Y}"


def test_the_finding_says_how_the_war_ended_the_meeting_and_its_outcome():
    events = {r["event_id"]: r for r in _rows("events")}
    topics = _rows("topics")
    meeting = events[
        max({t["event_id"] for t in topics}, key=[t["event_id"] for t in topics].count)
    ]
    # The 2020 fighting: the military event lasting weeks that starts last.
    wars = [
        e
        for e in events.values()
        if e["kind"] == "military" and e["date_prec"] == "day" and e["date_end"] > e["date_start"]
    ]
    war = max(wars, key=lambda e: e["date_start"])
    ended = [
        e
        for e in events.values()
        if e["kind"] != "military" and e["date_start"] == e["date_end"] == war["date_end"]
    ]
    roles = {s["source_id"]: s["role"] for s in _rows("sources")}
    outcome = [
        c
        for c in _rows("claims")
        if c["event_id"] == meeting["event_id"] and c["metric"] in sequence.OUTCOME_METRICS
    ]
    primary = [c["statement"] for c in outcome if roles[c["source_id"]] == "primary"]

    text = sequence.finding(helpers.load())
    assert ended and all(e["label"] in text for e in ended)
    assert f"ended on {_long_date(war['date_end'])}" in text
    assert f"On {_long_date(meeting['date_start'])}: {meeting['label']}" in text
    assert primary and all(s.rstrip(".") in text for s in primary)
    reported = len({c["source_id"] for c in outcome})
    assert f"{reported} of the {len(roles)} sources mention" in text
    # A count over sources kept as passages only is a count of the text kept (R8-1).
    partial = any(s["text_scope"] == "excerpt" for s in _rows("sources"))
    assert partial == ("text the kit keeps" in text)


def test_without_an_outcome_row_no_outcome_is_claimed(tmp_path):
    # The check can fail: drop the outcome rows and the finding stops saying one.
    data = copy_data(tmp_path / "data")
    claims = _rows("claims", data)
    kept = [c for c in claims if c["metric"] not in sequence.OUTCOME_METRICS]
    with open(data / "claims.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(claims[0]))
        writer.writeheader()
        writer.writerows(kept)
    text = sequence.finding(helpers.load(data))
    assert "outcome" not in text and "working group" not in text
    assert "On 11 January 2021" in text  # the meeting itself is still said


def test_an_early_view_says_where_the_sequence_stands():
    # The day before the meeting: no outcome of it, and the fighting's end is known from
    # the statement of 10 November 2020 (a report row published that day dates it).
    text = sequence.finding(helpers.load().as_of("2021-01-10"))
    assert "working group" not in text and "10 November 2020" in text


def test_the_war_lasts_as_many_days_as_the_sources_count():
    # From the CSV dates: the days of fighting run from the war's first day up to the day
    # the ceasefire that ended it took effect (at 00:00 that day, so no fighting day), one
    # calendar day at a time; and the references that count the war's days agree.
    import re

    events = {r["event_id"]: r for r in _rows("events")}
    wars = [
        e
        for e in events.values()
        if e["kind"] == "military" and e["date_prec"] == "day" and e["date_end"] > e["date_start"]
    ]
    war = max(wars, key=lambda e: e["date_start"])
    (ceasefire,) = [
        e
        for e in events.values()
        if e["kind"] != "military" and e["date_start"] == e["date_end"] == war["date_end"]
    ]
    day, stop, fought = (
        dt.date.fromisoformat(war["date_start"]),
        dt.date.fromisoformat(ceasefire["date_start"]),
        0,
    )
    while day < stop:
        fought, day = fought + 1, day + dt.timedelta(days=1)
    counted = {
        int(n) for r in _rows("references") for n in re.findall(r"\b(\d+)-day war\b", r["note"])
    }
    assert counted == {fought} == {44}
    text = sequence.finding(helpers.load())
    assert f"{fought} days of fighting, from {_long_date(war['date_start'])}" in text
    assert re.findall(r"(\d+) days", text) == [str(fought)]
