"""The region's maps: a static overview (matplotlib) and an interactive map (folium).

Both draw from the dataset's gazetteer (``ds.places``) and the committed outlines in
``data/geo/``; the detailed boundaries are added when ``make geodata`` has fetched
them (:mod:`helpers.geodata`). Places named in the article and context places are
told apart by shape *and* fill (filled square vs open circle), so the difference
survives grayscale printing. Every string from the data reaches folium only through
:func:`helpers.offline.escape_text` (HTML-escaped, and safe inside the JavaScript
template literals and Jinja templates folium puts popup and tooltip text in).

>>> import helpers
>>> ds = helpers.load()
>>> countries = load_countries()
>>> sorted(set(countries["name"]) & {"Armenia", "Azerbaijan", "Georgia"})
['Armenia', 'Azerbaijan', 'Georgia']
>>> drawn = drawable_places(ds)
>>> bool(drawn["coord_kind"].isin(["point", "label"]).all())
True
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from pathlib import Path

import pandas as pd

from .. import paths
from .offline import escape_text
from .provenance import cite, source_label

#: The article's meeting (events.event_id); its place and the venues in it are marked.
MEETING_EVENT = "moscow-meeting-2021-01-11"
COUNTRIES_FILE = "countries-caucasus.geojson"
LABEL_PANE = "kit-region-labels"
#: Height in pixels of the embedded interactive map.
MAP_HEIGHT = 600
LAND_FILE = "land-locator.geojson"
#: Equal-area projection for the locator, centred between Moscow and the Caucasus.
LOCATOR_CRS = "+proj=laea +lat_0=48 +lon_0=42 +datum=WGS84 +units=m"

# Grayscale-safe styles: shape and fill carry the meaning; colour only helps.
STYLE = {
    "article": {"marker": "s", "facecolor": "black", "edgecolor": "black", "size": 42},
    "context": {"marker": "o", "facecolor": "white", "edgecolor": "black", "size": 36},
    "venue": {"marker": "^", "facecolor": "white", "edgecolor": "black", "size": 52},
}
LAND_NAMED, LAND_OTHER, SEA = "#dadada", "#f7f7f7", "#a7bccf"
#: where_prec codes in words (UCDP-style; see data/datapackage.json, places.where_prec).
PRECISION = {
    1: "exact",
    2: "within about 25 km",
    3: "district level",
    4: "region",
    5: "along a line or between places",
    6: "country only",
    7: "sea or airspace",
}
LANGUAGES = (
    ("name_az", "Azerbaijani"),
    ("name_hy", "Armenian"),
    ("name_ru", "Russian"),
    ("other_names", "Other names"),
)


def _geo_dir(geo_dir: Path | None) -> Path:
    return Path(geo_dir) if geo_dir is not None else paths.geo_dir()


def load_countries(geo_dir: Path | None = None):
    """The committed country outlines (Natural Earth 1:10m, clipped to the region).

    Returns a GeoDataFrame in EPSG:4326 with ``iso_n3`` and ``name``.
    """
    import geopandas as gpd

    path = _geo_dir(geo_dir) / COUNTRIES_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: regenerate it with `.venv/bin/python scripts/build_geodata.py`"
        )
    return gpd.read_file(path)


def load_land(geo_dir: Path | None = None):
    """The committed land polygon for the locator (no borders), EPSG:4326."""
    import geopandas as gpd

    return gpd.read_file(_geo_dir(geo_dir) / LAND_FILE)


def geo_provenance(geo_dir: Path | None = None) -> list[dict]:
    """The provenance records of the committed geodata files.

    >>> [r["file"] for r in geo_provenance()]  # doctest: +NORMALIZE_WHITESPACE
    ['countries-caucasus.geojson', 'districts-karabakh.geojson', 'land-locator.geojson',
     'nagorno-karabakh-proxy.geojson']
    """
    folder = _geo_dir(geo_dir)
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.provenance.json"))
    ]


def _boundary_credits(boundaries) -> list[str]:
    """One line per source of the boundaries drawn, naming the layers and their origin."""
    origins = getattr(boundaries, "origins", {})
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for name, layer in boundaries.provenance.get("layers", {}).items():
        origin = "shipped with the kit" if origins.get(name) == "shipped" else "downloaded"
        key = (origin, layer["source"], layer["licence"].split(" (")[0])
        grouped.setdefault(key, []).append(
            "former oblast (proxy outline)" if name == "nagorno-karabakh" else name
        )
    return [
        f"Boundaries ({' and '.join(names)}, {origin}): {source}, {licence}"
        for (origin, source, licence), names in grouped.items()
    ]


def credits(ds, boundaries=None, geo_dir: Path | None = None) -> list[str]:
    """Credit lines for a map: outlines, gazetteer coordinates, boundary layers.

    >>> import helpers
    >>> lines = credits(helpers.load())
    >>> any("Natural Earth" in line for line in lines), any("GeoNames" in line for line in lines)
    (True, True)
    """
    from ..data.geodata import SHIPPED

    lines = sorted(
        {
            f"Outlines: {r['origin']['data']} (public domain), via {r['origin']['package']}"
            for r in geo_provenance(geo_dir)
            if r["file"] not in SHIPPED.values()  # credited with the boundaries drawn
        }
    )
    sources = ds.places["coord_source"].dropna()
    if sources.str.contains("GeoNames").any():
        lines.append(
            "Place coordinates: GeoNames (CC BY 4.0), in the kit's gazetteer data/places.csv"
        )
    if boundaries is not None:
        lines += _boundary_credits(boundaries)
    lines.append(
        "Boundaries are shown for orientation and imply no position on any territorial dispute."
    )
    return lines


def meeting_places(ds) -> tuple[pd.Series | None, pd.DataFrame]:
    """The meeting's place (an article row) and the venues inside it (context rows)."""
    events = ds.events.set_index("event_id")
    places = ds.places.set_index("place_id", drop=False)
    if MEETING_EVENT not in events.index:
        return None, places.iloc[0:0]
    place_id = events.loc[MEETING_EVENT, "place_id"]
    if pd.isna(place_id) or place_id not in places.index:
        return None, places.iloc[0:0]
    venues = places[(places["parent_id"] == place_id) & (places["kind"] == "venue")]
    return places.loc[place_id], venues


def drawable_places(ds):
    """Places that have coordinates (points and label points), with a ``group``.

    ``group`` is ``article`` (named in the article), ``venue`` (a context venue)
    or ``context``. Countries and other ``coord_kind == "none"`` rows are left out:
    they are drawn as outlines, not points.
    """
    places = ds.places[ds.places["coord_kind"].isin(["point", "label"])].copy()
    group = places["origin"].where(places["origin"] == "article", "context")
    group = group.mask((group == "context") & (places["kind"] == "venue"), "venue")
    places["group"] = group
    return places


_USAGE = re.compile(r"([^;()]+?)\s*\((Azerbaijani|Armenian) usage\)")


