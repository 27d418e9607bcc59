"""Notebook 03's narrative: the checked essay, or a generated chronology; and its tables.

:func:`build` returns the essay of ``data/essay.md`` (:mod:`.essay`), each sentence
checked against the rows it cites, when the full dataset is loaded and every cited
row is there; otherwise (an as-of view, or cited rows missing) a compact chronology
generated from the tables (:mod:`.chronology`). :func:`datings` lists the events the
sources really date differently (:mod:`helpers.data.datings`), :func:`actor_roles`
the actors, :func:`bottom_line` the computed bottom line.

>>> import helpers
>>> type(build(helpers.load())).__name__
'Rendered'
>>> type(build(helpers.load().as_of("2020-12-31"))).__name__
'Chronology'
"""

from __future__ import annotations

import pandas as pd

from ..data.datings import SCOPES, conflicts, disputed_events
from . import chronology, essay, essay_page, tables
from .provenance import cite, format_date, phrase_date

ACTOR_ROLES_CAPTION = "The actors and their roles in the process"
DATINGS_CAPTION = "Events the sources date differently"


def _captioned(frame: pd.DataFrame, caption: str) -> pd.DataFrame:
    frame.attrs["caption"] = caption
    return frame


class Table(tables.Table):
    """:class:`helpers.views.tables.Table`, captioned with what the frame says it is.

    Notebook 03 shows ``narrative.Table(narrative.datings(ds))``: the caption (the
    scroll box's label, unique on the page) comes from the frame's ``attrs``.

    >>> import pandas as pd
    >>> 'aria-label="Who"' in Table(_captioned(pd.DataFrame({"a": [1]}), "Who"))._repr_html_()
    True
    """

    def __init__(self, frame: pd.DataFrame, columns=None, **kwargs):
        kwargs.setdefault("caption", frame.attrs.get("caption", ""))
        super().__init__(frame, columns, **kwargs)


def _missing(value) -> bool:
    return value is None or (not isinstance(value, (str, tuple)) and pd.isna(value))


def build(ds, data_path=None):
    """The essay if it can stand for ``ds``; otherwise the generated chronology.

    The essay stands when the full dataset is loaded (not an as-of view), every row
    it cites is there and every sentence passes :func:`.essay.problems`. Otherwise
    the chronology is shown, headed by the reason, which is also written to standard
    error (the build's output), so that changed data never silently keeps a sentence
    its rows no longer support. The kit's own essay passing is a test, not a hope.
    """
    if ds.as_of_date is not None:
        return chronology.build(ds)
    folder = data_path if data_path is not None else ds.path
    text = essay.read(folder)
    rows = essay.rows_by_id(ds)
    missing = sorted({i for s in text.sentences() for i in s.ids if i not in rows})
    if missing:
        why = f"it cites rows this data does not hold ({', '.join(missing)})"
    else:
        found = essay.problems(ds, text)
        if not found:
            return essay_page.render(ds, text, folder)
        why = f"{len(found)} of its sentences no longer match their rows ({found[0].message}, …)"
        for problem in found:
            essay_page.to_build_output(f"essay: {problem}")
    essay_page.to_build_output(f"essay: not shown: {why}")
    return chronology.build(
        ds, why=f"The essay is not shown: {why}. What the sources record, event by event:"
    )


def actor_roles(ds) -> pd.DataFrame:
    """The actors and their roles in the process, each with where it comes from.

    Columns: ``actor, kind, role in the process, acts for, from, evidence``;
    states first, then people, organisations, armed forces and working groups.

    >>> import helpers
    >>> actor_roles(helpers.load().as_of("1990-01-01")).columns.tolist()
    ['actor', 'kind', 'role in the process', 'acts for', 'from', 'evidence']
    """
    actors = ds.actors.set_index("actor_id")
    order = {"state": 0, "person": 1, "organisation": 2, "armed_force": 3, "working_group": 4}
    # Before the article (an as-of view) there is no article to be outside of.
    outside = "context (outside the article)" if len(ds.sources) else "context (outside reference)"
    rows = []
    for actor_id, row in actors.iterrows():
        parent = row["affiliation_id"]
        rows.append(
            {
                "actor": row["name"],
                "kind": str(row["kind"]).replace("_", " "),
                "role in the process": row["role"] if not _missing(row["role"]) else "",
                "acts for": actors.loc[parent, "name"] if parent in actors.index else "",
                "from": "article" if row["origin"] == "article" else outside,
                "evidence": cite(ds, row),
                "_order": (order.get(row["kind"], 9), actor_id),
            }
        )
    columns = ["actor", "kind", "role in the process", "acts for", "from", "evidence"]
    if not rows:  # an as-of view from before any source names an actor
        return _captioned(pd.DataFrame(columns=columns), ACTOR_ROLES_CAPTION)
    frame = pd.DataFrame(rows).sort_values("_order").drop(columns="_order")
    return _captioned(frame.reset_index(drop=True), ACTOR_ROLES_CAPTION)


