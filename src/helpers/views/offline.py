"""Folium maps that work offline, untrusted and sandboxed.

folium's own notebook output is an iframe that fetches Leaflet, jQuery, Bootstrap,
Font Awesome and more from CDNs, and that needs JavaScript in the *page* to fill it
(hence its misleading "Make this Notebook Trusted" message). :func:`embed_map`
instead writes the whole map into ``<iframe sandbox="allow-scripts" srcdoc=...>``:

* every asset the map uses is inlined from pinned, checksum-verified copies in
  ``helpers/assets/`` (see ``assets/manifest.json`` for versions and licences);
  CSS images become ``data:`` URIs, so the report opened from disk shows the map;
* no ``allow-same-origin``: the map's scripts (and any HTML in popups, which folium
  parses and runs) get an opaque origin and cannot reach the report page;
* a Content-Security-Policy inside the frame blocks every network load except
  tile images, and web tile layers start *switched off* (a "Web map tiles" toggle
  lets the reader turn them on when online);
* it needs no script in the notebook page, so the map survives
  ``jupyter nbconvert --to html`` and JupyterLab's "Export Notebook As → HTML".

JupyterLab strips ``srcdoc`` from iframes in *untrusted* notebooks (its HTML
sanitizer), so there a short note under the map says why it is missing.

Examples
--------
>>> import folium
>>> m = folium.Map(location=[40.4, 47.5], zoom_start=6)
>>> _ = folium.Marker([40.41, 49.87], popup="Baku").add_to(m)
>>> html = embed_map(m, height=300)._repr_html_()
>>> 'sandbox="allow-scripts"' in html and "allow-same-origin" not in html
True
>>> "cdn.jsdelivr" in html or "code.jquery.com" in html
False
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html as _html
import json
import re
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from branca.element import CssLink, Element, Figure, JavascriptLink
from jinja2 import Template

from .html import render_template

ASSETS_DIR = Path(__file__).resolve().parent / "assets"

# folium CDN URL pattern -> vendored file. The version in the URL must match the
# vendored one (except awesome-markers, whose CDN version 2.0.2 is not on npm).
_URL_TO_ASSET: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"/leaflet@([\d.]+)/dist/leaflet\.js$"), "leaflet/leaflet.js", "leaflet"),
    (re.compile(r"/leaflet@([\d.]+)/dist/leaflet\.css$"), "leaflet/leaflet.css", "leaflet"),
    (re.compile(r"/jquery-([\d.]+)(?:\.min)?\.js$"), "jquery/jquery.min.js", "jquery"),
    (
        re.compile(r"awesome-markers/[\d.]+/leaflet\.awesome-markers(?:\.min)?\.js$"),
        "leaflet.awesome-markers/leaflet.awesome-markers.min.js",
        "leaflet.awesome-markers",
    ),
    (
        re.compile(r"awesome-markers/[\d.]+/leaflet\.awesome-markers\.css$"),
        "leaflet.awesome-markers/leaflet.awesome-markers.css",
        "leaflet.awesome-markers",
    ),
]

# Only inline a library when the map's own code uses it: keeps one map ~ 300 KB.
_NEEDED_IF = {
    "jquery": re.compile(r"\$\(|jQuery"),
    "leaflet.awesome-markers": re.compile(r"AwesomeMarkers"),
}

_CSS_URL = re.compile(r"""url\(\s*(['"]?)(images/[^'")]+)\1\s*\)""")

# The frame may run nothing but its own scripts, each allowed by the SHA-256 of its text,
# use inline styles and data: images; https: images only so that a tile layer the reader
# switches on can load. Markup in popups/tooltips (which folium hands to jQuery and
# Leaflet as HTML) cannot run: inline handlers and scripts not listed are refused.
_CSP = (
    "default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
    "img-src data: https:; font-src data:"
)


@functools.lru_cache(maxsize=1)
def asset_manifest() -> dict[str, Any]:
    """The vendored asset manifest (name, npm package, version, licence, sha256s).

    >>> asset_manifest()["packages"]["leaflet"]["version"]
    '1.9.3'
    """
    return json.loads((ASSETS_DIR / "manifest.json").read_text(encoding="utf-8"))


@functools.cache
def _asset_bytes(relpath: str) -> bytes:
    expected = None
    for pkg in asset_manifest()["packages"].values():
        expected = pkg["files"].get(relpath, expected)
    if expected is None:
        raise KeyError(f"{relpath} is not listed in {ASSETS_DIR / 'manifest.json'}")
    data = (ASSETS_DIR / relpath).read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise RuntimeError(
            f"vendored asset {ASSETS_DIR / relpath} has sha256 {actual}, manifest pins "
            f"{expected}: restore it (git checkout) or re-pin it deliberately"
        )
    return data


def _data_uri(relpath: str) -> str:
    mime = "image/png" if relpath.endswith(".png") else "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(_asset_bytes(relpath)).decode('ascii')}"


@functools.cache
def _inline_css(relpath: str) -> str:
    """The CSS file with its ``url(images/...)`` references turned into data URIs."""
    folder = relpath.rsplit("/", 1)[0]
    css = _asset_bytes(relpath).decode("utf-8")
    # Retina sprites are not vendored (size): drop those declarations, so the 1x
    # sprite (same background-size) serves; slightly softer on HiDPI screens.
    css = re.sub(r"background-image:\s*url\([^)]*@2x[^)]*\)\s*;?", "", css)

    def repl(match: re.Match[str]) -> str:
        path = f"{folder}/{match.group(2)}"
        if not (ASSETS_DIR / path).is_file():
            return "url()"
        return f"url({_data_uri(path)})"

    return _CSS_URL.sub(repl, css)


def _default_icon_fix() -> str:
    # Leaflet finds its marker images by parsing the CSS url() of
    # .leaflet-default-icon-path; a data: URI defeats that, so set them directly.
    return (
        "L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({"
        f"iconUrl:'{_data_uri('leaflet/images/marker-icon.png')}',"
        f"iconRetinaUrl:'{_data_uri('leaflet/images/marker-icon-2x.png')}',"
        f"shadowUrl:'{_data_uri('leaflet/images/marker-shadow.png')}'}});"
    )


def _tiles_guard(tiles_on: bool) -> str:
    # Web tiles never work offline and would reach out on page load. Runs right after
    # Leaflet loads, before the map's code: web tile layers are held back instead of
    # added, and offered in a layer control so the reader can switch them on.
    return f"""
(function () {{
  var held = window.__kitHeldTiles = [];
  if ({json.dumps(tiles_on)}) return;
  var addTo = L.TileLayer.prototype.addTo;
  L.TileLayer.include({{addTo: function (map) {{
    if (/^(https?:)?\\/\\//.test(this._url || '')) {{ held.push([map, this]); return this; }}
    return addTo.call(this, map);
  }}}});
  // Tiles already offered by the map's own layer control need no second switch.
  var controls = [];
  L.Control.Layers.addInitHook(function () {{ controls.push(this); }});
  function offered(layer) {{
    return controls.some(function (c) {{
      return (c._layers || []).some(function (e) {{ return e.layer === layer; }});
    }});
  }}
  L.Map.addInitHook(function () {{
    var map = this;
    setTimeout(function () {{
      var tiles = {{}}, n = 0;
      held.forEach(function (pair) {{
        if (pair[0] !== map || offered(pair[1])) return;
        var host = (pair[1]._url.match(/\\/\\/([^\\/{{]+)/) || [, 'web'])[1];
        tiles['Web map tiles (' + host + ', needs internet)' + (n++ ? ' ' + n : '')] = pair[1];
      }});
      if (n) L.control.layers(null, tiles, {{collapsed: false}}).addTo(map);
    }}, 0);
  }});
}})();"""


class _InlineScript(Element):
    """A ``<script>`` element holding ``code`` itself (rendered as it is, not as a template)."""

    _template = Template("<script>{{ this.code }}</script>")

    def __init__(self, code: str):
        super().__init__()
        self.code = code.replace("</script", "<\\/script")  # the element ends only at its end


class _OfflinePage:
    """folium's page of a map, with every script and style inline and nothing from the web.

    The page is the map's own (its header, body and script, where folium and the kit's
    map code put what the map needs), drawn with branca's own parts: folium's elements
    add a link to each library they use to the header as they render (``default_js``,
    ``default_css``); here each link is given the vendored copy of its file as its code
    and rendered embedded (branca's ``embedded`` mode), or left out where no copy exists
    or the map does not use it. The map's own script stays JavaScript text whatever the
    data holds: "</script" and "<!--" in it are escaped (the same JS strings). The
    Content-Security-Policy lists the hash of every script of the page, read back with
    an HTML parser. What is added to the map's header for this is removed afterwards.
    """

    _template = Template(
        "<!DOCTYPE html>\n<html>\n<head>\n    {{ this.header.render(**kwargs) }}\n</head>\n"
        "<body>\n    {{ this.html.render(**kwargs) }}\n</body>\n"
        "<script>\n    {{ main }}\n</script>\n</html>\n"
    )
    _ADDED = ("kit_csp", "kit_opaque", "kit_leaflet_setup")

    def __init__(self, root: Figure, tiles_on: bool):
        self.root = root
        self.tiles_on = tiles_on
        self.dropped: list[str] = []

    def render(self) -> str:
        root = self.root
        for child in root._children.values():
            child.render()  # as Figure.render: folium's elements add their links and code
        main = root.script.render()
        main = re.sub(r"</(script)", r"<\\/\1", main, flags=re.I).replace("<!--", "<\\!--")
        try:
            self._inline_links(main)
            page = self._template.render(this=root, main=main, kwargs={"embedded": True})
            policy = _CSP.format(hashes=" ".join(sorted(set(script_hashes(page)))))
            meta = Element(f'<meta http-equiv="Content-Security-Policy" content="{policy}">')
            root.header.add_child(meta, name="kit_csp", index=0)
            return self._template.render(this=root, main=main, kwargs={"embedded": True})
        finally:
            for name in self._ADDED:
                root.header._children.pop(name, None)

    def _inline_links(self, main: str) -> None:
        header = self.root.header
        packages = asset_manifest()["packages"]
        leaflet = None
        for name, link in list(header._children.items()):
            if not isinstance(link, (JavascriptLink, CssLink)):
                continue
            found = _resolve(link.url, packages)
            if found is None:
                self.dropped.append(link.url)
            pattern = _NEEDED_IF.get(found[1]) if found else None
            if found is None or (pattern is not None and not pattern.search(main)):
                del header._children[name]  # folium adds it again at its next render
            elif isinstance(link, CssLink):
                link.code = _inline_css(found[0])
            else:
                link.code = _asset_bytes(found[0]).decode("utf-8").replace("</script", "<\\/script")
                leaflet = name if found[0] == "leaflet/leaflet.js" else leaflet
        if leaflet is not None:  # right after Leaflet, before the map's own code
            setup = _InlineScript(_default_icon_fix() + _tiles_guard(self.tiles_on))
            after = list(header._children).index(leaflet) + 1
            header.add_child(setup, name="kit_leaflet_setup", index=after)
        opaque = Element("<style>html,body{background:#fff;}</style>")
        header.add_child(opaque, name="kit_opaque", index=0)


class _Scripts(HTMLParser):
    """The text of every ``<script>`` element of a page, as a browser reads it."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.texts: list[str] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._open = True
            self.texts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = False

    def handle_data(self, data):
        if self._open:
            self.texts[-1] += data


def script_hashes(page: str) -> list[str]:
    """The CSP source (``'sha256-…'``) of each script of ``page``, in order.

    >>> script_hashes("<p>x</p><script>alert(1)</script>")
    ["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"]
    """
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    digests = (hashlib.sha256(text.encode("utf-8")).digest() for text in parser.texts)
    return [f"'sha256-{base64.b64encode(d).decode('ascii')}'" for d in digests]


def offline_map_document(m: Any, *, tiles_on: bool = False) -> tuple[str, list[str]]:
    """Render a folium map as one standalone HTML document with assets inlined.

    Returns the document and the list of CDN URLs that were dropped because no
    vendored copy exists (Bootstrap, Font Awesome, ...; folium lists them for
    every map but plain markers, popups and GeoJSON layers do not need them).

    >>> import folium
    >>> doc, dropped = offline_map_document(folium.Map(tiles=None))
    >>> "<script src=" in doc, any("bootstrap" in u for u in dropped)
    (False, True)
    """
    page = _OfflinePage(m.get_root(), tiles_on)
    doc = page.render()
    return doc, page.dropped


def _resolve(url: str, packages: dict) -> tuple[str, str] | None:
    """The vendored file and package for a folium CDN URL (warns on a version mismatch)."""
    for pattern, relpath, pkg in _URL_TO_ASSET:
        match = pattern.search(url)
        if not match:
            continue
        vendored = packages[pkg]["version"]
        if pkg != "leaflet.awesome-markers" and match.group(1) != vendored:
            warnings.warn(
                f"folium asks for {pkg} {match.group(1)} ({url}); inlining the "
                f"vendored {pkg} {vendored} instead: update helpers/assets to match",
                stacklevel=5,
            )
        return relpath, pkg
    return None


def escape_text(text: object) -> str:
    r"""Text made safe for folium popups, tooltips and labels: shown, never run.

    folium hands popup/tooltip strings to the browser as HTML *inside JavaScript
    template literals*; ``html.escape`` alone leaves backticks, ``${`` and
    backslashes that break out of (or break) the literal, and folium passes the
    text through Jinja (so ``{{ }}`` would run in the kernel). All become entities,
    which the popup displays as the original characters.

    >>> escape_text("<b>Şuşa</b> `x` ${y} \\u{110000}")
    '&lt;b&gt;Şuşa&lt;/b&gt; &#96;x&#96; &#36;&#123;y} &#92;u&#123;110000}'
    """
    escaped = _html.escape(str(text), quote=True)
    # "{" too: folium renders popup text through Jinja, so "{{ ... }}" would be
    # evaluated in the kernel.
    return (
        escaped.replace("`", "&#96;")
        .replace("$", "&#36;")
        .replace("\\", "&#92;")
        .replace("{", "&#123;")
    )


@dataclass
class EmbeddedMap:
    """A map ready to display: ``_repr_html_`` gives the sandboxed iframe."""

    html: str
    dropped_assets: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def embed_map(
    m: Any,
    height: int | str = 450,
    *,
    width: int | str = "100%",
    title: str | None = None,
    tiles_on: bool = False,
) -> EmbeddedMap:
    """Wrap a folium map in a sandboxed, self-contained iframe for notebooks and reports.

    Parameters
    ----------
    m : folium.Map
        The map (or any branca element whose root renders a full page).
    height, width : int or str
        Frame size; ints are pixels.
    title : str, optional
        What the map shows, for screen readers (the iframe's ``title``) and the
        fallback note; defaults to "Interactive map".
    tiles_on : bool
        Start with web tile layers shown (they need internet). Default off: the
        reader can switch them on from the layer control.

    Returns
    -------
    EmbeddedMap
        Display it (last expression of a cell, or ``display(...)``).

    Examples
    --------
    >>> import folium
    >>> shown = embed_map(folium.Map(tiles=None), height=200, title="Region")
    >>> 'title="Region"' in shown._repr_html_()
    True
    >>> len(shown._repr_html_()) < 400_000
    True
    """
    doc, dropped = offline_map_document(m, tiles_on=tiles_on)
    page = render_template(
        "offline_map.html.j2",
        label=title or "Interactive map",
        document=doc,
        height=f"{height}px" if isinstance(height, int) else str(height),
        width=f"{width}px" if isinstance(width, int) else str(width),
    )
    return EmbeddedMap(html=page, dropped_assets=dropped)
