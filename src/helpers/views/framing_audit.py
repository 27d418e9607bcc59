"""The framing audit of notebook 00: whose words each source uses, per source.

:func:`framing_audit` lists the glossary's loaded terms, namings, vague attributions,
one-sided accounts and typos per source, with whose framing each is and the neutral
wording the kit uses; it also finds glossary terms in a source that has no glossary
row for them yet (a newly added source). :func:`vague_attributions` lists the claims
and event reports whose claimant is vague or unnamed. The HTML is built only from escaped text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .html import LEFT_ALIGNED, render
from .provenance import format_date

CATEGORY_LABELS = {
    "loaded_term": "Loaded term",
    "naming": "Naming",
    "vague_attribution": "Vague attribution",
    "one_sided_account": "One-sided account",
    "typo": "Typo",
}


@dataclass(frozen=True, repr=False)
class FramingAudit:
    """Loaded words per source: glossary rows plus unreviewed matches in other sources."""

    frame: pd.DataFrame  # one row per (source, term)
    counts: pd.DataFrame  # sources x categories
    perspectives: pd.DataFrame  # source_id, publisher, perspective
    #: What the audit says when the view holds no source, and why (the view's date).
    empty: str = "The kit holds no source, so there is no wording to audit."

    def __repr__(self) -> str:
        return f"<FramingAudit: {len(self.frame)} entries in {len(self.perspectives)} sources>"

    def _repr_html_(self) -> str:
        sources = [
            {
                "publisher": source.publisher,
                "source_id": source.source_id,
                "perspective": source.perspective,
                "rows": [
                    (
                        CATEGORY_LABELS.get(row.category, row.category),
                        row.term,
                        row.whose_framing,
                        row.neutral_alternative,
                        row.explanation,
                        row.status,
                    )
                    for row in self.frame.loc[
                        self.frame["source_id"] == source.source_id
                    ].itertuples(index=False)
                ],
            }
            for source in self.perspectives.itertuples(index=False)
        ]
        return render(_FRAMING_HTML, sources=sources, table_style=LEFT_ALIGNED, empty=self.empty)


# h3: shown under the notebook's "##" heading; headings must not skip a level.
_FRAMING_HTML = """\
<div class="kit-framing">
{% for source in sources %}
<h3>{{ source.publisher }}</h3>
<p><em>Perspective on record:</em> {{ source.perspective | reader or "none recorded" }}</p>
{% if source.rows %}
<table style="{{ table_style }}"><thead><tr style="text-align:left"><th>Kind</th>\
<th>Words in the source</th><th>Whose framing</th><th>Neutral wording</th>\
<th>Why it matters</th><th>Status</th></tr></thead><tbody>
{% for row in source.rows %}
<tr style="vertical-align:top">{% for value in row %}\
<td style="text-align:left">{{ value | reader }}</td>{% endfor %}</tr>
{% endfor %}
</tbody></table>
{% else %}
<p>No glossary term found in this source.</p>
{% endif %}
{% else %}
<p>{{ empty }}</p>
{% endfor %}
</div>"""


def framing_audit(ds) -> FramingAudit:
    """The glossary per source, plus glossary terms found in sources not yet reviewed.

    A glossary row belongs to the source its passage comes from (status
    ``reviewed``). Each term is also looked for, case-insensitively, in every
    other source's text: a hit there is listed with status ``found by matching
    the glossary; not reviewed`` so a newly added source's loaded words show up
    before anyone has written its glossary rows.

    >>> import helpers
    >>> audit = framing_audit(helpers.load())
    >>> int(audit.counts.loc["aa-2021-01-11", "loaded_term"])
    4
    >>> audit.frame.loc[audit.frame["category"] == "typo", "term"].tolist()
    ['Rssia']
    >>> early = framing_audit(helpers.load().as_of("2020-12-31"))
    >>> "no source published by 31 December 2020" in early._repr_html_()
    True
    """
    glossary = ds.glossary
    columns = [
        "source_id",
        "term_id",
        "category",
        "term",
        "whose_framing",
        "neutral_alternative",
        "explanation",
        "status",
    ]
    records = []
    for row in glossary.itertuples(index=False):
        if isinstance(row.source_id, str) and row.source_id in ds.texts:
            records.append({**_audit_fields(row), "source_id": row.source_id, "status": "reviewed"})
    reviewed = {(r["source_id"], r["term"].lower()) for r in records}
    # Matching applies to words, not to a whole one-off sentence or a typo.
    matchable = glossary.loc[
        glossary["category"].isin(["loaded_term", "naming", "vague_attribution"])
        & (glossary["term"].str.split().str.len() <= 4)
    ]
    for source_id, text in ds.texts.items():
        for row in matchable.itertuples(index=False):
            key = (source_id, row.term.lower())
            if key in reviewed or row.source_id == source_id:
                continue
            if re.search(rf"(?<!\w){re.escape(row.term)}(?!\w)", text, flags=re.IGNORECASE):
                reviewed.add(key)
                records.append(
                    {
                        **_audit_fields(row),
                        "source_id": source_id,
                        "status": "found by matching the glossary; not reviewed",
                    }
                )
    frame = pd.DataFrame(records, columns=columns)
    order = list(CATEGORY_LABELS)
    counts = (
        pd.crosstab(frame["source_id"], frame["category"])
        .reindex(index=list(ds.sources["source_id"]), columns=order, fill_value=0)
        .fillna(0)
        .astype(int)
    )
    perspectives = ds.sources[["source_id", "publisher", "perspective"]].reset_index(drop=True)
    if ds.as_of_date:
        empty = (
            f"The kit holds no source published by {format_date(ds.as_of_date)}, "
            "so there is no wording to audit."
        )
        return FramingAudit(frame, counts, perspectives, empty)
    return FramingAudit(frame, counts, perspectives)


def _audit_fields(row) -> dict:
    return {
        "term_id": row.term_id,
        "category": row.category,
        "term": row.term,
        "whose_framing": row.whose_framing if isinstance(row.whose_framing, str) else None,
        "neutral_alternative": row.neutral_alternative,
        "explanation": row.explanation,
    }


def vague_attributions(ds) -> pd.DataFrame:
    """Statements whose claimant is vague or unnamed, with the words that make them so:
    claims attributed to an unnamed group, and reports of events whose claimant the
    source leaves unnamed (``event_reports``' claimant "unnamed (…)", as claims write it).

    ``claim_id`` holds the claim's or the event report's id.

    >>> import helpers
    >>> vague = vague_attributions(helpers.load().as_of("2021-01-11"))
    >>> sorted(vague["claim_id"])[:2], "r-violations-aa" in set(vague["claim_id"])
    (['am-casualties', 'r-violations-aa'], True)
    """
    claims = ds.claims
    mine = claims.loc[claims["attribution"] == "vague"]
    columns = ["claim_id", "source_id", "claimant", "statement", "passage"]
    reports = ds.event_reports
    unnamed = reports.loc[
        reports["source_id"].notna() & reports["claimant"].str.startswith("unnamed", na=False)
    ].rename(columns={"report_id": "claim_id", "wording": "statement"})
    return pd.concat([mine[columns], unnamed[columns]], ignore_index=True)
