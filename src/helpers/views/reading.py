"""Read a source closely: which sentence feeds which rows, and whose words it uses.

Two views for notebook 00, both computed from the dataset, never typed:

* :func:`annotated_reading` splits a source into sentences and lists, for each,
  the rows of every table whose ``passage`` lies in it; sentences that feed no
  row are marked, so gaps in the extraction are visible.
* :func:`framing_audit` (:mod:`.framing_audit`) lists the glossary's loaded terms,
  namings, vague attributions, one-sided accounts and typos per source, with whose
  framing each is and the neutral wording the kit uses; it also finds glossary terms
  in a source that has no glossary row for them yet (a newly added source).

Both return objects with ``_repr_html_`` built only from escaped text, and a
``frame`` attribute (a plain DataFrame) for analysis.

>>> import helpers
>>> ds = helpers.load()
>>> reading = annotated_reading(ds, "aa-2021-01-11")
>>> reading.frame.loc[0, "sentence"], reading.frame.loc[0, "feeds"]
('Rssia, Azerbaijan, Armenia trilateral meeting ends', {'glossary': 'rssia'})
>>> "<script" in reading._repr_html_()
False
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..data.as_of_banner import published_by
from ..text.dates import MONTH_ABBREVIATIONS
from ..text.quoting import quoted, with_sic
from .essay import CITABLE
from .framing_audit import (  # noqa: F401  (notebook 00)
    CATEGORY_LABELS,
    FramingAudit,
    framing_audit,
    vague_attributions,
)
from .html import LEFT_ALIGNED, Markup, render
from .links import domain
from .provenance import format_date

#: Abbreviations that end with a full stop but do not end a sentence: the months'
#: ("Nov.", "Sept."; not "May", which is a whole word) and titles and the like.
ABBREVIATIONS = {m for m in MONTH_ABBREVIATIONS if m != "may"} | {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "st",
    "no",
    "vs",
    "u.s",
    "u.n",
    "e.g",
    "i.e",
    "approx",
    "est",
}
# A sentence ends at . ! or ? (optionally followed by a closing quotation mark)
# before whitespace and a capital, a digit or an opening quotation mark.
_BOUNDARY = re.compile(r"[.!?][”\"’']?(?=\s+[“\"‘'(A-Z0-9])")

#: Tables whose rows cite passages, in the order the reading shows them.
READING_TABLES = ("event_reports", "claims", "quotes", "topics", "actors", "places", "glossary")


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``.

    Lines are split first (a headline or a paragraph never runs into the next);
    within a line, a sentence ends at ``.``, ``!`` or ``?`` unless the word before
    is an abbreviation such as ``Nov.`` or ``Sept.``.

    >>> text = 'Clashes erupted on Sept. 27, 2020. "It is stable," he said. Next?'
    >>> [text[a:b] for a, b in sentences(text)]
    ['Clashes erupted on Sept. 27, 2020.', '"It is stable," he said.', 'Next?']
    """
    spans = []
    offset = 0
    for line in text.splitlines(keepends=True):
        start = offset
        body_end = offset + len(line.rstrip("\r\n"))
        for match in _BOUNDARY.finditer(text, offset, body_end):
            word = re.search(r"([\w.]+)[.!?]$", text[start : match.start() + 1])
            if word and word.group(1).lower().rstrip(".") in ABBREVIATIONS:
                continue
            spans.append(_trimmed(text, start, match.end()))
            start = match.end()
        spans.append(_trimmed(text, start, body_end))
        offset += len(line)
    return [(a, b) for a, b in spans if b > a]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def passage_span(text: str, passage) -> tuple[int, int] | None:
    """Where ``passage`` first occurs in ``text``, or ``None``.

    >>> passage_span("a b c", "b c")
    (2, 5)
    """
    if not isinstance(passage, str) or not passage:
        return None
    at = text.find(passage)
    return None if at < 0 else (at, at + len(passage))


def rows_citing(ds, source_id: str) -> pd.DataFrame:
    """Every row of the sourced tables that cites ``source_id``, with its span.

    Columns: table, row_id, passage, start, end (first occurrence of the passage).
    """
    text = ds.text(source_id)
    records = []
    for table in READING_TABLES:
        frame = getattr(ds, table)
        mine = frame.loc[frame["source_id"] == source_id]
        for row_id, passage in mine[[CITABLE[table], "passage"]].itertuples(index=False):
            span = passage_span(text, passage)
            if span:
                records.append((table, row_id, passage, *span))
    return pd.DataFrame(records, columns=["table", "row_id", "passage", "start", "end"])


