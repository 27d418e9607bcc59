"""Tests for notebook 03's narrative: the checked essay, the chronology, the datings, the timeline.

Rows added to private dataset copies are invented for the tests and are not claims
about the conflict.
"""

from __future__ import annotations

import calendar
import csv
import html
import re
from datetime import date
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hostile_data import MARKER, SCRIPT_PAYLOADS, make_hostile_copy  # noqa: E402
from test_as_of import last_day  # noqa: E402

import helpers  # noqa: E402
from conftest import append_rows, edit_cell, execute_notebook  # noqa: E402
from helpers import narrative, paths, timeline  # noqa: E402
from helpers.data import datings  # noqa: E402
from helpers.views import chronology, essay, essay_page  # noqa: E402
from helpers.views.provenance import phrase_date  # noqa: E402

T = pd.Timestamp

#: Test-only events (invented): one known to the month, one to the year, one to a window.
EXTRA_EVENTS = [
    {
        "event_id": "test-month",
        "label": "TEST event known to the month",
        "kind": "humanitarian",
        "date_start": "2020-12-01",
        "date_end": "2020-12-01",
        "date_prec": "month",
        "date_basis": "Test only.",
        "date_origin": "context",
        "origin": "context",
    },
    {
        "event_id": "test-year",
        "label": "TEST event known to the year",
        "kind": "peacekeeping",
        "date_start": "1995-01-01",
        "date_end": "1995-12-31",
        "date_prec": "year",
        "date_basis": "Test only.",
        "date_origin": "context",
        "origin": "context",
    },
    {
        "event_id": "test-window",
        "label": "TEST event known to a window",
        "kind": "military",
        "date_start": "2020-10-03",
        "date_end": "2020-10-20",
        "date_prec": "approximate",
        "date_basis": "Test window set from outside.",
        "date_origin": "context",
        "origin": "article",
    },
]
EXTRA_REPORTS = [
    {
        "report_id": "r-test-month",
        "event_id": "test-month",
        "origin": "context",
        "reference_id": "tass-2021-01-11",
        "excerpt": "TEST excerpt (test fixture, not the reference's words)",
        "wording": "TEST wording, month",
        "claimant": "Test claimant",
        "reported_date_start": "2020-12-01",
        "reported_date_end": "2020-12-31",
        "reported_date_prec": "month",
        "dating_scope": "whole",
    },
    {
        "report_id": "r-test-year",
        "event_id": "test-year",
        "origin": "context",
        "reference_id": "dewaal-2013",
        "excerpt": "TEST excerpt (test fixture, not the reference's words)",
        "wording": "TEST wording, year",
        "claimant": "Test claimant",
        "reported_date_start": "1995-01-01",
        "reported_date_end": "1995-12-31",
        "reported_date_prec": "year",
        "dating_scope": "whole",
    },
    {
        "report_id": "r-test-window",
        "event_id": "test-window",
        "origin": "article",
        "source_id": "aa-2021-01-11",
        "passage": "Russian peacekeeping troops have also been deployed",
        "wording": "TEST wording, window",
        "claimant": "Anadolu Agency (in its own voice)",
    },
]


@pytest.fixture(scope="module")
def ds():
    return helpers.load()


@pytest.fixture(scope="module")
def written():
    return essay.read()


@pytest.fixture
def extra(data_copy):
    """A dataset copy with the invented extra events."""
    append_rows(data_copy, "events", EXTRA_EVENTS)
    append_rows(data_copy, "event_reports", EXTRA_REPORTS)
    return helpers.load(data_copy)


# ------------------------------------------------------------------ the essay's rules


def test_the_kits_essay_breaks_no_rule(ds, written):
    assert essay.problems(ds, written) == []
    assert len(written.sentences()) > 20


def test_every_sentence_of_the_essay_cites_a_row(written):
    assert all(s.ids for s in written.sentences())


def test_the_essay_is_shown_for_the_full_dataset(ds):
    shown = narrative.build(ds)
    assert isinstance(shown, essay_page.Rendered)
    assert not shown.flagged, "the committed essay is reviewed against the committed data"


