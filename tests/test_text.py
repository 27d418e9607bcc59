"""The kit's one reader of dates in text, and its one fold, against real text.

The dates are those the article and the dataset write (an independent reading is in
``tests/test_as_of.py``); the names are the gazetteer's (``data/places.csv``).
"""

from __future__ import annotations

import csv
from datetime import date

from helpers import paths
from helpers.data.wording import fold
from helpers.text.dates import written_dates
from helpers.views.provenance import dual_name

ARTICLE_PUBLISHED = date(2021, 1, 11)


def places() -> list[dict]:
    with (paths.DATA_DIR / "places.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_article_styles_are_read_with_and_without_a_year():
    text = "the Nov. 10 agreement; clashes that began Sept. 27, 2020; on 10 November 2020"
    found = [(d.matched, d.first, d.year_written) for d in written_dates(text, ARTICLE_PUBLISHED)]
    assert found == [
        ("Nov. 10", date(2020, 11, 10), False),  # the most recent 10 November by 11 Jan 2021
        ("Sept. 27, 2020", date(2020, 9, 27), True),
        ("10 November 2020", date(2020, 11, 10), True),
    ]
    # Without a publication date, a date with no year cannot be placed.
    assert [d.matched for d in written_dates(text)] == ["Sept. 27, 2020", "10 November 2020"]


def test_a_year_followed_by_a_comma_is_a_year_but_a_grouped_number_is_not():
    found = written_dates("In 2023, the last 1,994 residents left; 2,802 died; at 2050 GMT")
    assert [d.first for d in found] == [date(2023, 1, 1)]


def test_the_fold_reads_azerbaijani_letters_as_the_kit_transliterates_them():
    """ə is written a in the kit's place names (Kəlbəcər -> Kalbajar), so it folds to a.

    Countries are left out: their English names are exonyms (Azərbaycan, Azerbaijan).
    """
    compared = 0
    for place in places():
        local = place["name_az"]
        if place["kind"] == "country":
            continue
        for kit in place["name"].split(" / "):
            # Where the gazetteer's spelling is the local one letter for letter.
            if "ə" not in local or len(kit) != len(local) or kit[0] != local[0]:
                continue
            at = [i for i, ch in enumerate(local) if ch == "ə"]
            assert [fold(local)[i] for i in at] == [fold(kit)[i] for i in at], (local, kit)
            compared += 1
    assert compared >= 2  # Kəlbəcər / Kalbajar, Zəngilan / Zangilan


def test_dual_names_put_the_azerbaijani_usage_first_whatever_the_alphabet():
    # One stated order (docs/place-names.md): the usage marked Azerbaijani first, the
    # Armenian second, whichever sorts first alphabetically or is in the name column.
    assert (
        dual_name(
            {
                "name": "Karvachar",
                "other_names": "Kəlbəcər (Azerbaijani usage); Karvachar (Armenian usage)",
            }
        )
        == "Kəlbəcər / Karvachar"
    )
    assert (
        dual_name(
            {
                "name": "Kovsakan",
                "other_names": "Zəngilan (Azerbaijani usage); Kovsakan (Armenian usage)",
            }
        )
        == "Zəngilan / Kovsakan"
    )
    # A name in another script is not dropped: it takes its usage's place.
    assert (
        dual_name(
            {
                "name": "Khankendi",
                "other_names": "Khankendi (Azerbaijani usage); Ստեփանակերտ (Armenian usage)",
            }
        )
        == "Khankendi / Ստեփանակերտ"
    )


def _unclosed(shown: str, passage: str) -> bool:
    """Whether the kit opened a quotation around ``passage`` and left it open: a reader
    cannot see where the passage ends (round 7's OC Media 'in the past')."""
    opened = shown.startswith("“") and not passage.startswith("“")
    return opened and not (shown.endswith("”") or passage[-1] in '”»"')


def _passages() -> list[str]:
    import csv

    from helpers import paths

    found = []
    for path in sorted(paths.DATA_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                found += [row[c].strip() for c in ("passage", "excerpt") if row.get(c, "").strip()]
    return found


def test_a_quotation_mark_the_kit_opens_is_closed_for_every_passage():
    from helpers.text.quoting import quoted

    passages = _passages()
    assert any(p.endswith("’") and not p.startswith("‘") for p in passages)  # the case is live
    assert [p for p in passages if _unclosed(quoted(p), p)] == []


def test_the_unclosed_quotation_check_can_fail():
    """The rule before the fix: no closing mark after a passage ending on any closing mark."""
    passage = "Aliyev also said that the conflict was now ‘in the past’"
    assert _unclosed("“" + passage, passage)
