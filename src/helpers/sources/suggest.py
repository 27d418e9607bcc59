"""Suggest rows to extract from a registered source: a review file, not data.

``python -m helpers.sources suggest SOURCE_ID`` reads the source's stored text
and writes a review file of candidates (:class:`~helpers.sources.candidates.Candidate`),
one per finding, in the source's own language:

``number``
    a figure in digits (any grouping, decimal commas) or words, with its bound
    ("at least", "более", "près de" …), unit, claimant and the date it was claimed;
``date``
    a date, weekday or relative expression resolved against the publication date;
``quote``
    a direct quotation with its speaker;
``place`` / ``actor``
    a gazetteer place or an actor already in the dataset;
``claimant``
    who gave a figure, when the dataset has no actor for it yet: a new actors row;
``term``
    a glossary term (loaded word, vague attribution …);
``sentence``
    each sentence of the text, proposed as a plain claim (no figure: who said or did
    what), with its claimant where the sentence names one; the reviewer keeps the ones
    worth a claims row, may shorten the passage to a verbatim part of it, and writes
    the statement;
``unread``
    digits or a date it saw but could not read: read the passage yourself.

Each candidate carries the exact ``passage`` (its sentence, verbatim), the
character offsets of the match, parsed values, the table it would feed, a
suggested ``event_id`` when its sentence reports an event the dataset has, and
``already_in`` for rows of this source that already cite it.

>>> import helpers
>>> review = suggest(helpers.load(), "aa-2021-01-11")
>>> row = review.loc[review["matched"] == "at least 2,802"].iloc[0]
>>> float(row["value_low"]), row["bound"], row["unit"], row["already_in"]
(2802.0, 'at_least', 'people', 'claims:az-military-deaths; glossary:martyred')
>>> monday = review.loc[review["matched"] == "Monday"].iloc[0]
>>> monday["date_start"], monday["event_id"]
('2021-01-11', 'moscow-meeting-2021-01-11')
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .candidates import COLUMNS, Candidate, Kind, Target
from .claimant_actors import affiliation_in, known_claimants, match_claimant, suggested_actor_id
from .claimants import (
    SAID,
    claimant_after,
    claimant_wording,
    is_unnamed,
    names_a_body,
    refers_back,
    refers_to_the_sentence_before,
)
from .dates import TIME_ZONE_RE, find_dates
from .events import content_words, duplicate_events, match_event  # noqa: F401  (notebook 00)
from .mentions import (
    DEMONYMS,
    actor_aliases,
    find_inflected_mentions,
    find_mentions,
    find_quotes,
    place_names,
)
from .numbers import find_numbers


def find_terms(text: str, glossary) -> list[Candidate]:
    """Glossary terms (loaded words, vague attributions) used in ``text``: first use of each."""
    found = []
    for row in glossary.itertuples(index=False):
        if row.category == "typo" or len(row.term.split()) > 4:
            continue
        m = re.search(rf"(?<!\w){re.escape(row.term)}(?!\w)", text, re.IGNORECASE)
        if m:
            found.append(
                Candidate(
                    Kind.TERM,
                    Target.GLOSSARY,
                    m.start(),
                    m.end(),
                    m.group(0),
                    term_id=row.term_id,
                    note=f"{row.category}; neutral: {row.neutral_alternative}",
                )
            )
    return found


#: A sentence shorter than this (in words) is a dateline or a byline, not a claim.
SENTENCE_MIN_WORDS = 5


def find_sentences(text: str, spans: list[tuple[int, int]]) -> list[Candidate]:
    """Each sentence of ``text`` (``spans``) long enough to be a claim, as a candidate.

    >>> text = "12.01.2021 / Ausland. The leaders did not shake hands before the talks."
    >>> [c.matched for c in find_sentences(text, [(0, 21), (22, len(text))])]
    ['The leaders did not shake hands before the talks.']
    """
    found = []
    for a, b in spans:
        sentence = text[a:b]
        stripped = sentence.strip()
        if len(stripped.split()) < SENTENCE_MIN_WORDS:
            continue
        start = a + sentence.index(stripped)
        found.append(
            Candidate(
                Kind.SENTENCE,
                Target.CLAIMS,
                start,
                start + len(stripped),
                stripped,
                passage=stripped,
                note="a plain claim? accept it with its subject, metric, attribution and "
                "statement; you may shorten the passage to the words that carry the claim "
                "(verbatim)",
            )
        )
    return found


def default_out(data_dir: Path, source_id: str) -> Path:
    """``<folder holding the data>/review/<source_id>-suggestions.csv``.

    >>> default_out(Path("/kit/data"), "x").as_posix()
    '/kit/review/x-suggestions.csv'
    """
    return Path(data_dir).resolve().parent / "review" / f"{source_id}-suggestions.csv"


class _Context:
    """What every candidate of one source is checked against."""

    def __init__(self, ds, source_id: str):
        from ..views.reading import rows_citing, sentences

        sources = ds.sources.set_index("source_id")
        if source_id not in sources.index:
            raise KeyError(source_id)
        self.ds, self.source_id = ds, source_id
        self.text = ds.text(source_id)
        self.published: date = sources.loc[source_id, "published"].date()
        self.language = str(sources.loc[source_id, "language"] or "en")
        self.publisher = str(sources.loc[source_id, "publisher"])
        self.aliases = actor_aliases(ds.actors)
        self.spans = sentences(self.text)
        self.cited = rows_citing(ds, source_id)
        self.known = known_claimants(ds)
        names = {w for _, name in place_names(ds.places) for w in content_words(name)}
        names |= {w for _, _, alias in self.aliases for w in content_words(alias)}
        demonyms = [a for adjectives in DEMONYMS.values() for a in adjectives]
        names |= {w for a in demonyms for w in content_words(a)}
        self.ignore = frozenset(names)
        actors = ds.actors
        self.affiliation = dict(
            actors[["actor_id", "affiliation_id"]].dropna().itertuples(index=False)
        )
        self.states = _state_names(ds)
        self.new_claimants: dict[str, Candidate] = {}
        #: The last claimant named by name, for 'the ministry' further on.
        self.last_named = ""

    def sentence_of(self, c: Candidate) -> tuple[int, int]:
        return next(((a, b) for a, b in self.spans if a <= c.start < b), (c.start, c.end))


def _state_names(ds) -> list[tuple[str, list[str]]]:
    """Each state actor with its names: English, demonyms, and the gazetteer's other languages."""
    places = ds.places.set_index("place_id")
    out = []
    for row in ds.actors.loc[ds.actors["kind"] == "state"].itertuples(index=False):
        names = [row.name, *DEMONYMS.get(row.name, [])]
        if row.actor_id in places.index:
            for column in ("name_az", "name_hy", "name_ru"):
                value = places.loc[row.actor_id, column]
                if isinstance(value, str):
                    names += value.split(" / ")
        out.append((row.actor_id, names))
    return out


