"""An empty table in an as-of view says, in a reader's words, what is missing as of its date.

A reader of notebook 03 built as of 10 October 2020 met a bare "No rows." under "Where
the sources disagree on dates", and notebook 00 said "Every sentence feeds at least one
row" of a view that held no source at all. So for every date in the dataset (and the
full data), every table the notebooks show (this test's own list, called as the
notebooks call them) is checked:

* an empty table is a sentence, never a bare table or "No rows.";
* in an as-of view, that sentence names the view's date (found by the date reader of
  tests/test_as_of.py, not the kit's);
* the views the CSV files alone decide are empty exactly when the CSVs say nothing was
  published by then (the oracle: the csv module and each row's source or reference date).
"""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta

import pytest
from test_as_of import DATES, REFERENCES, SOURCES, earliest_days_named, full

from helpers import paths

#: Content a view shows when it is not empty: a table row with a cell, or a list item.
TABLE_ROW = re.compile(r"<td\b|<li\b")
EMPTY = re.compile(r'<p class="kit-table-empty">(.*?)</p>', re.S)
NOTE = re.compile(r'<p class="kit-table-note">(.*?)</p>', re.S)


def _rows(table: str) -> list[dict]:
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _appeared(row: dict) -> date:
    days = []
    if row.get("source_id"):
        days.append(SOURCES[row["source_id"]])
    if row.get("reference_id"):
        days.append(REFERENCES[row["reference_id"]] or date.max)
    return max(days) if days else date.min


#: For the views the CSV files alone decide: the rows that fill them (any one published
#: by the view's day fills the view).
ORACLE = {
    "00 sources": [{"source_id": s} for s in SOURCES],
    "00 references": [{"reference_id": r} for r in REFERENCES],
    "01 changes of control": _rows("control_changes"),
    "01 places": _rows("places"),
    "03 actors": _rows("actors"),
    "03 chronology": _rows("event_reports"),
}


def views(ds) -> dict[str, str]:
    """Every table the notebooks show, as HTML, called as each notebook calls it."""
    from helpers import charts, comparison, maps, narrative, reading, tables
    from helpers.sources import suggest

    def table(frame, view, **kw) -> str:
        return tables.Table(frame, empty=reading.when_empty(ds, view), **kw)._repr_html_()

    audit = reading.framing_audit(ds)
    typos = audit.frame.loc[audit.frame["category"] == "typo"]
    claims = charts.casualty_claims(ds)
    others = charts.other_quantitative_claims(ds)
    out = {
        "00 sources": table(reading.sources_table(ds), "sources"),
        "00 gaps": table(reading.gaps(ds), "gaps"),
        "00 counts": table(audit.counts, "counts"),
        "00 vague": table(reading.vague_attributions(ds), "vague"),
        "00 typos": table(typos, "typos"),
        "00 duplicates": table(suggest.duplicate_events(ds), "duplicates"),
        "00 references": table(reading.references_table(ds), "references"),
        "01 changes of control": maps.change_view(ds)._repr_html_(),
        "01 places": maps.place_view(ds)._repr_html_(),
        "02 casualty claims": tables.Table(
            charts.claims_table(claims), empty=charts.none_found(claims)
        )._repr_html_(),
        "02 other figures": tables.Table(
            charts.claims_table(others), empty=charts.none_found(others)
        )._repr_html_(),
        "03 datings": narrative.Table(narrative.datings(ds))._repr_html_(),
        "03 actors": narrative.Table(narrative.actor_roles(ds))._repr_html_(),
        "03 chronology": narrative.build(ds)._repr_html_() if ds.as_of_date else "<li>",
    }
    out |= {f"04 {name}": view._repr_html_() for name, view in comparison.views(ds).items()}
    return out


def why_not_said(when: date | None, html: str) -> list[str]:
    """What is wrong with how ``html`` (a view) says it is empty; [] if it has rows."""
    if TABLE_ROW.search(html):
        return []
    html = re.sub(r"<style\b.*?</style>", " ", html, flags=re.S)
    said = " ".join(re.sub(r"<[^>]+>", " ", " ".join(EMPTY.findall(html) or [html])).split())
    found = []
    if not said or re.fullmatch(r"(?i)no (?:rows?|data|results?)(?: match)?\.?", said):
        found.append(f"no reason given: {said!r}")
    if "<table" in html and not EMPTY.search(html) and not said:
        found.append("a bare table with no rows")
    if when is not None and when not in earliest_days_named(said):
        found.append(f"does not say as of when: {said!r}")
    if not said_missing(said):
        found.append(f"does not say what is missing: {said!r}")
    if when is not None and re.search(r"\blater\b|\bto come\b", said):
        found.append(f"speaks of what came after the view's day: {said!r}")
    return found


#: How a sentence says what a view lacks ("no source", "none of", "nothing") or that it is
#: complete ("every claim names its claimant"): this test's own words.
MISSING = re.compile(r"\b(?:no|none|nothing|not|every)\b", re.I)


def said_missing(text: str) -> bool:
    return bool(MISSING.search(re.sub(r"<[^>]+>", " ", text)))