@pytest.mark.parametrize(
    "sentence, problem",
    [
        ("Fighting resumed on 28 September 2020. [@r-war-tass]", "28 September 2020"),
        ("It happened in May 1993. [@r-takeover-tass]", "May 1993"),
        ("It happened in 1995. [@r-takeover-tass]", "1995"),
        ("Some 3,000 peacekeepers deployed. [@r-peacekeepers-afp]", "3,000"),
        ("The ceasefire began at 01:00. [@r-agreement-statement-am]", "01:00"),
        ("Aliyev said it “belonged to history”. [@q-afp-past]", "belonged to history"),
        ("Azerbaijan liberated Lachin / Berdzor. [@r-lachin]", "loaded term"),
        ("Agdam passed to Azerbaijan on 20 November. [@r-agdam]", "Agdam / Akna"),
        ("Nothing cites this sentence.", "cites no row"),
        ("A row that is not there. [@r-invented]", "r-invented"),
    ],
)
def test_each_rule_fails_on_its_kind_of_error(ds, sentence, problem):
    (parsed,) = essay.parse_sentences(sentence)
    found = essay.sentence_problems(ds, parsed)
    assert len(found) == 1 and problem in found[0].message, found


def test_the_same_sentences_pass_with_the_facts_of_their_rows(ds):
    good = (
        "Fighting resumed on 27 September 2020. [@r-war-tass] "
        "Some 2,000 peacekeepers deployed. [@r-peacekeepers-afp] "
        "It declared a ceasefire as of 00:00 Moscow time. [@r-agreement-statement-am] "
        "Aliyev said the conflict “remained in the past”. [@q-afp-past] "
        "Azerbaijani forces entered Lachin / Berdzor; the agency would say “liberated”. "
        "[@r-lachin; @liberated]"
    )
    for s in essay.parse_sentences(good):
        assert essay.sentence_problems(ds, s) == [], s.text


def test_context_is_marked_from_the_rows_cited(ds):
    rows = essay.rows_by_id(ds)
    (outside,) = essay.parse_sentences("Fighting resumed. [@r-war-tass]")
    (mixed,) = essay.parse_sentences("Fighting resumed. [@r-war-tass; @r-clashes-aa]")
    (reference,) = essay.parse_sentences("Talks were closed. [@tass-2021-01-11]")
    assert essay.is_context(outside, rows) and essay.is_context(reference, rows)
    assert not essay.is_context(mixed, rows)


def test_the_meeting_is_told_in_all_three_leaders_voices(ds, written):
    rows = essay.rows_by_id(ds)
    meeting = next(paras for title, paras in written.sections if title == "The meeting")
    speakers = set()
    for s in (s for para in meeting for s in para):
        for i in s.ids:
            table, row = rows[i]
            if table == "quotes":
                speakers.add(row["speaker_id"])
            if table == "event_reports" and "Pashinyan" in str(row["wording"]):
                speakers.add("pashinyan")
    assert speakers == {"putin", "aliyev", "pashinyan"}


# ------------------------------------------------------------------ stale sentences


def test_a_changed_cited_row_flags_its_sentence_on_the_page_and_in_the_output(data_copy, capfd):
    edit_cell(
        data_copy, "event_reports", "r-memorandum", "wording", "a memorandum (reworded in a test)"
    )
    shown = narrative.build(helpers.load(data_copy))
    assert isinstance(shown, essay_page.Rendered)
    # The essay's sentences (the lines of new evidence after it carry no key).
    flagged = [s.text for s in shown.sentences() if getattr(s, "key", None) in shown.flagged]
    assert len(flagged) == 1 and "memorandum" in flagged[0]
    # The flag says why, and names the changed evidence in words: its source and what it
    # now says, never the row's id.
    (flag,) = shown.flagged.values()
    assert flag.startswith(essay.CHANGED) and "reworded in a test" in flag
    assert _reference_publisher("r-memorandum") in flag
    html = shown._repr_html_()
    assert flag in html.replace("&#39;", "'") and flag in str(shown)
    assert "r-memorandum" not in html
    assert "memorandum" in capfd.readouterr().err


