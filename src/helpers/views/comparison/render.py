"""Notebook 04's views as HTML, each beside the plain table it shows.

Each view is a Jinja template in ``views/templates/comparison/`` (autoescape on): the
text of a source is shown as text, a ``<script>`` in it displayed, never run. The wide
tables sit in the report's scroll box (``box.html.j2``), with the cue the page shows
when one scrolls sideways.

>>> import helpers
>>> sorted(views(helpers.load()))
['corpus', 'coverage', 'fidelity', 'framing', 'omissions', 'passages', 'voices']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ...data.wording import LANGUAGE_NAMES
from ..html import as_text, render, render_template
from ..links import domain
from ..tables import SCROLL_CUE
from .diff import fidelity, word_diff
from .tables import (
    FACTS,
    SCOPE_WORDS,
    corpus,
    coverage,
    coverage_cells,
    facts_in,
    framing,
    omissions,
    voices,
)


@dataclass(frozen=True, repr=False)
class View:
    """An HTML view for a notebook (escaped text only) and the plain table behind it.

    >>> v = View("<p>x</p>", pd.DataFrame({"a": [1]}))
    >>> v._repr_html_(), repr(v).split()
    ('<p>x</p>', ['a', '0', '1'])
    """

    html: str
    frame: pd.DataFrame

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.frame.to_string()


def views(ds) -> dict[str, View]:
    """The views of notebook 04, by name, each with its table."""
    return {
        "corpus": View(corpus_html(ds), corpus(ds)),
        "coverage": View(coverage_html(ds), coverage(ds)),
        "passages": View(passages_html(ds), coverage(ds)),
        "voices": View(voices_html(ds), voices(ds)),
        "framing": View(framing_html(ds), framing(ds)),
        "fidelity": View(fidelity_html(ds), fidelity(ds)),
        "omissions": View(omissions_html(ds), omissions(ds)),
    }


def _boxed(view: str, label: str, **values) -> str:
    """The template ``comparison/<view>.html.j2``: a table in the report's scroll box."""
    return render_template(f"comparison/{view}.html.j2", label=label, cue=SCROLL_CUE, **values)


def _sentence(text: str) -> str:
    return render("<p>{{ text }}</p>", text=text)


def anchor(claim_id: str) -> str:
    """The HTML id under which a claim's passage is listed (:func:`passages_html`).

    >>> anchor("aa-working-group")
    'passage-aa-working-group'
    """
    return "passage-" + re.sub(r"[^a-z0-9-]", "-", str(claim_id).lower())


def corpus_html(ds) -> str:
    """:func:`.corpus` as a table: the source (its label gives the language), its role,
    country, ownership (and where that is recorded), what is kept, the address of the copy
    read (and its checksum).

    >>> import helpers
    >>> html = corpus_html(helpers.load())
    >>> '<a href="http://en.kremlin.ru/d/64877">en.kremlin.ru</a>' in html
    True
    >>> "checksum of the copy read" in html, "published by" in html
    (True, False)
    """
    table = corpus(ds)
    if table.empty:
        return _nothing_yet(ds, "no source to list")
    rows = []
    for source_id, row in table.iterrows():
        url = as_text(row["url"])
        url = url if url.startswith(("http://", "https://")) else ""  # only web links
        rows.append(
            {
                "source_id": source_id,
                "label": row["label"],
                "role": "primary record" if row["role"] == "primary" else "report",
                "country": as_text(row["country"]),
                "ownership": as_text(row["ownership"]),
                "ownership_basis": read_after(as_text(row["ownership_basis"]), ds.as_of_date),
                "language": row["language"],
                "text_kept": SCOPE_WORDS.get(row["text_scope"], row["text_scope"]),
                "checksum": as_text(row["copy_sha256"]),
                "retrieved": as_text(row["retrieved"]),
                "url": url,
                "host": domain(url) if url else "",
            }
        )
    return _boxed("corpus", "the corpus", rows=rows)


