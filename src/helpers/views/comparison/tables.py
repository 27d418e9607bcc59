"""Notebook 04's tables: which source reports which fact, whom it quotes, whose words it uses.

The corpus is every stored source; ``sources.role`` says which are the primary record
(the Kremlin's transcript, the joint statement) and which are reports of it, and
``sources.side_id`` whose government or state agency published each (empty for
independent and international outlets). Each function returns a plain DataFrame;
:mod:`.render` shows them.

>>> import helpers
>>> ds = helpers.load()
>>> cov = coverage(ds)
>>> seed = cov.loc["aa-2021-01-11"]
>>> bool(seed["monitoring_centre"]), bool(seed["prisoners_of_war"])
(True, False)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pandas as pd

from ..provenance import format_date
from . import quotations


@dataclass(frozen=True)
class Fact:
    """A fact of the meeting a source may report: the claim metrics that carry it."""

    fact_id: str
    label: str
    metrics: tuple[str, ...]
    quantitative_only: bool = False
    #: Plain words for a label a newcomer may not know, given where it is first used.
    gloss: str = ""


#: The facts of the meeting the coverage matrix asks about, in display order. A source
#: reports a fact when one of its claims has one of the fact's metrics (casualty figures:
#: a quantitative claim only — a figure, not a mention).
FACTS = (
    Fact("working_group", "working group of deputy prime ministers", ("working_group",)),
    # A label names the fact, never a figure one source gave: the figure is the claim's.
    Fact("people_returned", "number of returnees", ("people_returned",), True),
    Fact("prisoners_of_war", "prisoners of war", ("prisoners_of_war",)),
    Fact(
        "status_question",
        "status question",
        ("status_question",),
        gloss="what Nagorno-Karabakh's political status is to be",
    ),
    Fact("peacekeepers", "peacekeepers", ("peacekeepers", "peacekeepers_deployed")),
    Fact("monitoring_centre", "monitoring centre", ("monitoring_centre",)),
    Fact(
        "casualty_figures",
        "casualty figures",
        ("military_deaths", "civilian_deaths", "deaths", "casualties", "wounded", "missing"),
        True,
    ),
)

#: How the corpus is ordered (``sources.side_id`` → the side a row is filed under). The
#: side says whose country a source comes from, never who owns it: ownership is its own
#: fact (``sources.ownership``, with where it is recorded in ``ownership_basis``).
SIDE_LABELS = {
    "russia": "Russian side",
    "armenia": "Armenian side",
    "azerbaijan": "Azerbaijani side",
    "turkey": "Turkish side",
}
INDEPENDENT = "international and regional outlets"
#: What the corpus shows for a source whose ownership the data does not record.
NOT_RECORDED = "not recorded"


def source_label(row) -> str:
    """A short label for a source: publisher, date and language.

    >>> import helpers
    >>> source_label(helpers.load().sources.iloc[0])
    'Anadolu Agency, 11 January 2021 (en)'
    """
    return f"{row['publisher']}, {format_date(row['published'])} ({row['language']})"


def _column(sources: pd.DataFrame, name: str, default: str = "") -> pd.Series:
    """A column of the sources table, or ``default`` where it or a cell is missing."""
    if name not in sources:
        return pd.Series(default, index=sources.index)
    return sources[name].fillna(default).replace("", default)


def _reused_while_unchanged(*tables: str):
    """Reuse a function of the dataset while the tables it reads are unchanged.

    The views of notebook 04 each start from :func:`corpus` and :func:`coverage`
    (38 and 7 calls per page); each is computed once while ``ds``'s tables ``tables``
    are the same frames, with the same values, as on the last call. Every caller
    gets a copy, so changing a result changes nothing for the next caller.

    >>> calls = []
    >>> @_reused_while_unchanged("sources")
    ... def count(ds):
    ...     calls.append(1)
    ...     return ds.sources[["source_id"]]
    >>> import helpers
    >>> ds = helpers.load()
    >>> _ = count(ds), count(ds)
    >>> len(calls)
    1
    >>> ds.sources.loc[0, "source_id"] = "changed"  # a table changed in place: computed again
    >>> count(ds).loc[0, "source_id"], len(calls)
    ('changed', 2)
    """

    def wrap(function):
        last: list[tuple[list, list, pd.DataFrame]] = []  # (frames read, their values, result)

        @functools.wraps(function)
        def reused(ds):
            frames = [getattr(ds, name) for name in tables]
            if last:
                seen, values, result = last[0]
                if all(
                    a is b and a.equals(v) for a, b, v in zip(seen, frames, values, strict=True)
                ):
                    return result.copy()
            result = function(ds)
            last[:] = [(frames, [f.copy() for f in frames], result)]
            return result.copy()

        return reused

    return wrap


@_reused_while_unchanged("sources")
def corpus(ds) -> pd.DataFrame:
    """The sources in display order: the primary record first, then reports by side.

    Columns: ``label``, ``role``, ``group``, ``country``, ``ownership``,
    ``ownership_basis``, ``language``, ``text_scope``, ``url``, ``retrieved``,
    ``copy_sha256``. Country and ownership are separate facts, both from
    ``sources.csv``: Interfax is a Russian outlet and not state-run.

    >>> import helpers
    >>> table = corpus(helpers.load())
    >>> table["role"].iloc[0], table.loc["aa-2021-01-11", "group"]
    ('primary', 'Turkish side')
    >>> table.loc["interfax-2021-01-11", ["country", "ownership"]].tolist()
    ['Russia', 'independent']
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
            "country": _column(sources, "country"),
            "ownership": _column(sources, "ownership", NOT_RECORDED),
            "ownership_basis": _column(sources, "ownership_basis"),
            "language": sources["language"],
            "text_scope": scope,
            "url": sources["url"],
            "retrieved": [
                format_date(v) if pd.notna(v) and str(v) else ""
                for v in _column(sources, "retrieved")
            ],
            "copy_sha256": _column(sources, "copy_sha256"),
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


