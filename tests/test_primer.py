"""The index's primer: every date and figure it states is in the rows it cites."""

from __future__ import annotations

import csv
import re

import pytest

from helpers import paths
from helpers.report import primer


def _rows(name: str, key: str) -> dict[str, dict]:
    with open(paths.DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


REPORTS = _rows("event_reports.csv", "report_id")
EVENTS = _rows("events.csv", "event_id")
CHANGES = _rows("control_changes.csv", "change_id")


def evidence(report_ids) -> str:
    """The cited rows' own words and their events' recorded dates (a change of control:
    its own dates), read from the CSVs."""
    parts = []
    for report_id in report_ids:
        if report_id in CHANGES:
            row = CHANGES[report_id]
            parts += [row["passage"], row["excerpt"], row["date_start"], row["date_end"]]
            continue
        row = REPORTS[report_id]
        event = EVENTS[row["event_id"]]
        parts += [row["passage"], row["excerpt"], event["date_start"], event["date_end"]]
    return "\n".join(parts)


@pytest.mark.parametrize("sentence", primer.SENTENCES, ids=lambda s: s.cites[0])
def test_every_fact_is_in_the_cited_rows(sentence):
    assert set(sentence.cites) <= REPORTS.keys() | CHANGES.keys()
    found = evidence(sentence.cites)
    missing = [fact for fact in sentence.facts if fact not in found]
    assert not missing, f"{sentence.text!r}: not in its cited rows: {missing}"


@pytest.mark.parametrize("sentence", primer.SENTENCES, ids=lambda s: s.cites[0])
def test_every_year_and_figure_the_sentence_states_is_declared_and_cited(sentence):
    # A number in the text that no declared fact covers would be unchecked.
    found = evidence(sentence.cites)
    for number in re.findall(r"\d[\d,]*", sentence.text):
        assert number.replace(",", "") in found.replace(",", ""), (number, sentence.text)


def test_the_check_can_fail():
    wrong = primer.Sentence("Fighting began in 1989.", ("r-takeover-tass",), ("1989",))
    assert "1989" not in evidence(wrong.cites)


def test_the_primer_says_who_held_what_before_and_after_the_war():
    """V31: the primer cites the rows of control_changes.csv that say who held the region
    from the 1994 ceasefire and who still held most of it after the 2020 ceasefire."""
    held = {r for r, row in CHANGES.items() if row["change"].startswith("held-")}
    cited = {r for s in primer.build(paths.DATA_DIR).sentences for r in s[1]}
    notes = {n.report_id for n in primer.build(paths.DATA_DIR).notes}
    assert held and held <= notes, (held, notes)
    assert cited  # the sentences cite notes by number


def test_an_as_of_build_shows_no_sentence_citing_a_later_row():
    early = primer.build(paths.DATA_DIR, "2020-10-01")
    full = primer.build(paths.DATA_DIR)
    assert 0 < len(early.sentences) < len(full.sentences)
    assert all(n.published.endswith(("1992", "2010", "2019", "2020")) for n in early.notes)
    numbers = [n.number for n in full.notes]
    assert numbers == list(range(1, len(numbers) + 1))
