"""What a browser would load from a page: shared by the report and offline-map tests."""

from __future__ import annotations

from html.parser import HTMLParser


class Tags(HTMLParser):
    """Loaded URLs (<script src>, <img src>, <link href>), scripts and iframes of a page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.iframes: list[dict] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
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
