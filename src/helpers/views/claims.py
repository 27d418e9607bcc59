"""Numeric claims as the charts and tables of notebook 02 read them: selected, labelled, worded.

A figure in a news text is a claim with a shape: "at least 2,802" is a floor,
"could be up to 5,000" a ceiling, "nearly 300" an approximation. This module
picks the claims (:func:`casualty_claims`, :func:`other_quantitative_claims`),
labels each with what a reader needs (whose losses, which measure, who claims it,
where and when, caveats), and words what they add up to (:func:`bottom_line`,
:func:`finding`, :func:`alt_text`, :func:`claims_table`). The drawing is in
:mod:`.casualty_chart`, :mod:`.over_time` and :mod:`.marks`;
:mod:`helpers.charts <.charts>` gathers them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..data.wording import BOUND_PHRASES as _BOUND_PHRASES
from ..data.wording import claim_figure_shown
from .provenance import attributed, format_date, own_voice, reference_label, source_label

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

#: Half-width of the band drawn for 'approximately' when the wording gives only one
#: side or none ("about 6"): a drawing convention, stated in every chart's key.
APPROX_TOLERANCE = 0.10

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
    out = _decorate(ds, claims.loc[keep])
    # What was asked for, so an empty result can say why in words (:func:`none_found`).
    out.attrs["selection"] = {
        "as_of": ds.as_of_date,
        "sources": len(ds.sources) + len(ds.references),
        "sides": [_side_name(ds, s) for s in sides] if sides is not None else None,
        "metrics": [metric_label(m) for m in metrics] if metrics is not None else None,
    }
    return out


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
    out = _decorate(ds, claims.loc[keep])
    out.attrs["selection"] = {
        "as_of": ds.as_of_date,
        "sources": len(ds.sources) + len(ds.references),
        "what": "a figure other than a casualty figure",
    }
    return out


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
        notes.append(f"stated in {own_voice(claimant, publisher)}; no source is named")
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
    languages = ds.sources.set_index("source_id")["language"]
    out["language"] = [
        languages.get(s, "en") if isinstance(s, str) else "en" for s in out["source_id"]
    ]
    # The one place a figure becomes reader text: English reading first, source's words quoted.
    out["figure_shown"] = [
        claim_figure_shown(row, lang)
        for (_, row), lang in zip(out.iterrows(), out["language"], strict=True)
    ]
    out["losses"] = [whose_losses(row) for _, row in out.iterrows()]
    out["encoding"] = [ENCODINGS.get(b, "point") for b in out["bound"]]
    out["series_id"] = [series_of(ds, row) for _, row in out.iterrows()]
    out["series"] = [_series_name(ds, key) for key in out["series_id"]]
    numeric = ds.claims.loc[ds.claims["claim_kind"] == "quantitative"]
    keys = [series_of(ds, row) for _, row in numeric.iterrows()]
    order = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    out["claimant_rank"] = [order.get(key, len(order)) for key in out["series_id"]]
    # Sides with a name first, alphabetically; "side not stated" last.
    out["_side_order"] = out["side"].eq(SIDE_UNKNOWN)
    order = ["_side_order", "side", "losses", "metric", "claim_date", "series"]
    out = out.sort_values(order, kind="stable")
    return out.drop(columns="_side_order").reset_index(drop=True)


# --------------------------------------------------------------------------- words


def none_found(claims: pd.DataFrame) -> str:
    """Why a selection of claims is empty, in a reader's words (no parameter names).

    Read from what :func:`casualty_claims` or :func:`other_quantitative_claims` were
    asked for: the date of an as-of view, the sides and the measures chosen.

    >>> import helpers
    >>> ds = helpers.load()
    >>> print(none_found(casualty_claims(ds.as_of("2020-11-09"))))
    None of the kit's sources published by 9 November 2020 gives a casualty figure.
    >>> print(none_found(casualty_claims(ds, sides="russia", metrics=["wounded", "missing"])))
    None of the kit's sources gives a casualty figure for Russia counting wounded or missing.
    >>> print(none_found(casualty_claims(ds.as_of("1990-01-01"))))
    None of the kit's sources had been published by 1 January 1990, so no casualty figure is known.
    """
    asked = claims.attrs.get("selection", {})
    what = asked.get("what", "a casualty figure")
    when = asked.get("as_of")
    by = f" by {format_date(when)}" if when else ""
    if asked.get("sources") == 0:
        return f"None of the kit's sources had been published{by}, so no {what[2:]} is known."
    if asked.get("sides"):
        what += " for " + " or ".join(asked["sides"])
    if asked.get("metrics"):
        what += " counting " + " or ".join(asked["metrics"])
    published = f" published{by}" if by else ""
    return f"None of the kit's sources{published} gives {what}."


def bottom_line(claims: pd.DataFrame) -> str:
    """What the casualty claims add up to, each figure attributed: the notebook's answer.

    >>> import helpers
    >>> print(bottom_line(casualty_claims(helpers.load().as_of("2020-11-09"))))
    None of the kit's sources published by 9 November 2020 gives a casualty figure.
    """
    if claims.empty:
        return none_found(claims)
    open_only = set(claims["encoding"]) <= {"floor", "ceiling"}
    either = "either side" if claims["side"].nunique() == 2 else "any side"
    lines = [f"**No total for {either}.**" if open_only else "**The figures, each attributed.**"]
    for losses, group in claims.groupby("losses", sort=False):
        # attributed() begins "<side>, <measure>: "; the side is already said.
        claims_of = "; ".join(
            f"{row['metric_label']} {attributed(row).split(': ', 1)[-1]}"
            for _, row in group.iterrows()
        )
        lines.append(f"{losses}: {claims_of}.")
    warning = not_comparable(claims)
    if warning:
        lines.append(warning.replace("Not comparable:", "They cannot be compared or added:"))
    return " ".join(lines)


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
        return none_found(claims).removesuffix(".")
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
    >>> alt_text(casualty_claims(helpers.load()))[:61]
    "Casualty claims, one mark per claim: Losses on Armenia's side"
    >>> print(alt_text(casualty_claims(helpers.load().as_of("2020-11-09"))))
    ... # doctest: +NORMALIZE_WHITESPACE
    Casualty claims: none. None of the kit's sources published by 9 November 2020
    gives a casualty figure.
    """
    if claims.empty:
        return f"{what}: none. {none_found(claims)}"
    # Only casualty figures are losses; any other figure is named by what it counts.
    losses = what == "Casualty claims"
    marks = "; ".join(
        f"{row['losses'] if losses else _about(row)}, {row['metric_label']}, "
        f"{row['figure_shown']} drawn as a "
        f"{row['encoding']}, claimed by {row['claimant']} on {row['date_label']} "
        f"(source: {row['source']})"
        for _, row in claims.iterrows()
    )
    return f"{what}, one mark per claim: {marks}."