def read_after(basis: str, as_of) -> str:
    """An ownership record as an as-of view shows it, when it was made after the view's
    date: a search that found nothing says it was a search; a dated record (a report of
    2011, a page filed under 2023/09) says its own date; an undated page describes the
    outlet as found when it was read.

    >>> print(read_after("en.wikipedia.org/wiki/TASS (read 2026-12-07): 'TASS is …'",
    ...                  date(2021, 1, 11)))  # doctest: +NORMALIZE_WHITESPACE
    Recorded after this view's date, from a page read on 7 December 2026 (the outlet as
    found then): en.wikipedia.org/wiki/TASS (read 2026-12-07): 'TASS is …'
    >>> print(read_after("not found: no record of who owns X was found when it was looked "
    ...                  "for on 2026-12-07", date(2021, 1, 11)))  # doctest: +NORMALIZE_WHITESPACE
    Looked for after this view's date, on 7 December 2026: not found: no record of who
    owns X was found when it was looked for on 2026-12-07
    >>> print(read_after("DRadio Wissen, 6 September 2011, as archived at x.de (read 2026-12-07): "
    ...                  "'…'", date(2021, 1, 11)))  # doctest: +NORMALIZE_WHITESPACE
    Read after this view's date (on 7 December 2026), from a record dated 6 September 2011:
    DRadio Wissen, 6 September 2011, as archived at x.de (read 2026-12-07): '…'
    >>> print(read_after("statemediamonitor.com/2023/09/fmm/ (read 2026-12-07): '…'",
    ...                  date(2021, 1, 11)))  # doctest: +NORMALIZE_WHITESPACE
    Read after this view's date (on 7 December 2026), from a record dated September 2023:
    statemediamonitor.com/2023/09/fmm/ (read 2026-12-07): '…'
    >>> read_after("the office's own record", date(2021, 1, 11))
    "the office's own record"
    """
    if not basis or as_of is None:
        return basis
    read = [date.fromisoformat(d) for d in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", basis)]
    later = [d for d in read if d > as_of]
    if not later:
        return basis
    first = min(later)
    on = f"{first.day} {first:%B %Y}"
    if basis.startswith("not found"):
        return f"Looked for after this view's date, on {on}: {basis}"
    dated = _record_date(basis)
    if dated:
        return f"Read after this view's date (on {on}), from a record dated {dated}: {basis}"
    found = f"from a page read on {on} (the outlet as found then)"
    return f"Recorded after this view's date, {found}: {basis}"


#: A record's own date as an ownership basis gives it: "6 September 2011" in its words, or
#: a page address filed under a year and month ("/2023/09/").
_RECORD_DAY = re.compile(
    r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October"
    r"|November|December) (\d{4})\b"
)
_RECORD_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")


def _record_date(basis: str) -> str | None:
    """The date a record of ownership gives itself, as words, if it gives one."""
    day = _RECORD_DAY.search(basis)
    if day:
        return day[0]
    month = _RECORD_MONTH.search(basis)
    if month:
        return f"{date(int(month[1]), int(month[2]), 1):%B %Y}"
    return None


def _nothing_yet(ds, what: str) -> str:
    """One sentence for a view left empty by an as-of date: what is missing, and why.

    >>> import helpers
    >>> print(_nothing_yet(helpers.load().as_of("2020-11-09"), "no coverage to show"))
    ... # doctest: +NORMALIZE_WHITESPACE
    <p>No source of this comparison had been published by 9 November 2020, so there is
    no coverage to show.</p>
    """
    from ..provenance import format_date

    if ds.as_of_date is None:
        return _sentence(f"No source of this comparison is in the dataset, so there is {what}.")
    # (Not "every source it compares was published later": a view names nothing to come.)
    return _sentence(
        f"No source of this comparison had been published by {format_date(ds.as_of_date)}, "
        f"so there is {what}."
    )


def coverage_html(ds) -> str:
    """The coverage matrix as an HTML table: ✓ links to the passage, – marks a gap in a
    whole text, ○ a fact not among the passages kept of a source whose whole text is not
    kept (the source may still report it: a gap there is not known).

    Rows are sources (grouped as :func:`.corpus` orders them), columns the facts; the
    cell's text says what it means for a screen reader too.

    >>> import helpers
    >>> html = coverage_html(helpers.load())
    >>> 'href="#passage-people-returned"' in html, "<caption" in html
    (True, True)
    """
    if corpus(ds).empty:
        return _nothing_yet(ds, "no coverage to show")
    cells = coverage_cells(ds)
    facts = facts_in(ds)  # an as-of view asks only about facts its sources report
    rows = []
    for source_id, source in corpus(ds).iterrows():
        role = "primary record" if source["role"] == "primary" else "report"
        # Country and ownership as the corpus table gives them: two facts, not one label.
        where = as_text(source["country"])
        role += f" · {where}" if where else ""
        role += f" · {as_text(source['ownership'])}"
        scope = " (passages only)" if source["text_scope"] == "excerpt" else ""
        links = [
            (fact, [anchor(c) for c in cells.get((source_id, fact.fact_id), [])]) for fact in facts
        ]
        rows.append(
            {
                "label": source["label"],
                "note": role + scope,
                "cells": links,
                "passages_only": bool(scope),
            }
        )
    return _boxed("coverage", "coverage matrix", facts=facts, rows=rows)


def passages_html(ds) -> str:
    """Every passage a coverage cell links to, under its anchor, grouped by source.

    >>> import helpers
    >>> 'id="passage-aa-monitoring-centre"' in passages_html(helpers.load())
    True
    """
    if corpus(ds).empty:
        return _nothing_yet(ds, "no passage to list")
    cells = coverage_cells(ds)
    claims = ds.claims.set_index("claim_id")
    labels = {f.fact_id: f.label for f in FACTS}
    sources = []
    for source_id, source in corpus(ds).iterrows():
        passages = [
            {
                "anchor": anchor(claim_id),
                "fact": labels[fact_id],
                "claimant": claims.loc[claim_id, "claimant"],
                "passage": claims.loc[claim_id, "passage"],
                "translation": as_text(claims.loc[claim_id, "translation"]),
                "translation_by": claims.loc[claim_id, "translation_by"],
            }
            for (s, fact_id), ids in cells.items()
            if s == source_id
            for claim_id in ids
        ]
        if passages:
            sources.append({"label": source["label"], "passages": passages})
    return render_template("comparison/passages.html.j2", sources=sources)


def _table_html(frame: pd.DataFrame, caption: str, numeric: tuple[str, ...] = ()) -> str:
    """A plain accessible table: caption, column headers, escaped cells."""
    if frame.empty:
        return _sentence(f"{caption}: none.")
    columns = list(frame.columns)
    rows = [list(zip(columns, row, strict=True)) for row in frame.itertuples(index=False)]
    return _boxed("table", caption, caption=caption, columns=columns, rows=rows, numeric=numeric)


def voices_html(ds) -> str:
    """:func:`.voices` as a table a reader scans: who is heard in each source, how much.

    >>> import helpers
    >>> "Vladimir Putin" in voices_html(helpers.load())
    True
    """
    if corpus(ds).empty:
        return _nothing_yet(ds, "no one quoted or reported yet")
    table = voices(ds)[["source", "speaker", "quotations", "words_quoted", "reported"]]
    table = table.rename(
        columns={
            "words_quoted": "words quoted",
            "reported": "statements reported (not quoted)",
        }
    )
    return _table_html(
        table,
        "Whom each source quotes or reports",
        numeric=("quotations", "words quoted", "statements reported (not quoted)"),
    )


#: Glossary categories in a reader's words (``glossary.category`` is the data's name).
CATEGORY_WORDS = {
    "naming": "a name for the place",
    "loaded_term": "a loaded word",
    "one_sided_account": "one side's account",
}


def framing_html(ds) -> str:
    """:func:`.framing` as a table a reader scans at any width: one row per wording, the
    sources whose kept text uses it listed (●) in the row, the others counted.

    >>> import helpers
    >>> html = framing_html(helpers.load())
    >>> "Upper Karabakh" in html, "loaded_term" in html, "a loaded word" in html
    (True, False, True)
    """
    table = corpus(ds)
    if table.empty:
        return _nothing_yet(ds, "no text in which to look for these words")
    sources = list(table["label"])
    rows = []
    for row in framing(ds).to_dict("records"):
        users = [label for label in sources if row.get(label)]
        rows.append(
            {
                "term": row["term"],
                "category": CATEGORY_WORDS.get(row["category"], row["category"]),
                "whose": row["whose usage"],
                "neutral": row["neutral wording"],
                "users": users,
                "others": len(sources) - len(users),
            }
        )
    # Wordings some source uses first, so the marks are at the top of the table.
    rows.sort(key=lambda r: not r["users"])
    return _boxed("framing", "framing words", rows=rows, total=len(sources))


def fidelity_html(ds) -> str:
    """:func:`.fidelity` for reading: per transcript passage, each rendering with its diff.

    Struck-through words are the transcript's, missing from the rendering; highlighted
    words are the rendering's own. A rendering in another language than the transcript's
    gets no diff and no score: its words and the kit's translation are set beside the
    transcript, as a translation (a word-level difference there would be the
    translators', not a misquote).

    >>> import helpers
    >>> html = fidelity_html(helpers.load())
    >>> "<del" in html and "<ins" in html, "kit’s English translation" in html
    (True, True)
    """
    if corpus(ds).empty:
        return _nothing_yet(ds, "no rendering to set beside a transcript")
    table = fidelity(ds)
    if table.empty:
        return _sentence("No rendering of a primary transcript is recorded.")
    quotes = []
    for _, group in table.groupby("quote_id", sort=False):
        renderings = [
            {
                **row,
                "translated": (translated := row["compared"] != "the outlet’s words"),
                "language_name": LANGUAGE_NAMES.get(row["language"], row["language"]),
                "diff": [] if translated else word_diff(row["primary"], row["compared_text"]),
            }
            for row in group.to_dict("records")
        ]
        first = group.iloc[0]
        quotes.append(
            {"speaker": first["speaker"], "primary": first["primary"], "renderings": renderings}
        )
    return render_template("comparison/fidelity.html.j2", quotes=quotes)


def omissions_html(ds) -> str:
    """:func:`.omissions` as a table.

    >>> import helpers
    >>> "prisoners of war" in omissions_html(helpers.load())
    True
    """
    if corpus(ds).empty:
        return _nothing_yet(ds, "no report to set beside the official records")
    table = omissions(ds)
    if table.empty:
        return _sentence("No report in this build.")
    words = {"text kept": table["text kept"].map(lambda s: SCOPE_WORDS.get(s, s))}
    table = table.assign(**words)[["source", "text kept", "not_in_text_kept", "held_by"]].rename(
        columns={
            "not_in_text_kept": "not in the text kept",
            "held_by": "held by (official records)",
        }
    )
    return _table_html(
        table, "What the official records hold that the text kept of each report does not mention"
    )
