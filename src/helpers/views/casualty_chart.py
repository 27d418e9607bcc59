"""The casualty chart and its companion: one labelled row per claim, grouped by whose losses.

:func:`plot_claims` draws the casualty claims, :func:`plot_other_claims` every other
figure (each metric on its own scale); :func:`show_claims` and
:func:`show_other_claims` save and show each at desktop width and again laid out
for a phone (:func:`helpers.figures.show`).
"""

from __future__ import annotations

import functools

import pandas as pd

from .claims import (
    SIDE_UNKNOWN,
    finding,
    metric_label,
    none_found,
    not_comparable,
    source_line,
)
from .marks import (
    CHAR_EM,
    CHART_WIDTH,
    OPEN_REACH,
    axis_max,
    chars,
    draw_mark,
    empty_figure,
    key_text,
    series_key,
    styles_for,
    subplots,
    thousands,
    type_for,
    wrap,
)

#: One unit of a chart's vertical axis, in inches: rows are laid out in these units.
UNIT_IN = 0.5


def _row_label(row, with_side: bool = False, one_source: bool = False) -> tuple[str, str]:
    """The two lines over a claim's mark: what was claimed; by whom, where and when.

    The claim's date is left out where the source's label already ends with it (a
    claim made on the day its source was published), so no date is said twice.

    >>> row = {"figure_shown": "“at least 2,802”", "metric_label": "soldiers killed",
    ...        "side": "Azerbaijan", "claimant": "X", "source": "AA, 11 January 2021",
    ...        "date_label": "11 January 2021"}
    >>> _row_label(row)[1]
    'claimed by X · AA, 11 January 2021'
    >>> _row_label({**row, "date_label": "10 January 2021"})[1]
    'claimed by X · AA, 11 January 2021 · 10 January 2021'
    """
    first = f"{row['figure_shown']} {row['metric_label']}"
    if with_side and row["side"] != SIDE_UNKNOWN:
        first += f" (side: {row['side']})"
    parts = [f"claimed by {row['claimant']}"]
    if not one_source:
        parts.append(row["source"])
    if not (parts[-1].endswith(row["date_label"]) and parts[-1] != parts[0]):
        parts.append(row["date_label"])
    return first, " · ".join(parts)


def _line_height(size: float) -> float:
    """Height of a line of ``size``-point text, in the chart's vertical units."""
    return size * 1.3 / 72 / UNIT_IN


def _rows_layout(claims: pd.DataFrame, width: float, group: bool) -> list:
    """Each group's head and each claim's wrapped label lines, for a chart ``width`` wide."""
    sizes = type_for(width)
    one_source = claims["source"].nunique() == 1
    groups = claims.groupby("losses", sort=False) if group else [(None, claims)]
    laid = []
    for head, rows in groups:
        entries = []
        for _, row in rows.iterrows():
            first, second = _row_label(row, with_side=not group, one_source=one_source)
            lines = [(t, "label") for t in wrap(first, chars(width, sizes["label"])).split("\n")]
            lines += [(t, "sub") for t in wrap(second, chars(width, sizes["sub"])).split("\n")]
            entries.append((row, lines))
        head_lines = wrap(head, chars(width, sizes["head"])).split("\n") if head else []
        laid.append((head_lines, entries))
    return laid


def _layout_height(laid: list, width: float) -> float:
    """Height, in vertical units, of the rows :func:`_draw_rows` draws from ``laid``."""
    sizes = type_for(width)
    units = 0.0
    for head_lines, entries in laid:
        units += 0.6 + len(head_lines) * _line_height(sizes["head"]) if head_lines else 0.0
        for _, lines in entries:
            units += 0.35 + sum(_line_height(sizes[kind]) for _, kind in lines) + 1.0
    return units + 0.6


