"""Which language a stored text is mostly written in, by script and common words.

A source's ``language`` column drives how its figures are read (``2.783`` is 2,783 in
German, 2.783 nowhere in English) and whether its passages need a translation, so a wrong
code is a silent misreading. The guess is deliberately plain: Cyrillic, Armenian or
Azerbaijani letters decide the script, and otherwise the language whose commonest words
occur most often wins. It is meant to catch a mislabelled text, not to identify dialects.

>>> guess_language("Die Vize-Regierungschefs würden nun eine Arbeitsgruppe bilden.")
'de'
>>> guess_language("The working group will hold its first meeting before 30 January 2021.")
'en'
>>> guess_language("Путин сообщил, что РФ дорожит отношениями с Баку и Ереваном.")
'ru'
>>> guess_language("2021") is None
True
"""

from __future__ import annotations

import re
from collections import Counter

# The commonest short words of each language with Latin script the corpus may hold.
# Words shared between languages ("a", "in", "die"/"die") count for each.


def _common(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": _common("""the of and to in is was that for on with as by at from it be are were this
        which will has have had its their not but said"""),
    "de": _common("""der die das und zu den ist von mit dem sich des auf für nicht ein eine als auch
        es an werden aus er hat dass sie nach bei um noch wie über seien sagte"""),
    "fr": _common("""le la les de des et à en un une du que qui dans pour par sur est au aux ses
        a été pas plus ce cette sont avec"""),
    "az": _common("""və bu ilə üçün da də bir olan ki isə edib olub ermənistan
        azərbaycan"""),
}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SCRIPTS = {
    "ru": re.compile(r"[\u0400-\u04FF]"),
    "hy": re.compile(r"[\u0530-\u058F]"),
}


def guess_language(text: str) -> str | None:
    """The ISO 639-1 code the text is mostly written in, or None when it has too few words.

    Cyrillic letters outnumbering Latin ones make it Russian (the only Cyrillic-script
    language of the kit's sources); Armenian letters make it Armenian; otherwise the
    language whose common words occur most often.

    >>> guess_language("Avec notre correspondant à Moscou, les trois hommes ont signé.")
    'fr'
    >>> guess_language("Azərbaycan və Ermənistan arasında bəyanat imzalanıb.")
    'az'
    """
    words = _WORD.findall(text.lower())
    if len(words) < 3:
        return None
    letters = "".join(words)
    latin = sum(1 for ch in letters if ch.isascii())
    for code, script in _SCRIPTS.items():
        if len(script.findall(letters)) > latin:
            return code
    counts = Counter(
        {code: sum(word in common for word in words) for code, common in STOPWORDS.items()}
    )
    code, hits = counts.most_common(1)[0]
    return code if hits else None
