"""The static map (matplotlib): where Nagorno-Karabakh is, what changed in 2020, how far
Moscow is.

One figure, read top to bottom: the South Caucasus (Armenia and Azerbaijan in their
own tints, Nakhchivan named), a locator with the ~1,900 km to Moscow, a close-up of the
former oblast with the 2020 changes, and a key that says what is drawn. Labels are
placed by :class:`.labels.Placer`, so none overlaps another, a marker or the frame;
the figure keeps the placements in ``fig.kit_labels`` for tests.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pandas as pd

from ...data.as_of_banner import published_by
from . import legend as key
from .frames import close_up_frame, country_spots, narrow_bounds, spots_inside
from .labels import Placer
from .layers import (
    as_dated,
    corridor_status,
    credits,
    display_name,
    drawable_places,
    load_control_changes,
    load_land,
    meeting_places,
    moscow_km,
)

#: Equal-area projection for the locator, centred between Moscow and the Caucasus.
LOCATOR_CRS = "+proj=laea +lat_0=48 +lon_0=42 +datum=WGS84 +units=m"
TITLE = "Nagorno-Karabakh: a mountainous region inside Azerbaijan, near its border with Armenia"
TOWN_STYLE = {"fontsize": 7.5, "color": "0.05"}
AREA_STYLE = {"fontsize": 7.5, "style": "italic", "color": "0.15"}


def _plain(text) -> str:
    """Data text for matplotlib: ``$`` escaped, so "$...$" is never read as mathtext.

    >>> print(_plain("costs $5 or $6"))
    costs \\$5 or \\$6
    """
    return str(text).replace("$", r"\$")


def frame_of(countries) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in countries.total_bounds)


def _set_frame(ax, frame) -> None:
    west, south, east, north = frame
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    _bare(ax)
    ax.set_facecolor(key.SEA)


def _bare(ax) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")


def _draw_countries(ax, countries) -> None:
    tints = [key.COUNTRY_TINTS.get(n, key.OTHER_LAND) for n in countries["name"]]
    countries.plot(ax=ax, facecolor=tints, edgecolor="0.3", linewidth=0.7, zorder=1)


def _country_labels(
    placer, countries, frame, nakhchivan: bool, size: float, outline=None, areas=()
) -> None:
    from shapely.geometry import box

    window = box(*frame)
    for _, row in countries.iterrows():
        shown = row.geometry.intersection(window)
        if shown.is_empty or shown.area < 0.03 * window.area:
            continue
        parts = sorted(getattr(shown, "geoms", [shown]), key=lambda g: -g.area)
        main = row["name"] in key.COUNTRY_TINTS
        style = {
            "fontsize": size + (1 if main else 0),
            "color": "0.1" if main else "0.4",
            "weight": "bold" if main else "normal",
        }
        placer.area_label(
            _plain(row["name"].upper()),
            country_spots(row, countries, frame, outline, areas),
            style,
        )
        if nakhchivan and row["name"] == "Azerbaijan" and len(parts) > 1:
            exclave = next((p for p in parts[1:] if p.centroid.x < 46.0), None)
            if exclave is not None:
                text, small = "NAKHCHIVAN\n(AZERBAIJAN)", {**style, "fontsize": size - 0.5}
                if not placer.area_label(text, spots_inside(exclave, step=0.08), small):
                    # Where the exclave is too crowded (a phone's map): beside it, with a
                    # thin line to it.
                    cx, cy = exclave.centroid.x, exclave.centroid.y
                    ring = [
                        (cx + r * math.cos(a / 8 * math.pi), cy + r * math.sin(a / 8 * math.pi))
                        for r in (0.9, 1.3, 1.8)
                        for a in (12, 10, 14, 8, 0, 4, 6, 2)
                    ]
                    placer.area_label(
                        text, ring, small, required=True, leader=lambda x, y, at=(cx, cy): at
                    )


def _draw_overview(ax, ds, countries, boundaries, close, phone: bool = False) -> dict:
    """The South Caucasus: the two countries, Nakhchivan, the capitals, the region."""
    from matplotlib.patches import Rectangle

    frame = frame_of(countries)
    _set_frame(ax, frame)
    _draw_countries(ax, countries)
    placer = Placer(ax)
    outline = getattr(boundaries, "nagorno_karabakh", None)
    if outline is not None:
        outline.plot(ax=ax, facecolor="0.25", edgecolor="black", linewidth=1, zorder=3)
    west, south, east, north = close
    ax.add_patch(
        Rectangle(
            (west, south),
            east - west,
            north - south,
            fill=False,
            linestyle="--",
            linewidth=1,
            zorder=4,
        )
    )
    places = drawable_places(ds)
    capitals = places[(places["kind"] == "capital") & (places["coord_kind"] == "point")]
    for _, row in capitals.iterrows():
        _marker(ax, placer, row["lon"], row["lat"], "context", size=30)
    for _, row in capitals.iterrows():
        placer.point_label(_plain(display_name(row)), (row["lon"], row["lat"]), TOWN_STYLE)
    if outline is not None:
        geom = outline.geometry.iloc[0]
        placer.point_label(
            "Nagorno-Karabakh",
            (geom.centroid.x, geom.centroid.y),
            {"fontsize": 8.5, "weight": "bold", "style": "italic"},
        )
        # Then no other label on the region: at this scale it would hide it, or seem to
        # name it (a country's name over it).
        placer.block(*geom.bounds)
    _country_labels(placer, countries, frame, nakhchivan=True, size=8, outline=outline)
    placer.area_label(
        "Caspian\nSea",
        [(50.3, 40.0), (50.4, 39.0)],
        {"fontsize": 7.5, "style": "italic", "color": "0.3"},
    )
    _bare(ax)
    where = "Where: the South Caucasus (dashed box: the close-up below)"
    ax.set_title(textwrap.fill(where, 36) if phone else where, fontsize=9, loc="left")
    return placer.report()


def _draw_locator(ax, ds, land, countries) -> dict:
    """Land from the Black Sea to Moscow, the meeting place and the distance to the region."""
    import geopandas as gpd
    from pyproj import Geod
    from shapely.geometry import LineString, box

    land.to_crs(LOCATOR_CRS).plot(ax=ax, facecolor=key.OTHER_LAND, edgecolor="0.4", linewidth=0.4)
    region = gpd.GeoSeries([box(*frame_of(countries)).segmentize(0.5)], crs=4326)
    region.to_crs(LOCATOR_CRS).plot(ax=ax, facecolor="none", edgecolor="black", linewidth=1)
    ax.set_facecolor(key.SEA)
    _bare(ax)
    minx, miny, maxx, maxy = region.to_crs(LOCATOR_CRS).total_bounds
    places = ds.places.set_index("place_id")
    meeting, _ = meeting_places(ds)
    # Only a meeting the loaded sources place is named (an as-of view may hold none).
    title = "The region in the wider area"
    if meeting is not None:
        title = f"How far: the meeting in {display_name(meeting)}"
    ax.set_title(title, fontsize=9, loc="left")
    km = moscow_km(ds)
    ends = []
    if meeting is not None and meeting["coord_kind"] == "point":
        ends.append((meeting["lon"], meeting["lat"]))
    if km is not None:
        ends.append((places.at["stepanakert", "lon"], places.at["stepanakert", "lat"]))
    projected = []
    if ends:
        if len(ends) == 2:
            lons, lats = zip(*Geod(ellps="WGS84").npts(*ends[0], *ends[1], 30), strict=True)
            arc = gpd.GeoSeries([LineString(list(zip(lons, lats, strict=True)))], crs=4326)
            arc.to_crs(LOCATOR_CRS).plot(ax=ax, color="black", linewidth=1.2, linestyle="--")
        projected = gpd.GeoSeries(gpd.points_from_xy(*zip(*ends, strict=True)), crs=4326).to_crs(
            LOCATOR_CRS
        )
        minx, miny = min(minx, projected.x.min()), min(miny, projected.y.min())
        maxx, maxy = max(maxx, projected.x.max()), max(maxy, projected.y.max())
    padx, pady = (maxx - minx) * 0.35, (maxy - miny) * 0.1
    # With no meeting placed yet, room above the region for the sentence saying so.
    room = (maxy - miny) * 0.7 if meeting is None else 0
    ax.set_xlim(minx - padx, maxx + padx)
    ax.set_ylim(miny - pady, maxy + pady + room)
    ax.set_aspect("equal")
    _bare(ax)
    placer = Placer(ax)
    if len(projected):
        point = projected.iloc[0]
        ax.scatter([point.x], [point.y], marker="*", s=140, color="black", zorder=6)
        placer.marker(point.x, point.y, 7)
        placer.point_label(
            "Moscow\n(meeting place)", (point.x, point.y), {"fontsize": 8, "weight": "bold"}
        )
    if len(projected) == 2:
        a, b = projected.iloc[0], projected.iloc[1]
        ax.scatter([b.x], [b.y], marker="s", s=18, color="black", zorder=6)
        placer.marker(b.x, b.y, 5)
        placer.point_label("Nagorno-Karabakh", (b.x, b.y), {"fontsize": 7.5})
        mid = ((a.x + b.x) / 2, (a.y + b.y) / 2)
        placer.area_label(
            f"about {km:,} km\nin a straight line",
            [(mid[0] + dx, mid[1]) for dx in (180_000, 260_000, -220_000)],
            {"fontsize": 8.5, "weight": "bold"},
            required=True,
        )
    if meeting is None:  # an empty frame would say nothing: say what is not known yet
        ax.text(
            0.5,
            0.96,
            textwrap.fill(f"No source{published_by(ds)} places a meeting.", 26),
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=8,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 2},
        )
    return placer.report()


def _marker(ax, placer, lon, lat, symbol: str, size: float = 40) -> None:
    shape, fill, _ = key.PLACE_SYMBOLS[symbol]
    ax.scatter(
        [lon],
        [lat],
        marker=shape,
        s=size * (2.2 if symbol == "meeting" else 1),
        facecolor=fill,
        edgecolor="black",
        linewidth=0.9,
        zorder=6,
    )
    placer.marker(lon, lat, 6 if symbol != "meeting" else 8)


def _town_text(row, hosted: dict, taken: dict) -> str:
    text = display_name(row)
    if row["place_id"] in hosted:
        text += "\n+ " + hosted[row["place_id"]]
    if row["place_id"] in taken:
        text += f"\n{taken[row['place_id']]}"
    return _plain(text)


def _draw_changes(ax, changes) -> None:
    handed = changes[changes["drawn_as"] == "district"]
    if len(handed):
        handed.plot(
            ax=ax,
            facecolor="none",
            edgecolor="0.35",
            hatch=key.HANDOVER_HATCH,
            linewidth=0,
            zorder=2,
        )
    line = changes[changes["drawn_as"] == "line"]
    if len(line):
        line.plot(ax=ax, zorder=5, **key.CORRIDOR_LINE)


def _draw_close_up(
    ax, ds, countries, boundaries, changes, frame, phone: bool = False
) -> tuple[dict, set]:
    """The former oblast and the districts around it, with the 2020 changes."""
    from .layers import change_date

    drawn = {"names"}
    _set_frame(ax, frame)
    _draw_countries(ax, countries)
    drawn |= {"azerbaijan", "armenia", "other"}
    _draw_changes(ax, changes)
    drawn |= {"handover"} if (changes["drawn_as"] == "district").any() else set()
    drawn |= {"corridor"} if (changes["drawn_as"] == "line").any() else set()
    districts = getattr(boundaries, "districts", None)
    if districts is not None:
        districts.boundary.plot(ax=ax, zorder=3, **key.DISTRICT_LINE)
        drawn.add("district")
    outline = getattr(boundaries, "nagorno_karabakh", None)
    if outline is not None:
        outline.boundary.plot(ax=ax, zorder=4, **key.OBLAST_LINE)
        drawn.add("oblast")
    placer = Placer(ax)
    west, south, east, north = frame
    places = drawable_places(ds)
    points = places[
        (places["coord_kind"] == "point")
        & places["lon"].between(west, east)
        & places["lat"].between(south, north)
        & (places["kind"] != "capital")
    ]
    hosted = {
        r["host"]: display_name(r).split(" (")[0].lower()
        for _, r in points.iterrows()
        if isinstance(r["host"], str)
    }
    towns = changes[changes["drawn_as"] == "town"]
    taken = {r["place_id"]: f"announced taken {change_date(r)}" for _, r in towns.iterrows()}
    shown = points[points["host"].isna()]
    for _, row in shown.iterrows():
        symbol = "taken" if row["place_id"] in taken else row["group"]
        _marker(ax, placer, row["lon"], row["lat"], symbol)
        drawn.add(symbol)
    # The region's name first (it must sit inside its outline), then the towns' (they
    # must be placed), then the areas, biggest matters first.
    _scale_bar(ax, frame, placer, list(zip(shown["lon"], shown["lat"], strict=True)))
    _oblast_label(placer, ds, changes, outline, drawn, phone)
    for _, row in _label_order(shown, taken, changes, outline).iterrows():
        bold = {"weight": "bold"} if row["group"] == "article" else {}
        # On a phone a town's label is its name (its date is in the list under the map),
        # on two lines where one does not fit.
        text = _town_text(row, {} if phone else hosted, {} if phone else taken)
        where, style = (row["lon"], row["lat"]), {**TOWN_STYLE, **bold}
        if phone and " / " in text and placer.point_label(text, where, style, required=False):
            continue
        placer.point_label(
            text.replace(" / ", " /\n") if phone else text,
            where,
            style,
            required=not phone or row["_rank"] < 3,  # on a phone context towns give way
        )
    _area_labels(placer, ds, changes, outline, drawn, phone)
    handed = changes.loc[changes["drawn_as"] == "district", "geometry"]
    _country_labels(
        placer, countries, frame, nakhchivan=False, size=7.5, outline=outline, areas=list(handed)
    )
    _bare(ax)
    what = close_up_title(ds, changes, phone)
    ax.set_title(
        textwrap.fill(what, 36) if phone else what, fontsize=9 if phone else 10, loc="left"
    )
    return placer.report(), drawn


def close_up_title(ds, changes, phone: bool = False) -> str:
    """The close-up's title: "What changed in 2020" only once a change of 2020 is known.
    On a phone, where there is no room beside the outline for its name, the title names it.

    >>> import helpers
    >>> ds = helpers.load()
    >>> close_up_title(ds, load_control_changes(ds))
    'What changed in 2020: the former oblast and the districts around it'
    >>> view = ds.as_of("2020-09-27")
    >>> close_up_title(view, load_control_changes(view))
    'The former oblast and the districts around it'
    """
    changed = changes["change"].isin(["taken-in-fighting", "handed-over", "corridor"]).any()
    head = "What changed in 2020: the former " if changed and key.war_known(ds) else "The former "
    if phone:
        return as_dated(
            ds,
            head
            + "Nagorno-Karabakh Autonomous Oblast (thick outline, approximate) "
            + "and the districts around it",
        )
    return as_dated(ds, head + "oblast and the districts around it")


def _label_order(shown, taken: dict, changes, outline):
    """Towns in the order their names are placed: those the 2020 story turns on first
    (the parts of the former oblast taken, then the other towns taken and the districts'
    towns handed over), then the cities, then the rest (which give way where crowded)."""
    from shapely.geometry import Point

    handed = set(changes.loc[changes["drawn_as"] == "district", "place_id"])
    region = outline.geometry.iloc[0] if outline is not None else None

    def rank(row):
        inside = region is not None and region.contains(Point(row["lon"], row["lat"]))
        if row["place_id"] in taken:
            return 0 if inside else 1
        if row["place_id"] in handed:
            return 1
        return 2 if row["kind"] == "city" else 3

    return shown.assign(_rank=shown.apply(rank, axis=1)).sort_values("_rank", kind="stable")


def _area_labels(placer, ds, changes, outline, drawn: set, phone: bool = False) -> None:
    from .layers import change_date

    names = {r["place_id"]: display_name(r) for _, r in ds.places.iterrows()}
    for _, row in changes[changes["drawn_as"] == "district"].iterrows():
        text = f"{names.get(row['place_id'], row['area'])} district\nhanded over {change_date(row)}"
        if phone:
            text = f"{names.get(row['place_id'], row['area'])}\ndistrict (handed over)"
        # On a phone a district's name may give way (the list under the map names it).
        placer.area_label(
            _plain(text),
            spots_inside(row.geometry),
            AREA_STYLE,
            required=not phone,
            lines=True,  # clear of the oblast's outline
        )
    line = changes[changes["drawn_as"] == "line"]
    if len(line):
        geom = line.geometry.iloc[0]
        spots = [geom.interpolate(f, normalized=True).coords[0] for f in (0.75, 0.6, 0.85, 0.5)]
        placer.area_label(
            "Lachin corridor\n(schematic)",
            [(x - 0.16, y) for x, y in spots] + [(x + 0.16, y) for x, y in spots],
            AREA_STYLE,
            required=not phone,  # on a phone the key explains the dotted line
        )


def _oblast_label(placer, ds, changes, outline, drawn: set, phone: bool = False) -> None:
    """The former oblast's name (and, on a desktop, who held it), clear of its outline,
    with a thin line to it; placed before the towns' names, which find room around it."""
    if outline is None:
        return
    held = changes[changes["change"] == "held-with-peacekeepers"]
    name = as_dated(ds, "Former Nagorno-Karabakh\nAutonomous Oblast\n(approximate)")
    said = []
    if (changes["change"] == "held-before-2020").any():
        # "until the war" only where the view knows what came after (as-of views may not).
        until = "until the 2020 war" if len(held) else "(before the 2020 war)"
        until = until if key.war_known(ds) else ""  # no war to name before it is known
        said.append(
            f"most of it held by the Karabakh Armenian side from 1994 {until}".rstrip() + ";"
        )
        drawn.add("before")
    if len(held):
        said.append("mostly still held after 10 Nov 2020, with Russian peacekeepers")
        drawn.add("label")
    # Clear of the outline (its thick line through the name would read as crossing it
    # out): the region is too narrow for its name at this scale, so the name stands
    # beside it, nearest first, with a thin line to its edge.
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    edge = outline.boundary.iloc[0]
    placer.avoid_lines(edge)
    (west, east), (south, north) = placer.ax.get_xlim(), placer.ax.get_ylim()
    # Nearest the outline's north-east first: the plain there (in Azerbaijan, outside
    # every district that changed hands) has room, and no town of the story.
    _, _, ox, oy = outline.total_bounds
    spots = sorted(
        ((x, y) for x in _steps(west, east, 0.04) for y in _steps(south, north, 0.04)),
        key=lambda s: Point(ox, oy).distance(Point(s)),
    )
    spots = [s for s in spots if not outline.geometry.iloc[0].contains(Point(s))]

    def leader(x, y):
        return nearest_points(edge, Point(x, y))[0].coords[0]

    style = {"fontsize": 7.5, "style": "italic", "weight": "bold"}
    texts = [name + "\n" + textwrap.fill(" ".join(said), 24).rstrip(";")] if said else []
    if phone:
        return  # a phone's close-up is too narrow for it beside the outline: its title names it
    for text in texts + [name]:
        if placer.area_label(text, spots, style, lines=True, leader=leader):
            return
    placer.unplaced.append(name)


