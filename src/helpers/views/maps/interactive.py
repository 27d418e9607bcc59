"""The interactive map (folium): offline, keyboard-usable, with the static map's symbols.

Vector layers only (an online tile layer starts switched off). Places are markers the
keyboard reaches (Tab), each with an accessible name; the map pans to the focused one
and Enter opens a short popup whose full citation sits behind a "Sources" toggle.
Permanent labels are shown by priority: a label that would overprint another, cover a
marker or leave the frame is hidden until the reader zooms in. Outlines are drawn but
not focusable. The 2020 changes are layers the reader can switch. Every string from
the data reaches folium through :func:`helpers.views.offline.escape_text`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..html import Markup, render
from ..mentions import DataNames, readable_html
from ..offline import escape_text
from ..provenance import cite, source_label
from . import legend as key
from .frames import close_up_frame, country_spots, narrow_bounds, spots_inside
from .layers import (
    as_dated,
    change_date,
    display_name,
    drawable_places,
    load_control_changes,
    load_land,
    meeting_places,
    moscow_km,
    position_origin,
)

#: The tables a place's note may cite rows of (:class:`~helpers.views.mentions.DataNames`).
NOTE_TABLES = ("sources", "references", "places")
#: The map pane of area names (countries, the Moscow line's, the corridor's): above the
#: places' markers, never taking a click.
NAMES_PANE = "kit-names"
#: Height in pixels of the embedded interactive map.
MAP_HEIGHT = 600
#: A popup taller than this (its sources opened) scrolls inside itself, in the frame.
POPUP_MAX_HEIGHT = 300
#: The map's attribution line; "POSITIONS" is :func:`_positions`, from the gazetteer.
ATTRIBUTION = "Borders: Natural Earth · Positions: POSITIONS · 2020 changes: sources in each popup"


def _positions(ds) -> str:
    """Where the places' positions come from, short: 'GeoNames (CC BY 4.0), Wikipedia, by hand'."""
    from .layers import position_sources

    short = {"geonames": "GeoNames (CC BY 4.0)", "wikipedia": "Wikipedia", "by-hand": "by hand"}
    return ", ".join(short[k] for k in position_sources(ds).index)


_KIND = {
    "city": "city",
    "town": "town",
    "capital": "capital city",
    "venue": "venue",
    "region": "region",
    "country": "country",
}


def region_bounds(ds, countries, boundaries=None, pad: float = 0.15):
    """Where the map opens: the former oblast and the districts around it (W, S, E, N).

    >>> import helpers
    >>> from helpers import geodata
    >>> w, s, e, n = region_bounds(helpers.load(), None, geodata.load_shipped())
    >>> w < 46.75 < e and s < 39.82 < n, e - w < 3
    (True, True)
    """
    return close_up_frame(boundaries, drawable_places(ds), pad=pad)


