"""The kit's own voice uses no loaded term unquoted, and its numbers are claims' numbers.

The word list is this test's own (not the glossary the code uses), so a term the
glossary forgot is still caught.
"""

from __future__ import annotations

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


def test_the_chronology_of_every_view_is_in_the_kits_voice():
    ds = helpers.load()
    for when in ("2020-10-10", "2020-12-31", "2021-01-11"):
        for line in narrative.build(ds.as_of(when)).sentences():
            assert not unquoted_hits(line.text), (when, line.text)


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_markdown(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            assert not unquoted_hits(text), (path.name, unquoted_hits(text))


def claim_values() -> set[float]:
    values = set()
    with (paths.DATA_DIR / "claims.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in ("value_low", "value_best", "value_high"):
                if row[column]:
                    values.add(float(row[column]))
    return values


def test_every_number_in_a_claim_statement_is_a_value_of_that_claim():
    """Numbers in the kit's restatement of a claim (not dates) are the claim's values."""
    with (paths.DATA_DIR / "claims.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values = {float(row[c]) for c in ("value_low", "value_best", "value_high") if row[c]}
            text = re.sub(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b|\b(19|20)\d\d\b", " ", row["statement"])
            for number in re.findall(r"\d[\d,]*(?:\.\d+)?", text):
                assert float(number.replace(",", "")) in values, (row["claim_id"], number)


# ------------------------------------------------ a row says no more than its evidence

NUMBER = re.compile(r"(?<![\w.])\d+(?:[,.:]\d+)*")
#: Columns of a context row written in the kit's own words.
CONTEXT_TEXT = {
    "event_reports": ("wording", "date_basis", "framing_note"),
    "claims": ("statement", "caveat", "framing_note"),
    "quotes": ("note",),
    "actors": ("role", "note"),
    "places": ("note",),
    "topics": ("topic", "emphasis"),
    "glossary": ("explanation",),
}


def _number(text: str) -> str:
    """'08:00' -> '8:0', '1,960' -> '1960': a number or time as written, compared by value."""
    return ":".join(str(int(p)) if p.isdigit() else p for p in text.replace(",", "").split(":"))


def _references() -> dict[str, dict]:
    with (paths.DATA_DIR / "references.csv").open(encoding="utf-8", newline="") as handle:
        return {r["reference_id"]: r for r in csv.DictReader(handle)}


def numbers_beyond_evidence(row: dict, columns, references: dict[str, dict]) -> list[str]:
    """Numbers, dates and times of day in ``columns`` that neither the row's excerpt,
    passage or structured fields nor a reference it names by id hold."""
    named = [ref for ref in references if any(ref in (row.get(c) or "") for c in columns)]
    evidence = [v for k, v in row.items() if k not in columns and v]
    evidence += [v for ref in named for v in references[ref].values() if v]
    allowed = set()
    for value in evidence:
        allowed |= {_number(n) for n in NUMBER.findall(value)}
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            allowed |= {_number(part) for part in value.split("-")}
    found = []
    for column in columns:
        text = row.get(column) or ""
        for ref in named:
            text = text.replace(ref, " ")  # an id is not a claim
        text = re.sub(r"\br-[\w-]+", " ", text)  # nor is a report id
        found += [n for n in NUMBER.findall(text) if _number(n) not in allowed]
    return found


@pytest.mark.parametrize("table", sorted(CONTEXT_TEXT))
def test_every_number_date_and_time_in_a_context_row_is_in_its_evidence(table):
    references = _references()
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("origin") == "context":
                beyond = numbers_beyond_evidence(row, CONTEXT_TEXT[table], references)
                assert not beyond, f"{table}.csv {next(iter(row.values()))}: {beyond}"


def test_the_evidence_check_catches_a_detail_from_another_document():
    """The second fact-check's example: a time of day the row's excerpt does not hold."""
    row = {
        "origin": "context",
        "excerpt": "the leaders signed a joint statement on a full ceasefire on November 9th.",
        "reported_date_start": "2020-11-09",
        "wording": "signed on 9 November 2020, in force from 00:00 Moscow time on 10 November",
    }
    assert numbers_beyond_evidence(row, ("wording",), {}) == ["00:00", "10"]


# ------------------------------------------------------------------ neutral alternatives

#: Words that attribute a statement to someone instead of asserting it.
ATTRIBUTING = re.compile(r"\b(says?|said|according to|accused|calls?|called|claims?|claimed)\b")


def asserts_the_claim(term: str, alternative: str) -> bool:
    """Whether a neutral alternative restates, as fact, what a phrase-length term asserts.

    A single loaded word gets a neutral word ("killed" for "martyred"); a phrase that
    states an outcome ("liberated it from decades of ... occupation") gets no neutral
    restatement of that outcome, only an attribution of it.
    """
    if len(term.split()) < 3:
        return False
    return not ATTRIBUTING.search(alternative.lower())


def test_no_neutral_alternative_asserts_the_claim_it_neutralises():
    with (paths.DATA_DIR / "glossary.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["category"] in {"loaded_term", "one_sided_account"}:
                assert not asserts_the_claim(row["term"], row["neutral_alternative"]), row[
                    "term_id"
                ]


def test_the_neutral_alternative_check_can_fail():
    """The second fact-check's example: an outcome the article asserts, put into neutral words."""
    term = "liberated it from decades of Armenian occupation"
    assert asserts_the_claim(term, "ended nearly three decades of control by Armenian forces")
    assert not asserts_the_claim(term, "the agency says the truce ended Armenian control")
    assert not asserts_the_claim("martyred", "killed")
