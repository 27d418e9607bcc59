"""Notebook 02's tables and empty results speak a reader's words.

A claim with no side is no "none: ..." in a table cell: its row says what the figure
counts (the claim's ``subject`` as stored). A selection with nothing in it says why in
words (the date, the sides, the measures), never by the notebook's parameter names.
The oracle is claims.csv and sources.csv read with the csv module.
"""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta

import pytest

import helpers
from helpers import charts, paths

#: What a developer writes and a reader cannot use: parameter names, snake_case ids.
DEVELOPER_WORDS = re.compile(r"\b[A-Z]{2,}_[A-Z_]+\b|\bSIDES\b|\bMETRICS\b|\b[a-z]+_[a-z_]+\b")

MONTHS = "January February March April May June July August September October November December"


def _rows(name: str) -> list[dict]:
    with open(paths.DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _in_words(day: date) -> str:
    return f"{day.day} {MONTHS.split()[day.month - 1]} {day.year}"


@pytest.fixture(scope="module")
def ds():
    return helpers.load()


@pytest.mark.parametrize("select", ["casualty_claims", "other_quantitative_claims"])
def test_each_row_says_what_its_figure_counts_in_the_datas_words(ds, select):
    stored = {r["claim_id"]: r for r in _rows("claims.csv") if r["claim_kind"] == "quantitative"}
    table = charts.claims_table(getattr(charts, select)(ds))
    assert len(table) >= 2 and "about" in charts.READER_COLUMNS
    sideless = 0
    for claim_id, row in table.iterrows():
        assert row["about"] == stored[claim_id]["subject"].strip()
        sideless += not stored[claim_id]["side_id"]
        for column in charts.READER_COLUMNS:
            cell = str(row[column])
            assert not cell.startswith("none:"), (claim_id, column, cell)
    assert sideless, "no claim without a side: the check would pass whatever the cell shows"


def test_both_sides_together_is_said_not_none():
    """The figures for both sides together (AFP, dpa) read so, not as 'none: ...'."""
    both = [
        r
        for r in _rows("claims.csv")
        if r["claim_kind"] == "quantitative" and not r["side_id"] and "both sides" in r["subject"]
    ]
    assert both, "the data holds no figure for both sides together: nothing to check"
    table = charts.claims_table(charts.casualty_claims(helpers.load()))
    for r in both:
        assert "both sides together" in table.loc[r["claim_id"], "about"]


def _as_of_dates() -> list[date]:
    """The day before each source's or reference's publication and each claim's date, and
    those days."""
    days = set()
    for r in _rows("sources.csv") + _rows("references.csv") + _rows("claims.csv"):
        value = r.get("published") or r.get("claim_date")
        if value:
            day = date.fromisoformat(value[:10])
            days |= {day, day - timedelta(days=1)}
    return sorted(days)


@pytest.mark.parametrize(
    "which",
    [
        "key dates",  # the quick tier's sample: the first date, and either side of the first figure
        pytest.param("every date", marks=pytest.mark.slow),  # a view per date: minutes
    ],
)
def test_every_empty_selection_says_why_in_words(ds, which):
    """Over every date a build may be made for: an empty casualty selection names the date
    in words and says no source gives a figure; it never names a parameter."""
    dates = _as_of_dates()
    assert len(dates) > 10
    first_casualty = min(
        date.fromisoformat(r["claim_date"][:10])
        for r in _rows("claims.csv")
        if r["claim_kind"] == "quantitative" and r["metric"] in charts.CASUALTY_METRICS
    )
    if which == "key dates":
        before = [d for d in dates if d < first_casualty]
        dates = before[:1] + before[-1:] + [d for d in dates if d >= first_casualty][:1]
    empties = 0
    for day in dates:
        claims = charts.casualty_claims(ds.as_of(day))
        if claims.empty:
            empties += 1
            for text in (charts.bottom_line(claims), charts.alt_text(claims)):
                assert not DEVELOPER_WORDS.search(text), (day, text)
                assert _in_words(day) in text, (day, text)
                assert "casualty figure" in text, (day, text)
        else:
            assert day >= first_casualty
    assert empties, "no date gives an empty selection: the check ran on nothing"


def test_a_selection_of_sides_and_measures_is_named_in_words(ds):
    claims = charts.casualty_claims(ds, sides="russia", metrics=["wounded", "missing"])
    assert claims.empty
    text = charts.bottom_line(claims)
    assert not DEVELOPER_WORDS.search(text), text
    assert "Russia" in text and "wounded" in text and "missing" in text


def test_the_developer_words_check_can_fail():
    old = "No casualty claims match the selection (sources published by AS_OF, SIDES, METRICS)."
    assert DEVELOPER_WORDS.search(old)
    assert DEVELOPER_WORDS.search("none: people killed, side_id empty")


def test_a_figure_in_an_outlets_own_voice_is_the_claimants_not_the_reprinting_papers(ds):
    """A wire report read in a newspaper ("junge Welt (dpa report)") stays the agency's
    voice: the caveat names the claimant's own voice, and the paper only as the printer.
    """
    from helpers.views.claims import plain_caveats

    publishers = {r["source_id"]: r["publisher"] for r in _rows("sources.csv")}
    claims = ds.claims.set_index("claim_id")
    checked = 0
    for row in _rows("claims.csv"):
        if row["attribution"] != "unattributed" or row["origin"] != "article":
            continue
        voice = re.sub(r"\s*\(in its own voice\)$", "", row["claimant"])
        notes = " ".join(plain_caveats(ds, claims.loc[row["claim_id"]]))
        assert f"{voice}'s own voice" in notes, (row["claim_id"], notes)
        publisher = publishers[row["source_id"]]
        if voice != publisher:
            assert f"{publisher}'s own voice" not in notes, (row["claim_id"], notes)
            checked += 1
    assert checked >= 2, "the data holds wire reports printed by another paper (AFP, dpa)"


def test_the_other_figures_description_files_no_figure_under_losses(ds):
    """Settlements taken or people returned are not anyone's losses: the description of
    the other figures names each by what it counts (its ``subject`` in claims.csv)."""
    from helpers.views.claims import alt_text

    other = charts.other_quantitative_claims(ds)
    text = alt_text(other, "Other figures")
    assert "Losses" not in text, text
    ids = set(other["claim_id"])
    subjects = {r["subject"].strip() for r in _rows("claims.csv") if r["claim_id"] in ids}
    assert subjects and all(s in text for s in subjects), (subjects, text)
