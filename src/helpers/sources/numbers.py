"""Figures in a source's text: digits in any common grouping, number words, bounds, units.

Digits are read by the conventions of the text's language (:mod:`.digits`), taken
from babel's CLDR data (which mark groups thousands, which marks decimals): ``3 330``
with any space, ``4.000`` in German, ``2,5`` with a decimal comma. A mark that could mean either in
that language (English ``2.783``: a decimal point, or a thousands dot as a
translated text may keep it) is never decided silently: the candidate carries both
readings and no value, for the researcher to choose. Multipliers after a figure
(``2,5 Tausend``, ``более 2 тыс.``, ``1,5 million``) scale it; approximate nouns
(``une centaine``, ``сотни``, ``Hunderte``) are read as what they can mean.
Number words are read by ``text2num`` (English, French, German, Spanish,
Portuguese, Italian, Dutch) and ``number-parser`` (Russian, Ukrainian, Hindi).
English keeps the kit's own reader of ranges and durations ("between 2,000 and
3,000", "six-week-long"). A run of digits that cannot be read is returned as an
``unread`` candidate, so the review file says plainly what it saw.

>>> [(c.matched, c.value_best, c.bound, c.unit)
...  for c in find_numbers("nearly 300 settlements and over 48,000 people")]
... # doctest: +NORMALIZE_WHITESPACE
[('nearly 300', 300.0, 'approximately', 'settlements'),
 ('over 48,000', 48000.0, 'more_than', 'people')]
>>> [(c.matched, c.value_best, c.bound) for c in find_numbers("более 3 330 военных", language="ru")]
[('более 3 330', 3330.0, 'more_than')]
>>> [(c.matched, c.value_best) for c in find_numbers("quatre mille soldats", language="fr")]
[('quatre mille', 4000.0)]
>>> [(c.matched, c.value_best, c.unit) for c in find_numbers("более 2 тыс. военных", language="ru")]
[('более 2 тыс.', 2000.0, 'военных')]
>>> [(c.value_best, c.readings) for c in find_numbers("some 2.783 soldiers")]
[(None, '2783 (the . groups thousands) or 2.783 (the . is the decimal mark)')]
"""

from __future__ import annotations

import difflib
import re

from ..data.wording import BOUND_OF_WORDS, JUST_UNDER, STRICT_WORDS, bound_before
from .candidates import Candidate, Kind, Target, overlaps
from .digits import DIGIT_RUN, digit_readings, multiplier_after, read_digits

#: Nouns that give an approximate number, by language: pattern -> (value, at_least).
#: ``at_least`` marks a plural ('des centaines': two hundred or more, nothing above);
#: otherwise the noun is about its value ('une centaine': about a hundred).
APPROXIMATE_NOUNS: dict[str, dict[str, tuple[float, bool]]] = {
    "fr": {
        r"\b(?:une|la)\s+dizaine": (10, False),
        r"\b(?:une|la)\s+quinzaine": (15, False),
        r"\b(?:une|la)\s+vingtaine": (20, False),
        r"\b(?:une|la)\s+trentaine": (30, False),
        r"\b(?:une|la)\s+cinquantaine": (50, False),
        r"\b(?:une|la)\s+centaine": (100, False),
        r"\bun\s+millier": (1000, False),
        r"\b(?:des|plusieurs)\s+dizaines\s+de\s+milliers": (20000, True),
        r"\b(?:des|plusieurs)\s+dizaines": (20, True),
        r"\b(?:des|plusieurs)\s+centaines": (200, True),
        r"\b(?:des|plusieurs)\s+milliers": (2000, True),
    },
    "de": {
        r"\bein\s+Dutzend": (12, False),
        r"\bDutzende": (24, True),
        r"\bZehntausende": (20000, True),
        r"\b(?:mehrere|einige)\s+(?:hundert|Hundert)": (200, True),
        r"\b(?:mehrere|einige)\s+(?:tausend|Tausend)": (2000, True),
        r"\bHunderte": (200, True),
        r"\bTausende": (2000, True),
    },
    "ru": {
        r"\bдесятки\s+тысяч": (20000, True),
        r"\bнесколько\s+тысяч": (2000, True),
        r"\bнесколько\s+сотен": (200, True),
        r"\bдесятки": (20, True),
        r"\bдесятков": (20, True),
        r"\bсотни": (200, True),
        r"\bсотен": (200, True),
        r"\bсотня": (100, False),
        r"\bдесяток": (10, False),
        r"\bполторы\s+тысячи": (1500, False),
    },
}


