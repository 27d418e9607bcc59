"""Notebook 02 (casualty claims): its report on the real data; reruns on synthetic data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from html_tags import texts_of
from test_charts import make_synthetic

from conftest import execute_notebook, notebook_outputs, report_page
from helpers import paths

NOTEBOOK = paths.NOTEBOOKS_DIR / "02-chart-casualty-claims.ipynb"


def test_the_parameters_cell_holds_the_build_parameters():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    namespace: dict = {}
    exec("".join(tagged[0]["source"]), namespace)  # plain assignments only
    # (AS_OF, committed as None: tests/test_notebooks_clean.py, for every notebook.)
    assert {"SIDES", "METRICS"} <= namespace.keys()


def test_no_figure_typed_into_the_prose():
    # Prose may cite the source's date and the notebook's number, but no figure.
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    prose = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    prose = re.sub(r"\d{1,2}\s+Jan(uary)?\s+\d{4}|notebook \d\d", "", prose)
    assert not re.findall(r"\d+", prose)


def _execute(tmp_path: Path, monkeypatch, data_dir: Path | None, parameters: dict | None = None):
    out = tmp_path / "out"
    nb = execute_notebook(
        NOTEBOOK.name, output_dir=out, data_dir=data_dir, parameters=parameters, timeout=120
    )
    return nb, out


@pytest.mark.slow  # reads the shared build
def test_the_report_on_the_real_data(kit_reports):
    reports = kit_reports.reports_dir
    text, html, images = report_page(reports, NOTEBOOK.stem)
    assert "“at least 2,802”" in text and "“could be up to 5,000”" in text
    for stem in ("casualty-claims", "other-figures"):
        assert (reports / "figures" / f"{stem}.png").is_file()
        assert (reports / "figures" / f"{stem}.svg").is_file()
    # The chart over time is drawn exactly when the text does not say there is nothing to draw.
    over_time = (reports / "figures" / "casualty-claims-over-time.png").exists()
    assert over_time != ("no change over time" in text)
    alts = [image.get("alt") for image in images]
    assert alts and all(alts)
    # Alt text is a takeaway; the description of every mark is the longer text.
    descriptions = texts_of(html, "kit-description")
    assert len(descriptions) == len(alts)
    assert all(len(a) < len(d) for a, d in zip(alts, descriptions, strict=True))
    assert (reports / "casualty-claims.csv").is_file()


@pytest.mark.slow
def test_reruns_on_synthetic_data_with_parameters(tmp_path, monkeypatch, data_copy):
    # One run checks several things, to keep the suite fast: added sources show up
    # without code changes, AS_OF and SIDES filter, the time chart appears, HTML is escaped.
    nb, out = _execute(
        tmp_path,
        monkeypatch,
        make_synthetic(data_copy),
        {"AS_OF": "2021-04-01", "SIDES": ["armenia", "russia"]},
    )
    text, html, _ = notebook_outputs(nb)
    assert "Gamma officials" in text and "Alpha ministry" not in text
    exported = (out / "casualty-claims.csv").read_text(encoding="utf-8")
    assert "syn-am-more" in exported and "syn-ru-upto" in exported
    assert "syn-am-late" not in exported  # published after AS_OF
    assert "syn-az-exact" not in exported  # side not asked for
    assert (out / "figures" / "casualty-claims-over-time.svg").is_file()
    # Text from data reaches HTML escaped, never as markup.
    assert "<b>says</b>" not in html and "&lt;b&gt;says&lt;/b&gt;" in html
