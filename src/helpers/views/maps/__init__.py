"""The region's maps: a static map (matplotlib) and an interactive map (folium).

Both draw from the dataset's gazetteer (``ds.places``), the 2020 changes of control
(``data/control_changes.csv``) and the committed outlines in ``data/geo/``, with the
same symbols and the same key. The package is laid out by role:

* :mod:`.layers`: what is drawn, as data (outlines, places, changes, distances);
* :mod:`.legend`: the shared symbols and the key;
* :mod:`.labels`: collision-free label placement for the static map;
* :mod:`.static`: the static map; :mod:`.interactive`: the interactive map.

>>> import helpers
>>> ds = helpers.load()
>>> sorted(set(load_countries()["name"]) & {"Armenia", "Azerbaijan", "Georgia"})
['Armenia', 'Azerbaijan', 'Georgia']
"""

from __future__ import annotations

from .frames import close_up_frame
from .interactive import (
    MAP_HEIGHT,
    interactive_map,
    layer_names,
    popup_html,
    region_bounds,
)
from .layers import (
    bottom_line,
    change_date,
    change_table,
    change_view,
    credits,
    display_name,
    distance_km,
    drawable_places,
    geo_provenance,
    load_control_changes,
    load_countries,
    load_land,
    meeting_distance,
    meeting_places,
    moscow_km,
    place_table,
    place_view,
    where_it_is,
)
from .static import static_alt, static_overview

__all__ = [
    "MAP_HEIGHT",
    "bottom_line",
    "change_date",
    "change_table",
    "change_view",
    "close_up_frame",
    "credits",
    "display_name",
    "distance_km",
    "drawable_places",
    "geo_provenance",
    "interactive_map",
    "layer_names",
    "load_control_changes",
    "load_countries",
    "load_land",
    "meeting_distance",
    "where_it_is",
    "meeting_places",
    "moscow_km",
    "place_table",
    "place_view",
    "popup_html",
    "region_bounds",
    "static_alt",
    "static_overview",
]