def _draw_rows(
    ax, claims, styles: dict, x_max: float, width: float, group: bool = True, top: float = 0.0
):
    """Draw claims as labelled rows, grouped by whose losses; return the marks drawn.

    Each row: its label lines (wrapped to the chart's ``width``), then its mark;
    ``top``: units left free above the first row.
    """
    sizes = type_for(width)
    laid = _rows_layout(claims, width, group)
    # Words at an open side: how many axis units one character takes.
    per_char = CHAR_EM * sizes["small"] / 72 / (width * 0.85) * x_max
    # On a narrow chart a share of the axis is short: the arrow reaches further.
    reach = OPEN_REACH if width >= CHART_WIDTH else 2 * OPEN_REACH
    words = {"size": sizes["small"], "per_char": per_char, "reach": reach}
    marks, y = [], -top
    text = {"transform": ax.get_yaxis_transform(), "ha": "left", "parse_math": False}
    for head_lines, entries in laid:
        if head_lines:
            y -= 0.3
            for line in head_lines:
                y -= _line_height(sizes["head"])
                ax.text(
                    0.0,
                    y + 0.5 * _line_height(sizes["head"]),
                    line,
                    fontsize=sizes["head"],
                    fontweight="bold",
                    va="center",
                    **text,
                )
            ax.axhline(y - 0.15, color="0.75", linewidth=0.8)
            y -= 0.3
        for row, lines in entries:
            y -= 0.35
            for line, kind in lines:
                y -= _line_height(sizes[kind])
                # parse_math=False: a '$' in source text is shown, not typeset as maths.
                ax.text(
                    0.005,
                    y + 0.5 * _line_height(sizes[kind]),
                    line,
                    fontsize=sizes[kind],
                    va="center",
                    color="0.25" if kind == "sub" else "black",
                    **text,
                )
            y -= 0.45
            marks.append(draw_mark(ax, row, y, styles[series_key(row)], 0.0, x_max, words))
            y -= 0.55
    ax.set_ylim(y - 0.1, 0.2)
    ax.set_xlim(0, x_max)
    ax.set_yticks([])
    for spine in ("left", "right", "top"):
        ax.spines[spine].set_visible(False)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    ax.xaxis.set_major_formatter(thousands())
    ax.tick_params(labelsize=sizes["sub"])
    if width < CHART_WIDTH:  # fewer ticks, so their numbers do not run together
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(4))
    return marks


def _claimant_key(fig, claims: pd.DataFrame, styles: dict, y: float, width: float) -> None:
    """A key of claimants under the chart: colour and shape name who claims, not a side."""
    from matplotlib.lines import Line2D

    sizes = type_for(width)
    seen = dict.fromkeys(series_key(row) for _, row in claims.iterrows())
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=styles[name]["marker"],
            color=styles[name]["color"],
            markersize=8,
            label=wrap(name, chars(width * 0.85, sizes["sub"])),
        )
        for name in seen
    ]
    narrow = width < CHART_WIDTH
    legend = fig.legend(
        handles=handles,
        title="Claimant (colour and shape)",
        loc="upper left",
        bbox_to_anchor=(0.02, y),
        frameon=False,
        fontsize=sizes["sub"],
        title_fontsize=sizes["sub"],
        alignment="left",
        ncols=1 if len(handles) > 3 or narrow else len(handles),
    )
    for text in legend.get_texts():
        text.set_parse_math(False)
    return legend


def _footer(fig, claims: pd.DataFrame, width: float, y: float) -> None:
    """How to read the marks, and the sources, under the chart."""
    size = type_for(width)["small"]
    line = chars(width * 0.95, size)
    footer = "\n".join(
        filter(None, [wrap(key_text(set(claims["bound"])), line), wrap(source_line(claims), line)])
    )
    fig.text(0.02, y, footer, ha="left", va="top", fontsize=size, color="0.2", parse_math=False)


def plot_claims(claims: pd.DataFrame, title: str | None = None, width: float = CHART_WIDTH):
    """The main chart: one labelled mark per claim, grouped by whose losses, keyed by claimant.

    Parameters
    ----------
    claims : pandas.DataFrame
        From :func:`casualty_claims`. Claims in different units get separate
        panels: two units never share an axis.
    title : str, optional
        Defaults to :func:`finding`, a title computed from the claims.
    width : float
        In inches: :data:`CHART_WIDTH` for a desktop page; narrower
        (:data:`helpers.figures.PHONE_WIDTH_IN`) lays it out for a phone.

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.kit_marks``: one dict per claim (claim_id, bound, encoding,
        y, low, value, high).
    """
    if claims.empty:
        return empty_figure(none_found(claims), width)
    sizes = type_for(width)
    styles = styles_for(claims)
    panels = list(
        claims.assign(unit=claims["unit"].fillna("no unit given")).groupby("unit", sort=True)
    )
    warning = not_comparable(claims)
    warning_lines = wrap(warning, chars(width * 0.85, sizes["warn"])).split("\n") if warning else []
    # The warning sits at the top of the first panel, above the rows, full width.
    warning_units = (len(warning_lines) * _line_height(sizes["warn"]) + 0.8) if warning else 0.0
    layouts = [_rows_layout(rows, width, True) for _, rows in panels]
    heights = [_layout_height(laid, width) * UNIT_IN + 0.45 for laid in layouts]
    heights[0] += warning_units * UNIT_IN
    title_lines = wrap(title or finding(claims), chars(width, sizes["title"]))
    top = 0.3 + (title_lines.count("\n") + 1) * sizes["title"] * 1.35 / 72
    fig, axes = subplots(
        len(panels),
        figsize=(width, top + sum(heights)),
        gridspec_kw={"height_ratios": heights},
    )
    marks = []
    for i, (ax, (unit, rows)) in enumerate(zip(axes[:, 0], panels, strict=True)):
        if i == 0 and warning:
            ax.text(
                0.0,
                -0.25,
                "\n".join(warning_lines),
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="top",
                fontsize=sizes["warn"],
                fontweight="bold",
                color="#7a1f00",
                bbox={"boxstyle": "round,pad=0.4", "facecolor": "#fff4ec", "edgecolor": "#7a1f00"},
                parse_math=False,
            ).set_gid("not-comparable")
        top = warning_units if i == 0 else 0.0
        marks += _draw_rows(ax, rows, styles, axis_max(rows), width, top=top)
        ax.set_xlabel(unit, parse_math=False, fontsize=sizes["sub"])
    fig.suptitle(
        title_lines,
        x=0.02,
        ha="left",
        fontsize=sizes["title"],
        fontweight="bold",
        parse_math=False,
    )
    fig.tight_layout()
    legend = _claimant_key(fig, claims, styles, 0.0, width)
    n_keys = len(legend.get_texts()) + sum(t.get_text().count("\n") for t in legend.get_texts())
    per_row = 1 if legend._ncols == 1 else n_keys  # noqa: SLF001 - the legend's own layout
    key_height = (1.6 + n_keys / max(per_row, 1)) * sizes["sub"] * 1.45 / 72 / fig.get_figheight()
    _footer(fig, claims, width, -0.02 - key_height)
    fig.kit_marks = marks
    # The index's thumbnail: on a phone variant, its top (the title and the warning:
    # the finding); on a desktop figure, the middle of the first panel's marks.
    if width < CHART_WIDTH:
        return fig
    shown = [m for m in marks[: len(panels[0][1])] if pd.notna(m["value"])] or marks[:1]
    fig.kit_thumbnail_at = (
        axes[0, 0],
        sum(m["value"] for m in shown) / len(shown),
        sum(m["y"] for m in shown) / len(shown),
    )
    return fig


