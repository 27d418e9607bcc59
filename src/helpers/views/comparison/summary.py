"""Notebook 04's bottom line, computed from the data: who reported what the seed article
did not, and whose count each casualty figure is."""

from __future__ import annotations

from ...data.wording import claim_figure_shown
from ..provenance import format_date, own_voice
from .tables import FACTS, corpus, coverage


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
    # A fact's gloss goes with its first mention only ("the status question (what …)").
    labels = {f.fact_id: f"{f.label} ({f.gloss})" if f.gloss else f.label for f in FACTS}
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
            f"{claim_figure_shown(r._asdict(), table.loc[r.source_id, 'language'])} ("
            + (
                "in " + own_voice(r.claimant, publishers[r.source_id])
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
