"""The suggestion helper on varied wordings: figures, dates, quotations, names.

Every case here is a wording a wire report uses; each test states what a
researcher would expect to copy into the tables.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from dataclasses import asdict
from datetime import date

import pytest

import helpers
from helpers.sources import candidates, dates, mentions, numbers, review, suggest

MONDAY = date(2021, 1, 11)  # the article's publication date, a Monday
WEDNESDAY = date(2021, 1, 13)


def one(found: list) -> dict:
    """The one candidate found, as a dict of its fields."""
    assert len(found) == 1, found
    return asdict(found[0])


def number(text: str) -> dict:
    return one(numbers.find_numbers(text))


# ----------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "text, matched, low, best, high, bound, unit",
    [
        (
            "Over 48,000 people already returned",
            "Over 48,000",
            48000,
            48000,
            None,
            "more_than",
            "people",
        ),
        (
            "nearly 300 settlements and villages",
            "nearly 300",
            None,
            300,
            300,
            "approximately",
            "settlements",
        ),
        (
            "at least 2,802 of its soldiers",
            "at least 2,802",
            2802,
            2802,
            None,
            "at_least",
            "soldiers",
        ),
        ("could be up to 5,000.", "up to 5,000", None, 5000, 5000, "up_to", ""),
        (
            "more than 1,200 civilians",
            "more than 1,200",
            1200,
            1200,
            None,
            "more_than",
            "civilians",
        ),
        ("about 90 villages", "about 90", None, 90, None, "approximately", "villages"),
        ("around 40 towns", "around 40", None, 40, None, "approximately", "towns"),
        (
            "approximately 7,000 troops",
            "approximately 7,000",
            None,
            7000,
            None,
            "approximately",
            "troops",
        ),
        (
            "some sixty-five civilians",
            "some sixty-five",
            None,
            65,
            None,
            "approximately",
            "civilians",
        ),
        (
            "almost 2,000 peacekeepers",
            "almost 2,000",
            None,
            2000,
            2000,
            "approximately",
            "peacekeepers",
        ),
        ("fewer than 100 prisoners", "fewer than 100", None, 100, 100, "up_to", "prisoners"),
        ("under 50 observers", "under 50", None, 50, 50, "up_to", "observers"),
        (
            "forty-eight thousand refugees",
            "forty-eight thousand",
            None,
            48000,
            None,
            "exact",
            "refugees",
        ),
        (
            "Nearly two thousand Russian peacekeepers",
            "Nearly two thousand",
            None,
            2000,
            2000,
            "approximately",
            "peacekeepers",
        ),
        (
            "three hundred and twelve bodies",
            "three hundred and twelve",
            None,
            312,
            None,
            "exact",
            "bodies",
        ),
        ("1.5 million people", "1.5 million", None, 1_500_000, None, "exact", "people"),
        ("ninety-nine soldiers", "ninety-nine", None, 99, None, "exact", "soldiers"),
    ],
)
def test_numbers_with_bounds_and_units(text, matched, low, best, high, bound, unit):
    found = number(text)
    assert (
        found["matched"],
        found["value_low"],
        found["value_best"],
        found["value_high"],
        found["bound"],
        found["unit"],
    ) == (matched, low, best, high, bound, unit)
    assert text[found["start"] : found["end"]] == matched  # offsets point at the words


def test_a_range_is_one_candidate_with_both_ends():
    found = number("between 2,000 and 3,000 soldiers")
    assert (found["value_low"], found["value_best"], found["value_high"], found["bound"]) == (
        2000,
        None,
        3000,
        "range",
    )
    assert found["unit"] == "soldiers"


def test_dozens_is_a_floor_without_a_number():
    found = number("dozens of villages were shelled")
    assert (found["value_low"], found["value_best"], found["bound"]) == (24, None, "at_least")
    assert "no number" in found["note"]


def test_six_week_long_is_a_duration_not_a_date():
    text = "During the six-week-long conflict"
    found = number(text)
    assert (found["value_best"], found["unit"]) == (6, "weeks")
    assert dates.find_dates(text, MONDAY) == []


def test_dates_and_clock_times_are_not_figures():
    text = "clashes erupted on Sept. 27, 2020, at 2050 GMT and again at 07:30"
    found_dates = dates.find_dates(text, MONDAY)
    assert numbers.find_numbers(text, skip=[d.span for d in found_dates]) == []


def test_one_alone_is_not_a_figure():
    assert numbers.find_numbers("no one was hurt; one of the leaders spoke") == []


# ------------------------------------------------------------------------- dates


def date_of(text: str, published: date = MONDAY) -> tuple:
    found = one(dates.find_dates(text, published))
    return found["matched"], found["date_start"], found["date_end"], found["date_prec"]


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("ended Monday in Moscow", MONDAY, ("Monday", "2021-01-11", "2021-01-11", "day")),
        ("met on Monday", WEDNESDAY, ("Monday", "2021-01-11", "2021-01-11", "day")),
        ("spoke last Monday", MONDAY, ("Monday", "2021-01-04", "2021-01-04", "day")),
        (
            "signed on Nov. 10, 2020 to end",
            MONDAY,
            ("Nov. 10, 2020", "2020-11-10", "2020-11-10", "day"),
        ),
        ("from 10 November 2020", MONDAY, ("10 November 2020", "2020-11-10", "2020-11-10", "day")),
        (
            "erupted on Sept. 27, 2020,",
            MONDAY,
            ("Sept. 27, 2020", "2020-09-27", "2020-09-27", "day"),
        ),
        ("exchanged prisoners on Dec. 14", MONDAY, ("Dec. 14", "2020-12-14", "2020-12-14", "day")),
        ("a truce in November that", MONDAY, ("in November", "2020-11-01", "2020-11-30", "month")),
        (
            "a truce in November that",
            date(2020, 11, 20),
            ("in November", "2020-11-01", "2020-11-30", "month"),
        ),
        (
            "talks in November 2019",
            MONDAY,
            ("in November 2019", "2019-11-01", "2019-11-30", "month"),
        ),
        ("tense since 1991, when", MONDAY, ("since 1991", "1991-01-01", "1991-12-31", "year")),
        ("said yesterday", MONDAY, ("yesterday", "2021-01-10", "2021-01-10", "day")),
        ("met last week", MONDAY, ("last week", "2021-01-04", "2021-01-10", "week")),
        (
            "reported in the past few weeks",
            MONDAY,
            ("the past few weeks", "2020-12-14", "2021-01-11", "approximate"),
        ),
        (
            "clashes in recent days",
            MONDAY,
            ("in recent days", "2021-01-07", "2021-01-11", "approximate"),
        ),
        ("three days ago", MONDAY, ("three days ago", "2021-01-08", "2021-01-08", "day")),
    ],
)
def test_dates_resolved_against_the_publication_date(text, published, expected):
    assert date_of(text, published) == expected


def test_weekday_basis_says_how_it_was_resolved():
    found = one(dates.find_dates("ended Monday", MONDAY))
    assert "2021-01-11" in found["date_basis"] and "publication" in found["date_basis"]


def test_may_alone_is_not_a_month():
    assert dates.find_dates("The sides may meet again.", MONDAY) == []


def test_a_date_of_a_statement_is_flagged_as_a_claim_date():
    found = one(dates.find_dates("The ministry said on Tuesday that 50 died.", WEDNESDAY))
    assert found.get("statement") and "claim_date" in found["date_basis"]


# ------------------------------------------------------------------------ quotes

PEOPLE = [
    ("putin", "person", "Putin"),
    ("putin", "person", "Russian President"),
    ("aliyev", "person", "Aliyev"),
    ("pashinyan", "person", "Pashinyan"),
    ("pashinyan", "person", "Armenian Prime Minister"),
]


def test_quote_with_speaker_after():
    text = '"Not all questions were answered, including prisoners," Pashinyan told reporters.'
    found = one(mentions.find_quotes(text, PEOPLE))
    assert found["speaker_id"] == "pashinyan"
    assert found["quote_text"] == "Not all questions were answered, including prisoners"
    assert found["passage"] == text  # the quotation and its attribution
    assert "after" in found["note"]


def test_quote_with_speaker_before():
    text = 'Azerbaijani President Ilham Aliyev said after the talks: "We turned the page now."'
    found = one(mentions.find_quotes(text, PEOPLE))
    assert (found["speaker"], found["speaker_id"]) == (
        "Azerbaijani President Ilham Aliyev",
        "aliyev",
    )
    assert found["passage"] == text
    assert "before" in found["note"]


def test_quote_with_said_then_title():
    text = "“The situation is stable,” said Russian President Vladimir Putin on Monday."
    assert one(mentions.find_quotes(text, PEOPLE))["speaker_id"] == "putin"


def test_a_speaker_not_in_the_actors_table_is_named_with_a_hint():
    text = '"We will not accept this at all," Foreign Minister Ara Ayvazyan said.'
    found = one(mentions.find_quotes(text, PEOPLE))
    assert (found["speaker"], found["speaker_id"]) == ("Foreign Minister Ara Ayvazyan", "")
    assert "not in actors.csv" in found["note"]


def test_pronoun_resolved_to_the_nearest_person_named_before():
    text = "Putin opened the meeting.\n\n“The situation in the region is stable,” he said."
    found = one(mentions.find_quotes(text, PEOPLE))
    assert (found["speaker"], found["speaker_id"]) == ("he", "putin")
    assert "resolved" in found["note"]


def test_scare_quotes_are_not_quotations_and_a_lone_quote_says_so():
    assert mentions.find_quotes('the so-called "buffer zone" was', PEOPLE) == []
    found = one(mentions.find_quotes('"Peace is possible in our region now."', PEOPLE))
    assert found["speaker_id"] == "" and "no speaker" in found["note"]


# --------------------------------------------------------------- places, actors


@pytest.fixture(scope="module")
def ds():
    return helpers.load()


@pytest.mark.parametrize(
    "text, place_id",
    [
        ("in Khankendi", "stepanakert"),
        ("in Xankəndi", "stepanakert"),
        ("in Xankendi", "stepanakert"),
        ("near Shushi", "shusha"),
        ("in Şuşa", "shusha"),
        ("Aghdam district", "agdam"),
        ("in Artsakh", "nagorno-karabakh"),
        ("Upper Karabakh", "nagorno-karabakh"),
        ("in Москва", "moscow"),
    ],
)
def test_places_by_any_name_or_spelling(ds, text, place_id):
    found = mentions.find_mentions(text, mentions.place_names(ds.places), candidates.Kind.PLACE)
    assert [f.place_id for f in found] == [place_id]


def test_longest_place_name_wins(ds):
    found = mentions.find_mentions(
        "in Nagorno-Karabakh", mentions.place_names(ds.places), candidates.Kind.PLACE
    )
    assert [f.place_id for f in found] == ["nagorno-karabakh"]


@pytest.mark.parametrize(
    "text, actor_id",
    [
        ("Armenian Prime Minister said", "pashinyan"),
        ("Pashinyan said", "pashinyan"),
        ("the Russian President", "putin"),
        ("the OSCE Minsk Group", "osce-minsk-group"),
    ],
)
def test_actors_by_name_or_title(ds, text, actor_id):
    names = [(a, alias) for a, _, alias in mentions.actor_aliases(ds.actors)]
    assert [f.actor_id for f in mentions.find_mentions(text, names, candidates.Kind.ACTOR)] == [
        actor_id
    ]


# ------------------------------------------------------------------- the article


def test_the_article_yields_its_known_rows(ds):
    review = suggest.suggest(ds, "aa-2021-01-11")
    text = ds.text("aa-2021-01-11")
    assert list(review.columns) == candidates.COLUMNS
    for row in review.itertuples():
        assert row.passage in text  # a passage the researcher can copy as is
        assert text[row.start : row.end] == row.matched
    figures = set(review.loc[review["kind"] == "number", "matched"])
    assert {
        "Over 48,000",
        "nearly 300",
        "at least 2,802",
        "up to 5,000",
        "six-week-long",
    } <= figures
    # Every figure the dataset records is suggested and recognised as already there.
    recorded = review.loc[review["matched"] == "Over 48,000", "already_in"].item()
    assert "claims:people-returned" in recorded
    meeting = review.loc[review["matched"] == "Monday"].iloc[0]
    assert meeting["event_id"] == "moscow-meeting-2021-01-11"
    speakers = review.loc[review["kind"] == "quote", "speaker_id"].tolist()
    assert speakers == ["putin", "putin", "putin"]
    terms = set(review.loc[review["kind"] == "term", "term_id"])
    assert {"martyred", "sources-and-officials"} <= terms


# --------------------------------------------------------------- command line


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "helpers.sources", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unknown_source_lists_the_known_ids_and_exits_2(data_copy):
    run = run_cli("no-such-source", "--data", str(data_copy))
    assert run.returncode == 2
    assert "no-such-source" in run.stderr and "aa-2021-01-11" in run.stderr
    assert "Traceback" not in run.stderr


def test_data_that_does_not_load_is_reported_without_traceback(data_copy):
    (data_copy / "sources" / "aa-2021-01-11-moscow-trilateral-meeting.txt").write_text("changed")
    run = run_cli("aa-2021-01-11", "--data", str(data_copy))
    assert run.returncode == 2
    assert "SHA-256" in run.stderr and "Traceback" not in run.stderr


def test_review_file_goes_beside_the_data_and_leaves_it_unchanged(data_copy):
    before = helpers.fingerprint(data_copy)
    run = run_cli("aa-2021-01-11", "--data", str(data_copy))
    assert run.returncode == 0, run.stderr
    out = data_copy.parent / "review" / "aa-2021-01-11-suggestions.csv"
    assert out.is_file() and str(out) in run.stdout
    assert helpers.fingerprint(data_copy) == before
    helpers.load(data_copy)  # the data package is unaffected
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["candidate_id"] == "c001" and {r["kind"] for r in rows} >= {
        "number",
        "date",
        "quote",
        "place",
        "actor",
        "term",
    }


def test_accept_reads_back_formula_safe_cells():
    # write_csv wrote "'=..." for a passage starting with "="; accept restores it.
    assert review._unneutralise("'=1+1 said the text") == "=1+1 said the text"
    assert review._unneutralise("'-5 soldiers") == "-5 soldiers"
    assert review._unneutralise("'quoted'") == "'quoted'"


# ------------------------------------------------- other languages (fixture texts)

MULTI = helpers.paths.ROOT / "tests" / "fixtures" / "multilingual"


def fixture_text(name: str) -> str:
    text = (MULTI / name).read_text(encoding="utf-8")
    assert text.startswith("FICTIONAL TEST TEXT")  # test data, marked as such
    return text


@pytest.mark.parametrize(
    "name, language, published, expected",
    [
        (
            "fr-courrier-2020-12-30.txt",
            "fr",
            date(2020, 12, 30),
            [
                ("2 823", 2823.0, "exact", "militaires"),
                ("Environ quatre mille", 4000.0, "approximately", "blessés"),
            ],
        ),
        (
            "ru-vestnik-2021-01-03.txt",
            "ru",
            date(2021, 1, 3),
            [
                ("3\u202f330", 3330.0, "exact", ""),
                ("Около двух тысяч", 2000.0, "approximately", "раненых"),
            ],
        ),
        (
            "de-rundschau-2021-01-13.txt",
            "de",
            date(2021, 1, 13),
            [
                ("3.330", 3330.0, "exact", "Soldaten"),
                ("Etwa zweitausend", 2000.0, "approximately", "Verletzte"),
                ("2,5", 2.5, "exact", "Prozent"),
            ],
        ),
    ],
)
def test_each_language_s_figures_are_read(name, language, published, expected):
    text = fixture_text(name)
    found_dates = dates.find_dates(text, published, language)
    found = numbers.find_numbers(text, skip=[d.span for d in found_dates], language=language)
    assert [(c.matched, c.value_best, c.bound, c.unit) for c in found] == expected


@pytest.mark.parametrize(
    "name, language, published, expected",
    [
        ("fr-courrier-2020-12-30.txt", "fr", date(2020, 12, 30), [("29 décembre", "2020-12-29")]),
        ("ru-vestnik-2021-01-03.txt", "ru", date(2021, 1, 3), [("2 января", "2021-01-02")]),
        (
            "de-rundschau-2021-01-13.txt",
            "de",
            date(2021, 1, 13),
            [("12. Januar 2021", "2021-01-12")],
        ),
        ("en-ledger-2021-01-12.txt", "en", date(2021, 1, 12), [("Monday", "2021-01-11")]),
    ],
)
def test_each_language_s_dates_are_read(name, language, published, expected):
    found = dates.find_dates(fixture_text(name), published, language)
    assert [(c.matched, c.date_start) for c in found] == expected


@pytest.mark.parametrize(
    "written, language, value",
    [
        ("3 330", "fr", 3330.0),
        ("3\u00a0330", "ru", 3330.0),
        ("3\u202f330", "fr", 3330.0),
        ("4.000", "de", 4000.0),
        ("2823", "ru", 2823.0),
        ("1 234,5", "fr", 1234.5),
        ("2,841", "en", 2841.0),
    ],
)
def test_every_common_grouping_is_read(written, language, value):
    (found,) = numbers.find_numbers(f"x {written} y", language=language)
    assert (found.matched, found.value_best) == (written, value)


def test_spans_that_cannot_be_read_are_listed_not_dropped():
    text = fixture_text("en-ledger-2021-01-12.txt")
    found = numbers.find_numbers(text)
    unread = [c for c in found if c.kind is candidates.Kind.UNREAD]
    assert [c.matched for c in unread] == ["2,5"]  # a decimal comma in an English text
    assert "enter the figure yourself" in unread[0].note


def test_the_claimant_is_proposed_from_the_sentence(ds):
    from helpers.sources import claimant_actors, claimants

    known = claimant_actors.known_claimants(ds)
    aliases = mentions.actor_aliases(ds.actors)
    sentence = "Russian President Vladimir Putin said 48,000 people returned."
    wording = claimants.claimant_wording(sentence, sentence.index("48"), "en")
    assert claimant_actors.match_claimant(wording, known, aliases)[0] == "putin"
    sentence = (
        "3.330 Soldaten seien getötet worden, teilte das armenische Gesundheitsministerium mit."
    )
    assert claimants.claimant_wording(sentence, 0, "de") == "das armenische Gesundheitsministerium"
    text = fixture_text("fr-courrier-2020-12-30.txt")
    unnamed = text[text.index("Environ") :]
    wording = claimants.claimant_wording(unnamed, 0, "fr")
    assert wording == "des sources médicales" and claimants.is_unnamed(wording, "fr")


# ------------------------------------- real sentences from published reports (fixtures)

REAL = helpers.paths.ROOT / "tests" / "fixtures" / "real_sentences" / "sentences.json"


def real_sentences() -> list[dict]:
    import json

    return json.loads(REAL.read_text(encoding="utf-8"))["sentences"]


def _figures_of(sentence: dict) -> list:
    published = date.fromisoformat(sentence["published"])
    found_dates = dates.find_dates(sentence["text"], published, sentence["language"])
    skip = [d.span for d in found_dates]
    return numbers.find_numbers(sentence["text"], skip=skip, language=sentence["language"])


def _values(row) -> tuple:
    return tuple(None if v is None else float(v) for v in row)


@pytest.mark.parametrize("sentence", real_sentences(), ids=lambda s: s["id"])
def test_real_sentences_figures_are_read_at_their_magnitude(sentence):
    found = [c for c in _figures_of(sentence) if c.kind is candidates.Kind.NUMBER]
    got = [(c.matched, _values((c.value_low, c.value_best, c.value_high)), c.bound) for c in found]
    expected = [(m, _values((low, best, high)), b) for m, low, best, high, b in sentence["figures"]]
    assert got == expected


def test_the_fixture_covers_every_language_and_case_of_the_issue():
    by_language = {s["language"] for s in real_sentences()}
    assert by_language >= {"en", "fr", "de", "ru"}
    written = {f[0] for s in real_sentences() for f in s["figures"]}
    # The readings the kit once got wrong, by a factor of 1,000 or by omission.
    assert {
        "2.783",
        "près de 3.000",
        "une centaine",
        "ungefähr 4.000",
        "более 5,5 тысяч",
        "1,8 тыс.",
        "примерно по две тысячи",
        "Tausende",
    } <= written


@pytest.mark.parametrize("sentence", real_sentences(), ids=lambda s: s["id"])
def test_every_run_of_digits_is_read_or_listed(sentence):
    """No figure is dropped: each run of digits outside a date is inside a candidate."""
    text = sentence["text"]
    published = date.fromisoformat(sentence["published"])
    spans = [d.span for d in dates.find_dates(text, published, sentence["language"])]
    spans += [c.span for c in _figures_of(sentence)]
    for m in re.finditer(r"\d+", text):
        assert candidates.overlaps(m.span(), spans), (m.group(0), sentence["id"])


@pytest.mark.parametrize(
    "written, language, readings",
    [
        ("4.000", "en", {4000.0, 4.0}),  # a thousands dot kept in an English text?
        ("2.783", "en", {2783.0, 2.783}),
        ("2,783", "fr", {2783.0, 2.783}),  # an English-style comma in a French text?
        ("2,783", "ru", {2783.0, 2.783}),
        ("2,783", "de", {2783.0, 2.783}),
    ],
)
def test_an_ambiguous_mark_is_flagged_with_both_readings_and_no_value(written, language, readings):
    (found,) = numbers.find_numbers(f"x {written} y", language=language)
    assert found.kind is candidates.Kind.NUMBER and found.matched == written
    assert (found.value_low, found.value_best, found.value_high) == (None, None, None)
    shown = {float(v) for v in re.findall(r"([\d.]+) \(", found.readings)}
    assert shown == readings and "ambiguous" in found.note


@pytest.mark.parametrize(
    "text, language, value",
    [
        ("2.783", "fr", 2783.0),  # French marks decimals with a comma: a dot groups
        ("2.783", "de", 2783.0),
        ("2.783", "ru", 2783.0),
        ("2,783", "en", 2783.0),
        ("2,5", "fr", 2.5),
        ("2,5 тыс.", "ru", 2500.0),
        ("2 тыс.", "ru", 2000.0),
        ("2,5 Tausend", "de", 2500.0),
        ("1,5 million", "fr", 1_500_000.0),
        ("2.5 million", "en", 2_500_000.0),
    ],
)
def test_marks_and_multipliers_by_the_language_s_conventions(text, language, value):
    (found,) = numbers.find_numbers(f"x {text} y", language=language)
    assert found.value_best == value and found.matched == text


def test_a_multiplier_word_is_not_read_again_as_a_figure():
    found = numbers.find_numbers("rund 2,5 Tausend Soldaten", language="de")
    assert [(c.matched, c.value_best, c.bound, c.unit) for c in found] == [
        ("rund 2,5 Tausend", 2500.0, "approximately", "Soldaten")
    ]


def _first_figure(sentence: dict):
    (first, *_) = [c for c in _figures_of(sentence) if c.kind is candidates.Kind.NUMBER]
    return first


@pytest.mark.parametrize(
    "sentence", [s for s in real_sentences() if "claimant" in s], ids=lambda s: s["id"]
)
def test_real_sentences_claimant_is_the_named_body_or_stays_vague(sentence):
    from helpers.sources import claimants

    figure = _first_figure(sentence)
    text, language = sentence["text"], sentence["language"]
    wording = claimants.claimant_wording(text, figure.start, language)
    if sentence["claimant"] == "vague":
        assert claimants.is_unnamed(wording, sentence["language"]), wording
    elif sentence["claimant"] == "none":  # 'et rapporte 93': a conjunction names no one
        assert wording == ""
    else:
        assert wording == sentence["claimant"]
        assert not claimants.is_unnamed(wording, sentence["language"])


def test_a_real_report_s_claimant_referred_back_to_and_inflected_place(tmp_path):
    """Gazeta.ru's 'В министерстве также заявили' is the ministry it named before."""
    from conftest import copy_data
    from helpers.sources import cli

    (sentence,) = [s for s in real_sentences() if s["id"] == "ru-gazeta-also"]
    (later,) = [s for s in real_sentences() if s["id"] == "ru-gazeta-handovers"]
    data = copy_data(tmp_path / "data")
    text = tmp_path / "gazeta.txt"
    text.write_text(sentence["text"] + "\n\n" + later["text"] + "\n", encoding="utf-8")
    args = ["add", str(text), "--id", "gazeta", "--language", "ru", "--title", "T"]
    args += ["--publisher", sentence["publisher"], "--published", sentence["published"]]
    assert cli.main([*args, "--data", str(data)]) == 0
    review = suggest.suggest(helpers.load(data), "gazeta")
    figures = review.loc[review["kind"] == "number"].set_index("matched")
    for figure, claimant in sentence["claimant_of"].items():
        assert figures.loc[figure, "claimant"] == claimant
    # One new actor for both figures, with an id a person can read.
    proposed = review.loc[review["kind"] == "claimant"]
    assert len(proposed) == 1 and set(figures["claimant_id"]) == set(proposed["actor_id"])
    assert proposed.iloc[0]["actor_id"].startswith("minoborony-azerbaidzhana")
    assert proposed.iloc[0]["affiliation_id"] == "azerbaijan"
    places = review.loc[review["kind"] == "place"].set_index("matched")
    assert places.loc["Нагорном Карабахе", "place_id"] == "nagorno-karabakh"
    # Dates match the events the dataset has (the agreement, the handovers).
    found = review.loc[review["kind"] == "date"].set_index("matched")
    for words, event_id in later["events"].items():
        assert (found.loc[words, "event_id"], found.loc[words, "target_table"]) == (
            event_id,
            "event_reports",
        )