def display_name(row) -> str:
    """A place's name as the maps write it: the kit's dual-name rule
    (:func:`helpers.views.provenance.dual_name`), one implementation for every view.

    >>> display_name({"name": "Stepanakert / Khankendi",
    ...               "other_names": "Stepanakert (Armenian usage); Khankendi (Azerbaijani usage)"})
    'Khankendi / Stepanakert'
    >>> display_name({"name": "Moscow", "other_names": None})
    'Moscow'
    """
    from .provenance import dual_name

    return dual_name(row)


def popup_html(ds, row) -> str:
    """The popup of a place: its names in each language, the passage or reference.

    Every value is escaped, so text from the data is shown, never run.

    >>> import helpers
    >>> ds = helpers.load()
    >>> row = ds.places.set_index("place_id", drop=False).loc["shusha"]
    >>> html = popup_html(ds, row)
    >>> "Shusha / Shushi" in html and "Шуша" in html and "Context (not in the article)" in html
    True
    """
    parts = [f"<b>{escape_text(display_name(row))}</b>"]
    names = [
        f"{label}: {escape_text(row[col])}"
        for col, label in LANGUAGES
        if col in row and pd.notna(row[col]) and row[col] != row["name"]
    ]
    if names:
        parts.append("<br>".join(names))
    if row["origin"] == "article":
        parts.append(
            f"Named in the article: “{escape_text(row['passage'])}”<br>"
            f"<i>{escape_text(source_label(ds, row['source_id']))}</i>"
        )
    else:
        parts.append(f"Not named in the article.<br><i>{escape_text(cite(ds, row))}</i>")
    if pd.notna(row.get("coord_source")):
        parts.append(f"Position: {escape_text(row['coord_source'])}")
    if pd.notna(row.get("note")):
        parts.append(f"Note: {escape_text(row['note'])}")
    return "<div style='max-width:320px'>" + "<br><br>".join(parts) + "</div>"


# --------------------------------------------------------------------------- static


def _plain(text) -> str:
    """Data text for matplotlib: ``$`` escaped, so "$...$" is never read as mathtext.

    >>> print(_plain("costs $5 or $6"))
    costs \\$5 or \\$6
    """
    return str(text).replace("$", r"\$")


def _frame(countries) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in countries.total_bounds)


def _text_renderer(fig):
    """A renderer that measures text as the saved PNG draws it, without drawing anything.

    The overview is a figure made without pyplot: its plain canvas has no renderer
    of its own (and draws nothing when geopandas asks it to redraw after each layer).
    An Agg renderer at the figure's size and dpi is what saving would use.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    width, height = fig.bbox.size
    return RendererAgg(width, height, fig.dpi)


def _place_labels(ax, items, fontsize=7.5) -> None:
    """Write labels beside points, trying eight positions to avoid overlaps."""
    import matplotlib.patheffects as pe
    from matplotlib.transforms import Bbox

    ax.apply_aspect()  # label boxes are measured on screen: fix the axes' shape first
    renderer = _text_renderer(ax.figure)

    # Every point's marker is taken from the start, so no label covers a point.
    taken = []
    for x, y, _, _ in items:
        px, py = ax.transData.transform((x, y))
        taken.append(Bbox.from_extents(px - 4, py - 4, px + 4, py + 4))
    near = [(6, 4), (6, -10), (-6, 4), (-6, -10), (0, 9), (0, -14), (10, -3), (-10, -3)]
    # Further out, with a leader line back to the point.
    offsets = near + [(dx * 3, dy * 2) for dx, dy in near[:4]] + [(0, 22), (0, -28)]
    effects = [pe.withStroke(linewidth=2.5, foreground="white")]

    def annotate(text, xy, dx, dy, ha, style, **extra):
        return ax.annotate(
            text,
            xy,
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va="bottom",
            zorder=6,
            **style,
            **extra,
            path_effects=effects,
        )

    for x, y, text, style in items:
        style = {"fontsize": fontsize, **style}
        best = None
        for dx, dy in offsets:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            label = annotate(text, (x, y), dx, dy, ha, style)
            box = label.get_window_extent(renderer).expanded(1.02, 1.05)
            label.remove()
            if not any(box.overlaps(other) for other in taken):
                best = (dx, dy, ha)
                break
        if best is None:  # every position collides: keep the first, drawn smaller
            best = (*offsets[0], "left")
            style["fontsize"] -= 1.5
        dx, dy, ha = best
        # Labels set further out get a leader line back to their point.
        leader = (
            {}
            if (dx, dy) in near
            else {
                "arrowprops": {
                    "arrowstyle": "-",
                    "color": "0.3",
                    "linewidth": 0.6,
                    "shrinkA": 0,
                    "shrinkB": 3,
                }
            }
        )
        label = annotate(text, (x, y), dx, dy, ha, style, **leader)
        taken.append(label.get_window_extent(renderer))


def _scale_bar(ax, frame) -> None:
    """A 0–50–100 km (or fitting) bar, sized for the frame's southern latitude."""
    west, south, east, north = frame
    lat = south + (north - south) * 0.06
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    span_km = (east - west) * km_per_deg
    step = next(s for s in (25, 50, 100, 200, 500) if span_km / 10 <= s)  # ~1/5 of width
    x0 = west + (east - west) * 0.04
    for i in range(2):
        ax.fill_between(
            [x0 + i * step / km_per_deg, x0 + (i + 1) * step / km_per_deg],
            lat,
            lat + (north - south) * 0.008,
            facecolor="black" if i == 0 else "white",
            edgecolor="black",
            linewidth=0.6,
            zorder=7,
        )
    for i in range(3):
        ax.text(
            x0 + i * step / km_per_deg,
            lat + (north - south) * 0.014,
            f"{i * step}" + (" km" if i == 2 else ""),
            ha="center",
            va="bottom",
            fontsize=7,
            zorder=7,
        )


def _degree_ticks(ax, frame, step: float) -> None:
    import matplotlib.ticker as mticker

    west, south, east, north = frame
    ax.xaxis.set_major_locator(mticker.MultipleLocator(step))
    ax.yaxis.set_major_locator(mticker.MultipleLocator(step / 2 if step > 1 else step))
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}°E"))
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}°N"))
    ax.tick_params(labelsize=7, length=2)
    ax.grid(color="0.45", linewidth=0.3, linestyle=(0, (4, 4)), zorder=2)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))


