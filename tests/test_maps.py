"""helpers.maps and the gazetteer: every place drawn, layers present, text escaped."""

from __future__ import annotations

import io
import re

import folium
import matplotlib
import pandas as pd
import pytest
from shapely.geometry import Point

import helpers
from conftest import append_rows
from helpers import geodata, maps

matplotlib.use("Agg")

HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def ds():
    return helpers.load()


@pytest.fixture(scope="module")
def countries():
    return maps.load_countries()


@pytest.fixture(scope="module")
def default_map(ds, countries):
    """The interactive map of the real data (built once: tests only read it)."""
    return maps.interactive_map(ds, countries)


def markers_by_layer(m) -> dict[str, set[tuple[float, float]]]:
    found = {}
    for child in m._children.values():
        if isinstance(child, folium.FeatureGroup):
            found[child.layer_name] = {
                (round(c.location[0], 5), round(c.location[1], 5))
                for c in child._children.values()
                if getattr(c, "location", None)
            }
    return found


def coords(frame) -> set[tuple[float, float]]:
    return {
        (round(lat, 5), round(lon, 5)) for lat, lon in zip(frame["lat"], frame["lon"], strict=True)
    }


def hostile_copy(data_copy):
    append_rows(
        data_copy,
        "places",
        [
            {
                "place_id": "hostile",
                "name": HOSTILE,
                "name_az": "<b>az</b>",
                "kind": "town",
                "lat": "39.5",
                "lon": "46.9",
                "coord_kind": "point",
                "where_prec": "2",
                "parent_id": "azerbaijan",
                "origin": "context",
                "reference_id": "dewaal-2013",
                "excerpt": "TEST excerpt (test fixture, not the reference's words)",
                "note": "<script>alert(2)</script>",
            }
        ],
    )
    return helpers.load(data_copy)


# ------------------------------------------------------------------------ gazetteer


def test_gazetteer_coordinates_in_range_and_point_rows_located(ds):
    places = ds.places
    located = places[places["coord_kind"].isin(["point", "label"])]
    assert located["lat"].between(-90, 90).all() and located["lon"].between(-180, 180).all()
    assert places.loc[places["coord_kind"] == "none", ["lat", "lon"]].isna().all().all()
    assert located["coord_source"].notna().all(), "every position says where it comes from"


def test_every_place_the_dataset_refers_to_is_in_the_gazetteer(ds):
    ids = set(ds.places["place_id"])
    referred = set(ds.events["place_id"].dropna()) | set(ds.places["parent_id"].dropna())
    for table in ("claims", "quotes", "event_reports", "topics"):
        frame = getattr(ds, table)
        for column in [c for c in frame.columns if c.endswith("place_id")]:
            referred |= set(frame[column].dropna())
    assert referred <= ids, f"not in places.csv: {sorted(referred - ids)}"


def test_places_lie_in_the_country_they_are_recorded_in(ds, countries):
    outlines = countries.set_index("name").geometry
    places = ds.places.set_index("place_id")
    for place_id, row in places[places["coord_kind"] == "point"].iterrows():
        country = row["parent_id"]
        while pd.notna(country) and places.loc[country, "kind"] != "country":
            country = places.loc[country, "parent_id"]
        name = places.loc[country, "name"]
        if name in outlines.index:  # Russia is clipped: Moscow lies outside the frame
            outline = outlines[name]
            inside = outline.buffer(0.02).contains(Point(row["lon"], row["lat"]))
            assert inside or not outline.envelope.contains(Point(row["lon"], row["lat"])), (
                f"{place_id} ({row['lat']}, {row['lon']}) is not in {name}"
            )


def test_both_sides_names_are_shown_where_they_differ(ds):
    places = ds.places
    both = places["other_names"].fillna("").str.contains("Armenian usage") & places[
        "other_names"
    ].fillna("").str.contains("Azerbaijani usage")
    assert both.sum() >= 2
    for _, row in places[both].iterrows():
        assert " / " in row["name"], f"{row['place_id']}: name shows one side only"
        assert pd.notna(row["name_az"]) and pd.notna(row["name_hy"])


