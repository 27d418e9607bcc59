"""What the sequence of events shows: notebook 03's bottom line, computed from the data.

Not counts of rows but what a reader can use: how the latest fighting ended (the
event dated on its last day), when the leaders met, and what the meeting produced as
its primary records state it; then how sure anyone can be of the dates.

>>> import helpers
>>> text = finding(helpers.load())
>>> "10 November 2020" in text and "11 January 2021" in text and "working group" in text
True
>>> finding(helpers.load().as_of("1990-01-01"))
'No event is known from the sources published by 1 January 1990.'
"""

from __future__ import annotations

import pandas as pd

from ..data.wording import count
from .provenance import end_precision, format_date, phrase_date

#: The claim metrics that record what the meeting decided (the data's own vocabulary,
#: as :data:`helpers.views.claims.CASUALTY_METRICS` names casualty figures).
OUTCOME_METRICS = ("working_group",)


def _war_and_its_end(events: pd.DataFrame):
    """The latest period of fighting that an event closes: ``(start, end, label)`` and
    the events on its last day that are not fighting; ``(None, [])`` if none does."""
    from .timeline import periods

    for war in reversed(periods(events)):
        last_day = war[1] - pd.Timedelta(days=1)
        ended = events.loc[
            (events["kind"] != "military") & (events["start"] == last_day) & events["point"]
        ]
        if not ended.empty:
            return war, list(ended.itertuples(index=False))
    return None, []


def fighting_days(start: pd.Timestamp, ended: pd.Timestamp) -> int:
    """How many days a period of fighting lasted: its first day up to, not including,
    the day the event that ended it took effect.

    The end day is not counted because the data dates a ceasefire by the day it took
    effect, and both ceasefires it records took effect at midnight, at the start of
    that day (12 May 1994; 00:00 Moscow time on 10 November 2020). So the 2020 war,
    27 September to the ceasefire of 10 November, lasted 44 days: the "44-day war" of
    the sources.

    >>> fighting_days(pd.Timestamp("2020-09-27"), pd.Timestamp("2020-11-10"))
    44
    """
    return (ended.normalize() - start.normalize()).days


def _fighting(events: pd.DataFrame, war, ended) -> str:
    """The period of fighting in words, with its length in days (:func:`fighting_days`)
    when the data knows both ends to the day; the period's own label otherwise."""
    start, end, label = war
    rows = events.loc[
        (events["kind"] == "military") & (events["start"] == start) & (events["end"] == end)
    ]
    precisions = (
        {rows.iloc[0]["date_prec"], end_precision(rows.iloc[0]), ended.date_prec}
        if len(rows)
        else set()
    )
    if precisions != {"day"}:
        return f"{label},"
    return f"{fighting_days(start, ended.start)} days of fighting, from {format_date(start)},"


def _meeting(ds, events: pd.DataFrame):
    """The meeting (the event the agenda belongs to), as a row of ``events``, or None."""
    from .timeline import meeting_date

    when = meeting_date(ds)
    if when is None:
        return None
    hits = events.loc[events["start"] == pd.Timestamp(when)]
    return next(hits.itertuples(index=False), None)


def outcome(ds, meeting_id: str) -> str:
    """What the meeting produced, in the words of its primary records' rows, and how many
    sources mention the working group; ``""`` when no claim records an outcome.

    "Mention", not "report": a source may name the working group only as Putin's plan,
    in his words before the talks (Anadolu Agency does), not as what was agreed.

    >>> import helpers
    >>> print(outcome(helpers.load(), "moscow-meeting-2021-01-11"))  # doctest: +ELLIPSIS
    Its outcome: In their joint statement the three leaders ... sources mention the working group.
    """
    claims = ds.claims.loc[
        (ds.claims["event_id"] == meeting_id) & ds.claims["metric"].isin(OUTCOME_METRICS)
    ]
    if claims.empty:
        return ""
    roles = ds.sources.set_index("source_id")["role"]
    primary = claims.loc[claims["source_id"].map(roles).eq("primary")]
    said = primary if not primary.empty else claims.head(1)
    n = claims["source_id"].nunique()
    statements = " ".join(s.rstrip(".") + "." for s in said["statement"].dropna())
    mention = f"{n} of the {len(ds.sources)} sources mention the working group"
    # A source kept as passages only may mention it outside the passages kept.
    if (ds.sources["text_scope"] == "excerpt").any():
        mention = f"In the text the kit keeps, {mention}"
    return f"Its outcome: {statements} {mention}."


def _when(event, events: pd.DataFrame | None = None) -> str:
    """When an event happened, as far as the view knows.

    An event under way on an as-of view's day has no end in that view: it is said to
    have none reported, with the day it was last reported (as the chronology says),
    never to run "between" its start and the view's own day.
    """
    from .chronology import day_or, last_reported

    own = events.loc[events["event_id"] == event["event_id"]] if events is not None else None
    if own is not None and len(own) and bool(own.iloc[0].get("ongoing", False)):
        start = format_date(event["start"], day_or(event["date_prec"]))
        return f"from {start}; {last_reported(own.iloc[0]).strip()[1:-1]}"
    last = event["end"] - pd.Timedelta(days=1)
    if event["point"]:
        return format_date(event["start"])
    return phrase_date(event["start"], last, event["date_prec"], end_precision(event))


def finding(ds) -> str:
    """Notebook 03's bottom line: how the fighting ended, the meeting, its outcome, the dates."""
    from ..data.datings import disputed_events
    from .timeline import event_spans

    when = f" by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
    events = event_spans(ds)
    if events.empty:
        return f"No event is known from the sources published{when}."
    parts = []
    war, ended = _war_and_its_end(events)
    if war is not None:
        what = "; ".join(e.label for e in ended)
        fought = _fighting(events, war, ended[0])
        parts.append(f"{fought} ended on {format_date(ended[0].start)}: {what}.")
    meeting = _meeting(ds, events)
    if meeting is not None:
        parts.append(f"On {format_date(meeting.start)}: {meeting.label}.")
        said = outcome(ds, meeting.event_id)
        if said:
            parts.append(said)
    if not parts:  # an early as-of view: say where the sequence stands
        latest = events.sort_values("start").iloc[-1]
        parts.append(
            f"The latest event dated{when}: {latest['label']} ({_when(latest, ds.events)})."
        )
    disputed = [e for e in disputed_events(ds.event_reports) if e in set(events["event_id"])]
    labels = events.set_index("event_id")["label"]
    first, last = events["start"].min(), events["end"].max() - pd.Timedelta(days=1)
    span = phrase_date(first, last, "year")
    if disputed:
        names = "; ".join(f"'{labels[e]}'" for e in disputed)
        parts.append(
            f"Of the {count(len(events), 'event')} dated {span}, the sources give "
            f"irreconcilable dates for {count(len(disputed), 'event')}: {names}."
        )
    else:
        dated = count(len(events), "event")
        parts.append(f"No two sources give irreconcilable dates for any of the {dated}.")
    return " ".join(parts)
