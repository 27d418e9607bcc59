"""Suggest rows to extract from a newly added source: a review file, not data.

``python -m helpers.sources <source_id> [--data DIR] [--out PATH]`` reads the
source's stored text (the source must already be in ``sources.csv``) and writes
a review file of candidate rows, one per finding:

``number``
    a figure in digits or words with its bound ("at least", "up to", "nearly",
    "between X and Y" …) and unit; durations such as "six-week-long" too.
``date``
    a calendar date, month, year, weekday or relative expression ("Monday",
    "last week", "the past few weeks"), resolved against the publication date,
    with its precision and how it was resolved.
``quote``
    a direct quotation with the speaker named before or after it (a pronoun is
    resolved to the nearest person named before it, and says so).
``place`` / ``actor``
    a gazetteer place (any of its names and spellings, accents ignored) or an
    actor (name, surname or title such as "Armenian Prime Minister").
``term``
    a glossary term (loaded word, vague attribution …) used in this source.

Each candidate carries the exact ``passage`` to copy (its sentence, a substring of
the text), character offsets of the match, parsed values, the table it would
feed, and, when its sentence looks like a report of an event the dataset
already has (dates overlapping within a few days, shared places, actors or key
words), a suggested ``event_id`` so the researcher attaches a report to that
event instead of creating a duplicate. ``already_in`` names rows of this source
that already cite the match.

The review file goes to ``review/<source_id>-suggestions.csv`` beside the data
folder (never inside it: the data package and ``helpers.load()`` are unaffected)
and is written with :func:`helpers.export.write_csv`, safe to open in a
spreadsheet. Writing the review file never touches the data tables. The
researcher accepts rows by copying them into the tables, or with
``python -m helpers.sources accept <review-file> --ids c003 c010 ...``, which
appends the chosen candidates to their tables with source, passage and parsed
values filled in and leaves the judgement (subject, metric, claimant,
attribution, statement; whether a quotation is translated) for the researcher,
whom ``helpers.load()`` then tells, cell by cell, what is still empty.
``python -m helpers.sources check`` validates the data without a traceback and
warns about events that may have been entered twice.

>>> from datetime import date
>>> [(c["matched"], c["value_best"], c["bound"], c["unit"])
...  for c in find_numbers("nearly 300 settlements and over 48,000 people")]
... # doctest: +NORMALIZE_WHITESPACE
[('nearly 300', 300.0, 'approximately', 'settlements'),
 ('over 48,000', 48000.0, 'more_than', 'people')]
>>> found = find_dates("ended Monday", date(2021, 1, 11))
>>> [(c["matched"], c["date_start"], c["date_prec"]) for c in found]
[('Monday', '2021-01-11', 'day')]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

from .. import paths

# ----------------------------------------------------------------------- numbers

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
#: Plural quantity words: the smallest number each can mean (a lower bound only).
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000}
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
_WORDS_RE = rf"(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*"
_DIGITS_RE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_RE = r"(?:\s+(?:million|billion|thousand))?"
_NUM_RE = rf"(?:(?:{_DIGITS_RE}){_SCALE_RE}|{_WORDS_RE})"

#: Words before a number and the bound they give it (longest first when matching).
BOUND_WORDS = {
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "upwards of": "more_than",
    "in excess of": "more_than",
    "up to": "up_to",
    "as many as": "up_to",
    "at most": "up_to",
    "fewer than": "up_to",
    "less than": "up_to",
    "under": "up_to",
    "no more than": "up_to",
    "nearly": "approximately",
    "almost": "approximately",
    "about": "approximately",
    "around": "approximately",
    "approximately": "approximately",
    "some": "approximately",
    "roughly": "approximately",
    "close to": "approximately",
    "an estimated": "approximately",
    "estimated": "approximately",
    "just under": "approximately",
    "just over": "approximately",
}
_BOUND_RE = "|".join(re.escape(w) for w in sorted(BOUND_WORDS, key=len, reverse=True))
#: Bounds that say the number is a ceiling (value_high) or a floor (value_low).
_CEILING = {"up_to"}
_FLOOR = {"at_least", "more_than"}
_TIME_RE = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{4}\s*(?:GMT|UTC)\b|\b\d{1,2}(?::\d{2})?\s*[ap]\.?m\b\.?",
    re.IGNORECASE,
)
_DURATION_UNITS = ("second", "minute", "hour", "day", "week", "month", "year", "decade")


def parse_number(words: str) -> float | None:
    """The value of a number written in digits or English words.

    >>> parse_number("2,802"), parse_number("forty-eight thousand"), parse_number("1.5 million")
    (2802.0, 48000.0, 1500000.0)
    >>> parse_number("three hundred and twelve"), parse_number("dozens"), parse_number("lots")
    (312.0, 24.0, None)
    """
    text = words.strip().lower()
    if text in _VAGUE:
        return float(_VAGUE[text])
    match = re.fullmatch(rf"({_DIGITS_RE})\s*(million|billion|thousand)?", text)
    if match:
        value = float(match.group(1).replace(",", ""))
        return value * _SCALES[match.group(2)] if match.group(2) else value
    total = current = 0
    tokens = [t for t in re.split(r"[\s-]+", text) if t and t != "and"]
    if not tokens:
        return None
    for token in tokens:
        if token in _UNITS:
            current += _UNITS[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in _SCALES:
            total += max(current, 1) * _SCALES[token]
            current = 0
        else:
            return None
    return float(total + current)


def _unit_after(text: str, end: int) -> str:
    """The counted noun after a number: '2,802 of its soldiers' -> 'soldiers'."""
    rest = text[end : end + 80]
    match = re.match(
        r"\s+(?:of\s+(?:its|their|the|his|her|our)\s+|of\s+)?"
        r"(?:(?:[A-Z][\w-]*|more|other|additional|new)\s+){0,2}([a-z][a-z-]*)",
        rest,
    )
    if not match:
        return ""
    word = match.group(1)
    stop = {
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "the",
        "a",
        "an",
        "is",
        "was",
        "were",
        "are",
        "had",
        "have",
        "has",
        "of",
        "by",
        "from",
        "since",
        "with",
        "who",
        "which",
        "that",
        "it",
        "they",
        "he",
        "she",
        "we",
        "you",
        "i",
    }
    return "" if word in stop else word


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def _number_row(matched, start, end, low, best, high, bound, unit, note="") -> dict:
    return {
        "kind": "number",
        "target_table": "claims",
        "start": start,
        "end": end,
        "matched": matched,
        "value_low": low,
        "value_best": best,
        "value_high": high,
        "bound": bound,
        "unit": unit,
        "note": note,
    }


def find_numbers(text: str, skip: list[tuple[int, int]] | None = None) -> list[dict]:
    """Figures in ``text`` with bound and unit; spans in ``skip`` (dates) are ignored.

    >>> [(c["matched"], c["value_low"], c["value_high"], c["bound"])
    ...  for c in find_numbers("between 2,000 and 3,000 troops; up to 5,000.")]
    [('between 2,000 and 3,000', 2000.0, 3000.0, 'range'), ('up to 5,000', None, 5000.0, 'up_to')]
    >>> [(c["matched"], c["value_best"], c["unit"]) for c in find_numbers("the six-week-long war")]
    [('six-week-long', 6.0, 'weeks')]
    >>> find_numbers("talks ended at 2050 GMT, or 23:50 Moscow time")
    []
    >>> [(c["value_low"], c["bound"], c["unit"]) for c in find_numbers("dozens of villages")]
    [(24.0, 'at_least', 'villages')]
    """
    taken = list(skip or [])
    # Clock times ('2050 GMT', '00:00', '3 p.m.') are not figures.
    taken += [m.span() for m in _TIME_RE.finditer(text)]
    found = []
    flags = re.IGNORECASE

    def keep(match_span):
        if _overlaps(match_span, taken):
            return False
        taken.append(match_span)
        return True

    # Ranges first, so their two ends are not also read as separate figures.
    for m in re.finditer(
        rf"\b(?:between|from)\s+({_NUM_RE})\s+(?:and|to)\s+({_NUM_RE})\b", text, flags
    ):
        low, high = parse_number(m.group(1)), parse_number(m.group(2))
        if low is None or high is None or not keep(m.span()):
            continue
        found.append(
            _number_row(m.group(0), *m.span(), low, None, high, "range", _unit_after(text, m.end()))
        )
    # Durations written as compound adjectives: 'six-week-long', '44-day'.
    units = "|".join(_DURATION_UNITS)
    for m in re.finditer(rf"\b({_NUM_RE})-({units})(?:s)?(?:-(?:long|old))?\b", text, flags):
        value = parse_number(m.group(1))
        if value is None or not keep(m.span()):
            continue
        found.append(
            _number_row(
                m.group(0),
                *m.span(),
                None,
                value,
                None,
                "exact",
                m.group(2).lower() + "s",
                "a duration, not a date",
            )
        )
    # Vague plural quantities: 'dozens of', 'hundreds of', 'tens of thousands of'.
    for m in re.finditer(
        r"\b(tens of thousands|dozens|scores|hundreds|thousands|millions)\s+of\b", text, flags
    ):
        if not keep(m.span()):
            continue
        word = m.group(1).lower()
        low = 20_000.0 if word == "tens of thousands" else float(_VAGUE[word])
        found.append(
            _number_row(
                m.group(0),
                *m.span(),
                low,
                None,
                None,
                "at_least",
                _unit_after(text, m.end()),
                f"'{word}' gives no number: value_low is the smallest it can mean",
            )
        )
    # Plain figures, with an optional bound word before them.
    pattern = rf"(?:\b({_BOUND_RE})\s+)?(?<![\w.,-])({_NUM_RE})(?![\w-]|,\d|\.\d|:\d)"
    for m in re.finditer(pattern, text, flags):
        number = m.group(2)
        value = parse_number(number)
        if value is None or not keep(m.span()):
            continue
        if number.lower() == "one" and not m.group(1):
            taken.remove(m.span())  # 'one of', 'no one': rarely a figure on its own
            continue
        bound = BOUND_WORDS.get((m.group(1) or "").lower(), "exact")
        low = value if bound in _FLOOR else None
        high = (
            value
            if bound in _CEILING or (m.group(1) or "").lower() in {"nearly", "almost", "just under"}
            else None
        )
        note = ""
        if (m.group(1) or "").lower() in {"fewer than", "less than", "under"}:
            note = "strictly below the figure"
        unit = _unit_after(text, m.end())
        if not unit:
            note = (note + "; " if note else "") + "no unit next to the figure: read the sentence"
        found.append(_number_row(m.group(0), *m.span(), low, value, high, bound, unit, note))
    return sorted(found, key=lambda c: c["start"])


# ------------------------------------------------------------------------- dates

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_RE = "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True))
_FULL_MONTH_RE = "|".join(m.capitalize() for m in list(_MONTHS)[:12])
_FEW = {"few": 4, "several": 4, "couple of": 2, "two": 2, "three": 3, "four": 4}
_TIME_ZONE_RE = re.compile(r"\b(?:GMT|UTC|Moscow time|local time|Baku time|Yerevan time)\b")


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _date_row(matched, start, end, first: date, last: date, prec: str, basis: str) -> dict:
    return {
        "kind": "date",
        "target_table": "event_reports",
        "start": start,
        "end": end,
        "matched": matched,
        "date_start": first.isoformat(),
        "date_end": last.isoformat(),
        "date_prec": prec,
        "date_basis": basis,
    }


def find_dates(text: str, published: date) -> list[dict]:
    """Dates in ``text`` resolved against the publication date ``published``.

    Weekdays and dates without a year resolve to the most recent such day on or
    before publication; a month without a year to the most recent such month.

    >>> pub = date(2021, 1, 11)
    >>> [(c["matched"], c["date_start"], c["date_end"], c["date_prec"]) for c in find_dates(
    ...     "on Nov. 10, 2020 and 10 November 2020, a truce in November, tense since 1991", pub)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Nov. 10, 2020', '2020-11-10', '2020-11-10', 'day'),
     ('10 November 2020', '2020-11-10', '2020-11-10', 'day'),
     ('in November', '2020-11-01', '2020-11-30', 'month'),
     ('since 1991', '1991-01-01', '1991-12-31', 'year')]
    >>> [(c["matched"], c["date_start"], c["date_end"]) for c in find_dates(
    ...     "yesterday; last week; in the past few weeks", pub)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('yesterday', '2021-01-10', '2021-01-10'), ('last week', '2021-01-04', '2021-01-10'),
     ('the past few weeks', '2020-12-14', '2021-01-11')]
    """
    found: list[dict] = []
    taken: list[tuple[int, int]] = []
    pub = published.isoformat()

    def add(m, first, last, prec, basis, group=0):
        span = m.span(group)
        if _overlaps(span, taken):
            return
        taken.append(span)
        found.append(_date_row(m.group(group), *span, first, last, prec, basis))

    # Month day, year ('Nov. 10, 2020', 'Sept. 27') and day month year ('10 November 2020').
    for m in re.finditer(
        rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", text
    ):
        _add_day(add, m, _MONTHS[m.group(1).lower()], int(m.group(2)), m.group(3), published)
    for m in re.finditer(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?", text
    ):
        _add_day(add, m, _MONTHS[m.group(2).lower()], int(m.group(1)), m.group(3), published)
    for m in re.finditer(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        add(m, day, day, "day", "Date as written (ISO).")
    # Month with or without a year: 'in November', 'November 2020', 'early December'.
    for m in re.finditer(
        rf"\b(?:(?:in|since|by|until|during|early|late|mid-?|last)\s+)?({_FULL_MONTH_RE})"
        rf"(?:\s+(\d{{4}}))?\b",
        text,
    ):
        if m.group(1) == "May" and not (m.group(2) or m.group(0) != "May"):
            continue  # 'May' alone is as likely the verb
        month = _MONTHS[m.group(1).lower()]
        if m.group(2):
            year, basis = int(m.group(2)), "Month and year as written."
        else:
            year = published.year if month <= published.month else published.year - 1
            basis = (
                f"'{m.group(0)}' with no year: the most recent {m.group(1)} on or before "
                f"publication ({pub})."
            )
        add(m, date(year, month, 1), _month_end(year, month), "month", basis)
    # Years: 'since 1991', 'in 2020'.
    for m in re.finditer(
        r"\b(?:(since|in|by|until|from|of|before|after)\s+)?((?:1[89]|20)\d\d)\b", text
    ):
        year = int(m.group(2))
        if year > published.year or _TIME_RE.match(text, m.start(2)):
            continue  # a clock time such as '2050 GMT', or not a year at all
        basis = f"'{m.group(0)}': the year only"
        if m.group(1) == "since":
            basis += " (the start of a period that runs to publication)"
        add(m, date(year, 1, 1), date(year, 12, 31), "year", basis + ".")
    # Weekdays: the most recent such day on or before publication.
    for m in re.finditer(rf"\b(?:(last|on|this|next)\s+)?({'|'.join(_WEEKDAYS)})\b", text):
        back = (published.weekday() - _WEEKDAYS.index(m.group(2))) % 7
        if (m.group(1) or "").lower() == "last" and back == 0:
            back = 7
        day = published - timedelta(days=back)
        note = " (the publication day itself)" if back == 0 else ""
        add(
            m,
            day,
            day,
            "day",
            f"'{m.group(2)}' resolved against the publication date ({pub}): the most recent "
            f"{m.group(2)} on or before it{note}.",
            group=2,
        )
    # Relative expressions.
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
        (rf"\b({_NUM_RE}) (days|weeks) ago\b", lambda m: _ago(published, m), "day"),
    ]
    for pattern, resolve, prec in relative:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            first, last = resolve(m)
            if first is None:
                continue
            add(
                m,
                first,
                last,
                prec,
                f"'{m.group(0)}' resolved against the publication date ({pub}).",
            )
    for c in found:
        if _STATEMENT_RE.search(text[max(0, c["start"] - 40) : c["start"]]):
            c["statement"] = True
            c["date_basis"] += (
                " It dates a statement ('said on ...'): a claim_date, not the date of the event."
            )
    return sorted(found, key=lambda c: c["start"])


_STATEMENT_RE = re.compile(
    r"\b(?:said|says|announced|(?<!been )reported|stated|declared|added|told\s+\w+|confirmed)"
    r"(?:\s+(?:late|early))?(?:\s+(?:on|in|last))?\s*$"
)


def _add_day(add, m, month: int, day_of_month: int, year_text, published: date) -> None:
    year = int(year_text) if year_text else published.year
    try:
        day = date(year, month, day_of_month)
    except ValueError:
        return
    if year_text:
        basis = "Date as written."
    else:
        if day > published:
            day = date(year - 1, month, day_of_month)
        basis = (
            f"'{m.group(0)}' with no year: the most recent such date on or before "
            f"publication ({published.isoformat()})."
        )
    add(m, day, day, "day", basis)


def _week(published: date, offset: int) -> tuple[date, date]:
    monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
    return monday, monday + timedelta(days=6)


def _month(published: date, offset: int) -> tuple[date, date]:
    year, month = published.year, published.month + offset
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), _month_end(year, month)


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


# ------------------------------------------------------------------------ quotes

_QUOTE_RE = re.compile(r"“([^”]+)”|\"([^\"\n]+)\"")
_SAID = (
    r"(?:said|says|added|told|stated|declared|noted|stressed|asked|warned|insisted|"
    r"explained|wrote|announced|continued|according to)"
)
_PRONOUNS = {"he", "she", "they"}


def find_quotes(text: str, actors: list[tuple[str, str, str]]) -> list[dict]:
    """Direct quotations and who said them.

    ``actors`` is a list of ``(actor_id, kind, alias)`` (see :func:`actor_aliases`).
    The speaker is looked for right after the closing mark (``," he said``,
    ``," Putin said``) and otherwise right before the opening one
    (``Aliyev said: "...``); a pronoun resolves to the nearest person named
    before the quotation, and the note says so.

    >>> people = [("putin", "person", "Putin"), ("aliyev", "person", "Aliyev")]
    >>> text = 'Putin spoke. “It is stable,” he said. Aliyev said: "We agree on this."'
    >>> [(q["quote_text"], q["speaker"], q["speaker_id"]) for q in find_quotes(text, people)]
    [('It is stable', 'he', 'putin'), ('We agree on this.', 'Aliyev', 'aliyev')]
    """
    found = []
    people = [(a, alias) for a, kind, alias in actors if kind == "person"]
    for m in _QUOTE_RE.finditer(text):
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        quote = inner.rstrip().removesuffix(",").rstrip()
        if len(quote.split()) < 3:
            continue  # scare quotes around a word or two are not quotations
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        after = text[m.end() : min(line_end, m.end() + 120)]
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[max(line_start, m.start() - 150) : m.start()]
        speaker, speaker_id, note, passage_end = "", None, "", m.end()
        said_after = re.match(
            rf"\s*({_SAID})?\s*([A-Z][\w.\- ]{{0,60}}?|he|she|they)\s+({_SAID})\b|\s*({_SAID})\s+"
            rf"([A-Z][\w.\- ]{{0,60}}?)(?=[,.;]|\s+(?:on|in|at|after|during|to)\b)",
            after,
        )
        said_before = re.search(
            rf"([A-Z][\w.\- ]{{0,80}}?|\b[Hh]e|\b[Ss]he)\s+({_SAID})"
            r"(?:\s+[\w ]{0,30}?)?[:,]?\s*$",
            before,
        )
        if said_after:
            speaker = (said_after.group(2) or said_after.group(5) or "").strip()
            passage_end = m.end() + said_after.end()
            rest = re.match(r"[^.\n]*\.?", text[passage_end:])
            passage_end += rest.end() if rest and len(rest.group(0)) < 60 else 0
            where = "after"
        elif said_before:
            speaker = said_before.group(1).strip()
            where = "before"
        else:
            where = ""
        start = m.start() if where != "before" else m.start() - len(before) + said_before.start()
        if speaker.lower() in _PRONOUNS:
            previous = _last_person(text[:start], people)
            if previous:
                speaker_id = previous
                note = (
                    f"'{speaker}' resolved to the nearest person named before the quotation "
                    f"({previous}); check it."
                )
        elif speaker:
            speaker_id = _match_alias(speaker, people)
            if speaker_id is None:
                note = f"'{speaker}' is not in actors.csv yet: add an actors row first."
        if not speaker:
            note = "no speaker found next to the quotation"
        found.append(
            {
                "kind": "quote",
                "target_table": "quotes",
                "start": m.start(),
                "end": m.end(),
                "matched": text[m.start() : m.end()],
                "quote_text": quote,
                "speaker": speaker,
                "speaker_id": speaker_id,
                "passage": text[start:passage_end].rstrip(),
                "note": note + (f" Speaker named {where} the quotation." if where else ""),
            }
        )
    return found


def _match_alias(words: str, people: list[tuple[str, str]]) -> str | None:
    for actor_id, alias in sorted(people, key=lambda p: len(p[1]), reverse=True):
        if re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", words):
            return actor_id
    return None


def _last_person(text: str, people: list[tuple[str, str]]) -> str | None:
    best, at = None, -1
    for actor_id, alias in people:
        for m in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", text):
            if m.start() > at:
                best, at = actor_id, m.start()
    return best


# ------------------------------------------------------------- places and actors

#: Adjectives for the states in the dataset ('Russian President' -> President of Russia).
DEMONYMS = {
    "Russia": ["Russian"],
    "Azerbaijan": ["Azerbaijani"],
    "Armenia": ["Armenian"],
    "Turkey": ["Turkish"],
    "France": ["French"],
    "United States": ["U.S.", "US", "American"],
}


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, one character for one (offsets hold).

    >>> fold("Ağdam Füzuli Xankəndi")
    'agdam fuzuli xankendi'
    """
    out = []
    for ch in text:
        base = (
            unicodedata.normalize("NFKD", ch)[0]
            if ch not in "əƏıİ"
            else {"ə": "e", "Ə": "e", "ı": "i", "İ": "i"}[ch]
        )
        out.append(base.lower()[:1] or ch)
    return "".join(out)


def place_names(places) -> list[tuple[str, str]]:
    """``(place_id, name)`` for every name and spelling in the gazetteer.

    >>> import helpers
    >>> names = place_names(helpers.load().places)
    >>> sorted(n for p, n in names if p == "nagorno-karabakh")[:3]
    ['Artsakh', 'Dağlıq Qarabağ', 'Mountainous Karabakh']
    """
    pairs = []
    for row in places.itertuples(index=False):
        names = []
        for column in ("name", "name_az", "name_hy", "name_ru"):
            value = getattr(row, column)
            if isinstance(value, str):
                names += value.split(" / ")
        if isinstance(row.other_names, str):
            cleaned = re.sub(r"\([^)]*\)", "", row.other_names)
            cleaned = re.sub(r"^[^:]*:", "", cleaned) if ":" in cleaned else cleaned
            names += re.split(r"[;,]", cleaned)
        for name in names:
            name = name.strip()
            if len(name) >= 3 and (row.place_id, name) not in pairs:
                pairs.append((row.place_id, name))
    return pairs


def actor_aliases(actors) -> list[tuple[str, str, str]]:
    """``(actor_id, kind, alias)``: names, surnames and titles an actor goes by.

    >>> import helpers
    >>> sorted(a for i, k, a in actor_aliases(helpers.load().actors) if i == "pashinyan")
    ['Armenian Prime Minister', 'Nikol Pashinyan', 'Pashinyan', 'Prime Minister of Armenia']
    """
    out = []
    for row in actors.itertuples(index=False):
        aliases = {row.name}
        if row.kind == "person":
            aliases.add(row.name.split()[-1])
            role = row.role if isinstance(row.role, str) else ""
            m = re.fullmatch(r"(.+?) of (.+)", role)
            if m:
                aliases.add(role)
                for adjective in DEMONYMS.get(m.group(2), []):
                    aliases.add(f"{adjective} {m.group(1)}")
        out += [(row.actor_id, row.kind, alias) for alias in sorted(aliases)]
    return out


def find_mentions(text: str, names: list[tuple[str, str]], kind: str) -> list[dict]:
    """Every non-overlapping mention of any name (longest names win), accents ignored."""
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    found = []
    for entity_id, name in sorted(names, key=lambda p: len(p[1]), reverse=True):
        key = fold(name)
        for m in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
            # Short names must keep their capital (so 'us' is not the United States).
            if len(name) <= 3 and text[m.start() : m.end()] != name:
                continue
            if _overlaps(m.span(), taken):
                continue
            taken.append(m.span())
            found.append(
                {
                    "kind": kind,
                    "target_table": "places" if kind == "place" else "actors",
                    "start": m.start(),
                    "end": m.end(),
                    "matched": text[m.start() : m.end()],
                    f"{kind}_id": entity_id,
                }
            )
    return sorted(found, key=lambda c: c["start"])


# ---------------------------------------------------------------- event matching

#: Words that suggest an event of each kind.
KIND_WORDS = {
    "ceasefire_diplomatic": {
        "meeting",
        "met",
        "meet",
        "talks",
        "summit",
        "agreement",
        "signed",
        "statement",
        "ceasefire",
        "cease-fire",
        "truce",
        "deal",
        "accord",
        "trilateral",
        "leaders",
    },
    "military": {
        "clashes",
        "fighting",
        "war",
        "conflict",
        "attack",
        "attacks",
        "offensive",
        "shelling",
        "battle",
        "killed",
        "violations",
        "withdrawn",
        "withdrawal",
        "death",
        "toll",
        "casualties",
        "wounded",
    },
    "humanitarian": {"humanitarian", "prisoners", "bodies", "exchange", "refugees"},
    "peacekeeping": {
        "peacekeepers",
        "peacekeeping",
        "monitoring",
        "monitor",
        "centre",
        "center",
        "deployed",
    },
}
_STOP = {
    "the",
    "and",
    "with",
    "from",
    "into",
    "that",
    "this",
    "their",
    "after",
    "ends",
    "sets",
    "takes",
    "between",
    "over",
    "according",
    "time",
    "now",
    "not",
    "all",
    "have",
    "been",
    "were",
    "was",
    "had",
    "for",
    "its",
    "which",
    "while",
    "both",
    "side",
    "said",
    "says",
    "first",
    "such",
    "new",
    "also",
    "our",
    "they",
    "them",
    "there",
    "then",
}
#: Days added on either side of an event's dates when matching: a signing date and
#: an entry into force, or two time zones, may put the same event a day or two apart.
DATE_TOLERANCE_DAYS = 3


def _stem(word: str) -> str:
    # Light stemming, enough for 'deployed'/'deploy', 'talks'/'talk', 'meeting'/'meet'.
    for suffix, shortest in (("ing", 6), ("ed", 6), ("s", 5)):
        if len(word) >= shortest and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def _words(text: str) -> set[str]:
    """Content words (hyphenated ones also split), lightly stemmed: for key-word overlap.

    >>> sorted(_words("Peacekeepers deployed; six-week-long talks"))
    ['deploy', 'long', 'peacekeeper', 'six', 'six-week-long', 'talk', 'week']
    """
    words = set()
    for word in re.findall(r"[a-z][a-z-]{2,}", text.lower()):
        words |= {word, *word.split("-")}
    return {_stem(w) for w in words if len(w) > 2 and w not in _STOP}


def match_event(
    events,
    sentence: str,
    dates: list[dict],
    place_ids: set,
    actor_ids: set,
    ignore: frozenset = frozenset(),
    require_date: bool = True,
    affiliation: dict | None = None,
):
    """The existing event a sentence most likely reports, and why; or ``(None, "")``.

    Signals are a shared place, shared actors (an event's actors include the
    states their forces belong to), words of the event's label, and two or more
    words typical of its kind (``KIND_WORDS``). With
    ``require_date`` and ``dates`` given (a date candidate), the event's dates
    must overlap one of ``dates`` (± ``DATE_TOLERANCE_DAYS``) and one signal is
    enough. Otherwise (a figure or a quotation: the dates in its sentence may be
    when something was *said*), two signals are needed and overlapping dates only
    break ties. Words in ``ignore`` (names of places and actors, counted as such)
    are not key words.

    >>> import helpers
    >>> events = helpers.load().events
    >>> match_event(events, "The leaders met in Moscow on Monday.",
    ...             [{"date_start": "2021-01-12", "date_end": "2021-01-12"}], {"moscow"}, set())
    ... # doctest: +NORMALIZE_WHITESPACE
    ('moscow-meeting-2021-01-11',
     'dates overlap (±3 days); place moscow; key words leader, met, moscow')
    >>> match_event(events, "Nearly 2,000 peacekeepers have been deployed.", [], set(), set())
    ('peacekeepers-deployed', 'key words deploy, peacekeeper')
    """
    import pandas as pd

    best, best_score, best_why = None, 0.0, ""
    words = _words(sentence)
    tolerance = pd.Timedelta(days=DATE_TOLERANCE_DAYS)
    for event in events.itertuples(index=False):
        why = []
        overlap = any(
            pd.Timestamp(d["date_start"]) <= event.date_end + tolerance
            and pd.Timestamp(d["date_end"]) >= event.date_start - tolerance
            for d in dates
        )
        if require_date and dates and not overlap:
            continue
        if overlap:
            why.append(f"dates overlap (±{DATE_TOLERANCE_DAYS} days)")
        signals = 0
        if isinstance(event.place_id, str) and event.place_id in place_ids:
            signals += 1
            why.append(f"place {event.place_id}")
        involved = set(event.actor_ids or ())
        involved |= {(affiliation or {}).get(a) for a in involved} - {None}
        shared = sorted(involved & actor_ids)
        if shared:
            signals += 1
            why.append("actors " + ", ".join(shared))
        kind_words = {w for k in KIND_WORDS.get(event.kind, set()) for w in _words(k)}
        label_keys = (words & _words(event.label)) - ignore
        kind_keys = (words & kind_words) - ignore
        keys = sorted(kind_keys | label_keys)
        signals += bool(label_keys) + (len(kind_keys) >= 2)
        if keys:
            why.append("key words " + ", ".join(keys))
        needed = 1 if (require_date and dates) else 2
        # The event's own label words weigh more than words typical of its kind.
        score = (
            signals
            + (1.5 if overlap else 0)
            + 0.1 * len(keys)
            + 0.2 * len(label_keys)
            + 0.1 * len(shared)
        )
        # Prefer the narrowest event among equals: a meeting over the whole war.
        score -= 0.001 * (event.date_end - event.date_start).days / 365
        if signals >= needed and score > best_score:
            best, best_score, best_why = event.event_id, score, "; ".join(why)
    return best, best_why


def duplicate_events(ds):
    """Pairs of events that may be one event entered twice, and why.

    Two events are flagged when they are of the same kind, both their first and
    last days agree within ``DATE_TOLERANCE_DAYS``, and they share a place, two
    actors or two words of their labels. A second source's report of an event
    the dataset has should be an ``event_reports`` row of that event, not a new
    event; this is the check after accepting rows.

    >>> import helpers
    >>> duplicate_events(helpers.load()).empty
    True
    """
    import pandas as pd

    tolerance = pd.Timedelta(days=DATE_TOLERANCE_DAYS)
    rows = []
    events = list(ds.events.itertuples(index=False))
    for i, a in enumerate(events):
        for b in events[i + 1 :]:
            if a.kind != b.kind:
                continue
            if (
                abs(a.date_start - b.date_start) > tolerance
                or abs(a.date_end - b.date_end) > tolerance
            ):
                continue
            why = []
            if isinstance(a.place_id, str) and a.place_id == b.place_id:
                why.append(f"same place {a.place_id}")
            actors = sorted(set(a.actor_ids or ()) & set(b.actor_ids or ()))
            if len(actors) >= 2:
                why.append("shared actors " + ", ".join(actors))
            words = sorted(_words(a.label) & _words(b.label))
            if len(words) >= 2:
                why.append("shared label words " + ", ".join(words))
            if why:
                rows.append(
                    (
                        a.event_id,
                        b.event_id,
                        a.kind,
                        f"dates within {DATE_TOLERANCE_DAYS} days; " + "; ".join(why),
                    )
                )
    return pd.DataFrame(rows, columns=["event_id", "possible_duplicate_of", "kind", "why"])


# ---------------------------------------------------------------------- assembly

COLUMNS = [
    "candidate_id",
    "source_id",
    "kind",
    "target_table",
    "passage",
    "start",
    "end",
    "matched",
    "value_low",
    "value_best",
    "value_high",
    "bound",
    "unit",
    "claim_date",
    "claim_date_prec",
    "date_start",
    "date_end",
    "date_prec",
    "date_basis",
    "quote_text",
    "speaker",
    "speaker_id",
    "place_id",
    "actor_id",
    "term_id",
    "event_id",
    "event_match",
    "already_in",
    "note",
]


def suggest(ds, source_id: str):
    """Candidate rows for ``source_id`` as a DataFrame (columns :data:`COLUMNS`).

    Examples
    --------
    >>> import helpers
    >>> review = suggest(helpers.load(), "aa-2021-01-11")
    >>> row = review.loc[review["matched"] == "at least 2,802"].iloc[0]
    >>> float(row["value_low"]), row["bound"], row["unit"], row["already_in"]
    (2802.0, 'at_least', 'soldiers', 'claims:az-military-deaths; glossary:martyred')
    >>> monday = review.loc[review["matched"] == "Monday"].iloc[0]
    >>> monday["date_start"], monday["event_id"]
    ('2021-01-11', 'moscow-meeting-2021-01-11')
    """
    import pandas as pd

    from ..views.reading import rows_citing, sentences

    text = ds.text(source_id)
    sources = ds.sources.set_index("source_id")
    if source_id not in sources.index:
        raise KeyError(source_id)
    published = sources.loc[source_id, "published"].date()
    aliases = actor_aliases(ds.actors)
    dates = find_dates(text, published)
    candidates = (
        find_numbers(text, skip=[(d["start"], d["end"]) for d in dates])
        + dates
        + find_quotes(text, aliases)
        + find_mentions(text, place_names(ds.places), "place")
        + find_mentions(text, [(a, alias) for a, _, alias in aliases], "actor")
        + _find_terms(text, ds.glossary)
    )
    spans = sentences(text)
    cited = rows_citing(ds, source_id)
    names = {w for _, name in place_names(ds.places) for w in _words(name)}
    names |= {w for _, _, alias in aliases for w in _words(alias)}
    names |= {w for adjectives in DEMONYMS.values() for a in adjectives for w in _words(a)}
    affiliation = dict(ds.actors[["actor_id", "affiliation_id"]].dropna().itertuples(index=False))
    places_all = [c for c in candidates if c["kind"] == "place"]
    actors_all = [c for c in candidates if c["kind"] == "actor"]
    seen_entities: dict[tuple, dict] = {}
    rows = []
    for c in sorted(candidates, key=lambda c: (c["start"], c["kind"])):
        s_start, s_end = next(
            ((a, b) for a, b in spans if a <= c["start"] < b), (c["start"], c["end"])
        )
        c.setdefault("passage", text[s_start:s_end])
        if c["kind"] in {"place", "actor", "term"}:
            key = (
                c["kind"],
                c["matched"].lower() if c["kind"] == "term" else c.get(f"{c['kind']}_id"),
            )
            if key in seen_entities:  # one row per entity: its first mention
                seen_entities[key]["mentions"] += 1
                continue
            c["mentions"] = 1
            seen_entities[key] = c
        in_sentence = lambda found, a=s_start, b=s_end: [x for x in found if a <= x["start"] < b]  # noqa: E731
        if c["kind"] == "date" and c.get("statement"):
            c["target_table"] = "claims (claim_date)"
        elif c["kind"] in {"date", "number", "quote"}:
            event_dates = (
                [c]
                if c["kind"] == "date"
                else [d for d in in_sentence(dates) if not d.get("statement")]
            )
            event_id, why = match_event(
                ds.events,
                text[s_start:s_end],
                event_dates,
                {x["place_id"] for x in in_sentence(places_all)},
                {x["actor_id"] for x in in_sentence(actors_all)},
                frozenset(names),
                require_date=c["kind"] == "date",
                affiliation=affiliation,
            )
            c["event_id"], c["event_match"] = event_id, why
            if c["kind"] == "date":
                c["target_table"] = "event_reports" if event_id else "events + event_reports"
                if _TIME_ZONE_RE.search(text[s_start:s_end]):
                    c["note"] = (
                        "A time or time zone is given in the sentence: the date may "
                        "differ by a day in another time zone."
                    )
        if c["kind"] == "number":
            _claim_date(c, [d for d in in_sentence(dates) if d.get("statement")], published)
        hits = cited.loc[(cited["start"] <= c["start"]) & (cited["end"] >= c["end"])]
        c["already_in"] = "; ".join(
            f"{t}:{i}" for t, i in hits[["table", "row_id"]].itertuples(index=False)
        )
        rows.append(c)
    for c in seen_entities.values():
        if c["mentions"] > 1:
            c["note"] = (
                c.get("note", "") + f" Mentioned {c['mentions']} times; the first mention is shown."
            ).strip()
    frame = pd.DataFrame(rows).reindex(columns=COLUMNS)
    frame["candidate_id"] = [f"c{n:03d}" for n in range(1, len(frame) + 1)]
    frame["source_id"] = source_id
    frame["note"] = frame["note"].fillna("").str.strip()
    return frame.astype(
        {
            c: "object"
            for c in frame.columns
            if c not in ("start", "end", "value_low", "value_best", "value_high")
        }
    )


def _claim_date(c: dict, statements: list[dict], published: date) -> None:
    """When a figure was claimed: the nearest statement date in its sentence
    ('said on Tuesday that 2,841 ...'), else the publication date."""
    if statements:
        nearest = min(statements, key=lambda d: abs(d["start"] - c["start"]))
        c["claim_date"], c["claim_date_prec"] = nearest["date_start"], nearest["date_prec"]
        why = f"claim_date from '{nearest['matched']}' in the same sentence"
    else:
        c["claim_date"], c["claim_date_prec"] = published.isoformat(), "day"
        why = "claim_date: the publication date (no statement date in the sentence)"
    c["note"] = c.get("note", "") + ("; " if c.get("note") else "") + why


def _find_terms(text: str, glossary) -> list[dict]:
    found = []
    for row in glossary.itertuples(index=False):
        if row.category == "typo" or len(row.term.split()) > 4:
            continue
        m = re.search(rf"(?<!\w){re.escape(row.term)}(?!\w)", text, re.IGNORECASE)
        if m:
            found.append(
                {
                    "kind": "term",
                    "target_table": "glossary",
                    "start": m.start(),
                    "end": m.end(),
                    "matched": m.group(0),
                    "term_id": row.term_id,
                    "note": f"{row.category}; neutral: {row.neutral_alternative}",
                }
            )
    return found


def default_out(data_dir: Path, source_id: str) -> Path:
    """``<folder holding the data>/review/<source_id>-suggestions.csv``.

    >>> default_out(Path("/kit/data"), "x").as_posix()
    '/kit/review/x-suggestions.csv'
    """
    return Path(data_dir).resolve().parent / "review" / f"{source_id}-suggestions.csv"


# ------------------------------------------------------------------------ accept

#: Where an accepted candidate goes, and the id column of that table.
ACCEPT_TABLES = {
    "number": ("claims", "claim_id"),
    "date": ("event_reports", "report_id"),
    "quote": ("quotes", "quote_id"),
    "term": ("glossary", "term_id"),
}


def _unneutralise(value: str) -> str:
    # write_csv prefixed text starting with a formula character with "'"; undo it.
    from ..data.export import FORMULA_PREFIXES

    if value.startswith("'") and value[1:2] and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def _number_text(value: str) -> str:
    return f"{float(value):g}" if value else ""


def accepted_rows(review, ids: list[str], sources, glossary) -> dict[str, list[dict]]:
    """Rows for the tables from the chosen candidates, provenance and parsed values filled.

    The judgement a table needs and the text cannot give (a claim's subject,
    metric, claimant and attribution; whether a quotation is translated) is
    left empty, so :func:`helpers.load` names each cell still to fill. Each new
    row's id is ``<source_id>-<candidate_id>``; rename it if you like before
    anything cites it.

    Raises
    ------
    ValueError
        If an id is not in the review file, or its candidate cannot be accepted
        as a row (a place or actor already listed; a statement's date).
    """
    by_id = {row["candidate_id"]: row for row in review}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise ValueError(
            f"no candidate {', '.join(map(repr, unknown))} in the review file "
            f"(it has {', '.join(by_id) or 'none'})"
        )
    glossary = glossary.set_index("term_id")
    published = dict(sources[["source_id", "published"]].itertuples(index=False))
    out: dict[str, list[dict]] = {}
    for candidate_id in ids:
        c = {k: _unneutralise(v or "") for k, v in by_id[candidate_id].items()}
        kind, source_id = c["kind"], c["source_id"]
        if kind not in ACCEPT_TABLES:
            entity = c.get(f"{kind}_id", "")
            article = "an" if kind == "actor" else "a"
            raise ValueError(
                f"{candidate_id} is {article} {kind} already in the dataset "
                f"({entity}): cite it by its {kind}_id; there is no row to add"
            )
        if c["target_table"] == "claims (claim_date)":
            raise ValueError(
                f"{candidate_id} ({c['matched']!r}) dates a statement: put it in "
                "the claim_date of the claim it dates, not in a table of its own"
            )
        table, key = ACCEPT_TABLES[kind]
        row = {
            key: f"{source_id}-{candidate_id}",
            "origin": "article",
            "source_id": source_id,
            "passage": c["passage"],
        }
        if kind == "number":
            row |= {
                "claim_kind": "quantitative",
                "unit": c["unit"],
                "value_as_worded": c["matched"],
                "bound": c["bound"],
                "value_low": _number_text(c["value_low"]),
                "value_best": _number_text(c["value_best"]),
                "value_high": _number_text(c["value_high"]),
                "claim_date": c.get("claim_date") or str(published.get(source_id, ""))[:10],
                "claim_date_prec": c.get("claim_date_prec") or "day",
                "event_id": c["event_id"],
                "caveat": c["note"],
            }
        elif kind == "date":
            row |= {
                "event_id": c["event_id"],
                "wording": c["passage"],
                "reported_date_start": c["date_start"],
                "reported_date_end": c["date_end"],
                "reported_date_prec": c["date_prec"],
                "date_basis": c["date_basis"],
            }
        elif kind == "quote":
            row |= {
                "speaker_id": c["speaker_id"],
                "text": c["quote_text"],
                "event_id": c["event_id"],
                "note": c["note"],
            }
        else:  # a glossary term: its reading is the glossary's, for this source's passage
            known = glossary.loc[c["term_id"]]
            row |= {
                "term": c["matched"],
                "category": known["category"],
                "whose_framing": known["whose_framing"]
                if isinstance(known["whose_framing"], str)
                else "",
                "neutral_alternative": known["neutral_alternative"],
                "explanation": known["explanation"],
                "passage": c["matched"],
            }
        out.setdefault(table, []).append(row)
    return out


def append_to_tables(data_dir: Path, rows: dict[str, list[dict]]) -> None:
    """Append rows to ``<data_dir>/<table>.csv`` (columns in the file's order).

    Refuses, before writing anything, an id that the table already has.
    """
    import csv

    plans = []
    for table, new in rows.items():
        path = Path(data_dir) / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            records = list(csv.reader(handle))
        header, existing = records[0], {r[0] for r in records[1:] if r}
        clash = [r[header[0]] for r in new if r[header[0]] in existing]
        if clash:
            raise ValueError(
                f"{path.name} already has {', '.join(map(repr, clash))}: "
                "accepted before? Edit that row instead"
            )
        plans.append((path, header, new))
    for path, header, new in plans:
        raw = path.read_bytes()
        with path.open("a", encoding="utf-8", newline="") as handle:
            if raw and not raw.endswith(b"\n"):
                handle.write("\n")
            writer = csv.DictWriter(
                handle, fieldnames=header, lineterminator="\n", extrasaction="ignore"
            )
            writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in new)


def accept_main(argv: list[str]) -> int:
    """``python -m helpers.sources accept <review-file> --ids c003 c010 [--data DIR]``."""
    import csv

    parser = argparse.ArgumentParser(
        prog="python -m helpers.sources accept",
        description="Append chosen candidates of a review file to the data tables, with "
        "source, passage and parsed values filled in; then say which cells still need you.",
    )
    parser.add_argument("review_file", type=Path)
    parser.add_argument("--ids", nargs="+", required=True, metavar="CANDIDATE_ID")
    parser.add_argument(
        "--data", type=Path, default=None, help="data folder (default: $KIT_DATA_DIR or data/)"
    )
    args = parser.parse_args(argv)

    from ..data.dataset import load
    from ..errors import DataError

    data_dir = args.data or paths.data_dir()
    if not args.review_file.is_file():
        print(
            f"error: no review file {args.review_file}; write one with "
            "`python -m helpers.sources <source_id>`",
            file=sys.stderr,
        )
        return 2
    with args.review_file.open(encoding="utf-8", newline="") as handle:
        review = list(csv.DictReader(handle))
    import pandas as pd

    try:
        # Read without validating: rows accepted earlier may still wait for the
        # researcher's judgement, and that must not block accepting more.
        tables = {
            name: pd.read_csv(data_dir / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in ("sources", "glossary")
        }
        rows = accepted_rows(review, args.ids, tables["sources"], tables["glossary"])
        append_to_tables(data_dir, rows)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    added = "; ".join(
        f"{t}.csv: {', '.join(r[next(iter(r))] for r in new)}" for t, new in rows.items()
    )
    print(f"appended {added}")
    try:
        load(data_dir)
    except DataError as exc:
        print(f"Now fill in what only you can judge (then run helpers.load() again):\n{exc}")
    else:
        print("The data loads: every accepted row is complete.")
    return 0


def check_main(argv: list[str]) -> int:
    """``python -m helpers.sources check [--data DIR]``: validate, and flag duplicate events."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.sources check",
        description="Load and validate the data (as helpers.load() does) and list events "
        "that may have been entered twice.",
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="data folder (default: $KIT_DATA_DIR or data/)"
    )
    args = parser.parse_args(argv)

    from ..data.dataset import load
    from ..errors import DataError

    data_dir = args.data or paths.data_dir()
    try:
        ds = load(data_dir)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts = ", ".join(
        f"{len(getattr(ds, t))} {t}"
        for t in ("sources", "events", "event_reports", "claims", "quotes")
    )
    print(f"{data_dir}: the data loads ({counts}).")
    twins = duplicate_events(ds)
    for row in twins.itertuples(index=False):
        print(
            f"warning: events {row.event_id!r} and {row.possible_duplicate_of!r} may be one "
            f"event entered twice ({row.why}); attach the second source's report to one of "
            "them in event_reports.csv"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m helpers.sources <source_id> [--data DIR] [--out PATH]``.

    ``python -m helpers.sources accept <review-file> --ids ...`` appends chosen
    candidates to the tables (see :func:`accept_main`); ``python -m helpers.sources
    check`` validates the data and flags duplicate events (see :func:`check_main`).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["accept"]:
        return accept_main(argv[1:])
    if argv[:1] == ["check"]:
        return check_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m helpers.sources",
        description="Write a review file of candidate rows (numbers, dates, quotations, "
        "places, actors, glossary terms) for a source already listed in sources.csv.",
    )
    parser.add_argument("source_id", help="the source's id in sources.csv")
    parser.add_argument(
        "--data", type=Path, default=None, help="data folder (default: $KIT_DATA_DIR or data/)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="review file (default: review/<source_id>-suggestions.csv beside the data folder)",
    )
    args = parser.parse_args(argv)

    from ..data.dataset import load
    from ..data.export import write_csv
    from ..errors import DataError

    data_dir = args.data or paths.data_dir()
    try:
        ds = load(data_dir)
    except DataError as exc:
        print(
            f"error: the data in {data_dir} does not load, so nothing can be suggested yet:\n{exc}",
            file=sys.stderr,
        )
        return 2
    known = list(ds.sources["source_id"])
    if args.source_id not in known:
        print(
            f"error: no source {args.source_id!r} in {data_dir / 'sources.csv'}; known: "
            f"{', '.join(known) or 'none'}. Add the text to {data_dir / 'sources'}/ and a "
            "row to sources.csv first.",
            file=sys.stderr,
        )
        return 2
    review = suggest(ds, args.source_id)
    out = args.out or default_out(data_dir, args.source_id)
    write_csv(review, out)
    counts = review["kind"].value_counts()
    summary = ", ".join(f"{counts[k]} {k}" for k in counts.index)
    matched = int(review["event_id"].notna().sum())
    print(
        f"wrote {len(review)} candidates ({summary}) to {out}; {matched} point to an existing "
        "event (see event_id, event_match)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
