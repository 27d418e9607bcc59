"""Every notebook builds for as-of dates across the dataset, and says only what was known.

Dates come from the data itself (read here with the csv module): the day before the
first outside reference (nothing known yet) and the day before the article (all the
context known before it). For
each, the whole report build must succeed, and the index's bottom lines must not name
a source published later (here: Anadolu Agency, whose only source is the article).
Nor may any page of the build, read as text (tests/test_as_of_pages.py's oracle): the
first version of this test read only the bottom lines, so the index's source list, the
notebooks' opening lines and the hand-written captions went unread.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest
from html_tags import texts_of, texts_shown
from test_as_of_pages import SOURCE_ROWS, leaks

from conftest import as_of_reports
from helpers import paths
from helpers.data.as_of_banner import as_of_banner

pytestmark = pytest.mark.slow


def _column(table: str, column: str) -> list[str]:
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle) if row[column]]


def _day(text: str, days: int = 0) -> str:
    return (dt.date.fromisoformat(text) + dt.timedelta(days=days)).isoformat()


ARTICLE = min(_column("sources", "published"))
DATES = sorted({_day(min(_column("references", "published")), -1), _day(ARTICLE, -1)})


#: A code cell's input as the report folds it (report template: ``details.kit-code``).
FOLDED_CODE = re.compile(r'<details class="kit-code">.*?</details>', re.S)


@pytest.mark.parametrize("as_of", DATES)
def test_every_notebook_builds_as_of_the_date_and_names_no_later_source(tmp_path_factory, as_of):
    # The build is shared (conftest.as_of_reports): notebook 04's test reads the same one.
    _, folder = as_of_reports(tmp_path_factory, as_of)
    index = (folder / "index.html").read_text(encoding="utf-8")
    # Each notebook's finding is on the index, computed as of the date (not left out).
    reports = texts_of(index, "report")
    lines = [line for line in texts_of(index, "bottom-line") if line]
    assert len(reports) == len(list(paths.NOTEBOOKS_DIR.glob("*.ipynb"))), reports
    assert len(lines) == len(reports), f"a bottom line is missing: {reports}"
    text = " ".join(lines)
    assert as_of < ARTICLE and "Anadolu" not in text, text
    when = dt.date.fromisoformat(as_of)
    banner = as_of_banner(SOURCE_ROWS, as_of)
    pages = sorted(folder.glob("*.html"))
    assert len(pages) == len(reports) + 1
    for page in pages:
        # The folded code a reader may unfold is code, not the kit's voice: left out.
        html = FOLDED_CODE.sub("", page.read_text(encoding="utf-8"))
        shown = " ".join(texts_shown(html))
        assert banner in " ".join(shown.split()), page.name  # each page says what it shows
        # Dates from the build's year on are when it was built and references checked.
        found = leaks(when, shown, banner, since=dt.date(dt.date.today().year, 1, 1))
        assert not found, (page.name, found)
        notebook = paths.NOTEBOOKS_DIR / f"{page.stem}.ipynb"
        if notebook.is_file():  # prose written about the sources is not on a page before them
            written = " ".join(words_of(shown))
            for tags, prose in tagged_prose(notebook):
                runs = {
                    " ".join(w[i : i + 8]) for w in [words_of(prose)] for i in range(len(w) - 7)
                }
                assert tags and not any(run in written for run in runs), (page.name, prose[:80])


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", re.sub(r"<[^>]+>|[*`_]", " ", text).lower())


def tagged_prose(notebook) -> list[tuple[list[str], str]]:
    """The paragraphs (not headings) of each Markdown cell tagged as written about a source."""
    import json

    out = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        tags = [t for t in cell["metadata"].get("tags", []) if t.startswith("presupposes:")]
        if cell["cell_type"] == "markdown" and tags:
            text = "".join(cell["source"])
            out += [(tags, p) for p in re.split(r"\n\s*\n", text) if not p.startswith("#")]
    return [(tags, p) for tags, p in out if "sources:" not in p]
