"""The HTML reports as a reader opens them: from disk, in Chromium, offline.

The reports are built once per session into a temporary folder (never the kit's
``reports/``): once from the kit's data and once from the hostile copy of
``tests/hostile_data.py``. Every page runs with every non-``file:``/``data:``
request aborted. Screenshots go to ``.cache/test-screenshots/``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hostile_data import MARKER, SCRIPT_TEXT

from helpers import paths
from helpers.data.export import FORMULA_PREFIXES

from .kit_browser import PHONE, WAIT_MS, map_counts

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPORTS = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))


def _open(watched, path: Path) -> None:
    assert path.is_file(), f"missing report {path}"
    watched.page.goto(path.as_uri(), wait_until="load", timeout=60_000)


# ------------------------------------------------------------------ page inspection
# JavaScript run in the page and in every frame.

_PWNED_JS = "() => window.__pwned === undefined ? null : String(window.__pwned)"
_JS_URLS_JS = """() => [...document.querySelectorAll('[href],[src],[action],[formaction]')]
  .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')
            || e.getAttribute('formaction') || '')
  .filter(u => /^\\s*javascript:/i.test(u))"""
_IMAGES_JS = """() => [...document.images].map(i => ({src: i.src.slice(0, 80), alt: i.alt,
  ok: i.complete && i.naturalWidth > 0}))"""
_LAYOUT_JS = """() => ({
  overflow: document.scrollingElement.scrollWidth - window.innerWidth,
  bodyShown: getComputedStyle(document.body).display !== 'none'
             && getComputedStyle(document.body).visibility !== 'hidden'
             && document.body.getBoundingClientRect().height > 100,
})"""


def map_frames(page) -> list:
    """The frames of the report's maps (sandboxed iframes holding a Leaflet map)."""
    frames = []
    for handle in page.query_selector_all("iframe"):
        frame = handle.content_frame()
        if frame is not None and frame.query_selector(".leaflet-container"):
            frames.append(frame)
    return frames


def _wait_maps(page) -> None:
    # Each map frame is a srcdoc document; give its scripts time to draw the layers.
    for handle in page.query_selector_all("iframe"):
        handle.scroll_into_view_if_needed()
        frame = handle.content_frame()
        if frame is not None:
            frame.wait_for_load_state("load", timeout=WAIT_MS)


# Only what a reader can click: labels are marker icons too, but not interactive.
MARKERS = ".leaflet-marker-pane .leaflet-marker-icon.leaflet-interactive"
SHAPES = ".leaflet-overlay-pane path.leaflet-interactive"


def _popup_text(frame, timeout: int = 1_500) -> str | None:
    """The open popup's text, waiting up to ``timeout`` ms; None if none opens."""
    try:
        return frame.wait_for_function(
            "() => { const p = document.querySelector('.leaflet-popup-content');"
            " return p && p.innerText; }",
            timeout=timeout,
        ).json_value()
    except Exception:
        return None


def _in_view(frame, marker) -> bool:
    """Whether the marker's centre lies inside its map's frame (page coordinates)."""
    box, view = marker.bounding_box(), frame.frame_element().bounding_box()
    if box is None or view is None:
        return False
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return (
        view["x"] <= x < view["x"] + view["width"] and view["y"] <= y < view["y"] + view["height"]
    )