def _approximate_nouns(text: str, taken, language: str) -> list[Candidate]:
    found = []
    for pattern, (number, many) in APPROXIMATE_NOUNS.get(language, {}).items():
        for m in re.finditer(rf"{pattern}(?!\w)", text, re.IGNORECASE):
            start, end = m.span()
            words, bound = _bound_before(text[:start], language)
            plural, value = many, number
            if plural and m.group(0).casefold().startswith("сотни") and words:
                plural, value = False, 100  # 'около сотни': 'about a hundred' (genitive)
            if words:
                start -= len(words) + (len(text[:start]) - len(text[:start].rstrip()))
            if not taken.keep((start, end)):
                continue
            if plural:
                low, best, high, bound = float(value), None, None, "at_least"
                note = f"'{m.group(0)}' gives no number: value_low is the smallest it can mean"
            else:
                bound = bound if words else "approximately"
                low, best, high = _bounded(float(value), bound, words)
                note = f"'{m.group(0)}': about {value:g}, a rounded figure"
            unit = _next_word(text, end, skip=("de", "d", "d'", "d’"))
            found.append(
                _figure(text[start:end], (start, end), low, best, high, bound, unit, note, language)
            )
    return found


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
#: A number as written: digits (with thousands separators and a scale word) or words.
NUMBER_RE = rf"(?:(?:{_DIGITS_RE}){_SCALE_RE}|{_WORDS_RE})"
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
        # Pronouns after 'of' stand for a noun said before ('2,000 of them'), not a unit.
        "them",
        "us",
        "these",
        "those",
        "whom",
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
    """The counted noun after a number: '2,802 of its soldiers' -> 'soldiers'.

    >>> _unit_after("2,802 of its soldiers were killed", 5)
    'soldiers'
    >>> _unit_after("2,000 of them were killed", 5)
    ''
    """
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
    bare = words.casefold()
    for each in DISTRIBUTIVE.values():  # 'почти по': the bound word is 'почти'
        bare = bare.removesuffix(" " + each)
    high = value if bound == "up_to" or bare in JUST_UNDER else None
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
        rf"\b(?:between|from)\s+({NUMBER_RE})\s+(?:and|to)\s+({NUMBER_RE})\b", text, re.IGNORECASE
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
    pattern = rf"\b({NUMBER_RE})-({units})(?:s)?(?:-(?:long|old))?\b"
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
    pattern = rf"(?:\b({_BOUND_RE})\s+)?(?<![\w.,-])({NUMBER_RE})(?![\w-]|,\d|\.\d|:\d)"
    for m in re.finditer(pattern, text, re.IGNORECASE):
        number, words = m.group(2), (m.group(1) or "")
        if overlaps(m.span(), taken.spans):
            continue
        digits = re.match(_DIGITS_RE, number)
        readings = digit_readings(digits.group(0), "en") if digits else []
        if len(readings) > 1:
            taken.keep(m.span())
            factor = _SCALES.get(number[digits.end() :].strip().lower(), 1)
            c = _ambiguous(text, m.span(), readings, "en", factor)
            c.bound = BOUND_OF_WORDS["en"].get(words.lower(), "exact")
            c.unit = _unit_after(text, m.end())
            found.append(c)
            continue
        value = parse_number(number)
        if value is None:
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


def _next_word(text: str, end: int, skip: tuple[str, ...] = ()) -> str:
    """The word after ``end``, past any of ``skip`` ('une centaine de disparus')."""
    rest, space = text[end : end + 60], r"\s+"
    while match := re.match(space + r"([^\W\d_][\w-]*['’]?)", rest):
        word = match.group(1)
        if word.casefold() not in skip:
            return word.rstrip("'’")
        rest, space = rest[match.end() :], r"\s*"  # 'd'autres': no space after an elision
    return ""


#: Phrases that end in a bound word without bounding the figure ('en plus de 50 civils':
#: 'as well as 50 civilians', not 'more than 50').
NOT_A_BOUND: dict[str, tuple[str, ...]] = {"fr": ("en plus de",), "de": ("darüber hinaus",)}


