"""The dataset as it could have been known on a given day (:meth:`Dataset.as_of`).

A source counts from its publication day, a reference from the last day its dating
allows (:func:`published_by`); text the kit wrote that names a later date
(:func:`dates_in_text`) is withheld.

>>> from helpers import load
>>> ds = load()
>>> view = as_of(ds, "2020-11-15")
>>> view.as_of_date.isoformat(), bool((view.sources["published"] <= "2020-11-15").all())
('2020-11-15', True)
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from ..text.dates import written_dates
from .as_of_counts import counted_labels
from .schema import SOURCED_TABLES


def published_by(published, precision) -> pd.Series:
    """The last day a publication dated at ``precision`` may have appeared.

    A reference known only to the year 2013 may have appeared on 31 December 2013, so
    an as-of view of 1 June 2013 cannot count on it. Works on Series (or scalars).

    >>> days = published_by(pd.Series(pd.to_datetime(["2013-01-01", "2020-11-01", "2021-01-30"])),
    ...                      pd.Series(["year", "month", "day"]))
    >>> [d.date().isoformat() for d in days]
    ['2013-12-31', '2020-11-30', '2021-01-30']
    >>> published_by(pd.Series([pd.NaT]), pd.Series([None])).isna().all()
    np.True_

    A date known only as a lower bound ("in or after 2012") has no last day:

    >>> published_by(pd.Series(pd.to_datetime(["2012-01-01"])), pd.Series(["year_or_later"]))[0]
    NaT
    """
    published = pd.to_datetime(pd.Series(published)).reset_index(drop=True)
    precision = pd.Series(precision).reset_index(drop=True)
    out = published.copy()
    # The last day of the period (pandas.Period) the date is known to.
    for unit, freq in (("year", "Y"), ("month", "M")):
        at = precision == unit
        out[at] = published[at].dt.to_period(freq).dt.end_time.dt.normalize()
    out[precision.fillna("").astype(str).str.endswith("_or_later")] = pd.NaT
    return out


def last_days(references: pd.DataFrame) -> pd.Series:
    """Each reference's last possible day of publication (:func:`published_by`), by id.

    A reference dated only from below ("in or after 2012") certainly existed on the day
    its copy was compared (``checked_on``), and is not counted on before that day.

    >>> from helpers import load
    >>> last_days(load().references)["wikipedia-stepanakert-airport"].year > 2012
    True
    """
    last_day = published_by(references["published"], references["published_prec"])
    lower_bound = references["published_prec"].fillna("").astype(str).str.endswith("_or_later")
    checked_on = pd.to_datetime(references["checked_on"]).reset_index(drop=True)
    last_day = last_day.where(~lower_bound.reset_index(drop=True), checked_on)
    last_day.index = pd.Index(references["reference_id"])
    return last_day


def dates_in_text(text) -> list[pd.Timestamp]:
    """The first day of every date a text names, at the precision it names it.

    "January 2021" names 1 January 2021 at the earliest; "1994" names 1 January 1994.
    Numbers that are not years (2,802; 48,000; 00:00) are not dates; a date written
    without its year ("Nov. 10") is not placed. The kit's one reader of dates in text
    (:func:`helpers.text.dates.written_dates`) finds them.

    >>> [d.date().isoformat() for d in dates_in_text(
    ...     "opened on 30 January 2021; signed Nov. 10, 2020; in 1992-1994; 2,802 killed")]
    ['2021-01-30', '2020-11-10', '1992-01-01', '1994-01-01']
    >>> dates_in_text(None)
    []
    """
    return [pd.Timestamp(d.first) for d in written_dates(text)]


#: Columns the kit writes in its own words, per table: an as-of view empties any that
#: names a date later than its day. (Passages, excerpts and quotations are the sources'
#: own words, published by then.)
KIT_TEXT = {
    "events": ("label", "date_basis", "note"),
    "event_reports": ("wording", "date_basis", "framing_note"),
    "claims": ("statement", "caveat", "framing_note", "subject"),
    "actors": ("role", "note"),
    "places": ("note",),
    "quotes": ("note",),
    "topics": ("topic", "emphasis"),
    "glossary": ("explanation", "whose_framing", "neutral_alternative"),
    "renderings": ("note",),
    "references": ("title", "note"),
    "sources": ("published_basis", "perspective"),
}
#: What an emptied required cell says instead (the row itself is still known).
WITHHELD = "(wording withheld in this as-of view: it names a later date)"
#: Words by which the kit's own text names the stored source (the article) or its
#: publisher; withheld in views dated before any source was published.
NAMES_THE_SOURCE = re.compile(r"\bthe article\b|\bthe agency\b|\bAnadolu\b", re.IGNORECASE)
WITHHELD_SOURCE = "(wording withheld in this as-of view: it names a source not yet published)"


#: Where the kit's own text may be cut into sentences: after a full stop (not one of an
#: abbreviation such as "U.S." or "No.") before a capital or an opening bracket or quote.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)”'\"][.!?])\s+(?=[A-Z(“\"'])")
#: Columns that must hold some text: a cell wholly withheld says so.
_REQUIRED = {"label", "wording", "statement", "title", "topic", "subject"}


def without_sentences(text, bad) -> str | None:
    """``text`` without the sentences for which ``bad(sentence)`` holds; ``None`` if no
    sentence is left. A caveat whose corroboration cites a later reference keeps its
    counter-view, which a reference known by then supports.

    >>> without_sentences("Matches Reuters (reference r-2021). The authorities contest it.",
    ...                   lambda s: "r-2021" in s)
    'The authorities contest it.'
    >>> without_sentences("Named by r-2021.", lambda s: "r-2021" in s) is None
    True
    """
    if not isinstance(text, str):
        return text
    kept = [s for s in _SENTENCE_END.split(text) if not bad(s)]
    return " ".join(kept) if kept else None


def _withhold(frame: pd.DataFrame, bad, withheld: str) -> pd.DataFrame:
    """The kit's own text cells of ``frame`` without their sentences that ``bad`` finds;
    a cell left with none is emptied (a required one says ``withheld``)."""
    out = frame.copy()
    for column in KIT_TEXT.get(_table_of(frame), ()):
        if column not in out.columns:
            continue
        hit = out[column].map(lambda v: isinstance(v, str) and bad(v))
        if not hit.any():
            continue
        out[column] = out[column].astype(object)
        for i in out.index[hit]:
            kept = without_sentences(out.at[i, column], bad)
            out.at[i, column] = kept if kept else (withheld if column in _REQUIRED else pd.NA)
    return out


#: The columns holding the words of sources and references themselves.
_PUBLISHED_WORDS = ("passage", "excerpt", "translation")


def announced_dates(tables: dict) -> set[pd.Timestamp]:
    """The dates that the passages and excerpts of ``tables`` (all published by the view's
    day) name: a deadline announced before it fell ("before 30 January 2021", in the
    joint statement of 12 January) is known on the view's day, not hindsight."""
    return {
        d
        for frame in tables.values()
        for column in _PUBLISHED_WORDS
        if column in frame.columns
        for text in frame[column].dropna()
        for d in dates_in_text(text)
    }