def test_geonames_ids_are_numeric(ds):
    ids = ds.places["geonames_id"].dropna()
    assert len(ids) and ids.str.fullmatch(r"\d+").all()


# ------------------------------------------------------------------------- folium


def test_every_located_article_place_is_drawn_in_its_layer(ds, default_map):
    m = default_map
    layers = markers_by_layer(m)
    drawn = maps.drawable_places(ds)
    article = drawn[drawn["group"] == "article"]
    assert not article.empty
    assert coords(article) <= layers["Named in the article"]
    context = drawn[drawn["group"] == "context"]
    assert coords(context) <= layers["Context places (not in the article)"]
    assert coords(context).isdisjoint(layers["Named in the article"] - coords(article))
    _, venues = maps.meeting_places(ds)
    assert not venues.empty and coords(venues) <= layers["Meeting venue (context)"]


def test_countries_are_outlines_not_points(ds, default_map):
    m = default_map
    located = [
        c.location
        for g in m._children.values()
        if isinstance(g, folium.FeatureGroup) and g.layer_name != "Country names"
        for c in g._children.values()
        if getattr(c, "location", None)
    ]
    # One marker per place with coordinates; none for countries (coord_kind "none").
    assert len(located) == len(maps.drawable_places(ds))
    assert all(pd.notna(lat) and pd.notna(lon) for lat, lon in located)
    assert (ds.places["coord_kind"] == "none").any()


def test_layers_and_control(ds, default_map):
    m = default_map
    names = maps.layer_names(m)
    for expected in (
        "Countries (Natural Earth 1:10m)",
        "Named in the article",
        "Context places (not in the article)",
        "Meeting venue (context)",
    ):
        assert expected in names
    assert any(isinstance(c, folium.LayerControl) for c in m._children.values())
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert tiles and all(not t.show for t in tiles), "the online tile layer starts off"


def test_popups_carry_names_passage_and_citation_escaped(ds):
    row = ds.places.set_index("place_id", drop=False).loc["moscow"].copy()
    html = maps.popup_html(ds, row)
    assert row["passage"] in html and "Москва" in html and "Anadolu Agency" in html
    row["passage"] = "<script>alert(1)</script>"
    html = maps.popup_html(ds, row)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_place_text_is_shown_never_run(data_copy, countries):
    hostile = hostile_copy(data_copy)
    rendered = maps.interactive_map(hostile, countries).get_root().render()
    assert HOSTILE not in rendered and "<script>alert(2)" not in rendered
    assert "<b>az</b>" not in rendered
    assert html_escaped(HOSTILE) in rendered


def test_static_labels_are_never_read_as_mathtext(data_copy, countries):
    append_rows(
        data_copy,
        "places",
        [
            {
                "place_id": "dollars",
                "name": r"Costs $\nosuchcommand{x}$ here",
                "kind": "town",
                "lat": "39.5",
                "lon": "46.9",
                "coord_kind": "point",
                "where_prec": "2",
                "origin": "context",
                "reference_id": "dewaal-2013",
                "excerpt": "TEST excerpt (test fixture, not the reference's words)",
            }
        ],
    )
    fig = maps.static_overview(helpers.load(data_copy), countries)  # measures every label
    # A real render: the figure is made without pyplot, so fig.canvas.draw() would do nothing.
    fig.savefig(io.BytesIO(), format="png")
    assert any("nosuchcommand" in t.get_text() for ax in fig.axes for t in ax.texts)