def _find_all(ctx: _Context) -> list[Candidate]:
    text, language = ctx.text, ctx.language
    dates = find_dates(text, ctx.published, language)
    numbers = find_numbers(text, skip=[d.span for d in dates], language=language)
    places = find_mentions(text, place_names(ctx.ds.places), Kind.PLACE)
    places += find_inflected_mentions(
        text, place_names(ctx.ds.places), Kind.PLACE, language, [p.span for p in places]
    )
    return (
        numbers
        + dates
        + find_quotes(text, ctx.aliases)
        + places
        + find_mentions(text, [(a, alias) for a, _, alias in ctx.aliases], Kind.ACTOR)
        + find_terms(text, ctx.ds.glossary)
        + find_sentences(text, ctx.spans)
    )


def _reports_speech(before: str, language: str) -> bool:
    """Whether a reporting verb ends ``before`` (the words just before a date)."""
    tail = before.casefold().split()[-4:]
    return any(verb.split()[-1] in tail for verb in SAID.get(language, ()))


def _attach_event(ctx: _Context, c: Candidate, in_sentence: list[Candidate]) -> None:
    dates = [d for d in in_sentence if d.kind is Kind.DATE and not d.statement]
    event_dates = [(c.date_start, c.date_end)] if c.kind is Kind.DATE else []
    event_dates += [(d.date_start, d.date_end) for d in dates if c.kind is not Kind.DATE]
    a, b = ctx.sentence_of(c)
    c.event_id, c.event_match = match_event(
        ctx.ds.events,
        ctx.text[a:b],
        event_dates,
        {x.place_id for x in in_sentence if x.kind is Kind.PLACE},
        {x.actor_id for x in in_sentence if x.kind is Kind.ACTOR},
        ctx.ignore,
        require_date=c.kind is Kind.DATE,
        affiliation=ctx.affiliation,
        published=ctx.published,
    )
    c.event_id = c.event_id or ""
    if c.kind is Kind.DATE:
        c.target = Target.EVENT_REPORTS if c.event_id else Target.NEW_EVENT
        if TIME_ZONE_RE.search(ctx.text[a:b]):
            c.add_note(
                "A time or time zone is given in the sentence: the date may "
                "differ by a day in another time zone."
            )


