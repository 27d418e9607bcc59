"""The article's own statements are the fixtures: the dataset must say what the text says."""

from __future__ import annotations

import csv
import hashlib

import pandas as pd
import pytest

import helpers
from helpers import paths
from helpers.data.dataset import SOURCED_TABLES, TABLES

SOURCE = "aa-2021-01-11"


@pytest.fixture(scope="module")
def ds():
    return helpers.load()


def claim(ds, claim_id):
    return ds.claims.set_index("claim_id").loc[claim_id]


def test_source_text_is_stored_byte_for_byte(ds):
    row = ds.sources.set_index("source_id").loc[SOURCE]
    raw = (paths.DATA_DIR / "sources" / row["text_file"]).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == row["text_sha256"]
    text = ds.text(SOURCE)
    assert text.startswith("Rssia, Azerbaijan, Armenia trilateral meeting ends\n")
    assert "Russia’s mediation efforts" in text  # curly apostrophe kept
    assert row["title"] == text.splitlines()[0]


def test_publication_date_is_marked_as_external_knowledge(ds):
    row = ds.sources.set_index("source_id").loc[SOURCE]
    assert row["published"] == pd.Timestamp("2021-01-11")
    assert row["published_origin"] == "context"
    assert "Monday" in row["published_basis"]


def _csv_rows(table: str) -> list[dict]:
    """A table's rows read with the csv module: the data as stored, not as loaded."""
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _stored_texts() -> dict[str, str]:
    return {
        row["source_id"]: (paths.DATA_DIR / "sources" / row["text_file"]).read_text("utf-8")
        for row in _csv_rows("sources")
    }


@pytest.mark.parametrize("table", SOURCED_TABLES)
def test_every_article_row_quotes_its_passage_verbatim(table):
    texts = _stored_texts()
    rows = [r for r in _csv_rows(table) if r["origin"] == "article"]
    assert rows
    for row in rows:
        assert row["passage"] and row["passage"] in texts[row["source_id"]], (table, row)


@pytest.mark.parametrize("table", SOURCED_TABLES)
def test_context_rows_cite_a_reference_and_no_passage(table):
    references = {r["reference_id"] for r in _csv_rows("references")}
    for row in (r for r in _csv_rows(table) if r["origin"] == "context"):
        assert row["reference_id"] in references and not row["passage"], (table, row)


def test_azerbaijani_figure_is_a_floor_from_the_agencys_own_voice(ds):
    row = claim(ds, "az-military-deaths")
    assert row["bound"] == "at_least" and row["value_low"] == 2802 and pd.isna(row["value_high"])
    assert row["value_as_worded"] == "at least 2,802"
    assert row["metric"] == "military_deaths" and row["side_id"] == "azerbaijan"
    assert row["attribution"] == "unattributed"
    assert "martyred" in row["framing_note"]


def test_armenian_figure_is_a_ceiling_from_unnamed_sources(ds):
    row = claim(ds, "am-casualties")
    assert row["bound"] == "up_to" and row["value_high"] == 5000 and pd.isna(row["value_low"])
    assert row["attribution"] == "vague"
    assert "sources and officials" in row["claimant"]
    # 'casualties' is the article's word; it is not silently turned into deaths.
    assert row["metric"] == "casualties"


@pytest.mark.parametrize(
    ("claim_id", "bound", "worded", "number"),
    [
        ("people-returned", "more_than", "Over 48,000", 48000),
        ("settlements-taken", "approximately", "nearly 300", 300),
        ("war-duration", "approximately", "six-week-long", 6),
    ],
)
def test_other_numbers_keep_the_texts_bound(ds, claim_id, bound, worded, number):
    row = claim(ds, claim_id)
    assert (row["bound"], row["value_as_worded"], row["value_best"]) == (bound, worded, number)
    assert worded in row["passage"]


def test_every_number_in_the_article_is_captured(ds):
    """Each figure printed in the text appears in some row's passage."""
    import re

    text = ds.text(SOURCE)
    numbers = set(re.findall(r"\d[\d,]*", text))
    covered = " ".join(
        pd.concat([getattr(ds, t)["passage"].dropna() for t in SOURCED_TABLES]).tolist()
    )
    assert numbers, "the article has numbers"
    assert {n for n in numbers if n not in covered} == set()


