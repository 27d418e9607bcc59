"""The maps' shared symbols and legend: one table drives both maps' keys.

Every symbol is told apart by shape, line pattern or hatching, not by colour alone,
so the maps read in grayscale. :func:`legend_rows` says what a map draws; the static
map turns each row into a matplotlib handle (:func:`static_handles`), the interactive
map into a small SVG (:func:`legend_html`).

>>> import helpers
>>> rows = legend_rows(helpers.load(), drawn={"azerbaijan", "armenia", "article"})
>>> [key for key, _ in rows][:3]
['azerbaijan', 'armenia', 'article']
"""

from __future__ import annotations

import re

import pandas as pd

from .layers import DUAL_NAME_ORDER, as_dated, corridor_status

# Land tints: distinct in colour and in grey value (Azerbaijan lightest of the two).
AZERBAIJAN, ARMENIA, OTHER_LAND, SEA = "#efe4cc", "#c9c3bb", "#f7f7f5", "#c6d6e4"
COUNTRY_TINTS = {"Azerbaijan": AZERBAIJAN, "Armenia": ARMENIA}

#: Place markers by group: (matplotlib marker, fill, SVG shape); the same on both maps.
PLACE_SYMBOLS = {
    "article": (
        "s",
        "black",
        '<rect x="3" y="3" width="12" height="12" fill="#000" stroke="#000"/>',
    ),
    "context": (
        "o",
        "white",
        '<circle cx="9" cy="9" r="5.5" fill="#fff" stroke="#000" stroke-width="2"/>',
    ),
    "venue": (
        "^",
        "white",
        '<polygon points="9,2 16,16 2,16" fill="#fff" stroke="#000" stroke-width="2"/>',
    ),
    "meeting": (
        "*",
        "black",
        '<polygon points="9,1 11.4,6.6 17.5,6.9 12.8,10.8 14.3,16.8 9,13.5 3.7,16.8 5.2,10.8 '
        '0.5,6.9 6.6,6.6" fill="#000"/>',
    ),
    "taken": (
        "D",
        "#8a8a8a",
        '<polygon points="9,2 16,9 9,16 2,9" fill="#8a8a8a" stroke="#000" stroke-width="1.5"/>',
    ),
}
#: Lines and areas: (matplotlib style, Leaflet style).
OBLAST_LINE = {"color": "black", "linewidth": 2.4}
DISTRICT_LINE = {"color": "0.35", "linewidth": 0.7, "linestyle": (0, (5, 3))}
CORRIDOR_LINE = {"color": "black", "linewidth": 3.2, "linestyle": (0, (1, 1.2))}
HANDOVER_HATCH = "\\\\\\\\"
LEAFLET = {
    "oblast": {"color": "#000", "weight": 3, "fill": False},
    "district": {"color": "#555", "weight": 1.2, "dashArray": "6 4", "fill": False},
    "corridor": {"color": "#000", "weight": 5, "dashArray": "1 7", "lineCap": "round"},
    "handover": {"color": "#444", "weight": 1, "fillColor": "#000", "fillOpacity": 0.18},
}
#: A land tint's swatch (FILL: one of the kit's own colour constants above).
SWATCH = '<rect x="1" y="3" width="16" height="12" fill="FILL" stroke="#444"/>'
_LINE_SVG = {
    "oblast": '<rect x="1" y="3" width="16" height="12" fill="none" stroke="#000" '
    'stroke-width="2.5"/>',
    "district": '<line x1="0" y1="9" x2="18" y2="9" stroke="#555" stroke-width="1.5" '
    'stroke-dasharray="6 4"/>',
    "corridor": '<line x1="1" y1="9" x2="17" y2="9" stroke="#000" stroke-width="4" '
    'stroke-dasharray="1 5" stroke-linecap="round"/>',
    "handover": '<rect x="1" y="3" width="16" height="12" fill="url(#kit-legend-hatch)" '
    'stroke="#444"/>',
    **{
        name: SWATCH.replace("FILL", colour)
        for name, colour in (
            ("azerbaijan", AZERBAIJAN),
            ("armenia", ARMENIA),
            ("other", OTHER_LAND),
        )
    },
    "label": '<text x="1" y="14" font-style="italic" font-size="12" fill="#000">Aa</text>',
    "before": '<text x="1" y="14" font-style="italic" font-size="12" fill="#000">Aa</text>',
    "names": '<text x="0" y="13" font-size="10" fill="#000">A/B</text>',
}