def _claim_date(c: Candidate, in_sentence: list[Candidate], published: date) -> None:
    """When a figure was claimed: the nearest statement date in its sentence
    ('said on Tuesday that 2,841 ...'), else the publication date."""
    statements = [d for d in in_sentence if d.kind is Kind.DATE and d.statement]
    if statements:
        nearest = min(statements, key=lambda d: abs(d.start - c.start))
        c.claim_date, c.claim_date_prec = nearest.date_start, nearest.date_prec
        c.add_note(f"claim_date from '{nearest.matched}' in the same sentence")
    else:
        c.claim_date, c.claim_date_prec = published.isoformat(), "day"
        c.add_note("claim_date: the publication date (no statement date in the sentence)")


def _state_named(ctx: _Context, wording: str) -> tuple[str, str]:
    """The state a claimant's words name by its name in the text's language
    ('Aserbaidschan', 'Kriegsgegner Armenien'), unless they name one of its bodies."""
    if names_a_body(wording, ctx.language):
        return "", ""
    names = place_names(ctx.ds.places)
    found = find_mentions(wording, names, Kind.PLACE)
    found += find_inflected_mentions(
        wording, names, Kind.PLACE, ctx.language, [p.span for p in found]
    )
    actors = ctx.ds.actors
    states = set(actors.loc[actors["kind"] == "state", "actor_id"])
    named = {p.place_id for p in found} & states
    if len(named) != 1:
        return "", ""
    (state,) = named
    return state, f"the state named in '{wording}'"


def _claimant_nearby(ctx: _Context, c: Candidate, a: int, b: int) -> str:
    """Who a sentence with no claimant of its own (``text[a:b]``) gives its figure to:
    the one the next sentence names ('Об этом сообщает …'), or, after 'Demnach',
    'По её словам', the one of the sentence before."""
    after = next((ctx.text[x:y] for x, y in ctx.spans if x >= b), "")
    wording = claimant_after(after, ctx.language)
    if wording:
        c.add_note(f"claimant named in the next sentence: {after.strip()[:80]!r}")
        return wording
    if not refers_to_the_sentence_before(ctx.text[a:b], ctx.language):
        return ""
    before = [ctx.text[x:y] for x, y in ctx.spans if y <= a]
    if before:
        wording = claimant_wording(before[-1], len(before[-1]), ctx.language)
    wording = wording or ctx.last_named
    if wording:
        c.add_note(f"claimant of the sentence before ({ctx.text[a:b].split()[0]!r})")
    return wording


