"""Notebook 01's interactive map in Chromium, offline: layers, markers, escaped popups."""

from __future__ import annotations

import pytest
from conftest import edit_cell

import helpers
from helpers import maps
from helpers.views.offline import embed_map

from .kit_browser import WAIT_MS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOAD = "<img src=x onerror=\"window.__pwned='img'\">"


def test_region_map_draws_offline_with_escaped_popups(watched_page, tmp_path, data_copy):
    # The article's label place carries hostile text in a column its popup shows.
    edit_cell(data_copy, "places", "nagorno-karabakh", "name_ru", PAYLOAD)
    ds = helpers.load(data_copy)
    m = maps.interactive_map(ds, maps.load_countries())
    page_file = tmp_path / "map.html"
    page_file.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title></head><body>"
        f"{embed_map(m, height=maps.MAP_HEIGHT, title='Region')._repr_html_()}</body></html>",
        encoding="utf-8",
    )

    page = watched_page.page
    page.goto(page_file.as_uri(), wait_until="load")
    frame = page.wait_for_selector("iframe", timeout=WAIT_MS).content_frame()
    frame.wait_for_selector(".leaflet-control-layers", timeout=WAIT_MS)
    control = frame.locator(".leaflet-control-layers").first.inner_text()
    for name in ("Countries", "Named in the article", "Context places", "Meeting venue"):
        assert name in control
    drawn = maps.drawable_places(ds)
    icons = frame.locator(".leaflet-marker-icon").count()
    circles = (drawn["group"] == "context").sum() + (
        (drawn["group"] == "venue")
        & ~drawn["place_id"].isin(maps.meeting_places(ds)[1]["place_id"])
    ).sum()
    assert icons + circles == len(drawn)
    assert frame.locator(".leaflet-tile").count() == 0  # web tiles start switched off

    frame.locator(".leaflet-marker-icon", has_text="Nagorno-Karabakh").first.click()
    popup = frame.locator(".leaflet-popup-content").first
    popup.wait_for(state="visible", timeout=WAIT_MS)
    text = popup.inner_text()
    assert PAYLOAD in text  # shown literally, as text
    assert "Upper Karabakh, also known as Nagorno-Karabakh" in text
    assert [f.evaluate("() => String(window.__pwned)") for f in page.frames] == [
        "undefined",
        "undefined",
    ]
    watched_page.screenshot("region-map")
    assert watched_page.problems() == []