def test_only_the_changed_row_of_a_sentence_is_named(data_copy):
    # The sentences on the signing cite three rows each; only the edited one is named.
    edit_cell(data_copy, "event_reports", "r-agreement-signed-tass", "wording", "TEST reworded")
    shown = narrative.build(helpers.load(data_copy))
    citing = [s for s in essay.read(data_copy).sentences() if "r-agreement-signed-tass" in s.ids]
    assert len(citing) > 1 and all(len(s.ids) > 1 for s in citing)
    assert set(shown.flagged) == {s.key for s in citing}
    for flag in shown.flagged.values():
        assert flag.count("TEST reworded") == 1 and flag.count("): ") == 1, flag


def _reference_publisher(report_id: str) -> str:
    (report,) = [r for r in _csv("event_reports") if r["report_id"] == report_id]
    (ref,) = [r for r in _csv("references") if r["reference_id"] == report["reference_id"]]
    return ref["publisher"]


def test_a_new_review_clears_the_flag(data_copy):
    edit_cell(data_copy, "event_reports", "r-memorandum", "wording", "reworded in a test")
    ds = helpers.load(data_copy)
    essay.record_reviews(ds, essay.read(data_copy), data_copy)
    assert not narrative.build(ds).flagged


def test_a_sentence_that_no_longer_matches_its_rows_gives_way_to_the_chronology(data_copy, capfd):
    edit_cell(data_copy, "event_reports", "r-peacekeepers-afp", "excerpt", "Peacekeepers deployed.")
    edit_cell(data_copy, "event_reports", "r-peacekeepers-afp", "wording", "peacekeepers deployed")
    shown = narrative.build(helpers.load(data_copy))
    assert isinstance(shown, chronology.Chronology)
    assert "2,000" in shown.why and "2,000" in capfd.readouterr().err


def test_missing_cited_rows_give_the_chronology_naming_them(data_copy):
    quotes = data_copy / "quotes.csv"
    lines = quotes.read_text(encoding="utf-8").splitlines(keepends=True)
    quotes.write_text("".join(x for x in lines if not x.startswith("q-afp-past,")), "utf-8")
    shown = narrative.build(helpers.load(data_copy))
    assert isinstance(shown, chronology.Chronology) and "q-afp-past" in shown.why


def test_new_evidence_is_shown_until_the_essay_uses_it(extra):
    shown = narrative.build(extra)
    before = {line.row[1] for line in narrative.build(helpers.load()).newer}  # e.g. the corpus
    new = {line.row[1] for line in shown.newer} - before
    assert new == {"r-test-month", "r-test-year", "r-test-window"}
    assert essay_page.NEWER_HEADING in shown._repr_html_()


# ------------------------------------------------------------------ the chronology


def _csv(table: str) -> list[dict]:
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def known_report_windows(when: str) -> dict[str, tuple[date, date]]:
    """For each event, the days its reports known on ``when`` put it in, read from the CSVs:
    from the earliest day any of them says it began to the latest it says it ended
    (``date.min`` / ``date.max`` where none bounds that side).

    A report is known once its source was published, or its reference by the last day
    its date allows (:func:`test_as_of.last_day`: "2019" could mean 31 December 2019).
    """
    published = {r["source_id"]: date.fromisoformat(r["published"]) for r in _csv("sources")}
    for ref in _csv("references"):
        appeared = last_day(ref["published"], ref["published_prec"], ref["checked_on"])
        published[ref["reference_id"]] = appeared or date.max
    day = date.fromisoformat(when)
    windows: dict[str, tuple[date, date]] = {}
    for report in _csv("event_reports"):
        said = [report["reported_date_start"], report["reported_date_end"]]
        cited = report["source_id"] or report["reference_id"]
        if not any(said) or published[cited] > day:
            continue
        # A report with one side only ("deployed by 1 December") leaves the other open.
        start = date.fromisoformat(said[0]) if said[0] else date.min
        end = date.fromisoformat(said[1]) if said[1] else date.max
        low, high = windows.get(report["event_id"], (start, end))
        windows[report["event_id"]] = (min(low, start), max(high, end))
    return windows


_MONTH = {m: i for i, m in enumerate(calendar.month_name) if m}


