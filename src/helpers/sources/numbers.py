"""Figures in a source's text: digits in any common grouping, number words, bounds, units.

Digits are read by locale with babel (``3 330``, ``3 330`` with a narrow no-break
space, ``4.000`` in German, ``2,5`` with a decimal comma); number words by
``text2num`` (English, French, German, Spanish, Portuguese, Italian, Dutch) and
``number-parser`` (Russian, Ukrainian, Hindi). English keeps the kit's own reader
of bound words, ranges and durations ("between 2,000 and 3,000", "six-week-long").
A run of digits that no locale reads is returned as an ``unread`` candidate, so the
review file says plainly what it saw but could not parse.

>>> [(c.matched, c.value_best, c.bound, c.unit)
...  for c in find_numbers("nearly 300 settlements and over 48,000 people")]
... # doctest: +NORMALIZE_WHITESPACE
[('nearly 300', 300.0, 'approximately', 'settlements'),
 ('over 48,000', 48000.0, 'more_than', 'people')]
>>> [(c.matched, c.value_best, c.bound) for c in find_numbers("более 3 330 военных", language="ru")]
[('более 3 330', 3330.0, 'more_than')]
>>> [(c.matched, c.value_best) for c in find_numbers("quatre mille soldats", language="fr")]
[('quatre mille', 4000.0)]
"""

from __future__ import annotations

import difflib
import re

from ..data.wording import BOUND_OF_WORDS, JUST_UNDER, STRICT_WORDS, bound_before
from .candidates import Candidate, Kind, Target, overlaps

# ----------------------------------------------------------------------- reading digits

#: Characters that group thousands: space, no-break space, narrow no-break space,
#: thin space, dot, comma. A group after one is exactly three digits.
_GROUP_CHARS = " \u00a0\u202f\u2009.,"
_SPACES = " \u00a0\u202f\u2009"
#: A run of digits as printed: grouped thousands and an optional decimal part.
DIGIT_RUN = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f\u2009.,]\d{3})+(?:[.,]\d+)?(?![\w])"
    r"|(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])"
)


def read_digits(text: str, language: str = "en") -> float | None:
    """The value of digits as written in ``language``, or ``None`` if it cannot say.

    Spaces of any width always group thousands; dots and commas mean what the
    language's locale says (babel's CLDR data).

    >>> read_digits("3 330", "fr"), read_digits("3\\u202f330", "ru"), read_digits("4.000", "de")
    (3330.0, 3330.0, 4000.0)
    >>> read_digits("2,5", "de"), read_digits("2,841", "en"), read_digits("2823", "ru")
    (2.5, 2841.0, 2823.0)
    >>> read_digits("3,5", "en") is None  # a decimal comma in English: not read
    True
    """
    from babel import Locale, UnknownLocaleError
    from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal

    try:
        locale = Locale.parse(language or "en")
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    group = get_group_symbol(locale=locale)
    normalised = "".join(group if ch in _SPACES else ch for ch in text.strip())
    try:
        return float(parse_decimal(normalised, locale=locale, strict=True))
    except NumberFormatError:
        return None


# ----------------------------------------------------------------------- English reader

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
_DIGITS_RE = r"\d{1,3}(?:[, \u00a0\u202f\u2009]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_RE = r"(?:\s+(?:million|billion|thousand))?"
_NUM_RE = rf"(?:(?:{_DIGITS_RE}){_SCALE_RE}|{_WORDS_RE})"
_BOUND_RE = "|".join(re.escape(w) for w in sorted(BOUND_OF_WORDS["en"], key=len, reverse=True))
_TIME_RE = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{4}\s*(?:GMT|UTC)\b|\b\d{1,2}(?::\d{2})?\s*[ap]\.?m\b\.?",
    re.IGNORECASE,
)
_DURATION_UNITS = ("second", "minute", "hour", "day", "week", "month", "year", "decade")
_STOP_UNITS = frozenset(
    [
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
    ]
)


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
        value = read_digits(match.group(1), "en")
        if value is None:
            return None
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
    match = re.match(
        r"\s+(?:of\s+(?:its|their|the|his|her|our)\s+|of\s+)?"
        r"(?:(?:[A-Z][\w-]*|more|other|additional|new)\s+){0,2}([a-z][a-z-]*)",
        text[end : end + 80],
    )
    if not match or match.group(1) in _STOP_UNITS:
        return ""
    return match.group(1)


def _figure(matched, span, low, best, high, bound, unit, note="", language="en") -> Candidate:
    return Candidate(
        Kind.NUMBER,
        Target.CLAIMS,
        span[0],
        span[1],
        matched,
        language=language,
        value_low=low,
        value_best=best,
        value_high=high,
        bound=bound,
        unit=unit,
        note=note,
    )