def _draw_locator(ax, ds, land, frame) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    land.to_crs(LOCATOR_CRS).plot(ax=ax, facecolor=LAND_OTHER, edgecolor="0.4", linewidth=0.4)
    region = gpd.GeoSeries([box(*frame).segmentize(0.5)], crs=4326).to_crs(LOCATOR_CRS)
    region.plot(ax=ax, facecolor="none", edgecolor="black", linewidth=1.2)
    meeting, _ = meeting_places(ds)
    if meeting is not None and meeting["coord_kind"] == "point":
        point = gpd.GeoSeries([meeting.geometry], crs=4326).to_crs(LOCATOR_CRS).iloc[0]
        ax.scatter([point.x], [point.y], marker="*", s=120, color="black", zorder=5)
        ax.annotate(
            f"{_plain(meeting['name'])}\n(meeting place)",
            (point.x, point.y),
            xytext=(7, -2),
            textcoords="offset points",
            fontsize=7.5,
            va="top",
            weight="bold",
        )
    rx, ry = region.iloc[0].centroid.x, region.iloc[0].bounds[1]
    ax.annotate(
        "main map",
        (rx, ry),
        xytext=(0, -3),
        textcoords="offset points",
        ha="center",
        va="top",
        fontsize=7,
    )
    # Frame the region and the meeting place, with room around them.
    minx, miny, maxx, maxy = region.total_bounds
    if meeting is not None and meeting["coord_kind"] == "point":
        minx, miny = min(minx, point.x), min(miny, point.y)
        maxx, maxy = max(maxx, point.x), max(maxy, point.y)
    padx, pady = (maxx - minx) * 0.3, (maxy - miny) * 0.12
    ax.set_xlim(minx - padx, maxx + padx)
    ax.set_ylim(miny - pady, maxy + pady)
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title("Locator", fontsize=8, loc="left")


def detail_frame(ds, frame, pad: float = 0.22) -> tuple[float, float, float, float]:
    """The close-up's frame: around every drawn place in ``frame`` except capitals.

    >>> import helpers
    >>> ds = helpers.load()
    >>> w, s, e, n = detail_frame(ds, _frame(load_countries()))
    >>> w < 46.75 < e and s < 39.82 < n   # Khankendi / Stepanakert is inside
    True
    """
    places = drawable_places(ds)
    west, south, east, north = frame
    inside = places[
        places["lon"].between(west, east)
        & places["lat"].between(south, north)
        & (places["kind"] != "capital")
    ]
    if inside.empty:
        return frame
    return (
        float(inside["lon"].min()) - pad,
        float(inside["lat"].min()) - pad,
        float(inside["lon"].max()) + pad,
        float(inside["lat"].max()) + pad,
    )


def _draw_countries(ax, ds, countries, frame, labels: bool) -> set:
    import shapely
    from shapely.geometry import box
    from shapely.ops import polylabel

    named = set(
        ds.places.loc[(ds.places["origin"] == "article") & (ds.places["kind"] == "country"), "name"]
    )
    is_named = countries["name"].isin(named).to_numpy()
    countries.plot(
        ax=ax,
        facecolor=[LAND_NAMED if n else LAND_OTHER for n in is_named],
        edgecolor="0.25",
        linewidth=0.7,
        zorder=1,
    )
    if labels:
        window = box(*frame)
        # Keep country names off the region labels (e.g. Nagorno-Karabakh's).
        regions = ds.places.loc[ds.places["coord_kind"] == "label", "geometry"]
        # A clearance in degrees on purpose: it is about room on the drawn map.
        keep_clear = shapely.union_all([g.buffer((frame[3] - frame[1]) * 0.12) for g in regions])
        for (_, row), bold in zip(countries.iterrows(), is_named, strict=True):
            shown = row.geometry.intersection(window).difference(keep_clear)
            if shown.area < 0.02 * window.area:  # a sliver at the edge: no room for a name
                continue
            parts = getattr(shown, "geoms", [shown])
            spot = polylabel(max(parts, key=lambda g: g.area), tolerance=0.01)
            ax.text(
                spot.x,
                spot.y,
                _plain(row["name"].upper()),
                ha="center",
                va="center",
                zorder=3,
                fontsize=9 if bold else 8,
                color="0.15" if bold else "0.4",
                weight="bold" if bold else "normal",
            )
    return named


def _draw_boundaries(ax, ds, boundaries, frame=None) -> None:
    """District lines (dashed) and the oblast proxy (hatched, thick): grayscale-safe.

    With ``frame``, districts inside it are named (both sides' names, see
    :func:`display_name`).
    """
    import matplotlib.patheffects as pe
    from shapely.geometry import box
    from shapely.ops import polylabel

    if boundaries is None:
        return
    if boundaries.nagorno_karabakh is not None:
        boundaries.nagorno_karabakh.plot(
            ax=ax, facecolor="none", edgecolor="0.15", hatch="////", linewidth=0, zorder=2
        )
        boundaries.nagorno_karabakh.boundary.plot(ax=ax, color="black", linewidth=2.0, zorder=3)
    if boundaries.districts is None:
        return
    boundaries.districts.boundary.plot(
        ax=ax, color="0.15", linewidth=0.8, linestyle=(0, (5, 3)), zorder=3
    )
    if frame is None:
        return
    names = _display_names(ds)
    window = box(*frame)
    for _, row in boundaries.districts.iterrows():
        shown = row.geometry.intersection(window)
        if shown.is_empty or shown.area < 0.002 * window.area:
            continue
        spot = polylabel(max(getattr(shown, "geoms", [shown]), key=lambda g: g.area), 0.005)
        name = names.get(row["district_id"], row["name"])
        ax.text(
            spot.x,
            spot.y,
            _plain(name).replace(" / ", " /\n").upper(),
            ha="center",
            va="center",
            fontsize=5.5,
            color="0.3",
            style="italic",
            zorder=4,
            path_effects=[pe.withStroke(linewidth=1.8, foreground="white")],
        )


def _draw_places(ax, places, frame, label_points: bool, region_labels: str) -> None:
    """Markers by group; labels for points (if asked) and for label-only regions."""
    west, south, east, north = frame
    inside = places[places["lon"].between(west, east) & places["lat"].between(south, north)]
    points = inside[inside["coord_kind"] == "point"]
    items = []
    regions = inside[inside["coord_kind"] == "label"]
    region_style = {"style": "italic", "weight": "bold", "fontsize": 10}
    if region_labels == "centred":
        for _, row in regions.iterrows():
            ax.text(
                row["lon"],
                row["lat"],
                _plain(row["name"]),
                ha="center",
                va="center",
                zorder=6,
                **region_style,
                bbox={
                    "boxstyle": "round,pad=0.2",
                    "facecolor": "white",
                    "alpha": 0.8,
                    "edgecolor": "none",
                },
            )
    for group, style in STYLE.items():
        chosen = points[points["group"] == group]
        ax.scatter(
            chosen["lon"],
            chosen["lat"],
            marker=style["marker"],
            s=style["size"],
            facecolor=style["facecolor"],
            edgecolor=style["edgecolor"],
            linewidth=0.9,
            zorder=5,
        )
        if label_points:
            items += [
                (
                    r["lon"],
                    r["lat"],
                    _plain(display_name(r)),
                    {"weight": "bold"} if group == "article" else {},
                )
                for _, r in chosen.iterrows()
            ]
    if region_labels == "placed":
        items = [
            (r["lon"], r["lat"], _plain(r["name"]), region_style) for _, r in regions.iterrows()
        ] + items
    _place_labels(ax, items)