def _days(words: str, month: int | None = None, year: int | None = None) -> tuple[date, date]:
    """The first and last day ``words`` ("10", "March 1992", "12 May 1994") can mean;
    a missing month or year is taken from the date that closes the span."""
    named = re.search(rf"\b({'|'.join(_MONTH)})\b", words)
    month = _MONTH[named[1]] if named else month
    found = re.search(r"\b(\d{4})\b", words)
    year = int(found[1]) if found else year
    day = re.search(r"\b(\d{1,2})\b", words)
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, int(day[1])), date(year, month, int(day[1]))


def span_written(text: str) -> tuple[date, date]:
    """The first and last day of the dates opening a chronology line, read here, not by
    the kit: "Between 10 November and 1 December 2020: ..." -> 10 Nov, 1 Dec 2020.

    >>> span_written("Between 1992 and 1994: x")
    (datetime.date(1992, 1, 1), datetime.date(1994, 12, 31))
    >>> span_written("Between 1992 and May 1994: x")
    (datetime.date(1992, 1, 1), datetime.date(1994, 5, 31))
    >>> span_written("In March 1992: x"), span_written("Between 10 and 26 October 2020: x")[0]
    ((datetime.date(1992, 3, 1), datetime.date(1992, 3, 31)), datetime.date(2020, 10, 10))
    """
    words = text.split(":", 1)[0].split(" and ")
    last = _days(words[-1])
    closing = re.search(rf"\b({'|'.join(_MONTH)})\b", words[-1])
    # A first date with a year of its own and no month is a year ("between 1992 and May
    # 1994": a start known to the year); one with no year borrows the closing month.
    own_year = re.search(r"\b\d{4}\b", words[0]) if len(words) > 1 else None
    month = _MONTH[closing[1]] if closing and not own_year else None
    first = _days(words[0], month, last[0].year)
    return first[0], last[1]


def chronology_checks(view, when: str):
    """The chronology of ``view`` against the CSVs: every event a known report dates,
    once, in the order of the first days written, each span one its known reports allow."""
    lines = chronology.build(view).lines
    windows = known_report_windows(when)
    written = [span_written(line.text) for line in lines]
    assert [first for first, _ in written] == sorted(first for first, _ in written)
    day = date.fromisoformat(when)
    for line, (first, last) in zip(lines, written, strict=True):
        # The span written meets what the known reports say; none names a later day.
        low, high = windows.get(line.row[1], (date.min, day))
        assert low <= last and first <= high and last <= max(day, high), line.text
        assert first <= day, line.text
    assert set(windows) <= {line.row[1] for line in lines}
    assert len({line.text for line in lines}) == len(lines)
    assert all(line.citations for line in lines)
    return lines


@pytest.mark.parametrize("when", ["2020-10-10", "2020-12-31", "2021-01-11", "2021-02-01"])
def test_as_of_builds_show_a_compact_ordered_cited_chronology(ds, when):
    view = ds.as_of(when)
    assert isinstance(narrative.build(view), chronology.Chronology)
    chronology_checks(view, when)


def test_the_chronology_checks_can_fail(ds):
    view = ds.as_of("2020-12-31")
    lines = chronology.build(view).lines
    shuffled = chronology.Chronology(list(reversed(lines)), "test")
    original = chronology.build
    try:
        chronology.build = lambda *_a, **_k: shuffled
        with pytest.raises(AssertionError):
            chronology_checks(view, "2020-12-31")
    finally:
        chronology.build = original


def test_a_war_dated_only_by_its_outbreak_is_not_a_one_day_war(ds):
    lines = chronology.build(ds.as_of("2020-10-10")).lines
    (war,) = [line.text for line in lines if line.row[1] == "war-2020"]
    assert war.startswith("From 27 September 2020")


# ------------------------------------------------------------------ datings


def test_only_irreconcilable_datings_are_disagreements(ds):
    assert datings.disputed_events(ds.event_reports) == ["takeover-1990s"]
    table = narrative.datings(ds)
    assert set(table["event"]) == {ds.events.set_index("event_id").loc["takeover-1990s", "label"]}


