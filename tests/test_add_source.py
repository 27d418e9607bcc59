"""Adding a source, end to end: suggest → accept → load → rebuild, and ``as_of``.

The second source is TEST DATA: a fictional wire report written for these tests
(``tests/fixtures/second_source/``, see its README). It reports the Moscow meeting
with a time-zone nuance (talks ending late on Monday Moscow time, already Tuesday
in Baku and Yerevan), the 10 November agreement, a new event (a prisoner
exchange), and casualty figures at two dates. Every step runs on a private copy of
``data/``; the kit's own data is never touched.

The steps are those of ``docs/adding-a-source.md``, done as a researcher would:
``add`` registers the text, ``suggest`` writes the review file, the accepted rows
go into the tables (copied, ``append_rows``, or with ``accept``), and ``check``
validates. A second part runs the same path on fictional reports in French,
Russian, English and German (``tests/fixtures/multilingual/``) and checks that one
ministry's figures, worded differently by four outlets, form one series.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

import helpers
from conftest import append_rows, copy_data
from helpers import charts, narrative, reading
from helpers.sources import cli, events

FIXTURE = Path(__file__).parent / "fixtures" / "second_source"
SOURCE_ID = "testwire-2021-01-12"
TEXT = FIXTURE / "testwire-2021-01-12.txt"
BEFORE = "2021-01-11"  # the day before the test source was published
ACCEPTED_TABLES = ("actors", "events", "event_reports", "claims", "quotes", "glossary")


def accepted(table: str) -> list[dict]:
    with (FIXTURE / "accepted" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def register_args(data: Path, text: Path = TEXT) -> list[str]:
    """``add`` with what the researcher knows of the test source (its sources row)."""
    (row,) = accepted("sources")
    return [
        "add",
        str(text),
        "--id",
        row["source_id"],
        "--publisher",
        row["publisher"],
        "--published",
        row["published"],
        "--title",
        row["title"],
        "--language",
        row["language"],
        "--date-in-text",
        "--published-basis",
        row["published_basis"],
        "--outlet-kind",
        row["outlet_kind"],
        "--perspective",
        row["perspective"],
        "--copyright",
        row["copyright"],
        "--data",
        str(data),
    ]


@pytest.fixture(scope="module")
def workflow(tmp_path_factory):
    """The whole workflow on a data copy; returns what each step produced."""
    root = tmp_path_factory.mktemp("add-source")
    data = copy_data(root / "data")
    original = helpers.load(data)

    # 1. Register the text: one command stores it, its checksum, row and resource.
    assert cli.main(register_args(data)) == 0
    (row,) = accepted("sources")
    assert row["text_sha256"] == hashlib.sha256(TEXT.read_bytes()).hexdigest()
    stored = helpers.load(data).sources.set_index("source_id").loc[SOURCE_ID]
    assert (stored["text_sha256"], stored["text_file"]) == (row["text_sha256"], row["text_file"])
    with_source = helpers.load(data)  # a source with no rows yet loads

    # 2. Run the suggestion helper (the command line, in-process).
    review_path = root / "review" / f"{SOURCE_ID}-suggestions.csv"
    assert cli.main(["suggest", SOURCE_ID, "--data", str(data)]) == 0
    assert review_path.is_file()  # the default: review/ beside the data folder
    review = pd.read_csv(review_path, dtype=str, keep_default_na=False)

    # 3. Accept rows into the tables, as a researcher copying from the review file.
    for table in ACCEPTED_TABLES:
        append_rows(data, table, accepted(table))
    # 4. Check.
    assert cli.main(["check", "--data", str(data)]) == 0
    ds = helpers.load(data)
    return {
        "data": data,
        "original": original,
        "with_source": with_source,
        "review": review,
        "ds": ds,
        "root": root,
    }


# ------------------------------------------------------------- suggest → accept


def candidates(review: pd.DataFrame, kind: str, inside: str) -> pd.DataFrame:
    """Candidates of ``kind`` whose matched words lie in the accepted passage."""
    text = TEXT.read_text(encoding="utf-8")
    start = text.index(inside)
    spans = review.loc[review["kind"] == kind]
    within = spans["start"].astype(int).between(start, start + len(inside))
    return spans.loc[within]


def test_every_accepted_figure_was_suggested_with_its_value_and_bound(workflow):
    for claim in accepted("claims"):
        found = candidates(workflow["review"], "number", claim["passage"])
        match = found.loc[found["matched"] == claim["value_as_worded"]]
        assert len(match) == 1, (claim["claim_id"], found["matched"].tolist())
        row = match.iloc[0]
        assert row["bound"] == claim["bound"], claim["claim_id"]
        assert float(row["value_best"]) == float(claim["value_best"]), claim["claim_id"]
        assert row["target_table"] == "claims"


def test_every_accepted_report_was_suggested_with_its_date_and_event(workflow):
    review = workflow["review"]
    for report in accepted("event_reports"):
        found = candidates(review, "date", report["passage"])
        starts = found.loc[found["date_start"] == report["reported_date_start"]]
        assert not starts.empty, (report["report_id"], found["matched"].tolist())
        if report["report_id"] == "r-exchange-testwire":
            # A new event: nothing in the dataset matches, so the review says so.
            assert set(starts["target_table"]) == {"events + event_reports"}
        else:
            assert report["event_id"] in set(starts["event_id"]), report["report_id"]


def test_the_meeting_is_recognised_despite_the_time_zone(workflow):
    review = workflow["review"]
    monday = review.loc[(review["kind"] == "date") & (review["matched"] == "Monday")].iloc[0]
    assert (monday["date_start"], monday["event_id"]) == ("2021-01-11", "moscow-meeting-2021-01-11")
    assert "time zone" in monday["note"]


def test_every_accepted_quote_was_suggested_with_its_speaker(workflow):
    quotes = workflow["review"].loc[workflow["review"]["kind"] == "quote"]
    for quote in accepted("quotes"):
        match = quotes.loc[quotes["quote_text"] == quote["text"]]
        assert len(match) == 1, quote["quote_id"]
        assert match.iloc[0]["speaker_id"] == quote["speaker_id"]
        assert match.iloc[0]["passage"] == quote["passage"]


def test_figures_carry_the_date_they_were_claimed(workflow):
    review = workflow["review"].set_index("matched")
    for claim in accepted("claims"):
        row = review.loc[claim["value_as_worded"]]
        assert (row["claim_date"], row["claim_date_prec"]) == (
            claim["claim_date"],
            claim["claim_date_prec"],
        ), claim["claim_id"]


def test_statement_dates_are_claim_dates_not_events(workflow):
    review = workflow["review"]
    said = review.loc[
        (review["kind"] == "date")
        & (review["target_table"] != "event_reports")
        & (review["target_table"] != "events + event_reports")
    ]
    assert set(said["matched"]) == {"Tuesday", "in December"}
    assert set(said["target_table"]) == {"claims (claim_date)"}


# ------------------------------------------------------------------------ load


def test_a_new_report_attaches_to_the_existing_event(workflow):
    ds, original = workflow["ds"], workflow["original"]
    assert len(ds.events) == len(original.events) + 1  # only the prisoner exchange is new

    def reporting(reports):
        return set(reports.loc[reports["event_id"] == "moscow-meeting-2021-01-11", "source_id"])

    meeting = ds.event_reports.loc[ds.event_reports["event_id"] == "moscow-meeting-2021-01-11"]
    before = reporting(original.event_reports.dropna(subset=["source_id"]))
    assert "aa-2021-01-11" in before
    assert set(meeting["source_id"].dropna()) == before | {SOURCE_ID}
    mine = meeting.loc[meeting["source_id"] == SOURCE_ID].iloc[0]
    # Dated differently (a window into Tuesday in Baku), still the same event.
    assert mine["reported_date_end"] == pd.Timestamp("2021-01-12")


def test_claims_from_different_sources_stay_separate(workflow):
    ds, original = workflow["ds"], workflow["original"]
    deaths = ds.claims.loc[
        (ds.claims["metric"] == "military_deaths") & (ds.claims["side_id"] == "azerbaijan")
    ]
    assert len(deaths) == 3 and deaths["claim_date"].nunique() == 3
    assert set(deaths["source_id"]) == {"aa-2021-01-11", SOURCE_ID}
    old = original.claims.set_index("claim_id").loc["az-military-deaths"]
    new = ds.claims.set_index("claim_id").loc["az-military-deaths"]
    assert old.equals(new)  # the first source's claim is untouched


def test_as_of_before_the_new_source_leaves_it_out(workflow):
    ds = workflow["ds"]
    before = ds.as_of(BEFORE)
    published = workflow["original"].sources.set_index("source_id")["published"]
    assert set(before.sources["source_id"]) == set(published.index[published <= BEFORE])
    for table in reading.READING_TABLES:
        assert SOURCE_ID not in set(getattr(before, table)["source_id"].dropna()), table
    assert "prisoner-exchange-2020-12-14" not in set(before.events["event_id"])
    after = ds.as_of("2021-01-12")
    assert SOURCE_ID in set(after.sources["source_id"])
    assert "prisoner-exchange-2020-12-14" in set(after.events["event_id"])


# ------------------------------------------------------- what the notebooks show


def test_casualty_chart_gains_marks_and_the_evolution_chart_appears(workflow):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ds = workflow["ds"]
    old, new = charts.casualty_claims(ds.as_of(BEFORE)), charts.casualty_claims(ds)
    added = {c["claim_id"] for c in accepted("claims")} & set(new["claim_id"])
    assert added == {
        "az-military-deaths-testwire",
        "az-military-deaths-december-testwire",
        "am-military-deaths-testwire",
        "civilian-deaths-testwire",
    }
    old_fig, new_fig = charts.plot_claims(old), charts.plot_claims(new)
    later = set(new["claim_id"]) - set(old["claim_id"])  # the test source's and the corpus's
    assert added <= later
    assert len(new_fig.kit_marks) == len(old_fig.kit_marks) + len(later)
    assert charts.plot_claims_over_time(old) is None
    over_time = charts.plot_claims_over_time(new)
    assert over_time is not None
    plt.close("all")


def test_narrative_gains_the_new_report_and_event(workflow):
    ds = workflow["ds"]
    new_rows = {r["report_id"] for r in accepted("event_reports")}
    text = str(narrative.build(ds))
    assert "Test Wire" in text
    cited = {s.row[1] for s in narrative.build(ds).sentences() if s.row}
    assert cited & new_rows
    assert "Test Wire" not in str(narrative.build(ds.as_of(BEFORE)))


def test_framing_audit_flags_the_new_source_until_reviewed(workflow):
    unreviewed = reading.framing_audit(workflow["with_source"]).frame
    mine = unreviewed.loc[unreviewed["source_id"] == SOURCE_ID]
    assert "liberated" in mine["term"].tolist()
    assert mine["status"].str.contains("not reviewed").all()
    reviewed = reading.framing_audit(workflow["ds"])
    mine = reviewed.frame.loc[reviewed.frame["source_id"] == SOURCE_ID].set_index("term")
    assert mine.loc["liberated", "status"] == "reviewed"
    assert reviewed.counts.loc[SOURCE_ID, "loaded_term"] == 1


def test_the_reading_shows_sentences_that_feed_nothing(workflow):
    gaps = reading.gaps(workflow["ds"])
    mine = gaps.loc[gaps["source_id"] == SOURCE_ID, "sentence"].tolist()
    assert mine[0].startswith("TEST DATA")  # the header line feeds no table
    assert not (gaps["source_id"] == "aa-2021-01-11").any()


# ----------------------------------------------------------------- the rebuild


@pytest.mark.slow
def test_rebuild_updates_reports_and_an_as_of_build_goes_elsewhere(workflow):
    from helpers import paths
    from helpers.report import build

    root, data = workflow["root"], workflow["data"]
    names = [
        p.stem
        for p in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
        if p.stem.startswith(("00-", "02-", "03-"))
    ]
    assert names and names[0] == "00-read-the-source"
    config = dict(
        reports_dir=root / "reports", cache_dir=root / "cache", data_dir=data, only=names, jobs=2
    )
    assert build.build(build.BuildConfig(**config)) == 0
    current = {n: (root / "reports" / f"{n}.html").read_text(encoding="utf-8") for n in names}
    assert all("Test Wire" in html for html in current.values()), [
        n for n, html in current.items() if "Test Wire" not in html
    ]

    # As of the day before the test source, on the notebook that lists every source
    # (the dataset-level tests above check the other tables).
    first = names[:1]
    assert build.build(build.BuildConfig(as_of=BEFORE, **{**config, "only": first})) == 0
    earlier = root / f"reports-as-of-{BEFORE}"
    assert "Anadolu Agency" in (earlier / f"{first[0]}.html").read_text(encoding="utf-8")
    for name in first:
        assert "Test Wire" not in (earlier / f"{name}.html").read_text(encoding="utf-8"), name
        # The current reports are untouched by the as-of build.
        assert (root / "reports" / f"{name}.html").read_text(encoding="utf-8") == current[name]


def test_make_report_passes_as_of_to_the_build_which_writes_a_separate_folder():
    import subprocess

    from helpers import paths
    from helpers.report import build

    run = subprocess.run(
        ["make", "-n", "report", "AS_OF=2020-12-31"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "-m helpers.report --as-of 2020-12-31" in run.stdout
    config = build.BuildConfig(as_of="2020-12-31")
    assert config.out_dir == paths.REPORTS_DIR.with_name("reports-as-of-2020-12-31")
    assert config.out_dir != paths.REPORTS_DIR


def test_a_meeting_entered_twice_is_flagged_as_a_possible_duplicate(data_copy):
    # The mistake the workflow guards against: a new event for a meeting the
    # dataset already has (dated a day later, as seen from Baku).
    append_rows(
        data_copy,
        "events",
        [
            {
                "event_id": "moscow-talks-2021-01-12",
                "label": "Putin, Aliyev and Pashinyan meet",
                "kind": "ceasefire_diplomatic",
                "date_start": "2021-01-12",
                "date_end": "2021-01-12",
                "date_prec": "day",
                "date_basis": "test",
                "date_origin": "article",
                "place_id": "moscow",
                "actor_ids": "putin;aliyev;pashinyan",
                "origin": "article",
            }
        ],
    )
    found = events.duplicate_events(helpers.load(data_copy))
    assert found[["event_id", "possible_duplicate_of"]].values.tolist() == [
        ["moscow-meeting-2021-01-11", "moscow-talks-2021-01-12"]
    ]
    assert "same place moscow" in found.iloc[0]["why"]


def test_check_command_validates_and_warns_about_duplicates(data_copy, capsys):
    assert cli.main(["check", "--data", str(data_copy)]) == 0
    assert "the data loads" in capsys.readouterr().out
    test_a_meeting_entered_twice_is_flagged_as_a_possible_duplicate(data_copy)
    assert cli.main(["check", "--data", str(data_copy)]) == 0
    assert "may be one event entered twice" in capsys.readouterr().out
    (data_copy / "claims.csv").write_text("claim_id\nx\n", encoding="utf-8")
    assert cli.main(["check", "--data", str(data_copy)]) == 2
    assert "claims.csv" in capsys.readouterr().err


# ------------------------------------------------------------ the accept helper


def fill_review(path: Path, candidate_id: str, **cells: str) -> None:
    """Fill cells of one review row, as a researcher does in a spreadsheet."""
    review = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = review["candidate_id"] == candidate_id
    assert row.sum() == 1, candidate_id
    for column, value in cells.items():
        review.loc[row, column] = value
    review.to_csv(path, index=False)


def test_accept_lists_every_empty_cell_at_once_then_appends_complete_rows(tmp_path, capsys):
    data = copy_data(tmp_path / "data")
    assert cli.main(register_args(data)) == 0
    review_path = tmp_path / "review.csv"
    assert cli.main(["suggest", SOURCE_ID, "--data", str(data), "--out", str(review_path)]) == 0
    review = pd.read_csv(review_path, dtype=str, keep_default_na=False).set_index("matched")
    ids = {
        "claim": review.loc["2,841", "candidate_id"],
        "report": review.loc["Monday", "candidate_id"],
        "term": review.loc["liberated", "candidate_id"],
    }
    quote = review.loc[review["kind"] == "quote"].iloc[0]["candidate_id"]
    # The ministry is not an actor yet: the review proposes it, and the figure points to it.
    ministry = review.loc[review["kind"] == "claimant"].loc["Azerbaijan's Defence Ministry"]
    figure = review.loc["2,841"]
    assert (figure["claimant"], figure["claimant_id"]) == (
        "Azerbaijan's Defence Ministry",
        ministry["actor_id"],
    )
    assert figure["unit"] == "people"  # 'servicemen' counts people
    before = {p: p.read_bytes() for p in data.rglob("*.csv")}
    for candidate in [*ids.values(), quote, ministry["candidate_id"]]:
        fill_review(review_path, candidate, accept="x")
    accept = ["accept", str(review_path), "--data", str(data)]
    assert cli.main(accept) == 2
    err = capsys.readouterr().err
    # One list, each naming the review file's row and column, with the allowed values.
    listed = {
        (int(row), column)
        for row, column in re.findall(r"review\.csv row (\d+), column (\w+)", err)
    }
    line = {c: n for n, c in enumerate(pd.read_csv(review_path, dtype=str)["candidate_id"], 2)}
    claim_row, quote_row, actor_row = (
        line[ids["claim"]],
        line[quote],
        line[ministry["candidate_id"]],
    )
    assert listed == {
        (claim_row, "subject"),
        (claim_row, "side_id"),
        (claim_row, "metric"),
        (claim_row, "statement"),
        (quote_row, "translated"),
        (actor_row, "name"),
        (actor_row, "actor_kind"),
    }
    assert "named, vague, unattributed" not in err  # attribution was proposed: 'named'
    assert "military_deaths" in err and "organisation" in err  # the vocabularies
    assert {p: p.read_bytes() for p in data.rglob("*.csv")} == before  # nothing written

    fill_review(
        review_path,
        ids["claim"],
        subject="Azerbaijani soldiers killed",
        side_id="azerbaijan",
        metric="military_deaths",
        statement="The ministry said 2,841 servicemen were killed.",
    )
    fill_review(review_path, quote, translated="true")
    fill_review(
        review_path,
        ministry["candidate_id"],
        name="Ministry of Defence of Azerbaijan",
        actor_kind="organisation",
    )
    assert cli.main(accept) == 0
    assert cli.main(["check", "--data", str(data)]) == 0
    ds = helpers.load(data)
    claim_id = f"{SOURCE_ID}-{ids['claim']}"
    claim = ds.claims.set_index("claim_id").loc[claim_id]
    assert (claim["source_id"], claim["bound"], claim["value_best"]) == (SOURCE_ID, "exact", 2841)
    assert (claim["claimant_id"], claim["side_id"]) == (ministry["actor_id"], "azerbaijan")
    assert pd.isna(claim["caveat"])  # the tool's note stays in the review file
    actor = ds.actors.set_index("actor_id").loc[ministry["actor_id"]]
    assert (actor["affiliation_id"], actor["name"]) == (
        "azerbaijan",
        "Ministry of Defence of Azerbaijan",
    )
    assert pd.isna(actor["note"])
    assert "2,841" in claim["passage"] and claim["claim_date"] == pd.Timestamp("2021-01-12")
    report = ds.event_reports.set_index("report_id").loc[f"{SOURCE_ID}-{ids['report']}"]
    assert report["event_id"] == "moscow-meeting-2021-01-11"
    assert report["reported_date_start"] == pd.Timestamp("2021-01-11")
    term = ds.glossary.set_index("term_id").loc[f"{SOURCE_ID}-{ids['term']}"]
    assert term["neutral_alternative"].startswith("took control of")

    # Accepting again skips what is in; a place or an unknown id is refused with the reason.
    assert cli.main(accept) == 0
    assert "skipped" in capsys.readouterr().out
    ids_arg = [*accept, "--ids"]
    assert cli.main([*ids_arg, review.loc["Moscow", "candidate_id"]]) == 2
    assert "cite it by its place_id" in capsys.readouterr().err
    assert cli.main([*ids_arg, "c999"]) == 2
    assert "no candidate 'c999'" in capsys.readouterr().err
    helpers.load(data)  # nothing was written by the refused calls


def test_accept_refuses_a_vague_attribution_with_a_claimant_id(tmp_path, capsys):
    data = copy_data(tmp_path / "data")
    assert cli.main(register_args(data)) == 0
    review_path = tmp_path / "review.csv"
    assert cli.main(["suggest", SOURCE_ID, "--data", str(data), "--out", str(review_path)]) == 0
    review = pd.read_csv(review_path, dtype=str, keep_default_na=False).set_index("matched")
    fill_review(
        review_path,
        review.loc["over 3,300", "candidate_id"],
        accept="x",
        subject="Armenian soldiers killed",
        side_id="armenia",
        metric="military_deaths",
        statement="Armenian officials put the toll at over 3,300.",
        attribution="vague",
        claimant_id="armenia",
    )
    assert cli.main(["accept", str(review_path), "--data", str(data)]) == 2
    assert (
        "column claimant_id: must be empty when attribution is 'vague'" in capsys.readouterr().err
    )


def test_a_plain_claim_is_added_through_the_commands_like_a_figure(tmp_path, capsys):
    """A claim with no figure (who said what) goes suggest -> accept -> check -> reports.

    The oracle is the fixture's text: the sentence, its speaker and the words kept.
    """
    from helpers import comparison

    data = copy_data(tmp_path / "data")
    assert cli.main(register_args(data)) == 0
    review_path = tmp_path / "review.csv"
    assert cli.main(["suggest", SOURCE_ID, "--data", str(data), "--out", str(review_path)]) == 0
    review = pd.read_csv(review_path, dtype=str, keep_default_na=False)
    text = TEXT.read_text(encoding="utf-8")
    said = '"Not all questions were answered, including the return of prisoners of war,"'
    sentence = text[text.index(said) : text.index("told reporters.") + len("told reporters.")]
    sentences = review.loc[review["kind"] == "sentence"]
    (candidate,) = sentences.loc[sentences["matched"] == sentence, "candidate_id"]
    (row,) = review.loc[review["candidate_id"] == candidate].to_dict("records")
    assert (row["target_table"], row["claimant_id"], row["attribution"]) == (
        "claims",
        "pashinyan",
        "named",
    )
    assert row["claimant"].endswith("Nikol Pashinyan") and row["passage"] == sentence
    fill_review(review_path, candidate, accept="x")
    accept = ["accept", str(review_path), "--data", str(data)]
    before = {p: p.read_bytes() for p in data.rglob("*.csv")}
    assert cli.main(accept) == 2
    err = capsys.readouterr().err
    line = {c: n for n, c in enumerate(review["candidate_id"], 2)}[candidate]
    listed = {
        (int(r), column) for r, column in re.findall(r"review\.csv row (\d+), column (\w+)", err)
    }
    # A plain claim needs no unit and may concern no single side; the rest is the reviewer's.
    assert listed == {(line, "subject"), (line, "metric"), (line, "statement")}
    assert "prisoners_of_war" in err  # the metric's vocabulary is listed
    assert {p: p.read_bytes() for p in data.rglob("*.csv")} == before

    # A passage reworded by the reviewer is refused, naming the review file's cell.
    cells = dict(
        subject="prisoners of war",
        metric="prisoners_of_war",
        statement="Pashinyan said not all questions were answered, including the return "
        "of prisoners of war.",
    )
    fill_review(review_path, candidate, passage="Not every question was answered", **cells)
    assert cli.main(accept) == 2
    err = capsys.readouterr().err
    assert f"review.csv row {line}, column passage: is not word for word" in err
    assert {p: p.read_bytes() for p in data.rglob("*.csv")} == before

    # Shortened to the words that carry the claim, verbatim: accepted.
    kept = "Not all questions were answered, including the return of prisoners of war"
    assert kept in text
    fill_review(review_path, candidate, passage=kept)
    assert cli.main(accept) == 0
    assert cli.main(["check", "--data", str(data)]) == 0
    ds = helpers.load(data)
    claim = ds.claims.set_index("claim_id").loc[f"{SOURCE_ID}-{candidate}"]
    assert (claim["claim_kind"], claim["passage"], claim["claimant_id"]) == (
        "qualitative",
        kept,
        "pashinyan",
    )
    assert pd.isna(claim["value_as_worded"]) and pd.isna(claim["unit"])
    assert claim["claim_date"] == pd.Timestamp("2021-01-12")
    # The reports see it: notebook 04's coverage marks the fact for the new source.
    assert bool(comparison.coverage(ds).loc[SOURCE_ID, "prisoners_of_war"])


def test_a_figure_about_no_single_side_is_answered_with_none(tmp_path, capsys):
    """side_id must be answered: an actor, or 'none' (stored empty) for no single side."""
    data = copy_data(tmp_path / "data")
    assert cli.main(register_args(data)) == 0
    review_path = tmp_path / "review.csv"
    assert cli.main(["suggest", SOURCE_ID, "--data", str(data), "--out", str(review_path)]) == 0
    review = pd.read_csv(review_path, dtype=str, keep_default_na=False).set_index("matched")
    figure = review.loc["over 3,300", "candidate_id"]
    cells = dict(
        accept="x",
        subject="soldiers killed",
        unit="people",
        metric="military_deaths",
        statement="Officials put the toll at over 3,300.",
        attribution="vague",
        claimant_id="",
    )
    fill_review(review_path, figure, **cells)
    accept = ["accept", str(review_path), "--data", str(data)]
    assert cli.main(accept) == 2
    err = capsys.readouterr().err
    assert re.search(r"column side_id: is empty: .*'none'", err)
    fill_review(review_path, figure, side_id="none")
    assert cli.main(accept) == 0
    claim = helpers.load(data).claims.set_index("claim_id").loc[f"{SOURCE_ID}-{figure}"]
    assert pd.isna(claim["side_id"]) and claim["value_low"] == 3300


def test_suggest_again_keeps_the_review_and_its_ids(tmp_path, capsys):
    data = copy_data(tmp_path / "data")
    assert cli.main(register_args(data)) == 0
    review_path = tmp_path / "review.csv"
    args = ["suggest", SOURCE_ID, "--data", str(data), "--out", str(review_path)]
    assert cli.main(args) == 0
    first = pd.read_csv(review_path, dtype=str, keep_default_na=False)
    figure = first.loc[first["matched"] == "2,841", "candidate_id"].item()
    fill_review(review_path, figure, accept="x", subject="my own words")
    edited = pd.read_csv(review_path, dtype=str, keep_default_na=False)
    assert cli.main(args) == 0
    again = pd.read_csv(review_path, dtype=str, keep_default_na=False)
    assert "kept its" in capsys.readouterr().out
    pd.testing.assert_frame_equal(again[edited.columns].iloc[: len(edited)], edited)


# ------------------------------------------ one claimant, four outlets, four languages

MULTI = Path(__file__).parent / "fixtures" / "multilingual"
MINISTRY = "armenia-health-ministry"


def multi_sources() -> list[dict]:
    import json

    meta = json.loads((MULTI / "sources.json").read_text(encoding="utf-8"))
    assert meta["fictional"].startswith("TEST DATA")
    return meta["sources"]


def review_of(root: Path, source_id: str) -> pd.DataFrame:
    path = root / "review" / f"{source_id}-suggestions.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("matched")


def judge(review_file: Path, candidate_id: str, claimant_id: str) -> None:
    """What only the researcher can fill in for a figure of the test reports."""
    fill_review(
        review_file,
        candidate_id,
        subject="Armenian soldiers killed in the 2020 war (test data)",
        side_id="armenia",
        metric="military_deaths",
        unit="people",
        attribution="named",
        statement="TEST DATA: the ministry's count of soldiers killed.",
        claimant_id=claimant_id,
    )


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory):
    """Register, suggest and accept the ministry's figure from each fictional report."""
    root = tmp_path_factory.mktemp("multilingual")
    data = copy_data(root / "data")
    figures = {  # the ministry's figure as each text words it (see the fixture texts)
        "courrier-2020-12-30": "2 823",
        "vestnik-2021-01-03": "3\u202f330",
        "ledger-2021-01-12": "3,360",
        "rundschau-2021-01-13": "3.330",
    }
    reviews = {}
    for source in multi_sources():
        sid = source["id"]
        args = ["add", str(MULTI / source["file"]), "--id", sid, "--data", str(data)]
        for option in ("publisher", "published", "title", "language"):
            args += [f"--{option}", source[option]]
        assert cli.main(args) == 0
        assert cli.main(["suggest", sid, "--data", str(data)]) == 0
        review = reviews[sid] = review_of(root, sid)
        figure = review.loc[figures[sid]]
        ids = [figure["candidate_id"]]
        claimant = figure["claimant_id"]
        if sid == "courrier-2020-12-30":
            # First report: the ministry becomes an actor, from the review's proposal.
            proposal = review.loc[review["kind"] == "claimant"].loc[figure["claimant"]]
            ids.append(proposal["candidate_id"])
        review_file = root / "review" / f"{sid}-suggestions.csv"
        judge(review_file, figure["candidate_id"], MINISTRY if claimant != "" else "")
        if sid == "courrier-2020-12-30":
            fill_review(
                review_file,
                proposal["candidate_id"],
                name="Ministry of Health of Armenia",
                actor_kind="organisation",
                affiliation_id="armenia",
                actor_id=MINISTRY,
            )
            fill_review(review_file, figure["candidate_id"], claimant_id=MINISTRY)
        assert cli.main(["accept", str(review_file), "--ids", *ids, "--data", str(data)]) == 0
    assert cli.main(["check", "--data", str(data)]) == 0
    return {"ds": helpers.load(data), "reviews": reviews, "root": root, "data": data}


