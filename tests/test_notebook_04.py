"""Notebook 04 (how each told it): committed clean, an essay, and it runs on the real data."""

from __future__ import annotations

import csv

import pytest

from conftest import execute_notebook, notebook_outputs
from helpers import paths

NOTEBOOK = paths.NOTEBOOKS_DIR / "04-how-each-told-it.ipynb"


@pytest.mark.slow
def test_runs_on_the_real_data_and_shows_the_five_views(tmp_path):
    out = tmp_path / "out"
    nb = execute_notebook(NOTEBOOK.name, output_dir=out, timeout=120)
    text, html, _ = notebook_outputs(nb)
    with (paths.DATA_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        sources = list(csv.DictReader(handle))
    assert text.startswith(f"{len(sources)} sources") or f"\n{len(sources)} sources" in text
    for caption in (
        "Which facts of the meeting each source reports",
        "Whom each source quotes or reports",
        "Words for the place, the war and its outcome",
        "in the primary transcript",
        "What the official records hold that the text kept of each report does not mention",
    ):
        assert caption in html, caption
    for source in sources:  # every source is in the coverage matrix, as text
        assert source["publisher"].replace("'", "&#x27;") in html or source["publisher"] in html
    assert "<script" not in html
    for name in ("coverage", "voices", "fidelity", "omissions"):
        assert (out / f"{name}.csv").is_file()


@pytest.mark.slow
def test_before_any_source_it_says_there_is_nothing_to_compare(tmp_path):
    nb = execute_notebook(
        NOTEBOOK.name, output_dir=tmp_path / "out", parameters={"AS_OF": "2021-01-10"}
    )
    text, _, _ = notebook_outputs(nb)
    assert "nothing to compare yet" in text