def _steps(start: float, stop: float, step: float) -> list[float]:
    count = int((stop - start) / step)
    return [start + step * (i + 0.5) for i in range(count)]


def _scale_bar(ax, frame, placer=None, points=()) -> None:
    """A 0–step–2·step km bar in a lower corner with no marker in it (left first); its
    box is kept clear of labels."""
    west, south, east, north = frame
    lat = south + (north - south) * 0.04
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    step = next(s for s in (10, 25, 50, 100, 200) if (east - west) * km_per_deg / 10 <= s)
    length = 2 * step / km_per_deg
    width = length + (east - west) * 0.12  # the bar and its figure
    top = lat + (north - south) * 0.05
    for x0 in (west + (east - west) * 0.03, east - (east - west) * 0.03 - width):
        if not any(x0 <= x <= x0 + width and lat <= y <= top for x, y in points):
            break
    for i in range(2):
        ax.fill_between(
            [x0 + i * step / km_per_deg, x0 + (i + 1) * step / km_per_deg],
            lat,
            lat + (north - south) * 0.007,
            facecolor="black" if i == 0 else "white",
            edgecolor="black",
            linewidth=0.6,
            zorder=7,
        )
    ax.text(x0 + length + 0.02, lat, f"{2 * step} km", fontsize=7.5, va="bottom", zorder=7)
    if placer is not None:
        placer.block(x0, lat, x0 + width, top)