def click_markers(frame, limit: int = 80, enough: int | None = None) -> list[str]:
    """Click markers, then shapes, one by one (as a reader does); return each popup's text."""
    texts = []
    frame.frame_element().scroll_into_view_if_needed()
    frame.wait_for_function(
        f"() => document.querySelectorAll('{SHAPES}').length > 0", timeout=WAIT_MS
    )
    candidates = [
        (frame.locator(MARKERS).nth(i), True) for i in range(frame.locator(MARKERS).count())
    ]
    candidates += [
        (frame.locator(SHAPES).nth(i), False) for i in range(frame.locator(SHAPES).count())
    ]
    for marker, is_marker in candidates[:limit]:
        if enough is not None and len(texts) >= enough:
            break
        try:
            # Outside the map's view (Moscow, when the map opens on the region): a reader
            # pans to it; a forced click would scroll the map's pane out of place instead.
            if not marker.is_visible() or not _in_view(frame, marker):
                continue
            marker.click(force=True, timeout=3_000)
        except Exception:  # outside the view or covered: a reader could not click it either
            continue
        # Read the popup at once: a popup that pans the map may close again.
        text = _popup_text(frame)
        if text is None and is_marker:
            # On a loaded machine the map may still be settling (zoom animation) when the
            # pointer lands; the same click event sent to the marker itself then opens it.
            # (Most shapes have a tooltip and no popup: they get no second try.)
            marker.dispatch_event("click")
            text = _popup_text(frame)
        if text is None:  # no popup for this marker
            continue
        texts.append(text)
        frame.evaluate(
            "() => document.querySelectorAll('.leaflet-popup-close-button').forEach(b => b.click())"
        )
        # Wait until it is gone, so the next popup read is the next marker's.
        frame.wait_for_function(
            "() => !document.querySelector('.leaflet-popup-content')", timeout=WAIT_MS
        )
    return texts


def all_text(page) -> str:
    parts = [page.inner_text("body")]
    for frame in page.frames[1:]:
        try:
            parts.append(frame.inner_text("body", timeout=2_000))
        except Exception:  # a frame with no body (about:blank)
            continue
    return "\n".join(parts)


# ------------------------------------------------------------------ the kit's reports


def test_every_notebook_has_a_report(kit_build):
    assert REPORTS, f"no notebooks in {paths.NOTEBOOKS_DIR}"
    missing = [n for n in REPORTS if not (kit_build.reports_dir / f"{n}.html").is_file()]
    assert not missing, f"no report for {missing}: {kit_build.describe()}"


def test_index_links_work(kit_build, watched_page):
    page = watched_page.page
    _open(watched_page, kit_build.reports_dir / "index.html")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    local = [h for h in hrefs if not re.match(r"^[a-z]+:", h) and not h.startswith("#")]
    # Errors of the linked pages are the report tests' business; here only the index's.
    assert watched_page.problems() == [], watched_page.problems()
    # Each report is linked by its title (and by its thumbnail, a second, hidden link).
    assert sorted({h for h in local if h.endswith(".html")}) == [f"{n}.html" for n in REPORTS]
    for href in dict.fromkeys(local):
        page.goto((kit_build.reports_dir / "index.html").as_uri(), wait_until="load")
        page.click(f"a[href='{href}']")
        page.wait_for_load_state("load")
        assert page.url.endswith(href), f"link {href} led to {page.url}"
        assert page.title(), f"{href} opened a page without a title"


@pytest.mark.parametrize("name", REPORTS)
def test_report_in_browser(kit_build, watched_page, name):
    page = watched_page.page
    _open(watched_page, kit_build.reports_dir / f"{name}.html")
    _wait_maps(page)
    where = f"{name}.html"

    images = page.evaluate(_IMAGES_JS)
    broken = [i for i in images if not i["ok"]]
    assert not broken, f"{where}: figures that did not load: {broken}"
    assert all(i["alt"].strip() for i in images), f"{where}: figure without alt text: {images}"

    frames = map_frames(page)
    if "map" in name:
        assert frames, f"{where}: no Leaflet map found"
    for k, frame in enumerate(frames):
        counts = map_counts(frame)
        assert counts["maps"] == 1, f"{where}: frame {k + 1} holds {counts['maps']} maps"
        assert counts["vectors"] > 0 and counts["drawn"] > 0, (
            f"{where}: map {k + 1} draws no vector features {counts}"
        )
        assert counts["markers"] > 0, f"{where}: map {k + 1} has no markers {counts}"
        texts = click_markers(frame, enough=3)
        assert any(t.strip() for t in texts), f"{where}: no popup opened on click in map {k + 1}"

    assert watched_page.problems() == [], f"{where}: {watched_page.problems()}"