#: (key, text): what each symbol means, in the order the legends list them.
LEGEND_TEXT = (
    ("azerbaijan", "Azerbaijan (incl. the Nakhchivan exclave)"),
    ("armenia", "Armenia"),
    ("other", "Other countries"),
    (
        "oblast",
        "Former Nagorno-Karabakh Autonomous Oblast: approximate outline rebuilt from later "
        "districts; its straight northern edges are schematic. Not a "
        "surveyed border, nor a line of control",
    ),
    ("district", "District boundary in Azerbaijan"),
    (
        "before",
        "Before the 2020 war: most of Nagorno-Karabakh and several districts around it held by the "
        "Karabakh Armenian side since the 1994 ceasefire (no line of contact drawn)",
    ),
    ("handover", "District handed over to Azerbaijan, Nov–Dec 2020 (date on the map)"),
    ("taken", "Town Azerbaijan announced it had taken, Oct–Nov 2020 (date on the map)"),
    (
        "corridor",
        "Lachin corridor under Russian peacekeepers (schematic line; 5 km wide in the statement)",
    ),
    (
        "label",
        "Still held by the Karabakh Armenian side after 10 Nov 2020 (no line of "
        "control drawn: no source gives one)",
    ),
    ("article", "Place named in the article"),
    ("context", "Other place (context, not in the article)"),
    ("venue", "Meeting venue (context)"),
    ("meeting", "Meeting place: Moscow"),
    ("names", DUAL_NAME_ORDER),
)


def legend_rows(ds, drawn: set[str]) -> list[tuple[str, str]]:
    """The legend rows for the symbols a map actually ``drawn`` (keys of LEGEND_TEXT).

    A row with nothing behind it would mislead, so only drawn symbols are listed;
    the dual-name order is stated wherever a dual name is drawn. Words that depend on
    what the dataset knows (the war, the months of the changes, the article) are
    computed from it, so an as-of view's key says nothing learnt later.
    """
    rows = [(key, text) for key, text in LEGEND_TEXT if key in drawn]
    return [(key, as_dated(ds, _as_known(ds, key, text))) for key, text in rows]


def war_known(ds) -> bool:
    """Whether the dataset knows the 2020 war (its event, ``war-2020``), so that the
    kit may name it: a view from before the first report of it may not."""
    return "war-2020" in set(ds.events["event_id"])


def article_known(ds) -> bool:
    """Whether the article (any of the kit's sources) exists in this view."""
    return bool(len(ds.sources))


def _as_known(ds, key: str, text: str) -> str:
    if key == "before":
        return _dated(ds, text)
    if key in ("handover", "taken"):
        return _months(ds, key, text)
    if key == "context" and not article_known(ds):
        return "Other place (context)"
    if key == "corridor":
        return text.replace("under Russian peacekeepers", corridor_status(ds), 1)
    return text


def _dated(ds, text: str) -> str:
    """'Before the 2020 war' with the war's first day, where the dataset dates it
    (events.csv, ``war-2020``), so the key states the date from the data; without the
    war in the view, no words about it."""
    from ..provenance import format_date

    events = ds.events.set_index("event_id")
    if "war-2020" not in events.index:
        rest = text.split(": ", 1)[1]
        return rest[:1].upper() + rest[1:]
    start = format_date(events.at["war-2020", "date_start"])
    return text.replace("Before the 2020 war", f"Before the 2020 war ({start})", 1)


#: The change kinds behind the key rows whose text gives their months.
_CHANGE_OF = {"handover": "handed-over", "taken": "taken-in-fighting"}


def _months(ds, key: str, text: str) -> str:
    """The key's months ("Oct–Nov 2020") computed from the changes the view knows."""
    from .layers import load_control_changes

    changes = load_control_changes(ds)
    rows = changes.loc[changes["change"] == _CHANGE_OF[key]]
    if rows.empty:
        return text
    return re.sub(r"[A-Z][a-z]{2}–[A-Z][a-z]{2} \d{4}", change_months(ds, rows), text, count=1)


def change_months(ds, rows) -> str:
    """The months in which the changes ``rows`` were announced or reported, as far as ``ds``
    knows: from the first day of the earliest dating (a window's start: the announcement may
    have fallen on it) to the last day of the latest."""
    first = rows["date_start"].min()
    last = rows["date_end"].fillna(rows["date_start"]).max()
    if ds.as_of_date is not None:  # nothing after the view's day is known in it
        last = min(last, pd.Timestamp(ds.as_of_date))
    return month_range(first, last)