def test_text_cannot_break_out_of_folium_templates(data_copy, countries):
    sneaky = "Tick `+(window.__pwned=1)+` ${window.__pwned} {{ 7777 * 11 }}"
    append_rows(
        data_copy,
        "places",
        [
            {
                "place_id": "sneaky",
                "name": sneaky,
                "kind": "town",
                "lat": "39.5",
                "lon": "46.9",
                "coord_kind": "point",
                "where_prec": "2",
                "origin": "context",
                "reference_id": "dewaal-2013",
                "excerpt": "TEST excerpt (test fixture, not the reference's words)",
            }
        ],
    )
    rendered = maps.interactive_map(helpers.load(data_copy), countries).get_root().render()
    assert "`+(window.__pwned=1)+`" not in rendered and "${window.__pwned}" not in rendered
    assert "85547" not in rendered and "{{ 7777 * 11 }}" not in rendered


def html_escaped(text: str) -> str:
    from helpers.views.offline import escape_text

    # folium stores popup HTML inside a JS string: its quotes may be re-escaped.
    return re.sub(r"&quot;.*", "", escape_text(text))


def test_boundary_layers_added_and_escaped(ds, countries):
    import geopandas as gpd
    from shapely.geometry import box

    # Test fixture (made-up squares, not real boundaries): hostile text in every field shown.
    nk = gpd.GeoDataFrame(
        {"label": [HOSTILE], "what_it_is_not": [HOSTILE]},
        geometry=[box(46.3, 39.4, 47.2, 40.3)],
        crs=4326,
    )
    districts = gpd.GeoDataFrame(
        {"district_id": ["made-up"], "name": [HOSTILE], "group": ["adjacent-district"]},
        geometry=[box(46.2, 39.4, 46.6, 39.8)],
        crs=4326,
    )
    provenance = {
        "layers": {"districts": {"source": "test fixture", "licence": "none (x)", "credit": "test"}}
    }
    origins = {"districts": "downloaded", "nagorno-karabakh": "downloaded"}
    found = geodata.Boundaries(nk, districts, provenance, origins)
    m = maps.interactive_map(ds, countries, boundaries=found)
    names = maps.layer_names(m)
    assert "Districts (downloaded by make geodata)" in names
    assert any(n.startswith("Former Nagorno-Karabakh") for n in names)
    assert HOSTILE not in m.get_root().render()
    fig = maps.static_overview(ds, countries, boundaries=found)
    legend = " ".join(
        t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    )
    assert "Former Nagorno-Karabakh" in legend and "label only" not in legend
    assert any("test fixture" in line and "downloaded" in line for line in maps.credits(ds, found))


def test_a_fresh_clone_draws_the_shipped_boundaries(ds, countries, tmp_path):
    """No download (an empty cache): both maps draw the districts and the oblast proxy."""
    drawn = geodata.map_boundaries(cache_dir=tmp_path / "no-download")
    assert drawn.origins == {"nagorno-karabakh": "shipped", "districts": "shipped"}
    assert "shipped with the kit" in geodata.status(drawn)
    m = maps.interactive_map(ds, countries, boundaries=drawn)
    names = maps.layer_names(m)
    assert "Districts (shipped with the kit)" in names
    assert (
        "Former Nagorno-Karabakh Autonomous Oblast: approximate outline (shipped with the kit)"
        in names
    )
    rendered = m.get_root().render()
    assert "not a line of control" in rendered  # said on the map, in the legend and tooltip
    fig = maps.static_overview(ds, countries, boundaries=drawn)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    legend = " ".join(
        t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    )
    legend = " ".join(legend.split())  # the legend wraps long entries
    assert "not a line of control" in legend and "District boundary" in legend
    assert any("shipped with the kit" in t for t in texts)  # the credits say which layer
    # Districts are named on the close-up with both sides' names (from places.csv).
    assert "KALBAJAR /\nKARVACHAR" in texts and "SHUSHA /\nSHUSHI" in texts
    assert "not a line of control" in maps.static_alt(ds, drawn)


