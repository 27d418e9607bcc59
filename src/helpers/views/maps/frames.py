"""Where each map looks, and where a country's name may go: geometry both maps use.

The static map (:mod:`.static`) and the interactive map (:mod:`.interactive`) frame
the same close-up and place country names by the same rules; neither draws here.
"""

from __future__ import annotations

import pandas as pd

from .layers import drawable_places


def close_up_frame(boundaries, places, pad: float = 0.12) -> tuple[float, float, float, float]:
    """The close-up: the former oblast, the districts around it and the places there.

    >>> import helpers
    >>> from helpers import geodata
    >>> w, s, e, n = close_up_frame(geodata.load_shipped(), drawable_places(helpers.load()))
    >>> w < 46.75 < e and s < 39.82 < n and e - w < 2.7
    True
    """
    layers = [getattr(boundaries, "districts", None), getattr(boundaries, "nagorno_karabakh", None)]
    bounds = [tuple(layer.total_bounds) for layer in layers if layer is not None and len(layer)]
    if not bounds:
        bounds = [(45.8, 39.0, 47.4, 40.5)]
    west = min(b[0] for b in bounds)
    south = min(b[1] for b in bounds)
    east = max(b[2] for b in bounds)
    north = max(b[3] for b in bounds)
    # Labels are written to the right of their towns first: room for them in the east.
    return float(west - pad), float(south - pad), float(east + 3 * pad), float(north + pad)


def narrow_bounds(ds, boundaries, changes, pad: float = 0.1):
    """Where a narrow frame (a phone's) opens: the former oblast and the places whose
    control changed in 2020, closely framed, so that their names fit (W, S, E, N).

    >>> import helpers
    >>> from helpers import geodata
    >>> from helpers.views.maps.layers import load_control_changes
    >>> ds = helpers.load()
    >>> w, s, e, n = narrow_bounds(ds, geodata.load_shipped(), load_control_changes(ds))
    >>> w < 46.04 < 47.15 < e and e - w < 1.6  # Kalbajar to Fuzuli, closer than the region
    True
    """
    places = drawable_places(ds).set_index("place_id")
    ids = changes.loc[changes["drawn_as"].isin(["town", "district"]), "place_id"]
    shown = places.loc[places.index.intersection(ids)]
    shown = shown[shown["coord_kind"] == "point"]
    boxes = [(shown["lon"].min(), shown["lat"].min(), shown["lon"].max(), shown["lat"].max())]
    outline = getattr(boundaries, "nagorno_karabakh", None)
    if outline is not None:
        boxes.append(tuple(outline.total_bounds))
    boxes = [b for b in boxes if not any(pd.isna(v) for v in b)]
    if not boxes:
        return None
    return (
        float(min(b[0] for b in boxes) - pad),
        float(min(b[1] for b in boxes) - pad),
        float(max(b[2] for b in boxes) + pad),
        float(max(b[3] for b in boxes) + pad),
    )


def country_spots(row, countries, frame, outline=None, areas=(), step: float = 0.15) -> list:
    """Where a country's name may go: inside its own shape in the frame, and not inside
    the former oblast (nor near it), a shaded district (``areas``) or another country's
    shape, so that no country's name can be read as naming a territory inside it.

    >>> from shapely.geometry import Point
    >>> from helpers import geodata, maps
    >>> countries, nk = maps.load_countries(), geodata.load_shipped().nagorno_karabakh
    >>> az = countries.set_index("name", drop=False).loc["Azerbaijan"]
    >>> spots = country_spots(az, countries, (44.5, 38.5, 48.5, 41.0), nk)
    >>> any(nk.geometry.iloc[0].buffer(0.1).contains(Point(s)) for s in spots)
    False
    """
    import numpy as np
    from shapely import contains_xy
    from shapely.geometry import box

    window = box(*frame)
    shown = row.geometry.intersection(window)
    parts = sorted(getattr(shown, "geoms", [shown]), key=lambda g: -g.area)
    avoid = [
        g for n, g in zip(countries["name"], countries.geometry, strict=True) if n != row["name"]
    ]
    if outline is not None:
        avoid += [g.buffer(0.25) for g in outline.geometry]
    avoid += [g.buffer(0.05) for g in areas]
    spots = spots_inside(parts[0], step=step)
    if not spots:
        return []
    # Every spot against each shape at once (shapely's vectorised test, as
    # ``shape.contains(Point(spot))`` one by one): the maps ask for spots 25 times.
    xs, ys = np.array(spots).T
    blocked = np.zeros(len(spots), dtype=bool)
    for shape in avoid:
        blocked |= contains_xy(shape, xs, ys)
    return [spot for spot, off in zip(spots, blocked, strict=True) if not off]


def spots_inside(geom, start=None, step: float = 0.04, limit: int = 400) -> list[tuple]:
    """Points inside ``geom`` on a grid, nearest to ``start`` (default: its label pole) first."""
    import numpy as np
    from shapely import contains_xy
    from shapely.ops import polylabel

    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    centre = start or polylabel(part, tolerance=0.005).coords[0]
    west, south, east, north = geom.bounds
    xs, ys = np.meshgrid(np.arange(west, east, step), np.arange(south, north, step))
    xs, ys = xs.ravel(), ys.ravel()
    keep = contains_xy(geom, xs, ys)
    xs, ys = xs[keep], ys[keep]
    order = np.argsort((xs - centre[0]) ** 2 + (ys - centre[1]) ** 2)[:limit]
    return [tuple(centre)] + [(float(xs[i]), float(ys[i])) for i in order]