def _bounded(value: float, bound: str, words: str) -> tuple[float | None, float, float | None]:
    """(low, best, high) for a figure introduced by bound ``words``."""
    low = value if bound in ("at_least", "more_than") else None
    high = value if bound == "up_to" or words.casefold() in JUST_UNDER else None
    return low, value, high


class _Taken:
    """Spans already read, so one stretch of text yields one figure."""

    def __init__(self, spans):
        self.spans = list(spans)

    def keep(self, span) -> bool:
        if overlaps(span, self.spans):
            return False
        self.spans.append(span)
        return True


def _english_ranges(text: str, taken: _Taken) -> list[Candidate]:
    found = []
    for m in re.finditer(
        rf"\b(?:between|from)\s+({_NUM_RE})\s+(?:and|to)\s+({_NUM_RE})\b", text, re.IGNORECASE
    ):
        low, high = parse_number(m.group(1)), parse_number(m.group(2))
        if low is None or high is None or not taken.keep(m.span()):
            continue
        found.append(
            _figure(m.group(0), m.span(), low, None, high, "range", _unit_after(text, m.end()))
        )
    return found


def _english_durations(text: str, taken: _Taken) -> list[Candidate]:
    units = "|".join(_DURATION_UNITS)
    found = []
    pattern = rf"\b({_NUM_RE})-({units})(?:s)?(?:-(?:long|old))?\b"
    for m in re.finditer(pattern, text, re.IGNORECASE):
        value = parse_number(m.group(1))
        if value is None or not taken.keep(m.span()):
            continue
        unit = m.group(2).lower() + "s"
        found.append(
            _figure(
                m.group(0), m.span(), None, value, None, "exact", unit, "a duration, not a date"
            )
        )
    return found


def _english_vague(text: str, taken: _Taken) -> list[Candidate]:
    found = []
    pattern = r"\b(tens of thousands|dozens|scores|hundreds|thousands|millions)\s+of\b"
    for m in re.finditer(pattern, text, re.IGNORECASE):
        if not taken.keep(m.span()):
            continue
        word = m.group(1).lower()
        low = 20_000.0 if word == "tens of thousands" else float(_VAGUE[word])
        note = f"'{word}' gives no number: value_low is the smallest it can mean"
        unit = _unit_after(text, m.end())
        found.append(_figure(m.group(0), m.span(), low, None, None, "at_least", unit, note))
    return found


def _english_plain(text: str, taken: _Taken) -> list[Candidate]:
    found = []
    pattern = rf"(?:\b({_BOUND_RE})\s+)?(?<![\w.,-])({_NUM_RE})(?![\w-]|,\d|\.\d|:\d)"
    for m in re.finditer(pattern, text, re.IGNORECASE):
        number, words = m.group(2), (m.group(1) or "")
        value = parse_number(number)
        if value is None or overlaps(m.span(), taken.spans):
            continue
        if number.lower() == "one" and not words:
            continue  # 'one of', 'no one': rarely a figure on its own
        taken.keep(m.span())
        bound = BOUND_OF_WORDS["en"].get(words.lower(), "exact")
        note = "strictly below the figure" if words.lower() in STRICT_WORDS else ""
        unit = _unit_after(text, m.end())
        if not unit:
            note = (note + "; " if note else "") + "no unit next to the figure: read the sentence"
        found.append(
            _figure(m.group(0), m.span(), *_bounded(value, bound, words), bound, unit, note)
        )
    return found


# --------------------------------------------------------------------- other languages

#: Languages each number-word library reads.
TEXT2NUM_LANGUAGES = frozenset({"en", "fr", "de", "es", "pt", "it", "nl"})
NUMBER_PARSER_LANGUAGES = frozenset({"ru", "uk", "hi"})


def _convert_words(text: str, language: str) -> str | None:
    """``text`` with number words turned into digits by a library, or ``None``."""
    if language in TEXT2NUM_LANGUAGES:
        from text_to_num import alpha2digit

        return alpha2digit(text, language)
    if language in NUMBER_PARSER_LANGUAGES:
        from number_parser import parse

        return parse(text, language=language)
    return None