def _without_later_dates(
    frame: pd.DataFrame, cutoff: pd.Timestamp, announced: set = frozenset()
) -> pd.DataFrame:
    """The kit's own text cells without their sentences that name a date after ``cutoff``
    (unless a passage or excerpt published by then names it: ``announced``)."""

    def later(text) -> bool:
        return any(d > cutoff and d not in announced for d in dates_in_text(text))

    return _withhold(frame, later, WITHHELD)


def _without_source_names(frame: pd.DataFrame) -> pd.DataFrame:
    """The kit's own text cells without their sentences that name the article or its
    publisher."""
    return _withhold(frame, lambda v: bool(NAMES_THE_SOURCE.search(v)), WITHHELD_SOURCE)


#: A row or reference id as the kit's text names it ("report r-agdam", "reference
#: afp-asianage-2020-12-01"): lower case with at least one hyphen, not inside a longer id.
_ID = re.compile(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])")
WITHHELD_ID = "(wording withheld in this as-of view: it names a row or reference not yet known)"


def _ids(tables) -> set[str]:
    """Every id of the tables given (``{name: frame}``): the first column of each."""
    return {
        str(i)
        for name, frame in tables.items()
        if isinstance(frame, pd.DataFrame) and _table_of(frame)
        for i in frame.iloc[:, 0].dropna()
    }