def _legend_handles(ds, boundaries, has_labels: bool, groups: set) -> list:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=LAND_NAMED, edgecolor="0.25", label="Country named in the article"),
        Patch(facecolor=LAND_OTHER, edgecolor="0.25", label="Other country"),
    ]
    labels = {
        "article": "Place named in the article",
        "context": "Context place (not in the article)",
        "venue": "Context venue (not in the article)",
    }
    # Only what is drawn: a legend entry with nothing behind it misleads.
    handles += [
        Line2D(
            [],
            [],
            linestyle="",
            marker=STYLE[g]["marker"],
            markersize=6.5,
            markerfacecolor=STYLE[g]["facecolor"],
            markeredgecolor="black",
            label=labels[g],
        )
        for g in STYLE
        if g in groups
    ]
    if meeting_places(ds)[0] is not None:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker="*",
                markersize=9,
                color="black",
                label="Meeting place (named in the article)",
            )
        )
    if boundaries is not None and boundaries.districts is not None:
        handles.append(
            Line2D(
                [],
                [],
                color="0.15",
                linewidth=0.8,
                linestyle=(0, (5, 3)),
                label="District boundary (names: both sides')",
            )
        )
    if boundaries is not None and boundaries.nagorno_karabakh is not None:
        what_not = boundaries.nagorno_karabakh["what_it_is_not"].iloc[0]
        handles.append(
            Patch(
                facecolor="none",
                edgecolor="black",
                hatch="////",
                linewidth=2.0,
                label="Former Nagorno-Karabakh Autonomous Oblast,\napproximate outline: "
                + textwrap.fill(what_not, 42),
            )
        )
    elif has_labels:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker="$Aa$",
                markersize=10,
                color="black",
                label="Region: label only, boundary not drawn\n(run `make geodata` to add it)",
            )
        )
    return handles


def _frame_box(ax, frame, **style) -> None:
    from matplotlib.patches import Rectangle

    west, south, east, north = frame
    ax.add_patch(
        Rectangle((west, south), east - west, north - south, fill=False, zorder=6, **style)
    )


def static_overview(ds, countries, land=None, boundaries=None, geo_dir: Path | None = None):
    """The South Caucasus, a close-up of Nagorno-Karabakh, and a Moscow locator.

    Parameters
    ----------
    ds : Dataset
        The (possibly ``as_of``-restricted) dataset; its gazetteer supplies places.
    countries : GeoDataFrame
        Outlines from :func:`load_countries`.
    land : GeoDataFrame, optional
        Locator land from :func:`load_land` (loaded if omitted).
    boundaries : helpers.geodata.Boundaries, optional
        Downloaded boundaries; without them Nagorno-Karabakh is a label.

    Returns
    -------
    matplotlib.figure.Figure
        Made without pyplot: save and display it with :func:`helpers.figures.show`.
    """
    from .figures import new_figure

    land = load_land(geo_dir) if land is None else land
    frame = _frame(countries)
    close = detail_frame(ds, frame)
    places = drawable_places(ds)
    # Not a pyplot figure: geopandas redraws the canvas after every layer it plots,
    # which on a pyplot (Agg or inline) canvas is a full render each time; a bare
    # Figure's canvas draws nothing until helpers.figures.show saves it.
    fig = new_figure(figsize=(10.5, 13.5))
    grid = fig.add_gridspec(
        3, 2, width_ratios=[1.55, 1], height_ratios=[1.25, 0.62, 0.68], wspace=0.06, hspace=0.14
    )

    ax = fig.add_subplot(grid[0, :])
    ax.set_facecolor(SEA)
    _draw_countries(ax, ds, countries, frame, labels=True)
    _draw_boundaries(ax, ds, boundaries)
    _degree_ticks(ax, frame, 2)
    capitals = places[places["kind"] == "capital"]
    _draw_places(ax, places, frame, label_points=False, region_labels="centred")
    _place_labels(
        ax,
        [(r["lon"], r["lat"], _plain(r["name"]), {}) for _, r in capitals.iterrows()],
        fontsize=8.5,
    )
    _frame_box(ax, close, edgecolor="black", linewidth=1.3, linestyle="--")
    ax.annotate(
        "close-up below",
        (close[0], close[1]),
        xytext=(0, -4),
        textcoords="offset points",
        va="top",
        fontsize=7.5,
    )
    _scale_bar(ax, frame)
    ax.set_title(
        "Where Nagorno-Karabakh lies between Armenia and Azerbaijan", fontsize=12, loc="left"
    )

    detail = fig.add_subplot(grid[1:, 0])
    detail.set_facecolor(SEA)
    _draw_countries(detail, ds, countries, close, labels=True)
    _draw_boundaries(detail, ds, boundaries, close)
    _degree_ticks(detail, close, 0.5)
    _draw_places(detail, places, close, label_points=True, region_labels="placed")
    _scale_bar(detail, close)
    detail.set_title("Close-up: the places around Nagorno-Karabakh", fontsize=10, loc="left")

    _draw_locator(fig.add_subplot(grid[1, 1]), ds, land, frame)
    side = fig.add_subplot(grid[2, 1])
    side.axis("off")
    west, south, east, north = frame
    shown = places[
        (places["coord_kind"] == "point")
        & places["lon"].between(west, east)
        & places["lat"].between(south, north)
    ]
    handles = _legend_handles(
        ds, boundaries, (places["coord_kind"] == "label").any(), set(shown["group"])
    )
    legend = side.legend(
        handles=handles, loc="upper left", fontsize=7.5, frameon=False, borderaxespad=0
    )
    # Credits go right under the legend, however tall the legend grew.
    box = legend.get_window_extent(_text_renderer(fig))
    below = side.transAxes.inverted().transform((box.x0, box.y0))[1] - 0.04
    notes = "\n".join(textwrap.fill(line, 48) for line in credits(ds, boundaries, geo_dir))
    side.text(
        0, below, notes, fontsize=6.5, va="top", ha="left", color="0.2", transform=side.transAxes
    )
    return fig


# ----------------------------------------------------------------------- interactive

#: Outline styles shared by both maps (and their legends), grayscale-safe: line
#: pattern and hatching carry the meaning, not colour.
DISTRICT_DASH = "6 4"
PROXY_WEIGHT = 2.5


def region_bounds(
    ds, countries, boundaries=None, pad: float = 0.3
) -> tuple[float, float, float, float]:
    """Where the interactive map opens: Nagorno-Karabakh, the districts and places around it.

    The places are those of the static close-up (:func:`detail_frame`: inside the
    countries' frame, capitals left out); the boundaries drawn widen it if needed.

    >>> import helpers
    >>> w, s, e, n = region_bounds(helpers.load(), load_countries())
    >>> w < 46.75 < e and s < 39.82 < n, e - w < 3     # Stepanakert / Khankendi inside
    (True, True)
    """
    west, south, east, north = detail_frame(ds, _frame(countries), pad=0)
    for layer in (
        getattr(boundaries, "districts", None),
        getattr(boundaries, "nagorno_karabakh", None),
    ):
        if layer is not None and len(layer):
            bw, bs, be, bn = (float(v) for v in layer.total_bounds)
            west, south, east, north = min(west, bw), min(south, bs), max(east, be), max(north, bn)
    return west - pad, south - pad, east + pad, north + pad


