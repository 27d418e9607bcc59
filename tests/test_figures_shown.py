"""Figures from sources in other languages, as an English reader is shown them.

The oracle is the CSV files read with the csv module: for every quantitative claim whose
source is not in English, the number the dataset parsed (``value_best``, else ``value_low``,
else ``value_high``), written in English grouping ("2,000"), must be in every text the kit
shows for it (chart labels, alt text, tables, notebook 04's bottom line), before the source's
own words, which stand beside it verbatim, quoted and marked with their language.
German "2.000" read by an English reader as two is the defect this guards against.
"""

from __future__ import annotations

import csv
import re

import pytest
from matplotlib.text import Text

import helpers
from helpers import charts, comparison, paths

LANGUAGE = {"de": "German", "fr": "French", "ru": "Russian"}


def _rows(table: str) -> list[dict]:
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _foreign_figures() -> list[dict]:
    """Every quantitative claim from a non-English source, with its English number."""
    languages = {r["source_id"]: r["language"] for r in _rows("sources")}
    out = []
    for row in _rows("claims"):
        language = languages.get(row["source_id"], "en")
        if row["claim_kind"] != "quantitative" or language == "en":
            continue
        value = next(row[k] for k in ("value_best", "value_low", "value_high") if row[k])
        number = f"{float(value):,.0f}"
        out.append({**row, "language": language, "english": number})
    return out


FOREIGN = _foreign_figures()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_data_has_figures_in_other_languages_to_check():
    # The corpus holds German and French figures; without them the checks below prove nothing.
    assert {r["language"] for r in FOREIGN} >= {"de", "fr"}
    assert any(r["english"] not in r["value_as_worded"] for r in FOREIGN)


def _shown(english: str, row: dict) -> str:
    """The pattern a reader must see: the English number, then the source's words quoted."""
    return (
        rf"{re.escape(english)}\)? \({LANGUAGE.get(row['language'], '')}: "
        rf"“{re.escape(row['value_as_worded'])}”\)"
    )


@pytest.fixture(scope="module")
def decorated():
    ds = helpers.load()
    both = [charts.casualty_claims(ds), charts.other_quantitative_claims(ds)]
    return ds, both


@pytest.mark.parametrize("row", FOREIGN, ids=[r["claim_id"] for r in FOREIGN])
def test_tables_and_alt_text_give_the_english_number_first(decorated, row):
    _, both = decorated
    frame = next(f for f in both if row["claim_id"] in set(f["claim_id"]))
    table = charts.claims_table(frame)
    cell = table.loc[row["claim_id"], "value as worded"]
    assert re.search(_shown(row["english"], row), cell), cell
    assert cell.index(row["english"]) < cell.index(row["value_as_worded"])
    assert re.search(_shown(row["english"], row), charts.alt_text(frame))


@pytest.mark.parametrize("row", FOREIGN, ids=[r["claim_id"] for r in FOREIGN])
def test_chart_labels_give_the_english_number_first(decorated, row):
    _, both = decorated
    casualty, other = both
    if row["claim_id"] in set(casualty["claim_id"]):
        fig = charts.plot_claims(casualty)
    else:
        fig = charts.plot_other_claims(other)
    texts = _flat(" ".join(t.get_text() for t in fig.findobj(Text)))
    assert re.search(_shown(row["english"], row), texts), texts[:400]


def test_notebook_04_bottom_line_gives_the_english_number_first(decorated):
    ds, _ = decorated
    line = comparison.bottom_line(ds)
    casualty = [r for r in FOREIGN if r["metric"] in charts.CASUALTY_METRICS]
    assert casualty
    for row in casualty:
        assert re.search(_shown(row["english"], row), line), line


def test_the_check_fails_on_the_source_digits_alone():
    # The defect as it was: the German figure shown as worded, with no English reading.
    row = next(r for r in FOREIGN if r["value_as_worded"] == "2.000")
    assert not re.search(_shown(row["english"], row), "“2.000” Russian peacekeepers deployed")
