"""Notebook 01 (map the region): its report from a fresh clone; it runs with downloaded
boundaries, hostile data and a date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_geodata import boundary_server, fetch_to  # noqa: F401  (fixture)
from test_maps import HOSTILE, hostile_copy

from conftest import execute_notebook, report_page
from helpers import paths

NOTEBOOK = paths.NOTEBOOKS_DIR / "01-map-region.ipynb"


def _code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def test_no_figure_in_the_prose():
    """(Loaded words in every notebook's prose: tests/test_own_voice.py.)"""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    prose = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    digits = prose.replace("notebook 01", "").replace("11 Jan 2021", "").replace("CC BY 4.0", "")
    assert not any(ch.isdigit() for ch in digits)


def _execute(tmp_path: Path, monkeypatch, data_dir=None, geodata_dir=None, as_of=None):
    out = tmp_path / "out"
    nb = execute_notebook(
        NOTEBOOK.name,
        output_dir=out,
        data_dir=data_dir,
        timeout=180,
        parameters={"AS_OF": as_of} if as_of else None,
        env={"KIT_GEODATA_DIR": str(geodata_dir or tmp_path / "no-geodata")},
    )
    text, html, alts = [], [], []
    for cell in _code_cells(nb):
        for output in cell.outputs:
            assert output.output_type != "error", output
            assert output.get("name") != "stderr", output.text  # no warnings
            text.append(output.get("text", ""))
            html.append(output.get("data", {}).get("text/html", ""))
            if "image/png" in output.get("data", {}):
                alts.append(output.metadata["image/png"]["alt"])
    return "\n".join(text), "\n".join(html), alts, out


@pytest.mark.slow  # reads the shared build
def test_a_fresh_clone_draws_the_shipped_boundaries_in_the_report(kit_reports):
    """The shared build's report (no boundaries downloaded on a fresh clone)."""
    reports = kit_reports.reports_dir
    text, html, images = report_page(reports, NOTEBOOK.stem)
    alts = [image["alt"] for image in images if image.get("alt")]
    # No download: the boundaries shipped in data/geo/ are drawn, and said to be.
    assert "shipped with the kit" in text and "make geodata" not in text  # a reader's words
    assert (reports / "figures" / "map-region.png").is_file()
    assert (reports / "figures" / "map-region.svg").is_file()
    assert alts and "former Nagorno-Karabakh Autonomous Oblast (approximate" in alts[0]
    assert "not a line of control" in alts[0] and "about 1,900 km" in alts[0]
    assert "Lachin / Berdzor district (1 Dec 2020)" in alts[0]  # the changes, dated
    assert 'sandbox="allow-scripts"' in html and "Shusha / Shushi" in text
    assert "JAMnews" in text or "jam-news.net" in html  # the table of changes, its references


@pytest.mark.slow
def test_runs_with_boundaries_and_hostile_data(tmp_path, monkeypatch, data_copy, boundary_server):  # noqa: F811
    urls, _ = boundary_server
    fetch_to(tmp_path, urls)
    hostile_copy(data_copy)
    text, html, alts, out = _execute(
        tmp_path, monkeypatch, data_copy, tmp_path / "cache", as_of="2021-01-11"
    )
    assert "Former oblast: Natural Earth's outline (downloaded)" in text  # the credits line
    assert "former Nagorno-Karabakh Autonomous Oblast (approximate" in alts[0]
    assert HOSTILE not in html and "<script>alert(2)" not in html
    assert json.loads((tmp_path / "lock.json").read_text())["downloads"]
