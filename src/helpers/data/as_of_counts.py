"""Words that count or order events, recomputed for the events an as-of view holds.

The kit labels a series of like events with ordinals ("A first, Russian-mediated
humanitarian ceasefire", "A second humanitarian ceasefire") and speaks of them in the
plural ("breaking the humanitarian ceasefires"). Both are true of the whole dataset; on
11 October 2020 only one such ceasefire had been reported, so "a first" promised a second
nobody knew of. A series is the events of one ``kind`` whose labels carry an ordinal; an
ordinal k is said only when the view holds at least max(k, 2) of them, and while it holds
one, a plural of the series' own nouns is said in the singular.

>>> import pandas as pd
>>> events = pd.DataFrame({
...     "event_id": ["hc1", "viol"], "kind": ["humanitarian"] * 2,
...     "label": ["A first, Russian-mediated humanitarian ceasefire takes effect",
...               "Each side accuses the other of breaking the humanitarian ceasefires"]})
>>> for label in counted_labels(events)["label"]:
...     print(label)
A Russian-mediated humanitarian ceasefire takes effect
Each side accuses the other of breaking the humanitarian ceasefire
"""

from __future__ import annotations

import re

import pandas as pd

#: The ordinal words the kit's labels use, and the place each gives.
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_ORDINAL = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b,?\s*", re.IGNORECASE)


def head_noun(label: str) -> str | None:
    """The thing a series label counts: the last word of the phrase after its ordinal, up
    to a comma or the verb (a word ending in -s).

    >>> head_noun("A third humanitarian ceasefire, announced by Washington, is due")
    'ceasefire'
    >>> head_noun("A first, Russian-mediated humanitarian ceasefire takes effect")
    'ceasefire'
    """
    match = _ORDINAL.search(label)
    if not match:
        return None
    words = []
    for word in label[match.end() :].split():
        if word.endswith("s") and words:
            break
        words.append(word.rstrip(","))
        if word.endswith(","):
            break
    return words[-1].lower() if words else None


def series_of(events: pd.DataFrame) -> dict[str, list[str]]:
    """The ids of each kind's events whose label carries an ordinal, by kind.

    >>> series_of(pd.DataFrame({"event_id": ["a", "b", "c"], "kind": ["k", "k", "k"],
    ...                         "label": ["A first x", "A second x", "x violated"]}))
    {'k': ['a', 'b']}
    """
    out: dict[str, list[str]] = {}
    for ev in events.itertuples(index=False):
        if isinstance(ev.label, str) and _ORDINAL.search(ev.label):
            out.setdefault(ev.kind, []).append(ev.event_id)
    return out


def counted(text, held: int, nouns: set[str]):
    """``text`` with the ordinals and plurals that ``held`` events of the series cannot bear.

    >>> counted("A second humanitarian ceasefire takes effect", 2, {"ceasefire"})
    'A second humanitarian ceasefire takes effect'
    >>> counted("after the first humanitarian ceasefire took effect", 1, {"ceasefire"})
    'after the humanitarian ceasefire took effect'
    >>> counted("A third humanitarian ceasefire", 2, {"ceasefire"})
    'A humanitarian ceasefire'
    """
    if not isinstance(text, str):
        return text

    def ordinal(match: re.Match) -> str:
        place = ORDINALS[match[1].lower()]
        return match[0] if held >= max(place, 2) else ""

    text = _ORDINAL.sub(ordinal, text)
    if held == 1:
        for noun in nouns:
            text = re.sub(rf"\b{noun}s\b", noun, text)
    return text


def counted_labels(events: pd.DataFrame, reports: pd.DataFrame | None = None):
    """``events`` (and, if given, their ``reports``' wording) with the words that count or
    order a series recomputed for the events held. Returns the events, or both frames."""
    events = events.copy()
    if reports is not None:
        reports = reports.copy()
    for kind, ids in series_of(events).items():
        held = len(ids)
        if held >= max(ORDINALS.values()):
            continue
        labels = events.loc[events["event_id"].isin(ids), "label"]
        nouns = {head_noun(str(label)) for label in labels} - {None}
        same_kind = events["kind"] == kind
        events.loc[same_kind, "label"] = events.loc[same_kind, "label"].map(
            lambda t, held=held, nouns=nouns: counted(t, held, nouns)
        )
        if reports is not None and "wording" in reports:
            of_kind = reports["event_id"].isin(set(events.loc[same_kind, "event_id"]))
            reports.loc[of_kind, "wording"] = reports.loc[of_kind, "wording"].map(
                lambda t, held=held, nouns=nouns: counted(t, held, nouns)
            )
    return events if reports is None else (events, reports)
