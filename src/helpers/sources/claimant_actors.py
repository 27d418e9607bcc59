"""Which actor a claimant's words name, or the id a new one would get.

:func:`match_claimant` maps a claimant's wording (found by
:func:`helpers.sources.claimants.claimant_wording`) to an actor: first by wordings
already recorded in ``claims.csv`` with a ``claimant_id`` (:func:`known_claimants`: a
researcher's earlier decision, with its source), then by the actors' names and titles.
A named office the dataset does not know yet gets :func:`suggested_actor_id`, and the
state its words name (:func:`affiliation_in`).
"""

from __future__ import annotations

import re

from ..data.wording import fold
from .claimants import words_at


def _plain(wording: str) -> str:
    """A claimant wording without the dataset's own notes in brackets, folded."""
    return fold(re.sub(r"\s*\([^)]*\)", "", str(wording))).strip(" '\"")


def known_claimants(ds) -> list[tuple[str, str, str]]:
    """``(claimant_id, wording, why)`` from the claims a researcher has already attributed.

    >>> import helpers
    >>> ("putin", "vladimir putin") in {(i, w) for i, w, _ in known_claimants(helpers.load())}
    True
    """
    rows = ds.claims.loc[ds.claims["claimant_id"].notna(), ["claimant_id", "claimant", "claim_id"]]
    out = {}
    for claimant_id, wording, claim_id in rows.itertuples(index=False):
        out.setdefault((claimant_id, _plain(wording)), f"worded so in claims.csv ({claim_id})")
    return [(i, w, why) for (i, w), why in out.items()]


def match_claimant(wording: str, known, aliases) -> tuple[str, str]:
    """The actor ``wording`` names, and why; ``("", "")`` if none.

    ``known`` comes from :func:`known_claimants`, ``aliases`` from
    :func:`helpers.sources.mentions.actor_aliases`. A state's bare name matches
    only the whole wording: "Azerbaijan's Defence Ministry" is not Azerbaijan.

    >>> aliases = [("putin", "person", "Putin"), ("azerbaijan", "state", "Azerbaijan")]
    >>> match_claimant("Russian President Vladimir Putin", [], aliases)
    ('putin', "names 'Putin'")
    >>> match_claimant("Azerbaijan's Defence Ministry", [], aliases)
    ('', '')
    """
    plain = _plain(wording)
    for claimant_id, seen, why in known:
        if seen == plain:
            return claimant_id, why
    for actor_id, kind, alias in sorted(aliases, key=lambda a: len(a[2]), reverse=True):
        key = fold(alias)
        if kind == "state" and key != plain:
            continue
        if words_at(plain, key):
            return actor_id, f"names {alias!r}"
    return "", ""


#: Small words left out of a suggested actor id.
_ID_STOP = {"the", "of", "le", "la", "les", "de", "du", "des", "der", "die", "das", "l"}


def suggested_actor_id(wording: str, taken: set[str], state: str = "") -> str:
    """An actor id for a new claimant: its words in Latin letters, led by its state.

    Cyrillic is transliterated (GOST-like, via :func:`latin`), so a Russian wording
    gets a readable id, not a numbered placeholder.

    >>> suggested_actor_id("Armenia's Health Ministry", set())
    'armenias-health-ministry'
    >>> suggested_actor_id("Минздрав Армении", set())
    'minzdrav-armenii'
    >>> suggested_actor_id("ministère de la Santé", set(), "armenia")
    'armenia-ministere-sante'
    """
    words = re.findall(r"[a-z0-9]+", latin(fold(wording)).replace("'", "").replace("’", ""))
    words = [w for w in words if w not in _ID_STOP]
    if state and state not in words:
        words = [state, *words]
    base = "-".join(words)[:50].strip("-")
    if not base:
        n = 1
        while f"claimant-{n}" in taken:
            n += 1
        return f"claimant-{n}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


#: Cyrillic letters in Latin ones, for readable ids.
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}


def latin(text: str) -> str:
    """Lower-case Cyrillic letters written in Latin ones (others kept).

    >>> latin("минобороны азербайджана")
    'minoborony azerbaidzhana'
    """
    return "".join(_CYRILLIC.get(ch, ch) for ch in text)


def affiliation_in(wording: str, states: list[tuple[str, list[str]]]) -> str:
    """The state a new claimant's words name (its name in any language, or a demonym).

    ``states`` is ``[(actor_id, names)]``.

    >>> affiliation_in("Минздрав Армении", [("armenia", ["Armenia", "Армения"])])
    'armenia'
    """
    plain = fold(wording)
    words = re.findall(r"\w+", plain)
    for actor_id, names in states:
        if any(words_at(plain, fold(n)) for n in names if n):
            return actor_id
        # An inflected name: 'Азербайджана' (of Azerbaijan), 'Армении' (of Armenia).
        stems = [fold(n).rstrip("аяеиыоуaeio") for n in names if n and " " not in n]
        if any(w.startswith(st) for st in stems if len(st) >= 5 for w in words):
            return actor_id
    return ""