def check_empty_views_say_why(when: date | None, ds=None) -> None:
    if ds is None:
        ds = full() if when is None else full().as_of(when)
    shown = views(ds)
    found = {name: why for name, html in shown.items() if (why := why_not_said(when, html))}
    assert not found, (when, found)
    # The file a table is saved to names no later year (the changes of control were saved
    # as "control-changes-2020.csv" in views of 2019).
    notes = [n for html in shown.values() for n in NOTE.findall(html)]
    later = [n for n in notes if when and any(d > when for d in earliest_days_named(n))]
    assert not later, (when, later)
    for name, rows in ORACLE.items():
        expected_empty = when is not None and not any(_appeared(r) <= when for r in rows)
        assert (not TABLE_ROW.search(shown[name])) == expected_empty, (when, name)
    # 01's bottom line counts places: with none, it says so (not "0 of the 0 places … ()").
    from helpers import maps
    from helpers.views.maps.layers import load_control_changes
    from helpers.views.maps.static import subtitle

    line = maps.bottom_line(ds)
    from helpers import timeline

    said = " ".join([line, subtitle(ds, load_control_changes(ds)), timeline.alt_text(ds)])
    assert not counted_nothing(said), (when, counted_nothing(said))
    if when is not None and not any(_appeared(r) <= when for r in ORACLE["01 places"]):
        assert not why_not_said(when, f'<p class="kit-table-empty">{line}</p>'), (when, line)


def counted_nothing(text: str) -> list[str]:
    """Sentences that count what the view does not hold: "0 of the 0 places", an empty
    "()", a number with the wrong form of its noun ("1 towns", "1 places … carry")."""
    return re.findall(r"\b0 of the 0\b|\(\)|\b1 (?:towns|places|sources|events)\b", text)


# Every date: tests/test_as_of_every_date.py (one view per date, every property on it).


@pytest.mark.parametrize(
    "when", [DATES[0] - timedelta(days=1), date(2020, 10, 10), min(SOURCES.values()), None]
)
def test_every_empty_table_says_what_is_missing_on_key_dates(when):
    """The quick tier's sample: before anything, the reader's date, the article's day, all."""
    check_empty_views_say_why(when)


def test_the_check_can_fail_on_a_bare_empty_table():
    """The old default ("No rows."), a sentence with no date, and a table with no reason."""
    import pandas as pd

    from helpers import tables

    when = date(2020, 10, 10)
    assert why_not_said(when, '<p class="kit-table-empty">No rows.</p>')
    assert why_not_said(when, '<p class="kit-table-empty">No source is loaded.</p>')
    assert why_not_said(when, "<table><thead><tr><th>a</th></tr></thead><tbody></tbody></table>")
    # 03's chronology of 10 December 1991 was a heading over an empty list and notes.
    old = "<p><em>What the sources published by 10 December 1991 record.</em></p><h3>Notes</h3>"
    assert why_not_said(date(1991, 12, 10), old)  # dated, but says nothing is missing
    assert not said_missing(old) and said_missing(
        "<p>No event is known from what was published by 10 December 1991.</p>"
    )
    note = "all of them are in control-changes-2020.csv"
    assert date(2020, 1, 1) in earliest_days_named(note)  # the year in a file name is read
    old_line = "0 of the 0 places the kit lists have coordinates, all from outside references ()."
    assert len(counted_nothing(old_line)) == 2 and counted_nothing("taken 1 towns")
    # 04's empty views said "every source it compares was published later".
    assert why_not_said(
        when,
        "<p>No source of this comparison was published by 10 October 2020, so there is no "
        "coverage to show: every source it compares was published later.</p>",
    )
    ok = '<p class="kit-table-empty">The kit holds no source published by 10 October 2020.</p>'
    assert not why_not_said(when, ok)
    with pytest.raises(ValueError):
        tables.Table(pd.DataFrame({"a": []}), caption="Claims")._repr_html_()


def _locator_texts(ds) -> list[str]:
    """The words drawn in the static map's panel "the region in the wider area"."""
    import matplotlib.pyplot as plt

    from helpers import geodata, maps

    fig = maps.static_overview(ds, maps.load_countries(), boundaries=geodata.map_boundaries())
    try:
        panel = next(ax for ax in fig.axes if "wider area" in ax.get_title(loc="left"))
        return [t.get_text() for t in panel.texts]
    except StopIteration:  # the meeting is placed: the panel is titled by it instead
        return []
    finally:
        plt.close(fig)


def locator_says_why(when: date, texts: list[str]) -> bool:
    """Whether the map's empty wider-area panel says, as of ``when``, what it lacks."""
    words = " ".join(" ".join(texts).split())
    return "meeting" in words and when in earliest_days_named(words)


@pytest.mark.parametrize("when", [DATES[0] - timedelta(days=1), date(2020, 10, 10)])
def test_the_map_panel_with_no_meeting_placed_says_so_as_of_its_date(when):
    """Before the article (the first source placing the meeting), the map's wider-area
    panel has no meeting to draw: it says so, with the date, instead of an empty frame."""
    assert when < min(SOURCES.values())
    assert locator_says_why(when, _locator_texts(full().as_of(when)))
    # The check can fail: the panel before the fix drew no words at all.
    assert not locator_says_why(when, [])
    assert not locator_says_why(when, ["No source places a meeting."])
