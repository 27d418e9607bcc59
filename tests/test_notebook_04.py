"""Notebook 04 (how each told it): an essay, and its report shows the five views.

The report is the one the shared build made of the kit's data (``kit_reports``), and the
as-of one the build of the day before the article: no kernel runs here for it again."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest

from conftest import as_of_reports, report_page, template_scripts
from helpers import paths

pytestmark = pytest.mark.slow  # reads builds

NAME = "04-how-each-told-it"


def _sources() -> list[dict]:
    with (paths.DATA_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_report_shows_the_five_views_of_every_source(kit_reports):
    text, html, _ = report_page(kit_reports.reports_dir, NAME)
    sources = _sources()
    assert f"{len(sources)} sources" in text
    for caption in (
        "Which facts of the meeting each source reports",
        "Whom each source quotes or reports",
        "Words for the place, the war and its outcome",
        "in the primary transcript",
        "What the official records hold that the text kept of each report does not mention",
    ):
        assert caption in text, caption
    for source in sources:  # every source is in the coverage matrix, as text
        assert source["publisher"] in text, source["publisher"]
    assert html.count("<script") == template_scripts()  # the outputs add none
    for name in ("coverage", "voices", "fidelity", "omissions"):
        assert (kit_reports.reports_dir / f"{name}.csv").is_file()


def test_before_any_source_it_says_there_is_nothing_to_compare(tmp_path_factory):
    article = min(date.fromisoformat(s["published"]) for s in _sources())
    _, reports = as_of_reports(tmp_path_factory, (article - timedelta(days=1)).isoformat())
    text, _, _ = report_page(reports, NAME)
    assert "nothing to compare yet" in text
