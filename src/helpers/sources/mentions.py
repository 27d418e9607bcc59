"""Quotations and their speakers; places and actors named in a source's text.

Names are compared folded (:func:`helpers.data.wording.fold`): accents and
Azerbaijani letters do not stop a match.

>>> people = [("putin", "person", "Putin")]
>>> [q.speaker_id for q in find_quotes('“It is stable now,” Putin said.', people)]
['putin']
"""

from __future__ import annotations

import re

from ..data.wording import fold
from .candidates import Candidate, Kind, Target, overlaps

_QUOTE_RE = re.compile(r"“([^”]+)”|\"([^\"\n]+)\"")
_SAID = (
    r"(?:said|says|added|told|stated|declared|noted|stressed|asked|warned|insisted|"
    r"explained|wrote|announced|continued|according to)"
)
_PRONOUNS = {"he", "she", "they"}


def find_quotes(text: str, actors: list[tuple[str, str, str]]) -> list[Candidate]:
    """Direct quotations and who said them.

    ``actors`` is a list of ``(actor_id, kind, alias)`` (see :func:`actor_aliases`).
    The speaker is looked for right after the closing mark (``," he said``,
    ``," Putin said``) and otherwise right before the opening one
    (``Aliyev said: "...``); a pronoun resolves to the nearest person named
    before the quotation, and the note says so.

    >>> people = [("putin", "person", "Putin"), ("aliyev", "person", "Aliyev")]
    >>> text = 'Putin spoke. “It is stable,” he said. Aliyev said: "We agree on this."'
    >>> [(q.quote_text, q.speaker, q.speaker_id) for q in find_quotes(text, people)]
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
            Candidate(
                Kind.QUOTE,
                Target.QUOTES,
                m.start(),
                m.end(),
                text[m.start() : m.end()],
                quote_text=quote,
                speaker=speaker,
                speaker_id=speaker_id or "",
                passage=text[start:passage_end].rstrip(),
                note=note + (f" Speaker named {where} the quotation." if where else ""),
            )
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


def place_names(places) -> list[tuple[str, str]]:
    """``(place_id, name)`` for every name and spelling in the gazetteer.

    >>> import helpers
    >>> names = place_names(helpers.load().places)
    >>> {"Artsakh", "Dağlıq Qarabağ", "Bergkarabach", "Haut-Karabakh"} <= {
    ...     n for p, n in names if p == "nagorno-karabakh"}
    True
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
        # 'ə' is written 'a' (Kalbajar) or 'e' (Xankendi) in Latin spellings:
        # fold() reads it as 'a', so the 'e' spelling is listed too.
        names += [n.replace("ə", "e").replace("Ə", "E") for n in names if "ə" in n.lower()]
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
        aliases |= _office_aliases(row.name)
        out += [(row.actor_id, row.kind, alias) for alias in sorted(aliases)]
    return out


def _office_aliases(name: str) -> set[str]:
    """How sources shorten an office's name: 'Ministry of Health of Armenia' is also
    "Armenia's Health Ministry", 'Armenian Health Ministry' and 'Health Ministry'.

    >>> sorted(_office_aliases("Ministry of Health of Armenia"))
    ... # doctest: +NORMALIZE_WHITESPACE
    ["Armenia's Health Ministry", 'Armenian Health Ministry', 'Health Ministry',
     'Ministry of Health']
    """
    m = re.fullmatch(r"Ministry of (.+?) of (.+)", name)
    if not m:
        return set()
    what, state = m.groups()
    aliases = {f"{state}'s {what} Ministry", f"{what} Ministry", f"Ministry of {what}"}
    return aliases | {f"{adjective} {what} Ministry" for adjective in DEMONYMS.get(state, [])}


def find_mentions(text: str, names: list[tuple[str, str]], kind: Kind) -> list[Candidate]:
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
            if overlaps(m.span(), taken):
                continue
            taken.append(m.span())
            found.append(
                Candidate(
                    kind,
                    Target.PLACES if kind is Kind.PLACE else Target.ACTORS,
                    m.start(),
                    m.end(),
                    text[m.start() : m.end()],
                    **{f"{kind}_id": entity_id},
                )
            )
    return sorted(found, key=lambda c: c.start)


#: Snowball stemmers for the languages whose place names inflect in running text.
STEMMED_LANGUAGES = {"ru": "russian", "uk": "russian", "de": "german", "fr": "french"}
_WORD = re.compile(r"\w+(?:-\w+)*")


def _stem(word: str, stemmer) -> str:
    head, _, last = word.rpartition("-")
    stem = stemmer.stemWord(last)
    return f"{head}-{stem}" if head else stem


def _same_word(text_stem: str, name_stem: str) -> bool:
    """Two stems of one word: one begins the other, and they share four letters or more."""
    short, long = sorted((text_stem, name_stem), key=len)
    return len(short) >= 4 and long.startswith(short)


def find_inflected_mentions(
    text: str, names: list[tuple[str, str]], kind: Kind, language: str, taken=()
) -> list[Candidate]:
    """Mentions of names in an inflected form ('в Нагорном Карабахе' for 'Нагорный Карабах').

    Each word of the text and of the name is reduced by the language's Snowball
    stemmer; the words match when one stem begins the other. Spans in ``taken``
    (names already found as written) are skipped.

    >>> text = "в ходе эскалации ситуации в Нагорном Карабахе погибли"
    >>> [(c.matched, c.place_id) for c in find_inflected_mentions(
    ...     text, [("nagorno-karabakh", "Нагорный Карабах")], Kind.PLACE, "ru")]
    [('Нагорном Карабахе', 'nagorno-karabakh')]
    """
    if language not in STEMMED_LANGUAGES:
        return []
    import snowballstemmer

    stemmer = snowballstemmer.stemmer(STEMMED_LANGUAGES[language])
    words = [(m.start(), m.end(), _stem(fold(m.group(0)), stemmer)) for m in _WORD.finditer(text)]
    spans = list(taken)
    found = []
    for entity_id, name in sorted(names, key=lambda p: len(p[1]), reverse=True):
        parts = [_stem(fold(w), stemmer) for w in _WORD.findall(name)]
        if not parts or sum(map(len, parts)) < 5:
            continue
        for i in range(len(words) - len(parts) + 1):
            window = words[i : i + len(parts)]
            if not all(_same_word(w[2], p) for w, p in zip(window, parts, strict=True)):
                continue
            span = (window[0][0], window[-1][1])
            if overlaps(span, spans) or not text[span[0]].isupper():
                continue
            spans.append(span)
            found.append(
                Candidate(
                    kind,
                    Target.PLACES if kind is Kind.PLACE else Target.ACTORS,
                    *span,
                    text[span[0] : span[1]],
                    note=f"an inflected form of {name!r}",
                    **{f"{kind}_id": entity_id},
                )
            )
    return sorted(found, key=lambda c: c.start)