def _without_unknown_ids(tables: dict, every_id: set[str]) -> dict:
    """Empty the kit's own text cells that name a row or reference the view does not hold.

    A note that points at "reference wikipedia-occupied-territories-1176448577" (2023)
    cannot be shown in a view of 2021, where that reference does not exist yet.
    """
    unknown = every_id - _ids(tables)
    if not unknown:
        return tables

    def names_unknown(text: str) -> bool:
        return any(m in unknown for m in _ID.findall(text))

    return {name: _withhold(frame, names_unknown, WITHHELD_ID) for name, frame in tables.items()}


def _table_of(frame: pd.DataFrame) -> str:
    """Which table a frame is, by its first column (the id)."""
    first = frame.columns[0]
    return {
        "event_id": "events",
        "report_id": "event_reports",
        "claim_id": "claims",
        "actor_id": "actors",
        "place_id": "places",
        "quote_id": "quotes",
        "topic_id": "topics",
        "term_id": "glossary",
        "rendering_id": "renderings",
        "reference_id": "references",
        "source_id": "sources",
    }.get(first, "")


def _date_from_known_reports(
    events: pd.DataFrame, known: pd.DataFrame, every: pd.DataFrame
) -> pd.DataFrame:
    """Events whose dating rests on reports not yet known: dated from the known ones.

    That is an event dated from outside the article (``date_origin=context``) that has
    context reports, none of them known yet; and an event from the article none of
    whose article reports is known yet (an as-of view before the article).
    """
    from .datings import redate

    events = events.copy()
    events["end_known"] = True
    for i in events.index:
        event_id = events.at[i, "event_id"]
        own = known[known["event_id"] == event_id]
        had = set(every.loc[every["event_id"] == event_id, "origin"])
        has = set(own["origin"])
        context_gone = events.at[i, "date_origin"] == "context" and "context" in had - has
        article_gone = events.at[i, "origin"] == "article" and "article" not in has
        if not (context_gone or article_gone):
            continue
        redate(events, i, own)
        events.loc[i, "date_origin"] = "article" if "article" in has else "context"
        if article_gone:
            events.loc[i, "origin"] = "context"
        events.loc[i, ["date_basis", "note"]] = [
            "Dated from the reports known on this view's date.",
            pd.NA,
        ]
    return events


