"""How each claimant's figure changed over time: steps per claimant, with a table and notes.

Drawn only where a claimant gave figures for one side on several dates
(:func:`has_several_dates`); otherwise :func:`show_over_time` says there is no
change to show.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .claims import (
    BOUND_PHRASES,
    ENCODINGS,
    extent,
    full_text,
    metric_label,
    none_found,
    source_line,
)
from .marks import CHART_WIDTH, axis_max, open_arrow, styles_for, subplots, thousands, wrap


def has_several_dates(claims: pd.DataFrame) -> bool:
    """True when at least one claimant has claims (for one side) made on several dates.

    Two outlets' one-off figures on two days are no series: nothing of anyone's changed.

    >>> import helpers
    >>> from helpers.views.claims import casualty_claims
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
    styles = styles_for(claims)
    # One panel per side (and per unit, should a side's claims come in several).
    panels = list(claims.groupby(["side", "unit"], sort=False))
    # sharex: one calendar for every panel.
    # Drawn at the width it is shown at, so its smallest text stays legible on the page.
    fig, axes = subplots(len(panels), figsize=(CHART_WIDTH, 3.4 * len(panels)), sharex=True)
    fig.kit_marks = []
    y_top = axis_max(claims)
    for ax, ((side, unit), rows) in zip(axes[:, 0], panels, strict=True):
        handles = []
        for i, ((name, _metric), series) in enumerate(
            rows.groupby(["series", "metric"], sort=False)
        ):
            handles.append(_draw_series(fig, ax, rows, series, styles[name], i, y_top))
        ax.set_title(side, loc="left", fontweight="bold", parse_math=False)
        ax.set_ylim(0, y_top)
        ax.yaxis.set_major_formatter(thousands())
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
        wrap(source_line(claims), 110),
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
    anchors = [extent(r)[1] for _, r in series.iterrows()]
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
            f"{row['figure_shown']} ({row['claimant']})",
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
    >>> from helpers.views.claims import casualty_claims
    >>> table = series_table(casualty_claims(helpers.load().as_of("2021-01-11")))
    >>> table[["series", "value as worded", "value"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [["unnamed 'sources and officials'", '“could be up to 5,000”', 5000.0],
     ['Anadolu Agency', '“at least 2,802”', 2802.0]]
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
                    "value as worded": row["figure_shown"],
                    "value": extent(row)[1],
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
        value = extent(row)[1]
        say = notes.setdefault(row["claim_id"], [])
        if latest and value != latest[0] and row["claim_date"] > latest[1]:
            earlier = series.loc[series["claim_date"] < latest[1]]
            if any(extent(r)[1] == value for _, r in earlier.iterrows()):
                say.append(
                    f"repeats an older figure: the claimant had given {latest[4]} by "
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
                row["figure_shown"],
            )
        previous = value
    return {k: "; ".join(v) for k, v in notes.items() if v}


def series_alt_text(claims: pd.DataFrame, what: str = "Casualty claims over time") -> str:
    """Alt text for the time chart: each claimant's series in date order, in words."""
    if claims.empty:
        return f"{what}: none. {none_found(claims)}"
    table = series_table(claims)
    parts = []
    for (name, metric), rows in table.groupby(["series", "what"], sort=False):
        points = ", then ".join(
            f"{r['value as worded']} ({r['bound'].split(':')[0]}) on {r['claim date']} "
            f"as worded by {r['claimant as worded']} in {r['source']}"
            + (f" [{r['note']}]" if r["note"] else "")
            for _, r in rows.iterrows()
        )
        parts.append(f"{name}, {metric}: {points}")
    return f"{what}, one line per claimant: " + "; ".join(parts) + "."


NO_CHANGE = "No side has claims from several dates: there is no change over time to show."


def no_change(claims: pd.DataFrame) -> str:
    """Why there is no time chart: no claim at all (:func:`~.claims.none_found`), or no side
    with claims from several dates, in an as-of view as of its date.

    >>> import helpers
    >>> from helpers.views.claims import casualty_claims
    >>> print(no_change(casualty_claims(helpers.load().as_of("2020-10-10"))))
    None of the kit's sources published by 10 October 2020 gives a casualty figure.
    >>> no_change(casualty_claims(helpers.load().as_of("2021-01-11"))) == NO_CHANGE
    False
    """
    from .claims import none_found
    from .provenance import format_date

    if claims.empty:
        return none_found(claims)
    when = claims.attrs.get("selection", {}).get("as_of")
    if not when:
        return NO_CHANGE
    return (
        f"No side has claims from several dates in the sources published by "
        f"{format_date(when)}: there is no change over time to show."
    )


def show_over_time(
    claims: pd.DataFrame, stem: str = "casualty-claims-over-time", figures_dir=None
) -> bool:
    """Show the time chart if a side has claims on several dates; else say why not.

    When there is nothing to draw, a figure of that name left by an earlier run
    (with other data) is removed, so the output folder never shows a stale chart.
    Returns whether the chart was drawn. Below the chart, :func:`series_table` gives
    the same series as a table. ``figures_dir`` defaults to the build's figures folder.

    >>> import helpers, tempfile
    >>> from helpers.views.claims import casualty_claims
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

        display(Markdown(no_change(claims)))
        return False
    figures.show(fig, stem, series_alt_text(claims))
    # The same series as a table: each claimant's figures in date order, with notes.
    from IPython.display import display

    with full_text():
        display(
            series_table(claims.loc[claims.groupby("side")["claim_date"].transform("nunique") > 1])
        )
    return True


def _draw_vertical(ax, row, style: dict, anchor: float, y_top: float) -> dict:
    import matplotlib.dates as mdates

    claim_id, bound = row["claim_id"], row["bound"]
    low, _, high = extent(row)
    x = mdates.date2num(row["claim_date"])
    color = style["color"]
    if bound in ("at_least", "more_than"):
        open_arrow(ax, (x, anchor), (x, y_top), color, f"{claim_id}:open-up", small=True)
    elif bound == "up_to":
        open_arrow(ax, (x, anchor), (x, 0), color, f"{claim_id}:open-down", small=True)
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