def round_window(bounds, resolution: int = 128):
    """An ellipse inscribed in ``bounds`` (W, S, E, N, degrees): the maps' soft frame.

    Clipping outlines to it instead of a rectangle leaves no straight cut edges
    running through countries.

    >>> e = round_window((40, 38, 50, 44))
    >>> round(e.bounds[0], 3), round(e.bounds[3], 3), e.contains(e.centroid)
    (40.0, 44.0, True)
    """
    from shapely import affinity
    from shapely.geometry import Point

    west, south, east, north = bounds
    circle = Point(0, 0).buffer(1, quad_segs=resolution // 4)
    ellipse = affinity.scale(circle, (east - west) / 2, (north - south) / 2, origin=(0, 0))
    return affinity.translate(ellipse, (west + east) / 2, (south + north) / 2)


def _display_names(ds) -> dict[str, str]:
    return {r["place_id"]: display_name(r) for _, r in ds.places.iterrows()}


def _tooltip(row) -> str:
    return escape_text(display_name(row))


def _script(code: str):
    """A folium element running ``code`` once the map exists (``map`` is in scope).

    The code is handed to the template as a value, so Jinja never reads it.
    """
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


def _js(value) -> str:
    """A Python value as a JavaScript literal that cannot end the surrounding <script>."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")


_LEGEND_SYMBOLS = {
    "square": '<rect x="3" y="3" width="12" height="12" fill="#000" stroke="#000"/>',
    "circle": '<circle cx="9" cy="9" r="5.5" fill="#fff" stroke="#000" stroke-width="2"/>',
    "triangle": '<polygon points="9,2 16,16 2,16" fill="#fff" stroke="#000" stroke-width="2"/>',
    "label": '<text x="1" y="14" font-style="italic" font-weight="bold" '
    'font-size="12" fill="#000">Aa</text>',
    "district": f'<line x1="0" y1="9" x2="18" y2="9" stroke="#222" stroke-width="1.5" '
    f'stroke-dasharray="{DISTRICT_DASH}"/>',
    "proxy": '<rect x="1" y="3" width="16" height="12" fill="url(#kit-legend-hatch)" '
    f'stroke="#000" stroke-width="{PROXY_WEIGHT}"/>',
    "named": f'<rect x="1" y="3" width="16" height="12" fill="{LAND_NAMED}" stroke="#444"/>',
    "other": f'<rect x="1" y="3" width="16" height="12" fill="{LAND_OTHER}" stroke="#444"/>',
}


def _legend_rows(ds, boundaries) -> list[tuple[str, str]]:
    """(symbol, text) rows for the interactive map's legend: only what it draws."""
    drawn = drawable_places(ds)
    rows = [("named", "Country named in the article"), ("other", "Other country")]
    groups = set(drawn.loc[drawn["coord_kind"] == "point", "group"])
    rows += [
        (symbol, text)
        for group, symbol, text in (
            ("article", "square", "Place named in the article"),
            ("context", "circle", "Context place (not in the article)"),
            ("venue", "triangle", "Context venue (not in the article)"),
        )
        if group in groups
    ]
    if (drawn["coord_kind"] == "label").any():
        rows.append(("label", "Region name (label only)"))
    if boundaries is None:
        return rows
    if boundaries.districts is not None:
        rows.append(("district", "District boundary"))
    if boundaries.nagorno_karabakh is not None:
        what_not = boundaries.nagorno_karabakh["what_it_is_not"].iloc[0]
        rows.append(
            ("proxy", f"Former Nagorno-Karabakh Autonomous Oblast, approximate: {what_not}")
        )
    origins = sorted({_origin_word(boundaries, layer) for layer in boundaries.origins})
    if origins:
        rows.append(("", "Boundaries: " + " and ".join(origins)))
    return rows


def _origin_word(boundaries, layer: str) -> str:
    origin = boundaries.origins.get(layer, "downloaded")
    return "shipped with the kit" if origin == "shipped" else "downloaded by make geodata"


def legend_html(ds, boundaries=None) -> str:
    """The interactive map's legend: symbols as on the static map, every text escaped.

    >>> import helpers
    >>> html = legend_html(helpers.load())
    >>> "Place named in the article" in html and "<svg" in html
    True
    """
    hatch = (
        '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
        '<pattern id="kit-legend-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#000" '
        'stroke-width="1.2"/></pattern></defs></svg>'
    )
    items = "".join(
        f'<li><svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">'
        f"{_LEGEND_SYMBOLS.get(symbol, '')}</svg><span>{escape_text(text)}</span></li>"
        for symbol, text in _legend_rows(ds, boundaries)
    )
    return (
        f'<details class="kit-legend" open><summary>Legend</summary>{hatch}'
        f"<ul>{items}</ul></details>"
    )


_CONTROLS_CSS = (
    ".kit-legend{background:#fff;padding:4px 8px;font:12px/1.35 sans-serif;color:#111;"
    "max-width:230px;box-shadow:0 1px 4px rgba(0,0,0,.35);border-radius:4px;}"
    ".kit-legend summary{cursor:pointer;font-weight:bold;}"
    ".kit-legend ul{list-style:none;margin:4px 0 0;padding:0;}"
    ".kit-legend li{display:flex;gap:6px;align-items:flex-start;margin:2px 0;}"
    ".kit-legend li svg{flex:none;margin-top:1px;}"
    ".kit-views button{display:block;width:100%;font:12px sans-serif;color:#111;"
    "background:#fff;border:0;border-bottom:1px solid #ccc;padding:5px 8px;cursor:pointer;"
    "text-align:left;}"
    ".kit-views button:last-child{border-bottom:0;}"
    ".kit-views button:hover,.kit-views button:focus{background:#f0f0f0;}"
    ".kit-icon{background:none;border:none;}"
    ".kit-icon:focus{outline:3px solid #0050b3;outline-offset:2px;}"
    ".kit-country{font:bold 12px sans-serif;letter-spacing:.08em;color:#444;white-space:nowrap;"
    "transform:translate(-50%,-50%);text-shadow:0 0 3px #fff,0 0 3px #fff;}"
    # Popups under the marker pane: every marker stays clickable while one is open.
    ".leaflet-popup-pane{z-index:550 !important;}"
)

#: The legend, the "Region / Moscow" view buttons, and the hatch on the oblast outline.
_CONTROLS_JS = """
var legend = L.control({position: 'bottomright'});
legend.onAdd = function () {
  var div = L.DomUtil.create('div', 'leaflet-control');
  div.innerHTML = LEGEND;
  L.DomEvent.disableClickPropagation(div);
  L.DomEvent.disableScrollPropagation(div);
  return div;
};
legend.addTo(map);
var views = L.control({position: 'topleft'});
views.onAdd = function () {
  var div = L.DomUtil.create('div', 'leaflet-bar leaflet-control kit-views');
  VIEWS.forEach(function (v) {
    var b = L.DomUtil.create('button', '', div);
    b.type = 'button';
    b.textContent = v.label;
    b.title = v.title;
    L.DomEvent.on(b, 'click', function (e) {
      L.DomEvent.stop(e);
      map.fitBounds(v.bounds, {animate: false});
    });
  });
  L.DomEvent.disableClickPropagation(div);
  return div;
};
views.addTo(map);
// A map built in a frame that has no size yet (a report page still laying out) would
// open zoomed right out: open it on the region once its frame has a size.
var opened = false;
var sized = new ResizeObserver(function () {
  map.invalidateSize(false);
  var size = map.getSize();
  if (opened || !size.x || !size.y) return;
  opened = true;
  sized.disconnect();
  map.fitBounds(VIEWS[0].bounds, {animate: false});
});
sized.observe(map.getContainer());
function hatch() {
  var svg = map.getPanes().overlayPane.querySelector('svg');
  if (!svg) return;
  if (!svg.querySelector('#kit-hatch')) {
    var ns = 'http://www.w3.org/2000/svg';
    var defs = document.createElementNS(ns, 'defs');
    var p = document.createElementNS(ns, 'pattern');
    p.setAttribute('id', 'kit-hatch');
    p.setAttribute('width', '8'); p.setAttribute('height', '8');
    p.setAttribute('patternUnits', 'userSpaceOnUse');
    p.setAttribute('patternTransform', 'rotate(45)');
    var line = document.createElementNS(ns, 'line');
    line.setAttribute('x1', '0'); line.setAttribute('y1', '0');
    line.setAttribute('x2', '0'); line.setAttribute('y2', '8');
    line.setAttribute('stroke', '#000'); line.setAttribute('stroke-width', '1.2');
    line.setAttribute('stroke-opacity', '0.55');
    p.appendChild(line); defs.appendChild(p); svg.insertBefore(defs, svg.firstChild);
  }
  map.eachLayer(function (l) {
    if (l.feature && l.feature.properties && l.feature.properties.kit_hatch && l.getElement()) {
      l.getElement().setAttribute('fill', 'url(#kit-hatch)');
      l.getElement().setAttribute('fill-opacity', '1');
    }
  });
}
map.on('layeradd zoomend', hatch);
hatch();
// Marker titles (their accessible names) arrive escaped, as every text from the data
// does; read them as text once, through an inert parser (nothing in it loads or runs).
function readTitle(l) {
  if (!(l instanceof L.Marker) || !l.options.title || l._kitTitle) return;
  l._kitTitle = true;
  var doc = new DOMParser().parseFromString(l.options.title, 'text/html');
  l.options.title = doc.documentElement.textContent;
  if (l.getElement()) l.getElement().title = l.options.title;
}
map.eachLayer(readTitle);
map.on('layeradd', function (e) { readTitle(e.layer); });
// Escape closes a popup opened from the keyboard (Leaflet listens only while the map
// itself, not a marker in it, has the focus).
L.DomEvent.on(map.getContainer(), 'keydown', function (e) {
  if (e.key === 'Escape' && map._popup && map.hasLayer(map._popup)) map.closePopup();
});
"""


def _view_buttons(ds, countries, boundaries) -> list[dict]:
    west, south, east, north = region_bounds(ds, countries, boundaries)
    views = [
        {
            "label": "Region",
            "title": "Back to Nagorno-Karabakh and the places around it",
            "bounds": [[south, west], [north, east]],
        }
    ]
    meeting, _ = meeting_places(ds)
    if meeting is not None and meeting["coord_kind"] == "point":
        lat, lon = float(meeting["lat"]), float(meeting["lon"])
        name = str(display_name(meeting))
        views.append(
            {
                "label": f"{name} (meeting place)",
                "title": f"Show {name}, where the meeting was held",
                "bounds": [[lat - 0.25, lon - 0.45], [lat + 0.25, lon + 0.45]],
            }
        )
        views.append(
            {
                "label": f"Both ({name} and the region)",
                "title": f"Zoom out to show {name} and the region together",
                "bounds": [
                    [min(lat, south) - 1, min(lon, west) - 2],
                    [max(lat, north) + 1, max(lon, east) + 2],
                ],
            }
        )
    return views


def _add_backdrop(m, countries, land) -> None:
    """Sea, land beyond the region (no borders) and countries, clipped to round windows."""
    import folium
    import geopandas as gpd

    outer = round_window(_frame(land))
    backdrop = gpd.GeoDataFrame(
        {"kind": ["sea", "land"]},
        geometry=[outer, land.geometry.union_all().intersection(outer)],
        crs=4326,
    )
    group = folium.FeatureGroup(name="Land beyond the region (simplified, no borders)")
    folium.GeoJson(
        backdrop.to_json(),
        style_function=lambda f: {
            "fillColor": SEA if f["properties"]["kind"] == "sea" else LAND_OTHER,
            "stroke": False,
            "fillOpacity": 1,
        },
        interactive=False,
    ).add_to(group)
    group.add_to(m)


def _add_countries(m, ds, countries) -> None:
    import folium

    window = round_window(_frame(countries))
    places = ds.places.set_index("place_id", drop=False)
    country_rows = {r["name"]: r for _, r in places[places["kind"] == "country"].iterrows()}
    shapes = countries[["name", "geometry"]].copy()
    shapes["geometry"] = shapes.geometry.intersection(window)
    shapes = shapes[~shapes.geometry.is_empty]
    shapes["tip"] = [
        escape_text(n) + (" (named in the article)" if n in country_rows else "")
        for n in shapes["name"]
    ]
    shapes["popup"] = [
        popup_html(ds, country_rows[n])
        if n in country_rows
        else escape_text(n) + "<br>Not named in the article."
        for n in shapes["name"]
    ]
    shapes["named"] = [n in country_rows for n in shapes["name"]]
    group = folium.FeatureGroup(name="Countries (Natural Earth 1:10m)")
    # Fills without a stroke, and the borders drawn apart: the round window's edge is
    # where the detail ends, not a line on the ground.
    folium.GeoJson(
        shapes.to_json(),
        style_function=lambda f: {
            "fillColor": LAND_NAMED if f["properties"]["named"] else LAND_OTHER,
            "stroke": False,
            "fillOpacity": 1,
        },
        # Values are escaped above; folium inserts them as HTML.
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, auto_pan=False),
    ).add_to(group)
    rim = window.exterior.buffer(1e-4)
    borders = countries.geometry.boundary.intersection(window).difference(rim)
    folium.GeoJson(
        borders[~borders.is_empty].to_json(),
        style_function=lambda _: {"color": "#444", "weight": 1},
        interactive=False,
    ).add_to(group)
    group.add_to(m)