#: The columns of :func:`claims_table` a reader needs on the page; the CSV export has all.
READER_COLUMNS = [
    "about",
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
        return f"{what}: none. {none_found(claims)}"
    if what == "Casualty claims":
        warning = not_comparable(claims)
        return f"{finding(claims)}." + (f" {warning}" if warning else "")
    measures = ", ".join(dict.fromkeys(claims["metric_label"]))
    return f"{what}, each on its own scale: {measures}."


def _about(row) -> str:
    """What a claim's figure counts, whose losses included, in the data's words (``subject``).

    A figure with no side is no "side: none": its subject says what it counts (e.g.
    "people killed in the 2020 war, both sides together").

    >>> _about({"subject": " casualties on the Armenian side ", "side": "Armenia"})
    'casualties on the Armenian side'
    >>> _about({"subject": None, "side": "Armenia"})
    "on Armenia's side"
    """
    subject = row.get("subject")
    if isinstance(subject, str) and subject.strip():
        return subject.strip()
    return "side not stated" if row["side"] == SIDE_UNKNOWN else f"on {row['side']}'s side"


def claims_table(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims as a table for readers: wording, bound, who, where, when, and caveats.

    >>> import helpers
    >>> table = claims_table(casualty_claims(helpers.load()))
    >>> table.loc["am-casualties", "caveat"].split("; ")[0]
    "attributed only to unnamed 'sources and officials'"
    """
    table = pd.DataFrame(
        {
            "about": [_about(row) for _, row in claims.iterrows()],
            "what": claims["metric_label"],
            "value as worded": claims["figure_shown"],
            "bound": [BOUND_PHRASES.get(b, b) for b in claims["bound"]],
            "claimant": claims["claimant"],
            "attribution": claims["attribution"],
            "source": claims["source"],
            "claim date": claims["date_label"],
            "passage": claims["passage"],
            "caveat": claims["caveat_plain"],
            "dataset note": claims["caveat"],
            "framing note": claims["framing_note"],
            "side": claims["side"],
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


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def extent(row) -> tuple[float | None, float, float | None]:
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


def losses_of(side: str) -> str:
    """A row head that says whose losses a group of claims is about (not who claims).

    "On Armenia's side", not "Armenia's": sources count "the Armenian side", which
    takes in the Karabakh Armenian forces as well as Armenia's own.

    >>> losses_of("Armenia"), losses_of(SIDE_UNKNOWN)
    ("Losses on Armenia's side", 'Losses (side not stated)')
    """
    return f"Losses ({side})" if side == SIDE_UNKNOWN else f"Losses on {side}'s side"


def whose_losses(row) -> str:
    """The head of a claim's group: whose losses it counts, in the data's own terms.

    A claim with a side counts that side's losses. A claim without one says what it
    counts in its ``subject`` (e.g. "people killed in the 2020 war, both sides
    together": a figure for both sides, not for an unknown one), which becomes the
    head; only a claim with neither is "Losses (side not stated)".

    >>> whose_losses({"side": "Armenia", "subject": "x"})
    "Losses on Armenia's side"
    >>> whose_losses({"side": SIDE_UNKNOWN, "subject": "people killed, both sides together"})
    'People killed, both sides together'
    >>> whose_losses({"side": SIDE_UNKNOWN, "subject": None})
    'Losses (side not stated)'
    """
    subject = row.get("subject")
    if row["side"] == SIDE_UNKNOWN and isinstance(subject, str) and subject.strip():
        subject = subject.strip()
        return subject[0].upper() + subject[1:]
    return losses_of(row["side"])


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
