"""How sources word things: bounds on figures, and names across spellings.

Two tables the kit reads in both directions live here once:

* :data:`BOUNDS`, for every ``bound`` a claim can have, the phrase a reader is
  shown and the words that introduce such a figure in each language. Parsing
  (:data:`BOUND_OF_WORDS`, words -> bound) and display (:data:`BOUND_PHRASES`,
  bound -> phrase) are both derived from it, so they cannot drift apart.
* :func:`fold`, the one way the kit compares names written with accents or in
  Azerbaijani Latin letters (``ə`` folds to ``a``: Kəlbəcər -> Kalbacar, as the
  English exonyms Kalbajar, Ganja, Barda spell it).

>>> BOUND_OF_WORDS["en"]["at least"], BOUND_PHRASES["at_least"]
('at_least', 'at least: a floor, nothing known above')
>>> BOUND_OF_WORDS["ru"]["более"], BOUND_OF_WORDS["fr"]["près de"]
('more_than', 'approximately')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bound:
    """One bound: what a reader is told, and the words that signal it, by language."""

    phrase: str
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def gloss(self) -> str:
        """The English words the kit puts before a figure to render this bound: the
        first of ``words["en"]`` (``""`` for a bound without words, as ``exact``).

        >>> BOUNDS["at_least"].gloss, BOUNDS["approximately"].gloss, BOUNDS["exact"].gloss
        ('at least', 'about', '')
        """
        return self.words.get("en", ("",))[0]


#: Every bound a claim can carry. Words are matched right before a figure,
#: longest first, ignoring case; the first English words are the bound's gloss.
BOUNDS: dict[str, Bound] = {
    # A figure given with no qualifier is not thereby exact: sources round (2,000
    # soldiers where the statement gives 1,960), so the reader is told only what was given.
    "exact": Bound("a single figure, no qualifier given (may be rounded)"),
    "at_least": Bound(
        "at least: a floor, nothing known above",
        {
            "en": ("at least", "no fewer than", "no less than"),
            "fr": ("au moins", "pas moins de"),
            "de": ("mindestens", "wenigstens", "nicht weniger als"),
            "ru": ("по меньшей мере", "как минимум", "не менее", "минимум"),
        },
    ),
    "more_than": Bound(
        "more than: a floor, nothing known above",
        {
            "en": ("more than", "over", "upwards of", "in excess of"),
            "fr": ("plus de", "au-delà de"),
            "de": ("mehr als", "über"),
            "ru": ("более", "больше", "свыше", "более чем"),
        },
    ),
    "up_to": Bound(
        "up to: a ceiling, nothing known below",
        {
            "en": ("up to", "as many as", "at most", "no more than"),
            "fr": ("jusqu'à", "jusqu’à", "au plus", "au maximum"),
            "de": ("bis zu", "höchstens", "maximal"),
            "ru": ("до", "не более", "максимум"),
        },
    ),
    # 'fewer than 100' is a ceiling that excludes the figure itself.
    "below": Bound(
        "up to: a ceiling, nothing known below",
        {
            "en": ("fewer than", "less than", "under"),
            "fr": ("moins de",),
            "de": ("weniger als", "unter"),
            "ru": ("менее", "меньше"),
        },
    ),
    "approximately": Bound(
        "approximately: a rounded figure",
        {
            "en": (
                "about",
                "nearly",
                "almost",
                "around",
                "approximately",
                "some",
                "roughly",
                "close to",
                "an estimated",
                "estimated",
                "just under",
                "just over",
            ),
            "fr": (
                "environ",
                "près de",
                "presque",
                "quelque",
                "quelques",
                "autour de",
                "s'approche de",
                "s'approche des",
                "s’approche de",
                "s’approche des",
            ),
            "de": ("etwa", "rund", "ungefähr", "fast", "knapp", "annähernd", "circa", "ca."),
            "ru": ("около", "почти", "примерно", "приблизительно", "порядка", "приближается к"),
        },
    ),
    "range": Bound("a range from low to high"),
}

#: Bound words that put the figure just under the stated value ("nearly 300":
#: the value is a ceiling as well as an approximation).
JUST_UNDER = frozenset(
    {"nearly", "almost", "just under", "presque", "fast", "knapp", "почти", "près de"}
    | {"приближается к", "s'approche de", "s'approche des", "s’approche de", "s’approche des"}
)


def _words_to_bound() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, bound in BOUNDS.items():
        stored = "up_to" if name == "below" else name  # the table's bound is 'up_to'
        for language, words in bound.words.items():
            for word in words:
                out.setdefault(language, {})[word] = stored
    return out


#: ``{language: {words: bound}}`` for parsing; derived from :data:`BOUNDS`.
BOUND_OF_WORDS: dict[str, dict[str, str]] = _words_to_bound()
#: ``{bound: phrase}`` for tables and chart keys; derived from :data:`BOUNDS`.
BOUND_PHRASES: dict[str, str] = {n: b.phrase for n, b in BOUNDS.items() if n != "below"}
#: Bound words after which the figure itself is excluded ("fewer than 100").
STRICT_WORDS: frozenset[str] = frozenset(w for ws in BOUNDS["below"].words.values() for w in ws)


def bound_before(text: str, language: str) -> tuple[str, str]:
    """The bound word(s) ending ``text`` (what precedes a figure), and the bound.

    >>> bound_before("погибли более ", "ru"), bound_before("il y a ", "fr")
    (('более', 'more_than'), ('', 'exact'))
    """
    table = BOUND_OF_WORDS.get(language, {})
    tail = text.rstrip().casefold()
    for words in sorted(table, key=len, reverse=True):
        if tail.endswith(words.casefold()):
            before = tail[: len(tail) - len(words)]
            if not before or not before[-1].isalnum():
                return text.rstrip()[len(before) :], table[words]
    return "", "exact"


#: English names of the languages the kit's sources are in, for marking a quotation's language.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "ru": "Russian",
    "hy": "Armenian",
    "az": "Azerbaijani",
    "tr": "Turkish",
}


def _number(value) -> str:
    """A figure in English grouping: ``4700.0`` -> ``'4,700'``, ``2.5`` -> ``'2.5'``."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _present(value) -> bool:
    return value is not None and value == value and str(value).strip() != ""


