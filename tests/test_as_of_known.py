"""What an as-of view says is over, counted or ordered rests on what was known by its day.

Review 7 of the as-of builds found the 2020 war drawn "no end reported" from the day the
statement that ended it was published, and "A first … humanitarian ceasefire" before a
second existed. The oracles read the CSV files with the csv module (tests/test_as_of.py):
which report rows were known by a day, and what each dates.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from test_as_of import DATES, EVENTS, ROWS, appeared, day, earliest_days_named, full

from helpers import timeline

REPORTS = list(ROWS["event_reports"].values())


def end_reported_by(event_id: str, when: date) -> date | None:
    """The last day of the event by a report known on ``when`` that dates its end (the
    whole event, or only its end), if one does and that day has come."""
    ends = [
        day(r["reported_date_end"])
        for r in REPORTS
        if r["event_id"] == event_id
        and appeared(r) <= when
        and r["dating_scope"] in ("whole", "end")
        and r["reported_date_prec"] == "day"
        and r["reported_date_end"]
        and day(r["reported_date_end"]) <= when
    ]
    return max(ends) if ends else None


def drawn_open(ev) -> bool:
    return bool(getattr(ev, "ongoing", False)) or not bool(getattr(ev, "end_known", True))


def check_ended_when_reported(when: date, ds=None) -> None:
    """An event whose end a report known by the day dates is not drawn or told as open."""
    ds = full().as_of(when) if ds is None else ds
    for ev in timeline.visible_events(ds).itertuples(index=False):
        if end_reported_by(ev.event_id, when) is not None:
            assert not drawn_open(ev), (when, ev.event_id, "its end was reported by then")


# Every date: tests/test_as_of_every_date.py (one view per date, every property on it).


@pytest.mark.parametrize("when", [date(2020, 11, 10), date(2020, 12, 1), date(2021, 1, 10)])
def test_an_event_is_not_open_once_its_end_is_reported_on_key_dates(when):
    check_ended_when_reported(when)


def test_the_war_has_a_reported_end_before_the_article():
    """The oracle itself: some report other than the article dates the 2020 war's end
    from 10 November 2020 (the day the statement that ended it was published)."""
    war = max(
        (e for e in EVENTS.values() if e["kind"] == "military" and e["date_prec"] == "day"),
        key=lambda e: e["date_start"],
    )
    assert end_reported_by(war["event_id"], day(war["date_end"])) == day(war["date_end"])


def test_the_end_check_can_fail():
    """Without the report rows that date its end, the war is open on 1 December 2020 again
    (as review 7 found it), and the check says so."""
    when = date(2020, 12, 1)
    ds = full()
    ending = {r["report_id"] for r in REPORTS if r["dating_scope"] in ("whole", "end")}
    reports = ds.event_reports.loc[
        ~(ds.event_reports["report_id"].isin(ending) & (ds.event_reports["origin"] == "context"))
    ]
    blind = ds.__class__(**{**ds.__dict__, "event_reports": reports}).as_of(when)
    with pytest.raises(AssertionError):
        check_ended_when_reported(when, blind)


#: Ordinal words and the place each gives (this test's own list).
ORDINAL_PLACE = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
ORDINAL_WORD = re.compile(r"\b(" + "|".join(ORDINAL_PLACE) + r")\b", re.IGNORECASE)


def check_counts_and_orders(when: date, ds=None) -> None:
    """Labels count and order a series of like events only as far as the view holds it:
    "a first" needs a second, "a third" three, and while one is held its noun is singular.
    A series: the events of one kind whose label in events.csv carries an ordinal."""
    ds = full().as_of(when) if ds is None else ds
    for kind, group in ds.events.groupby("kind"):
        series = [e for e in group["event_id"] if ORDINAL_WORD.search(EVENTS[e]["label"])]
        held = len(series)
        texts = group["label"].tolist()
        texts += ds.event_reports.loc[
            ds.event_reports["event_id"].isin(set(group["event_id"])), "wording"
        ].tolist()
        for text in texts:
            for word in ORDINAL_WORD.findall(str(text)):
                assert held >= max(ORDINAL_PLACE[word.lower()], 2), (when, kind, text)
        if held == 1:
            own = set(re.findall(r"[\w-]+", EVENTS[series[0]]["label"].lower()))
            for text in texts:
                plural = [
                    w
                    for w in re.findall(r"[\w-]+", str(text).lower())
                    if w.endswith("s") and w[:-1] in own and w not in own
                ]
                assert not plural, (when, kind, plural, text)


# Every date: tests/test_as_of_every_date.py (one view per date, every property on it).


@pytest.mark.parametrize(
    "when", [date(2020, 10, 11), date(2020, 10, 18), date(2020, 10, 19), date(2020, 10, 26)]
)
def test_labels_count_and_order_only_the_events_held_on_key_dates(when):
    check_counts_and_orders(when)


def test_the_count_check_can_fail():
    """The view of 11 October 2020 with the labels written for the whole dataset says "A
    first" and "ceasefires" with one ceasefire known (review 7's T12)."""
    when = date(2020, 10, 11)
    view = full().as_of(when)
    labels = view.events["event_id"].map(lambda e: EVENTS[e]["label"])
    whole = view.__class__(**{**view.__dict__, "events": view.events.assign(label=labels)})
    with pytest.raises(AssertionError):
        check_counts_and_orders(when, whole)