def _sentence_claimant(ctx: _Context, c: Candidate, in_sentence: list[Candidate]) -> None:
    """Who a sentence gives its claim to: the speaker of a quotation in it, an actor it
    names, an unnamed group, or the outlet's own voice. Unlike a figure's, a sentence's
    unknown speaker is left to the reviewer (no new actor is proposed for every name)."""
    quoted = [q for q in in_sentence if q.kind is Kind.QUOTE and q.speaker_id]
    if quoted:
        c.claimant, c.claimant_id, c.attribution = quoted[0].speaker, quoted[0].speaker_id, "named"
        c.add_note(f"claimant_id {c.claimant_id}: the speaker of the quotation in the sentence")
        return
    wording = claimant_wording(c.matched, 0, ctx.language)
    # Words before a closing quotation mark are the quotation's, not the speaker's.
    wording = re.split(r"[\"”»“]", wording)[-1].strip(" ,—-") if wording else wording
    if not wording:
        c.claimant, c.attribution = f"{ctx.publisher} (in its own voice)", "unattributed"
        c.add_note("no speaker named in the sentence: proposed as the outlet's own voice")
        return
    c.claimant = wording
    actor_id, why = match_claimant(wording, ctx.known, ctx.aliases)
    if actor_id:
        c.claimant_id, c.attribution = actor_id, "named"
        c.add_note(f"claimant_id {actor_id}: {why}")
    elif is_unnamed(wording, ctx.language):
        c.attribution = "vague"
    else:
        c.add_note(f"claimant '{wording}' is not an actor yet: give its claimant_id")


def _claimant(ctx: _Context, c: Candidate) -> None:
    """Fill who gave the figure: an actor, a new actor to review, or no one (unnamed)."""
    a, b = ctx.sentence_of(c)
    wording = claimant_wording(ctx.text[a:b], c.start - a, ctx.language)
    wording = wording or _claimant_nearby(ctx, c, a, b)
    if not wording:
        # No one named: propose the outlet's own voice, the usual case for a lone figure
        # ('Insgesamt starben … weit mehr als 4.700 Menschen'), for the reviewer to confirm.
        c.claimant, c.attribution = f"{ctx.publisher} (in its own voice)", "unattributed"
        c.add_note(
            "no claimant named in the sentence: proposed as the outlet's own voice "
            "(attribution 'unattributed'); if a speaker named earlier gives it, change the "
            "claimant"
        )
        return
    if refers_back(wording, ctx.language) and ctx.last_named:
        c.add_note(f"'{wording}' refers back to {ctx.last_named!r}, named before it")
        wording = ctx.last_named
    c.claimant = wording
    actor_id, why = match_claimant(wording, ctx.known, ctx.aliases)
    if not actor_id:
        actor_id, why = _state_named(ctx, wording)
    if not is_unnamed(wording, ctx.language):
        ctx.last_named = wording
    if actor_id:
        c.claimant_id, c.attribution = actor_id, "named"
        c.add_note(f"claimant_id {actor_id}: {why}")
    elif is_unnamed(wording, ctx.language):
        c.attribution = "vague"
        c.add_note(
            f"claimant '{wording}' is an unnamed group, not an actor: claimant_id stays "
            "empty and attribution is 'vague'"
        )
    else:
        new = ctx.new_claimants.get(wording)
        if new is None:
            taken = set(ctx.ds.actors["actor_id"]) | {
                n.actor_id for n in ctx.new_claimants.values()
            }
            affiliation = affiliation_in(wording, ctx.states)
            guessed = "" if affiliation else affiliation_in(ctx.text[a:b], ctx.states)
            where = max(ctx.text[a:b].find(wording), 0)
            new = Candidate(
                Kind.CLAIMANT,
                Target.ACTORS,
                a + where,
                a + where + len(wording),
                wording,
                actor_id=suggested_actor_id(wording, taken, guessed),
                affiliation_id=affiliation or guessed,
                note="a claimant the dataset has no actor for: accept to add an actors row, "
                "then give it its proper name, kind and affiliation",
            )
            ctx.new_claimants[wording] = new
        c.claimant_id, c.attribution = new.actor_id, "named"
        c.add_note(
            f"claimant_id {new.actor_id}: a new actor, proposed as its own candidate "
            f"({new.matched!r}): accept it too, with its name and actor_kind"
        )


