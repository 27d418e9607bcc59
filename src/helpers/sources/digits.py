"""Digits as a language prints them: which marks group thousands, which mark decimals.

The conventions come from babel's CLDR data: ``3 330`` with any space, ``4.000`` in
German, ``2,5`` with a decimal comma. A mark that could mean either in a language
(English ``2.783``: a decimal point, or a thousands dot a translated text may keep)
gives two readings (:func:`digit_readings`), for a person to choose between. A
multiplier word after the digits (``2,5 Tausend``, ``2 тыс.``) scales them
(:func:`multiplier_after`).
"""

from __future__ import annotations

import re

#: Characters that group thousands: space, no-break space, narrow no-break space,
#: thin space, dot, comma. A group after one is exactly three digits.
_GROUP_CHARS = " \u00a0\u202f\u2009.,"
_SPACES = " \u00a0\u202f\u2009"
#: A run of digits as printed: grouped thousands and an optional decimal part.
DIGIT_RUN = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f\u2009.,]\d{3})+(?:[.,]\d+)?(?![\w])"
    r"|(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])"
)


def marks(language: str) -> tuple[str, str]:
    """The thousands and decimal marks of ``language`` (babel's CLDR data); spaces aside.

    >>> marks("en"), marks("de"), marks("fr"), marks("ru")
    ((',', '.'), ('.', ','), (' ', ','), (' ', ','))
    """
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        locale = Locale.parse(language or "en")
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    group = get_group_symbol(locale=locale)
    return (" " if group in _SPACES else group), get_decimal_symbol(locale=locale)


def _grouped(parts: list[str]) -> bool:
    """Whether digit groups split at thousands marks are well formed (1-3, then 3s)."""
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def digit_readings(text: str, language: str = "en") -> list[tuple[float, str]]:
    """Every value the digits can have in ``language``, each with how it was read.

    One reading: the value is certain. Two: the mark could group thousands or mark
    decimals, and only a person can say which. None: the digits cannot be read.

    >>> digit_readings("2.783", "fr"), digit_readings("2.783", "de")
    ([(2783.0, 'the . groups thousands')], [(2783.0, 'the . groups thousands')])
    >>> digit_readings("2.783", "en")
    [(2783.0, 'the . groups thousands'), (2.783, 'the . is the decimal mark')]
    >>> digit_readings("2,5", "de"), digit_readings("2,5", "en"), digit_readings("1.234,5", "en")
    ([(2.5, 'the , is the decimal mark')], [], [(1234.5, 'the , is the decimal mark')])
    """
    group, decimal = marks(language)
    run = "".join(" " if ch in _SPACES else ch for ch in text.strip())
    found = sorted({ch for ch in run if ch in ".,"})
    if not found:
        parts = run.split(" ")
        ok = len(parts) == 1 or _grouped(parts)
        return [(float("".join(parts)), "plain digits")] if ok else []
    if len(found) == 2:  # both marks: the last one is the decimal mark
        point = run[max(run.rindex("."), run.rindex(","))]
        other = "," if point == "." else "."
        whole, _, tail = run.rpartition(point)
        parts = whole.replace(other, " ").split(" ")
        if not _grouped(parts) or point in whole:
            return []
        return [(float("".join(parts) + "." + tail), f"the {point} is the decimal mark")]
    (mark,) = found
    whole = run.split(mark)
    spaced = whole[0].split(" ")
    as_groups = (" ".join(whole)).split(" ")
    group_reading = (float("".join(as_groups)), f"the {mark} groups thousands")
    if len(whole) > 2:  # '1.234.567': only thousands
        return [group_reading] if _grouped(as_groups) else []
    head, tail = whole
    decimal_reading = (float("".join(spaced) + "." + tail), f"the {mark} is the decimal mark")
    can_group = _grouped(as_groups) and len(spaced) == 1
    if not _grouped(spaced):
        return []
    if mark == group:
        return [group_reading] if can_group else []
    if mark == decimal and can_group:
        return [group_reading, decimal_reading]
    if mark == decimal or not can_group:
        return [decimal_reading]
    return [group_reading]  # a mark the language does not use, before three digits


def read_digits(text: str, language: str = "en") -> float | None:
    """The value of digits as written in ``language``, or ``None`` if unsure or unread.

    >>> read_digits("3 330", "fr"), read_digits("3\\u202f330", "ru"), read_digits("4.000", "de")
    (3330.0, 3330.0, 4000.0)
    >>> read_digits("2,5", "de"), read_digits("2,841", "en"), read_digits("2823", "ru")
    (2.5, 2841.0, 2823.0)
    >>> read_digits("3,5", "en") is None, read_digits("4.000", "en") is None
    (True, True)
    """
    readings = digit_readings(text, language)
    return readings[0][0] if len(readings) == 1 else None


#: Words after a figure that multiply it, by language (matched whole, ignoring case).
MULTIPLIERS: dict[str, dict[str, float]] = {
    "en": {"thousand": 1e3, "million": 1e6, "billion": 1e9},
    "fr": {
        "mille": 1e3,
        "milliers": 1e3,
        "million": 1e6,
        "millions": 1e6,
        "milliard": 1e9,
        "milliards": 1e9,
    },
    "de": {
        "tausend": 1e3,
        "million": 1e6,
        "millionen": 1e6,
        "mio.": 1e6,
        "milliarde": 1e9,
        "milliarden": 1e9,
        "mrd.": 1e9,
    },
    "ru": {
        "тыс.": 1e3,
        "тыс": 1e3,
        "тысяча": 1e3,
        "тысячи": 1e3,
        "тысяч": 1e3,
        "тысячу": 1e3,
        "млн": 1e6,
        "миллион": 1e6,
        "миллиона": 1e6,
        "миллионов": 1e6,
        "млрд": 1e9,
    },
    "uk": {"тис.": 1e3, "тисяч": 1e3, "тисячі": 1e3, "млн": 1e6, "мільйонів": 1e6},
}


def multiplier_after(text: str, end: int, language: str) -> tuple[int, float]:
    """``(new end, factor)`` when a multiplier word follows the figure ending at ``end``.

    >>> text = "rund 2,5 Tausend Soldaten"
    >>> multiplier_after(text, 8, "de")
    (16, 1000.0)
    >>> multiplier_after("2 тыс. человек", 1, "ru")
    (6, 1000.0)
    """
    words = MULTIPLIERS.get(language, {})
    if not words:
        return end, 1.0
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    match = re.match(rf"[ \u00a0\u202f\u2009]*({alternatives})(?!\w)", text[end:], re.I)
    if not match:
        return end, 1.0
    return end + match.end(), words[match.group(1).casefold()]
