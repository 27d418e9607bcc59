"""Drawing shared by the claims charts: one mark per claim, its bound drawn, its claimant styled.

==============  ==============================================================
bound           mark (:func:`draw_mark`)
==============  ==============================================================
exact           a point
at_least        a point (filled) with a short dashed arrow open to the right
more_than       the same with a hollow point (the value itself is excluded)
up_to           a point with a short dashed arrow open to the left
approximately   a point on a hatched tolerance band
range           a solid bar from low to high (a point at the best value if any)
==============  ==============================================================

Colour *and* marker shape identify the claimant (:func:`claimant_styles`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .claims import APPROX_TOLERANCE, ENCODINGS, extent

#: How far an open side's arrow reaches, as a share of the axis: short, so it cannot be
#: read as a range that ends at the axis.
OPEN_REACH = 0.07
#: The words at an open side's arrow.
OPEN_WORDS = {"floor": "no upper figure given", "ceiling": "no lower figure given"}

#: Okabe & Ito (2008) colours, ordered for contrast on white; their yellow is left out
#: (too faint on white for thin marks). With 7 colours and 8 markers, the first 56
#: claimants all differ in colour or marker.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: One marker per claimant too, so claimants stay apart in grayscale prints.
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "h")

# --------------------------------------------------------------------------- drawing


def subplots(rows: int = 1, figsize=(10, 4), **kwargs):
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


def styles_for(claims: pd.DataFrame) -> dict:
    # claimant_rank (from _decorate) keeps a claimant's colour the same in every chart.
    ranks = claims["claimant_rank"] if "claimant_rank" in claims.columns else None
    names = claims["series"] if "series" in claims.columns else claims["claimant"]
    return claimant_styles(names, ranks)


def series_key(row) -> str:
    return row["series"] if "series" in row.index else row["claimant"]


def axis_max(claims: pd.DataFrame) -> float:
    values = [v for _, row in claims.iterrows() for v in extent(row) if v is not None]
    top = max(values, default=1.0)
    return top * 1.3 if top > 0 else 1.0


def draw_mark(
    ax, row, y: float, style: dict, x_min: float, x_max: float, words: dict | None = None
) -> dict:
    """Draw one claim at height ``y`` on a horizontal value axis; return what was drawn.

    Every artist gets the gid ``<claim_id>:<part>`` (kept as an id in the SVG),
    so a reader of the SVG, or a test, can find each claim's pieces. ``words``:
    ``{"size": points, "per_char": axis units one character of it takes}``, so the
    words at an open side stay inside the axis (beside the arrow where they fit,
    under it where they do not, as on a phone).
    """
    words = words or {"size": 8.5, "per_char": 0.0}  # "reach": share of the axis, if not OPEN_REACH
    claim_id, bound = row["claim_id"], row["bound"]
    low, anchor, high = extent(row)
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
    reach = words.get("reach", OPEN_REACH) * (x_max - x_min)
    if bound in OPEN_SIDE:
        draw_open_side(
            ax, claim_id, OPEN_SIDE[bound], (anchor, y), color, reach, words, (x_min, x_max)
        )
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


#: The open side of each bound that has one: a floor opens to the right, a ceiling to the left.
OPEN_SIDE = {"at_least": "floor", "more_than": "floor", "up_to": "ceiling"}


def open_words_place(side, anchor, end, width, reach, x_span) -> tuple[float, str, bool]:
    """Where the words at an open side's arrow go: ``(x, ha, below)``.

    Beside the arrow's end, away from the point, where they fit in the axis; for a
    ceiling with no room on its left, right of the point; else under the arrow.

    >>> open_words_place("floor", 10, 17, 5, 7, (0, 100))
    (17, 'left', False)
    >>> open_words_place("floor", 90, 97, 5, 7, (0, 100))
    (97, 'right', True)
    >>> open_words_place("ceiling", 50, 43, 5, 7, (0, 100))
    (43, 'right', False)
    >>> open_words_place("ceiling", 5, 2.5, 5, 7, (0, 100))
    (6.75, 'left', False)
    """
    x_min, x_max = x_span
    if side == "floor":
        return (end, "left", False) if end + width <= x_max else (end, "right", True)
    if end - x_min >= max(3 * reach, width):
        return end, "right", False
    if anchor + reach / 4 + width <= x_max:
        return anchor + reach / 4, "left", False
    return end, "left", True


def draw_open_side(ax, claim_id, side, point, color, reach, words, x_span) -> None:
    """A floor's or a ceiling's open side: a short dashed arrow from the point, and words.

    A ceiling's arrow stops halfway to the axis's start when the point is near it.
    """
    (anchor, y), (x_min, x_max) = point, x_span
    if side == "floor":
        end, gid = min(anchor + reach, x_max), "open-right"
    else:
        end, gid = max(anchor - reach, x_min + (anchor - x_min) / 2), "open-left"
    open_arrow(ax, (anchor, y), (end, y), color, f"{claim_id}:{gid}")
    text = OPEN_WORDS[side]
    x, ha, below = open_words_place(side, anchor, end, len(text) * words["per_char"], reach, x_span)
    open_label(ax, x, ha, y, text, gid=f"{claim_id}:open-words", size=words["size"], below=below)


def key_text(bounds: set[str]) -> str:
    parts = []
    if "exact" in bounds:
        parts.append("point = a single figure, no qualifier given (may be rounded)")
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


def thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 10 or v == int(v) else f"{v:g}")


def empty_figure(message: str, width: float = 8.0):
    fig, axes = subplots(1, figsize=(width, 1.5))
    ax = axes[0, 0]
    ax.axis("off")
    size = 11 if width >= NARROW else 9
    text = wrap(message, chars(width * 0.9, size))
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=size, parse_math=False)
    fig.kit_marks = []
    return fig


#: Width of the claims charts, in inches: at :data:`helpers.figures.DISPLAY_DPI` it fits
#: the report's column unscaled, so its text keeps the size it is set in.
CHART_WIDTH = 8.0
#: Below this width (inches) a chart is laid out for a phone: smaller type (still at
#: least 11 px), labels wrapped to the narrow column.
NARROW = 5.0
#: Type sizes (points) by role: at a desktop width, and on a phone, where the figure
#: is drawn :data:`helpers.figures.PHONE_WIDTH_IN` wide and shown unscaled, so 7.5 pt
#: is 11.5 px.
TYPE = {
    "desktop": {"title": 11.5, "head": 12, "label": 10, "sub": 9, "small": 8.5, "warn": 9},
    "phone": {"title": 9.5, "head": 9.5, "label": 8.5, "sub": 7.8, "small": 7.5, "warn": 8},
}
#: Average width of a character of the kit's font (DejaVu Sans), in ems: how many
#: characters a line holds.
CHAR_EM = 0.6


def type_for(width: float) -> dict:
    """The type sizes for a chart ``width`` inches wide (:data:`TYPE`).

    >>> type_for(8.0)["small"], type_for(3.1)["small"]
    (8.5, 7.5)
    """
    return TYPE["phone" if width < NARROW else "desktop"]


def chars(width: float, size: float) -> int:
    """How many characters of ``size`` points fit on a line ``width`` inches long.

    >>> chars(8.0, 11.5), chars(3.0, 7.5)
    (83, 48)
    """
    return int(width * 72 / (CHAR_EM * size))


def wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) if text else ""


def open_label(
    ax, x: float, ha: str, y: float, words: str, gid: str, size: float = 8.5, below=False
) -> None:
    """The words at the end of an open side's arrow ("no upper figure given").

    Beside the arrow's end (``ha="left"``: to its right), or ``below`` it, ending
    (``ha="right"``) or starting there, where there is no room beside it.
    """
    if below:
        offset, va = (0, -7), "top"
    else:
        offset, va = (4 if ha == "left" else -4, 0), "center"
    text = ax.annotate(
        words,
        (x, y),
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=size,
        fontstyle="italic",
        color="0.2",
        annotation_clip=False,
    )
    text.set_parse_math(False)
    text.set_gid(gid)


def open_arrow(ax, start, end, color, gid: str, small: bool = False) -> None:
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