def _country_labels(m, countries, bounds) -> None:
    """Country names inside the opening view (plain text, not focusable)."""
    import folium
    from shapely.geometry import box
    from shapely.ops import polylabel

    view = box(*bounds)
    group = folium.FeatureGroup(name="Country names", control=False)
    for _, row in countries.iterrows():
        shown = row.geometry.intersection(view)
        if shown.is_empty or shown.area < 0.04 * view.area:
            continue
        part = max(getattr(shown, "geoms", [shown]), key=lambda g: g.area)
        spot = polylabel(part, tolerance=0.01)
        folium.Marker(
            [spot.y, spot.x],
            icon=folium.DivIcon(
                html=f"<div class='kit-country'>{escape_text(row['name'].upper())}</div>",
                class_name="kit-icon",
            ),
            interactive=False,
            keyboard=False,
        ).add_to(group)
    group.add_to(m)


def _place_marker(ds, row, venue_ids: set):
    """One keyboard-reachable marker (Tab focuses it, Enter opens its popup)."""
    import folium

    name = display_name(row)
    # autoPan off: a click keeps the map where the reader put it.
    popup = folium.Popup(popup_html(ds, row), max_width=340, auto_pan=False)
    options = {"popup": popup, "tooltip": folium.Tooltip(_tooltip(row))}
    # Leaflet gives a marker with keyboard=True (the default) tabindex=0 and
    # role=button; its title is the accessible name.
    options["title"] = escape_text(name)
    if row["coord_kind"] == "label":
        icon = folium.DivIcon(
            html=f"<div style='font:italic bold 14px sans-serif;white-space:nowrap;"
            f"transform:translate(-50%,-50%)'>{escape_text(name)}</div>",
            class_name="kit-icon",
        )
        return folium.Marker([row["lat"], row["lon"]], icon=icon, pane=LABEL_PANE, **options)
    shape = (
        "triangle"
        if row["place_id"] in venue_ids
        else "square"
        if row["group"] == "article"
        else "circle"
    )
    return folium.Marker([row["lat"], row["lon"]], icon=_svg_icon(shape), **options)


