"""Notebook 01's interactive map in Chromium, offline, at desktop and phone widths.

Checked as a reader needs it: the region in view with nothing covering it, labels
visible and never overprinting, the key leaving the region visible, popups inside the
frame, every place reachable by keyboard (the map following the focus), and an axe-core
audit with no violation.
"""

from __future__ import annotations

import pytest

import helpers
from conftest import edit_cell
from helpers import geodata, maps
from helpers.views.offline import embed_map

from .kit_browser import WAIT_MS, open_watched
from .test_accessibility import audit, describe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOAD = "<img src=x onerror=\"window.__pwned='img'\">"
PLACES = ".leaflet-marker-icon[tabindex='0']"  # every place: focusable markers
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}

_VIEW_JS = """() => {
  const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])
                    .find(v => v instanceof L.Map);
  const b = map.getBounds();
  return {west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth(),
          zoom: map.getZoom()};
}"""
# Places inside the opening view that a control (key, buttons, layers) covers.
_COVERED_JS = """() => [...document.querySelectorAll("PLACES")].filter(el => {
  const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
  const top = document.elementFromPoint(x, y);
  return top && top.closest('.leaflet-control');
}).map(el => el.title)""".replace("PLACES", PLACES)
_FOCUS_JS = """() => { const a = document.activeElement;
  return a && a.matches("PLACES") ? a.title : null; }""".replace("PLACES", PLACES)
# The visible permanent labels and their boxes; the map's own box.
_LABELS_JS = """() => {
  const frame = document.querySelector('.leaflet-container').getBoundingClientRect();
  const labels = [...document.querySelectorAll('.kit-label')]
    .filter(el => getComputedStyle(el).visibility !== 'hidden')
    .map(el => { const r = el.getBoundingClientRect();
                 return {text: el.innerText, l: r.left, t: r.top, r: r.right, b: r.bottom}; });
  return {labels, frame: {l: frame.left, t: frame.top, r: frame.right, b: frame.bottom}};
}"""
_RECT_JS = """(sel) => { const el = document.querySelector(sel); if (!el) return null;
  const r = el.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; }"""
# The former oblast's outline on screen: the bounding box of its SVG path.
_OUTLINE_JS = """() => {
  const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])
                    .find(v => v instanceof L.Map);
  let box = null;
  map.eachLayer(l => { if (l.feature && l.options && l.options.weight === 3 && l.getElement) {
    const r = l.getElement().getBoundingClientRect();
    box = {l: r.left, t: r.top, r: r.right, b: r.bottom}; } });
  return box;
}"""


def overlap(a: dict, b: dict) -> float:
    w = min(a["r"], b["r"]) - max(a["l"], b["l"])
    h = min(a["b"], b["b"]) - max(a["t"], b["t"])
    return max(w, 0) * max(h, 0)


def inside(a: dict, frame: dict, slack: float = 1) -> bool:
    return (
        a["l"] >= frame["l"] - slack
        and a["t"] >= frame["t"] - slack
        and a["r"] <= frame["r"] + slack
        and a["b"] <= frame["b"] + slack
    )


@pytest.fixture(params=list(SIZES))
def sized_page(chromium, request):
    width, height = SIZES[request.param]
    watched = open_watched(chromium, viewport={"width": width, "height": height})
    watched.size = request.param
    yield watched
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"screenshot: {watched.screenshot(request.node.name)}")
    watched.page.context.close()


@pytest.fixture(scope="module")
def shipped():
    # The layers committed in data/geo/: what a fresh clone draws, with no download.
    boundaries = geodata.load_shipped()
    assert boundaries.districts is not None and boundaries.nagorno_karabakh is not None
    return boundaries


