"""A compact chronology generated from the tables: one cited line per event, in date order.

Shown instead of the essay when the essay cannot stand: in an as-of view (the essay
was written knowing everything the data holds) and when rows the essay cites are
missing. Each event appears once, dated as the loaded sources date it, and cites the
reports that date it (or, failing a dated one, every report of it). An event still
under way on the view's day is said to have no end reported, with the day it was last
reported (never "under way on" the view's day, which no source of then need say); an
event whose end no loaded source gives is dated from its start.

>>> import helpers
>>> lines = build(helpers.load().as_of("2020-10-10")).lines
>>> print(next(line.text for line in lines if "2020 war" in line.text).replace("; ", ";\\n"))
From 27 September 2020: The 2020 war over Nagorno-Karabakh (no end reported;
last reported on 5 October 2020).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .html import Markup, render_template
from .links import linked
from .provenance import cite, end_precision, format_date, phrase_date, with_dual_names


@dataclass(frozen=True)
class Line:
    """One line of the chronology: its text, its citations, the event it tells."""

    text: str
    citations: tuple[str, ...]
    context: bool
    row: tuple[str, str, str]

    @property
    def kind(self) -> str:
        return "event"


class Chronology:
    """Cited lines in date order, with a heading saying why the essay is not shown."""

    def __init__(self, lines: list[Line], why: str):
        self.lines = lines
        self.why = why
        self._numbers: dict[str, int] = {}
        for line in lines:
            for c in line.citations:
                self._numbers.setdefault(c, len(self._numbers) + 1)

    def sentences(self) -> list[Line]:
        return list(self.lines)

    def __str__(self) -> str:
        out = [self.why, ""]
        for line in self.lines:
            refs = "".join(f"[{self._numbers[c]}]" for c in line.citations)
            out.append(("[context] " if line.context else "") + line.text + refs)
        out += ["", "Notes", ""]
        out += [f"[{n}] {c}" for c, n in self._numbers.items()]
        return "\n".join(out)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        lines = [
            {
                "text": line.text,
                "context": line.context,
                "refs": [(self._numbers[c], c) for c in line.citations],
            }
            for line in self.lines
        ]
        # The notes' web addresses as links: HTML that linked() built from escaped text.
        numbered = [(n, Markup(linked(c))) for c, n in self._numbers.items()]
        return render_template("chronology.html.j2", why=self.why, lines=lines, numbered=numbered)


def _when(ev, cutoff) -> str:
    """The event's date as a line's opening words: 'On 10 November 2020', 'From …'."""
    if bool(ev.get("ongoing", False)) and cutoff is not None:
        return f"From {format_date(ev['date_start'], day_or(ev['date_prec']))}"
    if not bool(ev.get("end_known", True)):
        return f"From {format_date(ev['date_start'], day_or(ev['date_prec']))}"
    phrase = phrase_date(ev["date_start"], ev["date_end"], ev["date_prec"], end_precision(ev))
    return phrase[:1].upper() + phrase[1:]


def last_reported(ev) -> str:
    """What the view knows of an event it does not see end: when it was last reported.

    Not "under way on" the view's day: no source published by then need say so.
    """
    last = ev.get("last_reported")
    if last is None or pd.isna(last):
        return " (no end reported)"
    return f" (no end reported; last reported on {format_date(last)})"


def day_or(precision) -> str:
    return precision if precision in {"month", "year"} else "day"


def build(ds, why: str | None = None) -> Chronology:
    """The chronology of ``ds``: every visible event once, in date order, each line cited."""
    from .timeline import event_spans, visible_events

    cutoff = pd.Timestamp(ds.as_of_date) if ds.as_of_date else None
    if why is None:
        why = (
            f"What the sources published by {format_date(cutoff)} record, event by event."
            if cutoff is not None
            else "What the sources record, event by event."
        )
    events = visible_events(ds).set_index("event_id")
    order = [e for e in event_spans(ds)["event_id"] if e in events.index]
    reports = ds.event_reports
    lines, seen = [], set()
    for event_id in order:
        ev = events.loc[event_id]
        label = with_dual_names(ev["label"], ds)
        if label in seen:  # the same point is never made twice
            continue
        seen.add(label)
        own = reports[reports["event_id"] == event_id]
        dated = own[own["reported_date_start"].notna() | own["reported_date_end"].notna()]
        cited = dated if len(dated) else own
        if cited.empty:
            continue
        text = f"{_when(ev, cutoff)}: {label}"
        if bool(ev.get("ongoing", False)) and cutoff is not None:
            text += last_reported(ev)
        lines.append(
            Line(
                text.rstrip(".") + ".",
                tuple(dict.fromkeys(cite(ds, r) for _, r in cited.iterrows())),
                context=bool((cited["origin"] == "context").all()),
                row=("events", event_id, "label"),
            )
        )
    return Chronology(lines, why)
