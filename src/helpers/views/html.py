"""HTML the notebooks show, rendered by Jinja with autoescape on.

Every value put into a template is escaped unless it is :class:`markupsafe.Markup`
(HTML the kit built itself from escaped pieces), so text from sources is shown as
text, never run. Short templates are strings (:func:`render`); a view's page of HTML is
a file in ``views/templates/`` (:func:`render_template`).

>>> render("<p>{{ who }} said {{ what }}</p>", who="<b>X</b>", what='"hi" & bye')
'<p>&lt;b&gt;X&lt;/b&gt; said &#34;hi&#34; &amp; bye</p>'
>>> html_text('<img src=x onerror="alert(1)">'), html_text(None)
('&lt;img src=x onerror=&#34;alert(1)&#34;&gt;', '')
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, Template
from markupsafe import Markup, escape

from ..text.quoting import quoted

__all__ = [
    "LEFT_ALIGNED",
    "Markup",
    "as_text",
    "html_text",
    "quoted",
    "readable",
    "render",
    "render_template",
]

#: A table's style in a notebook: front ends right-align cells by default; prose reads
#: left-aligned.
LEFT_ALIGNED = "text-align:left; border-collapse:collapse"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, trim_blocks=True, lstrip_blocks=True
)


def as_text(value) -> str:
    """A cell's value as text, a missing value (None, NA) as nothing (the ``text`` filter).

    >>> render("<td>{{ v | text }}</td>", v=float("nan")), as_text("<b>")
    ('<td></td>', '<b>')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def readable(value) -> Markup:
    """Text from the data as a reader's HTML: row ids named, addresses linked (the
    ``reader`` filter; see :mod:`helpers.views.mentions`)."""
    from .mentions import readable_html

    return Markup(readable_html(as_text(value)))


_ENV.filters["text"] = as_text
_ENV.filters["quoted"] = quoted
_ENV.filters["reader"] = readable


@functools.lru_cache(maxsize=32)
def _template(source: str) -> Template:
    return _ENV.from_string(source)


def render(source: str, **values) -> str:
    """``source`` (a Jinja template) rendered with ``values``, each escaped."""
    return _template(source).render(**values)


def render_template(name: str, **values) -> str:
    """The template file ``name`` (under ``views/templates/``) rendered with ``values``,
    each escaped.

    >>> page = render_template("comparison/passages.html.j2", sources=[
    ...     {"label": "<i>X</i>", "passages": [{"anchor": "p-1", "fact": "f", "claimant": None,
    ...                                      "passage": "<script>", "translation": ""}]}])
    >>> "<h3>&lt;i&gt;X&lt;/i&gt;</h3>" in page, "“&lt;script&gt;”" in page
    (True, True)
    """
    return _ENV.get_template(name).render(**values)


def html_text(value) -> str:
    """Any value escaped for HTML (missing values as nothing)."""
    return str(escape(as_text(value)))
