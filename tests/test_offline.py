"""Offline, sandboxed folium maps (helpers.offline)."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from html_tags import parse

folium = pytest.importorskip("folium")

from helpers import offline  # noqa: E402


def remote(urls: list[str]) -> list[str]:
    return [u for u in urls if re.match(r"^(https?:)?//", u.strip())]


def sample_map(popup: str = "Baku") -> folium.Map:
    m = folium.Map(location=[40.0, 47.0], zoom_start=6)
    folium.Marker([40.41, 49.87], popup=popup, tooltip="Baku").add_to(m)
    folium.Marker([40.18, 44.51], icon=folium.Icon(color="red")).add_to(m)
    return m


def test_embedded_map_is_sandboxed_and_loads_nothing_remote():
    page = offline.embed_map(sample_map(), height=350, title='Capitals "&" <cities>').html
    outer = parse(page)
    assert len(outer.iframes) == 1
    frame = outer.iframes[0]
    # allow-scripts without allow-same-origin: an opaque origin, cut off from the page.
    assert frame["sandbox"] == "allow-scripts"
    assert frame["title"] == 'Capitals "&" <cities>'
    assert remote(outer.urls) == []
    inner = parse(frame["srcdoc"])
    assert remote(inner.urls) == [] and inner.urls == []  # everything is inline
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', frame["srcdoc"]).group(1)
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    # Exactly the page's own scripts may run: the policy lists the hash of each, no other.
    allowed = csp.split("script-src", 1)[1].split(";", 1)[0].split()
    assert sorted(allowed) == sorted(set(script_hashes(frame["srcdoc"]))) and len(allowed) >= 3
    assert "Leaflet 1.9.3" in frame["srcdoc"] and "jQuery v3.7.1" in frame["srcdoc"]
    assert "url(images/" not in frame["srcdoc"]  # CSS images became data: URIs
    assert "iconUrl:'data:image/png;base64," in frame["srcdoc"]
    assert len(page.encode()) < 450_000


class _ScriptTexts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.texts, self.inside = [], False

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "script"
        self.texts += [""] if self.inside else []

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.texts[-1] += data


def script_hashes(page: str) -> list[str]:
    """The CSP hash source of each script's text, as a browser computes it."""
    parser = _ScriptTexts()
    parser.feed(page)
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()}'"
        for t in parser.texts
    ]


def test_markup_in_a_popup_is_not_among_the_scripts_allowed_to_run():
    raw = folium.Map(tiles=None)
    folium.Marker([40, 47], popup=folium.Popup("<script>alert(1)</script>", script=True)).add_to(
        raw
    )
    doc, _ = offline.offline_map_document(raw)
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', doc).group(1)
    injected = script_hashes("<script>alert(1)</script>")[0]
    assert injected not in csp and "'unsafe-inline'" not in csp.split("style-src")[0]


def test_jquery_only_when_the_map_uses_it():
    bare = folium.Map(tiles=None)
    folium.CircleMarker([40, 47]).add_to(bare)
    assert "jQuery v3.7.1" not in offline.embed_map(bare).html
    assert "jQuery v3.7.1" in offline.embed_map(sample_map()).html


def test_script_end_tag_in_data_cannot_leave_the_map_script():
    doc, _ = offline.offline_map_document(sample_map("</script><script>alert(1)</script>"))
    tail = doc.split("</body>", 1)[1]
    # One script element after the body, ending at the very end: the text stayed JS.
    assert tail.count("</script>") == 1 and tail.rstrip().endswith("</script>\n</html>")


def test_escape_text_neutralises_template_literal_and_jinja():
    text = "`+(x=1)+` ${x} {{7*191}} \\u{110000} <img onerror=x>"
    safe = offline.escape_text(text)
    assert not set("`$\\<>{") & set(safe)
    assert html.unescape(safe) == text
    m = folium.Map(tiles=None)
    folium.Marker([40, 47], popup=safe, tooltip=safe).add_to(m)
    doc, _ = offline.offline_map_document(m)
    assert "1337" not in doc  # Jinja did not evaluate {{7*191}}
    raw = folium.Map(tiles=None)
    folium.Marker([40, 47], popup=text).add_to(raw)
    assert "1337" in offline.offline_map_document(raw)[0]  # (it would have)


def test_tiles_are_held_back_until_switched_on():
    on = offline.embed_map(sample_map(), tiles_on=True).html
    off = offline.embed_map(sample_map()).html
    assert "if (true) return;" in html.unescape(on)
    assert "if (false) return;" in html.unescape(off)


def test_dropped_assets_are_reported():
    shown = offline.embed_map(sample_map())
    assert any("bootstrap" in u for u in shown.dropped_assets)
    assert not any("leaflet@" in u or "jquery" in u for u in shown.dropped_assets)


def test_manifest_pins_every_vendored_file():
    manifest = offline.asset_manifest()
    listed = {f for pkg in manifest["packages"].values() for f in pkg["files"]}
    on_disk = {
        p.relative_to(offline.ASSETS_DIR).as_posix()
        for p in offline.ASSETS_DIR.rglob("*")
        if p.is_file()
    } - {"manifest.json"}
    assert listed == on_disk
    for pkg in manifest["packages"].values():
        assert pkg["version"] and pkg["license"] and pkg["npm"]
        for rel, sha in pkg["files"].items():
            assert hashlib.sha256((offline.ASSETS_DIR / rel).read_bytes()).hexdigest() == sha


def test_tampered_asset_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "assets"
    shutil.copytree(offline.ASSETS_DIR, copy)
    (copy / "leaflet" / "leaflet.js").write_text("/* tampered */", encoding="utf-8")
    monkeypatch.setattr(offline, "ASSETS_DIR", copy)
    for cached in (offline.asset_manifest, offline._asset_bytes, offline._inline_css):
        cached.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="sha256"):
            offline.embed_map(folium.Map(tiles=None))
    finally:
        for cached in (offline.asset_manifest, offline._asset_bytes, offline._inline_css):
            cached.cache_clear()


@pytest.mark.slow
def test_plain_nbconvert_export_keeps_the_map(tmp_path: Path):
    """`jupyter nbconvert --to html` (and Lab's export) keep the self-contained frame."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("embed_map(m)")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": offline.embed_map(sample_map())._repr_html_()}
        )
    ]
    nb.cells = [cell]
    body, _ = HTMLExporter().from_notebook_node(nb)
    frames = parse(body).iframes
    assert len(frames) == 1 and frames[0]["sandbox"] == "allow-scripts"
    assert parse(frames[0]["srcdoc"]).urls == []
    assert "Make this Notebook Trusted" not in body
