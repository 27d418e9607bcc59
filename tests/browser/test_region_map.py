"""Notebook 01's interactive map in Chromium, offline: framing, legend, keyboard, popups."""

from __future__ import annotations

import pytest

import helpers
from conftest import edit_cell
from helpers import geodata, maps
from helpers.views.offline import embed_map

from .kit_browser import WAIT_MS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOAD = "<img src=x onerror=\"window.__pwned='img'\">"
PLACES = ".leaflet-marker-icon[tabindex='0']"  # every place: focusable markers

_VIEW_JS = """() => {
  const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])
                    .find(v => v instanceof L.Map);
  const b = map.getBounds();
  return {west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth(),
          zoom: map.getZoom()};
}"""
# Places inside the opening view that a control (legend, buttons, layers) covers.
_COVERED_JS = """() => [...document.querySelectorAll("PLACES")].filter(el => {
  const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
  const top = document.elementFromPoint(x, y);
  return top && top.closest('.leaflet-control');
}).map(el => el.title)""".replace("PLACES", PLACES)
_FOCUS_JS = """() => { const a = document.activeElement;
  return a && a.matches("PLACES") ? a.title : null; }""".replace("PLACES", PLACES)


def _open(watched_page, tmp_path, ds, boundaries):
    m = maps.interactive_map(ds, maps.load_countries(), boundaries=boundaries)
    page_file = tmp_path / "map.html"
    page_file.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>t</title></head>"
        f"<body>{embed_map(m, height=maps.MAP_HEIGHT, title='Region')._repr_html_()}"
        "</body></html>",
        encoding="utf-8",
    )
    page = watched_page.page
    page.goto(page_file.as_uri(), wait_until="load")
    frame = page.wait_for_selector("iframe", timeout=WAIT_MS).content_frame()
    frame.wait_for_selector(".kit-legend", timeout=WAIT_MS)
    return page, frame


@pytest.fixture
def shipped():
    # The layers committed in data/geo/: what a fresh clone draws, with no download.
    boundaries = geodata.load_shipped()
    assert boundaries.districts is not None and boundaries.nagorno_karabakh is not None
    return boundaries


def test_region_map_draws_offline_with_escaped_popups(watched_page, tmp_path, data_copy, shipped):
    # The article's label place carries hostile text in a column its popup shows.
    edit_cell(data_copy, "places", "nagorno-karabakh", "name_ru", PAYLOAD)
    ds = helpers.load(data_copy)
    page, frame = _open(watched_page, tmp_path, ds, shipped)
    control = frame.locator(".leaflet-control-layers").first
    assert "leaflet-control-layers-expanded" not in (control.get_attribute("class") or "")
    text = (
        control.inner_text(timeout=WAIT_MS)
        + frame.locator(".leaflet-control-layers-list").first.text_content()
    )
    for name in ("Countries", "Named in the article", "Context places", "Meeting venue"):
        assert name in text
    assert "Districts (shipped with the kit)" in text
    assert "Former Nagorno-Karabakh Autonomous Oblast" in text
    assert frame.locator(PLACES).count() == len(maps.drawable_places(ds))
    assert frame.locator(".leaflet-tile").count() == 0  # web tiles start switched off
    # The district and oblast outlines are drawn (SVG paths), the oblast's hatched.
    assert frame.locator("path[fill='url(#kit-hatch)']").count() == 1
    assert frame.locator(".leaflet-overlay-pane path").count() > len(shipped.districts)

    # The label's centre lies under Khankendi / Stepanakert's marker: click the label itself.
    frame.locator(".leaflet-marker-icon", has_text="Nagorno-Karabakh").first.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content").first
    popup.wait_for(state="visible", timeout=WAIT_MS)
    text = popup.inner_text()
    assert PAYLOAD in text  # shown literally, as text
    assert "Upper Karabakh, also known as Nagorno-Karabakh" in text
    assert [f.evaluate("() => String(window.__pwned)") for f in page.frames] == [
        "undefined",
        "undefined",
    ]
    assert watched_page.problems() == []


def test_map_opens_on_the_region_with_nothing_covering_it(watched_page, tmp_path, shipped):
    ds = helpers.load()
    _, frame = _open(watched_page, tmp_path, ds, shipped)
    view = frame.evaluate(_VIEW_JS)
    # The former oblast's outline is in view; Moscow (55.75 N) is not, until asked for.
    west, south, east, north = shipped.nagorno_karabakh.total_bounds
    assert view["west"] < west and east < view["east"], view
    assert view["south"] < south and north < view["north"], view
    assert view["north"] < 45 and view["east"] - view["west"] < 8, view  # not zoomed out
    assert frame.evaluate(_COVERED_JS) == []
    legend = frame.locator(".kit-legend").inner_text()
    for words in (
        "Place named in the article",
        "Context place",
        "District boundary",
        "not a line of control",
        "shipped with the kit",
    ):
        assert words in legend, legend
    frame.get_by_role("button", name="Moscow (meeting place)", exact=True).click()
    moscow = frame.evaluate(_VIEW_JS)
    assert moscow["south"] < 55.75 < moscow["north"], moscow
    frame.get_by_role("button", name="Region", exact=True).click()
    assert frame.evaluate(_VIEW_JS)["north"] < 45
    assert watched_page.problems() == []


def test_keyboard_reaches_every_place_and_opens_its_popup(watched_page, tmp_path, shipped):
    ds = helpers.load()
    page, frame = _open(watched_page, tmp_path, ds, shipped)
    expected = {maps.display_name(r) for _, r in maps.drawable_places(ds).iterrows()}
    reached, opened = set(), {}
    page.locator("iframe").focus()
    for _ in range(3 * len(expected) + 20):
        page.keyboard.press("Tab")
        title = frame.evaluate(_FOCUS_JS)
        if title is None or title in reached:
            continue
        reached.add(title)
        page.keyboard.press("Enter")
        content = frame.locator(".leaflet-popup-content").first
        content.wait_for(state="visible", timeout=WAIT_MS)
        opened[title] = content.inner_text()
        page.keyboard.press("Escape")
        frame.wait_for_selector(".leaflet-popup-content", state="detached", timeout=WAIT_MS)
        if reached >= expected:
            break
    assert reached == expected, f"not reached by Tab: {sorted(expected - reached)}"
    wrong = {t: p[:60] for t, p in opened.items() if not p.startswith(t)}
    assert not wrong, f"Enter opened a popup that is not the focused place's: {wrong}"
    assert watched_page.problems() == []
