"""Every report page passes an axe-core accessibility audit, maps included.

axe-core 4.14.1 (vendored in ``vendor/axe-core/``, checked against its recorded
sha256) runs in Chromium on the index and on every report, opened from disk with
the network cut off. Any violation, of any impact, fails the test, which prints
each one's rule id, impact, and the elements it found. The embedded maps are
sandboxed frames: axe is injected into each of them too, so the maps are audited
with the page.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import pytest

from helpers import paths

from .kit_browser import WAIT_MS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE_DIR = Path(__file__).resolve().parent / "vendor" / "axe-core"
REPORTS = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))

# Frames are cross-origin (sandboxed, opaque origin): axe must be told to talk to them.
_CONFIGURE = "() => axe.configure({allowedOrigins: ['<unsafe_all_origins>']})"
_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 8).map(n => JSON.stringify(n.target)),
    count: v.nodes.length,
  }));
}"""


@functools.cache
def axe_script() -> str:
    """The vendored axe.min.js, refused if it is not the file the provenance records."""
    record = json.loads((AXE_DIR / "PROVENANCE.json").read_text(encoding="utf-8"))
    data = (AXE_DIR / "axe.min.js").read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    expected = record["files"]["axe.min.js"]
    assert actual == expected, (
        f"{AXE_DIR / 'axe.min.js'} has sha256 {actual}, PROVENANCE.json records {expected}"
    )
    return data.decode("utf-8")


def audit(page) -> list[dict]:
    """axe-core's violations on the page and in every frame it holds."""
    for frame in page.frames:
        frame.wait_for_load_state("load", timeout=WAIT_MS)
        frame.evaluate(axe_script())  # through the debugger protocol: the frames' CSP allows it
        frame.evaluate(_CONFIGURE)
    return page.evaluate(_RUN)


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}, {v['count']} element(s)): {v['help']}\n"
        + "\n".join(f"      {t}" for t in v["targets"])
        for v in violations
    )


def test_the_audit_can_fail(watched_page, tmp_path):
    """The same audit finds the faults the issue reported, on a page made to have them."""
    page = tmp_path / "faulty.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>"
        "<h1>One</h1><h3>Skipped a level</h3>"
        "<table><tr><th></th><th>a</th></tr><tr><td>1</td><td>2</td></tr></table>"
        "<p style='color:#bbb;background:#fff'>faint</p></body></html>",
        encoding="utf-8",
    )
    watched_page.page.goto(page.as_uri(), wait_until="load")
    found = {v["id"] for v in audit(watched_page.page)}
    assert {"heading-order", "empty-table-header", "landmark-one-main", "region"} <= found, found
    assert "color-contrast" in found, found


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", ["index", *REPORTS])
def test_page_passes_axe(kit_build, watched_page, name, viewport):
    """Audited at desktop and phone width: the phone layout (cards, scroll boxes) too."""
    page = watched_page.page
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    path = kit_build.reports_dir / f"{name}.html"
    assert path.is_file(), f"missing report {path}"
    page.goto(path.as_uri(), wait_until="load", timeout=60_000)
    for handle in page.query_selector_all("iframe"):
        handle.scroll_into_view_if_needed()
        frame = handle.content_frame()
        if frame is not None and frame.query_selector(".leaflet-container"):
            frame.wait_for_selector(".leaflet-marker-icon", state="attached", timeout=WAIT_MS)
    violations = audit(page)
    assert not violations, f"{name}.html: axe-core found violations:\n{describe(violations)}"