def _add_places(m, ds) -> None:
    import folium

    # Region names sit in a pane just under the markers: a long label never hides a place.
    folium.map.CustomPane(LABEL_PANE, z_index=590).add_to(m)
    drawn = drawable_places(ds)
    _, venues = meeting_places(ds)
    venue_ids = set(venues["place_id"])
    layers = {
        "article": folium.FeatureGroup(name="Named in the article"),
        "context": folium.FeatureGroup(name="Context places (not in the article)"),
        "venue": folium.FeatureGroup(name="Meeting venue (context)"),
    }
    for _, row in drawn.iterrows():
        if row["place_id"] in venue_ids:
            layer = "venue"
        else:
            layer = "article" if row["group"] == "article" else "context"
        _place_marker(ds, row, venue_ids).add_to(layers[layer])
    for layer in layers.values():
        layer.add_to(m)


def interactive_map(ds, countries, boundaries=None, land=None, geo_dir: Path | None = None):
    """A folium map that opens on Nagorno-Karabakh: vector layers only, popups escaped.

    Layers: land beyond the region, countries (with the article's passage where the
    article names the country), the boundaries (shipped or downloaded, named as
    such), places named in the article, context places, the meeting venue, and an
    online tile layer that starts switched off. The layer control starts collapsed;
    a legend explains the symbols; buttons move between the region and Moscow; every
    place is a marker the keyboard reaches (Tab) and opens (Enter).

    >>> import helpers
    >>> ds = helpers.load()
    >>> m = interactive_map(ds, load_countries())
    >>> sorted(layer_names(m))[:2]
    ['Context places (not in the article)', 'Countries (Natural Earth 1:10m)']
    """
    import folium

    land = load_land(geo_dir) if land is None else land
    west, south, east, north = region_bounds(ds, countries, boundaries)
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=8,
        min_zoom=3,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        # No fade: a closed popup leaves at once, so only one is ever shown.
        fade_animation=False,
    )
    # Beyond the round frames: plain paper, so the map's edge reads as a vignette.
    m.get_root().header.add_child(
        folium.Element(
            f"<style>.leaflet-container{{background:#f4f4f1 !important;}}{_CONTROLS_CSS}</style>"
        )
    )
    folium.TileLayer(
        "OpenStreetMap", name="OpenStreetMap (online)", show=False, overlay=True, control=True
    ).add_to(m)
    _add_backdrop(m, countries, land)
    _add_countries(m, ds, countries)
    if boundaries is not None:
        _boundary_layers(m, ds, boundaries)
    _country_labels(m, countries, (west - 0.6, south - 0.6, east + 0.6, north + 0.6))
    _add_places(m, ds)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    code = _CONTROLS_JS.replace("LEGEND", _js(legend_html(ds, boundaries))).replace(
        "VIEWS", _js(_view_buttons(ds, countries, boundaries))
    )
    m.add_child(_script(code))
    m.fit_bounds([[south, west], [north, east]])
    return m


_SHAPES = {
    # Core Leaflet only (folium's RegularPolygonMarker needs a plugin from a CDN).
    "square": '<rect x="2" y="2" width="12" height="12" fill="black" stroke="black"/>',
    "triangle": '<polygon points="8,1 15,15 1,15" fill="white" stroke="black" stroke-width="2"/>',
    "circle": '<circle cx="8" cy="8" r="5.5" fill="white" stroke="black" stroke-width="2"/>',
}


def _svg_icon(shape: str):
    import folium

    return folium.DivIcon(
        html=f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">'
        f"{_SHAPES[shape]}</svg>",
        icon_size=(16, 16),
        icon_anchor=(8, 8),
        class_name="kit-icon",
    )


def _district_tips(ds, districts) -> list[str]:
    names = _display_names(ds)
    groups = {
        "adjacent-district": "one of the seven districts around the former oblast",
        "former-oblast-area": "within the former oblast's area",
        "partly-former-oblast-area": "partly within the former oblast's area",
    }
    return [
        escape_text(f"{names.get(i, n)} district — {groups.get(g, g)}")
        for i, n, g in zip(
            districts["district_id"], districts["name"], districts["group"], strict=True
        )
    ]