def static_overview(
    ds, countries, land=None, boundaries=None, geo_dir: Path | None = None, phone: bool = False
):
    """The static map: where the region is, what changed in 2020, how far Moscow is.

    Parameters
    ----------
    ds : Dataset
        The (possibly ``as_of``-restricted) dataset: places and changes known by then.
    countries : GeoDataFrame
        Outlines from :func:`.layers.load_countries`.
    land : GeoDataFrame, optional
        Locator land (:func:`.layers.load_land`, loaded if omitted).
    boundaries : helpers.geodata.Boundaries, optional
        The district lines and the former oblast's outline.
    phone : bool
        Drawn for a phone (:data:`helpers.figures.PHONE_WIDTH_IN` wide, the same text
        sizes): the panels stacked, the close-up on the places that changed hands, the
        key in one column. Shown instead of the desktop figure on narrow screens.

    Returns
    -------
    matplotlib.figure.Figure
        Made without pyplot (save it with :func:`helpers.figures.show`); its
        ``kit_labels`` records each panel's label boxes.
    """
    from ..figures import new_figure

    land = load_land(geo_dir) if land is None else land
    changes = load_control_changes(ds, geo_dir)
    close = close_up_frame(boundaries, drawable_places(ds))
    if phone:
        return _phone_overview(ds, countries, land, boundaries, changes, close, geo_dir)
    # Drawn for the report's column (helpers.figures.PAGE_WIDTH, 900 px): shown at its
    # own size there, every text at 7.5 pt or more is at least 11 px on the page.
    fig = new_figure(figsize=(8.1, 14.2))
    grid = fig.add_gridspec(
        3,
        2,
        width_ratios=[1.35, 1],
        height_ratios=[0.6, 1.5, 0.8],
        wspace=0.04,
        hspace=0.07,
        top=0.91,
        bottom=0.02,
        left=0.03,
        right=0.97,
    )
    fig.suptitle(
        textwrap.fill(TITLE, 62), fontsize=12, x=0.03, ha="left", va="top", y=0.995, weight="bold"
    )
    fig.text(0.03, 0.952, textwrap.fill(subtitle(ds, changes), 105), fontsize=8.5, va="top")
    labels = {
        "overview": _draw_overview(fig.add_subplot(grid[0, 0]), ds, countries, boundaries, close),
        "locator": _draw_locator(fig.add_subplot(grid[0, 1]), ds, land, countries),
    }
    labels["close-up"], drawn = _draw_close_up(
        fig.add_subplot(grid[1, :]), ds, countries, boundaries, changes, close
    )
    meeting, _ = meeting_places(ds)
    if meeting is not None:
        drawn.add("meeting")
    _draw_key(fig.add_subplot(grid[2, :]), ds, boundaries, drawn, geo_dir)
    fig.kit_labels = labels
    return fig


