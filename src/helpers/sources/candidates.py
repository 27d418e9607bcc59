"""The candidate record: one finding in a source's text, proposed for review.

A :class:`Candidate` is what every finder returns (numbers, dates, quotations,
names, claimants, glossary terms) and what one row of a review file holds. Its
``kind`` and ``target`` are enums, so a misspelt kind fails loudly instead of
silently steering a branch.

>>> c = Candidate(Kind.NUMBER, Target.CLAIMS, 4, 9, "2,802", value_best=2802.0)
>>> c.row()["kind"], c.row()["target_table"], c.row()["value_best"]
('number', 'claims', 2802.0)
>>> c.add_note("first"); c.add_note("second"); c.note
'first; second'
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum


class Kind(StrEnum):
    """What a candidate is."""

    NUMBER = "number"
    DATE = "date"
    QUOTE = "quote"
    PLACE = "place"
    ACTOR = "actor"
    #: Who makes a claim, not yet an actor: accepting it adds an actors row.
    CLAIMANT = "claimant"
    TERM = "term"
    #: A sentence, proposed as a plain claim (no figure): what someone said, did or
    #: reported ('the leaders did not shake hands'). Accepting it adds a qualitative
    #: claims row with the sentence (or the part of it the reviewer keeps) as its passage.
    SENTENCE = "sentence"
    #: Something that looks like a figure or a date but could not be read.
    UNREAD = "unread"


class Target(StrEnum):
    """Where an accepted candidate goes (shown as ``target_table``)."""

    CLAIMS = "claims"
    #: The date of a statement ('said on Tuesday'): a claim's claim_date, not a row.
    CLAIM_DATE = "claims (claim_date)"
    EVENT_REPORTS = "event_reports"
    #: A date no event in the dataset matches: a new event first, then its report.
    NEW_EVENT = "events + event_reports"
    QUOTES = "quotes"
    PLACES = "places"
    ACTORS = "actors"
    GLOSSARY = "glossary"
    #: Nothing to accept: read the passage yourself.
    NONE = "none (read it yourself)"


@dataclass
class Candidate:
    """One finding: where it is in the text, what was matched, and what it parses to."""

    kind: Kind
    target: Target
    start: int
    end: int
    matched: str
    passage: str = ""
    language: str = ""
    value_low: float | None = None
    value_best: float | None = None
    value_high: float | None = None
    bound: str = ""
    unit: str = ""
    claimant: str = ""
    claimant_id: str = ""
    claim_date: str = ""
    claim_date_prec: str = ""
    date_start: str = ""
    date_end: str = ""
    date_prec: str = ""
    date_basis: str = ""
    quote_text: str = ""
    speaker: str = ""
    speaker_id: str = ""
    place_id: str = ""
    actor_id: str = ""
    affiliation_id: str = ""
    term_id: str = ""
    event_id: str = ""
    event_match: str = ""
    already_in: str = ""
    #: Every way an ambiguous figure can be read ('2783 (…) or 2.783 (…)'); empty if sure.
    readings: str = ""
    note: str = ""
    #: A date that dates a statement ('said on Tuesday') rather than an event.
    statement: bool = False
    #: How often a name occurs in the text (one row per name: its first mention).
    mentions: int = 1
    #: Proposed for a figure: 'named' (an actor), 'vague' (an unnamed group), or ''.
    attribution: str = ""

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    def add_note(self, text: str) -> None:
        """Append ``text`` to the note, separated by '; '."""
        if text:
            self.note = f"{self.note}; {text}" if self.note else text

    def row(self) -> dict:
        """The review file's columns (:data:`COLUMNS`) for this candidate."""
        # 'statement' here flags a date; the review's 'statement' column is the researcher's.
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "statement"}
        values["kind"], values["target_table"] = str(self.kind), str(self.target)
        return {c: values.get(c) for c in COLUMNS}


#: Cells only the researcher can fill, written in the review file beside the tool's
#: proposals (empty until then): ``{review column: (table, column of that table)}``.
#: ``accept`` copies them into the rows it appends and refuses, listing every empty
#: one at once, while a row the reports need is incomplete.
JUDGEMENT = {
    "subject": ("claims", "subject"),
    "side_id": ("claims", "side_id"),
    "metric": ("claims", "metric"),
    "attribution": ("claims", "attribution"),
    "statement": ("claims", "statement"),
    "caveat": ("claims", "caveat"),
    "translation": ("claims", "translation"),
    "translation_by": ("claims", "translation_by"),
    "translated": ("quotes", "translated"),
    "name": ("actors", "name"),
    "actor_kind": ("actors", "kind"),
}

#: The review file's columns, in order: what to accept and the researcher's cells
#: first, then what the tool found. ``note`` is the tool's note to the reviewer: it
#: stays in the review file and never reaches a table.
COLUMNS = [
    "candidate_id",
    "accept",
    "kind",
    "matched",
    "readings",
    "value_low",
    "value_best",
    "value_high",
    "bound",
    "unit",
    "claimant",
    "claimant_id",
    *JUDGEMENT,
    "note",
    "source_id",
    "target_table",
    "language",
    "passage",
    "start",
    "end",
    "claim_date",
    "claim_date_prec",
    "date_start",
    "date_end",
    "date_prec",
    "date_basis",
    "quote_text",
    "speaker",
    "speaker_id",
    "place_id",
    "actor_id",
    "affiliation_id",
    "term_id",
    "event_id",
    "event_match",
    "already_in",
]


def overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    """Whether ``span`` overlaps any span in ``taken``.

    >>> overlaps((3, 5), [(0, 4)]), overlaps((4, 6), [(0, 4)])
    (True, False)
    """
    return any(span[0] < b and a < span[1] for a, b in taken)