def test_the_articles_quotes_are_putins_exact_words(ds):
    article = ds.quotes.loc[ds.quotes["source_id"] == SOURCE]
    assert len(article) == 3
    assert set(article["speaker_id"]) == {"putin"}
    for row in article.itertuples():
        assert f"“{row.text}" in ds.text(SOURCE)
        assert row.translated


def test_quotes_are_found_in_their_passages_or_excerpts(ds):
    assert {"pashinyan", "aliyev"} <= set(ds.quotes["speaker_id"])  # the meeting's other voices
    for row in ds.quotes.itertuples():
        evidence = row.excerpt if row.origin == "context" else row.passage
        assert row.text.strip('“”"') in evidence, row.quote_id


def test_meeting_is_dated_from_monday_with_its_basis(ds):
    meeting = ds.events.set_index("event_id").loc["moscow-meeting-2021-01-11"]
    assert meeting["date_start"] == meeting["date_end"] == pd.Timestamp("2021-01-11")
    assert meeting["date_prec"] == "day"
    assert "Monday" in meeting["date_basis"]
    assert set(meeting["actor_ids"]) >= {"putin", "aliyev", "pashinyan"}


def test_one_event_several_reports_with_different_dates(ds):
    reports = ds.event_reports[ds.event_reports["event_id"] == "agreement-2020-11-10"]
    assert len(ds.events[ds.events["event_id"] == "agreement-2020-11-10"]) == 1
    assert len(reports) >= 3
    assert set(reports["reported_date_prec"].dropna()) == {"day", "month"}
    assert set(reports["origin"]) == {"article", "context"}
    assert pd.Timestamp("2020-11-09") in set(reports["reported_date_start"])


def test_agenda_has_the_five_items_and_the_working_group(ds):
    assert set(ds.topics["topic"]) == {
        "the activities of the Russian peacekeeping force currently deployed in Nagorno-Karabakh",
        "border lines",
        "humanitarian problems",
        "the protection of cultural heritage",
        "opening economic, commercial and transportation links and borders",
    }
    links = ds.topics.set_index("topic_id").loc["transport-links"]
    assert links["assigned_to_id"] == "joint-working-group"


def test_loaded_words_are_in_the_glossary_with_neutral_alternatives(ds):
    terms = set(ds.glossary["term"].str.lower())
    for word in ("liberated", "occupied", "martyred", "sources and officials say", "rssia"):
        assert word in terms
    assert ds.glossary["neutral_alternative"].notna().all()


def test_places_are_a_geodataframe_in_wgs84(ds):
    places = ds.places
    assert places.crs.to_epsg() == 4326
    points = places[places["coord_kind"] != "none"]
    assert points.geometry.notna().all()
    assert places.loc[places["coord_kind"] == "none"].geometry.isna().all()
    moscow = places.set_index("place_id").loc["moscow"]
    assert moscow["origin"] == "article" and moscow["geonames_id"] == "524901"


def test_types_are_real(ds):
    assert pd.api.types.is_datetime64_any_dtype(ds.events["date_start"])
    assert pd.api.types.is_float_dtype(ds.claims["value_best"])
    assert ds.references["checked"].dtype == bool
    assert isinstance(ds.events["actor_ids"].iloc[0], tuple)


def test_as_of_keeps_only_what_was_published_by_then(ds):
    before = ds.as_of("2021-01-10")
    assert before.claims.empty and before.sources.empty
    assert "moscow-meeting-2021-01-11" not in set(before.events["event_id"])
    # Context known then stays: the 10 November statement was published before.
    assert "handover-lachin" in set(before.events["event_id"])
    on_the_day = ds.as_of("2021-01-11")
    published = ds.sources.set_index("source_id")["published"]
    known = published.index[published <= "2021-01-11"]
    by_then = ds.claims["source_id"].isin(known) & (ds.claims["claim_date"] <= "2021-01-11")
    assert set(on_the_day.claims["claim_id"]) == set(ds.claims.loc[by_then, "claim_id"])
    assert set(on_the_day.sources["source_id"]) == set(known)
    assert "r-centre-opened" not in set(on_the_day.event_reports["report_id"])
    assert "r-centre-opened" in set(ds.event_reports["report_id"])
    assert ds.as_of(None) is ds


