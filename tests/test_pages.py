"""The contents list of a report links to its headings as nbconvert's export names them."""

from __future__ import annotations

import html
import re

from helpers.report.pages import contents

HEADINGS = [
    "Who said what — and when?",
    "The `data`, *first*",
    'Ağdam & Şuşa/Shusha: 50% "it", 3 < 4',
    "Numbers [from the article](#x)",
]


def test_every_contents_link_is_the_id_of_its_heading_in_the_exported_page():
    import nbformat  # here, not at the top: importing nbconvert costs seconds of collection
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("\n".join(f"## {h}" for h in HEADINGS))]
    page, _ = HTMLExporter().from_notebook_node(nb)
    ids = set(re.findall(r'<h2 id="([^"]*)"', page))
    assert len(ids) == len(HEADINGS)
    ids = {html.unescape(i) for i in ids}  # the id as written in HTML
    assert {anchor for _, anchor in contents(nb.cells)} == ids