def _open(watched, tmp_path, ds, boundaries):
    m = maps.interactive_map(ds, maps.load_countries(), boundaries=boundaries)
    page_file = tmp_path / "map.html"
    page_file.write_text(
        # A page like a report's: the map inside the main landmark, under a heading.
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>t</title></head>"
        "<body><main><h1>Region</h1>"
        f"{embed_map(m, height=maps.MAP_HEIGHT, title='Region')._repr_html_()}"
        "</main></body></html>",
        encoding="utf-8",
    )
    page = watched.page
    page.goto(page_file.as_uri(), wait_until="load")
    frame = page.wait_for_selector("iframe", timeout=WAIT_MS).content_frame()
    frame.wait_for_selector(".kit-legend", timeout=WAIT_MS)
    frame.wait_for_function("() => document.querySelectorAll('.kit-label').length > 0")
    return page, frame


def expected_titles(ds) -> set[str]:
    drawn = maps.drawable_places(ds)
    titles = set()
    for _, row in drawn[drawn["host"].isna()].iterrows():
        guests = drawn[drawn["host"] == row["place_id"]]
        titles.add(
            " and ".join(
                [maps.display_name(row)] + [maps.display_name(g) for _, g in guests.iterrows()]
            )
        )
    return titles


def test_region_map_draws_offline_with_escaped_popups(watched_page, tmp_path, data_copy, shipped):
    # The article's label place carries hostile text in a column its popup shows.
    edit_cell(data_copy, "places", "nagorno-karabakh", "name_ru", PAYLOAD)
    ds = helpers.load(data_copy)
    page, frame = _open(watched_page, tmp_path, ds, shipped)
    control = frame.locator(".leaflet-control-layers").first
    assert "leaflet-control-layers-expanded" not in (control.get_attribute("class") or "")
    text = frame.locator(".leaflet-control-layers-list").first.text_content()
    for name in (
        "Places named in the article",
        "Context places",
        "2020: districts handed over",
        "2020: Lachin corridor",
        "Former Nagorno-Karabakh Autonomous Oblast",
    ):
        assert name in text
    assert frame.locator(PLACES).count() == len(expected_titles(ds))
    assert frame.locator(".leaflet-tile").count() == 0  # web tiles start switched off
    handed = maps.load_control_changes(ds)
    assert frame.locator("path[fill='url(#kit-hatch)']").count() == int(
        (handed["drawn_as"] == "district").sum()
    )
    frame.locator(f"{PLACES}[title='Nagorno-Karabakh']").first.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content").first
    popup.wait_for(state="visible", timeout=WAIT_MS)
    assert PAYLOAD not in popup.inner_text()  # the long citation waits behind "Sources"
    popup.locator("summary").click()
    text = popup.inner_text()
    assert PAYLOAD in text  # shown literally, as text
    assert "Upper Karabakh, also known as Nagorno-Karabakh" in text
    assert [f.evaluate("() => String(window.__pwned)") for f in page.frames] == [
        "undefined",
        "undefined",
    ]
    assert watched_page.problems() == []