def test_partial_datings_are_not_conflicts_but_a_real_one_is(data_copy):
    # The war's outbreak (a start) and the agreement's signing window: no conflict.
    ds = helpers.load(data_copy)
    assert "war-2020" not in datings.disputed_events(ds.event_reports)
    assert "agreement-2020-11-10" not in datings.disputed_events(ds.event_reports)
    # An invented report dating the whole war to one day in 2019 is a real conflict.
    append_rows(
        data_copy,
        "event_reports",
        [
            {
                "report_id": "r-test-conflict",
                "event_id": "war-2020",
                "origin": "context",
                "reference_id": "tass-2020-10-05",
                "excerpt": "TEST excerpt (test fixture, not the reference's words)",
                "wording": "TEST wording",
                "claimant": "Test claimant",
                "reported_date_start": "2019-05-01",
                "reported_date_end": "2019-05-01",
                "reported_date_prec": "day",
                "dating_scope": "whole",
            }
        ],
    )
    ds = helpers.load(data_copy)
    assert "war-2020" in datings.disputed_events(ds.event_reports)


@pytest.mark.parametrize(
    "a, b, conflict",
    [
        (
            ("2020-09-27", "2020-11-10", "day", "whole"),
            ("2020-09-27", "2020-09-27", "day", "start"),
            False,
        ),
        (
            ("2020-09-27", "2020-11-10", "day", "whole"),
            ("2020-09-27", "2020-09-27", "day", "whole"),
            True,
        ),
        (
            ("2020-11-10", "2020-11-10", "day", "whole"),
            ("2020-11-01", "2020-11-30", "month", "whole"),
            False,
        ),
        (
            ("2020-11-10", "2020-11-10", "day", "whole"),
            ("2020-10-01", "2020-10-31", "month", "whole"),
            True,
        ),
        (
            ("2020-11-11", "2021-01-30", "approximate", "whole"),
            ("2021-01-30", "2021-01-30", "day", "end"),
            False,
        ),
        (
            ("2020-11-11", "2020-11-11", "day", "whole"),
            ("2021-01-30", "2021-01-30", "day", "end"),
            True,
        ),
        (
            ("2020-10-10", "2020-10-26", "approximate", "whole"),
            ("2020-10-18", "2020-10-18", "day", "part"),
            False,
        ),
    ],
)
def test_datings_conflict_only_when_no_days_fit_both(a, b, conflict):
    assert bool(datings.conflicts(datings._reports([a, b]))) is conflict


# ------------------------------------------------------------------ escaping


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs


def test_hostile_text_is_escaped_in_the_essay_the_chronology_and_the_tables(tmp_path):
    hostile = helpers.load(make_hostile_copy(tmp_path / "data"))
    active = [p for p in SCRIPT_PAYLOADS if html.escape(p) != p]  # those HTML would run
    for shown in (narrative.build(hostile), narrative.build(hostile.as_of("2020-12-31"))):
        page = shown._repr_html_()
        assert all(p not in page for p in active)
        parser = _Tags()
        parser.feed(page)
        assert parser.tags <= {
            "article",
            "section",
            "style",
            "h3",
            "p",
            "em",
            "span",
            "sup",
            "a",
            "ol",
            "ul",
            "li",
            "mark",
            "small",
        }
        assert {name for name, _ in parser.attrs} <= {"class", "id", "href", "title", "role"}
        # Links go to the page's own notes, or (a note's address) to an http(s) page.
        hrefs = [v for k, v in parser.attrs if k == "href"]
        assert all(v.startswith(("#kit-", "https://", "http://")) for v in hrefs), hrefs
        assert any(v.startswith("#kit-") for v in hrefs)
    assert html.escape(MARKER, quote=True) in narrative.build(hostile)._repr_html_()
    for table in (narrative.actor_roles, narrative.datings):
        rendered = narrative.Table(table(hostile))._repr_html_()
        assert all(p not in rendered for p in active)


def test_html_escaping_can_fail(ds):
    (s,) = essay.parse_sentences("<b>bold</b> [@r-war-tass]")
    page = essay_page.Rendered(ds, essay.Essay("t", [("S", [[s]])]), {})._repr_html_()
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


