"""Words the maps compute for a date say only what was reported by then.

Review 7 of the as-of builds found the Lachin corridor drawn, keyed and tabled as "under
Russian peacekeepers" from 10 November 2020, on the statement's provision alone, while
notebook 03 (rightly) withheld the peacekeepers' deployment until the first report of it
(1 December 2020). The oracle here reads event_reports.csv with the csv module: the
first day a report of the deployment appeared after the deployment began (or dating
it), as tests/test_as_of.py counts a witness.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd
import pytest
from test_as_of import EVENTS, REFERENCES, ROWS, appeared, day, full, read

CORRIDOR = [r for r in ROWS["event_reports"].values() if r["event_id"] == "peacekeepers-deployed"]
BEGAN = day(EVENTS["peacekeepers-deployed"]["date_start"])
#: The first day a report said the peacekeepers had deployed (not that they would).
DEPLOYED_KNOWN = min(
    appeared(r)
    for r in CORRIDOR
    if appeared(r) > BEGAN or (r["reported_date_start"] and appeared(r) >= BEGAN)
)
CORRIDOR_KNOWN = min(appeared(r) for r in read("control_changes") if r["change"] == "corridor")
#: The corridor said to be under the peacekeepers, as a fact (not a provision).
UNDER = "corridor under Russian peacekeepers"


def corridor_words(ds) -> str:
    """What both maps and the table of changes say of the corridor."""
    from helpers.views.maps import legend, static
    from helpers.views.maps.layers import change_table

    rows = legend.legend_rows(ds, {"corridor"})
    table = change_table(ds)
    return " | ".join(
        [*(t for _, t in rows), static.static_alt(ds), *table["What"].astype(str).tolist()]
    )


def check_corridor(when: date, ds=None) -> None:
    ds = full().as_of(when) if ds is None else ds
    words = corridor_words(ds)
    if when < CORRIDOR_KNOWN:
        return
    assert (UNDER in words) == (when >= DEPLOYED_KNOWN), (when, words[:300])


# Every date: tests/test_as_of_every_date.py (one view per date, every property on it).


@pytest.mark.parametrize("when", [date(2020, 11, 10), date(2020, 11, 30), date(2020, 12, 1)])
def test_the_corridor_is_under_peacekeepers_only_once_reported_on_key_dates(when):
    """The quick tier's sample: the statement's day, the day before the report, its day."""
    check_corridor(when)


def test_the_oracle_and_the_check_can_fail():
    """The days the review named; and the full data's words judged as of 10 November 2020."""
    assert (date(2020, 11, 10), date(2020, 12, 1)) == (CORRIDOR_KNOWN, DEPLOYED_KNOWN)
    when = date(2020, 11, 10)
    with pytest.raises(AssertionError):
        check_corridor(when, full().__class__(**{**full().__dict__, "as_of_date": when}))


CLAIMS = read("claims")
STATUS = [r for r in CLAIMS if r["metric"] == "status"]
ID = re.compile(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w-])")
REFERENCE_DAYS = dict(REFERENCES)


def backed_from(row: dict) -> date:
    """The first day a reference the claim's caveat names had been published."""
    named = [REFERENCE_DAYS[i] for i in ID.findall(row["caveat"]) if REFERENCE_DAYS.get(i)]
    return min(named, default=date.max)


def check_status(when: date, ds=None) -> None:
    """The kit says "internationally recognised" in its own voice only once a reference
    backs the claim; before, the words are the claimant's, named. And a caveat keeps each
    sentence whose rows are known by then (the counter-view need not wait for Reuters)."""
    from helpers import maps

    ds = full().as_of(when) if ds is None else ds
    said = maps.where_it_is(ds)
    for row in STATUS:
        if appeared(row) > when:
            continue
        own_voice = "internationally recognised borders" in said
        assert own_voice == (when >= backed_from(row)), (when, said)
        if not own_voice:
            assert "calls it internationally recognised" in said, (when, said)
        caveat = ds.claims.set_index("claim_id").at[row["claim_id"], "caveat"]
        held = set(ds.references["reference_id"]) | set(ds.actors["actor_id"])
        for sentence in re.split(r"(?<=\.)\s+(?=[A-Z])", row["caveat"]):
            if set(ID.findall(sentence)) <= held:
                assert sentence in str(caveat), (when, sentence, caveat)


@pytest.mark.parametrize(
    "when",
    sorted(
        {date(2021, 1, 11)} | {backed_from(r) + timedelta(days=k) for r in STATUS for k in (-1, 0)}
    ),
    ids=str,
)
def test_recognition_is_the_kits_word_only_once_a_reference_backs_it_on_key_dates(when):
    """The quick tier's sample: the article's day, and either side of the day a reference
    backs the claim."""
    check_status(when)


def test_the_status_check_can_fail():
    """Review 7's T2: on 11 January 2021 the kit said "inside Azerbaijan's internationally
    recognised borders" on Anadolu Agency's word alone, and withheld the whole caveat."""
    when = date(2021, 1, 11)
    assert backed_from(STATUS[0]) == date(2021, 1, 30)
    leaky = full().__class__(**{**full().__dict__, "as_of_date": when})
    with pytest.raises(AssertionError):
        check_status(when, leaky)
    view = full().as_of(when)
    claims = view.claims.copy()
    claims["caveat"] = pd.NA
    with pytest.raises(AssertionError):
        check_status(when, view.__class__(**{**view.__dict__, "claims": claims}))


