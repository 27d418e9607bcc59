"""The kit's own voice uses no loaded term unquoted, and its numbers are claims' numbers.

The word list is this test's own (not the glossary the code uses), so a term the
glossary forgot is still caught.
"""

from __future__ import annotations

import calendar
import csv
import json
import re

import pytest

import helpers
from helpers import narrative, paths

LOADED = [
    "occupied", "occupation", "occupier", "liberated", "liberation", "martyr", "martyred",
    "martyrs", "terrorist", "terrorists", "aggressor", "aggression", "genocide", "invader",
    "invaders", "puppet", "separatist", "separatists", "so-called", "heroic", "victory",
    "capitulation", "illegal regime", "glorious",
]  # fmt: skip
WORD = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in LOADED) + r")(?![\w-])", re.I)
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|\"[^\"]*\"|(?<!\w)'[^']+'(?!\w)")
#: Columns written in the kit's own voice.
OWN_COLUMNS = {
    "events": ["label", "note", "date_basis"],
    "event_reports": ["wording", "date_basis"],
    "claims": ["statement", "caveat"],
    "actors": ["role", "note"],
    "glossary": ["explanation", "neutral_alternative"],
}


def unquoted_hits(text: str) -> list[str]:
    return WORD.findall(QUOTED.sub(" ", text))


def test_the_check_finds_an_unquoted_term_and_spares_a_quoted_one():
    assert unquoted_hits("Azerbaijan liberated the towns.") == ["liberated"]
    assert unquoted_hits("The agency says “liberated”; Baku calls it 'liberation'.") == []


#: Tables with a known, reported data defect (strict xfail: the test fails once fixed, so
#: the entry is removed then). Empty: the defects found so far are fixed in the data.
OPEN: set[str] = set()


@pytest.mark.parametrize(
    "table",
    [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason="open data fix"))
        if t in OPEN
        else t
        for t in sorted(OWN_COLUMNS)
    ],
)
def test_data_columns_in_the_kit_voice(table):
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in OWN_COLUMNS[table]:
                if table == "event_reports" and column == "wording" and row["origin"] == "article":
                    continue  # an article report's wording is the source's words, attributed
                hits = unquoted_hits(row[column] or "")
                assert not hits, f"{table}.csv {next(iter(row.values()))} {column}: {hits}"


def test_narrative_sentences():
    story = narrative.build(helpers.load())
    for sentence in story.sentences():
        assert not unquoted_hits(sentence.text), sentence.text


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_markdown(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            assert not unquoted_hits(text), (path.name, unquoted_hits(text))


MONTHS = "|".join(calendar.month_name[1:])


def claim_values() -> set[float]:
    values = set()
    with (paths.DATA_DIR / "claims.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in ("value_low", "value_best", "value_high"):
                if row[column]:
                    values.add(float(row[column]))
    return values


def test_every_number_in_the_narrative_claims_is_a_claim_value():
    """Numbers in claim sentences (not dates, not footnotes) are values of claims.csv."""
    values = claim_values()
    story = narrative.build(helpers.load())
    for sentence in story.sentences():
        if sentence.kind != "claim":
            continue
        # Dates, with or without a year ("by 30 January"), are not figures.
        text = re.sub(rf"\b\d{{1,2}} (?:{MONTHS})\b|\b(19|20)\d\d\b", " ", sentence.text)
        for number in re.findall(r"\d[\d,]*(?:\.\d+)?", text):
            value = float(number.replace(",", ""))
            assert value in values, (number, sentence.text)