def _boundary_layers(m, ds, boundaries) -> None:
    import folium

    if boundaries.districts is not None:
        frame = boundaries.districts[["district_id", "name", "group", "geometry"]].copy()
        frame["tip"] = _district_tips(ds, frame)
        group = folium.FeatureGroup(name=f"Districts ({_origin_word(boundaries, 'districts')})")
        folium.GeoJson(
            frame[["tip", "geometry"]].to_json(),
            style_function=lambda _: {
                "fill": False,
                "color": "#222",
                "weight": 1.5,
                "dashArray": DISTRICT_DASH,
            },
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        ).add_to(group)
        group.add_to(m)
    if boundaries.nagorno_karabakh is not None:
        frame = boundaries.nagorno_karabakh.copy()
        frame["tip"] = [
            escape_text(f"{label}. It is {what_not}.")
            for label, what_not in zip(frame["label"], frame["what_it_is_not"], strict=True)
        ]
        frame["kit_hatch"] = True
        group = folium.FeatureGroup(
            name="Former Nagorno-Karabakh Autonomous Oblast: approximate outline "
            f"({_origin_word(boundaries, 'nagorno-karabakh')})"
        )
        folium.GeoJson(
            frame[["tip", "kit_hatch", "geometry"]].to_json(),
            style_function=lambda _: {
                "fillColor": "#000",
                "fillOpacity": 0.08,
                "color": "#000",
                "weight": PROXY_WEIGHT,
            },
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        ).add_to(group)
        group.add_to(m)


def layer_names(m) -> list[str]:
    """The names of a folium map's layers (as its layer control lists them)."""
    import folium

    return [
        child.layer_name
        for child in m._children.values()
        if isinstance(child, (folium.FeatureGroup, folium.TileLayer))
    ]


def place_table(ds) -> pd.DataFrame:
    """The gazetteer as a reader's table: names in each language, origin, precision.

    >>> import helpers
    >>> table = place_table(helpers.load())
    >>> table.loc["shusha", "Armenian"], table.loc["moscow", "In the article?"]
    ('Շուշի', 'yes')
    """
    places = ds.places.set_index("place_id")
    table = pd.DataFrame(
        {
            "Name (both sides' names where they differ)": places["name"],
            "Azerbaijani": places["name_az"],
            "Armenian": places["name_hy"],
            "Russian": places["name_ru"],
            "Other names": places["other_names"],
            "In the article?": places["origin"].map({"article": "yes", "context": "no (context)"}),
            "Drawn as": places["coord_kind"].map(
                {"point": "point", "label": "label only", "none": "outline / not drawn"}
            ),
            "Precision (where_prec)": [
                f"{int(p)} · {PRECISION.get(int(p), '?')}" if pd.notna(p) else ""
                for p in places["where_prec"]
            ],
            "Position from": places["coord_source"],
        }
    )
    table.index.name = "place_id"
    return table.astype(object).where(table.notna(), "—")  # "—": no such name / no value


def static_alt(ds, boundaries=None) -> str:
    """Alt text for the static overview, written from what it actually shows."""
    drawn = drawable_places(ds)
    names = drawn.apply(display_name, axis=1)
    article = names[drawn["group"] == "article"].tolist()
    context = names[drawn["group"] != "article"].tolist()
    meeting, _ = meeting_places(ds)
    if boundaries is not None and boundaries.nagorno_karabakh is not None:
        nk = (
            ", with the districts around Nagorno-Karabakh and an approximate outline of the "
            "former Nagorno-Karabakh Autonomous Oblast (hatched; "
            f"{boundaries.nagorno_karabakh['what_it_is_not'].iloc[0]})"
        )
    elif (drawn["coord_kind"] == "label").any():
        nk = ", with Nagorno-Karabakh marked by a label only (no boundary drawn)"
    else:
        nk = ""
    parts = [
        "Map of the South Caucasus: Armenia, Azerbaijan, Georgia and parts of Russia, "
        f"Turkey and Iran{nk}.",
        f"Places named in the article and drawn: {', '.join(article) or 'none'}.",
        f"Context places (not in the article): {', '.join(context) or 'none'}.",
    ]
    if meeting is not None:
        parts.append(
            f"A locator shows {meeting['name']}, where the meeting was held, "
            "far to the north of the region."
        )
    return " ".join(parts)


def distance_km(ds, from_place: str, to_place: str) -> float:
    """Great-circle distance in km between two gazetteer points (WGS84 ellipsoid).

    >>> import helpers
    >>> round(distance_km(helpers.load(), "moscow", "stepanakert"), -1)
    1900.0
    """
    from pyproj import Geod

    places = ds.places.set_index("place_id")
    for place_id in (from_place, to_place):
        if place_id not in places.index:
            raise KeyError(f"no place {place_id!r} in the gazetteer (data/places.csv)")
        if places.at[place_id, "coord_kind"] != "point":
            raise ValueError(
                f"place {place_id!r} has coord_kind {places.at[place_id, 'coord_kind']!r}: "
                "a distance needs two located points"
            )
    a, b = places.loc[from_place], places.loc[to_place]
    _, _, metres = Geod(ellps="WGS84").inv(a["lon"], a["lat"], b["lon"], b["lat"])
    return metres / 1000


def meeting_distance(ds, town: str = "stepanakert") -> str:
    """How far the meeting city lies from Nagorno-Karabakh's main town, with its basis.

    >>> import helpers
    >>> print(meeting_distance(helpers.load()))  # doctest: +ELLIPSIS
    Moscow, where the article says the meeting ended, is about 1,900 km ... from Khankendi / ...
    >>> print(meeting_distance(helpers.load().as_of("2021-01-10")))
    No source loaded by 10 January 2021 places the meeting or the town, so no distance is given.
    """
    from .provenance import dual_name, format_date

    places = ds.places.set_index("place_id")
    if not {"moscow", town} <= set(places.index):
        when = f" by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
        return f"No source loaded{when} places the meeting or the town, so no distance is given."
    km = distance_km(ds, "moscow", town)
    return (
        f"{dual_name(places.loc['moscow'])}, where the article says the meeting ended, is about "
        f"{round(km, -1):,.0f} km in a straight line (great circle) from "
        f"{dual_name(places.loc[town])}, the main town of Nagorno-Karabakh. Both positions come "
        f"from outside the article ({places.at['moscow', 'coord_source']}; "
        f"{places.at[town, 'coord_source']})."
    )


def bottom_line(ds) -> str:
    """The map notebook's bottom line, computed from the gazetteer this build loaded.

    >>> import helpers
    >>> print(bottom_line(helpers.load()))  # doctest: +ELLIPSIS
    The article names ... places, none with a position; ... of the ... places in the gazetteer ...
    """
    from ..data.wording import count
    from .provenance import dual_name, has_dual_name

    places = ds.places
    named = places.loc[places["origin"] == "article"]
    positioned = places["lat"].notna()
    geonames = int(places.loc[positioned, "coord_source"].str.startswith("GeoNames").sum())
    origins = f"{geonames} from GeoNames"
    if int(positioned.sum()) > geonames:
        origins += f", {int(positioned.sum()) - geonames} as each row's coord_source records"
    dual = [dual_name(r) for _, r in places.iterrows() if has_dual_name(r)]
    return (
        f"The article names {count(len(named), 'place')}, none with a position; "
        f"{int(positioned.sum())} of the {len(places)} places in the gazetteer have "
        f"coordinates, all from outside the article ({origins}). "
        f"{count(len(dual), 'place that the two sides name', 'places that the two sides name')}"
        " differently carry both names" + (f" (e.g. {', '.join(dual[:3])})." if dual else ".")
    )
