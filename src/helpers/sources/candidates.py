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
    note: str = ""
    #: A date that dates a statement ('said on Tuesday') rather than an event.
    statement: bool = False
    #: How often a name occurs in the text (one row per name: its first mention).
    mentions: int = 1

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    def add_note(self, text: str) -> None:
        """Append ``text`` to the note, separated by '; '."""
        if text:
            self.note = f"{self.note}; {text}" if self.note else text

    def row(self) -> dict:
        """The review file's columns (:data:`COLUMNS`) for this candidate."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["kind"], values["target_table"] = str(self.kind), str(self.target)
        return {c: values.get(c) for c in COLUMNS}


#: The review file's columns, in order.
COLUMNS = [
    "candidate_id",
    "source_id",
    "kind",
    "target_table",
    "language",
    "passage",
    "start",
    "end",
    "matched",
    "value_low",
    "value_best",
    "value_high",
    "bound",
    "unit",
    "claimant",
    "claimant_id",
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
    "note",
]


def overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    """Whether ``span`` overlaps any span in ``taken``.

    >>> overlaps((3, 5), [(0, 4)]), overlaps((4, 6), [(0, 4)])
    (True, False)
    """
    return any(span[0] < b and a < span[1] for a, b in taken)