def test_dual_names_follow_the_rule_from_the_gazetteer(ds):
    """Both sides' names, in Latin alphabetical order, read from other_names."""
    places = ds.places.set_index("place_id", drop=False)
    shown = {p: maps.display_name(places.loc[p]) for p in places.index}
    assert shown["stepanakert"] == "Khankendi / Stepanakert"
    assert shown["kalbajar"] == "Kalbajar / Karvachar"
    assert shown["shusha"] == "Shusha / Shushi"
    assert shown["moscow"] == "Moscow"
    for place_id, row in places.iterrows():
        other = row["other_names"] if isinstance(row["other_names"], str) else ""
        if "(Azerbaijani usage)" in other and "(Armenian usage)" in other:
            first, second = shown[place_id].split(" / ")
            assert first.casefold() < second.casefold(), shown[place_id]
            assert first in other and second in other, (place_id, shown[place_id])


def test_interactive_map_opens_on_the_region_and_explains_itself(ds, countries):
    drawn = geodata.load_shipped()
    m = maps.interactive_map(ds, countries, boundaries=drawn)
    west, south, east, north = maps.region_bounds(ds, countries, drawn)
    pw, ps, pe, pn = drawn.nagorno_karabakh.total_bounds
    assert west < pw and pe < east and south < ps and pn < north
    moscow = ds.places.set_index("place_id").loc["moscow"]
    assert not (west < moscow["lon"] < east and south < moscow["lat"] < north)
    control = [c for c in m._children.values() if isinstance(c, folium.LayerControl)]
    assert control and control[0].options["collapsed"] is True
    rendered = m.get_root().render()
    for words in ("Place named in the article", "Context place (not in the article)", "Legend"):
        assert words in rendered
    assert "Moscow (meeting place)" in rendered  # the button that finds the meeting place


def test_country_outlines_have_no_straight_cut_edges(countries):
    """Clipped to the round window, no outline runs along the rectangular frame's edges."""
    west, south, east, north = maps._frame(countries)
    window = maps.round_window((west, south, east, north))
    import shapely

    clipped = countries.geometry.intersection(window).union_all()
    for x, y in shapely.get_coordinates(clipped.boundary):
        on_edge = min(abs(x - west), abs(x - east), abs(y - south), abs(y - north)) < 1e-6
        mid_side = abs(x - (west + east) / 2) < 0.1 or abs(y - (south + north) / 2) < 0.1
        assert not on_edge or mid_side, (x, y)


# ------------------------------------------------------------------------- static


def test_static_overview_is_written_with_every_article_place(ds, countries, tmp_path, monkeypatch):
    from helpers import figures

    monkeypatch.setenv("KIT_OUTPUT_DIR", str(tmp_path))
    fig = maps.static_overview(ds, countries)
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    drawn = maps.drawable_places(ds)
    located = drawn[drawn["group"] == "article"]
    for name in located["name"]:
        assert any(name in text for text in texts), f"{name} is not labelled"
    legend = " ".join(
        t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    )
    assert "named in the article" in legend and "Context place" in legend
    assert "make geodata" in legend
    credit_text = " ".join(texts)
    assert "Natural Earth" in credit_text and "GeoNames" in credit_text
    written = figures.save(fig, "map-region")
    assert written["png"].stat().st_size > 50_000 and written["svg"].is_file()
    assert written["png"].parent == tmp_path / "figures"


def test_maps_survive_an_early_as_of(ds, countries):
    early = ds.as_of("2019-01-01")
    fig = maps.static_overview(early, countries)
    assert fig.axes
    m = maps.interactive_map(early, countries)
    assert "Named in the article" in maps.layer_names(m)
    assert "Moscow" not in maps.static_alt(early)


def test_offline_embed_keeps_every_script_the_map_needs(default_map):
    from helpers.views.offline import embed_map

    dropped = embed_map(default_map).dropped_assets
    # folium's Bootstrap is unused by these maps; any other dropped script is a broken map.
    assert [a for a in dropped if a.endswith(".js") and "bootstrap" not in a] == []
