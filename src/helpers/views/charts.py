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

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..data.wording import BOUND_PHRASES as _BOUND_PHRASES
from ..data.wording import count
from .provenance import attributed, format_date, reference_label, source_label

#: Metrics that count people killed, wounded or missing. Claims with these
#: metrics are the notebook's casualty claims; every other quantitative claim
#: goes to the companion chart.
CASUALTY_METRICS = (
    "military_deaths",
    "civilian_deaths",
    "deaths",
    "casualties",
    "wounded",
    "missing",
)

#: Plain words for metrics. 'casualties' keeps its caveat in the label itself,
#: so no chart can pass it off as deaths.
METRIC_LABELS = {
    "military_deaths": "soldiers killed",
    "civilian_deaths": "civilians killed",
    "deaths": "people killed",
    "casualties": "casualties (may include wounded)",
    "wounded": "wounded",
    "missing": "missing",
    "people_returned": "people returned home",
    "settlements_taken": "settlements and villages taken",
    "war_duration": "length of the war",
    "peacekeepers_deployed": "Russian peacekeepers deployed",
}

#: What each bound means, in words a reader needs (tables and keys); derived, like the
#: words that signal each bound when a source is read, from one table
#: (:data:`helpers.data.wording.BOUNDS`).
BOUND_PHRASES = _BOUND_PHRASES

#: Short names for the encodings (also what tests and alt texts refer to).
ENCODINGS = {
    "exact": "point",
    "at_least": "floor",
    "more_than": "floor",
    "up_to": "ceiling",
    "approximately": "band",
    "range": "range",
}

#: How far an open side's arrow reaches, as a share of the axis: short, so it cannot be
#: read as a range that ends at the axis.
OPEN_REACH = 0.07
#: The words at an open side's arrow.
OPEN_WORDS = {"floor": "no upper figure given", "ceiling": "no lower figure given"}

#: Half-width of the band drawn for 'approximately' when the wording gives only one
#: side or none ("about 6"): a drawing convention, stated in every chart's key.
APPROX_TOLERANCE = 0.10

#: Okabe & Ito (2008) colours, ordered for contrast on white; their yellow is left out
#: (too faint on white for thin marks). With 7 colours and 8 markers, the first 56
#: claimants all differ in colour or marker.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: One marker per claimant too, so claimants stay apart in grayscale prints.
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "h")

SIDE_UNKNOWN = "side not stated"
CREDIT = "Chart: Karabakh research kit, notebook 02"


# --------------------------------------------------------------------------- selecting


