"""Who makes a claim: the claimant's words in the sentence, and the actor they name.

A figure's sentence usually names who gave it: "Armenia's Health Ministry said
…", "according to rights groups", "по данным Минздрава Армении", "selon le
ministère". :func:`claimant_wording` finds those words; :func:`match_claimant`
maps them to an actor: first by wordings already recorded in ``claims.csv``
with a ``claimant_id`` (a researcher's earlier decision, with its source), then
by the actors' names and titles (:mod:`.claimant_actors`). Unnamed groups ("sources and officials",
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
    "ru": (
        "по данным",
        "по уточненным данным",
        "по уточнённым данным",
        "по официальным данным",
        "по предварительным данным",
        "по словам",
        "как сообщает",
        "как сообщило",
        "как сообщил",
    ),
}
#: Verbs of reporting: the claimant is named before them ('X said'), or right
#: after them when nothing comes before ('…, сообщило Минобороны').
SAID = {
    "en": (
        "said",
        "says",
        "reported",
        "announced",
        "stated",
        "put",
        "told",
        "confirmed",
        "estimated that",  # not 'an estimated 5,000': that is a bound
    ),
    "fr": (
        "a annoncé",
        "a déclaré",
        "a indiqué",
        "a affirmé",
        "a fait état",
        "ont annoncé",
        "ont déclaré",
        "ont indiqué",
        "ont affirmé",
        "ont fait état",
        "rapporte",
        "a rapporté",
        "ont rapporté",
        "a estimé",
        "ont estimé",
    ),
    "de": (
        "meldete",
        "teilte",
        "erklärte",
        "berichtete",
        "nannte",
        "berichten",
        "meldeten",
        "schätzte",
        # participles after 'hat'/'hatte': 'Armenien hatte zuletzt 1746 … gemeldet'
        "gemeldet",
        "mitgeteilt",
        "beziffert",
        "angegeben",
        "bekanntgegeben",
    ),
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
        "сообщает",
        "сообщают",
        "сообщала",
        "сообщало",
        "заявляет",
        "оценил",
        "оценило",
        "оценила",
    ),
}
#: Where a clause starts, looking back from a reporting verb.
_CLAUSE_BREAKS = (
    ", ",
    "; ",
    ": ",
    ". ",
    " — ",
    " - ",
    " that ",
    " que ",
    " dass ",
    " что ",
    "«",
    "»",
    "“",
    "”",
)
#: Head words of unnamed claimants: a group, not an actor.
UNNAMED = {
    "en": (
        "sources",
        "source",
        "officials",
        "official",
        "groups",
        "experts",
        "observers",
        "analysts",
        "reports",
    ),
    "fr": ("sources", "source", "responsables", "responsable", "officiels", "experts", "bilans"),
    "de": ("quellen", "quelle", "beamte", "beamter", "kreise", "experten", "beobachter"),
    "ru": ("источники", "источников", "источник", "чиновники", "эксперты", "правозащитники"),
}
#: Words around a claimant that are not part of its name: a conjunction or preposition
#: before it ('but an official', 'mais un responsable', 'В министерстве'), an adverb
#: after it ('В министерстве также').
LEADING = {
    "en": ("but", "and", "while", "yet", "however", "meanwhile", "also", "now", "earlier"),
    "fr": ("mais", "et", "or", "donc", "cependant", "toutefois", "hier", "aujourd'hui"),
    "de": ("aber", "und", "doch", "jedoch", "zudem", "zuvor", "bereits", "heute", "gestern"),
    "ru": (
        "а",
        "но",
        "и",
        "в",
        "во",
        "на",
        "при",
        "об этом",
        "накануне",
        "сегодня",
        "вчера",
        "ранее",
    ),
}
TRAILING = {
    "en": ("also", "too", "earlier", "later", "meanwhile", "however", "separately"),
    "fr": ("aussi", "également", "encore", "pour sa part", "de son côté"),
    "de": ("auch", "zudem", "ebenfalls", "außerdem"),
    "ru": ("также", "тоже", "ранее", "уже", "еще", "ещё", "же", "в свою очередь"),
}
#: Nouns of bodies that speak (ministries, offices, armies), as word beginnings.
BODIES = {
    "en": (
        "ministr",
        "department",
        "office",
        "government",
        "army",
        "forces",
        "committee",
        "service",
        "administration",
        "agency",
        "authorit",
        "president",
        "council",
    ),
    "fr": (
        "ministère",
        "ministere",
        "gouvernement",
        "armée",
        "armee",
        "service",
        "bureau",
        "présidence",
        "presidence",
        "autorités",
        "comité",
    ),
    "de": ("ministerium", "regierung", "armee", "behörde", "amt", "dienst", "komitee"),
    "ru": (
        "минобороны",
        "минздрав",
        "мид",
        "министерств",
        "ведомств",
        "правительств",
        "администрац",
        "служб",
        "арми",
        "комитет",
        "генпрокуратур",
    ),
}
#: Common nouns of bodies which, alone, refer to a body named before ('the ministry').
GENERIC_BODIES = {
    "en": ("ministry", "department", "agency"),
    "fr": ("ministère", "ministere"),
    "de": ("ministerium",),
    "ru": ("министерств", "ведомств"),
}
#: An unnamed person speaking for a named body: the body is the claimant
#: ('un responsable du ministère de la Santé' -> 'ministère de la Santé').
FOR_A_BODY = {
    "en": r"^(?:an?|the|one)\s+(?:[\w-]+\s+){0,3}?(?:official|spokes(?:man|woman|person)"
    r"|source|representative|officer)\s+(?:of|at|from|in|with)\s+(?:the\s+)?(?P<body>.+)$",
    "fr": r"^(?:un|une|le|la|l['’])\s*(?:haut\s+)?(?:responsable|porte-parole|représentante?"
    r"|source|officiel|membre)\s+(?:du|de\s+la|de\s+l['’]|des|de)\s*(?P<body>.+)$",
    "de": r"^(?:ein|eine|der|die)\s+(?:Sprecher(?:in)?|Vertreter(?:in)?|Beamter|Quelle"
    r"|Mitarbeiter(?:in)?)\s+(?:des|der|im|aus\s+dem)\s+(?P<body>.+)$",
    "ru": r"^(?:официальный\s+)?(?:представитель|представители|источник|источники|сотрудник"
    r"|пресс-секретарь|пресс-служба)\s+(?:в\s+)?(?P<body>.+)$",
}

#: What a body published, in place of the body ('the information provided by the
#: Azerbaijani Defence Ministry on March 2' -> 'the Azerbaijani Defence Ministry').
SOURCE_OF = {
    "en": r"^(?:the\s+)?(?:information|data|figures|statement|list)\s+(?:provided|published"
    r"|released|issued|given)\s+by\s+(?P<body>.+?)(?:\s+(?:on|in|last)\s+.+)?$",
    "fr": r"^(?:les\s+)?(?:chiffres|données|informations)\s+(?:publiée?s|fournie?s|diffusée?s)"
    r"\s+par\s+(?P<body>.+?)$",
}


def words_at(folded: str, key: str) -> list[int]:
    """Where ``key`` occurs in ``folded`` as whole words.

    >>> words_at("the health ministry of armenia", "armenia"), words_at("armenian", "armenia")
    ([23], [])
    """
    found = []
    for m in re.finditer(re.escape(key), folded):
        before = folded[m.start() - 1] if m.start() else " "
        after = folded[m.end()] if m.end() < len(folded) else " "
        if not before.isalnum() and not after.isalnum():
            found.append(m.start())
    return found


#: Auxiliary verbs that end a claimant named after 'according to' ('nach Angaben der
#: Friedenstruppe sind 42.000 zurückgekehrt': the troops, not 'Friedenstruppe sind').
VERB_AFTER = {
    "en": ("are", "is", "were", "was", "have", "has", "had"),
    "fr": ("a", "ont", "sont", "est", "avaient", "avait"),
    "de": ("sind", "ist", "seien", "sei", "wurden", "wurde", "haben", "hat", "hätten"),
    "ru": (),
}


def _after(sentence: str, at: int, figure: int, language: str = "") -> str:
    """The words from ``at`` to the next comma, full stop, auxiliary verb or the figure."""
    stop = len(sentence)
    verbs = "|".join(VERB_AFTER.get(language, ()))
    ends = r",|;|—| - |\.(?!\d)" + (rf"|\s(?:{verbs})\s" if verbs else "")
    if cut := re.compile(ends, re.IGNORECASE).search(sentence, at):
        stop = cut.start()
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


#: Auxiliaries of a compound past: the subject stands before them ('Armenien hatte …
#: gemeldet') or, after an adverb, right after them ('Erstmals hat Aserbaidschan …').
AUXILIARIES = {"de": ("hat", "hatte", "haben", "hatten")}


def _subject(words: str, language: str) -> str:
    """The subject of a clause that ends in a participle of reporting, else ``words``.

    >>> _subject("Kriegsgegner Armenien hatte zuletzt 1746 getötete Soldaten", "de")
    'Kriegsgegner Armenien'
    >>> _subject("Erstmals hat Aserbaidschan eigene Verluste", "de")
    'Aserbaidschan'
    """
    auxiliaries = AUXILIARIES.get(language)
    found = auxiliaries and re.search(rf"\s(?:{'|'.join(auxiliaries)})\s", words)
    if not found:
        return words
    head, tail = words[: found.start()].strip(), words[found.end() :]
    if " " in head:
        return head
    name = re.match(r"(?:[A-ZÄÖÜ][\w-]*\s?)+", tail)  # capitalised words: a name
    return name.group(0).strip() if name else head


#: Words opening a sentence whose figures are the claimant's of the sentence before
#: ('Erstmals hat Aserbaidschan … beziffert. Demnach sind … 2783 Soldaten getötet').
THEREBY = {
    "de": ("demnach", "demzufolge", "danach zufolge"),
    "ru": ("по его словам", "по ее словам", "по её словам", "по их словам"),
    "fr": ("selon lui", "selon elle", "selon eux"),
    "en": ("according to him", "according to her", "according to them"),
}


def refers_to_the_sentence_before(sentence: str, language: str) -> bool:
    """Whether ``sentence`` opens with a word of :data:`THEREBY` ('Demnach …').

    >>> refers_to_the_sentence_before("Demnach sind mindestens 2783 Soldaten getötet.", "de")
    True
    """
    opening = fold(sentence.lstrip()[:40])
    return any(
        opening.startswith(fold(w)) and not opening[len(w) : len(w) + 1].isalnum()
        for w in THEREBY.get(language, ())
    )


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
        for at in words_at(folded, fold(words)):
            cues.append((at, _after(sentence, at + len(words), figure, language)))
    for verb in SAID.get(language, ()):
        for at in words_at(folded, fold(verb)):
            wording = named_part(_subject(_before(sentence, at), language), language)
            if not wording:
                wording = _after(sentence, at + len(verb), figure, language)
            cues.append((at, wording))
    cues = [(at, w) for at, w in cues if named_part(w, language)]
    # Cues in the figure's own clause first: in "X put the toll at 3,300, while 65
    # civilians died, according to rights groups", the 65 are the groups'.
    first, last = _clause(folded, figure)
    cues = [c for c in cues if first <= c[0] < last] or cues
    if not cues:
        return ""
    before = [c for c in cues if c[0] <= figure]
    at, wording = max(before) if before else min(cues)
    return named_part(wording, language)


def _strip_words(wording: str, words: tuple[str, ...], at_start: bool) -> str:
    if wording.casefold() in words:
        return ""  # 'et rapporte 93 …': a conjunction alone names no one
    changed = True
    while changed:
        changed = False
        for word in sorted(words, key=len, reverse=True):
            low = wording.casefold()
            if at_start and low.startswith(word + " "):
                wording, changed = wording[len(word) + 1 :].lstrip(), True
            elif not at_start and low.endswith(" " + word):
                wording, changed = wording[: -len(word) - 1].rstrip(), True
    return wording


def names_a_body(words: str, language: str) -> bool:
    """Whether ``words`` name a body (a ministry, an office) in ``language``.

    >>> names_a_body("du ministère de la Santé", "fr"), names_a_body("un responsable", "fr")
    (True, False)
    """
    return any(w.startswith(BODIES.get(language, ())) for w in re.findall(r"\w+", words.casefold()))


def named_part(wording: str, language: str) -> str:
    """The claimant itself in ``wording``: without the words around it, and the body an
    unnamed spokesperson speaks for.

    >>> named_part("mais un responsable du ministère de la Santé", "fr")
    'ministère de la Santé'
    >>> named_part("but an ethnic Armenian official", "en")
    'an ethnic Armenian official'
    >>> named_part("В министерстве также", "ru")
    'министерстве'
    """
    wording = _strip_words(wording.strip(), LEADING.get(language, ()), at_start=True)
    wording = _strip_words(wording, TRAILING.get(language, ()), at_start=False)
    for pattern in (FOR_A_BODY.get(language), SOURCE_OF.get(language)):
        match = re.match(pattern, wording, re.IGNORECASE) if pattern else None
        if match and names_a_body(match.group("body"), language):
            return match.group("body").strip()
    return wording


def refers_back(wording: str, language: str) -> bool:
    """Whether ``wording`` is a body's bare common noun ('the ministry', 'В министерстве'),
    which names the body named before it rather than a new one.

    >>> refers_back("министерстве", "ru"), refers_back("Минобороны Азербайджана", "ru")
    (True, False)
    >>> refers_back("the ministry", "en"), refers_back("Armenia's Health Ministry", "en")
    (True, False)
    """
    articles = {"the", "le", "la", "l", "der", "die", "das", "dem", "des"}
    words = [w for w in re.findall(r"\w+", wording.casefold()) if w not in articles]
    return len(words) == 1 and words[0].startswith(GENERIC_BODIES.get(language, ("\0",)))


#: A sentence that names who gave the figures of the sentence before it
#: ('Об этом сообщает пресс-служба Минобороны').
NEXT_SENTENCE = {
    "ru": r"^\s*Об этом\s+(?:\w+\s+)?(?:сообщ|заяв|объяв|написа|рассказа)\w*\s+(?P<who>[^.,;]+)",
    "en": r"^\s*(?:That|This) was (?:said|announced|reported) by\s+(?P<who>[^.,;]+)",
}


def claimant_after(next_sentence: str, language: str) -> str:
    """Who the sentence after a figure says gave it (a press service: its body), or ''.

    >>> claimant_after("Об этом сообщает пресс-служба Минобороны страны.", "ru")
    'Минобороны страны'
    >>> claimant_after("", "de"), claimant_after("", "ru")  # the text's last sentence
    ('', '')
    """
    pattern = NEXT_SENTENCE.get(language)
    match = re.match(pattern, next_sentence) if pattern else None
    return named_part(match.group("who").strip(), language) if match else ""


def is_unnamed(wording: str, language: str) -> bool:
    """Whether ``wording`` names a group rather than one speaker ('sources and officials')."""
    words = set(re.findall(r"\w+", wording.casefold()))
    return bool(words & set(UNNAMED.get(language, ())))
