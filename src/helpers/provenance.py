"""Say where a row comes from, in words a reader can check.

Every helper that shows data (map popups, chart source lines, narrative
footnotes, tables) cites rows through :func:`cite`, so citations read the same
everywhere. Text that reaches HTML goes through :func:`html_text` first.

>>> import helpers
>>> ds = helpers.load()
>>> claim = ds.claims.set_index("claim_id").loc["people-returned"]
>>> print(cite(ds, claim))
Anadolu Agency, 11 January 2021: “Over 48,000 people already returned home after the cease-fire”
>>> ctx = ds.event_reports.set_index("report_id").loc["r-centre-opened"]
>>> print(cite(ds, ctx))
Context (not in the article): Ministry of National Defence of Turkey, “Opening of the Joint Turkish-Russian Monitoring Center”, 30 January 2021
"""

from __future__ import annotations

import html

import pandas as pd


def format_date(value, precision: str = "day") -> str:
    """A date written at its precision.

    >>> format_date(pd.Timestamp("2021-01-11"))
    '11 January 2021'
    >>> format_date(pd.Timestamp("2013-01-01"), "year")
    '2013'
    >>> format_date(None)
    'undated'
    """
    if value is None or pd.isna(value):
        return "undated"
    value = pd.Timestamp(value)
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return f"{value:%B} {value.year}"
    return f"{value.day} {value:%B} {value.year}"


def source_label(ds, source_id: str) -> str:
    """Publisher and date of a stored source: ``'Anadolu Agency, 11 January 2021'``."""
    row = ds.sources.set_index("source_id").loc[source_id]
    return f"{row['publisher']}, {format_date(row['published'])}"


def reference_label(ds, reference_id: str) -> str:
    """Publisher, title and date of an outside reference."""
    row = ds.references.set_index("reference_id").loc[reference_id]
    label = f"{row['publisher']}, “{row['title']}”, {format_date(row['published'], row['published_prec'])}"
    return label if pd.notna(row["url"]) and not row["url"] else label


def cite(ds, row) -> str:
    """A one-line citation for any sourced row (article passage or context reference)."""
    if row["origin"] == "article":
        return f"{source_label(ds, row['source_id'])}: “{row['passage']}”"
    return f"Context (not in the article): {reference_label(ds, row['reference_id'])}"


def html_text(value) -> str:
    """Escape any value for HTML so that source text is shown, never run.

    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> html_text(None)
    ''
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)