@dataclass(frozen=True, repr=False)
class Reading:
    """An annotated reading of one source: sentences and the rows each feeds."""

    source_id: str
    label: str
    text: str
    frame: pd.DataFrame  # one row per sentence
    cited: pd.DataFrame  # one row per citing row (table, row_id, passage, start, end)

    def __repr__(self) -> str:
        return (
            f"<Reading of {self.source_id}: {len(self.frame)} sentences, "
            f"{len(self.gaps)} feeding no row>"
        )

    @property
    def gaps(self) -> pd.DataFrame:
        """Sentences that feed no row of any table."""
        return self.frame.loc[self.frame["rows"] == 0, ["n", "sentence"]]

    def _repr_html_(self) -> str:
        records = [
            {
                "n": r.n,
                "marked": _mark(self.text, r.start, r.end, self.cited),
                "feeds": feeds_in_words(r.feeds),
            }
            for r in self.frame.itertuples(index=False)
        ]
        return render(
            _READING_HTML,
            label=with_sic(self.label),
            sentences=len(self.frame),
            fed=int((self.frame["rows"] > 0).sum()),
            gaps=len(self.gaps),
            records=records,
            table_style=LEFT_ALIGNED,
        )


_READING_HTML = """\
<div class="kit-reading">
<p><strong>{{ label }}</strong>: {{ sentences }} sentences, {{ fed }} feed at \
least one row, {{ gaps }} feed none.</p>
<table style="{{ table_style }}"><thead><tr style="text-align:left"><th>#</th>\
<th>Sentence (cited passages marked)</th><th>What the kit takes from it</th></tr></thead><tbody>
{% for r in records %}
<tr style="vertical-align:top"><td>{{ r.n }}</td><td style="text-align:left">{{ r.marked }}</td>\
<td style="text-align:left">{% if r.feeds %}{{ r.feeds }}{% else %}\
<em style="color:#a33">nothing</em>{% endif %}</td></tr>
{% endfor %}
</tbody></table></div>"""


#: What a row of each table is, for a reader (singular, plural).
ROW_KINDS = {
    "event_reports": ("report of an event", "reports of events"),
    "claims": ("claim", "claims"),
    "quotes": ("quotation", "quotations"),
    "topics": ("meeting topic", "meeting topics"),
    "actors": ("person or body named", "people or bodies named"),
    "places": ("place", "places"),
    "glossary": ("glossary entry", "glossary entries"),
}


def feeds_in_words(feeds: dict[str, str]) -> str:
    """The rows a sentence feeds, counted in a reader's words (the ids are in the export).

    >>> feeds_in_words({"claims": "a, b", "places": "karabakh"})
    '2 claims, 1 place'
    >>> feeds_in_words({})
    ''
    """
    parts = []
    for table, ids in feeds.items():
        n = len([i for i in ids.split(", ") if i])
        one, many = ROW_KINDS.get(table, (table, table))
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def _mark(text: str, start: int, end: int, cited: pd.DataFrame) -> Markup:
    """The sentence as HTML, cited stretches in ``<mark>``; every piece escaped."""
    covered = [False] * (end - start)
    for a, b in cited[["start", "end"]].itertuples(index=False):
        for i in range(max(a, start), min(b, end)):
            covered[i - start] = True
    out, i = [], 0
    while i < len(covered):
        j = i
        while j < len(covered) and covered[j] == covered[i]:
            j += 1
        piece = with_sic(text[start + i : start + j])  # the title's typo, as the source's
        out.append(Markup("<mark>{}</mark>").format(piece) if covered[i] else piece)
        i = j
    return Markup("").join(out)


