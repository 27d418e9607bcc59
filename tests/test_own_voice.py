"""The kit's own voice uses no loaded term unquoted, and its numbers are claims' numbers.

The word list is this test's own (not the glossary the code uses), so a term the
glossary forgot is still caught.
"""

from __future__ import annotations

import csv
import json
import re

import pytest

import helpers
from helpers import narrative, paths

LOADED = [
    "occupied", "occupation", "occupier", "liberated", "liberation", "martyr", "martyred",
    "martyrs", "terrorist", "terrorists", "aggressor", "aggression", "genocide", "invader",
    "invaders", "puppet", "separatist", "separatists", "so-called", "heroic", "victory",
    "capitulation", "illegal regime", "glorious", "Artsakh",
]  # fmt: skip
WORD = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in LOADED) + r")(?![\w-])", re.I)
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|\"[^\"]*\"|(?<!\w)'[^']+'(?!\w)")
#: Columns written in the kit's own voice.
OWN_COLUMNS = {
    "events": ["label", "note", "date_basis"],
    "event_reports": ["wording", "date_basis"],
    "claims": ["statement", "caveat"],
    "actors": ["role", "note"],
    "glossary": ["explanation", "neutral_alternative"],
}


def unquoted_hits(text: str) -> list[str]:
    return WORD.findall(QUOTED.sub(" ", text))


def test_the_check_finds_an_unquoted_term_and_spares_a_quoted_one():
    assert unquoted_hits("Azerbaijan liberated the towns.") == ["liberated"]
    assert unquoted_hits("The agency says “liberated”; Baku calls it 'liberation'.") == []


#: Tables with a known, reported data defect (strict xfail: the test fails once fixed, so
#: the entry is removed then). Empty: the defects found so far are fixed in the data.
OPEN: set[str] = set()


@pytest.mark.parametrize(
    "table",
    [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason="open data fix"))
        if t in OPEN
        else t
        for t in sorted(OWN_COLUMNS)
    ],
)
def test_data_columns_in_the_kit_voice(table):
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in OWN_COLUMNS[table]:
                if table == "event_reports" and column == "wording" and row["origin"] == "article":
                    continue  # an article report's wording is the source's words, attributed
                hits = unquoted_hits(row[column] or "")
                assert not hits, f"{table}.csv {next(iter(row.values()))} {column}: {hits}"


def test_narrative_sentences():
    story = narrative.build(helpers.load())
    for sentence in story.sentences():
        assert not unquoted_hits(sentence.text), sentence.text