def _as_list(value, name: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    raise TypeError(f"{name} must be None, a string or a list of strings; got {value!r}")


def casualty_claims(ds, sides=None, metrics=None) -> pd.DataFrame:
    """The quantitative claims about casualties, with labels ready for charts and tables.

    Parameters
    ----------
    ds : Dataset
        From :func:`helpers.load` (restrict it first with ``ds.as_of(date)``).
    sides : str or list of str, optional
        Actor ids of the sides to keep (``"armenia"``); ``None`` keeps all.
    metrics : str or list of str, optional
        Metrics to keep, among :data:`CASUALTY_METRICS`; ``None`` keeps all.

    Returns
    -------
    pandas.DataFrame
        The claims' rows plus ``side``, ``metric_label``, ``source``,
        ``date_label``, ``caveat_plain``, ``encoding`` and ``claimant_rank``
        (fixes a claimant's colour across charts), sorted by side, metric, date
        and claimant.

    Raises
    ------
    ValueError
        For a side or metric the kit does not know, listing the known ones.

    Examples
    --------
    >>> import helpers
    >>> ds = helpers.load()
    >>> casualty_claims(ds, sides="armenia")["value_as_worded"].tolist()
    ['could be up to 5,000']
    >>> casualty_claims(ds, metrics=["deaths_total"])
    Traceback (most recent call last):
    ...
    ValueError: unknown metric(s) 'deaths_total' in METRICS; casualty metrics are: ...
    """
    sides, metrics = _as_list(sides, "SIDES"), _as_list(metrics, "METRICS")
    if metrics is not None:
        bad = [m for m in metrics if m not in CASUALTY_METRICS]
        if bad:
            raise ValueError(
                f"unknown metric(s) {', '.join(map(repr, bad))} in METRICS; casualty metrics are: "
                f"{', '.join(CASUALTY_METRICS)} (defined in helpers.charts.CASUALTY_METRICS)"
            )
    if sides is not None:
        known = set(ds.actors["actor_id"])
        bad = [s for s in sides if s not in known]
        if bad:
            with_claims = sorted(
                set(ds.claims.loc[ds.claims["metric"].isin(CASUALTY_METRICS), "side_id"].dropna())
            )
            raise ValueError(
                f"unknown side(s) {', '.join(map(repr, bad))} in SIDES; "
                f"sides with casualty claims: "
                f"{', '.join(with_claims) or 'none'}; all actor ids: {', '.join(sorted(known))}"
            )
    claims = ds.claims
    keep = (claims["claim_kind"] == "quantitative") & claims["metric"].isin(
        metrics if metrics is not None else CASUALTY_METRICS
    )
    if sides is not None:
        keep &= claims["side_id"].isin(sides)
    return _decorate(ds, claims.loc[keep])


def other_quantitative_claims(ds) -> pd.DataFrame:
    """The quantitative claims that are not casualty figures (returns, territory, time).

    >>> import helpers
    >>> sorted(other_quantitative_claims(helpers.load().as_of("2021-01-11"))["metric"])
    ... # doctest: +NORMALIZE_WHITESPACE
    ['people_returned', 'people_returned', 'people_returned', 'settlements_taken',
     'war_duration']
    """
    claims = ds.claims
    keep = (claims["claim_kind"] == "quantitative") & ~claims["metric"].isin(CASUALTY_METRICS)
    return _decorate(ds, claims.loc[keep])


def metric_label(metric: str) -> str:
    """Plain words for a metric.

    >>> metric_label("casualties"), metric_label("ships_sunk")
    ('casualties (may include wounded)', 'ships sunk')
    """
    return METRIC_LABELS.get(metric, str(metric).replace("_", " "))


def _date_label(value, precision) -> str:
    text = format_date(value, precision if precision in ("day", "month", "year") else "day")
    if precision == "approximate":
        return f"about {text}"
    if precision == "week":
        return f"week of {text}"
    return text


def _source_of(ds, row) -> str:
    if row["origin"] == "article" and pd.notna(row["source_id"]):
        return source_label(ds, row["source_id"])
    if pd.notna(row["reference_id"]):
        return "context: " + reference_label(ds, row["reference_id"])
    return "source not recorded"


def _side_name(ds, side_id) -> str:
    if side_id is None or pd.isna(side_id):
        return SIDE_UNKNOWN
    names = ds.actors.set_index("actor_id")["name"]
    return str(names.get(side_id, side_id))


def plain_caveats(ds, row) -> list[str]:
    """Caveats a reader needs, worded from the claim's own fields.

    Whom the figure is attributed to (``attribution``), whether the claimant
    counts its own side's losses, what the bound and the metric leave open.

    >>> import helpers
    >>> ds = helpers.load()
    >>> row = ds.claims.set_index("claim_id").loc["am-casualties"]
    >>> for note in plain_caveats(ds, row):
    ...     print(note)
    attributed only to unnamed 'sources and officials'
    a ceiling, not an estimate: nothing is said about how many fewer
    'casualties' may include the wounded: not the same measure as deaths
    """
    notes = []
    attribution, claimant = row["attribution"], row["claimant"]
    if attribution == "vague":
        notes.append(f"attributed only to {claimant}")
    elif attribution == "unattributed":
        publisher = None
        if row["origin"] == "article" and pd.notna(row["source_id"]):
            publisher = ds.sources.set_index("source_id").loc[row["source_id"], "publisher"]
        notes.append(f"stated in {publisher or 'the outlet'}'s own voice; no source is named")
    if pd.notna(row.get("side_id")) and pd.notna(row.get("claimant_id")):
        affiliation = ds.actors.set_index("actor_id")["affiliation_id"].get(row["claimant_id"])
        if row["claimant_id"] == row["side_id"] or affiliation == row["side_id"]:
            notes.append("the side's own count of its losses")
    bound = row["bound"]
    if bound in ("at_least", "more_than"):
        notes.append("a floor, not a total: nothing is said about how many more")
    elif bound == "up_to":
        notes.append("a ceiling, not an estimate: nothing is said about how many fewer")
    elif bound == "approximately":
        notes.append("a rounded figure")
    if row["metric"] == "casualties":
        notes.append("'casualties' may include the wounded: not the same measure as deaths")
    return notes


#: Prefix of a series keyed by the claimant's wording (no claimant_id to group by).
WORDING_SERIES = "as worded: "


def series_of(ds, row) -> str:
    """The series a claim belongs to: whose figure it is, across outlets and languages.

    The claimant actor (``claimant_id``); a person who speaks for an office
    (a spokeswoman, a minister: a person whose affiliation is an organisation)
    joins that office's series. Without a ``claimant_id`` (unnamed sources), the
    claimant's wording is the series, marked as such.

    >>> import helpers
    >>> ds = helpers.load()
    >>> claims = ds.claims.set_index("claim_id")
    >>> series_of(ds, claims.loc["az-military-deaths"]), series_of(ds, claims.loc["am-casualties"])
    ('anadolu-agency', "as worded: unnamed 'sources and officials'")
    """
    claimant_id = row.get("claimant_id")
    if claimant_id is None or pd.isna(claimant_id):
        return WORDING_SERIES + str(row["claimant"])
    actors = ds.actors.set_index("actor_id")
    if claimant_id in actors.index and actors.loc[claimant_id, "kind"] == "person":
        office = actors.loc[claimant_id, "affiliation_id"]
        speaks_for_office = isinstance(office, str) and office in actors.index
        if speaks_for_office and actors.loc[office, "kind"] not in ("state", "person"):
            return office
    return str(claimant_id)


def _series_name(ds, key: str) -> str:
    if key.startswith(WORDING_SERIES):
        return key.removeprefix(WORDING_SERIES)
    names = ds.actors.set_index("actor_id")["name"]
    return str(names.get(key, key))


def _decorate(ds, claims: pd.DataFrame) -> pd.DataFrame:
    out = claims.copy()
    out["side"] = [_side_name(ds, s) for s in out["side_id"]]
    out["metric_label"] = [metric_label(m) for m in out["metric"]]
    out["source"] = [_source_of(ds, row) for _, row in out.iterrows()]
    out["date_label"] = [
        _date_label(d, p) for d, p in zip(out["claim_date"], out["claim_date_prec"], strict=True)
    ]
    out["caveat_plain"] = ["; ".join(plain_caveats(ds, row)) for _, row in out.iterrows()]
    out["encoding"] = [ENCODINGS.get(b, "point") for b in out["bound"]]
    out["series_id"] = [series_of(ds, row) for _, row in out.iterrows()]
    out["series"] = [_series_name(ds, key) for key in out["series_id"]]
    numeric = ds.claims.loc[ds.claims["claim_kind"] == "quantitative"]
    keys = [series_of(ds, row) for _, row in numeric.iterrows()]
    order = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    out["claimant_rank"] = [order.get(key, len(order)) for key in out["series_id"]]
    # Sides with a name first, alphabetically; "side not stated" last.
    out["_side_order"] = out["side"].eq(SIDE_UNKNOWN)
    order = ["_side_order", "side", "metric", "claim_date", "series"]
    out = out.sort_values(order, kind="stable")
    return out.drop(columns="_side_order").reset_index(drop=True)


# --------------------------------------------------------------------------- words


def bottom_line(claims: pd.DataFrame) -> str:
    """What the casualty claims add up to, each figure attributed: the notebook's answer.

    >>> import helpers
    >>> print(bottom_line(casualty_claims(helpers.load().as_of("2020-01-01"))))
    No casualty claims match the selection (sources published by AS_OF, SIDES, METRICS).
    """
    if claims.empty:
        return (
            "No casualty claims match the selection (sources published by AS_OF, SIDES, METRICS)."
        )
    open_only = set(claims["encoding"]) <= {"floor", "ceiling"}
    either = "either side" if claims["side"].nunique() == 2 else "any side"
    lines = [f"**No total for {either}.**" if open_only else "**The figures, each attributed.**"]
    for side, group in claims.groupby("side", sort=False):
        # attributed() begins "<side>, <measure>: "; the side is already said.
        claims_of = "; ".join(
            f"{row['metric_label']} {attributed(row).split(': ', 1)[-1]}"
            for _, row in group.iterrows()
        )
        lines.append(f"{losses_of(side)}: {claims_of}.")
    warning = not_comparable(claims)
    if warning:
        lines.append(warning.replace("Not comparable:", "They cannot be compared or added:"))
    return " ".join(lines)


def _side_summary(group: pd.DataFrame) -> str:
    words = {
        "floor": "a floor",
        "ceiling": "a ceiling",
        "point": "an exact count",
        "band": "a rounded figure",
        "range": "a range",
    }
    if len(group) == 1:
        row = group.iloc[0]
        only = "only " if row["encoding"] in ("floor", "ceiling") else ""
        return (
            f"{row['side']}: {only}{words[row['encoding']]}, "
            f"“{row['value_as_worded']}” {row['metric_label']}"
        )
    return (
        f"{group['side'].iloc[0]}: {len(group)} claims from "
        f"{count(group['claimant'].nunique(), 'claimant')}"
    )


def claimants_phrase(claims: pd.DataFrame) -> str:
    """Who made the claims, for a title: every claimant up to three, else how many.

    >>> import helpers
    >>> claimants_phrase(casualty_claims(helpers.load().as_of("2021-01-11")))
    "unnamed 'sources and officials' and Anadolu Agency (in its own voice)"
    """
    names = list(dict.fromkeys(claims["claimant"]))
    if len(names) > 3:
        return f"{len(names)} claimants"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def finding(claims: pd.DataFrame) -> str:
    """A title that says whose claims these are and what they show, computed from them.

    >>> import helpers
    >>> print(finding(casualty_claims(helpers.load().as_of("2021-01-11"))))
    ... # doctest: +NORMALIZE_WHITESPACE
    No total for either side: what unnamed 'sources and officials' and Anadolu Agency
    (in its own voice) claim about each side's losses
    """
    if claims.empty:
        return "No casualty claims in the selected sources"
    open_only = set(claims["encoding"]) <= {"floor", "ceiling"}
    either = "either side" if claims["side"].nunique() == 2 else "any side"
    head = f"No total for {either}: " if open_only else "Casualty figures: "
    return f"{head}what {claimants_phrase(claims)} claim about each side's losses"


def source_line(claims: pd.DataFrame) -> str:
    """The chart's source line: every source the marks come from.

    >>> import helpers
    >>> print(source_line(casualty_claims(helpers.load().as_of("2021-01-11"))))
    Source: Anadolu Agency, 11 January 2021. Claimants as the sources attribute them.
    Chart: Karabakh research kit, notebook 02
    """
    sources = list(dict.fromkeys(claims["source"]))
    label = "Source" if len(sources) == 1 else "Sources"
    return (
        f"{label}: {'; '.join(sources) or 'none'}. Claimants as the sources attribute them. "
        f"{CREDIT}"
    )


def alt_text(claims: pd.DataFrame, what: str = "Casualty claims") -> str:
    """Alt text for a claims chart: every mark in words.

    >>> import helpers
    >>> alt_text(casualty_claims(helpers.load()))[:48]
    'Casualty claims, one mark per claim: Armenia, ca'
    """
    if claims.empty:
        return f"{what}: none in the selected sources."
    marks = "; ".join(
        f"{row['side']}, {row['metric_label']}, “{row['value_as_worded']}” drawn as a "
        f"{row['encoding']}, claimed by {row['claimant']} on {row['date_label']} "
        f"(source: {row['source']})"
        for _, row in claims.iterrows()
    )
    return f"{what}, one mark per claim: {marks}."


#: The columns of :func:`claims_table` a reader needs on the page; the CSV export has all.
READER_COLUMNS = [
    "side",
    "what",
    "value as worded",
    "bound",
    "claimant",
    "source",
    "claim date",
    "passage",
    "caveat",
]


def takeaway(claims: pd.DataFrame, what: str = "Casualty claims") -> str:
    """A claims chart's alt text: its finding in one sentence (:func:`alt_text` has every mark).

    >>> import helpers
    >>> takeaway(casualty_claims(helpers.load().as_of("2021-01-11")))[:60]
    "No total for either side: what unnamed 'sources and official"
    """
    if claims.empty:
        return f"{what}: none in the selected sources."
    if what == "Casualty claims":
        warning = not_comparable(claims)
        return f"{finding(claims)}." + (f" {warning}" if warning else "")
    measures = ", ".join(dict.fromkeys(claims["metric_label"]))
    return f"{what}, each on its own scale: {measures}."


def claims_table(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims as a table for readers: wording, bound, who, where, when, and caveats.

    >>> import helpers
    >>> table = claims_table(casualty_claims(helpers.load()))
    >>> table.loc["am-casualties", "caveat"].split("; ")[0]
    "attributed only to unnamed 'sources and officials'"
    """
    table = pd.DataFrame(
        {
            "side": claims["side"],
            "what": claims["metric_label"],
            "value as worded": claims["value_as_worded"],
            "bound": [BOUND_PHRASES.get(b, b) for b in claims["bound"]],
            "claimant": claims["claimant"],
            "attribution": claims["attribution"],
            "source": claims["source"],
            "claim date": claims["date_label"],
            "passage": claims["passage"],
            "caveat": claims["caveat_plain"],
            "dataset note": claims["caveat"],
            "framing note": claims["framing_note"],
        }
    )
    if "translation" in claims.columns and claims["translation"].notna().any():
        # A rendering made for the kit, labelled as such: the passage stays the source's words.
        table["English rendering (not the source's words)"] = [
            f"{t} [translation by {b if isinstance(b, str) else 'unknown'}]"
            if isinstance(t, str)
            else ""
            for t, b in zip(claims["translation"], claims["translation_by"], strict=True)
        ]
    table.index = pd.Index(claims["claim_id"], name="claim_id")
    return table


def full_text():
    """A context in which tables show long text (passages, caveats) uncut.

    Plain DataFrame display escapes every cell for HTML; this only lifts
    pandas' 50-character cut, so a passage is never shown half quoted.

    >>> with full_text():
    ...     pd.get_option("display.max_colwidth") is None
    True
    """
    return pd.option_context("display.max_colwidth", None)


# --------------------------------------------------------------------------- drawing


def _subplots(rows: int = 1, figsize=(10, 4), **kwargs):
    """A figure with ``rows`` stacked axes, made without pyplot.

    Without pyplot no backend is switched, no window opens and no figure is kept
    in a global registry: :func:`helpers.figures.show` renders the figure itself.
    """
    from .figures import new_figure

    fig = new_figure(figsize=figsize)
    axes = fig.subplots(rows, 1, squeeze=False, **kwargs)
    return fig, axes


def claimant_styles(claimants: Iterable[str], ranks: Iterable[int] | None = None) -> dict:
    """A colour and a marker per claimant: by ``ranks`` if given, else by first appearance.

    >>> claimant_styles(["A", "B", "A"])["B"]
    {'color': '#D55E00', 'marker': 's'}
    >>> claimant_styles(["A", "B"], ranks=[2, 0])["B"]
    {'color': '#0072B2', 'marker': 'o'}
    """
    claimants = list(claimants)
    if ranks is None:
        order = list(dict.fromkeys(claimants))
        ranks = [order.index(name) for name in claimants]
    return {
        name: {"color": PALETTE[i % len(PALETTE)], "marker": MARKERS[i % len(MARKERS)]}
        for name, i in zip(claimants, ranks, strict=True)
    }


def _styles(claims: pd.DataFrame) -> dict:
    # claimant_rank (from _decorate) keeps a claimant's colour the same in every chart.
    ranks = claims["claimant_rank"] if "claimant_rank" in claims.columns else None
    names = claims["series"] if "series" in claims.columns else claims["claimant"]
    return claimant_styles(names, ranks)


def _series_key(row) -> str:
    return row["series"] if "series" in row.index else row["claimant"]


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _extent(row) -> tuple[float | None, float, float | None]:
    """(low, anchor, high) of a claim; low/high ``None`` where the wording leaves it open."""
    low, best, high = _num(row["value_low"]), _num(row["value_best"]), _num(row["value_high"])
    bound = row["bound"]
    if bound in ("at_least", "more_than"):
        return low if low is not None else best, low if low is not None else best, None
    if bound == "up_to":
        anchor = high if high is not None else best
        return None, anchor, anchor
    if bound == "approximately":
        anchor = best if best is not None else (low if low is not None else high)
        # "nearly 300" is recorded with high = 300: the band keeps that known side
        # and extends the default tolerance only on the side the wording leaves open.
        lo = low if low is not None and low < anchor else anchor * (1 - APPROX_TOLERANCE)
        hi = high if high is not None and high > anchor else anchor * (1 + APPROX_TOLERANCE)
        if high is not None and high == anchor:
            hi = anchor
        if low is not None and low == anchor:
            lo = anchor
        if lo == hi:  # both sides pinned: nothing to widen
            lo, hi = anchor * (1 - APPROX_TOLERANCE), anchor * (1 + APPROX_TOLERANCE)
        return lo, anchor, hi
    if bound == "range":
        anchor = best if best is not None else (low + high) / 2
        return low, anchor, high
    anchor = best if best is not None else (low if low is not None else high)
    return anchor, anchor, anchor


def _axis_max(claims: pd.DataFrame) -> float:
    values = [v for _, row in claims.iterrows() for v in _extent(row) if v is not None]
    top = max(values, default=1.0)
    return top * 1.3 if top > 0 else 1.0


def draw_mark(ax, row, y: float, style: dict, x_min: float, x_max: float) -> dict:
    """Draw one claim at height ``y`` on a horizontal value axis; return what was drawn.

    Every artist gets the gid ``<claim_id>:<part>`` (kept as an id in the SVG),
    so a reader of the SVG, or a test, can find each claim's pieces.
    """
    claim_id, bound = row["claim_id"], row["bound"]
    low, anchor, high = _extent(row)
    color, marker = style["color"], style["marker"]
    drawn = {
        "claim_id": claim_id,
        "bound": bound,
        "encoding": ENCODINGS.get(bound, "point"),
        "y": y,
        "low": low,
        "value": anchor,
        "high": high,
    }
    # An open side is a short arrow ending in words, never a line to the axis's end: a
    # line from 2,802 to the edge, or from 5,000 down to 0, reads as a range.
    reach = OPEN_REACH * (x_max - x_min)
    if bound in ("at_least", "more_than"):
        end = min(anchor + reach, x_max)
        _open_arrow(ax, (anchor, y), (end, y), color, f"{claim_id}:open-right")
        _open_label(ax, end, y, OPEN_WORDS["floor"], "left", f"{claim_id}:open-words")
    elif bound == "up_to":
        # Near zero the arrow stops halfway, and the words go right of the point.
        end = max(anchor - reach, x_min + (anchor - x_min) / 2)
        _open_arrow(ax, (anchor, y), (end, y), color, f"{claim_id}:open-left")
        room = end - x_min >= 3 * reach
        where = (end, "right") if room else (anchor + reach / 4, "left")
        _open_label(ax, where[0], y, OPEN_WORDS["ceiling"], where[1], f"{claim_id}:open-words")
    elif bound == "approximately":
        from matplotlib.patches import Rectangle

        rect = Rectangle(
            (low, y - 0.22),
            high - low,
            0.44,
            facecolor=color,
            alpha=0.25,
            edgecolor=color,
            hatch="///",
            linewidth=0.8,
        )
        rect.set_gid(f"{claim_id}:band")
        ax.add_patch(rect)
    elif bound == "range":
        (line,) = ax.plot([low, high], [y, y], color=color, linewidth=4, solid_capstyle="butt")
        line.set_gid(f"{claim_id}:range")
        (caps,) = ax.plot(
            [low, high],
            [y, y],
            linestyle="none",
            marker="|",
            markersize=16,
            markeredgewidth=2,
            color=color,
        )
        caps.set_gid(f"{claim_id}:range-ends")
    show_point = not (bound == "range" and pd.isna(row["value_best"]))
    if show_point:
        hollow = bound == "more_than"
        # clip_on=False: a mark at zero is drawn whole, not cut by the axis.
        (point,) = ax.plot(
            [anchor],
            [y],
            linestyle="none",
            marker=marker,
            markersize=10,
            markeredgewidth=2,
            color=color,
            clip_on=False,
            markerfacecolor="white" if hollow else color,
            zorder=5,
        )
        point.set_gid(f"{claim_id}:point")
    return drawn


def _key_text(bounds: set[str]) -> str:
    parts = []
    if "exact" in bounds:
        parts.append("point = exact figure")
    if bounds & {"at_least", "more_than"}:
        parts.append(
            "short arrow to the right = a floor ('at least'): no upper figure given"
            + (" (hollow point: 'more than')" if "more_than" in bounds else "")
        )
    if "up_to" in bounds:
        parts.append("short arrow to the left = a ceiling ('up to'): no lower figure given")
    if "approximately" in bounds:
        parts.append(
            "hatched band = 'approximately' (drawn "
            f"{APPROX_TOLERANCE:.0%} wide on each side the wording leaves open)"
        )
    if "range" in bounds:
        parts.append("solid bar = range from low to high")
    return "How to read: " + "; ".join(parts) + "." if parts else ""


def _row_label(row, with_side: bool = False, one_source: bool = False) -> tuple[str, str]:
    first = f"“{row['value_as_worded']}” {row['metric_label']}"
    if with_side and row["side"] != SIDE_UNKNOWN:
        first += f" (side: {row['side']})"
    where = "" if one_source else f" · {row['source']}"
    second = f"claimed by {row['claimant']}{where} · {row['date_label']}"
    return first, second


def losses_of(side: str) -> str:
    """A row head that says whose losses a group of claims is about (not who claims).

    >>> losses_of("Armenia"), losses_of(SIDE_UNKNOWN)
    ("Armenia's losses", 'Losses (side not stated)')
    """
    return f"Losses ({side})" if side == SIDE_UNKNOWN else f"{side}'s losses"


def _draw_rows(ax, claims: pd.DataFrame, styles: dict, x_max: float, group: bool = True):
    """Draw claims as labelled rows, grouped by side; return the marks drawn."""
    marks, y, ticks = [], 0.0, []
    groups = claims.groupby("side", sort=False) if group else [(None, claims)]
    one_source = claims["source"].nunique() == 1
    for side, rows in groups:
        if side is not None:
            y -= 0.9
            ax.text(
                0.0,
                y,
                losses_of(side),
                transform=ax.get_yaxis_transform(),
                fontsize=12,
                fontweight="bold",
                va="center",
                ha="left",
                parse_math=False,
            )
            ax.axhline(y - 0.35, color="0.75", linewidth=0.8)
        for _, row in rows.iterrows():
            y -= 1.9
            marks.append(draw_mark(ax, row, y, styles[_series_key(row)], 0.0, x_max))
            first, second = _row_label(row, with_side=not group, one_source=one_source)
            # parse_math=False: a '$' in source text is shown, not typeset as maths.
            ax.text(
                0.005,
                y + 0.75,
                first,
                transform=ax.get_yaxis_transform(),
                fontsize=10,
                va="center",
                ha="left",
                parse_math=False,
            )
            ax.text(
                0.005,
                y + 0.38,
                second,
                transform=ax.get_yaxis_transform(),
                fontsize=9,
                va="center",
                ha="left",
                color="0.25",
                parse_math=False,
            )
            ticks.append(y)
    ax.set_ylim(y - 0.8, 0.2)
    ax.set_xlim(0, x_max)
    ax.set_yticks([])
    for spine in ("left", "right", "top"):
        ax.spines[spine].set_visible(False)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    ax.xaxis.set_major_formatter(_thousands())
    return marks


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 10 or v == int(v) else f"{v:g}")


def _empty_figure(message: str):
    fig, axes = _subplots(1, figsize=(8, 1.5))
    ax = axes[0, 0]
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, parse_math=False)
    fig.kit_marks = []
    return fig


#: Width of the claims charts, in inches: at :data:`helpers.figures.DISPLAY_DPI` it fits
#: the report's column unscaled, so its text keeps the size it is set in.
CHART_WIDTH = 8.0


def not_comparable(claims: pd.DataFrame) -> str:
    """The warning a chart carries when its claims cannot be set against each other.

    >>> import helpers
    >>> print(not_comparable(casualty_claims(helpers.load().as_of("2021-01-11"))))
    ... # doctest: +NORMALIZE_WHITESPACE
    Not comparable: different measures (casualties (may include wounded); soldiers killed),
    only floors and ceilings, from different claimants.
    """
    reasons = []
    if claims["metric"].nunique() > 1:
        reasons.append(f"different measures ({'; '.join(sorted(set(claims['metric_label'])))})")
    if set(claims["encoding"]) <= {"floor", "ceiling"}:
        reasons.append("only floors and ceilings")
    if claims["series"].nunique() > 1 if "series" in claims else claims["claimant"].nunique() > 1:
        reasons.append("from different claimants")
    if not reasons or len(claims) < 2:
        return ""
    return "Not comparable: " + ", ".join(reasons) + "."


def _claimant_key(fig, claims: pd.DataFrame, styles: dict, y: float) -> None:
    """A key of claimants under the chart: colour and shape name who claims, not a side."""
    from matplotlib.lines import Line2D

    seen = dict.fromkeys(_series_key(row) for _, row in claims.iterrows())
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=styles[name]["marker"],
            color=styles[name]["color"],
            markersize=8,
            label=name,
        )
        for name in seen
    ]
    legend = fig.legend(
        handles=handles,
        title="Claimant (colour and shape)",
        loc="upper left",
        bbox_to_anchor=(0.02, y),
        frameon=False,
        fontsize=9,
        title_fontsize=9,
        alignment="left",
        ncols=1 if len(handles) > 3 else len(handles),
    )
    for text in legend.get_texts():
        text.set_parse_math(False)


def plot_claims(claims: pd.DataFrame, title: str | None = None):
    """The main chart: one labelled mark per claim, grouped by whose losses, keyed by claimant.

    Parameters
    ----------
    claims : pandas.DataFrame
        From :func:`casualty_claims`. Claims in different units get separate
        panels: two units never share an axis.
    title : str, optional
        Defaults to :func:`finding`, a title computed from the claims.

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.kit_marks``: one dict per claim (claim_id, bound, encoding,
        y, low, value, high).
    """
    if claims.empty:
        return _empty_figure("No casualty claims in the selected sources.")
    styles = _styles(claims)
    panels = list(
        claims.assign(unit=claims["unit"].fillna("no unit given")).groupby("unit", sort=True)
    )
    heights = [0.6 + 0.95 * (len(rows) + rows["side"].nunique() * 0.5) for _, rows in panels]
    warning = not_comparable(claims)
    fig, axes = _subplots(
        len(panels),
        figsize=(CHART_WIDTH, 1.4 + sum(heights)),
        gridspec_kw={"height_ratios": heights},
    )
    marks = []
    for ax, (unit, rows) in zip(axes[:, 0], panels, strict=True):
        marks += _draw_rows(ax, rows, styles, _axis_max(rows))
        ax.set_xlabel(unit, parse_math=False, fontsize=9)
        ax.tick_params(labelsize=9)
    fig.suptitle(
        _wrap(title or finding(claims), 80),
        x=0.02,
        ha="left",
        fontsize=11.5,
        fontweight="bold",
        parse_math=False,
    )
    if warning:  # inside the chart, where the eye compares the marks
        axes[0, 0].text(
            0.99,
            0.98,
            _wrap(warning, 46),
            transform=axes[0, 0].transAxes,
            ha="right",
            va="top",
            fontsize=9,
            fontweight="bold",
            color="#7a1f00",
            bbox={"boxstyle": "round,pad=0.4", "facecolor": "#fff4ec", "edgecolor": "#7a1f00"},
            parse_math=False,
        ).set_gid("not-comparable")
    fig.tight_layout()
    _claimant_key(fig, claims, styles, 0.0)
    n_keys = claims["series"].nunique() if "series" in claims else claims["claimant"].nunique()
    key_height = 0.04 + 0.03 * (n_keys if n_keys > 3 else 1)
    footer = "\n".join(
        filter(None, [_wrap(_key_text(set(claims["bound"])), 110), _wrap(source_line(claims), 110)])
    )
    fig.text(
        0.02,
        -0.03 - key_height,
        footer,
        ha="left",
        va="top",
        fontsize=8.5,
        color="0.2",
        parse_math=False,
    )
    fig.kit_marks = marks
    # The index's thumbnail: the middle of the first panel's marks.
    shown = [m for m in marks[: len(panels[0][1])] if pd.notna(m["value"])] or marks[:1]
    fig.kit_thumbnail_at = (
        axes[0, 0],
        sum(m["value"] for m in shown) / len(shown),
        sum(m["y"] for m in shown) / len(shown),
    )
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) if text else ""


def has_several_dates(claims: pd.DataFrame) -> bool:
    """True when at least one claimant has claims (for one side) made on several dates.

    Two outlets' one-off figures on two days are no series: nothing of anyone's changed.

    >>> import helpers
    >>> has_several_dates(casualty_claims(helpers.load().as_of("2021-01-11")))
    False
    """
    if claims.empty:
        return False
    return bool(_in_a_series(claims).any())


def _in_a_series(claims: pd.DataFrame) -> pd.Series:
    """Rows whose claimant has claims for the same side on more than one date."""
    return claims.groupby(["side", "series"])["claim_date"].transform("nunique") > 1


def plot_claims_over_time(claims: pd.DataFrame):
    """How each claimant's figure evolved: one panel per side, steps per claimant and metric.

    Drawn only for claimants with claims on several dates; returns ``None`` when no
    claimant has any (a one-date "time series" would show nothing). Bounds stay
    visible: a floor gets an arrow up, a ceiling an arrow down to zero, a range
    or a band a vertical bar.
    """
    if not has_several_dates(claims):
        return None
    import matplotlib.dates as mdates

    claims = claims.loc[_in_a_series(claims)].assign(unit=claims["unit"].fillna("no unit given"))
    styles = _styles(claims)
    # One panel per side (and per unit, should a side's claims come in several).
    panels = list(claims.groupby(["side", "unit"], sort=False))
    # sharex: one calendar for every panel.
    # Drawn at the width it is shown at, so its smallest text stays legible on the page.
    fig, axes = _subplots(len(panels), figsize=(CHART_WIDTH, 3.4 * len(panels)), sharex=True)
    fig.kit_marks = []
    y_top = _axis_max(claims)
    for ax, ((side, unit), rows) in zip(axes[:, 0], panels, strict=True):
        handles = []
        for i, ((name, _metric), series) in enumerate(
            rows.groupby(["series", "metric"], sort=False)
        ):
            handles.append(_draw_series(fig, ax, rows, series, styles[name], i, y_top))
        ax.set_title(side, loc="left", fontweight="bold", parse_math=False)
        ax.set_ylim(0, y_top)
        ax.yaxis.set_major_formatter(_thousands())
        ax.set_ylabel(unit, parse_math=False)
        ax.grid(axis="y", color="0.9")
        legend = ax.legend(
            handles=handles,
            loc="upper left",
            fontsize=8.5,
            frameon=False,
        )
        for text in legend.get_texts():
            text.set_parse_math(False)
        for spine in ("right", "top"):
            ax.spines[spine].set_visible(False)
    locator = mdates.AutoDateLocator()
    axes[-1, 0].xaxis.set_major_locator(locator)
    axes[-1, 0].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes[-1, 0].set_xlabel("claim date")
    fig.suptitle(
        "How each claimant's figure changed over time\n(arrows: open ends of floors and ceilings)",
        x=0.02,
        ha="left",
        fontsize=12.5,
        fontweight="bold",
    )
    fig.text(
        0.02,
        -0.01,
        _wrap(source_line(claims), 110),
        ha="left",
        va="top",
        fontsize=8.5,
        color="0.2",
        parse_math=False,
    )
    fig.tight_layout()
    return fig


def _draw_series(fig, ax, rows, series, style, i: int, y_top: float):
    """One claimant's series: steps in date order, each mark labelled with the words used."""
    from matplotlib.lines import Line2D

    name, metric = series["series"].iloc[0], series["metric"].iloc[0]
    # A claimant's different measures are never joined; line styles tell them apart.
    measures = list(dict.fromkeys(rows.loc[rows["series"] == name, "metric"]))
    linestyle = ("-", ":", "-.")[measures.index(metric) % 3]
    series = series.sort_values(["claim_date", "claim_id"])
    anchors = [_extent(r)[1] for _, r in series.iterrows()]
    (line,) = ax.step(
        series["claim_date"],
        anchors,
        where="post",
        color=style["color"],
        linewidth=1.8,
        linestyle=linestyle,
        zorder=2 + i * 0.01,
    )
    line.set_gid(f"steps:{series['side'].iloc[0]}:{series['series_id'].iloc[0]}:{metric}")
    for (_, row), anchor in zip(series.iterrows(), anchors, strict=True):
        fig.kit_marks.append(_draw_vertical(ax, row, style, anchor, y_top))
        label = ax.annotate(
            f"“{row['value_as_worded']}” ({row['claimant']})",
            (row["claim_date"], anchor),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=8.5,
            color="0.2",
            annotation_clip=False,
        )
        label.set_parse_math(False)
        label.set_gid(f"{row['claim_id']}:wording")
    return Line2D(
        [],
        [],
        color=style["color"],
        marker=style["marker"],
        linestyle=linestyle,
        label=f"{name} — {metric_label(metric)}",
    )


def series_table(claims: pd.DataFrame) -> pd.DataFrame:
    """Each claimant's figures in date order: one row per figure, with what to look at.

    Columns: the series (the claimant actor's name), metric, claim date, bound,
    value as worded, value as a number, the claimant's words in the source,
    the source, and ``note``: a jump from the previous figure, or an older
    figure an outlet repeats after the claimant revised it.

    >>> import helpers
    >>> table = series_table(casualty_claims(helpers.load().as_of("2021-01-11")))
    >>> table[["series", "value as worded", "value"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [["unnamed 'sources and officials'", 'could be up to 5,000', 5000.0],
     ['Anadolu Agency', 'at least 2,802', 2802.0]]
    """
    rows = []
    for (_, _), series in claims.groupby(["series_id", "metric"], sort=False):
        series = series.sort_values(["claim_date", "claim_id"])
        notes = series_notes(series)
        for _, row in series.iterrows():
            rows.append(
                {
                    "series": row["series"],
                    "what": row["metric_label"],
                    "claim date": row["date_label"],
                    "bound": BOUND_PHRASES.get(row["bound"], row["bound"]),
                    "value as worded": row["value_as_worded"],
                    "value": _extent(row)[1],
                    "claimant as worded": row["claimant"],
                    "source": row["source"],
                    "note": notes.get(row["claim_id"], ""),
                    "claim_id": row["claim_id"],
                }
            )
    return pd.DataFrame(rows).set_index("claim_id") if rows else pd.DataFrame()


#: A change between two consecutive figures of one series larger than this
#: fraction of the earlier one is pointed out as a jump.
JUMP = 0.5


def series_notes(series: pd.DataFrame) -> dict[str, str]:
    """What a reader of one series (sorted by date) should not miss, by claim_id.

    A figure that falls although it counts a total to date, a jump by more than
    :data:`JUMP`, and a *stale repeat*: a report dated after the claimant gave a
    newer figure that still carries an older one.
    """
    notes: dict[str, list[str]] = {}
    latest: tuple | None = None  # (value, date, claim_id, source) of the newest figure
    previous = None
    for _, row in series.iterrows():
        value = _extent(row)[1]
        say = notes.setdefault(row["claim_id"], [])
        if latest and value != latest[0] and row["claim_date"] > latest[1]:
            earlier = series.loc[series["claim_date"] < latest[1]]
            if any(_extent(r)[1] == value for _, r in earlier.iterrows()):
                say.append(
                    f"repeats an older figure: the claimant had given “{latest[4]}” by "
                    f"{latest[1]:%d %B %Y} ({latest[3]})"
                )
                continue
        if previous is not None and previous and value != previous:
            change = (value - previous) / previous
            if value < previous:
                say.append(f"lower than the figure before ({previous:,.0f}): a revision down")
            elif change > JUMP:
                say.append(f"jumps by {change:.0%} from the figure before ({previous:,.0f})")
        if latest is None or row["claim_date"] >= latest[1]:
            latest = (
                value,
                row["claim_date"],
                row["claim_id"],
                row["source"],
                row["value_as_worded"],
            )
        previous = value
    return {k: "; ".join(v) for k, v in notes.items() if v}


def series_alt_text(claims: pd.DataFrame, what: str = "Casualty claims over time") -> str:
    """Alt text for the time chart: each claimant's series in date order, in words."""
    if claims.empty:
        return f"{what}: none in the selected sources."
    table = series_table(claims)
    parts = []
    for (name, metric), rows in table.groupby(["series", "what"], sort=False):
        points = ", then ".join(
            f"“{r['value as worded']}” ({r['bound'].split(':')[0]}) on {r['claim date']} "
            f"as worded by {r['claimant as worded']} in {r['source']}"
            + (f" [{r['note']}]" if r["note"] else "")
            for _, r in rows.iterrows()
        )
        parts.append(f"{name}, {metric}: {points}")
    return f"{what}, one line per claimant: " + "; ".join(parts) + "."


NO_CHANGE = "No side has claims from several dates: there is no change over time to show."


def show_over_time(
    claims: pd.DataFrame, stem: str = "casualty-claims-over-time", figures_dir=None
) -> bool:
    """Show the time chart if a side has claims on several dates; else say why not.

    When there is nothing to draw, a figure of that name left by an earlier run
    (with other data) is removed, so the output folder never shows a stale chart.
    Returns whether the chart was drawn. Below the chart, :func:`series_table` gives
    the same series as a table. ``figures_dir`` defaults to the build's figures folder.

    >>> import helpers, tempfile
    >>> show_over_time(casualty_claims(helpers.load().as_of("2020-01-01")),
    ...                figures_dir=tempfile.mkdtemp())
    <IPython.core.display.Markdown object>
    False
    """
    from .. import paths
    from . import figures

    fig = plot_claims_over_time(claims)
    if fig is None:
        folder = Path(figures_dir) if figures_dir else paths.output_dir() / "figures"
        for ext in ("png", "svg"):
            (folder / f"{stem}.{ext}").unlink(missing_ok=True)
        from IPython.display import Markdown, display

        display(Markdown(NO_CHANGE))
        return False
    figures.show(fig, stem, series_alt_text(claims))
    # The same series as a table: each claimant's figures in date order, with notes.
    from IPython.display import display

    with full_text():
        display(
            series_table(claims.loc[claims.groupby("side")["claim_date"].transform("nunique") > 1])
        )
    return True


def _open_label(ax, x: float, y: float, words: str, ha: str, gid: str) -> None:
    """The words at the end of an open side's arrow ("no upper figure given")."""
    text = ax.annotate(
        words,
        (x, y),
        xytext=(4 if ha == "left" else -4, 0),
        textcoords="offset points",
        ha=ha,
        va="center",
        fontsize=8.5,
        fontstyle="italic",
        color="0.2",
        annotation_clip=False,
    )
    text.set_parse_math(False)
    text.set_gid(gid)


def _open_arrow(ax, start, end, color, gid: str, small: bool = False) -> None:
    """A dashed arrow from the stated figure towards the open side of its bound."""
    arrow = {
        "arrowstyle": "-|>",
        "color": color,
        "linestyle": (0, (4, 3)),
        "linewidth": 1.4 if small else 1.6,
        "shrinkA": 0,
        "shrinkB": 0,
        "mutation_scale": 12 if small else 14,
    }
    ax.annotate("", xy=end, xytext=start, arrowprops=arrow, annotation_clip=False).set_gid(gid)


def _draw_vertical(ax, row, style: dict, anchor: float, y_top: float) -> dict:
    import matplotlib.dates as mdates

    claim_id, bound = row["claim_id"], row["bound"]
    low, _, high = _extent(row)
    x = mdates.date2num(row["claim_date"])
    color = style["color"]
    if bound in ("at_least", "more_than"):
        _open_arrow(ax, (x, anchor), (x, y_top), color, f"{claim_id}:open-up", small=True)
    elif bound == "up_to":
        _open_arrow(ax, (x, anchor), (x, 0), color, f"{claim_id}:open-down", small=True)
    elif bound in ("approximately", "range"):
        (bar,) = ax.plot(
            [x, x],
            [low, high],
            color=color,
            linewidth=6 if bound == "approximately" else 3,
            alpha=0.3 if bound == "approximately" else 1.0,
        )
        bar.set_gid(f"{claim_id}:{'band' if bound == 'approximately' else 'range'}")
    if not (bound == "range" and pd.isna(row["value_best"])):
        (point,) = ax.plot(
            [x],
            [anchor],
            linestyle="none",
            marker=style["marker"],
            markersize=9,
            markeredgewidth=2,
            color=color,
            markerfacecolor="white" if bound == "more_than" else color,
            zorder=5,
        )
        point.set_gid(f"{claim_id}:point")
    return {
        "claim_id": claim_id,
        "bound": bound,
        "encoding": ENCODINGS.get(bound, "point"),
        "date": row["claim_date"],
        "low": low,
        "value": anchor,
        "high": high,
    }


def plot_other_claims(claims: pd.DataFrame):
    """The companion chart: one small panel per metric and unit, never a shared axis.

    >>> import helpers
    >>> fig = plot_other_claims(other_quantitative_claims(helpers.load().as_of("2021-01-11")))
    >>> len(fig.kit_marks), len(fig.axes)
    (5, 3)
    """
    if claims.empty:
        return _empty_figure("No other quantitative claims in the selected sources.")
    styles = _styles(claims)
    panels = list(claims.groupby(["metric", "unit"], sort=False, dropna=False))
    heights = [0.9 + 0.85 * len(rows) for _, rows in panels]
    fig, axes = _subplots(
        len(panels),
        figsize=(CHART_WIDTH, sum(heights) + 1.2),
        gridspec_kw={"height_ratios": heights},
    )
    fig.kit_marks = []
    for ax, ((metric, unit), rows) in zip(axes[:, 0], panels, strict=True):
        fig.kit_marks += _draw_rows(ax, rows, styles, _axis_max(rows), group=False)
        unit_text = unit if isinstance(unit, str) else "no unit given"
        ax.set_title(
            f"{metric_label(metric)} ({unit_text})",
            loc="left",
            fontsize=11,
            fontweight="bold",
            parse_math=False,
        )
        ax.set_xlabel(unit_text, parse_math=False, fontsize=9)
        ax.tick_params(labelsize=9)
    fig.suptitle(
        "Other figures in the sources, each on its own scale",
        x=0.02,
        ha="left",
        fontsize=12.5,
        fontweight="bold",
    )
    footer = "\n".join(
        filter(None, [_wrap(_key_text(set(claims["bound"])), 110), _wrap(source_line(claims), 110)])
    )
    fig.text(0.02, -0.01, footer, ha="left", va="top", fontsize=8.5, color="0.2", parse_math=False)
    fig.tight_layout()
    return fig
