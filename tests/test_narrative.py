"""Tests for helpers.narrative and helpers.timeline (notebook 03).

Extra events are added only to private dataset copies; every label and date in
them is invented for the tests and is not a claim about the conflict.
"""

from __future__ import annotations

import csv
import html
import re
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hostile_data import MARKER, SCRIPT_PAYLOADS, make_hostile_copy  # noqa: E402

import helpers  # noqa: E402
from conftest import append_rows, edit_cell, execute_notebook  # noqa: E402
from helpers import narrative, paths, timeline  # noqa: E402
from helpers.views.provenance import phrase_date  # noqa: E402

T = pd.Timestamp

#: Test-only events (invented): one per precision, one article event dated from context.
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
def story(ds):
    return narrative.build(ds)


@pytest.fixture
def extra(data_copy):
    """A dataset copy with the invented extra events."""
    append_rows(data_copy, "events", EXTRA_EVENTS)
    append_rows(data_copy, "event_reports", EXTRA_REPORTS)
    return helpers.load(data_copy)


def leads(story):
    return [s for s in story.sections[0].paragraphs for s in s if s.lead]


# ------------------------------------------------------------------ date phrasing


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


def test_narrative_phrases_each_event_at_its_precision(story):
    text = {s.row[1]: s.text for s in leads(story)}
    # Each event's window, from events.csv, phrased at its precision inside the sentence.
    assert " between January 1992 and May 1994" in text["takeover-1990s"]
    assert " in March 1992" in text["minsk-group-founded"]
    assert " on 10 November 2020" in text["agreement-2020-11-10"]
    assert " between 11 December 2020 and 11 January 2021" in text["violations-reported"]
    for sentence in text.values():
        assert not re.match(r"(In|On|Between) [^:]*:", sentence), sentence  # not a table row


def test_month_and_year_events_on_a_copy_are_never_a_day(extra):
    text = {s.row[1]: s.text for s in leads(narrative.build(extra))}
    assert " in December 2020" in text["test-month"], text["test-month"]
    assert " in 1995" in text["test-year"], text["test-year"]
    assert " between 3 and 20 October 2020" in text["test-window"]


# ------------------------------------------------------------------ order, citations, context


def test_sequence_is_chronological(story):
    dates = [s.when for s in leads(story)]
    assert dates == sorted(dates)
    assert len(dates) == len(helpers.load().events)


def test_extra_events_take_their_place_in_the_order(extra):
    ids = [s.row[1] for s in leads(narrative.build(extra))]
    assert ids.index("ceasefire-1994") < ids.index("test-year") < ids.index("clashes-2020-09-27")
    assert (
        ids.index("war-2020")
        < ids.index("test-window")
        < ids.index("humanitarian-ceasefire-2020-10-10")
    )
    assert ids.index("handover-lachin") < ids.index("test-month")


def test_every_sentence_has_a_citation_in_every_rendering(story):
    sentences = story.sentences()
    assert sentences and all(s.citations for s in sentences)
    page = story._repr_html_()
    spans = re.findall(r'<span class="kit-sentence">.*?</sup></span>', page, re.S)
    assert len(spans) == len(sentences)
    for span in spans:
        assert re.search(r'<sup><a href="#kit-narrative-\w+-fn-\d+"', span), span
    notes = re.findall(r'<li id="(kit-narrative-\w+-fn-\d+)">', page)
    assert set(re.findall(r'href="#([^"]+)"', page)) == set(notes)
    plain = str(story)
    assert all(f"[{n}]" in plain for n in range(1, len(story.footnotes()) + 1))


def test_a_sentence_without_a_citation_is_refused():
    with pytest.raises(ValueError, match="without a citation"):
        narrative.Sentence("Uncited.", ())


def test_an_event_nobody_reports_is_refused_by_name(data_copy):
    append_rows(data_copy, "events", [{**EXTRA_EVENTS[0], "event_id": "test-unreported"}])
    with pytest.raises(ValueError, match="event 'test-unreported' .* no row in event_reports"):
        narrative.build(helpers.load(data_copy))


def test_article_sentences_cite_the_exact_passage(ds, story):
    for citation in story.footnotes():
        if citation.origin == "article":
            passage = re.search(r": “(.*)”$", citation.text, re.S).group(1)
            assert any(passage in text for text in ds.texts.values()), citation.text


def test_a_note_quoting_its_source_is_footnoted_to_the_quoted_sentence(ds, story):
    # A caveat that says what else the article reports, in its words, must send the reader
    # to that passage: every quotation of 3+ words found in the article is in a footnote.
    text = ds.text("aa-2021-01-11")
    checked = 0
    for paragraph in (p for section in story.sections for p in section.paragraphs):
        for s in paragraph:
            if s.kind not in ("caveat", "framing") or s.quote:
                continue
            for quoted in re.findall(r"“([^”]+)”", s.text):
                if len(quoted.split()) >= 3 and quoted in text:
                    checked += 1
                    assert any(quoted in c.text for c in s.citations), (s.row, quoted)
    assert checked >= 1  # the check must meet at least one such note (claims: situation-stable)