def _without_dangling_ids(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Empty ids that point at rows an as-of view left out (views join on them)."""
    ids = {
        "actors": set(tables["actors"]["actor_id"]),
        "places": set(tables["places"]["place_id"]),
        "events": set(tables["events"]["event_id"]),
    }
    pointers = {
        "events": {"place_id": "places"},
        "actors": {"affiliation_id": "actors"},
        "places": {"parent_id": "places"},
        "claims": {"event_id": "events", "claimant_id": "actors", "side_id": "actors"},
        "quotes": {"event_id": "events"},
        "topics": {"raised_by_id": "actors", "assigned_to_id": "actors"},
    }
    out = dict(tables)
    for name, columns in pointers.items():
        frame = out[name].copy()
        for column, target in columns.items():
            bad = frame[column].notna() & ~frame[column].isin(ids[target])
            frame[column] = frame[column].astype(object).where(~bad, pd.NA)
        out[name] = frame
    events = out["events"].copy()
    events["actor_ids"] = events["actor_ids"].map(
        lambda v: tuple(a for a in v if a in ids["actors"]) if isinstance(v, tuple) else v
    )
    out["events"] = events
    # Topics and quotes belong to an event; without it they tell nothing in this view.
    for name in ("topics", "quotes"):
        frame = out[name]
        if name == "topics":
            frame = frame.loc[frame["event_id"].isin(ids["events"])]
        out[name] = frame
    speakers = out["quotes"]["speaker_id"].isin(ids["actors"])
    out["quotes"] = out["quotes"].loc[speakers]
    return out


def as_of(ds, when):
    """``ds`` as it could have been known at the end of day ``when`` (see :meth:`Dataset.as_of`)."""
    if when is None:
        return ds
    cutoff = pd.Timestamp(when).normalize()
    known_sources = set(ds.sources.loc[ds.sources["published"] <= cutoff, "source_id"])
    refs = ds.references
    by_ref = last_days(refs)  # each reference's last possible day, by id
    known_refs = set(by_ref.index[by_ref.notna() & (by_ref <= cutoff)])
    kept = {
        name: _citing_known(getattr(ds, name), known_sources, known_refs) for name in SOURCED_TABLES
    }
    reports = _reports_by(kept["event_reports"], cutoff)
    claims = kept["claims"]
    kept["claims"] = claims.loc[claims["claim_date"] <= cutoff].reset_index(drop=True)
    events = _events_by(ds, reports, by_ref, cutoff)
    reports = reports.loc[reports["event_id"].isin(set(events["event_id"]))]
    # "A first …", "the … ceasefires": counted from the events held, not the whole dataset.
    events, reports = counted_labels(events, reports)
    kept["event_reports"] = reports.reset_index(drop=True)
    tables = {
        "sources": ds.sources.loc[ds.sources["source_id"].isin(known_sources)],
        "references": refs.loc[refs["reference_id"].isin(known_refs)],
        "events": events,
        **kept,
    }
    announced = announced_dates(tables)
    tables = {
        name: _without_later_dates(frame, cutoff, announced) for name, frame in tables.items()
    }
    if not known_sources:  # the article did not exist yet: the kit's text may not name it
        tables = {name: _without_source_names(frame) for name, frame in tables.items()}
    tables = _without_dangling_ids(tables)
    tables = _without_unknown_ids(tables, _ids(ds.__dict__))
    return replace(
        ds,
        texts={k: v for k, v in ds.texts.items() if k in known_sources},
        as_of_date=cutoff.date(),
        **{name: frame.reset_index(drop=True) for name, frame in tables.items()},
    )


def _citing_known(frame: pd.DataFrame, known_sources: set, known_refs: set) -> pd.DataFrame:
    """The rows whose every cited source and reference is known (an article row may
    also cite a reference for its caveat)."""
    source_ok = frame["source_id"].isna() | frame["source_id"].isin(known_sources)
    ref_ok = frame["reference_id"].isna() | frame["reference_id"].isin(known_refs)
    cites = frame["source_id"].notna() | frame["reference_id"].notna()
    return frame.loc[source_ok & ref_ok & cites].reset_index(drop=True)


def _reports_by(reports: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Reports whose dating has begun by ``cutoff``, their dating cut at ``cutoff``."""
    reports = reports.loc[
        reports["reported_date_start"].isna() | (reports["reported_date_start"] <= cutoff)
    ].copy()
    reports["reported_date_end"] = reports["reported_date_end"].where(
        reports["reported_date_end"].isna() | (reports["reported_date_end"] <= cutoff),
        cutoff,
    )
    return reports


def _witnesses(reports: pd.DataFrame, appeared: pd.Series, began: pd.Series) -> pd.Series:
    """Which reports show that their event took place (by the view's day).

    A report that dates the event is evidence that it happened, if it appeared once the
    event had begun. A report that gives no date is evidence only if it appeared after
    the day the event began: one published on or before that day is a provision, a plan
    or a deadline (the November 2020 statement "provides for" the peacekeepers'
    deployment on the day the data dates it), not a report that it took place.

    >>> reports = pd.DataFrame({"reported_date_start": [pd.NaT, pd.NaT, pd.Timestamp("2020-11-10")],
    ...                         "reported_date_end": [pd.NaT] * 3})
    >>> day = pd.Series(pd.to_datetime(["2020-11-10", "2020-12-01", "2020-11-10"]))
    >>> _witnesses(reports, day, pd.Series(pd.to_datetime(["2020-11-10"] * 3))).tolist()
    [False, True, True]
    """
    dated = reports["reported_date_start"].notna() | reports["reported_date_end"].notna()
    after = appeared.values > began.values
    on_or_after = appeared.values >= began.values
    undated_event = began.isna().values
    return pd.Series(undated_event | (dated.values & on_or_after) | after, index=reports.index)


def known_to_one_period(events: pd.DataFrame) -> pd.Series:
    """Events dated only to a month (or a year) that lie within that one month (or year):
    one occurrence whose day is not known, not something that lasted the month.

    >>> events = pd.DataFrame({
    ...     "date_start": pd.to_datetime(["1992-03-01", "1992-01-01", "2020-09-27"]),
    ...     "date_end": pd.to_datetime(["1992-03-31", "1994-05-12", "2020-11-10"]),
    ...     "date_prec": ["month", "month", "day"]})
    >>> known_to_one_period(events).tolist()  # the CSCE's decision; 1992-94; the 2020 war
    [True, False, False]
    """
    start, end, prec = events["date_start"], events["date_end"], events["date_prec"]
    same_year = start.dt.year == end.dt.year
    same_month = same_year & (start.dt.month == end.dt.month)
    one = ((prec == "month") & same_month) | ((prec == "year") & same_year)
    if "date_end_prec" in events.columns:  # an end known to another precision: two ends
        end_prec = events["date_end_prec"]
        one &= end_prec.isna() | (end_prec == "") | (end_prec == prec)
    return one


def _events_by(ds, reports: pd.DataFrame, by_ref: pd.Series, cutoff) -> pd.DataFrame:
    """Events begun by ``cutoff`` and witnessed by a known report, cut at ``cutoff``."""
    appeared = reports["source_id"].map(ds.sources.set_index("source_id")["published"])
    appeared = appeared.fillna(reports["reference_id"].map(by_ref))
    began = reports["event_id"].map(ds.events.set_index("event_id")["date_start"])
    witnessed = set(reports.loc[_witnesses(reports, appeared, began), "event_id"])
    events = ds.events.loc[
        ds.events["event_id"].isin(witnessed)
        & (ds.events["date_start"].isna() | (ds.events["date_start"] <= cutoff))
    ].copy()
    # Under way on the day is visible on the day; how it ended is not. An event known only
    # to a month or a year, within it, happened once in that month or year: a report of it
    # published by the day says it had happened, not that it was still going on.
    ongoing = (
        events["date_end"].notna() & (events["date_end"] > cutoff) & ~known_to_one_period(events)
    )
    events = _date_from_known_reports(events, reports, ds.event_reports)
    events["ongoing"] = ongoing
    # What the view can say of an event it does not see end: when it was last reported
    # (the latest day a known report of it appeared), never "under way on" the view's day.
    last = {
        event_id: min(day, cutoff)
        for event_id, day in pd.to_datetime(appeared).groupby(reports["event_id"]).max().items()
    }
    events["last_reported"] = pd.Series(
        [last.get(e, pd.NaT) for e in events["event_id"]], index=events.index, dtype="M8[ns]"
    )
    events.loc[ongoing | (events["date_end"] > cutoff), "date_end"] = cutoff
    return events
