"""A row id in the data's notes is shown as its reference's name and date, and the date
is written no more finely than references.csv knows it (round 7: a reference known to
the year was named 'Wikipedia, 1 January 2023')."""

from __future__ import annotations

import calendar
import csv
import re
from pathlib import Path

import helpers
from helpers.views.mentions import DataNames

REFERENCES = Path(__file__).resolve().parents[1] / "data" / "references.csv"
DAY_MONTH = re.compile(r"\b\d{1,2} (?:" + "|".join(calendar.month_name[1:]) + r")\b")
MONTH = re.compile(r"\b(?:" + "|".join(calendar.month_name[1:]) + r")\b")


def too_fine(name: str, precision: str) -> bool:
    """Whether ``name`` writes a day (or, for a year, a month) its precision does not know."""
    base = precision.removesuffix("_or_later")
    if base == "year":
        return bool(MONTH.search(name))
    return base == "month" and bool(DAY_MONTH.search(name))


def test_the_check_fails_on_a_year_written_as_a_day():
    assert too_fine("Wikipedia, 1 January 2023", "year")
    assert too_fine("Britannica, in or after 13 June 2024", "month_or_later")
    assert not too_fine("Wikipedia, 2023", "year")


def test_no_reference_is_named_with_a_date_finer_than_its_own():
    with REFERENCES.open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["published_prec"] != "day"]
    assert rows  # the class is live: some references are known only to a month or year
    names = DataNames(helpers.load())
    shown = {r["reference_id"]: names.name(r["reference_id"]).text for r in rows}
    assert all(r["published"][:4] in shown[r["reference_id"]] for r in rows)
    assert [
        i
        for i, r in ((r["reference_id"], r) for r in rows)
        if too_fine(shown[i], r["published_prec"])
    ] == []
