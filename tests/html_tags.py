"""What a browser would load from a page: shared by the report and offline-map tests."""

from __future__ import annotations

from html.parser import HTMLParser


class Tags(HTMLParser):
    """Loaded URLs (<script src>, <img src>, <link href>), scripts, images and iframes of a
    page (each element's attributes)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.iframes: list[dict] = []
        self.scripts: list[dict] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a)
        if tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"])
        if tag == "script":
            self.scripts.append(a)
        if tag == "iframe":
            self.iframes.append(a)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def loaded_urls(page: str) -> list[str]:
    """Every loaded URL, including those of documents embedded with srcdoc."""
    tags = parse(page)
    urls = list(tags.urls)
    for frame in tags.iframes:
        if frame.get("srcdoc"):
            urls += loaded_urls(frame["srcdoc"])
    return urls


class _Texts(HTMLParser):
    """The text of every element carrying a class, nested elements included."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "wbr",
    }

    def __init__(self, css_class: str):
        super().__init__()
        self.css_class = css_class
        self.open: list[list] = []  # [depth, parts] of each matching element still open
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.depth += 1
        if self.css_class in (dict(attrs).get("class") or "").split():
            self.open.append([self.depth, []])

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.open and self.open[-1][0] == self.depth:
            self.texts.append(" ".join(" ".join(self.open.pop()[1]).split()))
        self.depth -= 1

    def handle_data(self, data):
        for _, parts in self.open:
            parts.append(data)


def texts_of(page: str, css_class: str) -> list[str]:
    """The text of each element with ``css_class``, in page order of their ends.

    >>> texts_of('<div class="a b"><p>One <b>two</b></p></div><p class="b">three</p>', "b")
    ['One two', 'three']
    """
    parser = _Texts(css_class)
    parser.feed(page)
    return parser.texts


class _Shown(HTMLParser):
    """The text a reader sees: every text node outside <script> and <style>."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.texts.append(data)


def texts_shown(page: str) -> list[str]:
    """Every text node of ``page`` a reader sees (not scripts or styles)."""
    shown = _Shown()
    shown.feed(page)
    return shown.texts