# ------------------------------------------------------------------ hostile reports


def _open_by_keyboard(frame, name: str = "Hostile place") -> list[str]:
    """Focus the marker named ``name`` and press Enter; the popup's text, if one opens."""
    marker = frame.locator(f'{MARKERS}[title*="{name}"], {MARKERS}[aria-label*="{name}"]')
    if not marker.count():
        return []
    marker.first.focus()
    marker.first.press("Enter")
    text = _popup_text(frame)
    return [text] if text else []


@pytest.mark.parametrize("name", ["index", *REPORTS])
def test_hostile_report_runs_nothing_and_shows_text(hostile_build, watched_page, name):
    page = watched_page.page
    _open(watched_page, hostile_build.reports_dir / f"{name}.html")
    _wait_maps(page)
    popups = [t for frame in map_frames(page) for t in click_markers(frame)]
    if "map" in name and not any("Hostile place" in t for t in popups):
        # Covered or still settling for the pointer on a loaded machine: a reader reaches
        # every marker by keyboard too (Tab to its name, Enter opens it).
        popups += [t for frame in map_frames(page) for t in _open_by_keyboard(frame)]
    # Hover the map and its markers too: folium tooltips are HTML as well.
    for frame in map_frames(page):
        frame.frame_element().scroll_into_view_if_needed()
        markers = frame.locator(f"{MARKERS}, {SHAPES}")
        for i in range(min(markers.count(), 30)):
            try:
                markers.nth(i).hover(force=True, timeout=300)  # out of view: skip it soon
            except Exception:  # hidden or out of view
                continue
    where = f"hostile {name}.html"

    ran = {f.url[:60] or "(frame)": f.evaluate(_PWNED_JS) for f in page.frames}
    ran = {k: v for k, v in ran.items() if v is not None}
    assert not ran, f"{where}: payload ran and set window.__pwned: {ran}"
    js_urls = [u for f in page.frames for u in f.evaluate(_JS_URLS_JS)]
    assert not js_urls, f"{where}: javascript: URLs made it into links: {js_urls}"

    layout = page.evaluate(_LAYOUT_JS)
    assert layout["bodyShown"], f"{where}: the page body is hidden (injected style?)"
    assert layout["overflow"] <= 2, (
        f"{where}: long text pushes the page {layout['overflow']} px wider than the window"
    )

    text = all_text(page) + "\n".join(popups)
    if name == "index":
        assert MARKER in text, f"{where}: the hostile source title is not shown literally"
    if "map" in name:
        counts = [map_counts(f) for f in map_frames(page)]
        assert counts and all(c["markers"] and c["vectors"] for c in counts), (
            f"{where}: hostile text breaks the map (layers {counts}; "
            f"errors {watched_page.problems()})"
        )
        hostile = [t for t in popups if "Hostile place" in t]
        assert hostile, f"{where}: the hostile place's popup did not open ({len(popups)} popups)"
        assert MARKER in hostile[0], f"{where}: popup does not show the name literally: {hostile}"
    problems = [p for p in watched_page.problems() if "__pwned" not in p]
    assert problems == [], f"{where}: {problems}"


def test_hostile_text_appears_literally_somewhere(hostile_build):
    """Across the reports, payloads and non-Latin text come through as text."""
    # The payload must be in the HTML escaped (as text), never as a raw tag.
    found_escaped = found_script = False
    for path in hostile_build.reports_dir.glob("*.html"):
        raw = path.read_text(encoding="utf-8")
        found_escaped |= "&lt;img src=x onerror=" in raw
        found_script |= SCRIPT_TEXT[0] in raw
        assert MARKER not in raw, f"{path.name}: the payload {MARKER!r} is in the HTML raw"
    assert found_escaped and found_script