def test_a_figure_in_the_last_sentence_of_a_text_in_any_language(tmp_path):
    """The sentence after a figure may name its claimant; the last sentence has none after it."""
    from conftest import copy_data
    from helpers.sources import cli

    data = copy_data(tmp_path / "data")
    text = tmp_path / "presse.txt"
    # Die Presse, 4 December 2020 (a passage): the last sentence holds a figure.
    text.write_text(
        "Kriegsgegner Armenien hatte zuletzt 1746 getötete Soldaten gemeldet. Damit stieg die "
        "Gesamtzahl der Toten auf mehr als 4600, einschließlich ziviler Opfer.\n",
        encoding="utf-8",
    )
    args = ["add", str(text), "--id", "presse", "--language", "de", "--title", "T"]
    args += ["--publisher", "Die Presse", "--published", "2020-12-04", "--data", str(data)]
    assert cli.main(args) == 0
    review = suggest.suggest(helpers.load(data), "presse").set_index("matched")
    assert review.loc["mehr als 4600", ["value_low", "bound"]].tolist() == [4600.0, "more_than"]


@pytest.mark.parametrize(
    "text, language",
    [
        ("Азербайджан осенью 2020 потерял 2783 своих военных.", "ru"),
        ("В 2020 году погибли 2783 военных.", "ru"),
        ("Seit 1994 galt eine brüchige Waffenruhe; 2783 Soldaten wurden getötet.", "de"),
    ],
)
def test_a_year_is_a_date_not_a_figure(text, language):
    found_dates = dates.find_dates(text, date(2020, 12, 3), language)
    figures = numbers.find_numbers(text, skip=[d.span for d in found_dates], language=language)
    assert [c.value_best for c in figures] == [2783.0]
    year = re.search(r"(19|20)\d\d", text).group(0)
    assert [(d.date_start, d.date_prec) for d in found_dates if d.date_prec == "year"] == [
        (f"{year}-01-01", "year")
    ]