def test_each_report_s_figure_is_read_with_its_claim_date(multilingual):
    claims = multilingual["ds"].claims
    mine = claims.loc[claims["claimant_id"] == MINISTRY].sort_values("claim_date")
    got = [
        (r.source_id, r.value_as_worded, r.value_best, r.claim_date.date().isoformat())
        for r in mine.itertuples()
    ]
    assert got == [
        ("courrier-2020-12-30", "2 823", 2823, "2020-12-29"),  # 'le 29 décembre'
        ("vestnik-2021-01-03", "3\u202f330", 3330, "2021-01-02"),  # '2 января'
        ("ledger-2021-01-12", "3,360", 3360, "2021-01-11"),  # 'on Monday'
        ("rundschau-2021-01-13", "3.330", 3330, "2021-01-13"),  # publication date
    ]
    # Each passage stays in its language and script, verbatim.
    assert "Минздрав Армении" in mine.iloc[1]["passage"]
    assert set(mine["claimant"]) == {
        "Le ministère arménien de la Santé",
        "Минздрав Армении",
        "The Health Ministry's spokeswoman",
        "das armenische Gesundheitsministerium",
    }


def test_a_wording_already_attributed_is_recognised_next_time(multilingual):
    from helpers.sources import suggest

    review = suggest.suggest(multilingual["ds"], "vestnik-2021-01-03").set_index("matched")
    assert review.loc["3\u202f330", "claimant_id"] == MINISTRY
    assert "claims.csv" in review.loc["3\u202f330", "note"]


