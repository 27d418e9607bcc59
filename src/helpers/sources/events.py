"""Which event of the dataset a sentence reports, and events that may be entered twice.

>>> import helpers
>>> duplicate_events(helpers.load()).empty
True
"""

from __future__ import annotations

import re

#: Words that suggest an event of each kind.
KIND_WORDS = {
    "ceasefire_diplomatic": {
        "meeting",
        "met",
        "meet",
        "talks",
        "summit",
        "agreement",
        "signed",
        "statement",
        "ceasefire",
        "cease-fire",
        "truce",
        "deal",
        "accord",
        "trilateral",
        "leaders",
    },
    "military": {
        "clashes",
        "fighting",
        "war",
        "conflict",
        "attack",
        "attacks",
        "offensive",
        "shelling",
        "battle",
        "killed",
        "violations",
        "withdrawn",
        "withdrawal",
        "death",
        "toll",
        "casualties",
        "wounded",
    },
    "humanitarian": {"humanitarian", "prisoners", "bodies", "exchange", "refugees"},
    "peacekeeping": {
        "peacekeepers",
        "peacekeeping",
        "monitoring",
        "monitor",
        "centre",
        "center",
        "deployed",
    },
}
_STOP = {
    "the",
    "and",
    "with",
    "from",
    "into",
    "that",
    "this",
    "their",
    "after",
    "ends",
    "sets",
    "takes",
    "between",
    "over",
    "according",
    "time",
    "now",
    "not",
    "all",
    "have",
    "been",
    "were",
    "was",
    "had",
    "for",
    "its",
    "which",
    "while",
    "both",
    "side",
    "said",
    "says",
    "first",
    "such",
    "new",
    "also",
    "our",
    "they",
    "them",
    "there",
    "then",
    "are",
    "is",
    "has",
    "will",
    "being",
}
#: Days added on either side of an event's dates when matching: a signing date and
#: an entry into force, or two time zones, may put the same event a day or two apart.
DATE_TOLERANCE_DAYS = 3


def _stem(word: str) -> str:
    # Light stemming, enough for 'deployed'/'deploy', 'talks'/'talk', 'meeting'/'meet'.
    for suffix, shortest in (("ing", 6), ("ed", 6), ("s", 5)):
        if len(word) >= shortest and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """Content words (hyphenated ones also split), lightly stemmed: for key-word overlap.

    >>> sorted(content_words("Peacekeepers deployed; six-week-long talks"))
    ['deploy', 'long', 'peacekeeper', 'six', 'six-week-long', 'talk', 'week']
    """
    words = set()
    for word in re.findall(r"[^\W\d_][\w-]{2,}", text.lower()):
        words |= {word, *word.split("-")}
    return {_stem(w) for w in words if len(w) > 2 and w not in _STOP}