def _aspect_height(frame, width: float) -> float:
    """The height (inches) of a map of ``frame`` (W, S, E, N) drawn ``width`` inches wide."""
    west, south, east, north = frame
    return width * (north - south) / ((east - west) * math.cos(math.radians((south + north) / 2)))


def _phone_overview(ds, countries, land, boundaries, changes, close, geo_dir):
    """The static map for a phone: title, the South Caucasus, the locator, the close-up
    (framed on the former oblast and the places that changed hands, so that their names
    fit) and the key, stacked in one column :data:`helpers.figures.PHONE_WIDTH_IN` wide,
    every text at 7.5 pt or more (11 px or more as shown)."""
    import matplotlib

    from ..figures import PHONE_WIDTH_IN, new_figure

    # Drawn this much narrower than the phone's width: the saved image adds a margin.
    width = PHONE_WIDTH_IN - 2 * matplotlib.rcParams["savefig.pad_inches"] - 0.03
    narrow = narrow_bounds(ds, boundaries, changes, pad=0.12)
    if narrow is not None:
        west, south, east, north = narrow
        close = (west - 0.05, south, east + 0.25, north)  # labels go right first
    title = textwrap.fill(TITLE, 30)
    sub = textwrap.fill(subtitle(ds, changes), 46)
    head = 0.2 * (title.count("\n") + 1) + 0.16 * (sub.count("\n") + 1) + 0.15
    # Room for each panel's title above it (its lines at 9 pt), a little for the rest.
    titles = {"overview": 0.45, "locator": 0.3, "close-up": 0.78}
    blocks = [
        ("overview", _aspect_height(frame_of(countries), width)),
        ("locator", width * 0.8),
        ("close-up", _aspect_height(close, width)),
    ]
    dates = textwrap.fill(dated_changes(ds, changes), 46) if len(changes) else ""
    if dates:
        blocks.append(("dates", 0.14 * (dates.count("\n") + 1)))
    blocks.append(("key", 6.2))
    height = head + sum(h + titles.get(name, 0.1) for name, h in blocks)
    fig = new_figure(figsize=(width, height))
    fig.text(0.0, 1.0, title, fontsize=10, weight="bold", va="top", ha="left")
    fig.text(
        0.0,
        1 - (0.2 * (title.count("\n") + 1) + 0.05) / height,
        sub,
        fontsize=8,
        va="top",
        ha="left",
    )
    top = head
    axes = {}
    for name, h in blocks:
        top += titles.get(name, 0.1)
        axes[name] = fig.add_axes((0.0, 1 - (top + h) / height, 1.0, h / height))
        top += h
    labels = {
        "overview": _draw_overview(axes["overview"], ds, countries, boundaries, close, phone=True),
        "locator": _draw_locator(axes["locator"], ds, land, countries),
    }
    labels["close-up"], drawn = _draw_close_up(
        axes["close-up"], ds, countries, boundaries, changes, close, phone=True
    )
    meeting, _ = meeting_places(ds)
    if meeting is not None:
        drawn.add("meeting")
    if dates:
        axes["dates"].axis("off")
        axes["dates"].text(
            0,
            1,
            _plain(dates),
            fontsize=7.5,
            va="top",
            ha="left",
            transform=axes["dates"].transAxes,
        )
    _draw_key(axes["key"], ds, boundaries, drawn, geo_dir, phone=True)
    fig.kit_labels = labels
    # The index's thumbnail: a full-width strip of this figure round the close-up's middle.
    fig.kit_thumbnail_at = (axes["close-up"], (close[0] + close[2]) / 2, (close[1] + close[3]) / 2)
    return fig