def test_one_series_per_claimant_in_chart_table_and_alt_text(multilingual):
    ds = multilingual["ds"]
    claims = charts.casualty_claims(ds, sides="armenia", metrics="military_deaths")
    mine = claims.loc[claims["claimant_id"] == MINISTRY]
    assert len(mine) == 4 and set(mine["series"]) == {"Ministry of Health of Armenia"}
    fig = charts.plot_claims_over_time(claims)
    lines = [line for ax in fig.axes for line in ax.get_lines()]
    steps = [a for a in lines if str(a.get_gid()).startswith("steps:Armenia:")]
    assert [a.get_gid() for a in steps] == [f"steps:Armenia:{MINISTRY}:military_deaths"]
    assert list(steps[0].get_ydata()) == [2823, 3330, 3360, 3330]
    legend = [t.get_text() for ax in fig.axes for t in ax.get_legend().get_texts()]
    assert legend == ["Ministry of Health of Armenia — soldiers killed"]
    words = {a.get_text() for a in fig.findobj() if str(a.get_gid()).endswith(":wording")}
    # Each mark shows the words used, after the kit's English reading of them.
    assert "3,330 (Russian: “3\u202f330”) (Минздрав Армении)" in words

    table = charts.series_table(claims)
    assert table["value"].tolist() == [2823, 3330, 3360, 3330]
    assert table["series"].unique().tolist() == ["Ministry of Health of Armenia"]
    stale = table.iloc[3]
    assert stale["note"].startswith("repeats an older figure") and "3,360" in stale["note"]
    assert table.iloc[1]["note"].startswith("jumps") is False  # 2,823 -> 3,330 is 18%
    alt = charts.series_alt_text(claims)
    assert alt.count("Ministry of Health of Armenia, soldiers killed:") == 1
    assert alt.index("“2 823”") < alt.index("“3\u202f330”") < alt.index("“3,360”")
    assert "repeats an older figure" in alt