def annotated_reading(ds, source_id: str) -> Reading:
    """Split a source into sentences and map each to the rows whose passage lies in it.

    A row feeds every sentence its passage overlaps (a quotation may span three).

    >>> import helpers
    >>> r = annotated_reading(helpers.load(), "aa-2021-01-11")
    >>> r.frame.loc[r.frame["sentence"].str.startswith("What happened"), "feeds"].item()
    {'places': 'karabakh'}
    >>> len(r.gaps)  # every sentence of the article feeds at least one row
    0
    """
    text = ds.text(source_id)
    cited = rows_citing(ds, source_id)
    records = []
    for n, (start, end) in enumerate(sentences(text), start=1):
        hits = cited.loc[(cited["start"] < end) & (cited["end"] > start)]
        feeds = {
            table: ", ".join(group["row_id"]) for table, group in hits.groupby("table", sort=False)
        }
        records.append(
            {
                "n": n,
                "sentence": text[start:end],
                "start": start,
                "end": end,
                "rows": len(hits),
                "feeds": feeds,
            }
        )
    source = ds.sources.set_index("source_id").loc[source_id]
    label = f"{source['publisher']}, {format_date(source['published'])}: {source['title']}"
    return Reading(source_id, label, text, pd.DataFrame(records), cited)


# ------------------------------------------------------------------ notebook views


def summary(ds) -> str:
    """One sentence on what the dataset holds, computed from it.

    >>> import helpers
    >>> print(summary(helpers.load().as_of("2020-12-31")))
    No source published by 31 December 2020 is in the dataset: nothing to read yet.
    """
    when = f" by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
    if ds.sources.empty:
        return f"No source published{when} is in the dataset: nothing to read yet."
    cited = pd.concat([rows_citing(ds, s) for s in ds.sources["source_id"]], ignore_index=True)
    per_table = cited["table"].value_counts()
    tables = ", ".join(f"{per_table[t]} {t}" for t in READING_TABLES if t in per_table)
    names = "; ".join(
        f"{r.publisher}, {format_date(r.published)}" for r in ds.sources.itertuples(index=False)
    )
    n = len(ds.sources)
    return (
        f"{n} source{'s' if n != 1 else ''} published{when} ({names}); "
        f"{len(cited)} rows cite a passage of them ({tables})."
    )


def sources_table(ds) -> pd.DataFrame:
    """The sources with their provenance: who published, when and how that date is known.

    >>> import helpers
    >>> sources_table(helpers.load()).loc["aa-2021-01-11", "date known from"]
    'context'
    """
    frame = ds.sources.set_index("source_id")
    kinds = frame["url_kind"] if "url_kind" in frame else [None] * len(frame)
    table = pd.DataFrame(
        {
            "publisher": frame["publisher"],
            "title (verbatim)": [with_sic(t) for t in frame["title"]],
            "published": [format_date(v) for v in frame["published"]],
            "date known from": frame["published_origin"],
            "how the date is known": frame["published_basis"],
            "kind of outlet": frame["outlet_kind"],
            # Country and ownership as notebook 04 shows them: two facts, from sources.csv.
            "country": frame.get("country", ""),
            "ownership": frame.get("ownership", ""),
            "perspective": frame["perspective"],
            "checksum of the stored text": frame["text_sha256"].str[:12] + "…",
            "where to read it": [
                where_to_read(url, kind) for url, kind in zip(frame["url"], kinds, strict=True)
            ],
            "address": frame["url"],
        }
    )
    table.index.name = "source_id"
    return table


def where_to_read(url, kind) -> str:
    """What the link to a source opens, in a reader's words.

    >>> where_to_read("https://www.tass.com/politics/1", None)
    'tass.com'
    >>> where_to_read("https://www.middleeastpressreleases.com/x/", "reprint")[:40]
    'a reprint of the text, on another site ('
    >>> where_to_read(None, None)
    'no web address known'
    """
    if not _address(url):
        return "no web address known"
    if kind == "reprint":
        return "a reprint of the text, on another site (the publisher's own address was not found)"
    return domain(url)


def whole_texts(ds) -> pd.DataFrame:
    """The sources stored as whole texts (``text_scope`` full), not as cited passages only.

    A sentence-by-sentence reading, and its gaps, only mean something for a whole text:
    an excerpt holds nothing but the passages already cited.

    >>> import helpers
    >>> whole_texts(helpers.load())["source_id"].tolist()
    ['aa-2021-01-11']
    """
    sources = ds.sources
    if "text_scope" in sources:
        sources = sources.loc[sources["text_scope"].fillna("full") == "full"]
    return sources