def month_range(first, last) -> str:
    """Months from ``first`` to ``last``, short: "Oct 2020", "Oct–Nov 2020", "Dec 2020–Jan 2021".

    >>> import pandas as pd
    >>> month_range(pd.Timestamp("2020-10-04"), pd.Timestamp("2020-10-26"))
    'Oct 2020'
    >>> month_range(pd.Timestamp("2020-10-04"), pd.Timestamp("2020-11-08"))
    'Oct–Nov 2020'
    >>> month_range(pd.Timestamp("2020-12-01"), pd.Timestamp("2021-01-11"))
    'Dec 2020–Jan 2021'
    """
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}–{last:%b %Y}"
    return f"{first:%b %Y}–{last:%b %Y}"


#: Rows that name who held what: on a map with an italic label saying so, their symbol is
#: "Aa"; on a map without one (the interactive map, the phone's close-up) a symbol would
#: point at nothing, so they are said in words alone.
SAID_IN_WORDS = frozenset({"before", "label"})


def static_handles(rows, words_only=frozenset()):
    """matplotlib legend handles for :func:`legend_rows`; the rows in ``words_only`` with
    no symbol (see :data:`SAID_IN_WORDS`)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    def patch(**kw):
        return Patch(edgecolor="0.25", **kw)

    def marker(key):
        shape, fill, _ = PLACE_SYMBOLS[key]
        size = 11 if key == "meeting" else 7
        return Line2D(
            [],
            [],
            linestyle="",
            marker=shape,
            markersize=size,
            markerfacecolor=fill,
            markeredgecolor="black",
        )

    makers = {
        "azerbaijan": lambda: patch(facecolor=AZERBAIJAN),
        "armenia": lambda: patch(facecolor=ARMENIA),
        "other": lambda: patch(facecolor=OTHER_LAND),
        "oblast": lambda: Patch(facecolor="none", edgecolor="black", linewidth=2.2),
        "district": lambda: Line2D([], [], **DISTRICT_LINE),
        "handover": lambda: Patch(facecolor="white", edgecolor="0.3", hatch=HANDOVER_HATCH),
        "corridor": lambda: Line2D([], [], **CORRIDOR_LINE),
        "label": lambda: Line2D([], [], linestyle="", marker="$Aa$", markersize=10, color="black"),
        "before": lambda: Line2D([], [], linestyle="", marker="$Aa$", markersize=10, color="black"),
        "names": lambda: Line2D([], [], linestyle="", marker="$A/B$", markersize=14, color="black"),
    }
    handles = []
    for key, text in rows:
        if key in words_only:
            handle = Line2D([], [], linestyle="", marker="")
        else:
            handle = makers[key]() if key in makers else marker(key)
        handle.set_label(text)
        handles.append(handle)
    return handles


LEGEND = """<details class="kit-legend"><summary>Key</summary>{{ hatch }}<ul>
{% for svg, text in rows %}<li><svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">\
{{ svg }}</svg><span>{{ text }}</span></li>{% endfor %}</ul></details>"""
_HATCH = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
    '<pattern id="kit-legend-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="5" stroke="#000" '
    'stroke-width="1.2"/></pattern></defs></svg>'
)


def legend_html(rows, words_only=SAID_IN_WORDS) -> str:
    """The interactive map's key: the same symbols as SVG, every text escaped (Jinja).
    The map draws no label saying who held what, so those rows (``words_only``) have
    no symbol.

    A ``<details>`` element, collapsed to a small "Key" button at every width: open,
    it would cover the region, so the reader opens it.

    >>> html = legend_html([("article", "Place named in the <b>article</b>")])
    >>> "Place named in the &lt;b&gt;article&lt;/b&gt;" in html, "<svg" in html
    (True, True)
    >>> "<details" in html and " open" not in html
    True
    """
    from ..html import Markup, render

    svg = {**{k: v[2] for k, v in PLACE_SYMBOLS.items()}, **_LINE_SVG}
    return render(
        LEGEND,
        hatch=Markup(_HATCH),
        rows=[(Markup("" if key in words_only else svg.get(key, "")), text) for key, text in rows],
    )