def word_numbers(text: str, language: str) -> list[tuple[int, int, float]]:
    """``(start, end, value)`` of every number written in words, found by a library.

    The library rewrites the text with digits; aligning its words with the
    original's gives back where each number was.

    >>> text = "около двух тысяч военных и три человека"
    >>> [(text[a:b], v) for a, b, v in word_numbers(text, "ru")]
    [('двух тысяч', 2000.0), ('три', 3.0)]
    >>> text = "zweitausendachthundert Soldaten"
    >>> [(text[a:b], v) for a, b, v in word_numbers(text, "de")]
    [('zweitausendachthundert', 2800.0)]
    """
    converted = _convert_words(text, language)
    if converted is None or converted == text:
        return []
    words = list(re.finditer(r"\S+", text))
    new = converted.split()
    found = []
    matcher = difflib.SequenceMatcher(None, [w.group(0) for w in words], new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or j2 - j1 != 1:
            continue
        digits = new[j1].strip(".,;:!?()«»\"'")
        if not digits.isdigit():
            continue
        start, end = words[i1].start(), words[i2 - 1].end()
        while end > start and not text[end - 1].isalnum():
            end -= 1  # leave punctuation after the last word out
        while start < end and not text[start].isalnum():
            start += 1
        found.append((start, end, float(digits)))
    return found


def _next_word(text: str, end: int) -> str:
    match = re.match(r"\s+([^\W\d_][\w-]*)", text[end : end + 60])
    return match.group(1) if match else ""


def _foreign(text: str, taken: _Taken, language: str) -> list[Candidate]:
    found = []
    readings = [
        (m.start(), m.end(), read_digits(m.group(0), language)) for m in DIGIT_RUN.finditer(text)
    ]
    readings += word_numbers(text, language)
    for start, end, value in sorted(readings):
        if overlaps((start, end), taken.spans):
            continue
        if value is None:
            taken.keep((start, end))
            found.append(_unread(text, start, end, language))
            continue
        words, bound = bound_before(text[:start], language)
        if words:
            start -= len(words) + (len(text[:start]) - len(text[:start].rstrip()))
        if not taken.keep((start, end)):
            continue
        note = "strictly below the figure" if words.casefold() in STRICT_WORDS else ""
        unit = _next_word(text, end)
        note = (note + "; " if note else "") + (
            f"unit: the next word ({unit!r}), check it" if unit else "no unit next to the figure"
        )
        low, best, high = _bounded(value, bound, words)
        found.append(
            _figure(text[start:end], (start, end), low, best, high, bound, unit, note, language)
        )
    return found


def _unread(text: str, start: int, end: int, language: str) -> Candidate:
    return Candidate(
        Kind.UNREAD,
        Target.NONE,
        start,
        end,
        text[start:end],
        language=language,
        note=f"digits that do not read as a number in '{language}' (grouping or decimal mark "
        "unclear): read the passage and enter the figure yourself",
    )


def _english_unread(text: str, taken: _Taken) -> list[Candidate]:
    found = []
    for m in DIGIT_RUN.finditer(text):
        if not overlaps(m.span(), taken.spans) and read_digits(m.group(0), "en") is None:
            taken.keep(m.span())
            found.append(_unread(text, m.start(), m.end(), "en"))
    return found


def find_numbers(
    text: str, skip: list[tuple[int, int]] | None = None, language: str = "en"
) -> list[Candidate]:
    """Figures in ``text`` with bound and unit; spans in ``skip`` (dates) are ignored.

    Digits that could not be read come back as ``Kind.UNREAD`` candidates.

    >>> [(c.matched, c.value_low, c.value_high, c.bound)
    ...  for c in find_numbers("between 2,000 and 3,000 troops; up to 5,000.")]
    [('between 2,000 and 3,000', 2000.0, 3000.0, 'range'), ('up to 5,000', None, 5000.0, 'up_to')]
    >>> [(c.matched, c.value_best, c.unit) for c in find_numbers("the six-week-long war")]
    [('six-week-long', 6.0, 'weeks')]
    >>> find_numbers("talks ended at 2050 GMT, or 23:50 Moscow time")
    []
    >>> [(c.value_low, c.bound, c.unit) for c in find_numbers("dozens of villages")]
    [(24.0, 'at_least', 'villages')]
    >>> [(c.kind.value, c.matched) for c in find_numbers("some 3,5 people")]
    [('unread', '3,5')]
    """
    # Clock times ('2050 GMT', '00:00', '3 p.m.') are not figures.
    taken = _Taken([*(skip or []), *(m.span() for m in _TIME_RE.finditer(text))])
    if language == "en":
        # Ranges first, so their two ends are not also read as separate figures.
        found = _english_ranges(text, taken) + _english_durations(text, taken)
        found += _english_vague(text, taken) + _english_plain(text, taken)
        found += _english_unread(text, taken)
    else:
        found = _foreign(text, taken, language)
    return sorted(found, key=lambda c: c.start)
