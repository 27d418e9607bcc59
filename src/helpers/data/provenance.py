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
>>> print(cite(ds, ctx))  # doctest: +ELLIPSIS
Context (not in the article): Ministry of National Defence of Turkey, “Opening ...”, 30 January 2021
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
    when = format_date(row["published"], row["published_prec"])
    label = f"{row['publisher']}, “{row['title']}”, {when}"
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


def phrase_date(start, end=None, precision: str = "day") -> str:
    """A date or window as a phrase at its precision, ready to start or end a clause.

    A month-precision date is "in November 2020", never "on 1 November 2020";
    a window is "between ... and ...". ``end`` defaults to ``start``.

    Parameters
    ----------
    start, end : date-like or None
        First and last day the date may fall on (NA allowed).
    precision : {"day", "week", "month", "year", "approximate"}

    Examples
    --------
    >>> T = pd.Timestamp
    >>> phrase_date(T("2020-11-10"), T("2020-11-10"))
    'on 10 November 2020'
    >>> phrase_date(T("2020-11-09"), T("2020-11-10"))
    'between 9 and 10 November 2020'
    >>> phrase_date(T("2020-11-01"), T("2020-11-30"), "month")
    'in November 2020'
    >>> phrase_date(T("1991-01-01"), T("1991-12-31"), "year")
    'in 1991'
    >>> phrase_date(T("1992-01-01"), T("1994-12-31"), "year")
    'between 1992 and 1994'
    >>> phrase_date(T("2020-12-14"), T("2021-01-11"), "approximate")
    'between 14 December 2020 and 11 January 2021'
    >>> phrase_date(None, T("2021-01-11"), "approximate")
    'by 11 January 2021'
    >>> phrase_date(T("2020-12-14"), T("2020-12-20"), "week")
    'in the week of 14 to 20 December 2020'
    >>> phrase_date(None, None)
    'at a date the source does not give'
    """
    known = [v is not None and not pd.isna(v) for v in (start, end)]
    if not any(known):
        return "at a date the source does not give"
    if not known[0]:
        return f"by {format_date(end, precision if precision in {'month', 'year'} else 'day')}"
    start = pd.Timestamp(start)
    end = pd.Timestamp(end) if known[1] else start
    if precision == "year":
        if start.year == end.year:
            return f"in {start.year}"
        return f"between {start.year} and {end.year}"
    if precision == "month":
        if (start.year, start.month) == (end.year, end.month):
            return f"in {format_date(start, 'month')}"
        return f"between {format_date(start, 'month')} and {format_date(end, 'month')}"
    if start == end:
        return f"on {format_date(start)}"
    window = _day_window(start, end)
    if precision == "week":
        return f"in the week of {window.replace(' and ', ' to ')}"
    return f"between {window}"


def _day_window(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """'9 and 10 November 2020': the shared month and year written once."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} and {format_date(end)}"
    if start.year == end.year:
        return f"{start.day} {start:%B} and {format_date(end)}"
    return f"{format_date(start)} and {format_date(end)}"
