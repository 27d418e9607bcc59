"""What a report page needs besides its cells: contents, back link, previous and next.

:class:`helpers.report.navigation.ReportNavigation`, an nbconvert preprocessor named
in the report template's ``conf.json``, puts this in every export with no change to
the build (this module itself imports no nbconvert: the index uses it too).
It reads the notebook's own headings (``## `` lines of its Markdown cells) for the
contents list, and the notebooks beside it (``resources["metadata"]["path"]``,
sorted by name, as the build and the index order them) for previous and next:
a notebook added later appears in its neighbours' links with no list to update.

The anchor of each heading is the one nbconvert gives it (spaces as ``-``, other
characters URL-quoted); nbconvert keeps its own function private, so the kit states the
rule here and a test checks it against nbconvert's export.

>>> contents([{"cell_type": "markdown", "source": "# T\\n## The `data`, *first*\\n### sub"}])
[('The data, first', 'The-data,-first')]
>>> number_of("02-chart-casualty-claims")
'02'
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from .cache import notebook_title

#: Markdown punctuation that the rendered heading text does not show.
_MARKUP = re.compile(r"[*_`]|\[([^\]]*)\]\([^)]*\)")


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def heading_text(markdown: str) -> str:
    """A heading's text as the page shows it (emphasis, code marks and link targets gone).

    >>> heading_text("How *far* [from](#x) `Moscow`")
    'How far from Moscow'
    """
    return _MARKUP.sub(lambda m: m.group(1) or "", markdown).strip()


def anchor(text: str) -> str:
    """The id nbconvert's HTML export gives a heading with this text: spaces become
    hyphens, and what a URL fragment cannot hold is percent-encoded.

    >>> anchor("Who said what — and when?")
    'Who-said-what-%E2%80%94-and-when?'
    """
    return quote(text.replace(" ", "-"), safe="?/:@!$&'()*+,;=")


def contents(cells) -> list[tuple[str, str]]:
    """``(text, anchor)`` of every second-level heading of the Markdown cells, in order."""
    found = []
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        for line in _source(cell).splitlines():
            if line.startswith("## "):
                text = heading_text(line[3:])
                found.append((text, anchor(text)))
    return found


def number_of(name: str) -> str:
    """The run-order number a notebook's file name starts with (``""`` if none)."""
    match = re.match(r"\d+", name)
    return match.group(0) if match else ""


def siblings(folder: Path) -> list[dict]:
    """Every notebook in ``folder``, sorted: name, number, title, report file name."""
    found = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            nb = {}
        found.append(
            {
                "name": path.stem,
                "number": number_of(path.stem),
                "title": notebook_title(nb, path.stem),
                "href": f"{path.stem}.html",
            }
        )
    return found


def where_contents_go(cells) -> int:
    """Index of the cell after which the contents list is placed.

    After the cell tagged ``bottom-line`` (the page's answer comes first), else after
    the first Markdown cell (the title).

    >>> where_contents_go([{"cell_type": "markdown"}, {"cell_type": "code",
    ...     "metadata": {"tags": ["bottom-line"]}}])
    1
    """
    for i, cell in enumerate(cells):
        if "bottom-line" in cell.get("metadata", {}).get("tags", []):
            return i
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "markdown":
            return i
    return 0