def english_reading(bound, low=None, best=None, high=None, translation=None) -> str:
    """The kit's English reading of a stored figure: bound words, then the number.

    The number is the one the dataset parsed (``value_best``, else ``value_low``, else
    ``value_high``), in English grouping, whatever the source's digits were. Where the
    kit's own translation puts an adverb before the bound ("far more than"), the
    reading keeps it, so it says no less than the translation does.

    >>> english_reading("more_than", 4700.0, 4700.0)
    'more than 4,700'
    >>> english_reading("more_than", 4700, 4700, translation="far more than 4,700 people")
    'far more than 4,700'
    >>> english_reading("exact", best=2000.0), english_reading("range", 10, None, 20)
    ('2,000', '10 to 20')
    """
    floats = [float(v) if _present(v) else None for v in (low, best, high)]
    low, best, high = floats
    if bound == "range" and low is not None and high is not None:
        return f"{_number(low)} to {_number(high)}"
    value = next((v for v in (best, low, high) if v is not None), None)
    if value is None:
        return ""
    gloss = BOUNDS[bound].gloss if bound in BOUNDS else ""
    words = f"{gloss} " if gloss else ""
    number = _number(value)
    if words and isinstance(translation, str):
        said = re.search(rf"(\w+ )?{re.escape(words)}{re.escape(number)}", translation)
        if said:
            words = said.group(0)[: -len(number)]
    return f"{words}{number}"


def figure_shown(
    value_as_worded, language, bound, low=None, best=None, high=None, translation=None
) -> str:
    """How the kit shows a source's figure to its reader: the one place a number becomes text.

    A figure from an English source is its own words, quoted. From any other language the
    kit's English reading comes first and the source's words stand beside it, verbatim and
    quoted, marked with their language: ``2.000`` is two thousand in German digits, and an
    English reader must not read it as two.

    >>> figure_shown("at least 2,802", "en", "at_least", 2802, 2802)
    '“at least 2,802”'
    >>> figure_shown("2.000", "de", "exact", best=2000.0)
    '2,000 (German: “2.000”)'
    >>> figure_shown("weit mehr als 4.700", "de", "more_than", 4700, 4700,
    ...              translation="In total, far more than 4,700 people died")
    'far more than 4,700 (German: “weit mehr als 4.700”)'
    """
    worded = f"“{value_as_worded}”"
    if not isinstance(language, str) or language in ("", "en"):
        return worded
    reading = english_reading(bound, low, best, high, translation)
    if not reading:
        return worded
    name = LANGUAGE_NAMES.get(language, language)
    return f"{reading} ({name}: {worded})"


def claim_figure_shown(claim, language) -> str:
    """:func:`figure_shown` for a claims row (a mapping or pandas row).

    >>> claim_figure_shown({"value_as_worded": "48 000", "bound": "exact",
    ...                     "value_best": 48000}, "fr")
    '48,000 (French: “48 000”)'
    """
    get = claim.get if hasattr(claim, "get") else claim.__getitem__
    return figure_shown(
        get("value_as_worded"),
        language,
        get("bound"),
        get("value_low"),
        get("value_best"),
        get("value_high"),
        get("translation"),
    )


_FOLD_SPECIAL = {"ə": "a", "Ə": "a", "ı": "i", "İ": "i"}


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, one character for one (offsets hold).

    Azerbaijani ``ə`` folds to ``a`` (Kəlbəcər -> kalbacar), dotless ``ı`` to ``i``.
    Other scripts (Cyrillic, Armenian) keep their letters, lower-cased.

    >>> fold("Ağdam Füzuli Xankəndi"), fold("Şuşa"), fold("Шуша")
    ('agdam fuzuli xankandi', 'susa', 'шуша')
    """
    out = []
    for ch in text:
        if ch in _FOLD_SPECIAL:
            out.append(_FOLD_SPECIAL[ch])
            continue
        base = unicodedata.normalize("NFKD", ch)[0].lower()[:1]
        out.append(base or ch)
    return "".join(out)


def count(n: int, singular: str, plural: str | None = None) -> str:
    """A number with its noun in the right form, for sentences in the kit's own voice.

    >>> count(1, "source"), count(3, "source"), count(0, "sentence")
    ('1 source', '3 sources', '0 sentences')
    >>> count(2, "place that the two sides name", "places that the two sides name")
    '2 places that the two sides name'
    """
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
