"""Dates written in English text: the kit's one reader, with its one month table.

:func:`written_dates` finds every date a text writes out (ISO ``2021-01-30``,
``30 January 2021``, the article's ``Jan. 30, 2021`` / ``Sept. 27``, ``January 2021``,
``in November``, a bare year such as ``1994``) and gives the span of days each can
mean. A date written without its year (``Nov. 10``, ``in November``) is resolved to
the most recent such day or month on or before ``published``; with no ``published``
it is left out, since nothing places it. Numbers that are not years (``2,802``,
``48,000``, ``00:00``, ``2050 GMT``) are not dates.

Used by the as-of views (which of the kit's words name a later date), by
``python -m helpers.sources suggest`` (dates in a new source) and by the reading
views.

>>> [(d.matched, d.first.isoformat(), d.prec) for d in written_dates(
...     "opened on 30 January 2021; signed Nov. 10, 2020; in 1992-1994; 2,802 killed")]
... # doctest: +NORMALIZE_WHITESPACE
[('30 January 2021', '2021-01-30', 'day'), ('Nov. 10, 2020', '2020-11-10', 'day'),
 ('in 1992', '1992-01-01', 'year'), ('1994', '1994-01-01', 'year')]
>>> [(d.matched, d.first.isoformat(), d.last.isoformat())
...  for d in written_dates("a truce in November", published=date(2021, 1, 11))]
[('in November', '2020-11-01', '2020-11-30')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# Spelt out, not taken from `calendar`, whose names follow the process's locale.
#: English month names, January first.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Their abbreviations as sources write them (``Jan.``, ``Sept.``), lower case.
MONTH_ABBREVIATIONS = (*(name[:3].lower() for name in MONTH_NAMES), "sept")
#: English weekday names, Monday first (as :meth:`datetime.date.weekday` counts).
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Every English month name and abbreviation (lower case), to its number.
MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
MONTHS |= {
    abbr: MONTHS[full] for abbr in MONTH_ABBREVIATIONS for full in MONTHS if full.startswith(abbr)
}

# Capitalised as English writes them, longest first ("Sept" before "Sep").
_ANY_MONTH = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
_FULL_MONTHS = frozenset(MONTH_NAMES)
_MONTH_WORDS = "in|since|by|until|during|early|late|mid-?|last"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(\d{4}))"
# A year is four digits that are not part of a longer number (2,802; 1.5; 10:30; 1/2021)
# nor a clock time (2050 GMT).
_BARE_YEAR = (
    r"\b(?:(since|in|by|until|from|of|before|after)\s+)?(?<![\d,.:/])((?:1[89]|20)\d\d)\b"
    r"(?![\d:/]|,\d|\s*(?:GMT|UTC)\b)"
)
_PATTERNS = (
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("month_day", re.compile(rf"\b({_ANY_MONTH})\.?\s+{_DAY}\b{_YEAR}?")),
    ("day_month", re.compile(rf"\b{_DAY}\s+({_ANY_MONTH})\.?{_YEAR}?")),
    ("month", re.compile(rf"\b(?:({_MONTH_WORDS})\s+)?({_ANY_MONTH})\.?(?:\s+(\d{{4}}))?\b")),
    ("year", re.compile(_BARE_YEAR)),
)


@dataclass(frozen=True)
class WrittenDate:
    """One date written in a text: where, as what, and the days it can mean.

    ``form`` is how it is written (``iso``, ``month_day``, ``day_month``, ``month``
    or ``year``); ``prec`` the precision it names (``day``,
    ``month`` or ``year``); ``year_written`` whether the text gives the year (if not,
    the year came from the publication date); ``word`` the preposition before a
    month or year (``since``, ``in`` ...), if any.
    """

    start: int
    end: int
    matched: str
    form: str
    first: date
    last: date
    prec: str
    year_written: bool = True
    word: str | None = None


def written_dates(text, published: date | None = None) -> list[WrittenDate]:
    """Every date ``text`` writes out, in the order they appear (see the module).

    A span already read as one date is not read again as another ("10 November 2020"
    is one date, not also "November 2020" and "2020").

    >>> [d.matched for d in written_dates("on 2020-11-10 (Nov. 10), 10:30 at 2050 GMT")]
    ['2020-11-10']
    >>> written_dates(None)
    []
    """
    if not isinstance(text, str):
        return []
    found: list[WrittenDate] = []
    for form, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(d.start < m.end() and m.start() < d.end for d in found):
                continue
            written = _read(form, m, published)
            if written is not None:
                found.append(written)
    return sorted(found, key=lambda d: d.start)


def month_number(name: str) -> int:
    """The number of an English month name or abbreviation.

    >>> month_number("Sept"), month_number("december")
    (9, 12)
    """
    return MONTHS[name.lower().rstrip(".")]


def month_end(year: int, month: int) -> date:
    """The last day of a month.

    >>> month_end(2020, 2)
    datetime.date(2020, 2, 29)
    """
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _read(form: str, m: re.Match, published: date | None) -> WrittenDate | None:
    """The date a match writes, or ``None`` if it names no real day or cannot be placed."""
    if form == "iso":
        return _day(m, form, int(m[1]), int(m[2]), int(m[3]), published)
    if form == "month_day":
        return _day(m, form, m[3], month_number(m[1]), int(m[2]), published)
    if form == "day_month":
        return _day(m, form, m[3], month_number(m[2]), int(m[1]), published)
    if form == "month":
        return _month(m, published)
    return _year(m, published)


def _day(m, form, year, month: int, day: int, published: date | None) -> WrittenDate | None:
    written = year is not None
    if not written and published is None:
        return None
    year = int(year) if written else published.year
    try:
        first = date(year, month, day)
        if not written and first > published:
            first = date(year - 1, month, day)
    except ValueError:
        return None
    return WrittenDate(*m.span(), m[0], form, first, first, "day", written)


def _month(m: re.Match, published: date | None) -> WrittenDate | None:
    word, name, year = m[1], m[2], m[3]
    month = month_number(name)
    if year is not None:
        year, written = int(year), True
    elif published is None or name not in _FULL_MONTHS or (name == "May" and not word):
        return None  # no year to place it; 'Mar' alone is no month, 'May' alone a verb
    else:
        year = published.year if month <= published.month else published.year - 1
        written = False
    first, last = date(year, month, 1), month_end(year, month)
    return WrittenDate(*m.span(), m[0], "month", first, last, "month", written, word)


def _year(m: re.Match, published: date | None) -> WrittenDate | None:
    year = int(m[2])
    if published is not None and year > published.year:
        return None  # a source cannot report a year still to come as past
    return WrittenDate(
        *m.span(), m[0], "year", date(year, 1, 1), date(year, 12, 31), "year", True, m[1]
    )
