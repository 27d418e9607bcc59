"""Hostile text in the data: loaded as data, exported without running as a formula.

The browser half (reports built from this copy, opened in Chromium) is in
``tests/browser/test_reports.py``.
"""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest
from hostile_data import (
    FORMULAS,
    HOSTILE_QUOTE,
    HOSTILE_SENTENCE,
    LONG_TOKEN,
    MARKER,
    PAYLOADS,
    make_hostile_copy,
)

import helpers
from helpers.data.export import FORMULA_PREFIXES, write_csv


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    data_dir = make_hostile_copy(tmp_path_factory.mktemp("hostile") / "data")
    return helpers.load(data_dir)


def _all_text(ds) -> str:
    tables = [
        ds.sources,
        ds.references,
        ds.actors,
        ds.places,
        ds.events,
        ds.event_reports,
        ds.claims,
        ds.quotes,
        ds.topics,
        ds.glossary,
    ]
    return "\n".join(
        str(v) for t in tables for col in t.columns for v in t[col] if isinstance(v, str)
    )


def test_hostile_copy_passes_validation_and_keeps_text_verbatim(hostile):
    text = _all_text(hostile)
    for payload in PAYLOADS + FORMULAS + [LONG_TOKEN]:
        assert payload in text, f"payload lost on load: {payload!r}"
    claims = hostile.claims.set_index("claim_id")
    assert claims.loc["hostile-claim", "passage"] == HOSTILE_SENTENCE
    assert HOSTILE_QUOTE in hostile.text("hostile-test-source")
    assert MARKER in hostile.places.set_index("place_id").loc["hostile-place", "name"]


def _unsafe_cells(path) -> list[tuple[int, str, str]]:
    """Cells a spreadsheet would run: text starting with = + - @ tab CR (numbers are fine)."""
    found = []
    with open(path, encoding="utf-8", newline="") as fh:
        for r, row in enumerate(csv.reader(fh), start=1):
            for c, cell in enumerate(row):
                if not cell.startswith(FORMULA_PREFIXES):
                    continue
                try:
                    float(cell)
                except ValueError:
                    found.append((r, str(c), cell[:40]))
    return found


@pytest.mark.parametrize(
    "table",
    [
        "sources",
        "references",
        "actors",
        "places",
        "events",
        "event_reports",
        "claims",
        "quotes",
        "topics",
        "glossary",
    ],
)
def test_write_csv_neutralises_every_hostile_table(hostile, tmp_path, table):
    frame = getattr(hostile, table)
    if hasattr(frame, "geometry"):
        frame = pd.DataFrame(frame.drop(columns="geometry"))
    out = write_csv(frame, tmp_path / f"{table}.csv")
    assert _unsafe_cells(out) == []
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    for column in frame.columns:
        for before, after in zip(frame[column], back[column], strict=True):
            if isinstance(before, str) and before.startswith(FORMULA_PREFIXES):
                assert after == "'" + before  # neutralised, otherwise unchanged
            elif isinstance(before, str):
                assert after == before


def test_write_csv_catches_each_formula_character(tmp_path):
    cells = FORMULAS + ["\tTAB", "\rCR", "=1+1", "-", "@"]
    out = write_csv(pd.DataFrame({"=header": cells, "n": range(len(cells))}), tmp_path / "x.csv")
    assert _unsafe_cells(out) == []
    assert out.read_text(encoding="utf-8").startswith("'=header,n\n")


def test_the_unsafe_cell_check_can_fail(tmp_path):
    path = tmp_path / "raw.csv"
    path.write_text("a,b\n=1+1,-5\n", encoding="utf-8")
    assert _unsafe_cells(path) == [(2, "0", "=1+1")]


def test_suggest_review_file_is_formula_safe(tmp_path):
    """The suggestion tool's review CSV, run on the hostile source, runs nothing."""
    import subprocess
    import sys

    data_dir = make_hostile_copy(tmp_path / "data")
    out = tmp_path / "review.csv"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.sources",
            "hostile-test-source",
            "--data",
            str(data_dir),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    # Passages that start with "=" and "@" are there, neutralised.
    assert any(c.startswith("'" + FORMULAS[0]) for c in cells), cells[:40]
    assert any(c.startswith("'" + FORMULAS[3]) for c in cells), cells[:40]
    assert _unsafe_cells(out) == []


def _template_literal_hazards(text: str) -> list[str]:
    """Unescaped ` ${ or \\ in text bound for a JavaScript template literal."""
    return [
        text[max(0, m.start() - 40) : m.end() + 30]
        for m in re.finditer(r"(?<!\\)(`|\$\{|\\(?![`$\\]))", text)
    ]


def test_map_text_cannot_break_out_of_folium_scripts(hostile):
    """folium writes popup and tooltip HTML into JavaScript template literals (`...`).

    HTML escaping alone leaves ``${`` (and, in tooltips, a backtick) from the data
    live there: it runs as code, or ends the literal, when the map script runs.
    """
    import folium

    from helpers import maps

    m = maps.interactive_map(hostile, maps.load_countries())
    hazards = []

    def walk(element):
        if isinstance(element, folium.Tooltip):
            hazards.extend(f"tooltip: {h}" for h in _template_literal_hazards(element.text))
        elif isinstance(element, folium.Popup):
            for child in element.html._children.values():
                hazards.extend(f"popup: {h}" for h in _template_literal_hazards(child.render()))
        for child in element._children.values():
            walk(child)

    walk(m)
    assert not hazards, f"{len(hazards)} live template-literal characters, e.g. {hazards[:3]}"


def test_the_template_literal_check_can_fail():
    assert _template_literal_hazards("a ${x} `b` \\u{1}") != []
    assert _template_literal_hazards("a \\${x} \\`b\\` &#36;{x}") == []