def dated_changes(ds, changes) -> str:
    """The 2020 changes the close-up marks, with their dates, as one paragraph (under the
    phone's close-up, whose labels have room only for names).

    >>> import helpers
    >>> text = dated_changes(helpers.load(), load_control_changes(helpers.load()))
    >>> text.startswith("Announced taken by Azerbaijan:"), "Shusha\u00a0/\u00a0Shushi" in text
    (True, True)
    """
    from .layers import change_date

    names = {r["place_id"]: display_name(r) for _, r in ds.places.iterrows()}
    parts = []
    for kind, head in (
        ("town", "Announced taken by Azerbaijan"),
        ("district", "Districts handed over to it"),
    ):
        rows = changes[changes["drawn_as"] == kind].sort_values("date_end")
        if len(rows):
            # Each item kept on one line (no-break spaces): a date split over two lines
            # is hard to read.
            items = "; ".join(
                f"{names.get(r['place_id'], r['area'])} {change_date(r)}".replace(" ", "\u00a0")
                for _, r in rows.iterrows()
            )
            parts.append(f"{head}: {items}.")
    return " ".join(parts)


def subtitle(ds, changes) -> str:
    """The map's second line: what it shows of 2020, from the changes known on its date.

    >>> import helpers
    >>> ds = helpers.load()
    >>> subtitle(ds, load_control_changes(ds))  # doctest: +ELLIPSIS
    'Internationally recognised as part of Azerbaijan. In the 2020 war Azerbaijan announced ...'
    >>> early = ds.as_of("2021-01-11")
    >>> subtitle(early, load_control_changes(early))  # doctest: +ELLIPSIS
    'Anadolu Agency calls it internationally recognised as part of Azerbaijan. In the 2020 war ...'
    """
    from ..provenance import format_date
    from .layers import drawable_places, status_said_by

    # Said where a row the view holds says it (an as-of view before any does, does not).
    recognised = any(
        "internationally recogni" in str(text).lower()
        for frame in (ds.places, ds.event_reports)
        for column in ("passage", "excerpt")
        for text in frame[column].dropna()
    )
    # Whose word it is, as the bottom line says it: the kit's own only where a loaded
    # reference backs it (U13: the figure stated on one agency's word what the text attributed).
    said_by = status_said_by(ds, "Azerbaijan")
    status = (
        f"{said_by} calls it internationally recognised as part of Azerbaijan."
        if said_by
        else "Internationally recognised as part of Azerbaijan."
    )
    parts = [status] if recognised else []
    in_war = "In the 2020 war Azerbaijan" if key.war_known(ds) else "Azerbaijan"
    announced = changes[changes["change"] == "taken-in-fighting"]
    taken = len(announced)
    # The count is of what the map draws: a town with no position in this view is no mark.
    marked = int(announced["place_id"].isin(set(drawable_places(ds)["place_id"])).sum())
    handed = int((changes["change"] == "handed-over").sum())
    towns = f"{taken} town{'s' if taken != 1 else ''}"
    if taken and marked == taken:
        parts.append(f"{in_war} announced it had taken the {towns} marked;")
    elif taken:
        unmarked = "the others have" if taken - marked > 1 else "it has"
        if marked and taken - marked == 1:
            unmarked = "the other has"
        parts.append(
            f"{in_war} announced it had taken {towns} "
            f"({marked} marked; {unmarked} no position in the sources loaded);"
        )
    if handed:
        parts.append(
            f"{handed} district{'s were' if handed > 1 else ' was'} handed over to it by "
            f"{format_date(changes.loc[changes['change'] == 'handed-over', 'date_end'].max())}."
        )
    if not taken and not handed:
        when = f" by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
        # The map still draws who held what before: "no change" is since then.
        held = changes.loc[changes["change"] == "held-before-2020", "date_start"].dropna()
        since = f" since {format_date(held.min())}" if len(held) else ""
        parts.append(f"No change of control{since} is reported in a source known{when}.")
    text = " ".join(parts)
    return text[:-1] + "." if text.endswith(";") else text


