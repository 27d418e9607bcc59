"""An embedded map opened from disk in Chromium with the network cut off."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.views.offline import embed_map, escape_text

from .kit_browser import WAIT_MS

folium = pytest.importorskip("folium")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOAD = "<img src=x onerror=\"window.__pwned='img'\">`+(window.__pwned='tick')+`"


def _page(tmp_path: Path, popup: str) -> Path:
    m = folium.Map(location=[40.0, 47.0], zoom_start=6)  # OSM tiles: must stay off
    folium.Marker([40.41, 49.87], popup=popup, tooltip="Baku").add_to(m)
    folium.Marker([40.18, 44.51], popup="Yerevan").add_to(m)
    folium.PolyLine([[40.41, 49.87], [40.18, 44.51]]).add_to(m)
    path = tmp_path / "map.html"
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title></head>"
        f"<body>{embed_map(m, height=400, title='Two capitals')._repr_html_()}"
        "</body></html>",
        encoding="utf-8",
    )
    return path


def _frame(page):
    handle = page.wait_for_selector("iframe", timeout=WAIT_MS)
    frame = handle.content_frame()
    frame.wait_for_selector(".leaflet-marker-icon", timeout=WAIT_MS)
    return frame


def test_map_draws_offline_and_cannot_reach_the_page(watched_page, tmp_path):
    page = watched_page.page
    page.goto(_page(tmp_path, escape_text("Baku " + PAYLOAD)).as_uri(), wait_until="load")
    frame = _frame(page)
    assert frame.locator(".leaflet-marker-icon").count() == 2
    assert frame.locator(".leaflet-overlay-pane path").count() == 1
    assert frame.locator(".leaflet-tile").count() == 0  # web tiles held back
    frame.locator(".leaflet-marker-icon").first.click()
    popup = frame.locator(".leaflet-popup-content").first
    popup.wait_for(state="visible", timeout=WAIT_MS)
    assert popup.inner_text().startswith("Baku <img src=x onerror=")  # shown as text
    # Sandboxed without allow-same-origin: the map's scripts cannot touch the report.
    reach = "() => { try { return parent.document.title; } catch (e) { return 'blocked'; } }"
    assert frame.evaluate(reach) == "blocked"
    assert frame.evaluate("() => window.origin") == "null"
    assert [f.evaluate("() => String(window.__pwned)") for f in page.frames] == [
        "undefined",
        "undefined",
    ]
    assert watched_page.problems() == []


def test_unescaped_popup_markup_still_cannot_run(watched_page, tmp_path):
    # Defence in depth: even raw HTML in a popup (folium's default parse_html=False)
    # meets the frame's nonce-only Content-Security-Policy.
    page = watched_page.page
    page.goto(
        _page(tmp_path, "Baku <img src=x onerror=\"window.__pwned='img'\">").as_uri(),
        wait_until="load",
    )
    frame = _frame(page)
    frame.locator(".leaflet-marker-icon").first.click()
    page.wait_for_timeout(500)
    assert [f.evaluate("() => String(window.__pwned)") for f in page.frames] == [
        "undefined",
        "undefined",
    ]
    assert watched_page.blocked == []