#: A word between a bound and its figure that shares the figure out ('примерно по две
#: тысячи': about two thousand each); the bound still holds.
DISTRIBUTIVE: dict[str, str] = {"ru": "по"}


def _bound_before(text: str, language: str) -> tuple[str, str]:
    """:func:`bound_before`, except phrases of :data:`NOT_A_BOUND`, and past a word
    of :data:`DISTRIBUTIVE`.

    >>> _bound_before("tués, en plus de ", "fr"), _bound_before("tués, plus de ", "fr")
    (('', 'exact'), ('plus de', 'more_than'))
    >>> _bound_before("потеряли примерно по ", "ru")
    ('примерно по', 'approximately')
    """
    tail = text.rstrip().casefold()
    if any(tail.endswith(p) for p in NOT_A_BOUND.get(language, ())):
        return "", "exact"
    each = DISTRIBUTIVE.get(language)
    if each and re.search(rf"(?:^|\W){each}$", tail):
        inner = text.rstrip()[: -len(each)]
        words, bound = bound_before(inner, language)
        if words:
            return text.rstrip()[len(inner.rstrip()) - len(words) :], bound
    return bound_before(text, language)


def _ambiguous(text, span, readings, language, factor=1.0) -> Candidate:
    shown = " or ".join(f"{v * factor:g} ({how})" for v, how in readings)
    c = _figure(text[span[0] : span[1]], span, None, None, None, "", "", "", language)
    c.readings = shown
    c.add_note(
        f"ambiguous in '{language}': {shown}; read the passage and put the right value "
        "in value_best (or value_low/value_high) and the bound"
    )
    return c


def _digit_figures(text: str, taken: _Taken, language: str) -> list[Candidate]:
    """Runs of digits: read, scaled by a multiplier word, bounded by the words before."""
    found = []
    for m in DIGIT_RUN.finditer(text):
        start, end = m.span()
        if overlaps((start, end), taken.spans):
            continue
        readings = digit_readings(m.group(0), language)
        end, factor = multiplier_after(text, end, language)
        if not readings:
            taken.keep((start, end))
            found.append(_unread(text, start, end, language))
            continue
        words, bound = _bound_before(text[:start], language)
        if words:
            start -= len(words) + (len(text[:start]) - len(text[:start].rstrip()))
        if not taken.keep((start, end)):
            continue
        if len(readings) > 1:
            c = _ambiguous(text, (start, end), readings, language, factor)
            c.bound, c.unit = bound, _next_word(text, end)
            found.append(c)
            continue
        value, how = readings[0]
        c = _read_figure(text, (start, end), value * factor, words, bound, language)
        if how != "plain digits" or factor != 1:
            scaled = f", times {factor:g} ({text[m.end() : end].strip()})" if factor != 1 else ""
            c.add_note(f"read as {value * factor:g}: {how}{scaled}")
        found.append(c)
    return found


#: Words between a figure and what it counts ('2 783 своих бойцов': its own fighters).
_BEFORE_NOUN = ("своих", "своего", "своей", "их", "его", "её", "ses", "leurs", "seiner", "ihrer")


def _read_figure(text, span, value, words, bound, language) -> Candidate:
    note = "strictly below the figure" if words.casefold() in STRICT_WORDS else ""
    unit = _next_word(text, span[1], skip=_BEFORE_NOUN)
    note = (note + "; " if note else "") + (
        f"unit: the next word ({unit!r}), check it" if unit else "no unit next to the figure"
    )
    low, best, high = _bounded(value, bound, words)
    return _figure(text[span[0] : span[1]], span, low, best, high, bound, unit, note, language)


def _foreign(text: str, taken: _Taken, language: str) -> list[Candidate]:
    found = _approximate_nouns(text, taken, language)
    found += _digit_figures(text, taken, language)
    for start, end, value in word_numbers(text, language):
        if overlaps((start, end), taken.spans):
            continue
        end, factor = multiplier_after(text, end, language)
        words, bound = _bound_before(text[:start], language)
        if words:
            start -= len(words) + (len(text[:start]) - len(text[:start].rstrip()))
        if taken.keep((start, end)):
            found.append(_read_figure(text, (start, end), value * factor, words, bound, language))
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