def _draw_key(ax, ds, boundaries, drawn: set, geo_dir, phone: bool = False) -> None:
    ax.axis("off")
    rows = key.legend_rows(ds, drawn)
    if phone:  # the phone's close-up lists the dates under the map
        rows = [(k, t.replace("(date on the map)", "(dates under the map)")) for k, t in rows]
    # The phone's close-up draws no label saying who held what: those rows are words alone.
    handles = key.static_handles(
        [(k, textwrap.fill(t, 38 if phone else 46)) for k, t in rows],
        words_only=key.SAID_IN_WORDS if phone else frozenset(),
    )
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        ncol=1 if phone else 2,
        fontsize=7.5,
        frameon=False,
        borderaxespad=0,
        columnspacing=1.5,
        title="Key: what is drawn",
        title_fontproperties={"size": 8.5, "weight": "bold"},
        alignment="left",
    )
    notes = "  ·  ".join(credits(ds, boundaries, geo_dir))
    if phone:
        # Right under the key (its height is known only once drawn), not at the bottom.
        from .labels import text_renderer

        box = legend.get_window_extent(text_renderer(ax.figure))
        y, width, va = ax.transAxes.inverted().transform((0, box.y0))[1] - 0.02, 46, "top"
    else:
        y, width, va = 0, 140, "bottom"
    ax.text(
        0,
        y,
        textwrap.fill("Sources: " + notes, width),
        fontsize=7.5,
        va=va,
        ha="left",
        color="0.25",
        transform=ax.transAxes,
    )