def test_a_claimant_in_the_sentence_before_or_after_and_a_state_by_its_own_name(tmp_path):
    """Die Presse (4 December 2020) and Европейская правда (3 December 2020), as written."""
    from conftest import copy_data
    from helpers.sources import cli

    data = copy_data(tmp_path / "data")
    texts = {
        "presse": (
            "de",
            "Erstmals hat Aserbaidschan eigene Verluste beim jüngsten Waffengang mit Armenien "
            "um die Region Berg-Karabach beziffert. Demnach sind bei den wochenlangen Kämpfen "
            "mindestens 2783 Soldaten getötet worden. Kriegsgegner Armenien hatte zuletzt 1746 "
            "getötete Soldaten gemeldet.",
        ),
        "evropravda": (
            "ru",
            "По официальным данным, Азербайджан осенью 2020 потерял в войне в Нагорном Карабахе "
            "2783 своих военных.\n\nОб этом объявило Министерство обороны Азербайджана, "
            'сообщает "Европейская правда".',
        ),
    }
    found = {}
    for source_id, (language, words) in texts.items():
        path = tmp_path / f"{source_id}.txt"
        path.write_text(words + "\n", encoding="utf-8")
        args = ["add", str(path), "--id", source_id, "--language", language, "--title", "T"]
        args += ["--publisher", "P", "--published", "2020-12-04", "--data", str(data)]
        assert cli.main(args) == 0
        review = suggest.suggest(helpers.load(data), source_id)
        found |= review.loc[review["kind"] == "number"].set_index("matched").to_dict("index")
    assert found["mindestens 2783"]["claimant"] == "Aserbaidschan"  # 'Demnach': as before
    assert (found["1746"]["claimant"], found["1746"]["claimant_id"]) == (
        "Kriegsgegner Armenien",
        "armenia",
    )
    assert found["1746"]["unit"] == "people"  # '1746 getötete Soldaten'
    assert found["2783"]["claimant"] == "Министерство обороны Азербайджана"  # 'Об этом объявило'
    assert "2020" not in found  # 'осенью 2020': a year