def test_context_sentences_are_marked(story):
    context = [s for s in story.sentences() if s.context]
    assert context
    for s in story.sentences():
        if all(c.origin == "context" for c in s.citations):
            assert s.context, s.text
    context_leads = {s.row[1] for s in leads(story) if s.context}
    assert {"minsk-group-founded", "ceasefire-1994", "handover-agdam"} <= context_leads
    page = story._repr_html_()
    assert page.count('<span class="kit-context-tag">context</span>') == len(context)
    assert str(story).count("[context] ") == len(context)


def test_article_events_dated_from_context_say_so(story):
    text = {s.row[1]: s.text for s in leads(story)}
    for event_id in ("ceasefires-violated", "peacekeepers-deployed"):
        assert "as dated from sources outside the article" in text[event_id]
    assert "outside the article" not in text["agreement-2020-11-10"]
    dating = [
        s for s in story.sentences() if s.kind == "dating" and s.row[1] == "ceasefires-violated"
    ]
    assert dating and dating[0].context


def test_reports_that_disagree_on_dates_are_all_shown(story):
    agreement = next(
        p for p in story.sections[0].paragraphs if p[0].row[1] == "agreement-2020-11-10"
    )
    said = " ".join(s.text for s in agreement)
    # The article's two datings, and the outside report's own (signed on 9 November).
    for phrase in (
        "places it in November 2020",
        "places it on 10 November 2020",
        "9 November 2020",
    ):
        assert phrase in said
    takeover = " ".join(s.text for s in story.sections[0].paragraphs[0])
    assert "places it in 1991" in takeover and "in 1992-1994" in takeover


# ------------------------------------------------------------------ claims, quotes, wording


def test_quotes_are_reproduced_exactly(ds, story):
    quoted = {s.quote: s for s in story.sentences() if s.quote}
    page = html.unescape(story._repr_html_())
    for text in ds.quotes["text"]:
        assert text in quoted, text
        assert f"“{text}”" in quoted[text].text
        assert f"“{text}”" in page