#: Beginnings of words that count people, by language (inflected forms share them):
#: a figure of these is counted in ``people``, the unit the casualty charts use.
PEOPLE_WORDS = {
    "en": (
        "soldier",
        "servicem",
        "troop",
        "civilian",
        "people",
        "person",
        "fighter",
        "refugee",
        "peacekeeper",
        "dead",
        "wounded",
        "casualt",
        "victim",
        "resident",
        "prisoner",
    ),
    "fr": (
        "militaire",
        "soldat",
        "combattant",
        "mort",
        "civil",
        "personne",
        "victime",
        "blessé",
        "disparu",
        "réfugié",
        "habitant",
        "prisonnier",
        "tué",
    ),
    "de": (
        "soldat",
        "mensch",
        "tote",
        "zivilist",
        "kämpfer",
        "verletzte",
        "verwundete",
        "flüchtling",
        "bewohner",
        "friedenssoldat",
        "armenier",
        "aserbaidschaner",
        "opfer",
        "gefangene",
        "gefallene",
        "getötet",  # '1746 getötete Soldaten'
        "vermisst",
        "einwohner",
    ),
    "ru": (
        "военн",
        "военнослужащ",
        "человек",
        "погибш",
        "солдат",
        "мирн",
        "жител",
        "ранен",
        "бойц",
        "бежен",
        "миротвор",
        "пленн",
        "убит",
        "пропавш",
    ),
}


def _people(c: Candidate, language: str) -> None:
    """Propose the unit ``people`` for a figure whose counted word is a word for people."""
    word = c.unit.casefold()
    if word and word != "people" and word.startswith(PEOPLE_WORDS.get(language, ())):
        c.add_note(f"unit 'people': the text counts {c.unit!r}")
        c.unit = "people"


def _one_per_entity(c: Candidate, seen: dict) -> bool:
    """Keep one row per place, actor or term (its first mention); count the others."""
    if c.kind not in {Kind.PLACE, Kind.ACTOR, Kind.TERM}:
        return True
    key = (c.kind, c.matched.lower() if c.kind is Kind.TERM else c.place_id or c.actor_id)
    if key in seen:
        seen[key].mentions += 1
        return False
    seen[key] = c
    return True


def _review(ctx: _Context, candidates: list[Candidate]) -> list[Candidate]:
    seen: dict = {}
    rows = []
    for c in sorted(candidates, key=lambda c: (c.start, str(c.kind))):
        a, b = ctx.sentence_of(c)
        c.passage = c.passage or ctx.text[a:b]
        c.language = c.language or ctx.language
        if not _one_per_entity(c, seen):
            continue
        in_sentence = [x for x in candidates if a <= x.start < b]
        if c.kind is Kind.DATE and ctx.language != "en":
            c.statement = _reports_speech(ctx.text[a : c.start], ctx.language)
        if c.kind is Kind.DATE and c.statement:
            c.target = Target.CLAIM_DATE
        elif c.kind in {Kind.DATE, Kind.NUMBER, Kind.QUOTE, Kind.SENTENCE}:
            _attach_event(ctx, c, in_sentence)
        if c.kind is Kind.SENTENCE:
            _claim_date(c, in_sentence, ctx.published)
            _sentence_claimant(ctx, c, in_sentence)
        if c.kind is Kind.NUMBER:
            _claim_date(c, in_sentence, ctx.published)
            _claimant(ctx, c)
            _people(c, ctx.language)
        hits = ctx.cited.loc[(ctx.cited["start"] <= c.start) & (ctx.cited["end"] >= c.end)]
        c.already_in = "; ".join(
            f"{t}:{i}" for t, i in hits[["table", "row_id"]].itertuples(index=False)
        )
        rows.append(c)
    return rows