def test_map_opens_on_the_region_with_labels_and_the_key_out_of_its_way(
    sized_page, tmp_path, shipped
):
    ds = helpers.load()
    _, frame = _open(sized_page, tmp_path, ds, shipped)
    view = frame.evaluate(_VIEW_JS)
    west, south, east, north = shipped.nagorno_karabakh.total_bounds
    assert view["west"] < west and east < view["east"], view
    assert view["south"] < south and north < view["north"], view
    assert view["north"] < 45, view  # not zoomed out to Moscow
    assert frame.evaluate(_COVERED_JS) == []
    # Labels: visible, inside the map, never overprinting one another.
    found = frame.evaluate(_LABELS_JS)
    labels = found["labels"]
    texts = " ".join(lab["text"] for lab in labels)
    assert "Nagorno-Karabakh" in texts and "Khankendi / Stepanakert" in texts, texts
    assert len(labels) >= (8 if sized_page.size == "desktop" else 4), texts
    assert all(inside(lab, found["frame"]) for lab in labels), labels
    clashes = [
        (a["text"], b["text"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if overlap(a, b) > 1
    ]
    assert clashes == []
    # The key: open on a wide screen, collapsed on a phone; either way the region shows.
    is_open = frame.evaluate("() => document.querySelector('.kit-legend').open")
    assert is_open == (sized_page.size == "desktop")
    key, outline = frame.evaluate(_RECT_JS, ".kit-legend"), frame.evaluate(_OUTLINE_JS)
    area = (outline["r"] - outline["l"]) * (outline["b"] - outline["t"])
    assert overlap(key, outline) < 0.05 * area, (key, outline)
    legend = frame.locator(".kit-legend").inner_text() if is_open else ""
    if is_open:
        for words in (
            "handed over",
            "announced it had taken",
            "not a line of control",
            "Azerbaijani usage / Armenian usage",
        ):
            assert words in legend, legend
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" in attribution and "GeoNames" in attribution
    frame.get_by_role("button", name="Moscow (meeting place)", exact=True).click()
    moscow = frame.evaluate(_VIEW_JS)
    assert moscow["south"] < 55.75 < moscow["north"] and moscow["east"] - moscow["west"] > 8
    labels = " ".join(lab["text"] for lab in frame.evaluate(_LABELS_JS)["labels"])
    assert "Moscow" in labels
    frame.get_by_role("button", name="Region", exact=True).click()
    assert frame.evaluate(_VIEW_JS)["north"] < 45
    assert sized_page.problems() == []


def test_popups_open_inside_the_frame(sized_page, tmp_path, shipped):
    ds = helpers.load()
    _, frame = _open(sized_page, tmp_path, ds, shipped)
    container = frame.evaluate(_RECT_JS, ".leaflet-container")
    for title in ("Zangilan / Kovsakan", "Kalbajar / Karvachar", "Baku"):
        frame.locator(f"{PLACES}[title='{title}']").first.dispatch_event("click")
        popup = frame.locator(".leaflet-popup").first
        popup.wait_for(state="visible", timeout=WAIT_MS)
        frame.wait_for_timeout(400)  # the pan that brings it into the frame
        box = frame.evaluate(_RECT_JS, ".leaflet-popup")
        assert inside(box, container, slack=2), (title, box, container)
        frame.evaluate("() => document.querySelector('.leaflet-popup-close-button').click()")
    assert sized_page.problems() == []


def test_keyboard_reaches_every_place_and_the_map_follows(sized_page, tmp_path, shipped):
    ds = helpers.load()
    page, frame = _open(sized_page, tmp_path, ds, shipped)
    expected = expected_titles(ds)
    container = frame.evaluate(_RECT_JS, ".leaflet-container")
    reached, opened, off_screen = set(), {}, []
    page.locator("iframe").focus()
    for _ in range(3 * len(expected) + 30):
        page.keyboard.press("Tab")
        title = frame.evaluate(_FOCUS_JS)
        if title is None or title in reached:
            continue
        reached.add(title)
        box = frame.evaluate(
            "() => { const r = document.activeElement.getBoundingClientRect();"
            " return {l: r.left, t: r.top, r: r.right, b: r.bottom}; }"
        )
        if not inside(box, container, slack=2):
            off_screen.append(title)
        page.keyboard.press("Enter")
        content = frame.locator(".leaflet-popup-content").first
        content.wait_for(state="visible", timeout=WAIT_MS)
        opened[title] = content.inner_text()
        page.keyboard.press("Escape")
        frame.wait_for_selector(".leaflet-popup-content", state="detached", timeout=WAIT_MS)
        if reached >= expected:
            break
    assert reached == expected, f"not reached by Tab: {sorted(expected - reached)}"
    assert off_screen == [], "the map did not follow the focus"
    wrong = {t: p[:60] for t, p in opened.items() if not p.startswith(t.split(" and ")[0])}
    assert not wrong, f"Enter opened a popup that is not the focused place's: {wrong}"
    assert sized_page.problems() == []


def test_the_map_passes_axe(sized_page, tmp_path, shipped):
    ds = helpers.load()
    page, _ = _open(sized_page, tmp_path, ds, shipped)
    violations = audit(page)
    assert not violations, describe(violations)