def test_a_refused_add_leaves_every_file_byte_identical(data_copy, capsys):
    def snapshot():
        return {p: p.read_bytes() for p in sorted(data_copy.rglob("*")) if p.is_file()}

    source = multi_sources()[0]
    base = ["--publisher", "P", "--published", "2021-01-01", "--title", "T", "--data"]
    text = MULTI / source["file"]
    assert cli.main(["add", str(text), "--id", "first", *base, str(data_copy)]) == 0
    before = snapshot()
    cases = {
        "same text": (["add", str(text), "--id", "second", *base], "already stored as 'first'"),
        "same id": (["add", str(TEXT), "--id", "first", *base], "'first' is already used"),
        "stored text": (
            [
                "add",
                str(paths_data() / "sources" / "aa-2021-01-11-moscow-trilateral-meeting.txt"),
                *base,
            ],
            "already stored as 'aa-2021-01-11'",
        ),
        "bad date": (
            [
                "add",
                str(TEXT),
                "--published",
                "12/01/2021",
                "--publisher",
                "P",
                "--title",
                "T",
                "--data",
            ],
            "column published",
        ),
    }
    for name, (args, message) in cases.items():
        assert cli.main([*args, str(data_copy)]) == 2, name
        err = capsys.readouterr().err
        assert message in err and "nothing was changed" in err, (name, err)
        assert "sources.csv" in err or "details" in err, (name, err)
        assert snapshot() == before, name