def deadlines_withheld(when: date, ds) -> list[str]:
    """Claims whose statement the view withholds although every later date it names was
    announced, to the day, in a passage published by then (claims.csv, csv module)."""
    from test_as_of import earliest_days_named

    published = [
        r.get(c, "")
        for table in ("claims", "quotes", "event_reports")
        for r in read(table)
        if appeared(r) <= when
        for c in ("passage", "excerpt", "translation")
    ]
    announced = {d for t in published for d in earliest_days_named(t)}
    shown = ds.claims.set_index("claim_id")["statement"]
    return [
        row["claim_id"]
        for row in CLAIMS
        if row["claim_id"] in shown.index
        and any(d > when for d in earliest_days_named(row["statement"]))
        and all(d in announced for d in earliest_days_named(row["statement"]) if d > when)
        and shown[row["claim_id"]] != row["statement"]
    ]


@pytest.mark.parametrize("when", [date(2021, 1, 12), date(2021, 1, 13), date(2021, 1, 29)])
def test_a_deadline_announced_by_then_is_not_withheld(when):
    """Review 7's T16: the joint statement's "before 30 January 2021" was withheld as "a
    later date" on 12-29 January 2021, and the placeholder sat inside 03's bottom line."""
    from helpers.views import sequence

    ds = full().as_of(when)
    assert not deadlines_withheld(when, ds), when
    assert "withheld" not in sequence.finding(ds), when


def test_the_deadline_check_can_fail():
    when = date(2021, 1, 12)
    view = full().as_of(when)
    claims = view.claims.copy()
    claims.loc[claims["claim_id"] == "mfa-first-meeting", "statement"] = "(wording withheld)"
    assert deadlines_withheld(when, view.__class__(**{**view.__dict__, "claims": claims}))


SOURCE_ROWS = read("sources")
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def ownership_unflagged(when: date, html: str) -> list[str]:
    """Sources whose ownership record (sources.csv) was read after ``when`` and whose row
    in 04's corpus does not say so."""
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", html, re.S)
    out = []
    for source in SOURCE_ROWS:
        read_on = [date.fromisoformat(d) for d in ISO.findall(source["ownership_basis"])]
        if not any(d > when for d in read_on) or date.fromisoformat(source["published"]) > when:
            continue
        mine = [r for r in rows if source["ownership_basis"][:30] in r.replace("&#39;", "'")]
        if not mine or "after this view" not in mine[0]:
            out.append(source["source_id"])
    return out


@pytest.mark.parametrize("when", [date(2021, 1, 11), date(2021, 1, 13), date(2023, 9, 1)])
def test_an_ownership_record_read_later_says_so(when):
    """Review 7's T3: 04's corpus cited pages read in December 2026 as the ownership of
    2021 outlets in a view of 11 January 2021, without saying they came later."""
    from helpers import comparison

    assert not ownership_unflagged(
        when, comparison.views(full().as_of(when))["corpus"]._repr_html_()
    )


def test_the_ownership_check_can_fail():
    from helpers import comparison

    when = date(2021, 1, 11)
    html = comparison.views(full())["corpus"]._repr_html_()  # the full build's words
    assert ownership_unflagged(when, html)


#: A record's own date in an ownership basis (this test's own reading): "6 September 2011"
#: in its words, or a page address filed under year and month ("/2023/09/").
RECORD_DAY = re.compile(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b")
RECORD_MONTH = re.compile(r"/(20\d\d|19\d\d)/(\d\d)/")


def ownership_misdated(when: date, html: str) -> list[str]:
    """Sources whose later-read ownership record 04's corpus presents as something it is
    not: a search that found nothing as a page read, or a dated record without its date."""
    import calendar

    rows = [
        r.replace("&#39;", "'") for r in re.findall(r"<tr><th scope=\"row\">.*?</tr>", html, re.S)
    ]
    out = []
    for source in SOURCE_ROWS:
        basis = source["ownership_basis"]
        if date.fromisoformat(source["published"]) > when:
            continue
        if not any(date.fromisoformat(d) > when for d in ISO.findall(basis)):
            continue
        mine = [r for r in rows if basis[:30] in r]
        before = mine[0].split(basis[:30])[0] if mine else ""
        if basis.startswith("not found") and "page" in before:
            out.append(source["source_id"])
        own = RECORD_DAY.search(basis)
        month = RECORD_MONTH.search(basis)
        named = own[0] if own else None
        if month and not own:
            named = f"{calendar.month_name[int(month[2])]} {month[1]}"
        if named and named not in before:
            out.append(source["source_id"])
    return out


@pytest.mark.parametrize("when", [date(2021, 1, 11), date(2023, 9, 1)])
def test_an_ownership_record_read_later_says_what_it_is(when):
    """Late check L30-1, L30-6: a search that found nothing was shown as "a page read on 7
    December 2026 (the outlet as found then)", and so were records dated 2011 and 2023."""
    from helpers import comparison

    html = comparison.views(full().as_of(when))["corpus"]._repr_html_()
    assert not ownership_misdated(when, html)


def test_the_ownership_kind_check_can_fail():
    """The wording before the fix, put back on the rows: the check finds them."""
    from helpers import comparison

    when = date(2021, 1, 11)
    html = comparison.views(full().as_of(when))["corpus"]._repr_html_().replace("&#39;", "'")
    old = "Recorded after this view's date, from a page read on 7 December 2026: "
    html = html.replace("Looked for after this view's date, on 7 December 2026: ", old)
    html = re.sub(
        r"Read after this view's date \(on [^)]*\), from a record dated [^:]*: ", old, html
    )
    assert len(ownership_misdated(when, html)) >= 4