# ------------------------------------------------------------------ date phrasing and timeline


@pytest.mark.parametrize(
    "start, end, prec, expected",
    [
        ("2020-11-10", "2020-11-10", "day", "on 10 November 2020"),
        ("2020-11-09", "2020-11-10", "day", "between 9 and 10 November 2020"),
        ("2020-11-01", "2020-11-30", "month", "in November 2020"),
        ("2020-11-01", "2020-11-01", "month", "in November 2020"),  # not "on 1 November"
        ("1992-03-01", "1994-05-31", "month", "between March 1992 and May 1994"),
        ("1991-01-01", "1991-12-31", "year", "in 1991"),
        ("1992-01-01", "1994-12-31", "year", "between 1992 and 1994"),
        ("2020-12-14", "2021-01-11", "approximate", "between 14 December 2020 and 11 January 2021"),
        ("2020-11-10", "2020-11-30", "approximate", "between 10 and 30 November 2020"),
        (None, "2021-01-11", "approximate", "by 11 January 2021"),
        ("2020-12-14", "2020-12-20", "week", "in the week of 14 to 20 December 2020"),
    ],
)
def test_phrase_date_at_each_precision(start, end, prec, expected):
    assert phrase_date(start and T(start), end and T(end), prec) == expected


# ------------------------------------------------------------------ timeline


@pytest.mark.parametrize(
    "start, end, prec, first, last",
    [
        ("2020-11-01", "2020-11-01", "month", "2020-11-01", "2020-12-01"),
        ("2020-11-17", "2020-11-17", "month", "2020-11-01", "2020-12-01"),
        ("1991-06-01", "1991-06-01", "year", "1991-01-01", "1992-01-01"),
        ("1992-01-01", "1994-12-31", "year", "1992-01-01", "1995-01-01"),
        ("2020-12-14", "2021-01-11", "approximate", "2020-12-14", "2021-01-12"),
        ("2020-11-10", "2020-11-10", "day", "2020-11-10", "2020-11-11"),
    ],
)
def test_span_covers_the_whole_precision(start, end, prec, first, last):
    assert timeline.span(start, end, prec) == (T(first), T(last))


def test_span_names_bad_input():
    with pytest.raises(ValueError, match="unknown precision 'fortnight'"):
        timeline.span("2020-01-01", "2020-01-02", "fortnight")
    with pytest.raises(ValueError, match="start 2020-02-01 is after end 2020-01-01"):
        timeline.span("2020-02-01", "2020-01-01", "day")


def test_event_spans_on_a_copy_with_extra_events(extra):
    spans = timeline.event_spans(extra).set_index("event_id")
    assert spans.loc["test-month", ["start", "end"]].tolist() == [T("2020-12-01"), T("2021-01-01")]
    assert spans.loc["test-year", ["start", "end"]].tolist() == [T("1995-01-01"), T("1996-01-01")]
    assert not spans.loc["test-month", "point"] and spans.loc["clashes-2020-09-27", "point"]


def test_every_kind_has_a_distinct_grayscale_style(ds):
    kinds = next(
        f
        for r in ds.package["resources"]
        if r["name"] == "events"
        for f in r["schema"]["fields"]
        if f["name"] == "kind"
    )["constraints"]["enum"]
    assert set(kinds) == set(timeline.KIND_STYLE)
    looks = {(s["shade"], s["hatch"], s["marker"]) for s in timeline.KIND_STYLE.values()}
    assert len({s["shade"] for s in timeline.KIND_STYLE.values()}) == len(kinds)
    assert len({s["marker"] for s in timeline.KIND_STYLE.values()}) == len(looks) == len(kinds)


