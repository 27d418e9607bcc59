"""Web addresses in text, as links: the one place the views make an ``<a>``.

Only http(s) addresses become links; everything else is escaped text. Escaped by
markupsafe, as Jinja's autoescape does (:mod:`.html`), so the same text gives the
same HTML whichever of them builds it. Below :mod:`.html`, :mod:`.mentions` and
:mod:`.tables`, which all use it.

>>> linked("see https://en.kremlin.ru/events/64859 and <this>")
'see <a href="https://en.kremlin.ru/events/64859">en.kremlin.ru</a> and &lt;this&gt;'
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pandas as pd
from markupsafe import Markup, escape

#: An address in text: http(s) only, up to whitespace or a character that cannot end it.
URL = re.compile(r"https?://[^\s<>\"'）)\]]+[^\s<>\"'）)\].,;:!?]")
#: A link (only http(s) addresses are made links).
LINK = Markup('<a href="{url}">{name}</a>')


def domain(url: str) -> str:
    """The address's host without ``www.``: how a link is named when nothing better is given.

    >>> domain("https://www.president.az/en/articles/view/50113")
    'president.az'
    >>> domain("https://president.az./en/articles/view/50070")
    'president.az'
    """
    host = urlsplit(url).hostname or url
    # "president.az." (a fully qualified name, as some sources write it) is "president.az".
    return host.removeprefix("www.").rstrip(".")


def linked(text, label: str | None = None) -> str:
    """``text`` as HTML: escaped, with each web address made a short link.

    >>> linked("see https://en.kremlin.ru/events/64859 and <this>")
    'see <a href="https://en.kremlin.ru/events/64859">en.kremlin.ru</a> and &lt;this&gt;'
    >>> linked("javascript:alert(1)")
    'javascript:alert(1)'
    >>> linked("https://x.org/a", label="The <title>")
    '<a href="https://x.org/a">The &lt;title&gt;</a>'
    """
    text = "" if _missing(text) else str(text)
    out, end = [], 0
    for match in URL.finditer(text):
        url = match.group(0)
        name = label if label and match.span() == (0, len(text)) else domain(url)
        # Quotes escaped too, as the kit's html_text does: the text is safe anywhere.
        out.append(html.escape(text[end : match.start()]))
        out.append(LINK.format(url=url, name=name))
        end = match.end()
    out.append(html.escape(text[end:]))
    return "".join(out)


def link_to(text, url) -> str:
    """``text`` (escaped) as a link to ``url`` if that is an http(s) address, else as text.

    >>> link_to("A <b>title</b>", "https://x.org/a")
    '<a href="https://x.org/a">A &lt;b&gt;title&lt;/b&gt;</a>'
    >>> link_to("A title", "javascript:alert(1)"), link_to(None, "https://x.org")
    ('A title', '<a href="https://x.org">x.org</a>')
    """
    address = "" if _missing(url) else str(url).strip()
    name = "" if _missing(text) else str(text)
    if not URL.fullmatch(address):
        return str(escape(name))
    return str(LINK.format(url=address, name=name or domain(address)))


def _missing(value) -> bool:
    return value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value))
