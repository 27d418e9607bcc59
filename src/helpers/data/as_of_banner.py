"""What an as-of page says of its date: which of the kit's sources existed by then.

The report build writes it on the index and at the top of each notebook of an as-of
build (``make report AS_OF=…``): read from ``sources.csv`` rows as dicts, with no
pandas, so that a build with nothing to rerun stays quick. The dataset itself is cut
to the date by :mod:`helpers.data.as_of`.
"""

from __future__ import annotations

import re
from datetime import date


def _day(value) -> date | None:
    """An ISO date (text or date) as a date; None if it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


def _long_date(day) -> str:
    """``11 January 2021``."""
    day = _day(day)
    return f"{day.day} {day:%B %Y}"


def _short_date(day) -> str:
    """``11 Jan 2021``."""
    day = _day(day)
    return f"{day.day} {day:%b %Y}"


def split_sources(sources, when) -> tuple[list[dict], list[dict]]:
    """``sources`` (rows of sources.csv, as dicts) split into published by ``when`` and later,
    each in order of publication; rows without a readable date count as later."""
    cutoff = _day(when)
    known, later = [], []
    for row in sources:
        day = _day(row.get("published"))
        (known if day is not None and day <= cutoff else later).append(row)

    def order(row):
        return str(row.get("published") or "9999")

    return sorted(known, key=order), sorted(later, key=order)


def as_of_banner(sources, when) -> str:
    """What an as-of page says first: how many of the kit's sources existed on ``when``.

    Computed from the sources' own dates. It names no source the view does not hold:
    not the first one still to come, its publisher or its day, nor how many came later
    (a view may not name a document before it exists). It says only that the view is
    cut to its date and that the questions were written for the full dataset.
    "" in a full build, or when every source had been published.

    >>> rows = [{"publisher": "Agency A", "published": "2021-01-11"},
    ...         {"publisher": "Agency B", "published": "2021-01-13"}]
    >>> from textwrap import fill
    >>> print(fill(as_of_banner(rows, "2020-11-09"), 80))
    As known on 9 November 2020: none of the kit's sources had been published by
    then. This view shows only what was published by 9 November 2020; the questions
    and headings are the kit's, written for the full dataset.
    >>> print(fill(as_of_banner(rows, "2021-01-12"), 80))
    As known on 12 January 2021: 1 of the kit's sources had been published by then.
    This view shows only what was published by 12 January 2021; the questions and
    headings are the kit's, written for the full dataset.
    >>> as_of_banner(rows, None), as_of_banner(rows, "2021-02-01")
    ('', '')
    """
    if when is None:
        return ""
    known, later = split_sources(list(sources), when)
    if not later:
        return ""
    day = _long_date(when)
    said = f"{len(known) if known else 'none'} of the kit's sources had been published by then"
    return (
        f"As known on {day}: {said}. This view shows only what was published by {day}; "
        "the questions and headings are the kit's, written for the full dataset."
    )


#: The "sources: …" part of a notebook's subtitle line.
_SUBTITLE_SOURCES = re.compile(r"\bsources: [^*\n]*")


def as_of_subtitle(markdown: str, sources, when) -> str:
    """A notebook's opening cell with its "sources: …" line computed for ``when``.

    The line hand-written for the full dataset names sources an as-of view may not
    hold; here it lists the sources published by then (or says there were none), and
    the banner (:func:`as_of_banner`) follows the subtitle.

    >>> rows = [{"publisher": "Agency A", "published": "2021-01-11"},
    ...         {"publisher": "Agency B", "published": "2021-01-13"}]
    >>> cell = "# Q?\\n\\n*kit · notebook 00 · sources: Agency A, 11 Jan 2021*\\n\\nIntro."
    >>> text = as_of_subtitle(cell, rows, "2021-01-12")
    >>> print(text.replace("; ", ";\\n").replace(". T", ".\\nT"))
    # Q?
    <BLANKLINE>
    *kit · notebook 00 · sources published by 12 Jan 2021: Agency A, 11 Jan 2021*
    <BLANKLINE>
    **As known on 12 January 2021: 1 of the kit's sources had been published by then.
    This view shows only what was published by 12 January 2021;
    the questions and headings are the kit's, written for the full dataset.**
    <BLANKLINE>
    Intro.
    >>> as_of_subtitle(cell, rows, None) == cell
    True
    """
    if when is None:
        return markdown
    rows = list(sources)
    known, _ = split_sources(rows, when)
    listed = "; ".join(
        f"{r.get('publisher') or r.get('source_id')}, {_short_date(r['published'])}" for r in known
    )
    line = f"sources published by {_short_date(when)}: {listed or 'none'}"
    text, found = _SUBTITLE_SOURCES.subn(lambda _: line, markdown, count=1)
    banner = as_of_banner(rows, when)
    if not banner:
        return text
    if not found:
        return f"**{banner}**\n\n{text}"
    # The banner goes after the subtitle's paragraph.
    head, sep, rest = text.partition(line)
    end = rest.find("\n\n")
    if end < 0:
        return f"{head}{sep}{rest}\n\n**{banner}**"
    return f"{head}{sep}{rest[:end]}\n\n**{banner}**{rest[end:]}"


#: A Markdown cell tagged ``presupposes:<source_id>`` (or ``presupposes:sources``, any of
#: the kit's sources) was written about that source: a page dated before it was
#: published does not show the cell's prose.
PRESUPPOSES = "presupposes:"

#: What a page dated before the sources shows instead of a cell written about them.
LEFT_OUT = (
    "*The kit's text for this section describes sources published after {day}, so this "
    "view leaves it out.*"
)


def presupposed(tags) -> set[str]:
    """The sources a cell's tags say its prose was written about.

    >>> sorted(presupposed(["parameters", "presupposes:aa-2021-01-11", "presupposes:sources"]))
    ['aa-2021-01-11', 'sources']
    """
    return {t[len(PRESUPPOSES) :] for t in tags or () if str(t).startswith(PRESUPPOSES)}


def as_of_cell(markdown: str, tags, sources, when, opening: bool = False) -> str:
    """A hand-written Markdown cell as a page dated ``when`` shows it.

    A cell written about a source published after ``when`` (tagged ``presupposes:…``,
    see :data:`PRESUPPOSES`) keeps its headings (and, in the opening cell, the subtitle)
    and shows one generated sentence instead of its prose; a source id the sources do
    not hold counts as not yet published. The opening cell's sources line and banner
    are computed by :func:`as_of_subtitle`. A full build (``when`` None) shows every
    cell as written.

    >>> rows = [{"source_id": "a", "publisher": "Agency A", "published": "2021-01-11"}]
    >>> cell = "## Where\\n\\nThe article names three towns."
    >>> shown = as_of_cell(cell, ["presupposes:a"], rows, "2020-11-09")
    >>> print(shown.replace(", so", ",\\nso"))
    ## Where
    <BLANKLINE>
    *The kit's text for this section describes sources published after 9 November 2020,
    so this view leaves it out.*
    >>> as_of_cell(cell, ["presupposes:a"], rows, "2021-01-11") == cell
    True
    >>> as_of_cell(cell, [], rows, "2020-11-09") == as_of_cell(cell, ["x"], rows, None) == cell
    True
    """
    if when is None:
        return markdown
    rows = list(sources)
    wanted = presupposed(tags)
    known, _ = split_sources(rows, when)
    held = {str(r.get("source_id")) for r in known} | ({"sources"} if known else set())
    if wanted - held:
        markdown = _headings_only(markdown, LEFT_OUT.format(day=_long_date(when)))
    return as_of_subtitle(markdown, rows, when) if opening else markdown


def _headings_only(markdown: str, sentence: str) -> str:
    """``markdown``'s headings and subtitle line, with ``sentence`` where its prose was."""
    kept, placed = [], False
    for block in re.split(r"\n\s*\n", markdown.strip()):
        if block.lstrip().startswith("#") or _SUBTITLE_SOURCES.search(block):
            kept.append(block)
        elif not placed:
            kept.append(sentence)
            placed = True
    return "\n\n".join(kept)


def as_of_cells(cells, sources, when) -> list[str]:
    """Every Markdown cell of a notebook, ``(markdown, tags)`` in order, as of ``when``.

    The first is the notebook's opening (:func:`as_of_subtitle`); each cell is
    :func:`as_of_cell`.
    """
    rows = list(sources)
    return [
        as_of_cell(markdown, tags, rows, when, opening=i == 0)
        for i, (markdown, tags) in enumerate(cells)
    ]


def published_by(view) -> str:
    """``" published by 10 October 2020"`` for an as-of view of that day, ``""`` for the
    full data: what an empty view's sentence says it is missing, as of when.

    ``view``: anything with an ``as_of_date`` (a :class:`~helpers.data.dataset.Dataset`).

    >>> from types import SimpleNamespace as View
    >>> f"The kit holds no source{published_by(View(as_of_date=date(2020, 10, 10)))}."
    'The kit holds no source published by 10 October 2020.'
    >>> published_by(View(as_of_date=None))
    ''
    """
    when = getattr(view, "as_of_date", None)
    return f" published by {_long_date(when)}" if when is not None else ""