def test_plot_draws_every_event_with_context_marked(extra):
    import matplotlib.pyplot as plt

    fig = timeline.plot(extra)
    early, near = fig.axes[:2]
    labels = [t.get_text() for t in early.get_yticklabels()]
    assert len(labels) == len(extra.events)
    # Labels are wrapped, never cut short with an ellipsis.
    assert not any("…" in lab for lab in labels)
    flat = [" ".join(lab.split()) for lab in labels]
    assert any(
        lab.startswith("TEST event known to the month") and lab.endswith("[context]")
        for lab in flat
    )
    assert any(lab.startswith("TEST event known to a window") and lab.endswith("†") for lab in flat)
    assert near.get_title(loc="left") == "September 2020 to January 2021"
    left, right = (matplotlib.dates.num2date(x).date().isoformat() for x in near.get_xlim())
    assert (left, right) == ("2020-09-01", "2021-02-01")
    # The month event is a bar as wide as the month, not a point.
    (bar,) = [a for a in near.patches if a.get_gid() == "test-month:bar"]
    assert bar.get_width() == 31
    # The approximate window is drawn as a window (a line with ends), not a solid bar.
    assert [a for a in fig.findobj() if a.get_gid() == "test-window:window"]
    assert not [a for a in fig.findobj() if a.get_gid() == "test-window:bar"]
    # The year before the war and 1995 sit in the left panel; the years between are broken out.
    assert matplotlib.dates.num2date(early.get_xlim()[1]).year <= 1996
    plt.close(fig)


def test_alt_text_names_only_the_real_disagreements(ds):
    alt = timeline.alt_text(ds)
    assert "TASS, between 1992 and 1994" in alt
    assert "in November 2020" not in alt  # a month containing the day is no disagreement


def _points_misstated(alt: str, spans: pd.DataFrame) -> list[str]:
    """How the alt text's account of bars and points departs from the figure's events."""
    total, bars = len(spans), int((~spans["point"]).sum())
    points = total - bars
    said = [int(n) for n in re.findall(r"(\d+) (?:is a point|are points)", alt)]
    problems = []
    if bars and not points and re.search(r"\bpoints?\b", alt):
        problems.append(f"speaks of points; all {total} events are bars")
    if bars and points and said != [points]:
        problems.append(f"gives {said} points; the figure has {points}")
    return problems


def _view_dates(ds) -> list[date]:
    """Every day a row could enter a view: each source's and reference's date, and the eve."""
    days = set(pd.to_datetime(ds.references["published"]).dropna().dt.date)
    days |= set(pd.to_datetime(ds.sources["published"]).dropna().dt.date)
    return sorted(days | {d.fromordinal(d.toordinal() - 1) for d in days})


def test_alt_text_counts_bars_and_points_as_the_figure_holds_them(ds):
    """L30-7: 'the rest are points known to the day' with no rest (a one-event view).
    Every view in which a row can change, and the full dataset."""
    checked = 0
    for view in [ds, *(ds.as_of(day) for day in _view_dates(ds))]:
        spans = timeline.event_spans(view)
        if spans.empty:
            continue
        assert _points_misstated(timeline.alt_text(view), spans) == [], view.as_of_date
        checked += 1
    assert checked > 20


def test_the_bars_and_points_check_fails_on_a_rest_that_is_not_there(ds):
    """Proof that the check can fail: the sentence L30-7 found, on its one-event view."""
    spans = timeline.event_spans(ds.as_of("1994-05-12"))
    assert len(spans) == 1 and not spans["point"].any()
    old = (
        "1 event is drawn as bars (1 known only to a year, month or window); "
        "the rest are points known to the day."
    )
    assert _points_misstated(old, spans)


# ------------------------------------------------------------------ the notebook


@pytest.mark.slow
def test_notebook_runs_clean_on_a_copy_with_extra_events(data_copy, tmp_path):
    append_rows(data_copy, "events", EXTRA_EVENTS)
    append_rows(data_copy, "event_reports", EXTRA_REPORTS)
    nb = execute_notebook(
        "03-narrate-diplomatic-sequence.ipynb", output_dir=tmp_path / "out", data_dir=data_copy
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    errors = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    # The new rows are newer than the essay's review: said in the build's output and on
    # the page (under the newer-evidence heading), never as raw lines in the report.
    assert not errors, errors
    pages = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert 'class="kit-essay"' in pages and "kit-table" in pages
    assert "TEST wording, month" in pages  # newer evidence, shown until the essay uses it
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1 and images[0].metadata["image/png"]["alt"].startswith("Timeline of")
    assert (tmp_path / "out" / "figures" / "03-timeline.svg").is_file()
