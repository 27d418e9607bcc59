"""The checked essay as a page: numbered notes, context marks, flagged sentences.

:func:`render` checks the essay (:mod:`.essay`) and returns :class:`Rendered`, which
shows itself as text or as HTML (the Jinja template ``views/templates/essay.html.j2``,
autoescaped: text from sources and from the essay is shown as text, never run).
Sentences whose evidence changed since their review are marked; evidence rows newer
than the last review are listed after the essay until it is revised to use them.
"""

from __future__ import annotations

import os
import sys

import pandas as pd

from .. import paths
from .chronology import Line
from .essay import (
    CITABLE,
    EVIDENCE_TABLES,
    Essay,
    Sentence,
    actor_name,
    flags,
    is_context,
    newer_rows,
    problems,
    read,
    read_reviews,
    rows_by_id,
)
from .html import Markup, render_template
from .links import linked
from .provenance import attributed, cite, phrase_date, reference_label


class EssayError(ValueError):
    """The essay breaks its rules; the message lists every problem."""


class Rendered:
    """The checked essay, ready to show: numbered notes, context marks, flags."""

    def __init__(self, ds, essay: Essay, flagged: dict[str, str], newer=()):
        self.essay = essay
        self.flagged = flagged
        rows = rows_by_id(ds)
        key = {table: CITABLE[table] for table in EVIDENCE_TABLES}
        self.newer = [
            Line(
                _newer_text(ds, table, row),
                (_citation(ds, table, row),),
                context=row.get("origin") == "context",
                row=(table, str(row[key[table]]), "wording"),
            )
            for table, row in newer
        ]
        self._context = {s.key: is_context(s, rows) for s in essay.sentences()}
        self._notes: dict[str, int] = {}
        self._note_text: dict[str, str] = {}
        for s in essay.sentences():
            for i in s.ids:
                if i not in self._notes:
                    self._notes[i] = len(self._notes) + 1
                    self._note_text[i] = _citation(ds, *rows[i])

    def sentences(self) -> list:
        """The essay's sentences, then the lines of newer evidence it does not use yet."""
        return self.essay.sentences() + self.newer

    def context(self, sentence: Sentence) -> bool:
        return self._context[sentence.key]

    def __str__(self) -> str:
        lines = [self.essay.title, ""]
        lines += [f"! {len(self.flagged)} sentence(s) to reread: marked below.", ""] * bool(
            self.flagged
        )
        for title, paragraphs in self.essay.sections:
            lines += [title, ""] if title else []
            for para in paragraphs:
                parts = []
                for s in para:
                    mark = "[context] " if self.context(s) else ""
                    flag = f" [{self.flagged[s.key]}]" if s.key in self.flagged else ""
                    refs = "".join(f"[{self._notes[i]}]" for i in s.ids)
                    parts.append(f"{mark}{s.text}{refs}{flag}")
                lines += [" ".join(parts), ""]
        if self.newer:
            lines += [NEWER_HEADING, ""]
            lines += [f"- {line.text} ({line.citations[0]})" for line in self.newer] + [""]
        lines += ["Notes", ""]
        lines += [f"[{n}] {self._note_text[i]}" for i, n in self._notes.items()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        sections = [
            (title, [[self._sentence_view(s) for s in para] for para in paragraphs])
            for title, paragraphs in self.essay.sections
        ]
        # The notes' web addresses as links: HTML that linked() built from escaped text.
        numbered = [(n, Markup(linked(self._note_text[i]))) for i, n in self._notes.items()]
        return render_template(
            "essay.html.j2",
            flagged=len(self.flagged),
            sections=sections,
            newer=self.newer,
            newer_heading=NEWER_HEADING,
            numbered=numbered,
        )

    def _sentence_view(self, s: Sentence) -> dict:
        return {
            "text": s.text,
            "context": self.context(s),
            "refs": [(self._notes[i], self._note_text[i]) for i in s.ids],
            "flag": self.flagged.get(s.key, ""),
        }


NEWER_HEADING = "Newer evidence the essay does not use yet"


def to_build_output(line: str) -> None:
    """Say ``line`` in the build's output, not on the page.

    The page shows the same news formatted (a flag on the sentence, the newer evidence
    under :data:`NEWER_HEADING`). In a report build's kernel, ipykernel captures the
    process's standard error (file descriptor 2) into the cell's output, which the report
    would print raw; its ``sys.stderr.fileno()`` is instead the copy it kept of the
    process's original standard error, which goes to the build, which repeats the lines
    marked :data:`helpers.paths.BUILD_NOTE` under the notebook's name. In a plain Python
    session that is the terminal.
    """
    text = f"{paths.BUILD_NOTE}{line}\n"
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # a stream with no file behind it
        print(text, end="", file=sys.__stderr__ or sys.stderr, flush=True)
        return
    sys.stderr.flush()
    os.write(fd, text.encode("utf-8"))


def _newer_text(ds, table: str, row: pd.Series) -> str:
    if table == "event_reports":
        who = row["claimant"] if isinstance(row["claimant"], str) else "A source"
        when = phrase_date(
            row["reported_date_start"], row["reported_date_end"], row["reported_date_prec"]
        )
        return f"{who}: {row['wording']} ({when})."
    if table == "claims":
        return attributed(row, "sentence")
    return f"{actor_name(ds, row['speaker_id'])}: “{row['text']}”"


def _citation(ds, table: str, row: pd.Series) -> str:
    if table == "references":
        # A reference row has no excerpt of its own: its note, which quotes the words the
        # sentence rests on, is shown with it, so that the note gives the evidence.
        lead = "Context (not in the article)" if len(ds.sources) else "Outside reference"
        note = row.get("note")
        said = f" — {note}" if isinstance(note, str) and note.strip() else ""
        return f"{lead}: {reference_label(ds, row['reference_id'])}{said}"
    return cite(ds, row)


def render(ds, essay: Essay | None = None, data_path=None) -> Rendered:
    """The essay, checked: raises :class:`EssayError` listing every broken rule.

    Sentences whose evidence changed since their review are flagged, on the page and
    on standard error (the build's output).
    """
    essay = essay if essay is not None else read(data_path)
    found = problems(ds, essay)
    if found:
        raise EssayError(
            f"{len(found)} problem(s) in the essay:\n" + "\n".join(f"  {p}" for p in found)
        )
    reviews = read_reviews(data_path)
    flagged = flags(ds, essay, reviews)
    for s in essay.sentences():
        if s.key in flagged:
            to_build_output(f"essay: {flagged[s.key]}: “{s.text[:100]}”")
    newer = newer_rows(ds, essay, reviews)
    for table, row in newer:
        to_build_output(f"essay: {table} row {row.iloc[0]} is newer than the essay's review")
    return Rendered(ds, essay, flagged, newer)
