"""Chart numeric claims honestly: one mark per claim, its bound drawn, its claimant named.

A figure in a news text is a claim with a shape: "at least 2,802" is a floor,
"could be up to 5,000" a ceiling, "nearly 300" an approximation. Drawing such
figures as bars of one bar chart turns a floor and a ceiling into two totals.
This module draws every claim as one mark whose geometry says what the wording
says:

==============  ==============================================================
bound           mark
==============  ==============================================================
exact           a point
at_least        a point (filled) with a dashed arrow open to the right
more_than       the same with a hollow point (the value itself is excluded)
up_to           a point with a dashed arrow open to the left, towards zero
approximately   a point on a shaded tolerance band
range           a solid bar from low to high (a point at the best value if any)
==============  ==============================================================

Colour *and* marker shape identify the claimant (Okabe–Ito colours, safe for
colour-blind readers and distinguishable in grayscale); every mark is labelled
with what was claimed, by whom, where and when. Which metrics count as
casualty figures is decided once, in :data:`CASUALTY_METRICS`, so figures
added to ``data/claims.csv`` with those metrics appear without code changes.

This module gathers, under one short name (``from helpers import charts``), the
modules that do the work, each small enough to read at once:

* :mod:`.claims`: selecting the claims and wording them (bottom line, titles,
  alt texts, the reader's table);
* :mod:`.marks`: the drawing every chart shares (marks, arrows, styles, key);
* :mod:`.casualty_chart`: the casualty chart and the chart of other figures;
* :mod:`.over_time`: each claimant's figures over time.

>>> import helpers
>>> ds = helpers.load().as_of("2021-01-11")
>>> claims = casualty_claims(ds)
>>> list(claims["claim_id"])
['am-casualties', 'az-military-deaths']
>>> fig = plot_claims(claims)
>>> [m["encoding"] for m in fig.kit_marks]
['ceiling', 'floor']
>>> plot_claims_over_time(claims) is None  # one date per side: nothing to evolve
True
"""

from __future__ import annotations

from .casualty_chart import (
    plot_claims,
    plot_other_claims,
    show_claims,
    show_other_claims,
)
from .claims import (
    APPROX_TOLERANCE,
    BOUND_PHRASES,
    CASUALTY_METRICS,
    CREDIT,
    ENCODINGS,
    METRIC_LABELS,
    READER_COLUMNS,
    SIDE_UNKNOWN,
    alt_text,
    bottom_line,
    casualty_claims,
    claimants_phrase,
    claims_table,
    extent,
    finding,
    full_text,
    losses_of,
    metric_label,
    none_found,
    not_comparable,
    other_quantitative_claims,
    plain_caveats,
    series_of,
    source_line,
    takeaway,
)
from .marks import (
    CHART_WIDTH,
    MARKERS,
    OPEN_REACH,
    OPEN_WORDS,
    PALETTE,
    claimant_styles,
    draw_mark,
    styles_for,
)
from .over_time import (
    JUMP,
    NO_CHANGE,
    has_several_dates,
    plot_claims_over_time,
    series_alt_text,
    series_notes,
    series_table,
    show_over_time,
)

__all__ = [
    "APPROX_TOLERANCE",
    "BOUND_PHRASES",
    "CASUALTY_METRICS",
    "CHART_WIDTH",
    "CREDIT",
    "ENCODINGS",
    "JUMP",
    "MARKERS",
    "METRIC_LABELS",
    "NO_CHANGE",
    "OPEN_REACH",
    "OPEN_WORDS",
    "PALETTE",
    "READER_COLUMNS",
    "SIDE_UNKNOWN",
    "alt_text",
    "bottom_line",
    "casualty_claims",
    "claimant_styles",
    "claimants_phrase",
    "claims_table",
    "draw_mark",
    "extent",
    "finding",
    "full_text",
    "has_several_dates",
    "losses_of",
    "metric_label",
    "none_found",
    "not_comparable",
    "other_quantitative_claims",
    "plain_caveats",
    "plot_claims",
    "plot_claims_over_time",
    "plot_other_claims",
    "series_alt_text",
    "series_notes",
    "series_of",
    "series_table",
    "show_claims",
    "show_other_claims",
    "show_over_time",
    "source_line",
    "styles_for",
    "takeaway",
]