def test_hostile_exports_are_formula_safe(hostile_build):
    """Every CSV the build wrote (for spreadsheets) has its formula cells neutralised."""
    unsafe = []
    exports = sorted(hostile_build.reports_dir.rglob("*.csv"))
    assert exports, "the build wrote no CSV export to check"
    for path in exports:
        with path.open(encoding="utf-8", newline="") as fh:
            for r, row in enumerate(csv.reader(fh), start=1):
                for cell in row:
                    if cell.startswith(FORMULA_PREFIXES):
                        try:
                            float(cell)
                        except ValueError:
                            unsafe.append(f"{path.name} row {r}: {cell[:40]!r}")
    assert not unsafe, unsafe


def _region_box() -> tuple[float, float, float, float]:
    """The box (W, S, E, N) of the gazetteer's towns in and around the former oblast, read
    with the csv module: what the region view must show."""
    with (paths.DATA_DIR / "places.csv").open(encoding="utf-8", newline="") as handle:
        towns = [r for r in csv.DictReader(handle) if r["parent_id"] == "azerbaijan" and r["lat"]]
    karabakh = [t for t in towns if float(t["lon"]) < 48]  # not Baku
    lats = [float(t["lat"]) for t in karabakh]
    lons = [float(t["lon"]) for t in karabakh]
    return min(lons), min(lats), max(lons), max(lats)


def _opened_view(frame) -> dict:
    frame.wait_for_selector("[data-kit-opened='region']", state="attached", timeout=WAIT_MS)
    return frame.evaluate(_MAP_VIEW_JS)


def _shows_the_region(view: dict) -> bool:
    west, south, east, north = _region_box()
    return (
        view["width"] > 0
        and view["south"] < south
        and north < view["north"] < 45  # the region, not the wide view up to Moscow
        and view["west"] < west
        and east < view["east"]
    )


# The map's view as the map reports it: zoom, size and the bounds it shows.
_MAP_VIEW_JS = """() => {
  const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])
                    .find(v => v instanceof L.Map);
  if (!map) return null;
  const s = map.getSize(), b = map.getBounds();
  return {zoom: map.getZoom(), width: s.x, height: s.y, west: b.getWest(), south: b.getSouth(),
          east: b.getEast(), north: b.getNorth()};
}"""


def test_report_map_opens_on_the_region_once_laid_out(kit_build, chromium):
    """Five fresh loads on a phone (390x844, a touch screen at 2x): each opens the map on
    the region, whether the frame is scrolled to at once or only after the page and the
    map's own document have loaded (a frame out of view is laid out late, at 0x0 first).
    Each view is read from the map itself: the gazetteer's towns of the region in it,
    and not the wide view up to Moscow."""
    from .kit_browser import open_watched

    views = []
    for load in range(5):
        watched = open_watched(chromium, **PHONE)
        try:
            page = watched.page
            page.goto((kit_build.reports_dir / "01-map-region.html").as_uri(), wait_until="load")
            iframe = page.wait_for_selector("iframe", timeout=WAIT_MS)
            frame = iframe.content_frame()
            if load % 2:  # scrolled to only once the map's document has run its scripts
                frame.wait_for_load_state("load", timeout=WAIT_MS)
                frame.wait_for_function("() => !!document.querySelector('.leaflet-container')")
            iframe.scroll_into_view_if_needed()
            views.append(_opened_view(frame))
            assert watched.problems() == []
        finally:
            watched.page.context.close()
    wrong = [v for v in views if not _shows_the_region(v)]
    assert not wrong, f"{len(wrong)} of 5 phone loads did not open on the region: {wrong}"


# ------------------------------------------------------------------ read at two widths
# What a reader needs on a desktop and on a phone, on the index and every report.

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}

