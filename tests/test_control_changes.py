"""The 2020 changes of control: rows with provenance, drawn on both maps, obeying as_of.

The expectations are read here from the CSV files with the csv module, not from the code
under test: for every date that matters (each change's start and end, each reference's
date, the day before each) the as-of layer holds exactly the rows whose reference had
appeared and whose change had begun by then.
"""

from __future__ import annotations

import calendar
import csv
import json
import re
from datetime import date, timedelta

import pytest

import helpers
from helpers import maps, paths
from helpers.errors import DataError

DATA = paths.DATA_DIR


def read(table: str) -> list[dict]:
    with (DATA / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def last_day(published: str, precision: str) -> date:
    day = date.fromisoformat(published)
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


REFS = {r["reference_id"]: r for r in read("references")}
CHANGES = read("control_changes")


def expected_on(day: date) -> set[str]:
    """The oracle: rows whose reference had appeared and whose change had begun."""
    return {
        r["change_id"]
        for r in CHANGES
        if last_day(REFS[r["reference_id"]]["published"], REFS[r["reference_id"]]["published_prec"])
        <= day
        and date.fromisoformat(r["date_start"]) <= day
    }


def _days() -> list[date]:
    days = set()
    for r in CHANGES:
        for text in (r["date_start"], r["date_end"], REFS[r["reference_id"]]["published"]):
            d = date.fromisoformat(text)
            days |= {d, d - timedelta(days=1)}
    return sorted(days)


@pytest.fixture(scope="module")
def ds():
    return helpers.load()


def test_every_row_has_a_checked_dated_reference_and_a_verbatim_excerpt():
    assert len(CHANGES) >= 10
    for row in CHANGES:
        ref = REFS[row["reference_id"]]
        assert ref["checked"] == "true" and ref["checked_on"] and ref["checked_how"], row
        assert 0 < len(row["excerpt"]) <= 300, row["change_id"]
        published = last_day(ref["published"], ref["published_prec"])
        assert published >= date.fromisoformat(row["date_start"]), row["change_id"]


def test_the_table_covers_what_the_issue_names():
    by_change = {}
    for row in CHANGES:
        by_change.setdefault(row["change"], set()).add(row["place_id"])
    assert {"agdam", "kalbajar", "lachin"} == by_change["handed-over"]
    assert {"shusha", "hadrut"} <= by_change["taken-in-fighting"]
    assert by_change["corridor"] and by_change["held-with-peacekeepers"]
    dates = {r["change_id"]: r["date_start"] for r in CHANGES if r["change"] == "handed-over"}
    assert dates == {
        "handover-agdam": "2020-11-20",
        "handover-kalbajar": "2020-11-25",
        "handover-lachin": "2020-12-01",
    }


def test_the_excerpts_say_what_the_rows_say():
    rows = {r["change_id"]: r for r in CHANGES}
    assert "November 20" in rows["handover-agdam"]["excerpt"]
    assert "November 25" in rows["handover-kalbajar"]["excerpt"]
    assert "Lachin district" in rows["handover-lachin"]["excerpt"]
    assert "5 km wide" in rows["lachin-corridor"]["excerpt"]
    assert "Shusha" in rows["fighting-shusha"]["excerpt"]


def test_no_line_of_control_is_drawn(ds):
    changes = maps.load_control_changes(ds)
    assert set(changes["drawn_as"]) <= {"town", "district", "line", "label"}
    held = changes[changes["change"] == "held-with-peacekeepers"]
    assert (held["drawn_as"] == "label").all() and (held.geom_type == "Point").all()
    line = changes[changes["drawn_as"] == "line"]
    assert (line["change"] == "corridor").all()
    assert line["what_it_is_not"].str.contains("schematic").all()


def _every_day_slow_but_a_sample() -> list:
    """Every day in the slow tier; the quick tier's sample: the first, middle and last."""
    days = _days()
    sample = {days[0], days[len(days) // 2], days[-1]}
    return [pytest.param(d, marks=() if d in sample else pytest.mark.slow) for d in days]


@pytest.mark.parametrize("day", _every_day_slow_but_a_sample(), ids=str)
def test_as_of_shows_only_what_was_known(ds, day):
    shown = set(maps.load_control_changes(ds.as_of(day))["change_id"])
    assert shown == expected_on(day)


def test_the_as_of_check_can_fail(ds):
    """The oracle tells days apart: the layer on 21 November lacks Agdam's handover
    (reported on 25 November), which the full layer has."""
    assert "handover-agdam" not in expected_on(date(2020, 11, 21))
    assert "handover-agdam" in set(maps.load_control_changes(ds)["change_id"])
    assert expected_on(date(2020, 11, 21)) != expected_on(date(2020, 12, 1))


def test_every_row_has_its_geometry():
    features = json.loads((DATA / "geo" / "control-changes-2020.geojson").read_text("utf-8"))
    ids = {f["properties"]["change_id"]: f["geometry"]["type"] for f in features["features"]}
    kinds = {"town": "Point", "label": "Point", "line": "LineString", "district": "Polygon"}
    for row in CHANGES:
        assert ids[row["change_id"]] in (kinds[row["drawn_as"]], "Multi" + kinds[row["drawn_as"]])


def test_a_bad_row_is_reported_by_file_row_and_column(data_copy):
    path = data_copy / "control_changes.csv"
    text = path.read_text(encoding="utf-8").replace("handed-over", "given-back", 1)
    text = text.replace("afp-asianage-2020-12-01", "no-such-reference", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        maps.load_control_changes(helpers.load(data_copy))
    message = str(caught.value)
    assert "control_changes.csv" in message and "change" in message


def test_a_reference_published_before_the_change_is_refused(data_copy):
    """A deadline set before a handover is no evidence that it happened."""
    path = data_copy / "control_changes.csv"
    text = path.read_text(encoding="utf-8").replace(
        "jamnews-2020-11-25,Aghdam region", "az-mfa-2020-11-10,Aghdam region", 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="published before date_start"):
        maps.load_control_changes(helpers.load(data_copy))


def test_both_maps_draw_the_changes(ds):
    from helpers import geodata

    shipped = geodata.load_shipped()
    m = maps.interactive_map(ds, maps.load_countries(), boundaries=shipped)
    # A label's full form, read as text (its compact form hides parts of it in spans).
    html = re.sub(r"<[^>]+>", "", m.get_root().render())
    for row in CHANGES:
        if row["change"] == "handed-over":
            assert f"district handed over {maps.change_date(_typed(row))}" in html
        if row["change"] == "taken-in-fighting":
            assert f"announced taken {maps.change_date(_typed(row))}" in html
    assert "2020: Lachin corridor (schematic)" in maps.layer_names(m)


def _typed(row: dict) -> dict:
    import pandas as pd

    return {
        "date_start": pd.Timestamp(row["date_start"]),
        "date_end": pd.Timestamp(row["date_end"]),
    }


def _words(day: date) -> str:
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


def test_a_held_state_is_dated_as_a_period_not_a_range(ds):
    """A state (a side holding ground) lasts from its start until at least the date of
    the reference that still reports it; the reader's table must not print that date as
    the end of a range ("10 Nov–1 Dec 2020" read as "kept until 1 Dec")."""
    states = [r for r in CHANGES if r["change"].startswith("held-")]
    assert states, "the data holds no state to check"
    assert all(r["date_prec"] == "period" for r in states), [
        r["change_id"] for r in states if r["date_prec"] != "period"
    ]
    when = maps.change_table(ds)["When"]
    for row in (r for r in CHANGES if r["date_prec"] == "period"):
        text = when[row["change_id"]]
        start, end = (date.fromisoformat(row[k]) for k in ("date_start", "date_end"))
        assert _words(start) in text and _words(end) in text, text
        # The reference's date follows the word "reference", never a dash.
        assert "–" not in text and "reference" in text.split(_words(end))[0], text


def _months_said(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """(first, last) (year, month) of a key's "Sep–Nov 2020" / "Oct 2020" / "Dec 2020–Jan 2021"."""
    names = {name: i for i, name in enumerate(calendar.month_abbr) if name}
    month = "|".join(names)
    found = re.search(rf"\b({month})(?: (\d{{4}}))?(?:–({month}) (\d{{4}}))?\b", text)
    assert found, text
    first_m, first_y, last_m, last_y = found.groups()
    if last_m is None:
        year = int(first_y)
        return (year, names[first_m]), (year, names[first_m])
    return (int(first_y or last_y), names[first_m]), (int(last_y), names[last_m])


@pytest.mark.parametrize("when", [None, "2020-10-21", "2020-11-10", "2020-12-31"])
def test_the_keys_months_hold_every_dating_of_the_changes_they_describe(when):
    """R7-6: the key said "Oct–Nov 2020" for towns announced taken while Hadrut's
    announcement fell in a window that opens on 27 September 2020."""
    from helpers.views.maps import legend
    from helpers.views.maps.layers import load_control_changes

    ds = helpers.load().as_of(when)
    changes = load_control_changes(ds)
    for key, kind in (("taken", "taken-in-fighting"), ("handover", "handed-over")):
        rows = changes.loc[changes["change"] == kind]
        if rows.empty:
            continue
        (text,) = [t for k, t in legend.legend_rows(ds, {key}) if k == key]
        first, last = _months_said(text)
        for day in list(rows["date_start"]) + list(rows["date_end"].dropna()):
            if when is None or day.date() <= date.fromisoformat(when):
                assert first <= (day.year, day.month) <= last, (key, text, day)


def test_the_keys_months_check_can_fail():
    """Proof: the key's old "Oct–Nov 2020" leaves out the month Hadrut's window opens in."""
    first, _ = _months_said(
        "Town Azerbaijan announced it had taken, Oct–Nov 2020 (date on the map)"
    )
    with open(paths.DATA_DIR / "control_changes.csv", encoding="utf-8", newline="") as handle:
        hadrut = next(r for r in csv.DictReader(handle) if r["change_id"] == "fighting-hadrut")
    opens = date.fromisoformat(hadrut["date_start"])
    assert (opens.year, opens.month) < first