def test_a_lone_figure_in_the_outlet_s_own_voice_is_proposed_as_the_outlet_s(tmp_path):
    """dpa (junge Welt, 12 January 2021) names no one for its toll: the outlet's own voice."""
    from conftest import copy_data
    from helpers.sources import cli

    data = copy_data(tmp_path / "data")
    text = tmp_path / "dpa.txt"
    text.write_text(
        "Insgesamt starben auf beiden Seiten weit mehr als 4.700 Menschen – die meisten "
        "davon Soldaten.\n",
        encoding="utf-8",
    )
    args = ["add", str(text), "--id", "dpa-test", "--language", "de", "--title", "T"]
    args += ["--publisher", "dpa", "--published", "2021-01-12", "--data", str(data)]
    assert cli.main(args) == 0
    review = suggest.suggest(helpers.load(data), "dpa-test")
    (figure,) = review.loc[review["kind"] == "number"].itertuples()
    assert figure.value_low == 4700
    assert (figure.claimant, figure.attribution) == ("dpa (in its own voice)", "unattributed")


def test_a_pronoun_after_of_is_not_a_unit():
    (figure,) = numbers.find_numbers("More than 2,000 of them were killed.")
    assert figure.value_low == 2000 and figure.unit != "them"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Aserbaidschan und Armenien streiten um Bergkarabach.",
            {"azerbaijan", "armenia", "nagorno-karabakh"},
        ),
        ("Die Kämpfe um Berg-Karabach endeten.", {"nagorno-karabakh"}),
        (
            "Le Haut-Karabakh, l'Arménie et l'Azerbaïdjan.",
            {"nagorno-karabakh", "armenia", "azerbaijan"},
        ),
    ],
)
def test_german_and_french_place_names_are_matched(text, expected):
    from helpers.sources import mentions
    from helpers.sources.candidates import Kind

    names = mentions.place_names(helpers.load().places)
    found = mentions.find_mentions(text, names, Kind.PLACE)
    found += mentions.find_inflected_mentions(
        text, names, Kind.PLACE, "de", taken=[c.span for c in found]
    )
    assert {c.place_id for c in found} == expected