def test_a_speakers_translated_words_are_said_to_be_a_rendering_once_per_paragraph(story):
    # From quotes.csv, read with the csv module: the translated quotations per speaker.
    with open(paths.data_dir() / "quotes.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["translated"] == "true"]
    assert len(rows) >= 2  # the check needs a speaker quoted more than once
    by_text = {r["text"]: r for r in rows}
    repeated = 0
    for paragraph in (p for section in story.sections for p in section.paragraphs):
        seen = set()
        for sentence in (s for s in paragraph if s.kind == "quote" and s.quote in by_text):
            row = by_text[sentence.quote]
            again = (row["speaker_id"], row["source_id"]) in seen
            seen.add((row["speaker_id"], row["source_id"]))
            repeated += again
            if again:
                assert "also said, again in the source's English rendering:" in sentence.text
                assert "the original words are not given" not in sentence.text
            else:
                assert "(in the source's English rendering; the original words are not given)" in (
                    sentence.text
                )
    assert repeated  # the data has a speaker quoted twice in one paragraph


def test_claims_are_attributed(story):
    claims = [s for s in story.sentences() if s.kind == "claim"]
    assert claims
    for s in claims:
        assert re.search(r"\b(says?|said|states|according to|reports?|records)\b", s.text), s.text


def test_unattributed_statement_gets_its_claimant():
    claim = {"statement": "Nearly 300 villages were taken.", "claimant": "Agency X"}
    out = narrative.attributed({**claim, "attribution": "unattributed"})
    assert out == "Agency X states, naming no source, that nearly 300 villages were taken."
    said = {"statement": "Officials say it.", "claimant": "Y", "attribution": "vague"}
    assert narrative.attributed(said) == "Officials say it."


def test_no_loaded_term_outside_quotation_marks(ds, story):
    loaded = ds.glossary.loc[ds.glossary["category"] == "loaded_term", "term"]
    for s in story.sentences():
        assert narrative.unquoted_loaded_terms(s.text, loaded) == [], s.text


def test_a_loaded_word_in_the_data_stops_the_build_naming_the_row(data_copy):
    edit_cell(
        data_copy, "events", "handover-agdam", "label", "Agdam district liberated by Azerbaijan"
    )
    with pytest.raises(
        ValueError,
        match=r"events\.csv row 'handover-agdam', column label.*"
        r"'liberated'",
    ):
        narrative.build(helpers.load(data_copy))


def test_the_meeting_section_covers_attendance_roles_agenda_and_decision(ds, story):
    meeting = story.sections[1]
    assert meeting.title == "The meeting itself"
    kinds = {s.kind for p in meeting.paragraphs for s in p}
    assert {"attendance", "role", "quote", "topic", "decision"} <= kinds
    text = " ".join(s.text for p in meeting.paragraphs for s in p)
    for name in ("Vladimir Putin", "Ilham Aliyev", "Nikol Pashinyan"):
        assert name in text
    assert "Russia appears in the sources as mediator" in text
    assert "The role of" not in text and "in the kit's summary" not in text
    for topic in ds.topics["topic"]:
        assert topic in text
    assert "joint working group of the deputy prime ministers" in text


def test_as_of_view_tells_nothing_learnt_later(ds):
    early = ds.as_of("2021-01-11")
    plain = str(narrative.build(early))
    assert "30 January 2021" not in plain
    assert "On 11 January 2021, the date of this view, it was still under way" in plain
    spans = timeline.event_spans(early).set_index("event_id")
    assert spans.loc["monitoring-centre-established", "end"] == T("2021-01-12")


def test_as_of_before_the_article_leaves_the_article_out(ds):
    early = narrative.build(ds.as_of("2020-12-31"))
    assert [s.title for s in early.sections] == ["The sequence"]  # no agenda known yet
    assert all(c.origin == "context" for c in early.footnotes())
    assert all(s.context for s in early.sentences())
    text = {s.row[1]: s.text for s in leads(early)}
    # Dated as the remaining (context) report dates it, not as the unseen article does.
    assert text["takeover-1990s"].endswith("between 1992 and 1994.")
    assert text["agreement-2020-11-10"].endswith("between 9 and 10 November 2020.")


# ------------------------------------------------------------------ HTML safety


class _Tags(HTMLParser):
    """Every tag and attribute a page would create."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs


def test_hostile_text_is_escaped_in_every_rendering(tmp_path):
    hostile = helpers.load(make_hostile_copy(tmp_path / "data"))
    story = narrative.build(hostile)
    page, markdown = story._repr_html_(), story._repr_markdown_()
    active = [p for p in SCRIPT_PAYLOADS if html.escape(p) != p]  # those HTML would run
    for payload in active:
        assert payload not in page and payload not in markdown
    assert MARKER not in page and MARKER in html.unescape(page)  # shown as text, not markup
    parser = _Tags()
    parser.feed(page)
    # Only the narrative's own markup: no tag or attribute from the data.
    assert parser.tags <= {
        "article",
        "style",
        "h3",
        "h4",
        "p",
        "span",
        "strong",
        "sup",
        "a",
        "ol",
        "li",
    }
    assert {name for name, _ in parser.attrs} <= {"class", "id", "href", "title"}
    # Links go to the narrative's own notes, or (a note's address) to an http(s) page.
    hrefs = [v for k, v in parser.attrs if k == "href"]
    assert all(v.startswith(("#kit-narrative-", "https://", "http://")) for v in hrefs), hrefs
    assert any(v.startswith("#kit-narrative-") for v in hrefs)
    for table in (narrative.actor_roles, narrative.datings):
        rendered = narrative.Table(table(hostile))._repr_html_()
        assert all(p not in rendered for p in active)


def test_html_escaping_can_fail():
    s = narrative.Sentence("<b>bold</b>", (narrative.Citation("x <i>", "article"),))
    page = narrative.Narrative([narrative.Section("S", [[s]])])._repr_html_()
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    assert 'title="x &lt;i&gt;"' in page


def test_markdown_fallback_escapes_without_mangling():
    s = narrative.Sentence("it's *not* <b>bold</b> #1", (narrative.Citation("y", "article"),))
    markdown = narrative.Narrative([narrative.Section("S", [[s]])])._repr_markdown_()
    assert r"it's \*not\* &lt;b&gt;bold&lt;/b&gt; \#1<sup>1</sup>" in markdown


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


def test_alt_text_names_the_disagreements(ds):
    alt = timeline.alt_text(ds)
    assert "TASS, between 1992 and 1994" in alt
    assert "in November 2020" in alt


# ------------------------------------------------------------------ the notebook


@pytest.mark.slow
def test_notebook_runs_clean_on_a_copy_with_extra_events(data_copy, tmp_path, monkeypatch):
    append_rows(data_copy, "events", EXTRA_EVENTS)
    append_rows(data_copy, "event_reports", EXTRA_REPORTS)
    nb = execute_notebook(
        "03-narrate-diplomatic-sequence.ipynb", output_dir=tmp_path / "out", data_dir=data_copy
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"], "warnings in a clean run"
    pages = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "TEST event known to the month [context]" not in pages  # chart label, not prose
    assert "TEST event known to the month in December 2020" in pages
    assert 'class="kit-narrative"' in pages and "kit-table" in pages
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1 and images[0].metadata["image/png"]["alt"].startswith("Timeline of")
    assert (tmp_path / "out" / "figures" / "03-timeline.svg").is_file()