def plot_other_claims(claims: pd.DataFrame, width: float = CHART_WIDTH):
    """The companion chart: one small panel per metric and unit, never a shared axis.

    ``width`` in inches, as for :func:`plot_claims`.

    >>> from helpers import charts, load
    >>> fig = plot_other_claims(charts.other_quantitative_claims(load().as_of("2021-01-11")))
    >>> len(fig.kit_marks), len(fig.axes)
    (5, 3)
    """
    if claims.empty:
        return empty_figure(none_found(claims), width)
    sizes = type_for(width)
    styles = styles_for(claims)
    panels = list(claims.groupby(["metric", "unit"], sort=False, dropna=False))
    layouts = [_rows_layout(rows, width, False) for _, rows in panels]
    heights = [_layout_height(laid, width) * UNIT_IN + 0.7 for laid in layouts]
    title = wrap("Other figures in the sources, each on its own scale", chars(width, 12.5))
    top = 0.3 + (title.count("\n") + 1) * sizes["title"] * 1.35 / 72
    fig, axes = subplots(
        len(panels),
        figsize=(width, sum(heights) + top),
        gridspec_kw={"height_ratios": heights},
    )
    fig.kit_marks = []
    for ax, ((metric, unit), rows) in zip(axes[:, 0], panels, strict=True):
        fig.kit_marks += _draw_rows(ax, rows, styles, axis_max(rows), width, group=False)
        unit_text = unit if isinstance(unit, str) else "no unit given"
        ax.set_title(
            wrap(f"{metric_label(metric)} ({unit_text})", chars(width, sizes["head"])),
            loc="left",
            fontsize=sizes["head"] - 1,
            fontweight="bold",
            parse_math=False,
        )
        ax.set_xlabel(unit_text, parse_math=False, fontsize=sizes["sub"])
    fig.suptitle(
        title, x=0.02, ha="left", fontsize=sizes["title"] + 1, fontweight="bold", parse_math=False
    )
    fig.tight_layout()
    _footer(fig, claims, width, -0.01)
    return fig


def show_claims(claims: pd.DataFrame, stem: str = "casualty-claims") -> dict:
    """Save and show the casualty chart, at desktop width and laid out for a phone.

    The alt text is the chart's finding (:func:`takeaway`); every mark in words is
    the longer description (:func:`alt_text`). Returns the paths written.
    """
    from . import figures
    from .claims import alt_text, takeaway

    return figures.show_drawn(
        functools.partial(plot_claims, claims), stem, takeaway(claims), alt_text(claims)
    )


def show_other_claims(claims: pd.DataFrame, stem: str = "other-figures") -> dict:
    """Save and show the chart of the other figures, as :func:`show_claims` does."""
    from . import figures
    from .claims import alt_text, takeaway

    what = "Other figures in the sources"
    draw = functools.partial(plot_other_claims, claims)
    return figures.show_drawn(draw, stem, takeaway(claims, what), alt_text(claims, what))