_READER_JS = """() => {
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const scrolls = el => { for (let e = el.parentElement; e; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if ((o === 'auto' || o === 'scroll') && e !== document.scrollingElement
          && e !== document.body && e !== document.documentElement) return e; }
    return null; };
  const tables = [...document.querySelectorAll('table')].filter(visible).map(t => {
    const box = scrolls(t);
    const wide = box ? box.scrollWidth > box.clientWidth + 1
                     : t.getBoundingClientRect().right > window.innerWidth + 1;
    const holder = box && (box.closest('.kit-table') || box.parentElement);
    // The cue a reader sees: a visible line above the table (where reading starts) and
    // a visible fade at the edge where the table is cut.
    const top = box ? box.getBoundingClientRect().top : 0;
    const cue = holder ? [...holder.querySelectorAll('.kit-table-cue')]
      .some(c => visible(c) && c.getBoundingClientRect().bottom <= top + 1) : false;
    const frame = box && box.parentElement;
    const after = frame ? getComputedStyle(frame, '::after') : null;
    const fade = !!after && after.display !== 'none' && after.content !== 'none'
      && parseFloat(after.width) > 0;
    return {box: !!box, wide, cue, fade, head: (t.querySelector('th') || {}).textContent || ''};
  });
  // Each figure as shown: the phone variant where the page picked it (<picture>).
  const figures = [...document.querySelectorAll('.kit-figure img')].map(img => {
    const source = img.parentElement.tagName === 'PICTURE'
      ? img.parentElement.querySelector('source') : null;
    const phone = !!source && img.currentSrc === source.srcset;
    const box = img.closest('.kit-figure');
    const cue = [...box.parentElement.querySelectorAll('.kit-figure-cue')].some(visible);
    return {
      textPx: parseFloat((phone ? img.dataset.phoneTextPx : img.dataset.textPx) || 'NaN'),
      drawn: parseFloat(phone ? img.dataset.phoneWidth : img.getAttribute('width')),
      shown: img.getBoundingClientRect().width, right: img.getBoundingClientRect().right,
      phone, hasPhone: !!source, scrolls: box.scrollWidth > box.clientWidth + 1, cue,
      alt: img.alt.slice(0, 60)};
  });
  // Web addresses printed as text where a reader can see them (code folded away excepted).
  const bare = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!/https?:\\/\\//.test(n.textContent) || el.closest('a, script, style, code, pre')) continue;
    const fold = el.closest('details');
    if (fold && !fold.open && !el.closest('summary')) continue;
    if (visible(el)) bare.push(n.textContent.trim().slice(0, 80));
  }
  return {overflow: document.scrollingElement.scrollWidth - window.innerWidth, tables, figures,
          bare, links: document.querySelectorAll('a[href^="http"]').length};
}"""


def _read(chromium, path: Path, viewport: str) -> dict:
    from .kit_browser import open_watched

    width, height = VIEWPORTS[viewport]
    watched = open_watched(chromium, viewport={"width": width, "height": height})
    try:
        watched.page.goto(path.as_uri(), wait_until="load", timeout=60_000)
        # The page marks boxes that overflow once laid out (its load handler).
        watched.page.wait_for_function("() => document.readyState === 'complete'")
        found = watched.page.evaluate(_READER_JS)
        found["problems"] = watched.problems()
        found["screenshot"] = watched.snapshot
        return found
    finally:
        watched.page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", ["index", *REPORTS])
def test_a_reader_can_read_every_page(kit_build, chromium, name, viewport):
    where = f"{name}.html at {viewport} {VIEWPORTS[viewport]}"
    found = _read(chromium, kit_build.reports_dir / f"{name}.html", viewport)
    assert found["problems"] == [], f"{where}: {found['problems']}"
    assert found["overflow"] <= 1, f"{where}: the page scrolls sideways by {found['overflow']} px"
    cut = [t for t in found["tables"] if t["wide"] and not (t["box"] and t["cue"] and t["fade"])]
    assert not cut, f"{where}: tables wider than their box without a scroll cue: {cut}"
    assert not found["bare"], f"{where}: web addresses shown as text, not links: {found['bare']}"


