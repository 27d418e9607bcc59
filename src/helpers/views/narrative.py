"""Write the sequence of events as cited prose, generated from the tables.

Every sentence carries its citations (the source and exact passage, or the
outside reference), dates are phrased at their precision ("in 1991", "in
November 2020", "on 10 November 2020", "between ... and ..."), claims keep their
claimant, quotations are reproduced exactly, and sentences from outside the
article are marked as context. :func:`build` returns a :class:`Narrative`, which
renders as an essay with numbered footnotes in JupyterLab and in HTML reports
(``_repr_html_``, built from escaped text only), and as Markdown or plain text
elsewhere.

>>> import helpers
>>> story = build(helpers.load())
>>> [s.title for s in story.sections]
['The sequence', 'The meeting itself']
>>> first = story.sentences()[0]
>>> print(first.text)
Armenian forces take control of Nagorno-Karabakh and the seven surrounding districts
between January 1992 and May 1994, as dated from sources outside the article.
>>> first.citations[0].origin
'article'
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field

import pandas as pd

from .html import html_text
from .provenance import (
    QUOTED,
    attributed,
    cite,
    format_date,
    phrase_date,
    with_dual_names,
)
from .tables import linked


@dataclass(frozen=True)
class Citation:
    """Where a sentence comes from: one line a reader can check."""

    text: str
    origin: str  # "article" or "context"


@dataclass(frozen=True)
class Sentence:
    """One sentence of the narrative and what it rests on.

    ``row`` names the table row the wording comes from (for error messages and
    tests), ``quote`` the exact quotation it reproduces, if any.
    """

    text: str
    citations: tuple[Citation, ...]
    context: bool = False
    when: pd.Timestamp | None = None
    kind: str = "event"
    row: tuple[str, str, str] | None = None  # (table, id, column)
    quote: str | None = None
    lead: bool = False

    def __post_init__(self):
        if not self.citations:
            raise ValueError(f"narrative: a sentence without a citation: {self.text!r}")
        # A sentence resting only on outside references is context, whatever it says.
        if all(c.origin == "context" for c in self.citations):
            object.__setattr__(self, "context", True)


@dataclass
class Section:
    """A titled part of the narrative: paragraphs of sentences."""

    title: str
    paragraphs: list[list[Sentence]] = field(default_factory=list)


class Narrative:
    """A cited essay: sections of paragraphs of sentences, with numbered footnotes.

    Footnotes are numbered in order of first use; a citation used twice keeps
    its number.
    """

    def __init__(self, sections: list[Section], title: str = ""):
        self.sections = sections
        self.title = title
        self._numbers: dict[Citation, int] = {}
        for sentence in self.sentences():
            for citation in sentence.citations:
                self._numbers.setdefault(citation, len(self._numbers) + 1)
        digest = hashlib.sha256(str(self._numbers).encode()).hexdigest()[:8]
        # Anchors unique per narrative, so two narratives on one page never collide.
        self._anchor = f"kit-narrative-{digest}"

    def sentences(self) -> list[Sentence]:
        """Every sentence, in reading order."""
        return [s for sec in self.sections for para in sec.paragraphs for s in para]

    def footnotes(self) -> list[Citation]:
        """The citations, in footnote order."""
        return list(self._numbers)

    def numbers(self, sentence: Sentence) -> list[int]:
        """The footnote numbers of one sentence."""
        return [self._numbers[c] for c in sentence.citations]

    # ------------------------------------------------------------------ renderers
    def __str__(self) -> str:
        lines = [self.title, ""] if self.title else []
        for section in self.sections:
            lines += [section.title, ""]
            for para in section.paragraphs:
                lines.append(
                    " ".join(
                        ("[context] " if s.context else "")
                        + s.text
                        + " "
                        + "".join(f"[{n}]" for n in self.numbers(s))
                        for s in para
                    )
                )
                lines.append("")
        lines += ["Notes", ""]
        lines += [f"[{n}] {c.text}" for c, n in self._numbers.items()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        # The plain-text output of a notebook cell: the whole essay, not an object address.
        return str(self)

    def _repr_markdown_(self) -> str:
        # Data text is escaped twice over: HTML entities (Markdown passes raw HTML
        # through) and Markdown punctuation (so a '*' in a source stays a '*').
        out = [f"### {_md(self.title)}", ""] if self.title else []
        for section in self.sections:
            out += [f"#### {_md(section.title)}", ""]
            for para in section.paragraphs:
                parts = []
                for s in para:
                    text = ("*[context]* " if s.context else "") + (
                        f"**{_md(s.text)}**" if s.lead else _md(s.text)
                    )
                    parts.append(text + f"<sup>{','.join(map(str, self.numbers(s)))}</sup>")
                out += [" ".join(parts), ""]
        out += ["#### Notes", ""]
        out += [f"{n}. {_md(c.text)}" for c, n in self._numbers.items()]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        a = self._anchor
        out = [f'<article class="kit-narrative" id="{a}">', _STYLE]
        if self.title:
            out.append(f"<h3>{html_text(self.title)}</h3>")
        # Headings in order (shown under a notebook's "##"): h3 unless under a title.
        h = "h4" if self.title else "h3"
        for section in self.sections:
            out.append(f"<{h}>{html_text(section.title)}</{h}>")
            for para in section.paragraphs:
                parts = []
                for s in para:
                    body = html_text(s.text)
                    if s.lead:
                        body = f"<strong>{body}</strong>"
                    if s.context:
                        body = (
                            '<span class="kit-context" title="From outside the article">'
                            f'<span class="kit-context-tag">context</span> {body}</span>'
                        )
                    refs = (
                        "<sup>"
                        + ",".join(
                            f'<a href="#{a}-fn-{n}" title="{html_text(c.text)}">{n}</a>'
                            for c, n in zip(s.citations, self.numbers(s), strict=True)
                        )
                        + "</sup>"
                    )
                    parts.append(f'<span class="kit-sentence">{body}{refs}</span>')
                out.append("<p>" + " ".join(parts) + "</p>")
        out.append(f'<{h}>Notes</{h}><ol class="kit-notes">')
        # Notes are escaped like every text, their web addresses made short links.
        out += [f'<li id="{a}-fn-{n}">{linked(c.text)}</li>' for c, n in self._numbers.items()]
        out.append("</ol></article>")
        return "\n".join(out)


_STYLE = """<style>
.kit-narrative { max-width: 46rem; line-height: 1.5; }
.kit-narrative .kit-context { color: #444; font-style: italic; }
.kit-narrative .kit-context-tag { font-style: normal; font-size: 0.75em; border: 1px dashed #666;
  padding: 0 0.25em; text-transform: uppercase; letter-spacing: 0.05em; }
.kit-narrative sup a { text-decoration: none; padding-left: 0.1em; }
.kit-narrative .kit-notes { font-size: 0.85em; color: #333; }
table.kit-table td, table.kit-table th { text-align: left !important; vertical-align: top; }
</style>"""


class Table:
    """A table shown in full: every cell escaped, nothing cut short, left-aligned.

    pandas' own display shortens long cells with "…", which would cut citations.

    >>> t = Table(pd.DataFrame({"who": ["<b>A</b>"]}))
    >>> "&lt;b&gt;A&lt;/b&gt;" in t._repr_html_()
    True
    """

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def _repr_html_(self) -> str:
        # Escaped (web addresses made short links), so pandas must not escape again.
        safe = self.frame.map(linked).rename(columns=html_text)
        return _STYLE + safe.to_html(index=False, escape=False, border=0, classes="kit-table")

    def __str__(self) -> str:
        return self.frame.to_string(index=False)

    def __repr__(self) -> str:
        return str(self)


def _md(value) -> str:
    """Escape data text for Markdown: ``& < >`` as entities, then Markdown punctuation.

    >>> _md("<b>*x*</b> & it's #1")
    "&lt;b&gt;\\\\*x\\\\*&lt;/b&gt; &amp; it's \\\\#1"
    """
    if _missing(value):
        return ""
    # quote=False: entities like &#x27; would carry a '#' that the next step escapes.
    return re.sub(r"([\\`*_\[\]{}#|!~])", r"\\\1", html.escape(str(value), quote=False))


def _sentence(text: str) -> str:
    """Capitalise the first letter and end with one full stop (or other end mark)."""
    text = " ".join(str(text).split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?”’" or text.endswith((".)", ".'")) else text + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _strip_period(text) -> str:
    return " ".join(str(text).split()).rstrip(".")


def _missing(value) -> bool:
    return value is None or (not isinstance(value, (str, tuple)) and pd.isna(value))


# -------------------------------------------------------------------------- citations


def citation(ds, row) -> Citation:
    """The citation of a sourced row: the passage, or the reference, its checked status
    and the row's verbatim excerpt.

    >>> import helpers
    >>> ds = helpers.load()
    >>> row = ds.event_reports.set_index("report_id").loc["r-minsk-osce"]
    >>> print(citation(ds, row).text)  # doctest: +ELLIPSIS
    Context (not in the article): ...: “The Ministers agreed that the CSCE must play ...”
    """
    return Citation(cite(ds, row), row["origin"])


def with_quoted_passages(ds, text: str, cites: tuple[Citation, ...]) -> tuple[Citation, ...]:
    """``cites``, and the source sentences a note quotes beyond what they already show.

    A note that says what else a source reports, in its words (“Violations, however,
    have been reported …”), is footnoted to that sentence too, not only to the row it
    annotates. Quotations of three words or more are looked up word for word in the
    stored source texts; single quoted words are the source's wording under discussion,
    already cited.

    >>> import helpers
    >>> ds = helpers.load()
    >>> [c.text for c in with_quoted_passages(ds, "It says “reported in the past few weeks”.", ())]
    ... # doctest: +ELLIPSIS
    ['Anadolu Agency, 11 January 2021: “Violations, however, have been reported in the past ...”']
    """
    from .reading import sentences

    shown = " ".join(c.text for c in cites)
    found = list(cites)
    for match in QUOTED.finditer(text or ""):
        words = match.group(0)[1:-1].strip()
        if len(words.split()) < 3 or words in shown:
            continue
        for source_id, body in ds.texts.items():
            at = body.find(words)
            if at < 0:
                continue
            start, end = next((a, b) for a, b in sentences(body) if a <= at < b)
            row = {"origin": "article", "source_id": source_id, "passage": body[start:end]}
            extra = Citation(cite(ds, row), "article")
            if extra not in found:
                found.append(extra)
    return tuple(found)


def unquoted_loaded_terms(text: str, terms) -> list[str]:
    """Loaded terms that occur in ``text`` outside quotation marks.

    >>> unquoted_loaded_terms("Azerbaijan liberated towns; it calls them 'liberated'.",
    ...                       ["liberated", "occupied"])
    ['liberated']
    >>> unquoted_loaded_terms("Russia's note: “occupied” is one side's word.", ["occupied"])
    []
    """
    bare = QUOTED.sub(" ", text)
    return [t for t in terms if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", bare, re.IGNORECASE)]


# -------------------------------------------------------------------------- builders


def _actors(ds) -> pd.DataFrame:
    return ds.actors.set_index("actor_id")


def meeting_id(ds) -> str | None:
    """The event the meeting's agenda (``topics``) belongs to; None if no agenda is known.

    An as-of view from before the article has no agenda, hence no meeting section.
    """
    ids = ds.topics["event_id"].dropna()
    ids = ids[ids.isin(set(ds.events["event_id"]))]
    return None if ids.empty else str(ids.mode().iloc[0])


def _datings(reports: pd.DataFrame) -> int:
    keys = reports[["reported_date_start", "reported_date_end", "reported_date_prec"]]
    return len(keys.dropna(how="all").drop_duplicates())


def _report_text(ds, rep, disagree: bool) -> str | None:
    """How one report of an event reads, or None when it adds nothing to the lead.

    An outside report is attributed ("According to TASS, …"), its dating added only where
    sources disagree and its own words do not already give it; a source's report says how
    that source dates the event.
    """
    no_date = _missing(rep["reported_date_start"]) and _missing(rep["reported_date_end"])
    phrase = phrase_date(
        rep["reported_date_start"], rep["reported_date_end"], rep["reported_date_prec"]
    )
    if rep["origin"] == "context":
        wording = _strip_period(with_dual_names(rep["wording"], ds))
        who = rep["claimant"] if not _missing(rep["claimant"]) else "an outside source"
        known = [
            d for d in (rep["reported_date_start"], rep["reported_date_end"]) if not _missing(d)
        ]
        year = str(pd.Timestamp(known[0]).year) if known else None
        if disagree and year and year not in wording:
            wording += f" ({phrase})"
        return f"According to {who}, {wording}."
    if not disagree:
        return None
    source = ds.sources.set_index("source_id").loc[rep["source_id"]]
    whose = f"{source['publisher']}'s report of {format_date(source['published'])}"
    if no_date:
        return f"{whose} gives no date for it."
    if phrase.startswith("by "):
        return f"{whose} says it had happened {phrase}."
    return f"{whose} places it {phrase}."


def _report_sentences(ds, ev, reports: pd.DataFrame, disagree: bool) -> list[Sentence]:
    """One sentence per report that dates the event differently or comes from outside."""
    out = []
    for _, rep in reports.iterrows():
        text = _report_text(ds, rep, disagree)
        if text is None:
            continue
        out.append(
            Sentence(
                text,
                (citation(ds, rep),),
                context=rep["origin"] == "context",
                when=ev.date_start,
                kind="report",
                row=("event_reports", rep["report_id"], "wording"),
            )
        )
    return out


def _event_paragraph(ds, ev, meeting: str | None) -> list[Sentence]:
    reports = ds.event_reports[ds.event_reports["event_id"] == ev.event_id]
    # The article's reports first, in the article's order; then outside references by date.
    reports = reports.assign(_at=[_position(ds, r) for _, r in reports.iterrows()])
    reports = reports.sort_values(["origin", "_at", "reported_date_start"], na_position="first")
    if reports.empty:
        raise ValueError(
            f"narrative: event {ev.event_id!r} (events.csv) has no row in event_reports.csv, "
            "so nothing can be cited for it; add the report that describes it"
        )
    context_event = ev.origin == "context"
    own = reports[reports["origin"] == ev.origin]
    lead_cites = tuple(citation(ds, r) for _, r in (own if len(own) else reports).iterrows())
    when = phrase_date(ev.date_start, ev.date_end, ev.date_prec)
    dated_outside = ev.origin == "article" and ev.date_origin == "context"
    cutoff = pd.Timestamp(ds.as_of_date) if ds.as_of_date else None
    # An as-of view ends an event still under way at its date (Dataset.as_of): it is
    # phrased from its start, and said to be under way, not finished.
    still_open = cutoff is not None and bool(getattr(ev._s, "get", lambda *_: False)("ongoing"))
    if still_open and not _missing(ev.date_start):
        when = f"from {format_date(ev.date_start, _day_or(ev.date_prec))}"
    label = _strip_period(with_dual_names(ev.label, ds))
    text = f"{label} {when}"
    if dated_outside:
        text += ", as dated from sources outside the article"
    text += "."
    if still_open:
        text += (
            f" On {format_date(cutoff)}, the date of this view, it was still under way;"
            " how it ended was not yet known."
        )
    out = [
        Sentence(
            _sentence(text),
            lead_cites,
            context=context_event,
            when=ev.date_start,
            kind="event",
            row=("events", ev.event_id, "label"),
            lead=True,
        )
    ]
    disagree = _datings(reports) > 1
    out += _report_sentences(ds, ev, reports, disagree)
    if still_open:
        out.append(
            Sentence(
                "Its full dating rests on reports published after the date of this view, "
                "which leaves them out.",
                lead_cites,
                when=ev.date_start,
                kind="dating",
                row=("events", ev.event_id, "date_end"),
            )
        )
    elif disagree or dated_outside:
        basis = _strip_period(ev.date_basis) if not _missing(ev.date_basis) else "not recorded"
        # The sentence is already marked as context; the data's own "Context:" prefix would
        # say it twice.
        # "Context reference (…)" loses its bracket pair; any other bracket is the data's own.
        opened = re.match(r"^context( reference)?\s*\(", basis, flags=re.I)
        basis = re.sub(r"^context( reference)?\s*[:.(]\s*", "", basis, flags=re.I)
        if opened:
            basis = basis.removesuffix(")")
        basis = with_dual_names(basis, ds)
        basis = basis[:1].lower() + basis[1:] if basis[1:2].islower() else basis
        label = "The kit dates it this way" + (
            ", drawing on sources outside the article" if ev.date_origin == "context" else ""
        )
        context_cites = tuple(
            citation(ds, r) for _, r in reports.iterrows() if r["origin"] == "context"
        )
        out.append(
            Sentence(
                f"{label}: {basis}.",
                context_cites or lead_cites,
                context=ev.date_origin == "context",
                when=ev.date_start,
                kind="dating",
                row=("events", ev.event_id, "date_basis"),
            )
        )
    notes = []
    for _, rep in reports[reports["origin"] == "article"].iterrows():
        if not _missing(rep["framing_note"]):
            notes.append(
                Sentence(
                    f"A word on the source's wording: {_strip_period(rep['framing_note'])}.",
                    with_quoted_passages(ds, rep["framing_note"], (citation(ds, rep),)),
                    when=ev.date_start,
                    kind="framing",
                    row=("event_reports", rep["report_id"], "framing_note"),
                )
            )
    if ev.event_id != meeting:
        out += _said(ds, ev.event_id, ev.date_start)
    out += notes
    if not _missing(ev.note):
        out.append(
            Sentence(
                # The note keeps its own capital: it may open with a name.
                f"One caution: {_strip_period(ev.note)}.",
                with_quoted_passages(ds, ev.note, lead_cites),
                context=context_event,
                when=ev.date_start,
                kind="caveat",
                row=("events", ev.event_id, "note"),
            )
        )
    return out


def _position(ds, row) -> int:
    """Where a row's passage stands in its source text (context rows and misses last)."""
    body = ds.texts.get(row["source_id"], "") if not _missing(row["source_id"]) else ""
    found = body.find(row["passage"]) if isinstance(row["passage"], str) else -1
    return found if found >= 0 else len(body) + 1


def _said(ds, event_id: str, when) -> list[Sentence]:
    """Claims and quotations about one event, in the order the source gives them.

    A claim whose passage lies inside a quotation already reproduced is not
    restated; only its caveat follows the quotation.
    """
    items = []
    quotes = ds.quotes[ds.quotes["event_id"] == event_id]
    quoted = [(q["source_id"], q["text"]) for _, q in quotes.iterrows()]
    for _, q in quotes.iterrows():
        items.append((_position(ds, q), -1, 0, q))  # worded below, once the order is known
    for seq, (_, claim) in enumerate(ds.claims[ds.claims["event_id"] == event_id].iterrows()):
        cites = (citation(ds, claim),)
        ctx = claim["origin"] == "context"
        at = _position(ds, claim)
        covered = isinstance(claim["passage"], str) and any(
            src == claim["source_id"] and claim["passage"] in text for src, text in quoted
        )
        if not covered:
            text = with_dual_names(attributed(claim, "sentence"), ds)
            items.append(
                (
                    at,
                    seq,
                    1,
                    Sentence(
                        text,
                        cites,
                        context=ctx,
                        when=when,
                        kind="claim",
                        row=("claims", claim["claim_id"], "statement"),
                    ),
                )
            )
        if not _missing(claim["caveat"]):
            head = "On the quoted words" if covered else "A caution"
            items.append(
                (
                    at,
                    seq,
                    2,
                    Sentence(
                        f"{head}: {_strip_period(claim['caveat'])}.",
                        with_quoted_passages(ds, claim["caveat"], cites),
                        context=ctx,
                        when=when,
                        kind="caveat",
                        row=("claims", claim["claim_id"], "caveat"),
                    ),
                )
            )
    ordered = [item for *_, item in sorted(items, key=lambda item: item[:3])]
    return _with_quotes_worded(ds, ordered, when)


def _with_quotes_worded(ds, ordered: list, when) -> list[Sentence]:
    """The quotation rows among ``ordered`` as sentences, each speaker introduced once.

    The first quotation of a speaker from one source says whether the words are the
    source's English rendering; later ones from the same source say "also said", so
    a paragraph of several quotations does not repeat the whole clause each time.
    """
    actors = _actors(ds)
    introduced: set[tuple] = set()
    out = []
    for item in ordered:
        if isinstance(item, Sentence):
            out.append(item)
            continue
        q = item
        speaker = (
            actors.loc[q["speaker_id"], "name"]
            if q["speaker_id"] in actors.index
            else q["speaker_id"]
        )
        translated = bool(q["translated"])
        source = q["reference_id"] if _missing(q["source_id"]) else q["source_id"]
        key = (speaker, translated, source)  # NaN ids would never compare equal
        if key in introduced:
            lead = f"{speaker} also said" + (
                ", again in the source's English rendering" if translated else ""
            )
        else:
            introduced.add(key)
            lead = f"{speaker} said" + (
                " (in the source's English rendering; the original words are not given)"
                if translated
                else ""
            )
        out.append(
            Sentence(
                f"{lead}: “{q['text']}”.",
                (citation(ds, q),),
                context=q["origin"] == "context",
                when=when,
                kind="quote",
                row=("quotes", q["quote_id"], "text"),
                quote=q["text"],
            )
        )
    return out


def _roles(role: str) -> str:
    """'mediator of X; party to Y' -> 'mediator of X and party to Y'.

    >>> _roles("mediator of the agreement; party to the meeting; host")
    'mediator of the agreement, party to the meeting and host'
    """
    parts = [p.strip() for p in _strip_period(role).split(";") if p.strip()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _day_or(precision) -> str:
    return precision if precision in {"month", "year"} else "day"


def _name_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'; semicolons only where an item holds a comma.

    >>> _name_list(["border lines", "humanitarian problems", "cultural heritage"])
    'border lines, humanitarian problems and cultural heritage'
    """
    if len(items) <= 2:
        return " and ".join(items)
    if any("," in item for item in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _meeting_paragraphs(ds, meeting: str) -> list[list[Sentence]]:
    ev = ds.events.set_index("event_id").loc[meeting]
    when = ev["date_start"]
    actors = _actors(ds)
    involved = [a for a in ev["actor_ids"] if a in actors.index]
    paragraphs = []

    people = [a for a in involved if actors.loc[a, "kind"] == "person"]
    if people:
        names = [
            f"{actors.loc[a, 'name']} ({actors.loc[a, 'role']})"
            if not _missing(actors.loc[a, "role"])
            else actors.loc[a, "name"]
            for a in people
        ]
        rows = [actors.loc[a].copy() for a in people]
        paragraphs.append(
            [
                Sentence(
                    f"Present, as the sources name them, were {_name_list(names)}.",
                    tuple(dict.fromkeys(citation(ds, r) for r in rows)),
                    context=all(r["origin"] == "context" for r in rows),
                    when=when,
                    kind="attendance",
                    row=("events", meeting, "actor_ids"),
                )
            ]
        )

    roles = []
    for a in dict.fromkeys(
        involved + [x for x in actors.index if "mediat" in str(actors.loc[x, "role"]).lower()]
    ):
        row = actors.loc[a]
        if row["kind"] == "person" or _missing(row["role"]):
            continue
        roles.append(
            Sentence(
                f"{row['name']} appears in the sources as "
                f"{_roles(with_dual_names(row['role'], ds))}.",
                (citation(ds, row),),
                context=row["origin"] == "context",
                when=when,
                kind="role",
                row=("actors", a, "role"),
            )
        )
    if roles:
        paragraphs.append(roles)

    said = _said(ds, meeting, when)
    if said:
        paragraphs.append(said)

    topics = ds.topics[ds.topics["event_id"] == meeting]
    agenda = []
    for raiser, group in topics.groupby("raised_by_id", dropna=False, sort=False):
        who = actors.loc[raiser, "name"] if raiser in actors.index else "The sources"
        # A topic the speaker singled out is told in its own sentence, with his words;
        # the list holds the topics he said would be discussed.
        listed = group[group["emphasis"].isna()]
        if len(listed):
            agenda.append(
                Sentence(
                    f"{who} said the leaders would discuss {_name_list(list(listed['topic']))}.",
                    tuple(dict.fromkeys(citation(ds, r) for _, r in listed.iterrows())),
                    context=bool((listed["origin"] == "context").all()),
                    when=when,
                    kind="topic",
                    row=("topics", listed["topic_id"].iloc[0], "topic"),
                )
            )
        for _, t in group[group["emphasis"].notna()].iterrows():
            emphasis = t["emphasis"]
            shown = (
                f"“{emphasis}”"
                if isinstance(t["passage"], str) and emphasis in t["passage"]
                else emphasis
            )
            agenda.append(
                Sentence(
                    f"{who} called {t['topic']} {shown}.",
                    (citation(ds, t),),
                    context=t["origin"] == "context",
                    when=when,
                    kind="topic",
                    row=("topics", t["topic_id"], "emphasis"),
                )
            )
    if agenda:
        paragraphs.append(agenda)

    decided = []
    for _, t in topics[topics["assigned_to_id"].notna()].iterrows():
        who = (
            actors.loc[t["raised_by_id"], "name"]
            if t["raised_by_id"] in actors.index
            else "the sources"
        )
        body = actors.loc[t["assigned_to_id"]]
        decided.append(
            Sentence(
                f"The one decision the article reports is in {who}'s words: work on "
                f"{t['topic']} is planned to be carried out by the "
                f"{_lower_first(body['name'])}.",
                tuple(dict.fromkeys([citation(ds, t), citation(ds, body)])),
                context=t["origin"] == "context",
                when=when,
                kind="decision",
                row=("topics", t["topic_id"], "assigned_to_id"),
            )
        )
    # Outside records of the meeting's decisions are told in the meeting's own paragraph
    # (its context reports), so they are not repeated here.
    if decided:
        paragraphs.append(decided)
    return paragraphs


def build(ds) -> Narrative:
    """The narrative of the dataset: the sequence of events, then the meeting.

    Parameters
    ----------
    ds : Dataset
        From :func:`helpers.load`, possibly restricted with ``as_of``.

    Returns
    -------
    Narrative

    Raises
    ------
    ValueError
        If a sentence would use a loaded term (glossary category ``loaded_term``)
        outside quotation marks; the message names the table, row and column.
    """
    from .timeline import event_spans, visible_events

    meeting = meeting_id(ds)
    events = visible_events(ds).set_index("event_id")
    order = [e for e in event_spans(ds)["event_id"] if e in events.index]
    undated = [e for e in events.index if e not in order]
    sequence = Section("The sequence")
    for event_id in order + undated:
        ev = events.loc[event_id].copy()
        ev["event_id"] = event_id
        sequence.paragraphs.append(_event_paragraph(ds, _Row(ev), meeting))
    sections = [sequence]
    if meeting is not None and meeting in events.index:
        sections.append(Section("The meeting itself", _meeting_paragraphs(ds, meeting)))
    story = Narrative(sections)
    loaded = ds.glossary.loc[ds.glossary["category"] == "loaded_term", "term"].tolist()
    for sentence in story.sentences():
        found = unquoted_loaded_terms(sentence.text, loaded)
        if found:
            table, key, column = sentence.row or ("?", "?", "?")
            raise ValueError(
                f"narrative: {table}.csv row {key!r}, column {column}, would put the loaded "
                f"term(s) {found} outside quotation marks: {sentence.text!r}. Reword it with "
                "the glossary's neutral alternative, or quote and attribute it."
            )
    return story


class _Row:
    """Attribute access to a Series (event rows read like itertuples)."""

    def __init__(self, series: pd.Series):
        self._s = series

    def __getattr__(self, name):
        return self._s[name]


def actor_roles(ds) -> pd.DataFrame:
    """The actors and their roles in the process, each with where it comes from.

    Columns: ``actor, kind, role in the process, acts for, from, evidence``;
    states first, then people, organisations, armed forces and working groups.

    >>> import helpers
    >>> actor_roles(helpers.load().as_of("1990-01-01")).columns.tolist()
    ['actor', 'kind', 'role in the process', 'acts for', 'from', 'evidence']
    """
    actors = _actors(ds)
    order = {"state": 0, "person": 1, "organisation": 2, "armed_force": 3, "working_group": 4}
    rows = []
    for actor_id, row in actors.iterrows():
        parent = row["affiliation_id"]
        rows.append(
            {
                "actor": row["name"],
                "kind": str(row["kind"]).replace("_", " "),
                "role in the process": row["role"] if not _missing(row["role"]) else "",
                "acts for": actors.loc[parent, "name"] if parent in actors.index else "",
                "from": "article"
                if row["origin"] == "article"
                else "context (outside the article)",
                "evidence": citation(ds, row).text,
                "_order": (order.get(row["kind"], 9), actor_id),
            }
        )
    columns = ["actor", "kind", "role in the process", "acts for", "from", "evidence"]
    if not rows:  # an as-of view from before any source names an actor
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows).sort_values("_order").drop(columns="_order")
    return frame.reset_index(drop=True)


def datings(ds) -> pd.DataFrame:
    """Events the sources date differently: one row per report, dates phrased.

    >>> import helpers
    >>> d = datings(helpers.load())
    >>> d.loc[d["event"].str.startswith("Russian-brokered"), "date as reported"].tolist()
    ['on 10 November 2020', 'in November 2020', 'between 9 and 10 November 2020']
    """
    labels = ds.events.set_index("event_id")["label"]
    rows = []
    for event_id, reports in ds.event_reports.groupby("event_id", sort=False):
        if _datings(reports) < 2 or event_id not in labels.index:
            continue
        for _, rep in reports.iterrows():
            rows.append(
                {
                    "event": labels[event_id],
                    "who dates it": rep["claimant"],
                    "date as reported": phrase_date(
                        rep["reported_date_start"],
                        rep["reported_date_end"],
                        rep["reported_date_prec"],
                    ),
                    "precision": rep["reported_date_prec"]
                    if not _missing(rep["reported_date_prec"])
                    else "none given",
                    "from": "article" if rep["origin"] == "article" else "context",
                    "evidence": citation(ds, rep).text,
                }
            )
    return pd.DataFrame(
        rows, columns=["event", "who dates it", "date as reported", "precision", "from", "evidence"]
    )


def bottom_line(ds) -> str:
    """The narrative notebook's bottom line, computed from the events this build loaded.

    >>> import helpers
    >>> print(bottom_line(helpers.load().as_of("1990-01-01")))
    No event is known from the sources published by 1 January 1990.
    >>> "context" in bottom_line(helpers.load())
    True
    """
    when = f" by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
    events = ds.events
    if events.empty:
        return f"No event is known from the sources published{when}."
    context = int((events["origin"] == "context").sum())
    reports = ds.event_reports
    disputed = [e for e, group in reports.groupby("event_id") if _datings(group) > 1]
    first, last = events["date_start"].min(), events["date_end"].max()
    span = phrase_date(first, last, "year") if pd.notna(first) else "at dates not given"
    from ..data.wording import count

    text = (
        f"The sources loaded{when} tell a sequence of {count(len(events), 'event')} {span}; "
        f"{context} of them {'is' if context == 1 else 'are'} known only from outside the "
        f"article (context), and the sources date {len(disputed)} differently. "
    )
    if "ongoing" in events and events["ongoing"].any():
        ongoing = int(events["ongoing"].sum())
        text += (
            f"{ongoing} {'was' if ongoing == 1 else 'were'} still under way on "
            f"{format_date(ds.as_of_date)}. "
        )
    from .reading import references_status

    text += references_status(ds)
    return text