def test_load_of_a_copy_and_env_var(data_copy, monkeypatch):
    assert len(helpers.load(data_copy).claims) == len(helpers.load().claims)
    monkeypatch.setenv("KIT_DATA_DIR", str(data_copy))
    assert helpers.load().path == data_copy


def test_loading_never_writes(data_copy):
    before = {
        p: (p.stat().st_mtime_ns, p.read_bytes()) for p in data_copy.rglob("*") if p.is_file()
    }
    helpers.load(data_copy)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in data_copy.rglob("*") if p.is_file()}
    assert before == after


def test_all_tables_loaded(ds):
    for table in TABLES:
        assert len(getattr(ds, table)) > 0, table


def test_data_package_is_valid_frictionless():
    """R, spreadsheet and Frictionless users read the same descriptor."""
    from frictionless import Package

    report = Package(str(paths.DATA_DIR / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


# ------------------------------------------------------------------ evidence checks
# Each check is shown to fail on a copy of the data with one cell broken, and the
# message names the file, row and column.


def _problems(data_copy):
    from helpers.errors import DataError

    with pytest.raises(DataError) as caught:
        helpers.load(data_copy)
    return caught.value.problems


def test_a_context_row_without_an_excerpt_is_refused(data_copy):
    from conftest import edit_cell

    edit_cell(data_copy, "event_reports", "r-takeover-tass", "excerpt", "")
    [problem] = _problems(data_copy)
    assert (problem.file.endswith("event_reports.csv"), problem.column) == (True, "excerpt")
    # Row 3 of event_reports.csv (header = row 1): r-takeover-tass is its second record.
    assert problem.row == 3 and "verbatim excerpt" in problem.message


def test_an_excerpt_longer_than_300_characters_is_refused(data_copy):
    from conftest import edit_cell

    edit_cell(data_copy, "event_reports", "r-takeover-tass", "excerpt", "x" * 301)
    [problem] = _problems(data_copy)
    assert problem.column == "excerpt" and "301 characters" in problem.message


def test_the_excerpt_limit_is_the_descriptors_max_length(data_copy):
    import json

    from conftest import edit_cell

    # Lower the limit in datapackage.json only: an excerpt that fitted before is now refused,
    # naming the new limit, so the loader holds no limit of its own.
    descriptor_path = data_copy / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    [resource] = [r for r in descriptor["resources"] if r["name"] == "event_reports"]
    [field] = [f for f in resource["schema"]["fields"] if f["name"] == "excerpt"]
    field["constraints"]["maxLength"] = 20
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    edit_cell(data_copy, "event_reports", "r-takeover-tass", "excerpt", "x" * 21)
    problems = _problems(data_copy)
    assert {(p.column, "20 characters" in p.message) for p in problems} == {("excerpt", True)}


def test_a_reference_published_before_the_fact_it_states_is_refused(data_copy):
    from conftest import edit_cell

    # A report dating events of 1992-1994 cannot rest on a reference of 1 January 1991.
    edit_cell(data_copy, "references", "tass-2020-10-03", "published", "1991-01-01")
    problems = _problems(data_copy)
    assert any(
        p.column == "reference_id" and "tass-2020-10-03" in p.message and "1992" in p.message
        for p in problems
    ), problems


def test_a_checked_reference_must_say_when_and_how(data_copy):
    from conftest import edit_cell

    edit_cell(data_copy, "references", "az-mfa-2020-11-10", "checked_on", "")
    edit_cell(data_copy, "references", "az-mfa-2020-11-10", "checked_how", "")
    problems = _problems(data_copy)
    assert {p.column for p in problems} == {"checked_on", "checked_how"}
    assert all(p.file.endswith("references.csv") for p in problems)
