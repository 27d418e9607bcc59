"""How each source told the Moscow meeting: five views for notebook 04, all computed.

The corpus is every stored source; ``sources.role`` says which are the primary record
(the Kremlin's transcript, the joint statement) and which are reports of it, and
``sources.side_id`` whose government or state agency published each (empty for
independent and international outlets).

* :func:`coverage` — which facts of the meeting (:data:`FACTS`) each source reports,
  from the claims whose ``metric`` names the fact; each cell keeps the claims' ids so a
  report can link it to its passage.
* :func:`voices` — whom each source quotes (``quotes``) or reports (``claims`` with a
  named claimant), and how many words it quotes.
* :func:`framing` — the glossary's words for places, the war and its outcome, found in
  each source's stored text, with whose usage each is.
* :func:`fidelity` — each outlet's rendering of a leader's words (``renderings``) set
  beside the primary transcript, word by word; a rendering in another language is
  compared through the kit's English translation and marked as such.
* :func:`omissions` — the facts the primary record or another side's official record
  holds that a report leaves out.

Every ``*_html`` function escapes the text it shows: a ``<script>`` in a source is
displayed, never run.

>>> import helpers
>>> ds = helpers.load()
>>> cov = coverage(ds)
>>> seed = cov.loc["aa-2021-01-11"]
>>> bool(seed["monitoring_centre"]), bool(seed["prisoners_of_war"])
(True, False)
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

import pandas as pd

from .html import html_text
from .provenance import format_date
from .tables import SCROLL_CUE


@dataclass(frozen=True)
class Fact:
    """A fact of the meeting a source may report: the claim metrics that carry it."""

    fact_id: str
    label: str
    metrics: tuple[str, ...]
    quantitative_only: bool = False


#: The facts of the meeting the coverage matrix asks about, in display order. A source
#: reports a fact when one of its claims has one of the fact's metrics (casualty figures:
#: a quantitative claim only — a figure, not a mention).
FACTS = (
    Fact("working_group", "working group of deputy prime ministers", ("working_group",)),
    Fact("people_returned", "48,000 returnees", ("people_returned",), True),
    Fact("prisoners_of_war", "prisoners of war", ("prisoners_of_war",)),
    Fact("status_question", "status question", ("status_question",)),
    Fact("peacekeepers", "peacekeepers", ("peacekeepers", "peacekeepers_deployed")),
    Fact("monitoring_centre", "monitoring centre", ("monitoring_centre",)),
    Fact(
        "casualty_figures",
        "casualty figures",
        ("military_deaths", "civilian_deaths", "deaths", "casualties", "wounded", "missing"),
        True,
    ),
)

#: How the corpus is grouped, in display order (``sources.side_id`` → group label).
SIDE_LABELS = {
    "russia": "Russian government and media",
    "armenia": "Armenian government and media",
    "azerbaijan": "Azerbaijani government and media",
    "turkey": "Turkish state media",
}
INDEPENDENT = "international and regional outlets"


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
    """The five views of notebook 04, by name, each with its table.

    >>> import helpers
    >>> sorted(views(helpers.load()))
    ['corpus', 'coverage', 'fidelity', 'framing', 'omissions', 'passages', 'voices']
    """
    return {
        "corpus": View(corpus_html(ds), corpus(ds)),
        "coverage": View(coverage_html(ds), coverage(ds)),
        "passages": View(passages_html(ds), coverage(ds)),
        "voices": View(voices_html(ds), voices(ds)),
        "framing": View(framing_html(ds), framing(ds)),
        "fidelity": View(fidelity_html(ds), fidelity(ds)),
        "omissions": View(omissions_html(ds), omissions(ds)),
    }


def source_label(row) -> str:
    """A short label for a source: publisher, date and language.

    >>> import helpers
    >>> source_label(helpers.load().sources.iloc[0])
    'Anadolu Agency, 11 January 2021 (en)'
    """
    return f"{row['publisher']}, {format_date(row['published'])} ({row['language']})"


def corpus(ds) -> pd.DataFrame:
    """The sources in display order: the primary record first, then reports by side.

    Columns: ``label``, ``role``, ``group``, ``language``, ``text_scope``, ``url``.

    >>> import helpers
    >>> table = corpus(helpers.load())
    >>> table["role"].iloc[0], table.loc["aa-2021-01-11", "group"]
    ('primary', 'Turkish state media')
    """
    sources = ds.sources.copy()
    role = sources["role"].fillna("report") if "role" in sources else "report"
    side = sources["side_id"] if "side_id" in sources else pd.Series(pd.NA, index=sources.index)
    group = [SIDE_LABELS.get(s, INDEPENDENT) if isinstance(s, str) else INDEPENDENT for s in side]
    order = {label: i for i, label in enumerate([*SIDE_LABELS.values(), INDEPENDENT])}
    scope = (
        sources["text_scope"] if "text_scope" in sources else pd.Series("full", index=sources.index)
    )
    table = pd.DataFrame(
        {
            "label": [source_label(r) for _, r in sources.iterrows()],
            "role": role,
            "group": group,
            "language": sources["language"],
            "text_scope": scope,
            "url": sources["url"],
            "_primary": [0 if r == "primary" else 1 for r in role],
            "_group": [order[g] for g in group],
            "_published": sources["published"],
        },
    )
    table.index = pd.Index(sources["source_id"], name="source_id")
    table = table.sort_values(["_primary", "_group", "_published", "label"])
    return table.drop(columns=["_primary", "_group", "_published"])


#: What ``sources.text_scope`` means, in a reader's words.
SCOPE_WORDS = {"full": "whole text", "excerpt": "passages cited only"}


def corpus_html(ds) -> str:
    """:func:`corpus` as a table: the source, its role and group, language, what is kept, link.

    >>> import helpers
    >>> html = corpus_html(helpers.load())
    >>> '<a href="http://en.kremlin.ru/d/64877">en.kremlin.ru</a>' in html
    True
    """
    table = corpus(ds)
    if table.empty:
        return "<p>No source in this build.</p>"
    rows = []
    for source_id, row in table.iterrows():
        url = row["url"] if isinstance(row["url"], str) else ""
        link = ""
        if url.startswith(("http://", "https://")):
            host = re.sub(r"^www\.", "", url.split("/")[2])
            link = f'<a href="{html.escape(url)}">{html.escape(host)}</a>'
        role = "primary record" if row["role"] == "primary" else "report"
        cells = {
            "role": role,
            "published by": html_text(row["group"]),
            "language": html_text(row["language"]),
            "text kept": html_text(SCOPE_WORDS.get(row["text_scope"], row["text_scope"])),
            "address": link,
            "id": f"<code>{html_text(source_id)}</code>",
        }
        tds = "".join(f'<td data-label="{k}">{v}</td>' for k, v in cells.items())
        rows.append(f'<tr><th scope="row">{html_text(row["label"])}</th>{tds}</tr>')
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("source", "role", "published by", "language", "text kept", "address", "id")
    )
    return _boxed(
        "the corpus",
        '<table class="kit-comparison kit-cards"><caption>The sources compared</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
    )


#: Styles for the comparison tables. ``_P`` (the wrapper's class, twice) outranks the
#: report page's generic right-aligned table cells; phones get one card per row.
_P = ".kit-cmp.kit-cmp"
_CARDS = f"{_P} .kit-cards"
STYLE = "".join(
    [
        "<style>",
        # The positioned screen-reader text must scroll with its table, not widen the page.
        f"{_P}{{position:relative}}",
        f"{_P} table{{border-collapse:collapse;font-size:0.9rem;margin:0.5rem 0}}",
        f"{_P} table th,{_P} table td,{_P} table tr",
        "{border:1px solid #c8c8c8;padding:0.3rem 0.45rem;text-align:left;vertical-align:top}",
        f"{_P} table caption{{text-align:left;font-style:italic;padding-bottom:0.3rem}}",
        f"{_P} .kit-coverage td{{text-align:center;min-width:2.6rem}}",
        f"{_P} td.kit-cov-yes{{background:#e8f1fb;font-weight:bold}}",
        f"{_P} td.kit-cov-yes a{{display:inline-block;min-width:1.5rem;min-height:1.5rem}}",
        f"{_P} td.kit-cov-no{{color:#555}}",
        f"{_P} table td.num{{text-align:right}}",
        ".kit-diff del{color:#8a1c1c;text-decoration:line-through}",
        # Not underlined like a link: a tinted ground and a dotted line under the added words.
        ".kit-diff ins{color:#0b3a66;background:#dbeafe;text-decoration:none;",
        "border-bottom:2px dotted #0b3a66}",
        ".kit-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
        "@media (max-width:640px){",
        f"{_CARDS} thead{{position:absolute;width:1px;height:1px;overflow:hidden;",
        "clip:rect(0 0 0 0)}",
        f"{_CARDS},{_CARDS} tbody,{_CARDS} tr,{_CARDS} caption{{display:block;width:100%;",
        "box-sizing:border-box}",
        f"{_CARDS} tr{{margin-bottom:0.6rem}}",
        f"{_CARDS} th,{_CARDS} td{{box-sizing:border-box;width:100%}}",
        f"{_CARDS} th[scope=row]{{display:block;border-bottom:none}}",
        f"{_CARDS} td{{display:flex;justify-content:space-between;gap:0.8rem;text-align:left}}",
        f"{_CARDS} td::before{{content:attr(data-label);font-weight:normal}}",
        "}",
        "</style>",
    ]
)


def _boxed(label: str, table: str) -> str:
    """A table (HTML the kit built from escaped text) in the report's scroll box and cue.

    The box scrolls sideways when the table is wider than the page; the report page then
    shows :data:`helpers.views.tables.SCROLL_CUE` under it.

    >>> html = _boxed("<a label>", "<table></table>")
    >>> 'aria-label="&lt;a label&gt;"' in html, SCROLL_CUE in html
    (True, True)
    """
    return (
        STYLE + '<div class="kit-table"><div class="kit-table-scroll kit-cmp" tabindex="0" '
        f'role="region" aria-label="{html_text(label)}">{table}</div>'
        f'<p class="kit-table-cue" aria-hidden="true">{SCROLL_CUE}</p></div>'
    )


def _fact_claims(ds, fact: Fact) -> pd.DataFrame:
    claims = ds.claims
    mask = claims["metric"].isin(fact.metrics) & claims["source_id"].notna()
    if fact.quantitative_only:
        mask &= claims["claim_kind"] == "quantitative"
    return claims.loc[mask]


def coverage(ds) -> pd.DataFrame:
    """Which fact each source reports: a sources × facts table of booleans.

    >>> import helpers
    >>> cov = coverage(helpers.load())
    >>> list(cov.columns) == [f.fact_id for f in FACTS]
    True
    """
    order = corpus(ds).index
    table = pd.DataFrame(False, index=order, columns=[f.fact_id for f in FACTS])
    for fact in FACTS:
        for source_id in _fact_claims(ds, fact)["source_id"].unique():
            if source_id in table.index:
                table.loc[source_id, fact.fact_id] = True
    return table


def coverage_cells(ds) -> dict[tuple[str, str], list[str]]:
    """For each (source, fact) a source reports, the ids of the claims that carry it.

    >>> import helpers
    >>> coverage_cells(helpers.load())[("aa-2021-01-11", "people_returned")]
    ['people-returned']
    """
    cells: dict[tuple[str, str], list[str]] = {}
    for fact in FACTS:
        for row in _fact_claims(ds, fact).itertuples(index=False):
            cells.setdefault((row.source_id, fact.fact_id), []).append(row.claim_id)
    return cells


def anchor(claim_id: str) -> str:
    """The HTML id under which a claim's passage is listed (:func:`passages_html`).

    >>> anchor("aa-working-group")
    'passage-aa-working-group'
    """
    return "passage-" + re.sub(r"[^a-z0-9-]", "-", str(claim_id).lower())


def coverage_html(ds) -> str:
    """The coverage matrix as an HTML table: ✓ links to the passage, – marks a gap.

    Rows are sources (grouped as :func:`corpus` orders them), columns the facts; the
    cell's text says what it means for a screen reader too.

    >>> import helpers
    >>> html = coverage_html(helpers.load())
    >>> 'href="#passage-people-returned"' in html, "<caption" in html
    (True, True)
    """
    table = corpus(ds)
    cells = coverage_cells(ds)
    head = "".join(f'<th scope="col">{html_text(f.label)}</th>' for f in FACTS)
    rows = []
    for source_id, source in table.iterrows():
        tds = []
        for fact in FACTS:
            ids = cells.get((source_id, fact.fact_id), [])
            if ids:
                links = " ".join(
                    f'<a href="#{anchor(c)}" aria-label="{html_text(fact.label)}: passage {i + 1} '
                    f'in {html_text(source["label"])}">✓</a>'
                    for i, c in enumerate(ids)
                )
                tds.append(
                    f'<td class="kit-cov-yes" data-label="{html_text(fact.label)}">{links}</td>'
                )
            else:
                tds.append(
                    f'<td class="kit-cov-no" data-label="{html_text(fact.label)}">'
                    '<span aria-label="not reported">–</span></td>'
                )
        scope = " (passages only)" if source["text_scope"] == "excerpt" else ""
        role = "primary record" if source["role"] == "primary" else html_text(source["group"])
        rows.append(
            f'<tr><th scope="row">{html_text(source["label"])}'
            f"<br><small>{role}{scope}</small></th>{''.join(tds)}</tr>"
        )
    return _boxed(
        "coverage matrix",
        '<table class="kit-coverage kit-cards">'
        "<caption>Which facts of the meeting each source reports "
        "(✓ links to the passage; – : not in the text kept)</caption>"
        f'<thead><tr><th scope="col">source</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>",
    )


def passages_html(ds) -> str:
    """Every passage a coverage cell links to, under its anchor, grouped by source.

    >>> import helpers
    >>> 'id="passage-aa-monitoring-centre"' in passages_html(helpers.load())
    True
    """
    cells = coverage_cells(ds)
    claims = ds.claims.set_index("claim_id")
    table = corpus(ds)
    labels = {f.fact_id: f.label for f in FACTS}
    parts = []
    for source_id, source in table.iterrows():
        items = [(fact, c) for (s, fact), ids in cells.items() if s == source_id for c in ids]
        if not items:
            continue
        parts.append(f"<h3>{html_text(source['label'])}</h3><ul>")
        for fact_id, claim_id in items:
            claim = claims.loc[claim_id]
            translation = ""
            if isinstance(claim["translation"], str) and claim["translation"]:
                translation = (
                    f"<br><small>Translation ({html_text(claim['translation_by'])}): "
                    f"{html_text(claim['translation'])}</small>"
                )
            parts.append(
                f'<li id="{anchor(claim_id)}"><strong>{html_text(labels[fact_id])}</strong> '
                f"— {html_text(claim['claimant'])}: “{html_text(claim['passage'])}”"
                f"{translation}</li>"
            )
        parts.append("</ul>")
    return "\n".join(parts)


# ------------------------------------------------------------------------ voices


def voices(ds) -> pd.DataFrame:
    """Whom each source quotes or reports, and how much.

    One row per (source, speaker): ``quotations`` (quotes rows), ``words_quoted``,
    ``reported`` (claims with that named claimant).

    >>> import helpers
    >>> v = voices(helpers.load()).set_index(["source_id", "speaker_id"])
    >>> int(v.loc[("aa-2021-01-11", "putin"), "quotations"])
    3
    """
    quotes = ds.quotes.loc[ds.quotes["source_id"].notna()]
    quoted = (
        quotes.assign(words=quotes["text"].str.split().str.len())
        .groupby(["source_id", "speaker_id"])
        .agg(quotations=("quote_id", "count"), words_quoted=("words", "sum"))
    )
    claims = ds.claims.loc[ds.claims["claimant_id"].notna() & ds.claims["source_id"].notna()]
    claims = claims.loc[claims["attribution"] == "named"]
    reported = claims.groupby(["source_id", "claimant_id"]).size().rename("reported")
    reported.index = reported.index.set_names(["source_id", "speaker_id"])
    table = quoted.join(reported, how="outer").fillna(0).astype(int).reset_index()
    names = ds.actors.set_index("actor_id")["name"]
    labels = corpus(ds)["label"]
    table.insert(1, "source", table["source_id"].map(labels))
    table.insert(3, "speaker", table["speaker_id"].map(names))
    order = {s: i for i, s in enumerate(corpus(ds).index)}
    table["_order"] = table["source_id"].map(order)
    return table.sort_values(["_order", "speaker"]).drop(columns="_order").reset_index(drop=True)


def voices_matrix(ds) -> pd.DataFrame:
    """Sources × speakers: quotations + reported statements per speaker (0 = not heard).

    >>> import helpers
    >>> m = voices_matrix(helpers.load())
    >>> int(m.loc["Anadolu Agency, 11 January 2021 (en)", "Vladimir Putin"]) >= 3
    True
    """
    table = voices(ds)
    table["heard"] = table["quotations"] + table["reported"]
    matrix = table.pivot_table(index="source", columns="speaker", values="heard", aggfunc="sum")
    order = [label for label in corpus(ds)["label"] if label in matrix.index]
    return matrix.reindex(order).fillna(0).astype(int)


def _table_html(frame: pd.DataFrame, caption: str, numeric: tuple[str, ...] = ()) -> str:
    """A plain accessible table: caption, column headers, escaped cells."""
    if frame.empty:
        return f"<p>{html_text(caption)}: none.</p>"
    head = "".join(f'<th scope="col">{html_text(c)}</th>' for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = "".join(
            f'<td class="num" data-label="{html_text(c)}">{html_text(v)}</td>'
            if c in numeric
            else f'<td data-label="{html_text(c)}">{html_text(v)}</td>'
            for c, v in zip(frame.columns, row, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    return _boxed(
        caption,
        '<table class="kit-comparison kit-cards">'
        f"<caption>{html_text(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>",
    )


def voices_html(ds) -> str:
    """:func:`voices` as a table a reader scans: who is heard in each source, how much.

    >>> import helpers
    >>> "Vladimir Putin" in voices_html(helpers.load())
    True
    """
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


# ----------------------------------------------------------------------- framing


#: Glossary categories the framing view shows: words for places, the war and its outcome.
FRAMING_CATEGORIES = ("naming", "loaded_term", "one_sided_account")


def framing(ds) -> pd.DataFrame:
    """Glossary words found in each source's stored text, with whose usage each is.

    One row per glossary term (of :data:`FRAMING_CATEGORIES`), one boolean column per
    source (by :func:`corpus` label). A term is found case-insensitively as whole
    words; where only passages are stored, absence means absence from those passages.

    >>> import helpers
    >>> f = framing(helpers.load()).set_index("term")
    >>> bool(f.loc["Upper Karabakh", "Anadolu Agency, 11 January 2021 (en)"])
    True
    """
    glossary = ds.glossary.loc[ds.glossary["category"].isin(FRAMING_CATEGORIES)]
    glossary = glossary.drop_duplicates("term")
    glossary = glossary.loc[glossary["term"].str.split().str.len() <= 8]
    table = corpus(ds)
    rows = []
    for term in glossary.itertuples(index=False):
        pattern = re.compile(rf"(?<!\w){re.escape(term.term)}(?!\w)", re.IGNORECASE)
        found = {
            source["label"]: bool(pattern.search(ds.texts.get(source_id, "")))
            for source_id, source in table.iterrows()
        }
        rows.append(
            {
                "term": term.term,
                "category": term.category,
                "whose usage": term.whose_framing,
                "neutral wording": term.neutral_alternative,
                **found,
            }
        )
    return pd.DataFrame(rows)


def framing_html(ds) -> str:
    """:func:`framing` as an HTML table; ● marks a source whose text uses the words.

    >>> import helpers
    >>> "Upper Karabakh" in framing_html(helpers.load())
    True
    """
    table = framing(ds)
    sources = list(corpus(ds)["label"])
    head = "".join(f'<th scope="col">{html_text(s)}</th>' for s in sources)
    body = []
    for row in table.to_dict("records"):
        cells = "".join(
            f'<td class="kit-cov-yes" data-label="{html_text(s)}">'
            '●<span class="kit-sr"> used</span></td>'
            if row[s]
            else f'<td class="kit-cov-no" data-label="{html_text(s)}">'
            '<span aria-label="not used">–</span></td>'
            for s in sources
        )
        body.append(
            f'<tr><th scope="row">{html_text(row["term"])}<br><small>'
            f"{html_text(row['whose usage'])}; kit says: {html_text(row['neutral wording'])}"
            f"</small></th>{cells}</tr>"
        )
    return _boxed(
        "framing words",
        '<table class="kit-coverage kit-cards">'
        "<caption>Words for the place, the war and its outcome, "
        "by source (● used; – not in the text kept)</caption>"
        f'<thead><tr><th scope="col">words (whose usage)</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>",
    )


# ---------------------------------------------------------------------- fidelity


def words(text: str) -> list[str]:
    """Split into words, keeping punctuation attached (what a reader compares).

    >>> words("Russia values  the partnership;")
    ['Russia', 'values', 'the', 'partnership;']
    """
    return str(text).split()


def _norm(word: str) -> str:
    return re.sub(r"[^\w]", "", word.casefold().replace("’", "'"))


def word_diff(primary: str, rendering: str) -> list[tuple[str, str]]:
    """Word-by-word differences: ``(op, words)`` with op ``same``, ``dropped``, ``added``.

    Case and punctuation are ignored when matching words; the words shown are the
    texts' own.

    >>> word_diff("a lasting ceasefire", "a stable ceasefire")
    [('same', 'a'), ('dropped', 'lasting'), ('added', 'stable'), ('same', 'ceasefire')]
    """
    a, b = words(primary), words(rendering)
    matcher = difflib.SequenceMatcher(
        a=[_norm(w) for w in a], b=[_norm(w) for w in b], autojunk=False
    )
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(("dropped", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("added", " ".join(b[j1:j2])))
    return out


def kept_share(primary: str, rendering: str) -> float:
    """Share of the primary transcript's words the rendering keeps, in order (0–1).

    >>> kept_share("a lasting ceasefire", "a stable ceasefire")
    0.67
    """
    kept = sum(len(w.split()) for op, w in word_diff(primary, rendering) if op == "same")
    return round(kept / max(len(words(primary)), 1), 2)


def fidelity(ds) -> pd.DataFrame:
    """Each rendering of a leader's words beside the primary transcript.

    Columns: ``rendering_id``, ``source``, ``speaker``, ``form`` (quotation or
    paraphrase), ``language``, ``primary`` (the transcript's words), ``rendering`` (the
    outlet's words), ``compared`` (what the word diff ran on: the outlet's words, or the
    kit's English translation of them), ``kept`` (:func:`kept_share`).

    >>> import helpers
    >>> f = fidelity(helpers.load()).set_index("rendering_id")
    >>> f.loc["r-tass-values", "compared"]
    'the outlet’s words'
    """
    renderings = ds.renderings
    quotes = ds.quotes.set_index("quote_id")
    names = ds.actors.set_index("actor_id")["name"]
    languages = ds.sources.set_index("source_id")["language"]
    labels = corpus(ds)["label"]
    rows = []
    for r in renderings.itertuples(index=False):
        if r.quote_id not in quotes.index:
            continue
        primary = quotes.loc[r.quote_id]
        translated = isinstance(r.translation, str) and bool(r.translation)
        compared_text = r.translation if translated else r.passage
        rows.append(
            {
                "rendering_id": r.rendering_id,
                "quote_id": r.quote_id,
                "source": labels.get(r.source_id, r.source_id),
                "speaker": names.get(primary["speaker_id"], primary["speaker_id"]),
                "form": r.form,
                "language": languages.get(r.source_id),
                "primary": primary["text"],
                "rendering": r.passage,
                "compared": "the kit’s English translation" if translated else "the outlet’s words",
                "compared_text": compared_text,
                "translation_by": r.translation_by if translated else "",
                "kept": kept_share(primary["text"], compared_text),
            }
        )
    return pd.DataFrame(rows)


def _diff_html(primary: str, compared: str) -> str:
    parts = []
    for op, text in word_diff(primary, compared):
        escaped = html.escape(text, quote=False)
        if op == "same":
            parts.append(escaped)
        elif op == "dropped":
            parts.append(f'<del title="in the transcript, not in the rendering">{escaped}</del>')
        else:
            parts.append(f'<ins title="in the rendering, not in the transcript">{escaped}</ins>')
    return " ".join(parts)


def fidelity_html(ds) -> str:
    """:func:`fidelity` for reading: per transcript passage, each rendering with its diff.

    Struck-through words are the transcript's, missing from the rendering; highlighted
    words are the rendering's own. For a rendering in another language the diff runs on
    the kit's translation, and the block says so: a difference there may be translation,
    not a misquote.

    >>> import helpers
    >>> html = fidelity_html(helpers.load())
    >>> "<del" in html and "<ins" in html, "kit’s English translation" in html
    (True, True)
    """
    table = fidelity(ds)
    if table.empty:
        return "<p>No rendering of a primary transcript is recorded.</p>"
    parts = []
    for _, group in table.groupby("quote_id", sort=False):
        first = group.iloc[0]
        parts.append(
            f"<h3>{html_text(first['speaker'])}, in the primary transcript</h3>"
            f"<blockquote>{html_text(first['primary'])}</blockquote><ul>"
        )
        for row in group.to_dict("records"):
            note = ""
            if row["compared"] != "the outlet’s words":
                note = (
                    f"<br><small>In {html_text(row['language'])}: “{html_text(row['rendering'])}”. "
                    f"Compared through the kit’s English translation "
                    f"({html_text(row['translation_by'])}): a difference below may come from "
                    "translating, not from the outlet.</small>"
                )
            parts.append(
                f"<li><strong>{html_text(row['source'])}</strong> — {html_text(row['form'])}, "
                f"keeps {row['kept']:.0%} of the transcript’s words in order:<br>"
                f'<span class="kit-diff">{_diff_html(row["primary"], row["compared_text"])}</span>'
                f"{note}</li>"
            )
        parts.append("</ul>")
    return "\n".join(parts)


# ---------------------------------------------------------------------- omissions


def official_facts(ds) -> pd.Series:
    """Facts held by the primary record or by a government's own record, with who holds them.

    A *government's own record* is a source with a ``side_id`` whose ``outlet_kind``
    names a government office (its role is ``primary`` or its kind says ``government``).

    >>> import helpers
    >>> "working_group" in official_facts(helpers.load()).index
    True
    """
    table = corpus(ds)
    kinds = ds.sources.set_index("source_id")["outlet_kind"].fillna("")
    official = [
        s
        for s, row in table.iterrows()
        if row["role"] == "primary" or "government" in kinds.get(s, "").lower()
    ]
    cov = coverage(ds).loc[official]
    held = {
        fact: [table.loc[s, "label"] for s in cov.index[cov[fact]]]
        for fact in cov.columns
        if cov[fact].any()
    }
    return pd.Series(held, dtype=object)


def omissions(ds) -> pd.DataFrame:
    """What each report leaves out of what the official records hold.

    One row per report: ``source``, ``left_out`` (fact labels), ``held_by`` (which
    official records hold them).

    >>> import helpers
    >>> o = omissions(helpers.load()).set_index("source_id")
    >>> "prisoners of war" in o.loc["aa-2021-01-11", "left_out"]
    True
    """
    table = corpus(ds)
    held = official_facts(ds)
    cov = coverage(ds)
    labels = {f.fact_id: f.label for f in FACTS}
    rows = []
    for source_id, source in table.iterrows():
        if source["role"] == "primary":
            continue
        missing = [f for f in held.index if not cov.loc[source_id, f]]
        rows.append(
            {
                "source_id": source_id,
                "source": source["label"],
                "text kept": source["text_scope"],
                "left_out": "; ".join(labels[f] for f in missing) or "nothing",
                "held_by": "; ".join(f"{labels[f]}: {', '.join(held[f])}" for f in missing),
            }
        )
    return pd.DataFrame(rows)


def omissions_html(ds) -> str:
    """:func:`omissions` as a table.

    >>> import helpers
    >>> "prisoners of war" in omissions_html(helpers.load())
    True
    """
    table = omissions(ds)
    if table.empty:
        return "<p>No report in this build.</p>"
    table = table[["source", "text kept", "left_out", "held_by"]].rename(
        columns={"left_out": "leaves out", "held_by": "held by (official records)"}
    )
    return _table_html(table, "What each report leaves out of the official records")


# -------------------------------------------------------------------- bottom line


def _names(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


BOUND_WORDS = {
    "exact": "",
    "at_least": "at least ",
    "more_than": "more than ",
    "up_to": "up to ",
    "approximately": "about ",
}


def _as_worded(claim, language: str) -> str:
    """A figure as the source words it, with an English gloss for another language.

    >>> row = pd.Series({"value_as_worded": "weit mehr als 4.700", "bound": "more_than",
    ...                  "value_low": 4700.0, "value_best": 4700.0, "value_high": None})
    >>> _as_worded(row, "de")
    '“weit mehr als 4.700” (more than 4,700)'

    Where the kit's translation of the passage words the bound more closely ("far more
    than"), the gloss takes its words:

    >>> row["translation"] = "In total, far more than 4,700 people died"
    >>> _as_worded(row, "de")
    '“weit mehr als 4.700” (far more than 4,700)'
    """
    worded = f"“{claim.value_as_worded}”"
    if language == "en":
        return worded
    value = claim.value_low if pd.notna(claim.value_low) else claim.value_best
    if pd.isna(value):
        value = claim.value_high
    bound = BOUND_WORDS.get(claim.bound, "")
    translation = getattr(claim, "translation", None)
    if bound and isinstance(translation, str):
        # An adverb before the bound in the kit's own translation ("far more than").
        said = re.search(rf"(\w+ )?{re.escape(bound)}{value:,.0f}", translation)
        bound = said.group(0)[: -len(f"{value:,.0f}")] if said else bound
    return f"{worded} ({bound}{value:,.0f})"


def bottom_line(ds, seed: str = "aa-2021-01-11") -> str:
    """The notebook's bottom line, computed: who reported what the seed article did not.

    >>> import helpers
    >>> line = bottom_line(helpers.load())
    >>> "prisoners of war" in line
    True
    """
    table = corpus(ds)
    if table.empty:
        when = f" by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
        return f"No source published{when} is in the dataset: nothing to compare yet."
    cov = coverage(ds)
    reports = table.index[table["role"] != "primary"]
    n_sources, n_reports = len(table), len(reports)
    languages = sorted(table["language"].unique())
    labels = {f.fact_id: f.label for f in FACTS}
    parts = [
        f"{n_sources} sources ({n_sources - n_reports} of the primary record, "
        f"{n_reports} reports) in {len(languages)} languages ({', '.join(languages)})."
    ]
    if seed in cov.index:
        seed_label = ds.sources.set_index("source_id").loc[seed, "publisher"]
        absent = [f for f in cov.columns if not cov.loc[seed, f] and cov[f].any()]
        for fact in absent:
            others = cov.index[cov[fact]]
            parts.append(
                f"{seed_label} leaves out the {labels[fact]}, which {len(others)} other "
                f"source{'s' if len(others) != 1 else ''} report."
            )
        only = [f for f in cov.columns if cov.loc[seed, f] and cov[f].sum() == 1]
        # Sources kept as passages only may say more than the kit holds.
        partial = (table.drop(index=seed)["text_scope"] == "excerpt").any()
        for fact in only:
            among = "Among the texts kept, only" if partial else "Only"
            parts.append(f"{among} {seed_label} mentions the {labels[fact]}.")
    figures = ds.claims.loc[
        (ds.claims["metric"].isin(FACTS[-1].metrics))
        & (ds.claims["claim_kind"] == "quantitative")
        & ds.claims["source_id"].isin(table.index)
    ]
    if len(figures):
        publishers = ds.sources.set_index("source_id")["publisher"]
        # Whose figure each is: the outlet's own, or the claimant it reports.
        worded = [
            f"{_as_worded(r, table.loc[r.source_id, 'language'])} ("
            + (
                f"{publishers[r.source_id]}, in its own voice"
                if r.attribution == "unattributed"
                else f"{r.claimant}, according to {publishers[r.source_id]}"
            )
            + ")"
            for r in figures.itertuples(index=False)
        ]
        parts.append(
            "The casualty figures differ in what they count and whose count they are: "
            + "; ".join(worded)
            + "."
        )
    return " ".join(parts)