def test_a_closed_pipe_ends_a_command_quietly(data_copy):
    """`python -m helpers.sources vocab | head -1`: the reader goes before the output."""
    read, write = os.pipe()
    os.close(read)  # the reader has closed its end before anything is written
    try:
        run = subprocess.run(
            [sys.executable, "-m", "helpers.sources", "vocab", "--data", str(data_copy)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert "Traceback" not in run.stderr and "BrokenPipeError" not in run.stderr
    assert run.returncode == 1


def test_a_report_in_another_language_is_accepted_with_the_kit_s_english_and_its_side(tmp_path):
    """RIA Novosti's dateline ('11 янв') dates the meeting; the row keeps the reviewer's
    English as its wording and the claimant cell, and ``add`` records role and side."""
    from conftest import copy_data
    from helpers.sources import cli

    data = copy_data(tmp_path / "data")
    text = tmp_path / "ria.txt"
    text.write_text(
        "МОСКВА, 11 янв — РИА Новости. Владимир Путин проводит в Кремле трехсторонние "
        "переговоры по Нагорному Карабаху.\n",
        encoding="utf-8",
    )
    args = ["add", str(text), "--id", "ria-test", "--language", "ru", "--title", "T"]
    args += ["--publisher", "RIA Novosti", "--published", "2021-01-11", "--side", "russia"]
    assert cli.main([*args, "--data", str(data)]) == 0
    source = helpers.load(data).sources.set_index("source_id").loc["ria-test"]
    assert (source["role"], source["side_id"]) == ("report", "russia")
    out = tmp_path / "review.csv"
    assert cli.main(["suggest", "ria-test", "--out", str(out), "--data", str(data)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert not [r for r in rows if r["kind"] == "number"]  # '11 янв' is a date, not 11 of 'янв'
    (dated,) = [r for r in rows if r["matched"] == "11 янв"]
    assert (dated["event_id"], dated["date_start"]) == ("moscow-meeting-2021-01-11", "2021-01-11")
    english = "Putin is holding trilateral talks on Nagorno-Karabakh in the Kremlin"
    dated.update(accept="x", translation=english, claimant="RIA Novosti (in its own voice)")
    dated["translation_by"] = "the kit's editor"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert cli.main(["accept", str(out), "--data", str(data)]) == 0
    reports = helpers.load(data).event_reports.set_index("report_id")
    row = reports.loc["ria-test-" + dated["candidate_id"]]
    assert (row["wording"], row["claimant"]) == (english, "RIA Novosti (in its own voice)")