def match_event(
    events,
    sentence: str,
    dates: list[tuple[str, str]],
    place_ids: set,
    actor_ids: set,
    ignore: frozenset = frozenset(),
    require_date: bool = True,
    affiliation: dict | None = None,
    published=None,
):
    """The existing event a sentence most likely reports, and why; or ``(None, "")``.

    Signals are a shared place, shared actors (an event's actors include the
    states their forces belong to), words of the event's label, and two or more
    words typical of its kind (``KIND_WORDS``). With
    ``require_date`` and ``dates`` given (a date candidate), the event's dates
    must overlap one of ``dates`` (± ``DATE_TOLERANCE_DAYS``) and one signal is
    enough. Otherwise (a figure or a quotation: the dates in its sentence may be
    when something was *said*), two signals are needed and overlapping dates only
    break ties. Words in ``ignore`` (names of places and actors, counted as such)
    are not key words. An event that began after the text was ``published`` (± the
    tolerance) is not one it can report.

    >>> import helpers
    >>> events = helpers.load().events
    >>> match_event(events, "The leaders met in Moscow on Monday.",
    ...             [("2021-01-12", "2021-01-12")], {"moscow"}, set())
    ... # doctest: +NORMALIZE_WHITESPACE
    ('moscow-meeting-2021-01-11',
     'dates overlap (±3 days); place moscow; key words leader, met, moscow')
    >>> match_event(events, "Nearly 2,000 peacekeepers have been deployed.", [], set(), set())
    ('peacekeepers-deployed', 'key words deploy, peacekeeper')
    """
    import pandas as pd

    best, best_score, best_why = None, 0.0, ""
    words = content_words(sentence)
    tolerance = pd.Timedelta(days=DATE_TOLERANCE_DAYS)
    latest = pd.Timestamp(published) + tolerance if published is not None else None
    for event in events.itertuples(index=False):
        if latest is not None and event.date_start > latest:
            continue  # began after the text was written
        why = []
        overlap = any(
            pd.Timestamp(first) <= event.date_end + tolerance
            and pd.Timestamp(last) >= event.date_start - tolerance
            for first, last in dates
        )
        if require_date and dates and not overlap:
            continue
        if overlap:
            why.append(f"dates overlap (±{DATE_TOLERANCE_DAYS} days)")
        signals = 0
        if _same_day(event, dates):
            signals += 1
            why.append(f"the same day as the event ({event.date_start.date().isoformat()})")
        if isinstance(event.place_id, str) and event.place_id in place_ids:
            signals += 1
            why.append(f"place {event.place_id}")
        involved = set(event.actor_ids or ())
        involved |= {(affiliation or {}).get(a) for a in involved} - {None}
        shared = sorted(involved & actor_ids)
        if shared:
            signals += 1
            why.append("actors " + ", ".join(shared))
        kind_words = {w for k in KIND_WORDS.get(event.kind, set()) for w in content_words(k)}
        label_keys = (words & content_words(event.label)) - ignore
        kind_keys = (words & kind_words) - ignore
        keys = sorted(kind_keys | label_keys)
        signals += bool(label_keys) + (len(kind_keys) >= 2)
        if keys:
            why.append("key words " + ", ".join(keys))
        needed = 1 if (require_date and dates) else 2
        # The event's own label words weigh more than words typical of its kind.
        score = (
            signals
            + (1.5 if overlap else 0)
            + 0.1 * len(keys)
            + 0.2 * len(label_keys)
            + 0.1 * len(shared)
        )
        # Prefer the narrowest event among equals: a meeting over the whole war.
        score -= 0.001 * (event.date_end - event.date_start).days / 365
        if signals >= needed and score > best_score:
            best, best_score, best_why = event.event_id, score, "; ".join(why)
    return best, best_why


def _same_day(event, dates: list[tuple[str, str]]) -> bool:
    """Whether a one-day event falls on a one-day date of the text (in any language)."""
    import pandas as pd

    if event.date_prec != "day" or event.date_start != event.date_end:
        return False
    return any(first == last and pd.Timestamp(first) == event.date_start for first, last in dates)


def _apart(x, y, tolerance) -> bool:
    """Whether two dates are known and further apart than ``tolerance``.

    An unknown date (an as-of view may not know one yet) rules nothing out.

    >>> import pandas as pd
    >>> day = pd.Timedelta(days=1)
    >>> _apart(pd.Timestamp("2020-11-10"), pd.Timestamp("2020-11-20"), day)
    True
    >>> _apart(pd.NaT, pd.Timestamp("2020-11-20"), day)
    False
    """
    import pandas as pd

    if pd.isna(x) or pd.isna(y):
        return False
    return abs(x - y) > tolerance


def duplicate_events(ds):
    """Pairs of events that may be one event entered twice, and why.

    Two events are flagged when they are of the same kind, both their first and
    last days agree within ``DATE_TOLERANCE_DAYS``, and they share a place, two
    actors or two words of their labels. A second source's report of an event
    the dataset has should be an ``event_reports`` row of that event, not a new
    event; this is the check after accepting rows.

    >>> import helpers
    >>> duplicate_events(helpers.load()).empty
    True
    """
    import pandas as pd

    tolerance = pd.Timedelta(days=DATE_TOLERANCE_DAYS)
    rows = []
    events = list(ds.events.itertuples(index=False))
    for i, a in enumerate(events):
        for b in events[i + 1 :]:
            if a.kind != b.kind:
                continue
            if _apart(a.date_start, b.date_start, tolerance) or _apart(
                a.date_end, b.date_end, tolerance
            ):
                continue
            why = []
            if isinstance(a.place_id, str) and a.place_id == b.place_id:
                why.append(f"same place {a.place_id}")
            actors = sorted(set(a.actor_ids or ()) & set(b.actor_ids or ()))
            if len(actors) >= 2:
                why.append("shared actors " + ", ".join(actors))
            words = sorted(content_words(a.label) & content_words(b.label))
            if len(words) >= 2:
                why.append("shared label words " + ", ".join(words))
            if why:
                rows.append(
                    (
                        a.event_id,
                        b.event_id,
                        a.kind,
                        f"dates within {DATE_TOLERANCE_DAYS} days; " + "; ".join(why),
                    )
                )
    return pd.DataFrame(rows, columns=["event_id", "possible_duplicate_of", "kind", "why"])