#: Things the kit's data first reports in 2020 or later (this test's own list): the war,
#: the towns taken and the districts handed over, the corridor, the peacekeepers, the
#: meeting in Moscow and what Putin said of it. A view of 1990 cannot name them.
LATER_NOTIONS = re.compile(
    r"handed over|handover|corridor|\bmeeting\b|\bthe war\b|peacekeep|announced it had taken"
    r"|returned home|Moscow|former oblast|later districts",
    re.IGNORECASE,
)


def untagged_prose(notebook: str) -> list[str]:
    """The prose (not headings) of the Markdown cells an as-of view shows as written: those
    not tagged ``presupposes:…``, after the opening cell (whose title and subtitle the as-of
    machinery writes itself). Read from the notebook file with the json module."""
    import json

    cells = json.loads(notebook_path(notebook).read_text(encoding="utf-8"))["cells"]
    out = []
    for cell in cells[1:]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "markdown" or any(t.startswith("presupposes:") for t in tags):
            continue
        text = "".join(cell["source"])
        out += [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return out


def notebook_path(name: str):
    from test_as_of import DATA

    return next((DATA.parent / "notebooks").glob(f"{name}*.ipynb"))


@pytest.mark.parametrize("notebook", ["00", "01", "02", "03", "04"])
def test_prose_shown_in_every_view_names_nothing_reported_later(notebook):
    """Review 7's T7: method paragraphs in 01 and 02 named the handovers, the corridor, the
    war and the meeting city in every view, 1990 included. Every untagged paragraph is
    shown in the earliest view, so none may name what only later rows report."""
    named = [(line[:80], LATER_NOTIONS.findall(line)) for line in untagged_prose(notebook)]
    assert not [n for n in named if n[1]], named


def test_the_prose_check_can_fail():
    assert LATER_NOTIONS.search("districts handed over to Azerbaijan, hatched")
    assert LATER_NOTIONS.search("buttons at the bottom left move to the meeting city")


#: The USSR ended on 26 December 1991 (this test's own date): until then the Nagorno-
#: Karabakh Autonomous Oblast existed, and Armenia and Azerbaijan were Soviet republics.
USSR_ENDED = date(1991, 12, 26)
AFTER_THE_USSR = re.compile(r"\bformer\b|\blater districts\b", re.IGNORECASE)


def soviet_era_leaks(when: date, ds=None) -> list[str]:
    """Words of both maps (key, titles, credits, layers, popups, the static map's alt text)
    that describe the region from after 1991 in a view dated while the USSR existed."""
    from test_as_of_pages import map_words

    from helpers.views.maps import static

    ds = full().as_of(when) if ds is None else ds
    words = map_words(ds) + "\n" + static.static_alt(ds)
    found = AFTER_THE_USSR.findall(words)
    if re.search(r"\bcountries\b", words) and "Soviet" not in words:
        found.append("countries, with no word of the Soviet republics")
    # Nor a later day, such as the USSR's end ("until December 1991" on a map of 1990, U14).
    found += [f"names {d}" for d in earliest_days_named(words) if d > when]
    return found


@pytest.mark.parametrize(
    "when", sorted({d for d in DATES if d < USSR_ENDED} | {date(1991, 12, 10)}), ids=str
)
def test_maps_dated_while_the_ussr_existed_do_not_call_the_oblast_former(when):
    """Review 7's T6: "the former Nagorno-Karabakh Autonomous Oblast", "rebuilt from the
    later districts" and "Other countries" on maps of 1990 and 1991."""
    assert not soviet_era_leaks(when), when


def test_the_soviet_era_check_can_fail(monkeypatch):
    """The full build's words, passed off as a view of 31 December 1990."""
    when = date(1990, 12, 31)
    whole = full().__class__(**{**full().__dict__, "as_of_date": None})
    view = full().as_of(when)
    assert not soviet_era_leaks(when, view)
    assert soviet_era_leaks(when, whole)
    # The first credit written for these maps named the USSR's end (U14).
    from helpers.views.maps import layers

    first = "Borders as drawn today: until December 1991 Armenia, Azerbaijan … were republics"
    monkeypatch.setattr(layers, "SOVIET_BORDERS", first)
    assert any("1991-12" in found for found in soviet_era_leaks(when, view))


def change_rows() -> dict:
    from test_as_of import read

    return {r["change_id"]: r for r in read("control_changes")}


def unsupported_change_dates(when: date, changes) -> list[str]:
    """Changes of control shown with a first day that only a reference the view does not
    hold gives: the window starts before the day the change's own reference (and every
    reference its date basis names that the view holds) could date it."""
    from test_as_of import REFERENCES, read

    refs = {r["reference_id"]: r for r in read("references")}
    out = []
    rows = change_rows()
    for change in changes.itertuples(index=False):
        raw = rows[change.change_id]
        named = re.findall(r"reference ([a-z0-9]+(?:-[a-z0-9]+)+)", raw["date_basis"])
        later = [r for r in named if (REFERENCES.get(r) or date.max) > when]
        if not later:
            continue
        own = refs[raw["reference_id"]]
        if own["published_prec"] == "day" and change.date_start.date() != day(own["published"]):
            out.append(change.change_id)
    return out


@pytest.mark.slow  # every date from the first change of control
@pytest.mark.parametrize("when", [d for d in DATES if d >= date(2019, 9, 30)], ids=str)
def test_a_change_is_dated_only_by_references_held(when):
    from helpers.views.maps.layers import load_control_changes

    assert not unsupported_change_dates(when, load_control_changes(full().as_of(when)))


@pytest.mark.parametrize("when", [date(2020, 10, 26), date(2021, 1, 11), date(2026, 12, 6)])
def test_a_change_is_dated_only_by_references_held_on_key_dates(when):
    """Review 7's T14: Qubadli '25-26 Oct 2020' from a 2024 report, in views of 2020-2026."""
    from helpers.views.maps.layers import load_control_changes

    assert not unsupported_change_dates(when, load_control_changes(full().as_of(when)))


def test_the_change_date_check_can_fail():
    """The full table's windows in a view of 26 October 2020 (as before the fix)."""
    from helpers.views.maps.layers import load_control_changes

    when = date(2020, 10, 26)
    shown = load_control_changes(full().as_of(when))
    whole = load_control_changes(full()).set_index("change_id")
    shown = shown.assign(date_start=shown["change_id"].map(whole["date_start"]))
    assert unsupported_change_dates(when, shown)
