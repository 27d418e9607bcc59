"""Who makes a claim: the claimant's words in the sentence, and the actor they name.

A figure's sentence usually names who gave it: "Armenia's Health Ministry said
…", "according to rights groups", "по данным Минздрава Армении", "selon le
ministère". :func:`claimant_wording` finds those words; :func:`match_claimant`
maps them to an actor: first by wordings already recorded in ``claims.csv``
with a ``claimant_id`` (a researcher's earlier decision, with its source), then
by the actors' names and titles. Unnamed groups ("sources and officials",
"Armenian officials") are not actors: they get no ``claimant_id``, and the claim's
attribution is ``vague``. A named office the dataset does not know yet becomes a
``claimant`` candidate: a new actors row to review.

>>> claimant_wording("Armenia's Health Ministry said on Tuesday that 3,330 died.", 38, "en")
"Armenia's Health Ministry"
>>> claimant_wording("По данным Минздрава Армении, погибли 3 330 человек.", 37, "ru")
'Минздрава Армении'
>>> is_unnamed("Armenian officials", "en"), is_unnamed("Минздрав Армении", "ru")
(True, False)
"""

from __future__ import annotations

import re

from ..data.wording import fold

#: Words after which the claimant is named ('according to X').
ACCORDING_TO = {
    "en": ("according to", "citing"),
    "fr": ("selon", "d'après", "d’après", "citant"),
    "de": ("laut", "nach Angaben des", "nach Angaben der", "zufolge"),
    "ru": ("по данным", "по словам", "как сообщает", "как сообщило", "как сообщил"),
}
#: Verbs of reporting: the claimant is named before them ('X said'), or right
#: after them when nothing comes before ('…, сообщило Минобороны').
SAID = {
    "en": ("said", "says", "reported", "announced", "stated", "put", "told", "confirmed"),
    "fr": ("a annoncé", "a déclaré", "a indiqué", "a affirmé", "a fait état"),
    "de": ("meldete", "teilte", "erklärte", "berichtete", "nannte"),
    "ru": (
        "сообщил",
        "сообщила",
        "сообщило",
        "сообщили",
        "заявил",
        "заявила",
        "заявило",
        "заявили",
        "назвал",
        "назвала",
        "назвало",
    ),
}
#: Where a clause starts, looking back from a reporting verb.
_CLAUSE_BREAKS = (", ", "; ", ": ", " that ", " que ", " dass ", " что ", "«", "»", "“", "”")
#: Head words of unnamed claimants: a group, not an actor.
UNNAMED = {
    "en": ("sources", "officials", "groups", "experts", "observers", "analysts", "reports"),
    "fr": ("sources", "responsables", "officiels", "experts", "observateurs"),
    "de": ("quellen", "beamte", "kreise", "experten", "beobachter"),
    "ru": ("источники", "источников", "чиновники", "эксперты", "правозащитники"),
}


def _words_at(folded: str, key: str) -> list[int]:
    """Where ``key`` occurs in ``folded`` as whole words."""
    found = []
    for m in re.finditer(re.escape(key), folded):
        before = folded[m.start() - 1] if m.start() else " "
        after = folded[m.end()] if m.end() < len(folded) else " "
        if not before.isalnum() and not after.isalnum():
            found.append(m.start())
    return found


def _after(sentence: str, at: int, figure: int) -> str:
    """The words from ``at`` to the next comma, full stop or the figure."""
    stop = len(sentence)
    for mark in (",", ".", ";", "—", " - "):
        cut = sentence.find(mark, at)
        if cut >= 0:
            stop = min(stop, cut)
    if at < figure:
        stop = min(stop, figure)
    words = sentence[at:stop].strip(' «»"“”')
    # German separable verbs leave their particle last: 'teilte das Ministerium mit'.
    return words[: -len(" mit")] if words.endswith(" mit") else words