@pytest.mark.parametrize("name", REPORTS)
def test_figure_text_is_at_least_11px_at_desktop_width(kit_build, chromium, name):
    found = _read(chromium, kit_build.reports_dir / f"{name}.html", "desktop")
    small = []
    for fig in found["figures"]:
        # The smallest text at the width the figure was drawn for, scaled as shown.
        on_page = fig["textPx"] * fig["shown"] / fig["drawn"]
        if not on_page >= 11:  # NaN (no size recorded) fails too
            small.append((round(on_page, 1), fig["alt"]))
    assert not small, f"{name}.html: figure text under 11 px at desktop width: {small}"


@pytest.mark.parametrize("name", REPORTS)
def test_figures_fit_a_phone_and_stay_legible(kit_build, chromium, name):
    """At 390 px each figure fits its box (no sideways scrolling: a map or chart cut at
    the screen's edge hides its right half), its text at least 11 px as shown; a figure
    drawn for phones is the one shown."""
    found = _read(chromium, kit_build.reports_dir / f"{name}.html", "phone")
    width = VIEWPORTS["phone"][0]
    for fig in found["figures"]:
        on_page = fig["textPx"] * fig["shown"] / fig["drawn"]
        if fig["hasPhone"]:
            assert fig["phone"], f"{name}.html: the desktop figure shown on a phone: {fig}"
            assert fig["right"] <= width and not fig["scrolls"], f"{name}.html: too wide: {fig}"
        else:
            assert fig["right"] <= width and not fig["scrolls"], (
                f"{name}: wider than its box: {fig}"
            )
        assert on_page >= 11, f"{name}.html: figure text {on_page:.1f} px on a phone: {fig}"


def test_the_reader_checks_can_fail(chromium, tmp_path):
    """A page with a bare address, a clipped wide table and a tiny figure fails each check."""
    page = tmp_path / "bad.html"
    cells = "".join(f"<td>column {i} with some words</td>" for i in range(30))
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>t</title></head><body><main>"
        "<p>See https://example.org/x</p>"
        f"<table><tr>{cells}</tr></table>"
        # The old design: a scroll box whose only cue is a line under it, and no fade.
        "<div class='kit-table'><div class='kit-table-scroll' style='overflow-x:auto'>"
        f"<table><tr>{cells}</tr></table></div><p class='kit-table-cue'>Scroll →</p></div>"
        "<div class='kit-figure'><img alt='x' width='900' data-text-px='8' style='width:900px'"
        " src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></div>"
        "<div class='kit-figure'><picture><source media='(max-width: 640px)' width='700'"
        " srcset='data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUQAOw=='>"
        "<img alt='y' width='900'"
        " data-phone-width='700' data-phone-text-px='8' style='width:700px'"
        " src='data:image/gif;base64,R0lGODlhAQABAIAAAP///ywAAAAAAQABAAACAUwAOw=='></picture>"
        "</div></main></body></html>",
        encoding="utf-8",
    )
    found = _read(chromium, page, "phone")
    assert found["bare"] and found["overflow"] > 1
    assert any(t["wide"] and not t["box"] for t in found["tables"])
    boxed = [t for t in found["tables"] if t["box"]]
    assert boxed and boxed[0]["wide"] and not boxed[0]["cue"] and not boxed[0]["fade"]
    figure, phone = found["figures"]
    assert figure["textPx"] * figure["shown"] / figure["drawn"] < 11
    # A phone variant drawn too wide, with small text: both seen.
    assert phone["phone"] and phone["right"] > VIEWPORTS["phone"][0]
    assert phone["textPx"] * phone["shown"] / phone["drawn"] < 11
