"""Dates in a source's text, resolved against its publication date.

English is read by the kit's own finder (weekdays, "last week", "Nov. 10",
"since 1991", with the reasoning written into ``date_basis``). Other languages
are read with ``dateparser``: its month and weekday names for the language find
the dates ("2 января", "le 29 décembre", "am 5. Januar 2021"), and it parses them.

>>> from datetime import date
>>> found = find_dates("ended Monday", date(2021, 1, 11))
>>> [(c.matched, c.date_start, c.date_prec) for c in found]
[('Monday', '2021-01-11', 'day')]
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ..data.wording import fold
from ..text.dates import MONTH_NAMES, WEEKDAY_NAMES, month_end, written_dates
from .candidates import Candidate, Kind, Target, overlaps
from .numbers import NUMBER_RE, parse_number

_WEEKDAYS = list(WEEKDAY_NAMES)
_FEW = {"few": 4, "several": 4, "couple of": 2, "two": 2, "three": 3, "four": 4}
#: A time zone named in a sentence: a date near it may differ by a day elsewhere.
TIME_ZONE_RE = re.compile(r"\b(?:GMT|UTC|Moscow time|local time|Baku time|Yerevan time)\b")


def _date(matched, span, first: date, last: date, prec: str, basis: str) -> Candidate:
    return Candidate(
        Kind.DATE,
        Target.EVENT_REPORTS,
        span[0],
        span[1],
        matched,
        date_start=first.isoformat(),
        date_end=last.isoformat(),
        date_prec=prec,
        date_basis=basis,
    )


class _Found:
    """Dates found so far; a span already read is not read again."""

    def __init__(self, text: str, published: date):
        self.text, self.published, self.pub = text, published, published.isoformat()
        self.dates: list[Candidate] = []
        self.taken: list[tuple[int, int]] = []

    def add(self, m, first, last, prec, basis, group=0) -> None:
        self.add_span(m.span(group), m.group(group), first, last, prec, basis)

    def add_span(self, span, matched, first, last, prec, basis) -> None:
        if overlaps(span, self.taken):
            return
        self.taken.append(span)
        self.dates.append(_date(matched, span, first, last, prec, basis))


def _english_written(found: _Found) -> None:
    """Dates written out (:func:`helpers.text.dates.written_dates`), with their basis."""
    pub = found.pub
    for d in written_dates(found.text, found.published):
        if d.form == "iso":
            basis = "Date as written (ISO)."
        elif d.form == "year":
            basis = f"'{d.matched}': the year only"
            if d.word == "since":
                basis += " (the start of a period that runs to publication)"
            basis += "."
        elif d.year_written:
            basis = "Date as written." if d.prec == "day" else "Month and year as written."
        elif d.prec == "day":
            basis = (
                f"'{d.matched}' with no year: the most recent such date on or before "
                f"publication ({pub})."
            )
        else:
            month = MONTH_NAMES[d.first.month - 1]
            basis = (
                f"'{d.matched}' with no year: the most recent {month} on or before "
                f"publication ({pub})."
            )
        found.add_span((d.start, d.end), d.matched, d.first, d.last, d.prec, basis)


def _english_weekdays(found: _Found) -> None:
    published, pub = found.published, found.pub
    # Weekdays: the most recent such day on or before publication.
    for m in re.finditer(rf"\b(?:(last|on|this|next)\s+)?({'|'.join(_WEEKDAYS)})\b", found.text):
        back = (published.weekday() - _WEEKDAYS.index(m.group(2))) % 7
        if (m.group(1) or "").lower() == "last" and back == 0:
            back = 7
        day = published - timedelta(days=back)
        note = " (the publication day itself)" if back == 0 else ""
        basis = (
            f"'{m.group(2)}' resolved against the publication date ({pub}): the most recent "
            f"{m.group(2)} on or before it{note}."
        )
        found.add(m, day, day, "day", basis, group=2)


def _english_relative(found: _Found) -> None:
    published = found.published
    relative = [
        (r"\byesterday\b", lambda m: (published - timedelta(1),) * 2, "day"),
        (r"\btoday\b|\btonight\b", lambda m: (published,) * 2, "day"),
        (r"\blast week\b", lambda m: _week(published, -1), "week"),
        (r"\bthis week\b|\bearlier this week\b", lambda m: _week(published, 0), "week"),
        (r"\blast month\b", lambda m: _month(published, -1), "month"),
        (r"\bearlier this month\b|\bthis month\b", lambda m: _month(published, 0), "month"),
        (
            r"\blast year\b",
            lambda m: (date(published.year - 1, 1, 1), date(published.year - 1, 12, 31)),
            "year",
        ),
        (
            r"\bin recent (days|weeks|months)\b",
            lambda m: _window(published, None, m.group(1)),
            "approximate",
        ),
        (
            r"\b(?:the\s+)?(?:past|last|recent)\s+(few|several|couple of|two|three|four)?\s*"
            r"(days|weeks|months)\b",
            lambda m: _window(published, m.group(1), m.group(2)),
            "approximate",
        ),
        (rf"\b({NUMBER_RE}) (days|weeks) ago\b", lambda m: _ago(published, m), "day"),
    ]
    for pattern, resolve, prec in relative:
        for m in re.finditer(pattern, found.text, re.IGNORECASE):
            first, last = resolve(m)
            if first is None:
                continue
            basis = f"'{m.group(0)}' resolved against the publication date ({found.pub})."
            found.add(m, first, last, prec, basis)


def find_dates(text: str, published: date, language: str = "en") -> list[Candidate]:
    """Dates in ``text`` resolved against the publication date ``published``.

    Weekdays and dates without a year resolve to the most recent such day on or
    before publication; a month without a year to the most recent such month.
    Languages other than English are read with ``dateparser`` (see
    :func:`find_foreign_dates`).

    >>> pub = date(2021, 1, 11)
    >>> [(c.matched, c.date_start, c.date_end, c.date_prec) for c in find_dates(
    ...     "on Nov. 10, 2020 and 10 November 2020, a truce in November, tense since 1991", pub)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Nov. 10, 2020', '2020-11-10', '2020-11-10', 'day'),
     ('10 November 2020', '2020-11-10', '2020-11-10', 'day'),
     ('in November', '2020-11-01', '2020-11-30', 'month'),
     ('since 1991', '1991-01-01', '1991-12-31', 'year')]
    >>> [(c.matched, c.date_start, c.date_end) for c in find_dates(
    ...     "yesterday; last week; in the past few weeks", pub)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('yesterday', '2021-01-10', '2021-01-10'), ('last week', '2021-01-04', '2021-01-10'),
     ('the past few weeks', '2020-12-14', '2021-01-11')]
    >>> [(c.matched, c.date_start) for c in find_dates("сообщило 2 января", pub, "ru")]
    [('2 января', '2021-01-02')]
    """
    if language != "en":
        return find_foreign_dates(text, published, language)
    found = _Found(text, published)
    _english_written(found)
    _english_weekdays(found)
    _english_relative(found)
    for c in found.dates:
        if _STATEMENT_RE.search(text[max(0, c.start - 40) : c.start]):
            c.statement = True
            c.date_basis += (
                " It dates a statement ('said on ...'): a claim_date, not the date of the event."
            )
    return sorted(found.dates, key=lambda c: c.start)


_STATEMENT_RE = re.compile(
    r"\b(?:said|says|announced|(?<!been )reported|stated|declared|added|told\s+\w+|confirmed)"
    r"(?:\s+(?:late|early))?(?:\s+(?:on|in|last))?\s*$"
)


def _week(published: date, offset: int) -> tuple[date, date]:
    monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
    return monday, monday + timedelta(days=6)


def _month(published: date, offset: int) -> tuple[date, date]:
    year, month = published.year, published.month + offset
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), month_end(year, month)


def _window(published: date, how_many, unit: str) -> tuple[date, date]:
    count = _FEW.get((how_many or "few").lower(), 4)
    days = {"days": 1, "weeks": 7, "months": 30}[unit.lower()] * count
    return published - timedelta(days=days), published


def _ago(published: date, m) -> tuple[date | None, date | None]:
    count = parse_number(m.group(1))
    if count is None:
        return None, None
    day = published - timedelta(days=int(count) * (7 if m.group(2).lower() == "weeks" else 1))
    return day, day


# ---------------------------------------------------------------------- other languages

_MONTH_KEYS = tuple(name.lower() for name in MONTH_NAMES)
_WEEKDAY_KEYS = tuple(name.lower() for name in WEEKDAY_NAMES)


def _locale_names(language: str) -> list[tuple[str, str, int]]:
    """``(name, 'month'|'weekday'|'relative', number)`` from dateparser's data for ``language``.

    Abbreviations shorter than four letters are left out: 'mar' (French for
    Tuesday) or 'di' would match ordinary words.
    """
    from dateparser.languages.loader import default_loader

    try:
        info = default_loader.get_locale(language).info
    except (KeyError, ValueError):
        return []
    names = []
    for kind, keys in (("month", _MONTH_KEYS), ("weekday", _WEEKDAY_KEYS)):
        for number, key in enumerate(keys):
            names += [(n, kind, number) for n in info.get(key, []) if len(n) >= 4]
    # A short month name counts only right after a day number (a dateline's '11 янв').
    for number, key in enumerate(_MONTH_KEYS):
        names += [(n, "short_month", number) for n in info.get(key, []) if 3 <= len(n) < 4]
    relative = info.get("relative-type", {})
    for back, key in ((0, "0 day ago"), (1, "1 day ago")):
        names += [(n, "relative", back) for n in relative.get(key, [])]
    return sorted(set(names), key=lambda n: len(n[0]), reverse=True)


def _word_at(folded: str, start: int, end: int) -> bool:
    before = folded[start - 1] if start else " "
    after = folded[end] if end < len(folded) else " "
    return not before.isalnum() and not after.isalnum()


def _day_before(text: str, start: int) -> int:
    """Where a day number before a month name starts ('29 décembre', '5. Januar'), or ``start``."""
    head = text[:start].rstrip()
    head = head[:-1] if head.endswith(".") else head
    digits = len(head) - len(head.rstrip("0123456789"))
    if 1 <= digits <= 2 and (len(head) == digits or not head[-digits - 1].isalnum()):
        return len(head) - digits
    return start


def _year_after(text: str, end: int) -> int:
    """Where a four-digit year after a month name ends, or ``end``."""
    tail = text[end:]
    stripped = tail.lstrip(" \u00a0")
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    if digits == 4 and not stripped[4:5].isalnum():
        return end + (len(tail) - len(stripped)) + 4
    return end


def _foreign_date(text, span, kind, number, language, published) -> Candidate:
    import dateparser

    start, end = span
    matched, pub = text[start:end], published.isoformat()
    if kind in ("weekday", "relative"):
        back = (published.weekday() - number) % 7 if kind == "weekday" else number
        day = published - timedelta(days=back)
        basis = (
            f"'{matched}' resolved against the publication date ({pub}): "
            + ("the most recent such weekday on or before it." if kind == "weekday" else "")
            + ("the day before." if kind == "relative" and back else "")
            + ("the publication day itself." if kind == "relative" and not back else "")
        )
        return _date(matched, span, day, day, "day", basis)
    has_day = matched[:1].isdigit()
    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "REQUIRE_PARTS": ["month", "day"] if has_day else ["month"],
    }
    parsed = dateparser.parse(matched, languages=[language], settings=settings)
    if parsed is None:
        return Candidate(
            Kind.UNREAD,
            Target.NONE,
            start,
            end,
            matched,
            language=language,
            note=f"a date in '{language}' that could not be parsed: date it yourself",
        )
    has_year = matched.rstrip()[-4:].isdigit()
    basis = (
        "Date as written."
        if has_year
        else f"'{matched}' with no year: the most recent such date on or before "
        f"publication ({pub})."
    )
    if has_day:
        day = parsed.date()
        return _date(matched, span, day, day, "day", f"{basis} Read with dateparser.")
    first = date(parsed.year, number + 1, 1)
    last = month_end(first.year, first.month)
    return _date(matched, span, first, last, "month", f"{basis} Read with dateparser.")


def find_foreign_dates(text: str, published: date, language: str) -> list[Candidate]:
    """Dates in a text in ``language``, found by dateparser's names and parsed by it.

    A month name takes the day before it and the year after it, if any;
    weekdays, 'yesterday' and 'today' resolve against the publication date. A
    date that dateparser cannot parse comes back as a ``Kind.UNREAD`` candidate.

    >>> pub = date(2021, 1, 12)
    >>> [(c.matched, c.date_start, c.date_prec) for c in find_foreign_dates(
    ...     "annoncé le 29 décembre, puis en janvier 2021", pub, "fr")]
    [('29 décembre', '2020-12-29', 'day'), ('janvier 2021', '2021-01-01', 'month')]
    >>> [(c.matched, c.date_start) for c in find_foreign_dates(
    ...     "meldete am 5. Januar 2021 und gestern", pub, "de")]
    [('5. Januar 2021', '2021-01-05'), ('gestern', '2021-01-11')]

    A short month name is read only after a day number (an agency's dateline):

    >>> [(c.matched, c.date_start) for c in find_foreign_dates(
    ...     "МОСКВА, 11 янв — РИА Новости", pub, "ru")]
    [('11 янв', '2021-01-11')]
    """
    folded = fold(text)  # one character for one: offsets hold
    taken: list[tuple[int, int]] = []
    found = []
    for name, kind, number in _locale_names(language):
        key = fold(name)
        at = folded.find(key)
        while at >= 0:
            end = at + len(key)
            dated = kind != "short_month" or _day_before(text, at) < at
            if dated and _word_at(folded, at, end) and not overlaps((at, end), taken):
                span = (at, end)
                if kind in ("month", "short_month"):
                    span = (_day_before(text, at), _year_after(text, end))
                    kind_read = "month"
                else:
                    kind_read = kind
                taken.append(span)
                found.append(_foreign_date(text, span, kind_read, number, language, published))
            at = folded.find(key, end)
    for m in _years(text, language):
        if not overlaps(m.span(), taken):
            year = int(m.group("year"))
            basis = f"'{m.group(0)}': the year only"
            found.append(
                _date(m.group(0), m.span(), date(year, 1, 1), date(year, 12, 31), "year", basis)
            )
    for c in found:
        c.language = language
    return sorted(found, key=lambda c: c.start)


#: Words that make a bare four-digit number a year: a season or 'since' before it, 'году'
#: after it ('осенью 2020', 'seit 1994', 'à l'automne 2020', 'в 2020 году'). Not 'с' or
#: 'до' before it: 'с 2000 бойцами', 'до 2000 человек' count people.
YEAR_WORDS = {
    "ru": (r"осенью|весной|летом|зимой", r"году|года|год|г\."),
    "de": (r"Herbst|Frühjahr|Frühling|Sommer|Winter|Jahr|seit", r"$^"),
    "fr": (r"automne|printemps|été|hiver|depuis", r"$^"),
}


def _years(text: str, language: str) -> list[re.Match]:
    """Years made plain by the words around them (:data:`YEAR_WORDS`).

    >>> [m.group(0) for m in _years("Азербайджан осенью 2020 потерял; в 1994 году", "ru")]
    ['осенью 2020', '1994 году']
    """
    before, after = YEAR_WORDS.get(language, (r"$^", r"$^"))
    year = r"(?P<year>(?:19|20)\d\d)(?![\d.,]\d)"
    patterns = (rf"(?<!\w)(?:{before})\s+{year}", rf"(?<![\w.,]){year}\s+(?:{after})(?!\w)")
    found = [m for p in patterns for m in re.finditer(p, text, re.IGNORECASE)]
    return sorted(found, key=lambda m: m.start())