def _before(sentence: str, at: int) -> str:
    """The words from the start of the clause to ``at``."""
    found = [(sentence.rfind(b, 0, at), b) for b in _CLAUSE_BREAKS]
    start = max((where + len(b) for where, b in found if where >= 0), default=0)
    words = sentence[start:at].strip(' ,—-«»"“”')
    # 'X said on Tuesday' / 'X a annoncé le 29 décembre': the verb comes first, so
    # nothing to trim; 'X had earlier said' keeps only X's words before an auxiliary.
    return re.sub(r"\s+(?:had|has|have|was|had earlier|earlier)$", "", words)


#: What separates two clauses that may each name their own claimant.
_CLAUSES = (", while ", "; ", ", but ", ", whereas ", ", tandis que ", ", а ", ", während ")


def _clause(folded: str, at: int) -> tuple[int, int]:
    """The start and end of the clause around offset ``at``."""
    starts = [folded.rfind(c, 0, at) + len(c) for c in _CLAUSES if folded.rfind(c, 0, at) >= 0]
    ends = [folded.find(c, at) for c in _CLAUSES if folded.find(c, at) >= 0]
    return max(starts, default=0), min(ends, default=len(folded))


def claimant_wording(sentence: str, figure: int, language: str) -> str:
    """The words that name who gave the figure at offset ``figure`` of ``sentence``.

    Cues nearest before the figure win; an empty string when the sentence names
    no one (the outlet's own voice).

    >>> claimant_wording("Some 65 civilians died, according to rights groups.", 5, "en")
    'rights groups'
    >>> claimant_wording("Le ministère de la Santé a annoncé que 3 330 soldats", 39, "fr")
    'Le ministère de la Santé'
    >>> claimant_wording("Es gab 4.000 Tote, teilte das Ministerium mit.", 7, "de")
    'das Ministerium'
    """
    folded = fold(sentence)
    cues = []
    for words in ACCORDING_TO.get(language, ()):
        for at in _words_at(folded, fold(words)):
            cues.append((at, _after(sentence, at + len(words), figure)))
    for verb in SAID.get(language, ()):
        for at in _words_at(folded, fold(verb)):
            wording = _before(sentence, at)
            if not wording:
                wording = _after(sentence, at + len(verb), figure)
            cues.append((at, wording))
    cues = [(at, w) for at, w in cues if w]
    # Cues in the figure's own clause first: in "X put the toll at 3,300, while 65
    # civilians died, according to rights groups", the 65 are the groups'.
    first, last = _clause(folded, figure)
    cues = [c for c in cues if first <= c[0] < last] or cues
    if not cues:
        return ""
    before = [c for c in cues if c[0] <= figure]
    at, wording = max(before) if before else min(cues)
    return wording


def is_unnamed(wording: str, language: str) -> bool:
    """Whether ``wording`` names a group rather than one speaker ('sources and officials')."""
    words = set(re.findall(r"\w+", wording.casefold()))
    return bool(words & set(UNNAMED.get(language, ())))


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
        if _words_at(plain, key):
            return actor_id, f"names {alias!r}"
    return "", ""


def suggested_actor_id(wording: str, taken: set[str]) -> str:
    """An actor id for a new claimant: its words in ASCII, or a numbered placeholder.

    >>> suggested_actor_id("Armenia's Health Ministry", set())
    'armenias-health-ministry'
    >>> suggested_actor_id("Минздрав Армении", set())
    'claimant-1'
    """
    words = re.findall(r"[a-z0-9]+", fold(wording).replace("'", "").replace("’", ""))
    base = "-".join(w for w in words if w not in {"the", "le", "la", "les", "der", "die", "das"})
    base = base[:50].strip("-")
    if not base:
        n = 1
        while f"claimant-{n}" in taken:
            n += 1
        return f"claimant-{n}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def affiliation_in(wording: str, states: list[tuple[str, list[str]]]) -> str:
    """The state a new claimant's words name (its name in any language, or a demonym).

    ``states`` is ``[(actor_id, names)]``.

    >>> affiliation_in("Минздрав Армении", [("armenia", ["Armenia", "Армения", "Армении"])])
    'armenia'
    """
    plain = fold(wording)
    for actor_id, names in states:
        if any(_words_at(plain, fold(n)) for n in names if n):
            return actor_id
    return ""