def test_the_chronology_of_every_view_is_in_the_kits_voice():
    ds = helpers.load()
    for when in ("2020-10-10", "2020-12-31", "2021-01-11"):
        for line in narrative.build(ds.as_of(when)).sentences():
            assert not unquoted_hits(line.text), (when, line.text)


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_markdown(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            assert not unquoted_hits(text), (path.name, unquoted_hits(text))


def claim_values() -> set[float]:
    values = set()
    with (paths.DATA_DIR / "claims.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in ("value_low", "value_best", "value_high"):
                if row[column]:
                    values.add(float(row[column]))
    return values


def test_every_number_in_a_claim_statement_is_a_value_of_that_claim():
    """Numbers in the kit's restatement of a claim (not dates) are the claim's values."""
    with (paths.DATA_DIR / "claims.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values = {float(row[c]) for c in ("value_low", "value_best", "value_high") if row[c]}
            text = re.sub(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b|\b(19|20)\d\d\b", " ", row["statement"])
            for number in re.findall(r"\d[\d,]*(?:\.\d+)?", text):
                assert float(number.replace(",", "")) in values, (row["claim_id"], number)


# ------------------------------------------------ a row says no more than its evidence

NUMBER = re.compile(r"(?<![\w.])\d+(?:[,.:]\d+)*")
#: Columns of a context row written in the kit's own words.
CONTEXT_TEXT = {
    "event_reports": ("wording", "date_basis", "framing_note"),
    "claims": ("statement", "caveat", "framing_note"),
    "quotes": ("note",),
    "actors": ("role", "note"),
    "places": ("note",),
    "topics": ("topic", "emphasis"),
    "glossary": ("explanation",),
}


def _number(text: str) -> str:
    """'08:00' -> '8:0', '1,960' -> '1960': a number or time as written, compared by value."""
    return ":".join(str(int(p)) if p.isdigit() else p for p in text.replace(",", "").split(":"))


def _references() -> dict[str, dict]:
    with (paths.DATA_DIR / "references.csv").open(encoding="utf-8", newline="") as handle:
        return {r["reference_id"]: r for r in csv.DictReader(handle)}


def numbers_beyond_evidence(row: dict, columns, references: dict[str, dict]) -> list[str]:
    """Numbers, dates and times of day in ``columns`` that neither the row's excerpt,
    passage or structured fields nor a reference it names by id hold."""
    named = [ref for ref in references if any(ref in (row.get(c) or "") for c in columns)]
    evidence = [v for k, v in row.items() if k not in columns and v]
    evidence += [v for ref in named for v in references[ref].values() if v]
    allowed = set()
    for value in evidence:
        allowed |= {_number(n) for n in NUMBER.findall(value)}
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            allowed |= {_number(part) for part in value.split("-")}
    found = []
    for column in columns:
        text = row.get(column) or ""
        for ref in named:
            text = text.replace(ref, " ")  # an id is not a claim
        text = re.sub(r"\br-[\w-]+", " ", text)  # nor is a report id
        found += [n for n in NUMBER.findall(text) if _number(n) not in allowed]
    return found


@pytest.mark.parametrize("table", sorted(CONTEXT_TEXT))
def test_every_number_date_and_time_in_a_context_row_is_in_its_evidence(table):
    references = _references()
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("origin") == "context":
                beyond = numbers_beyond_evidence(row, CONTEXT_TEXT[table], references)
                assert not beyond, f"{table}.csv {next(iter(row.values()))}: {beyond}"


def test_the_evidence_check_catches_a_detail_from_another_document():
    """The second fact-check's example: a time of day the row's excerpt does not hold."""
    row = {
        "origin": "context",
        "excerpt": "the leaders signed a joint statement on a full ceasefire on November 9th.",
        "reported_date_start": "2020-11-09",
        "wording": "signed on 9 November 2020, in force from 00:00 Moscow time on 10 November",
    }
    assert numbers_beyond_evidence(row, ("wording",), {}) == ["00:00", "10"]


# ------------------------------------------------------------------ neutral alternatives

#: Words that attribute a statement to someone instead of asserting it.
ATTRIBUTING = re.compile(r"\b(says?|said|according to|accused|calls?|called|claims?|claimed)\b")


def asserts_the_claim(term: str, alternative: str) -> bool:
    """Whether a neutral alternative restates, as fact, what a phrase-length term asserts.

    A single loaded word gets a neutral word ("killed" for "martyred"); a phrase that
    states an outcome ("liberated it from decades of ... occupation") gets no neutral
    restatement of that outcome, only an attribution of it.
    """
    if len(term.split()) < 3:
        return False
    return not ATTRIBUTING.search(alternative.lower())


def test_no_neutral_alternative_asserts_the_claim_it_neutralises():
    with (paths.DATA_DIR / "glossary.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["category"] in {"loaded_term", "one_sided_account"}:
                assert not asserts_the_claim(row["term"], row["neutral_alternative"]), row[
                    "term_id"
                ]


def test_the_neutral_alternative_check_can_fail():
    """The second fact-check's example: an outcome the article asserts, put into neutral words."""
    term = "liberated it from decades of Armenian occupation"
    assert asserts_the_claim(term, "ended nearly three decades of control by Armenian forces")
    assert not asserts_the_claim(term, "the agency says the truce ended Armenian control")
    assert not asserts_the_claim("martyred", "killed")


# ------------------------------------------------------------------ words that know the future

#: Words that place something in a sequence only hindsight knows: "the first war" (before
#: there was a second), "the last of the three districts". This test's own list.
HINDSIGHT = re.compile(
    r"\b(?:first|second|third) war\b|\blast of\b|\bfinal(?:ly)?\b|\beventually\b|\blater\b"
    r"|\bsubsequent(?:ly)?\b|\bwent on to\b",
    re.I,
)
YEAR = re.compile(r"(?<![\d,.:])\b(?:1[89]|20)\d\d\b(?![\d,:])")
#: Every column in the kit's own words, article rows included.
KIT_WORDS = {
    table: sorted(set(OWN_COLUMNS.get(table, [])) | set(CONTEXT_TEXT.get(table, ())))
    for table in set(OWN_COLUMNS) | set(CONTEXT_TEXT)
}


def undated_hindsight(text: str) -> list[str]:
    """Hindsight words in a text that names no date.

    An as-of view withholds the kit's text that names a date later than its day; a text
    that looks ahead without naming when ("ends the first war") would be shown on days
    before what it looks ahead to had happened.
    """
    own = QUOTED.sub(" ", text)
    return [] if YEAR.search(own) else [m.group(0) for m in HINDSIGHT.finditer(own)]


@pytest.mark.parametrize("table", sorted(KIT_WORDS))
def test_no_kit_text_looks_ahead_without_a_date(table):
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in KIT_WORDS[table]:
                if table == "event_reports" and column == "wording" and row["origin"] == "article":
                    continue  # the source's words, attributed
                found = undated_hindsight(row.get(column) or "")
                assert not found, f"{table}.csv {next(iter(row.values()))} {column}: {found}"


def test_the_hindsight_check_can_fail():
    """The second fact-check's kind of error: a label written knowing what came later."""
    assert undated_hindsight("Ceasefire ends the first war") == ["first war"]
    assert undated_hindsight("the last of the three districts was handed over") == ["last of"]
    assert not undated_hindsight("the last of the three districts, on 1 December 2020")
    assert not undated_hindsight("A ceasefire halts the large-scale fighting")


# ------------------------------------------------------------------ each side's account

ONE_SIDED = re.compile(r"\bone side's account\b", re.I)
REPORT_ID = re.compile(r"\br-[a-z0-9]+(?:-[a-z0-9]+)*")


def _rows(table: str) -> dict[str, dict]:
    with (paths.DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return {next(iter(r.values())): r for r in csv.DictReader(handle)}


def _appeared(row: dict, references: dict, sources: dict) -> str:
    """When a row's evidence had appeared (ISO day; a reference's own date)."""
    if row.get("reference_id"):
        return references[row["reference_id"]]["published"]
    return sources[row["source_id"]]["published"]


def missing_counter_accounts(reports: dict, claims: dict, references: dict, sources: dict):
    """One side's account that names no other side's account, or one that appeared later.

    A report marked "One side's account" names (by id) a report of the same event by
    another claimant; a claim so marked names a reference. The counter-account must have
    appeared no later than the account itself, so that no as-of view shows one side alone.
    """
    problems = []
    for report_id, row in reports.items():
        if not ONE_SIDED.search(row.get("framing_note") or ""):
            continue
        others = [i for i in REPORT_ID.findall(row["framing_note"]) if i in reports]
        if not others:
            problems.append(f"{report_id}: names no report of the other side's account")
        for other_id in others:
            other = reports[other_id]
            if other["event_id"] != row["event_id"] or other["claimant"] == row["claimant"]:
                problems.append(f"{report_id}: {other_id} is not another side's report of it")
            elif _appeared(other, references, sources) > _appeared(row, references, sources):
                problems.append(f"{report_id}: {other_id} appeared later")
    for claim_id, row in claims.items():
        if not ONE_SIDED.search(row.get("caveat") or ""):
            continue
        named = [r for r in references if r in row["caveat"]]
        if not named:
            problems.append(f"{claim_id}: names no reference for the other side's account")
        own = _appeared(row, references, sources)
        problems += [
            f"{claim_id}: {r} appeared later" for r in named if references[r]["published"] > own
        ]
    return problems


def test_one_sides_account_always_comes_with_the_others():
    references, sources = _rows("references"), _rows("sources")
    assert not missing_counter_accounts(
        _rows("event_reports"), _rows("claims"), references, sources
    )


def test_the_counter_account_check_can_fail():
    """A one-sided report left without its counterpart, or with a later one, is caught."""
    references, sources = _rows("references"), _rows("sources")
    reports, claims = _rows("event_reports"), _rows("claims")
    one_sided = [i for i, r in reports.items() if ONE_SIDED.search(r["framing_note"] or "")]
    assert one_sided
    alone = {
        i: r
        for i, r in reports.items()
        if i not in REPORT_ID.findall(reports[one_sided[0]]["framing_note"])
    }
    assert missing_counter_accounts(alone, {}, references, sources)
    later = dict(references, late={**references["dewaal-2013"], "published": "2099-01-01"})
    counter = REPORT_ID.findall(reports[one_sided[0]]["framing_note"])[0]
    moved = dict(reports, **{counter: {**reports[counter], "reference_id": "late"}})
    assert any("appeared later" in p for p in missing_counter_accounts(moved, {}, later, sources))
    unanswered = {**claims["armenian-army-attacked"], "caveat": "One side's account, as fact."}
    assert missing_counter_accounts({}, {"x": unanswered}, references, sources)


# ------------------------------------------------- whose usage a word is, and who says so

#: The parties the glossary and README name as users of a word; the test's own list.
PARTIES = {
    "azerbaijan": r"\bAzerbaijan(?:i|'s)?\b",
    "turkey": r"\bTurk(?:ey|ish)(?:'s)?\b",
    "armenia": r"\bArmenia(?:n|'s)?\b",
    "russia": r"\bRussia(?:n|'s)?\b",
}


def _csv(name: str) -> list[dict]:
    with (paths.DATA_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _parties(text: str) -> set[str]:
    return {party for party, pattern in PARTIES.items() if re.search(pattern, text)}


def unbacked_usages(glossary: list[dict]) -> list[tuple[str, str]]:
    """(term, party) where the row says a party uses a loaded term and nothing it cites
    (a reference in its text, its own source if official, a leader it names) is that party's."""
    references = {r["reference_id"]: r for r in _csv("references")}
    sources = {s["source_id"]: s for s in _csv("sources")}
    actors = _csv("actors")
    missing = []
    for row in glossary:
        if row["category"] != "loaded_term":
            continue
        text = f"{row['whose_framing']} {row['explanation']}"
        evidence = [
            f"{r['publisher']} {r['title']} {r['note']}"
            for ref_id in re.findall(r"reference ([a-z0-9-]+)", text)
            if (r := references.get(ref_id))
        ]
        backed = set().union(*(_parties(e) for e in evidence)) if evidence else set()
        # The row's own source shows its side's usage when it is that side's official
        # record, or its state media where the row says "state media".
        source = sources.get(row["source_id"], {})
        kind = source.get("ownership", "")
        if kind == "government" or (kind == "state-run" and "state media" in text):
            backed.add(source["side_id"])
        for actor in actors:
            surname = actor["name"].split()[-1]
            if actor["kind"] == "person" and re.search(rf"\b{re.escape(surname)}\b", text):
                backed.add(actor["affiliation_id"])
        missing += [(row["term_id"], p) for p in sorted(_parties(row["whose_framing"]) - backed)]
    return missing


def test_every_usage_the_glossary_names_is_backed_by_what_it_cites():
    """L30-8: 'Turkish official usage' of 'martyred' had no reference of Turkish usage."""
    glossary = _csv("glossary")
    assert any(_parties(r["whose_framing"]) for r in glossary)  # the class is live
    assert unbacked_usages(glossary) == []


def test_the_usage_check_fails_on_a_party_with_no_reference():
    """Proof that it can fail: the martyred row without its Turkish reference."""
    row = next(r for r in _csv("glossary") if r["term_id"] == "martyred")
    row["explanation"] = re.sub(r"\(reference trend-[a-z0-9-]+\)", "", row["explanation"])
    assert unbacked_usages([row]) == [("martyred", "turkey")]


def test_the_readme_names_as_users_of_the_articles_words_only_the_glossarys_parties():
    """The README's bullet on the article's vocabulary names who uses each word; each such
    party is one the glossary rows for those words name (and, by the test above, back)."""
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    glossary = [r for r in _csv("glossary") if r["category"] == "loaded_term"]
    bullet = next(b for b in readme.split("\n- ") if "vocabulary" in b and "martyred" in b)
    quoted = set(re.findall(r"\"([^\"]+)\"", bullet))
    rows = [r for r in glossary if any(q.lower() in r["term"].lower() for q in quoted)]
    assert {"liberated", "martyred"} <= {r["term_id"] for r in rows}
    named = set().union(*(_parties(r["whose_framing"]) for r in rows))
    # The publisher is named by what it is (a Turkish state-run agency), not as a user.
    said = _parties(bullet.replace("A Turkish state-run agency", ""))
    assert said <= named, said - named