def paths_data() -> Path:
    from helpers import paths

    return paths.DATA_DIR


def test_check_refuses_a_translation_that_does_not_say_who_made_it(data_copy, capsys):
    from conftest import edit_cell

    edit_cell(data_copy, "claims", "az-military-deaths", "translation", "at least 2,802")
    assert cli.main(["check", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "claims.csv row 2, column translation_by" in err
    edit_cell(data_copy, "claims", "az-military-deaths", "translation_by", "the kit's editor")
    assert cli.main(["check", "--data", str(data_copy)]) == 0


def test_the_same_text_with_other_line_ends_or_a_bom_is_refused(data_copy, tmp_path, capsys):
    text = (MULTI / multi_sources()[0]["file"]).read_bytes()
    base = ["--publisher", "P", "--published", "2021-01-01", "--title", "T"]
    assert (
        cli.main(
            [
                "add",
                str(MULTI / multi_sources()[0]["file"]),
                "--id",
                "first",
                *base,
                "--data",
                str(data_copy),
            ]
        )
        == 0
    )
    for name, variant in {
        "crlf": text.replace(b"\n", b"\r\n"),
        "bom": b"\xef\xbb\xbf" + text,
        "bom+crlf": b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n"),
    }.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(variant)
        args = ["add", str(path), "--id", f"copy-{name}", *base, "--data", str(data_copy)]
        assert cli.main(args) == 2, name
        assert "already stored as 'first'" in capsys.readouterr().err, name


def test_a_text_saved_with_windows_line_ends_is_stored_with_unix_ones(data_copy, tmp_path):
    raw = b"Fictional test text.\r\nThe ministry said 12 died.\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw)
    args = ["add", str(path), "--id", "crlf", "--publisher", "P", "--published", "2021-01-01"]
    assert cli.main([*args, "--title", "T", "--data", str(data_copy)]) == 0
    row = helpers.load(data_copy).sources.set_index("source_id").loc["crlf"]
    assert (data_copy / "sources" / row["text_file"]).read_bytes() == raw.replace(b"\r\n", b"\n")
    assert row["copy_sha256"] == hashlib.sha256(raw).hexdigest() != row["text_sha256"]
    assert row["text_scope"] == "full"


def test_future_dates_and_addresses_that_are_not_addresses_are_refused(data_copy, capsys):
    text = str(MULTI / multi_sources()[0]["file"])
    base = ["add", text, "--publisher", "P", "--title", "T", "--data", str(data_copy)]
    cases = {
        "future": (["--published", "2999-01-01"], "column published"),
        "read before published": (
            ["--published", "2021-01-02", "--retrieved", "2021-01-01"],
            "column retrieved",
        ),
        "read in the future": (
            ["--published", "2021-01-02", "--retrieved", "2999-01-01"],
            "column retrieved",
        ),
        "not a URL": (["--published", "2021-01-02", "--url", "Reuters, page 3"], "column url"),
        "script URL": (
            ["--published", "2021-01-02", "--url", "javascript:alert(1)"],
            "column url",
        ),
    }
    for name, (args, where) in cases.items():
        assert cli.main([*base, *args]) == 2, name
        assert where in capsys.readouterr().err, name
    assert cli.main([*base, "--published", "2021-01-02", "--url", "https://example.org/a"]) == 0


def test_an_excerpt_stores_only_the_cited_passages_and_says_which_copy(data_copy, tmp_path):
    copy = MULTI / multi_sources()[0]["file"]
    lines = [line for line in copy.read_text(encoding="utf-8").splitlines() if line.strip()]
    excerpt = tmp_path / "excerpt.txt"
    excerpt.write_text(f"{lines[1]}\n\n[…]\n\n{lines[3]}\n", encoding="utf-8")
    base = ["add", str(excerpt), "--excerpt-of", str(copy), "--publisher", "P", "--title", "T"]
    base += ["--published", "2020-12-30", "--data", str(data_copy)]
    # An excerpt needs the address of the copy read.
    assert cli.main([*base, "--id", "no-url"]) == 2
    good = [*base, "--url", "https://example.org/a", "--retrieved", "2021-02-01"]
    assert cli.main([*good, "--id", "cited"]) == 0
    row = helpers.load(data_copy).sources.set_index("source_id").loc["cited"]
    assert row["text_scope"] == "excerpt"
    assert row["copy_sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert row["retrieved"] == pd.Timestamp("2021-02-01")
    stored = (data_copy / "sources" / row["text_file"]).read_text(encoding="utf-8")
    assert lines[1] in stored and lines[2] not in stored
    # The whole copy cannot then be registered again as another excerpt of itself.
    assert cli.main([*good, "--id", "cited-again"]) == 2


def test_an_excerpt_with_words_its_copy_does_not_hold_is_refused(data_copy, tmp_path, capsys):
    copy = MULTI / multi_sources()[0]["file"]
    excerpt = tmp_path / "excerpt.txt"
    excerpt.write_text("Words the copy does not hold.\n", encoding="utf-8")
    args = ["add", str(excerpt), "--excerpt-of", str(copy), "--publisher", "P", "--title", "T"]
    args += ["--published", "2020-12-30", "--url", "https://example.org/a"]
    assert cli.main([*args, "--data", str(data_copy)]) == 2
    assert "passage 1" in capsys.readouterr().err


# ------------------------------------------------------------------ the safety net


def _az_claim(claim_id: str, worded: str, value: str, **more: str) -> dict:
    """A claim of the Azerbaijani soldiers' toll, in the article's own voice, as entered."""
    passage = "while at least 2,802 of its soldiers were martyred"  # verbatim in the article
    return {
        "claim_id": claim_id,
        "origin": "article",
        "source_id": "aa-2021-01-11",
        "passage": passage,
        "claim_kind": "quantitative",
        "subject": "Azerbaijani soldiers killed in the 2020 war",
        "side_id": "azerbaijan",
        "metric": "military_deaths",
        "unit": "people",
        "value_as_worded": worded,
        "value_low": value,
        "value_best": value,
        "bound": "at_least",
        "claimant": "Anadolu Agency (in its own voice)",
        "claimant_id": "anadolu-agency",
        "attribution": "unattributed",
        "claim_date": "2021-01-11",
        "claim_date_prec": "day",
        "statement": "TEST ROW: the safety net must stop it.",
    } | more


def test_the_safety_net_stops_misread_figures_in_load_and_check(data_copy, capsys):
    append_rows(
        data_copy,
        "claims",
        [
            # '2.783 people' accepted as read with a decimal point: not a whole count.
            _az_claim("misread-decimal", "2.783", "2.783"),
            # A whole number, but a thousand times below the claimant's other figure.
            _az_claim("misread-scale", "3", "3"),
            # An unnamed group cannot also be a named actor.
            _az_claim("vague-named", "2,802", "2802", attribution="vague"),
        ],
    )
    rows = {r["claim_id"]: n for n, r in enumerate(_rows(data_copy / "claims.csv"), start=2)}
    with pytest.raises(helpers.DataError) as error:
        helpers.load(data_copy)
    found: dict = {}
    for p in error.value.problems:
        found[(p.row, p.column)] = found.get((p.row, p.column), "") + p.message
    decimal = found[(rows["misread-decimal"], "value_best")]
    assert "not a whole number" in decimal and "'2.783'" in decimal  # the words as written
    assert (rows["misread-decimal"], "value_low") in found
    assert "far from" in found[(rows["misread-scale"], "value_best")]
    assert "'3'" in found[(rows["misread-scale"], "value_best")]
    assert "vague" in found[(rows["vague-named"], "claimant_id")]
    # check says the same, all at once, and refuses.
    assert cli.main(["check", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    for p in error.value.problems:
        assert f"claims.csv row {p.row}, column {p.column}: {p.message}" in err


def test_a_far_off_figure_passes_once_its_caveat_says_why(data_copy):
    from conftest import edit_cell

    append_rows(data_copy, "claims", [_az_claim("partial-count", "30", "30")])
    with pytest.raises(helpers.DataError, match="far from"):
        helpers.load(data_copy)
    edit_cell(data_copy, "claims", "partial-count", "caveat", "TEST: a count of one district only.")
    helpers.load(data_copy)


def test_the_safety_net_can_fail_only_where_a_reader_would_object(data_copy):
    """A revised toll (2,802 then 2,855) is not flagged: the net is not a hair trigger."""
    append_rows(data_copy, "claims", [_az_claim("revised", "2,855", "2855")])
    helpers.load(data_copy)


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_doc_lists_the_vocabularies_of_the_data_package():
    import json

    from helpers import paths
    from helpers.sources.review import VOCAB_END, VOCAB_START, vocabulary_markdown

    package = json.loads((paths.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    doc = (paths.ROOT / "docs" / "adding-a-source.md").read_text(encoding="utf-8")
    inside = doc.partition(VOCAB_START)[2].partition(VOCAB_END)[0]
    assert inside == vocabulary_markdown(package), (
        "docs/adding-a-source.md's vocabularies are stale: "
        "run .venv/bin/python scripts/render_data_dictionary.py --write"
    )
    attribution = next(f for f in _claims_fields(package) if f["name"] == "attribution")
    assert ", ".join(attribution["constraints"]["enum"]) in inside


def _claims_fields(package: dict) -> list[dict]:
    (claims,) = [r for r in package["resources"] if r["name"] == "claims"]
    return claims["schema"]["fields"]


def test_vocab_prints_the_values_and_the_sides_of_the_data_folder(data_copy, capsys):
    assert cli.main(["vocab", "--data", str(data_copy)]) == 0
    out = capsys.readouterr().out
    assert "attribution: named, vague, unattributed" in out
    assert "armenia" in out.split("side_id:")[1].splitlines()[0]