def _js(value) -> str:
    """A Python value as a JavaScript literal that cannot end the surrounding <script>."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")


def _script(code: str):
    """A folium element running ``code`` once the map exists (``map`` is in scope)."""
    from branca.element import MacroElement
    from jinja2 import Template

    element = MacroElement()
    element._name = "KitControls"
    element.code = code
    element._template = Template(
        "{% macro script(this, kwargs) %}(function (map) {\n{{ this.code }}\n})"
        "({{ this._parent.get_name() }});{% endmacro %}"
    )
    return element


# ------------------------------------------------------------------------- popups

#: The templates of everything the map writes as HTML (Jinja, autoescaped: see
#: :func:`_html`). None contains a backtick, ``$``, ``\\`` or ``{`` of its own.
POPUP = """<div class='kit-popup'><b>{{ name }}</b><br>{{ what }}
{% for guest in guests %}<br>Also here: {{ guest }}.{% endfor %}
<br><i>Source: {% if link %}<a href="{{ link.url }}" target="_blank" rel="noopener">
{{ link.text }}</a>{% else %}{{ short }}{% endif %}</i>
<details><summary>Sources</summary><ul>{% for item in details %}<li>{{ item }}</li>{% endfor %}
</ul></details></div>"""
#: A place's label: its name, then lines (a guest, a date). Each line has a full form and
#: a compact one (the parts in kit-long dropped: "announced taken 17 Oct 2020" -> "taken
#: 17 Oct"), so a narrow map can still say when; a line with no compact core is full only.
#: Where even the compact line is too wide, it breaks before its date (a label the layout
#: marks kit-wrap: "district handed over / 1 Dec"), then at every kit-break (kit-wrap-all:
#: "district / handed over / 1 Dec", a dual name between its two names).
LABEL = """<span class='kit-name'>{% for part in names %}{% if not loop.first %} / \
<br class='kit-break'>{% endif %}{{ part }}{% endfor %}</span>{% for line in extra %}\
<span class='kit-extra\
{% if not line.core %} kit-long{% endif %}'><br>{% if line.lead %}<span class='kit-long'>\
{{ line.lead }}</span>{% endif %}{% if line.when %}{% for part in line.what %}{{ part }} \
<br class='kit-break{% if loop.last %} kit-break-date{% endif %}'>{% endfor %}{{ line.when }}\
{% else %}{{ line.core }}{% endif %}{% if line.tail %}<span class='kit-long'>\
{{ line.tail }}</span>{% endif %}</span>{% endfor %}"""
REGION_LABEL = "<span class='kit-region kit-name'>{{ name }}</span>"
ICON = """<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{{ shape }}</svg>"""
DISTANCE = """<div class='kit-area kit-beside kit-distance' data-name='{{ name }}'>\
{% for line in lines %}{{ line }}<br>{% endfor %}
<span class='kit-source'>{{ basis }}</span></div>"""
STYLE = "<style>.leaflet-container{background:{{ sea }} !important;}{{ css }}</style>"
CORRIDOR = (
    "<div class='kit-area kit-beside kit-corridor' data-name='{{ name }}'>Lachin corridor<br>"
    "(schematic line)</div>"
)
COUNTRY = "<div class='kit-area kit-country' data-name='{{ name }}'>{{ name }}</div>"
AREA = "<div class='kit-area {{ kind }}'>{% for line in lines %}{% if not loop.first %}<br>\
{% endif %}{{ line }}{% endfor %}</div>"


def _html(template: str, **values) -> str:
    """``template`` rendered by :func:`helpers.views.html.render` (every value escaped),
    then made safe for folium, which puts popup and tooltip HTML inside JavaScript
    template literals and through Jinja again: the characters that would end or run
    there (a backtick, ``$``, ``\\``, ``{``) can only come from the data, and become
    entities (as :func:`helpers.views.offline.escape_text` does).

    >>> _html(LABEL, names=["<b>`${x}`</b>"], extra=[])
    "<span class='kit-name'>&lt;b&gt;&#96;&#36;&#123;x}&#96;&lt;/b&gt;</span>"
    """
    html = render(template, **values)
    return (
        html.replace("`", "&#96;")
        .replace("$", "&#36;")
        .replace("\\", "&#92;")
        .replace("{", "&#123;")
    )


def attribution(ds) -> str:
    """The map's attribution line; "2020 changes" only in a view that knows the 2020 war;
    positions and changes of control only where the view holds any (a view of 1990
    credits the borders alone).

    >>> import helpers
    >>> attribution(helpers.load().as_of("1990-12-31"))
    'Borders: Natural Earth'
    """
    from .layers import load_control_changes

    positions = _positions(ds)
    line = ATTRIBUTION.replace("POSITIONS", positions)
    parts = line.split(" · ")
    if not positions:
        parts = [p for p in parts if not p.startswith("Positions:")]
    if load_control_changes(ds).empty:
        parts = [p for p in parts if "changes:" not in p]
    line = " · ".join(parts)
    if key.war_known(ds):
        return line
    return line.replace("2020 changes:", "changes of control:")


def place_layer_names(ds) -> dict[str, str]:
    """The place layers' names; "the article" only in a view that holds it."""
    if key.article_known(ds):
        return {
            "article": "Places named in the article",
            "context": "Context places (not in the article)",
            "venue": "Meeting venue (context)",
        }
    return {"article": "Places", "context": "Context places", "venue": "Meeting venue (context)"}


def _what_it_is(row, taken: dict, article_known: bool = True) -> str:
    kind = _KIND.get(row["kind"], str(row["kind"]).replace("_", " "))
    said = "named in the article" if row["origin"] == "article" else "not named in the article"
    text = f"{kind.capitalize()}, {said}." if article_known else f"{kind.capitalize()}."
    if row["place_id"] in taken:
        text += f" Azerbaijan announced it had taken it: {taken[row['place_id']]}."
    return text


def short_link(url) -> dict | None:
    """A reference's address as a short link: the site's name, the whole address behind it.

    >>> short_link("https://www.tass.com/world/1205641?x=1")
    {'url': 'https://www.tass.com/world/1205641?x=1', 'text': 'tass.com'}
    >>> short_link(None), short_link("javascript:alert(1)")
    (None, None)
    """
    from urllib.parse import urlsplit

    if not isinstance(url, str) or not url.strip():
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None  # only web addresses become links
    host = parts.hostname.removeprefix("www.")
    return {"url": url.strip(), "text": host}


def _reference_line(ds, reference_id: str) -> tuple[str, dict | None]:
    """A reference as one line (publisher, title, date, whether checked; no address) and
    its address as a short link, so the popup names the address once."""
    from ..provenance import format_date

    ref = ds.references.set_index("reference_id").loc[reference_id]
    when = format_date(ref["published"], ref["published_prec"])
    checked = (
        f"excerpt checked against an archived copy on {format_date(ref['checked_on'])}"
        if bool(ref["checked"]) and pd.notna(ref.get("checked_on"))
        else "excerpt checked"
        if bool(ref["checked"])
        else "not yet checked against the original"
    )
    return f"{ref['publisher']}, “{ref['title']}”, {when} ({checked})", short_link(ref.get("url"))


def _has_excerpt(row) -> bool:
    return isinstance(row.get("excerpt"), str) and bool(row["excerpt"].strip())


def _place_evidence(ds, row) -> tuple[str, dict | None]:
    """Where the place itself comes from: the article's passage, or its reference."""
    if row["origin"] == "article":
        return f"Named in the article: “{row['passage']}”", None
    reference, link = _reference_line(ds, row["reference_id"])
    not_named = "Not named in the article. " if key.article_known(ds) else ""
    return f"{not_named}Reference for the place: {reference}", link


def popup_html(ds, row, taken: dict | None = None, guests=(), changed=None) -> str:
    """A place's popup: name, what it is, one line of source; the rest behind "Sources".

    The source's address is shown once, as a short link. Every value is escaped, so
    text from the data is shown, never run. A place whose control changed in 2020
    (``changed``: its control_changes row) cites the reference that dates the change,
    not the one that placed the town: the date shown is the reader's question.

    >>> import helpers
    >>> ds = helpers.load()
    >>> row = ds.places.set_index("place_id", drop=False).loc["shusha"]
    >>> html = popup_html(ds, row)
    >>> "Shusha / Shushi" in html and "Шуша" in html and "<details" in html
    True
    """
    taken = taken or {}
    link = None
    if changed is not None:
        reference, link = _reference_line(ds, changed["reference_id"])
        short = reference.split(",")[0]
        details = [f"Change of control ({change_date(changed)}): {reference}"]
        if isinstance(changed.get("excerpt"), str) and changed["excerpt"].strip():
            details.append(f"Excerpt: “{changed['excerpt'].strip()}”")
        where, _ = _place_evidence(ds, row)
        details.append(where)
        details += [f"Excerpt: “{row['excerpt'].strip()}”"] if _has_excerpt(row) else []
    elif row["origin"] == "article":
        short = f"the article ({source_label(ds, row['source_id'])})"
        details = [f"Named in the article: “{row['passage']}”"]
    else:
        reference, link = _reference_line(ds, row["reference_id"])
        short = reference.split(",")[0]
        not_named = "Not named in the article. " if key.article_known(ds) else ""
        details = [f"{not_named}Reference: {reference}"]
        if isinstance(row.get("excerpt"), str) and row["excerpt"].strip():
            details.append(f"Excerpt: “{row['excerpt'].strip()}”")
    details += [
        f"{label}: {row[col]}"
        for col, label in (
            ("name_az", "Azerbaijani"),
            ("name_hy", "Armenian"),
            ("name_ru", "Russian"),
            ("other_names", "Other names"),
        )
        if col in row and pd.notna(row[col])
    ]
    if pd.notna(row.get("coord_source")):
        details.append(f"Position: {position_origin(row)}")
    if pd.notna(row.get("note")):
        # Row ids in a note ("see adjacent-districts") become the names a reader knows,
        # looked up in this view's own data, in the tables the map reads anyway (a note's
        # ordinary hyphenated word must not make the map read, and rebuild on, claims).
        note = readable_html(str(row["note"]), DataNames(ds, NOTE_TABLES))
        details.append(Markup(f"Note: {note}"))
    for guest in guests:
        details.append(f"Also here: {display_name(guest)}. {cite(ds, guest)}")
    what = _what_it_is(row, taken, key.article_known(ds))
    if changed is not None and changed["drawn_as"] == "district":
        # The marker is the town; what changed hands was its district (Lachin town, in
        # the corridor, was not handed over with its district), so the district is named.
        what += f" {changed['area']}: handed over to Azerbaijan {change_date(changed)}."
    return _html(
        POPUP,
        name=display_name(row),
        what=what,
        guests=[display_name(g) for g in guests],
        link=link,
        short=short,
        details=details,
    )


# ------------------------------------------------------------------------- layers


def _add_land(m, countries, land) -> None:
    """Land beyond the region and the countries: fills only, nothing focusable."""
    import folium
    import geopandas as gpd
    import shapely
    from shapely.geometry import box

    group = folium.FeatureGroup(name="Land and countries (Natural Earth)", control=False)
    # Largest first: the mainland, in view at every zoom, is the pane's first path.
    land = land[["geometry"]].explode(index_parts=False)
    land = land.iloc[shapely.area(land.geometry.values).argsort()[::-1]]
    folium.GeoJson(
        land[["geometry"]].to_json(),
        style_function=lambda _: {"fillColor": key.OTHER_LAND, "stroke": False, "fillOpacity": 1},
        interactive=False,
    ).add_to(group)
    shapes = countries[["name", "geometry"]].copy()
    shapes["tint"] = [key.COUNTRY_TINTS.get(n, key.OTHER_LAND) for n in shapes["name"]]
    folium.GeoJson(
        shapes.to_json(),
        style_function=lambda f: {
            "fillColor": f["properties"]["tint"],
            "stroke": False,
            "fillOpacity": 1,
        },
        interactive=False,
    ).add_to(group)
    # Borders only where they are borders: the file's clipping frame is not a line.
    rim = box(*countries.total_bounds).exterior.buffer(1e-3)
    borders = gpd.GeoSeries(countries.geometry.boundary.difference(rim), crs=4326)
    folium.GeoJson(
        borders[~borders.is_empty].to_json(),
        style_function=lambda _: {"color": "#555", "weight": 1},
        interactive=False,
    ).add_to(group)
    group.add_to(m)


def _add_outlines(m, boundaries, ds=None) -> set:
    import folium

    drawn = set()
    layers = (
        ("districts", "district", "District boundaries (Natural Earth, shipped with the kit)"),
        ("nagorno_karabakh", "oblast", "Former Nagorno-Karabakh Autonomous Oblast (outline)"),
    )
    for attribute, style, name in layers:
        shapes = getattr(boundaries, attribute, None)
        if shapes is None:
            continue
        group = folium.FeatureGroup(name=as_dated(ds, name) if ds is not None else name)
        folium.GeoJson(
            shapes[["geometry"]].to_json(),
            style_function=lambda _, style=style: key.LEAFLET[style],
            interactive=False,
        ).add_to(group)
        group.add_to(m)
        drawn.add(style)
    return drawn


def _add_changes(m, ds, changes) -> set:
    """The 2020 changes, one switchable layer per kind; areas and lines not focusable."""
    import folium

    drawn = set()
    handed = changes[changes["drawn_as"] == "district"]
    if len(handed):
        frame = handed[["geometry"]].copy()
        frame["kit_hatch"] = True
        months = key.change_months(ds, handed)  # "Nov–Dec 2020"; the name gives the year
        months = months.rsplit(" ", 1)[0] if months.count(" ") == 1 else months
        group = folium.FeatureGroup(name=f"2020: districts handed over ({months})")
        folium.GeoJson(
            frame.to_json(), style_function=lambda _: key.LEAFLET["handover"], interactive=False
        ).add_to(group)
        group.add_to(m)
        drawn.add("handover")
    line = changes[changes["drawn_as"] == "line"]
    if len(line):
        group = folium.FeatureGroup(name="2020: Lachin corridor (schematic)")
        folium.GeoJson(
            line[["geometry"]].to_json(),
            style_function=lambda _: key.LEAFLET["corridor"],
            interactive=False,
        ).add_to(group)
        # Its name beside it, on the map itself (the first spot along it that fits).
        geom = line.geometry.iloc[0]
        for fraction in (0.5, 0.3, 0.7, 0.1, 0.9):
            lon, lat = geom.interpolate(fraction, normalized=True).coords[0]
            _area_label(group, lat, lon, CORRIDOR, "corridor")
        group.add_to(m)
        drawn.add("corridor")
    if (changes["drawn_as"] == "town").any():
        drawn.add("taken")
    if (changes["change"] == "held-with-peacekeepers").any():
        drawn.add("label")
    if (changes["change"] == "held-before-2020").any():
        drawn.add("before")
    return drawn


def _svg_icon(symbol: str):
    import folium

    return folium.DivIcon(
        html=_html(ICON, shape=Markup(key.PLACE_SYMBOLS[symbol][2])),
        icon_size=(18, 18),
        icon_anchor=(9, 9),
        class_name="kit-icon",
    )


def _label_spot(boundaries, drawn):
    """Where to write the region's name: inside the outline, away from every marker."""
    from shapely.geometry import Point

    outline = getattr(boundaries, "nagorno_karabakh", None)
    if outline is None:
        return None
    points = [Point(x, y) for x, y in zip(drawn["lon"], drawn["lat"], strict=True)]
    spots = spots_inside(outline.geometry.iloc[0].buffer(-0.08), step=0.03)
    if not points:  # no marker to keep clear of (an early as-of view): the middle spot
        best = spots[len(spots) // 2]
        return best[1], best[0]
    best = max(spots, key=lambda s: min(Point(s).distance(p) for p in points))
    return best[1], best[0]


def _add_places(m, ds, boundaries, changes) -> tuple[set, list]:
    """One keyboard-reachable marker per place, with a permanent label and a popup."""
    import folium

    drawn = drawable_places(ds)
    meeting, venues = meeting_places(ds)
    meeting_id = meeting["place_id"] if meeting is not None else None
    taken = {
        r["place_id"]: change_date(r) for _, r in changes[changes["drawn_as"] == "town"].iterrows()
    }
    handed = {
        r["place_id"]: change_date(r)
        for _, r in changes[changes["drawn_as"] == "district"].iterrows()
    }
    changed_at = {
        r["place_id"]: r
        for _, r in changes[changes["drawn_as"].isin(["town", "district"])].iterrows()
        if isinstance(r.get("place_id"), str)
    }
    # Where every change is of one year, the key says which, and a compact label drops it.
    dated = changes[changes["drawn_as"].isin(["town", "district"])]
    years = {pd.Timestamp(d).year for d in dated["date_end"].dropna()}
    one_year = str(years.pop()) if len(years) == 1 else None
    guests = {}
    for _, row in drawn[drawn["host"].notna()].iterrows():
        guests.setdefault(row["host"], []).append(row)
    layers = {k: folium.FeatureGroup(name=name) for k, name in place_layer_names(ds).items()}
    symbols, labels = set(), []
    region_spot = _label_spot(boundaries, drawn[drawn["coord_kind"] == "point"])
    for _, row in drawn[drawn["host"].isna()].iterrows():
        name = display_name(row)
        title = " and ".join([name] + [display_name(g) for g in guests.get(row["place_id"], [])])
        popup = folium.Popup(
            popup_html(
                ds, row, taken, guests.get(row["place_id"], []), changed_at.get(row["place_id"])
            ),
            max_width=260,
            max_height=POPUP_MAX_HEIGHT,
            auto_pan=True,
            # Clear of the zoom and view buttons (top left), which sit above popups.
            auto_pan_padding_top_left=[10, 160],
            keep_in_view=True,
        )
        options = {"popup": popup, "title": escape_text(title), "keyboard": True}
        if row["coord_kind"] == "label":
            # A small focus target; the name is a label laid out with the others, first.
            lat, lon = region_spot or (row["lat"], row["lon"])
            marker = folium.Marker(
                [lat, lon],
                icon=folium.DivIcon(
                    html="<div class='kit-region-dot'></div>",
                    class_name="kit-icon",
                    icon_size=(14, 14),
                    icon_anchor=(7, 7),
                ),
                **options,
            )
            marker.add_child(
                folium.Tooltip(
                    _html(REGION_LABEL, name=name),
                    permanent=True,
                    direction="right",
                    class_name="kit-label kit-main",
                    opacity=1,
                )
            )
            marker.add_to(layers["article" if row["group"] == "article" else "context"])
            labels.append((-1, len(labels), marker.get_name()))
            continue
        symbol = (
            "meeting"
            if row["place_id"] == meeting_id
            else "taken"
            if row["place_id"] in taken
            else "venue"
            if row["place_id"] in set(venues["place_id"])
            else row["group"]
        )
        symbols.add(symbol)
        extra = []
        if row["place_id"] in taken:
            extra.append(_date_line("announced ", "taken", taken[row["place_id"]], one_year))
        if row["place_id"] in handed:
            # "district" stays in the compact line: the town itself was not handed over.
            extra.append(_date_line("", "district handed over", handed[row["place_id"]], one_year))
        # The place's own date first, then what else stands there: after the guest, the date
        # would read as the guest's ("+ joint monitoring centre / district handed over").
        extra += [
            {"lead": f"+ {_short(display_name(g))}", "core": ""}
            for g in guests.get(row["place_id"], [])
        ]
        label = _html(LABEL, names=name.split(" / "), extra=extra)
        # The places the 2020 story turns on (data/control_changes.csv) come before the
        # region's main town and the context places; the meeting place leads its own view.
        priority = (
            0
            if symbol == "meeting"
            else 1
            if symbol == "taken" or row["place_id"] in handed
            else 2
            if row["group"] == "article" or row["kind"] == "city"
            else 3
            if row["kind"] == "capital"
            else 4
        )
        # A changed place's label (kit-dated) must keep its date, and the main places'
        # (kit-main) their names: the layout tries other orders until they do.
        classes = ["kit-label"] + ["kit-main"] * (priority <= 2)
        classes += ["kit-dated"] * bool(extra and extra[0]["core"])
        marker = folium.Marker([row["lat"], row["lon"]], icon=_svg_icon(symbol), **options)
        marker.add_child(
            folium.Tooltip(
                label,
                permanent=True,
                direction="right",
                class_name=" ".join(classes),
                opacity=1,
            )
        )
        group = (
            "venue"
            if symbol == "venue"
            else ("article" if row["group"] == "article" else "context")
        )
        marker.add_to(layers[group])
        # Ties go in gazetteer order.
        labels.append((priority, len(labels), marker.get_name()))
    for layer in layers.values():
        if layer._children:  # an empty layer would name what the view does not hold
            layer.add_to(m)
    return symbols, [name for *_, name in sorted(labels)]


def _date_line(lead: str, what: str, when: str, one_year: str | None) -> dict:
    """A label's date line, full ("announced taken 17 Oct 2020") and compact ("taken 17 Oct").

    >>> line = _date_line("announced ", "taken", "17 Oct 2020", "2020")
    >>> line["lead"], line["core"], line["tail"]
    ('announced ', 'taken 17 Oct', ' 2020')
    >>> _date_line("", "district handed over", "25 Nov 2020", None)["core"]
    'district handed over 25 Nov 2020'
    """
    tail = f" {one_year}" if one_year and when.endswith(f" {one_year}") else ""
    when = when.removesuffix(tail)
    # The parts a narrow label may put on lines of their own: "district / handed over".
    parts = what.split(" ", 1) if what.startswith("district ") else [what]
    return {"lead": lead, "core": f"{what} {when}", "what": parts, "when": when, "tail": tail}


def _short(name: str) -> str:
    """A guest's name in its host's label: 'Joint monitoring centre (Agdam ...)' -> 'joint
    monitoring centre'; a proper name ('Moscow Kremlin') keeps its capitals.

    >>> _short("Joint monitoring centre (Agdam / Akna district)"), _short("Moscow Kremlin")
    ('joint monitoring centre', 'Moscow Kremlin')
    """
    head = name.split(" (")[0]
    return head[0].lower() + head[1:] if head.split()[0].lower() in {"joint", "the"} else head


def _add_distance(m, ds) -> None:
    """The great circle from Moscow to the region, labelled with its length."""
    import folium
    from pyproj import Geod

    km = moscow_km(ds)
    if km is None:
        return
    places = ds.places.set_index("place_id")
    a, b = places.loc["moscow"], places.loc["stepanakert"]
    points = Geod(ellps="WGS84").npts(a["lon"], a["lat"], b["lon"], b["lat"], 40)
    line = [[a["lat"], a["lon"]]] + [[lat, lon] for lon, lat in points] + [[b["lat"], b["lon"]]]
    group = folium.FeatureGroup(name=f"Moscow to the region: about {km:,} km")
    folium.PolyLine(line, color="#000", weight=1.5, dash_array="6 6", interactive=False).add_to(
        group
    )
    _area_label(group, a["lat"] + 2.2, a["lon"] + 4, COUNTRY, "RUSSIA")
    # The label is shown once, at the first point along the line (from Moscow's end)
    # where it fits in the view: in every view where the line is drawn, it says what
    # the line is, so that no reader takes it for a border or a front line.
    lines = [f"{display_name(a)}: about {km:,} km", "in a straight line"]
    spots = Geod(ellps="WGS84").npts(a["lon"], a["lat"], b["lon"], b["lat"], 120)
    for lon, lat in spots[4:-3]:
        _area_label(group, lat, lon, DISTANCE, "distance", lines=lines, basis=distance_source(a, b))
    group.add_to(m)


def distance_source(a, b) -> str:
    """Where the distance's two positions are from, in a reader's words.

    >>> distance_source({"coord_source": "GeoNames 524901 (CC BY 4.0)"},
    ...                 {"coord_source": "GeoNames 174875 (CC BY 4.0)"})
    'positions: GeoNames'
    """
    origins = dict.fromkeys(str(p["coord_source"]).split(" ")[0] for p in (a, b))
    return f"positions: {'; '.join(origins)}"


def _area_label(group, lat, lon, template: str, name: str, **values) -> None:
    """One spot for a name on the map (not focusable): the map shows the first of a name's
    spots where it overprints nothing, and only that one."""
    import folium

    folium.Marker(
        [lat, lon],
        icon=folium.DivIcon(
            html=_html(template, name=name, **values), class_name="kit-icon", icon_size=(0, 0)
        ),
        interactive=False,
        keyboard=False,
        pane=NAMES_PANE,  # not among the places' markers
    ).add_to(group)


def country_label_spots(countries, views, outline=None, areas=(), per_view: int = 10):
    """Where each country's name may go on the interactive map: for each view's frame
    (W, S, E, N), spots chosen by the static map's rules (:func:`.static.country_spots`:
    inside the country's own shape, off the former oblast, the handed-over districts and
    other countries), spread out, the first view's first. Nakhchivan, where a frame shows
    it, is named as part of Azerbaijan. The map shows each name at the first of its spots
    where it overprints nothing (a place label, a marker, a control).

    >>> from helpers import geodata, maps
    >>> nk = geodata.load_shipped().nagorno_karabakh
    >>> spots = country_label_spots(maps.load_countries(), [(45.3, 38.7, 48.1, 40.7)], nk)
    >>> sorted({name for name, _ in spots})
    ['ARMENIA', 'AZERBAIJAN', 'IRAN', 'NAKHCHIVAN (AZERBAIJAN)']
    """
    from shapely.geometry import box

    found = []
    for frame in views:
        window = box(*frame)
        for _, row in countries.iterrows():
            shown = row.geometry.intersection(window)
            if shown.is_empty or shown.area < 0.03 * window.area:
                continue
            name = str(row["name"]).upper()
            step = max((frame[2] - frame[0]) / 40, 0.02)
            spots = country_spots(row, countries, frame, outline, areas, step=step)
            found += [(name, s) for s in _spread(spots, 4 * step)[:per_view]]
            parts = sorted(getattr(shown, "geoms", [shown]), key=lambda g: -g.area)
            if name == "AZERBAIJAN" and len(parts) > 1:
                exclave = next((q for q in parts[1:] if q.centroid.x < 46.0), None)
                if exclave is not None:
                    inner = spots_inside(exclave, step=step / 2)
                    found += [("NAKHCHIVAN (AZERBAIJAN)", s) for s in inner[:per_view]]
    return found


def _spread(spots, apart: float) -> list:
    """``spots`` in order, leaving out any within ``apart`` of one kept before it."""
    kept = []
    for x, y in spots:
        if all((x - a) ** 2 + (y - b) ** 2 >= apart**2 for a, b in kept):
            kept.append((x, y))
    return kept


def _add_country_labels(m, countries, boundaries, changes, views) -> None:
    """Country names, not focusable; where each goes is decided in the browser."""
    import folium

    outline = getattr(boundaries, "nagorno_karabakh", None)
    handed = list(changes.loc[changes["drawn_as"] == "district", "geometry"])
    boxes = [b for v in views for b in (v["bounds"], v.get("narrow")) if b is not None]
    frames = [(b[0][1], b[0][0], b[1][1], b[1][0]) for b in boxes]
    group = folium.FeatureGroup(name="Country names", control=False)
    for name, (lon, lat) in country_label_spots(countries, frames, outline, handed):
        _area_label(group, lat, lon, COUNTRY, name)
    group.add_to(m)


def _view_buttons(ds, bounds, narrow=None) -> list[dict]:
    west, south, east, north = bounds
    views = [
        {
            "label": "Region",
            "title": "Back to Nagorno-Karabakh and the districts around it",
            "bounds": [[south, west], [north, east]],
        }
    ]
    if narrow is not None:  # a narrow frame opens closer: the places that changed hands
        w, s, e, n = narrow
        views[0]["narrow"] = [[s, w], [n, e]]
    meeting, _ = meeting_places(ds)
    if meeting is not None and meeting["coord_kind"] == "point":
        lat, lon = float(meeting["lat"]), float(meeting["lon"])
        name = str(display_name(meeting))
        views.append(
            {
                "label": f"{name} (meeting place)",
                "title": f"Show {name}, where the meeting was held",
                "bounds": [[lat - 4.5, lon - 9], [lat + 4.5, lon + 9]],
            }
        )
        views.append(
            {
                "label": f"Both ({name} and the region)",
                "title": f"Zoom out to show {name} and the region together",
                "bounds": [
                    [min(lat, south) - 1, min(lon, west) - 3],
                    [max(lat, north) + 1, max(lon, east) + 3],
                ],
            }
        )
    return views


def interactive_map(ds, countries, boundaries=None, land=None, geo_dir: Path | None = None):
    """A folium map that opens on Nagorno-Karabakh: vector layers only, popups escaped.

    >>> import helpers
    >>> ds = helpers.load()
    >>> from helpers import maps
    >>> m = interactive_map(ds, maps.load_countries())
    >>> "Places named in the article" in layer_names(m)
    True
    """
    import folium

    from .controls import CONTROLS_CSS, CONTROLS_JS

    land = load_land(geo_dir) if land is None else land
    changes = load_control_changes(ds, geo_dir)
    bounds = region_bounds(ds, countries, boundaries)
    west, south, east, north = bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=8,
        min_zoom=3,
        tiles=None,
        control_scale=False,  # the kit's own scale (controls.py)
        fade_animation=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    m.get_root().header.add_child(
        folium.Element(render(STYLE, sea=key.SEA, css=Markup(CONTROLS_CSS)))
    )
    folium.TileLayer(
        "OpenStreetMap", name="OpenStreetMap (online)", show=False, overlay=True, control=True
    ).add_to(m)
    folium.map.CustomPane(NAMES_PANE, z_index=620, pointer_events=False).add_to(m)
    _add_land(m, countries, land)
    drawn = {"azerbaijan", "armenia", "other", "names"}
    drawn |= _add_outlines(m, boundaries, ds)
    drawn |= _add_changes(m, ds, changes)
    _add_distance(m, ds)
    views = _view_buttons(ds, bounds, narrow_bounds(ds, boundaries, changes))
    _add_country_labels(m, countries, boundaries, changes, views)
    symbols, label_order = _add_places(m, ds, boundaries, changes)
    drawn |= symbols
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    rows = key.legend_rows(ds, drawn)
    code = (
        CONTROLS_JS.replace("LAND_BOUNDS", _js(_land_bounds(land)))
        .replace("LEGEND", _js(key.legend_html(rows)))
        .replace("VIEWS", _js(views))
        .replace("LABEL_ORDER", _js(label_order))
        .replace("ATTRIBUTION", _js(attribution(ds)))
    )
    m.add_child(_script(code))
    m.fit_bounds([[south, west], [north, east]])
    return m


def _land_bounds(land) -> list | None:
    """``[[south, west], [north, east]]`` of the land layer, the farthest the map may show."""
    if land is None or not len(land):
        return None
    west, south, east, north = (float(v) for v in land.total_bounds)
    return [[south, west], [north, east]]


def layer_names(m) -> list[str]:
    """The names of a folium map's layers (as its layer control lists them)."""
    import folium

    return [
        child.layer_name
        for child in m._children.values()
        if isinstance(child, (folium.FeatureGroup, folium.TileLayer))
    ]