def readings(ds) -> list[Reading]:
    """An annotated reading of every whole-text source (:func:`whole_texts`), by date."""
    ordered = whole_texts(ds).sort_values(["published", "source_id"])
    return [annotated_reading(ds, s) for s in ordered["source_id"]]


def gaps(ds) -> pd.DataFrame:
    """Sentences, in every whole-text source, that feed no row: what the extraction left out.

    >>> import helpers
    >>> gaps(helpers.load()).empty
    True
    """
    frames = [r.gaps.assign(source_id=r.source_id) for r in readings(ds)]
    columns = ["source_id", "n", "sentence"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def sentence_table(ds) -> pd.DataFrame:
    """Every sentence of every source with the rows it feeds, flat, for a CSV.

    >>> import helpers
    >>> sentence_table(helpers.load()).columns.tolist()
    ['source_id', 'n', 'sentence', 'rows', 'feeds']
    """
    records = []
    for r in readings(ds):
        for row in r.frame.itertuples(index=False):
            feeds = "; ".join(f"{t}: {ids}" for t, ids in row.feeds.items())
            records.append((r.source_id, row.n, row.sentence, row.rows, feeds))
    return pd.DataFrame(records, columns=["source_id", "n", "sentence", "rows", "feeds"])


def references_table(ds) -> pd.DataFrame:
    """Every outside reference with its date, address and whether it was checked.

    >>> import helpers
    >>> t = references_table(helpers.load())
    >>> list(t.columns)
    ['reference', 'publisher', 'title', 'published', 'address', 'checked', 'how checked']
    """
    rows = []
    for r in ds.references.itertuples(index=False):
        rows.append(
            {
                "reference": r.reference_id,
                "publisher": r.publisher,
                "title": r.title,
                "published": format_date(r.published, r.published_prec or "day"),
                "address": r.url if isinstance(r.url, str) else "",
                "checked": "checked" if r.checked else "NOT CHECKED",
                "how checked": getattr(r, "checked_how", "") if r.checked else "",
            }
        )
    columns = ["reference", "publisher", "title", "published", "address", "checked"]
    return pd.DataFrame(rows, columns=[*columns, "how checked"])


def _no_reference(ds) -> str:
    return f"The kit holds no outside reference{published_by(ds)}."


#: What each of notebook 00's tables leaves out when the view holds no source: the
#: sentence it shows instead ("The kit holds no source published by …, so there is …").
_WITHOUT_SOURCES = {
    "sources": "no source to list",
    "gaps": "no sentence to read",
    "counts": "no wording to count",
    "vague": "no claim or report whose claimant to check",
    "typos": "no text in which to look for a typo",
}


def when_empty(ds, view: str) -> str:
    """The sentence notebook 00's table ``view`` shows when it has no rows: what is
    missing, as of the view's date ("sources", "gaps", "counts", "vague", "typos",
    "duplicates", "references").

    A table is not "complete" for want of anything to read: with no source published
    by the view's date, it says so rather than "every sentence feeds a row".

    >>> import helpers
    >>> print(when_empty(helpers.load().as_of("2020-10-10"), "gaps"))
    The kit holds no source published by 10 October 2020, so there is no sentence to read.
    >>> print(when_empty(helpers.load().as_of("1991-12-10"), "duplicates"))
    ... # doctest: +NORMALIZE_WHITESPACE
    The kit knows no event from what was published by 10 December 1991, so there are no
    two to compare.
    >>> print(when_empty(helpers.load(), "vague"))
    Every claim in the sources loaded names its claimant.
    """
    by = published_by(ds)
    if view == "references":
        return _no_reference(ds)
    if view == "duplicates":
        if len(ds.events) >= 2:
            known = f" known from what was{by}" if by else ""
            return f"No two events{known} look like one event entered twice."
        from ..data.wording import count

        known = count(len(ds.events), "event") if len(ds.events) else "no event"
        frm = f" from what was{by}" if by else ""
        return f"The kit knows {known}{frm}, so there are no two to compare."
    if ds.sources.empty:
        return f"The kit holds no source{by}, so there is {_WITHOUT_SOURCES[view]}."
    loaded = by or " loaded"
    return {
        "sources": f"The kit holds no source{by}.",
        "gaps": f"Every sentence of the sources{loaded} feeds at least one row.",
        "counts": f"The glossary records no wording in the sources{loaded}.",
        "vague": f"Every claim in the sources{loaded} names its claimant.",
        "typos": f"The glossary records no typo in the sources{loaded}.",
    }[view]


def unchecked_references(ds) -> str:
    """A plain Markdown list of the references nobody has checked against the original.

    >>> import helpers
    >>> unchecked_references(helpers.load().as_of("1990-01-01"))
    'The kit holds no outside reference published by 1 January 1990.'
    """
    if ds.references.empty:
        return _no_reference(ds)
    todo = ds.references.loc[~ds.references["checked"]]
    if todo.empty:
        return f"All {len(ds.references)} outside references have been checked."
    verb = "is" if len(todo) == 1 else "are"
    lines = [f"{len(todo)} of {len(ds.references)} outside references {verb} not yet checked:"]
    for r in todo.itertuples(index=False):
        link = f" ([{domain(r.url)}]({r.url}))" if _address(r.url) else ""
        lines.append(f"- {r.publisher}, {quoted(r.title)}{link}")
    return "\n".join(lines)


def _address(url) -> bool:
    return isinstance(url, str) and url.startswith(("http://", "https://"))


def bottom_line(ds) -> str:
    """The reading notebook's bottom line, computed from the sources this build loaded.

    >>> import helpers
    >>> print(bottom_line(helpers.load().as_of("2020-12-31")))
    The kit holds no source published by 31 December 2020, so there is nothing to read yet.
    >>> "rows cite" in bottom_line(helpers.load())
    True
    """
    when = f" by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
    if ds.sources.empty:
        return f"The kit holds no source published{when}, so there is nothing to read yet."
    cited = pd.concat([rows_citing(ds, s) for s in ds.sources["source_id"]], ignore_index=True)
    unused = len(gaps(ds))
    loaded = ds.glossary.loc[ds.glossary["category"] == "loaded_term"]
    publishers = ", ".join(sorted(set(ds.sources["publisher"])))
    from ..data.wording import count

    them = "it" if len(ds.sources) == 1 else "them"
    return (
        f"**{count(len(ds.sources), 'source')} loaded** ({publishers}); "
        f"{count(len(cited), 'row cites', 'rows cite')} an exact passage of {them}, and "
        f"{count(unused, 'sentence feeds', 'sentences feed')} no row. The glossary lists "
        f"{count(len(loaded), 'loaded term')} in {them}, each with whose framing it is and the "
        f"neutral wording the kit uses instead. {references_status(ds)}"
    )


def references_status(ds) -> str:
    """How many outside references were checked against a stored copy, and how many rows
    rest on the others (a reference that no row cites backs nothing the kit shows).

    >>> import helpers
    >>> print(references_status(helpers.load().as_of("1990-01-01")))
    The kit holds no outside reference published by 1 January 1990.
    """
    from ..data.schema import SOURCED_TABLES
    from ..data.wording import count

    refs = ds.references
    if refs.empty:
        return _no_reference(ds)
    todo = refs.loc[~refs["checked"], "reference_id"].tolist()
    done = len(refs) - len(todo)
    text = (
        f"Of {count(len(refs), 'outside reference')}, {done} "
        f"{'was' if done == 1 else 'were'} checked against a stored copy"
    )
    if not todo:
        return text + "."
    resting = sum(
        int(getattr(ds, name)["reference_id"].isin(todo).sum()) for name in SOURCED_TABLES
    )
    shown = ", ".join(todo[:3]) + (", …" if len(todo) > 3 else "")
    rows = (
        f"{count(resting, 'row rests', 'rows rest')} on {'it' if len(todo) == 1 else 'them'}"
        if resting
        else f"no row cites {'it' if len(todo) == 1 else 'them'}"
    )
    return f"{text}; {count(len(todo), 'is', 'are')} not ({shown}), and {rows}."


def _attributed_passages(ds, source_id: str) -> list[str]:
    """The source's passages that report someone it names: its quotations, and its claims
    with a named claimant other than the source itself."""
    claims = ds.claims.loc[
        (ds.claims["source_id"] == source_id) & (ds.claims["attribution"] == "named")
    ]
    quotes = ds.quotes.loc[ds.quotes["source_id"] == source_id]
    return [str(p) for p in pd.concat([claims["passage"], quotes["passage"]]).dropna()]


def _own_voice(ds, glossary: pd.DataFrame, source_id: str):
    """The glossary's loaded terms a source uses in its own voice, those it reports in a
    speaker's words, and the names for the place it uses in its own voice that the kit
    does not (one side's name, or another language's): ``(loaded, reported, names)``.

    A term inside a passage the source attributes to someone it names (a speaker it
    quotes or reports) is that speaker's word, not the source's own voice.
    """
    own = glossary.loc[glossary["source_id"] == source_id]
    spoken = _attributed_passages(ds, source_id)
    quoted = own["passage"].map(lambda p: any(str(p) in q for q in spoken)).astype(bool)
    mine = own.loc[~quoted]
    loaded = mine.loc[mine["category"] == "loaded_term"]
    reported = own.loc[quoted & (own["category"] == "loaded_term")]
    names = mine.loc[(mine["category"] == "naming") & (mine["term"] != mine["neutral_alternative"])]
    return loaded, reported, names


def _other_names(names: pd.DataFrame) -> str:
    """'calls the place “Artsakh” (Armenian usage) where the kit writes “Nagorno-Karabakh”'."""
    said = [
        f"“{row.term}” ({str(row.whose_framing).split(' (')[0]})"
        if isinstance(row.whose_framing, str)
        else f"“{row.term}”"
        for row in names.itertuples(index=False)
    ]
    kit = "”, “".join(dict.fromkeys(names["neutral_alternative"]))
    return f"calls the place {' and '.join(said)}, where the kit writes “{kit}”"


def finding(ds) -> str:
    """What the close reading finds, in words a reader can use: whose words each source
    uses in its own voice, which statements rest on unnamed sources, and whether any
    sentence was left out of the tables. Computed from the glossary and the claims.

    >>> import helpers
    >>> text = finding(helpers.load())
    >>> "“liberated”" in text and "sources and officials" in text
    True
    >>> print(finding(helpers.load().as_of("2020-12-31")))
    The kit holds no source published by 31 December 2020, so there is nothing to read yet.
    """
    from ..data.wording import count

    when = f" by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
    if ds.sources.empty:
        return f"The kit holds no source published{when}, so there is nothing to read yet."
    glossary, vague = ds.glossary, vague_attributions(ds)
    parts = []
    for source in ds.sources.sort_values("published").head(3).itertuples(index=False):
        loaded, reported, names = _own_voice(ds, glossary, source.source_id)
        words = ", ".join(f"“{t}”" for t in loaded["term"].head(4))
        unnamed = vague.loc[vague["source_id"] == source.source_id, "claimant"]
        text = f"**{source.publisher}** ({format_date(source.published)})"
        text += (
            # Whose usage each word is varies (one side's, or, like "martyred", an honorific
            # both sides' officials use): the framing audit gives each row's; a summary of
            # them here would be wrong for some.
            f" uses {count(len(loaded), 'loaded term')} in its own voice ({words}); the "
            f"framing audit gives whose usage each is, and the kit writes neutral words instead"
            if len(loaded)
            else " uses no loaded term the glossary records in its own voice"
        )
        if len(names):
            text += ("; it also" if len(loaded) else ", but") + " " + _other_names(names)
        if len(reported):
            said = ", ".join(f"“{t}”" for t in reported["term"].head(4))
            text += (
                f", and reports {count(len(reported), 'loaded term')} in a speaker's words ({said})"
            )
        if len(unnamed):
            text += (
                f". {count(len(unnamed), 'statement rests', 'statements rest')} on unnamed or "
                f"vague sources ({'; '.join(unnamed)})"
            )
        parts.append(text + ".")
    if len(ds.sources) > 3:
        # Not "below": the index's card repeats this line, and nothing below it reads them.
        parts.append(f"(The full report reads the other {len(ds.sources) - 3} sources too.)")
    left_out = len(gaps(ds))
    parts.append(
        "Every sentence feeds at least one row of the kit's tables."
        if not left_out
        else f"{count(left_out, 'sentence feeds', 'sentences feed')} no row (listed below)."
    )
    return " ".join(parts)