def static_alt(ds, boundaries=None) -> str:
    """Alt text for the static map, written from what it actually shows."""
    from .layers import change_date

    drawn = drawable_places(ds)
    names = drawn.apply(display_name, axis=1)
    article = names[drawn["group"] == "article"].tolist()
    changes = load_control_changes(ds)
    parts = [
        "Map in three panels. The South Caucasus: Azerbaijan (with its Nakhchivan exclave) "
        "and Armenia in different tints, with Nagorno-Karabakh inside Azerbaijan near the "
        "border with Armenia.",
    ]
    km = moscow_km(ds)
    if km is not None:
        parts.append(
            f"A locator shows Moscow, where the leaders met, about {km:,} km to the north."
        )
    if boundaries is not None and boundaries.nagorno_karabakh is not None:
        parts.append(
            as_dated(
                ds,
                "A close-up outlines the former Nagorno-Karabakh Autonomous Oblast (approximate; "
                "an administrative line, not a line of control).",
            )
        )
    places = ds.places.set_index("place_id")
    # In an as-of view a change can be known before the place's own position is.
    taken = changes[(changes["drawn_as"] == "town") & changes["place_id"].isin(places.index)]
    if len(taken):
        parts.append(
            "Towns Azerbaijan announced it had taken: "
            + "; ".join(
                f"{display_name(places.loc[r['place_id']])} ({change_date(r)})"
                for _, r in taken.iterrows()
            )
            + "."
        )
    handed = changes[changes["drawn_as"] == "district"]
    if len(handed):
        parts.append(
            "Districts handed over to Azerbaijan: "
            + "; ".join(f"{r['area']} ({change_date(r)})" for _, r in handed.iterrows())
            + "."
        )
    if (changes["change"] == "corridor").any():
        parts.append(f"A schematic line marks the Lachin corridor {corridor_status(ds)}.")
    if len(ds.sources):  # before the article was published there is none to speak of
        parts.append(f"Places named in the article: {', '.join(article) or 'none'}.")
    return " ".join(parts)


__all__ = ["static_overview", "static_alt", "close_up_frame", "TITLE", "pd"]