def suggest(ds, source_id: str):
    """Candidate rows for ``source_id`` as a DataFrame (columns :data:`COLUMNS`)."""
    import pandas as pd

    ctx = _Context(ds, source_id)
    rows = _review(ctx, _find_all(ctx))
    for c in ctx.new_claimants.values():
        a, b = ctx.sentence_of(c)
        c.passage, c.language = ctx.text[a:b], ctx.language
    rows = sorted([*rows, *ctx.new_claimants.values()], key=lambda c: (c.start, str(c.kind)))
    for c in rows:
        if c.mentions > 1:
            c.add_note(f"Mentioned {c.mentions} times; the first mention is shown.")
    frame = pd.DataFrame([c.row() for c in rows], columns=COLUMNS)
    frame["candidate_id"] = [f"c{n:03d}" for n in range(1, len(frame) + 1)]
    frame["source_id"] = source_id
    frame["note"] = frame["note"].fillna("").str.strip()
    numeric = ("start", "end", "value_low", "value_best", "value_high")
    return frame.astype({c: "object" for c in frame.columns if c not in numeric})


def unread_spans(review) -> list[str]:
    """What the review saw but could not read, one line each, for the command line.

    >>> import helpers
    >>> unread_spans(suggest(helpers.load(), "aa-2021-01-11"))
    []
    """
    rows = review.loc[review["kind"] == str(Kind.UNREAD)]
    return [
        f"{r.candidate_id} {r.matched!r} (characters {r.start}-{r.end}): {r.note}"
        for r in rows.itertuples(index=False)
    ]


def _key(row) -> tuple:
    return (str(row["kind"]), str(row["start"]), str(row["end"]), str(row["matched"]))


def merge_review(old, new):
    """``new`` candidates merged into an earlier review ``old``, losing nothing of it.

    Every row of ``old`` is kept as the researcher left it, with its candidate id, so
    an ``accept --ids`` written earlier still points at the same rows; candidates
    found only now are added with ids after the last one; a row no longer suggested
    stays, with a note saying so. Returns the merged review and how many rows were added.

    >>> import pandas as pd
    >>> old = pd.DataFrame([{"candidate_id": "c001", "kind": "number", "start": 3, "end": 8,
    ...                      "matched": "2,802", "subject": "soldiers (my words)", "note": ""}])
    >>> new = pd.DataFrame([{"candidate_id": "c001", "kind": "date", "start": 0, "end": 2,
    ...                      "matched": "Monday", "subject": "", "note": ""},
    ...                     {"candidate_id": "c002", "kind": "number", "start": 3, "end": 8,
    ...                      "matched": "2,802", "subject": "", "note": ""}])
    >>> merged, added = merge_review(old, new)
    >>> merged[["candidate_id", "matched", "subject"]].values.tolist(), added
    ([['c002', 'Monday', ''], ['c001', '2,802', 'soldiers (my words)']], 1)
    """
    import pandas as pd

    old = old.copy()
    for column in new.columns:
        if column not in old.columns:
            old[column] = ""
    known = {_key(r) for _, r in old.iterrows()}
    found = {_key(r) for _, r in new.iterrows()}
    gone = [i for i, r in old.iterrows() if _key(r) not in found]
    for i in gone:
        note = str(old.at[i, "note"] or "")
        if "no longer suggested" not in note:
            old.at[i, "note"] = (note + "; " if note else "") + "no longer suggested; kept"
    fresh = new.loc[[_key(r) not in known for _, r in new.iterrows()]].copy()
    numbers = [int(i[1:]) for i in old["candidate_id"].astype(str) if i[1:].isdigit()]
    first = max(numbers, default=0) + 1
    fresh["candidate_id"] = [f"c{n:03d}" for n in range(first, first + len(fresh))]
    merged = pd.concat([old, fresh], ignore_index=True)
    merged = merged.sort_values(
        ["start", "kind"],
        key=lambda s: pd.to_numeric(s, errors="coerce") if s.name == "start" else s,
    )
    return merged[list(new.columns) + [c for c in old.columns if c not in new.columns]].reset_index(
        drop=True
    ), len(fresh)
