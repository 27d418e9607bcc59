"""helpers.tables: one table style for every report, every cell shown as text."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser

import pandas as pd
import pytest

from helpers import paths, tables


def reader_header(column: str) -> str:
    """What the page should call a column: its title in data/datapackage.json (read here
    with json), else its own name, first letter capitalised."""
    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    titles = {
        f["name"]: f["title"]
        for r in package["resources"]
        for f in r.get("schema", {}).get("fields", [])
        if f.get("title")
    }
    name = titles.get(column, column)
    return name[0].upper() + name[1:]


class Cells(HTMLParser):
    """The table's header and cells as a reader's browser sees them (text, class, links)."""

    def __init__(self):
        super().__init__()
        self.head, self.cells, self.links, self.tags = [], [], [], []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag in ("th", "td"):
            self._cell = {"tag": tag, "class": attrs.get("class", ""), "text": ""}
        if tag == "a":
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            (self.head if tag == "th" else self.cells).append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def parse(html: str) -> Cells:
    cells = Cells()
    cells.feed(html)
    return cells


FRAME = pd.DataFrame(
    {
        "source": ["<script>alert(1)</script>", "Agency & co"],
        "claimed": [2802, 5000.0],
        "address": ["https://www.rferl.org/a/x.html", "javascript:alert(1)"],
        "note": ["kept for the CSV", "also"],
    },
    index=pd.Index(["am-1", "az-2"], name="claim_id"),
)


def test_text_is_escaped_and_numbers_are_right_aligned():
    page = parse(tables.Table(FRAME)._repr_html_())
    assert "script" not in page.tags  # shown as text, never run
    assert page.cells[1]["text"] == "<script>alert(1)</script>"
    numeric = [c for c in page.cells if c["class"] == "num"]
    assert [c["text"] for c in numeric] == ["2,802", "5,000"]
    assert [h["text"] for h in page.head if h["class"] == "num"] == ["Claimed"]


def test_a_named_index_becomes_a_column_and_no_index_column_is_added():
    page = parse(tables.Table(FRAME)._repr_html_())
    expected = [reader_header(c) for c in ["claim_id", *FRAME.columns]]
    assert [h["text"] for h in page.head] == expected
    assert expected[0] == "Claim"  # a field of the data gets its title, not its name
    plain = parse(tables.Table(FRAME.reset_index(drop=True))._repr_html_())
    assert [h["text"] for h in plain.head] == expected[1:]  # no 0, 1 column


def test_web_addresses_become_short_links_and_nothing_else_does():
    page = parse(tables.Table(FRAME)._repr_html_())
    assert page.links == ["https://www.rferl.org/a/x.html"]
    texts = [c["text"] for c in page.cells]
    assert "rferl.org" in texts and "javascript:alert(1)" in texts


def test_the_reader_columns_on_the_page_the_rest_in_the_csv(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_OUTPUT_DIR", str(tmp_path))
    table = tables.Table(FRAME, ["source", "claimed"], export="claims.csv")
    page = parse(table._repr_html_())
    assert [h["text"] for h in page.head] == ["Source", "Claimed"]
    assert "claims.csv" in page.links
    with open(tmp_path / "claims.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["claim_id", *FRAME.columns]
    assert rows[1]["note"] == "also"


def test_an_empty_table_is_a_sentence():
    html = tables.Table(FRAME.iloc[0:0], empty="No claims match.")._repr_html_()
    assert "<table" not in html and "No claims match." in html


def test_unknown_columns_are_named():
    with pytest.raises(KeyError, match="nope"):
        tables.Table(FRAME, ["nope"])