def datings(ds) -> pd.DataFrame:
    """Events the sources really date differently: one row per dated report.

    Only datings that cannot both be true count (:mod:`helpers.data.datings`): a
    report of an event's start, or a month that contains the day another source
    gives, is no disagreement. Column ``dates`` says what each report dates.

    >>> import helpers
    >>> ds = helpers.load()
    >>> d = datings(ds)
    >>> set(d["event"]) == {ds.events.set_index("event_id").loc["takeover-1990s", "label"]}
    True
    >>> d["date as reported"].tolist()
    ['in 1991', 'between 1992 and 1994']
    """
    labels = ds.events.set_index("event_id")["label"]
    columns = ["event", "who dates it", "date as reported", "dates", "from", "evidence"]
    rows = []
    for event_id, reports in ds.event_reports.groupby("event_id", sort=False):
        if event_id not in labels.index or not conflicts(reports):
            continue
        dated = reports[
            reports["reported_date_start"].notna() | reports["reported_date_end"].notna()
        ]
        for _, rep in dated.iterrows():
            rows.append(
                {
                    "event": labels[event_id],
                    "who dates it": rep["claimant"],
                    "date as reported": phrase_date(
                        rep["reported_date_start"],
                        rep["reported_date_end"],
                        rep["reported_date_prec"],
                    ),
                    "dates": SCOPES.get(rep["dating_scope"], "not recorded"),
                    "from": "article" if rep["origin"] == "article" else "context",
                    "evidence": cite(ds, rep),
                }
            )
    return _captioned(pd.DataFrame(rows, columns=columns), DATINGS_CAPTION)


def bottom_line(ds) -> str:
    """The narrative notebook's bottom line, computed from the events this build loaded.

    >>> import helpers
    >>> print(bottom_line(helpers.load().as_of("1990-01-01")))
    No event is known from the sources published by 1 January 1990.
    >>> "context" in bottom_line(helpers.load())
    True
    """
    when = f" by {format_date(ds.as_of_date)}" if ds.as_of_date else ""
    events = ds.events
    if events.empty:
        return f"No event is known from the sources published{when}."
    context = int((events["origin"] == "context").sum())
    reports = ds.event_reports
    disputed = [e for e in disputed_events(reports) if e in set(events["event_id"])]
    first, last = events["date_start"].min(), events["date_end"].max()
    span = phrase_date(first, last, "year") if pd.notna(first) else "at dates not given"
    from ..data.wording import count

    if len(ds.sources):
        origin = (
            f"{context} of them {'is' if context == 1 else 'are'} known only from outside "
            "the article (context)"
        )
    else:  # a view from before the article: it cannot be named
        origin = "all of them are known from outside references (context)"
    conflict = (
        f"the sources give irreconcilable dates for {count(len(disputed), 'event')}"
        if disputed
        else "no two sources give irreconcilable dates for any of them"
    )
    text = (
        f"The sources loaded{when} tell a sequence of {count(len(events), 'event')} {span}; "
        f"{origin}, and {conflict}. "
    )
    if "ongoing" in events and events["ongoing"].any():
        ongoing = int(events["ongoing"].sum())
        text += (
            f"For {ongoing} of them no source published by {format_date(ds.as_of_date)} "
            "reports an end. "
        )
    from .reading import references_status

    text += references_status(ds)
    return text