def fact_claims(ds, fact: Fact) -> pd.DataFrame:
    """The claims that report ``fact`` (figures only, where the fact asks for one)."""
    claims = ds.claims
    mask = claims["metric"].isin(fact.metrics) & claims["source_id"].notna()
    if fact.quantitative_only:
        mask &= claims["claim_kind"] == "quantitative"
    return claims.loc[mask]


def facts_in(ds) -> tuple[Fact, ...]:
    """The facts of :data:`FACTS` that some source of ``ds`` reports, in display order.

    An as-of view asks only about what its sources could report: a fact no source
    published by then mentions (the monitoring centre, before it existed) is no column.

    >>> import helpers
    >>> [f.fact_id for f in facts_in(helpers.load().as_of("2020-11-09"))]
    []
    >>> len(facts_in(helpers.load())) == len(FACTS)
    True
    """
    sources = set(corpus(ds).index)
    return tuple(f for f in FACTS if fact_claims(ds, f)["source_id"].isin(sources).any())


@_reused_while_unchanged("sources", "claims")
def coverage(ds) -> pd.DataFrame:
    """Which fact each source reports: a sources × facts table of booleans.

    >>> import helpers
    >>> cov = coverage(helpers.load())
    >>> list(cov.columns) == [f.fact_id for f in FACTS]
    True
    """
    order = corpus(ds).index
    facts = facts_in(ds)
    table = pd.DataFrame(False, index=order, columns=[f.fact_id for f in facts])
    for fact in facts:
        for source_id in fact_claims(ds, fact)["source_id"].unique():
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
        for row in fact_claims(ds, fact).itertuples(index=False):
            cells.setdefault((row.source_id, fact.fact_id), []).append(row.claim_id)
    return cells


# ------------------------------------------------------------------------ voices


def voices(ds) -> pd.DataFrame:
    """Whom each source quotes or reports, and how much.

    One row per (source, speaker): ``quotations`` (distinct stretches of the speaker's
    words the source prints as theirs, wherever the kit records them:
    :func:`.quotations.recorded`), ``words_quoted``, and ``reported`` (claims naming
    that claimant whose passage is mostly in the source's own words and does not lie inside
    a quotation: statements the source reports rather than quotes).

    >>> import helpers
    >>> v = voices(helpers.load()).set_index(["source_id", "speaker_id"])
    >>> int(v.loc[("aa-2021-01-11", "putin"), "quotations"])
    3
    """
    recorded = quotations.recorded(ds)
    quoted = recorded.groupby(["source_id", "speaker_id"]).agg(
        quotations=("text", "count"), words_quoted=("words", "sum")
    )
    claims = ds.claims.loc[ds.claims["claimant_id"].notna() & ds.claims["source_id"].notna()]
    claims = claims.loc[claims["attribution"] == "named"]
    own_words = [
        quotations.mostly_own_words(c.passage)
        and not quotations.inside_a_quotation(ds, c.source_id, c.claimant_id, c.passage)
        for c in claims.itertuples(index=False)
    ]
    claims = claims.loc[own_words]
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
    """What the official records hold that the text kept of each report does not mention.

    One row per report: ``source``, ``text kept`` (whole text or passages only),
    ``not_in_text_kept`` (fact labels) and ``held_by`` (which official records hold
    them). For a report kept as passages only, a gap is a gap in the passages kept,
    not proof that the report leaves the fact out: the column says so by its name.

    >>> import helpers
    >>> o = omissions(helpers.load()).set_index("source_id")
    >>> "prisoners of war" in o.loc["aa-2021-01-11", "not_in_text_kept"]
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
                "not_in_text_kept": "; ".join(labels[f] for f in missing) or "nothing",
                "held_by": "; ".join(f"{labels[f]}: {', '.join(held[f])}" for f in missing),
            }
        )
    return pd.DataFrame(rows)
