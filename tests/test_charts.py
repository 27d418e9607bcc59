"""Tests for helpers.charts on a SYNTHETIC dataset copy (test data only, never in data/).

The fixture appends two invented "sources" to a private copy of the data folder,
with casualty claims covering several sides, claimants, dates and every bound
type, so the charts can be checked against cases the real article lacks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import ImageChops

import helpers
from conftest import append_rows, copy_data
from helpers import charts

# --------------------------------------------------------------------------- test data
# Every figure, name and sentence below is invented for tests. Nothing here is
# a real claim about the war.
EARLY_TEXT = """TEST DATA - synthetic text for the kit's chart tests. Not a real source.
Alpha ministry says 2900 of its soldiers died.
Beta monitor says between 2850 and 3000 Azerbaijani soldiers died.
Alpha ministry says about 100 civilians died.
Gamma officials say more than 3700 of their soldiers died.
Gamma officials say at least 3800 of their soldiers died.
Delta $outlet$ <b>says</b> up to 10 peacekeepers were wounded.
Epsilon says 5 people died, without saying on which side.
Alpha ministry says 1200 ships were counted.
Beta monitor says 40 to 60 days passed.
"""
LATE_TEXT = """TEST DATA - a later synthetic text. Not a real source.
Gamma officials now say 4000 casualties.
"""


def _claim(
    claim_id,
    source_id,
    passage,
    side,
    metric,
    unit,
    worded,
    low,
    best,
    high,
    bound,
    claimant,
    claimant_id,
    attribution,
    date,
):
    return {
        "claim_id": claim_id,
        "origin": "article",
        "source_id": source_id,
        "passage": passage,
        "claim_kind": "quantitative",
        "subject": f"TEST DATA {claim_id}",
        "side_id": side,
        "metric": metric,
        "unit": unit,
        "value_as_worded": worded,
        "value_low": low,
        "value_best": best,
        "value_high": high,
        "bound": bound,
        "claimant": claimant,
        "claimant_id": claimant_id,
        "attribution": attribution,
        "claim_date": date,
        "claim_date_prec": "day",
        "statement": f"TEST DATA: {claimant} says {worded}.",
        "caveat": "Synthetic test row.",
    }


EARLY, LATE = "test-synthetic-early", "test-synthetic-late"
SYNTHETIC_CLAIMS = [
    _claim(
        "syn-az-exact",
        EARLY,
        "Alpha ministry says 2900 of its soldiers died.",
        "azerbaijan",
        "military_deaths",
        "people",
        "2900",
        "",
        "2900",
        "",
        "exact",
        "Alpha ministry",
        "azerbaijan",
        "named",
        "2021-02-01",
    ),
    _claim(
        "syn-az-range",
        EARLY,
        "between 2850 and 3000 Azerbaijani soldiers died",
        "azerbaijan",
        "military_deaths",
        "people",
        "between 2850 and 3000",
        "2850",
        "",
        "3000",
        "range",
        "Beta monitor",
        "",
        "vague",
        "2021-02-15",
    ),
    _claim(
        "syn-az-approx",
        EARLY,
        "about 100 civilians died",
        "azerbaijan",
        "civilian_deaths",
        "people",
        "about 100",
        "",
        "100",
        "",
        "approximately",
        "Alpha ministry",
        "azerbaijan",
        "named",
        "2021-03-01",
    ),
    _claim(
        "syn-am-more",
        EARLY,
        "more than 3700 of their soldiers died",
        "armenia",
        "military_deaths",
        "people",
        "more than 3700",
        "3700",
        "3700",
        "",
        "more_than",
        "Gamma officials",
        "armenia",
        "named",
        "2021-02-01",
    ),
    _claim(
        "syn-am-least",
        EARLY,
        "at least 3800 of their soldiers died",
        "armenia",
        "military_deaths",
        "people",
        "at least 3800",
        "3800",
        "3800",
        "",
        "at_least",
        "Gamma officials",
        "armenia",
        "named",
        "2021-03-01",
    ),
    _claim(
        "syn-ru-upto",
        EARLY,
        "up to 10 peacekeepers were wounded",
        "russia",
        "wounded",
        "people",
        "up to 10",
        "",
        "10",
        "10",
        "up_to",
        "Delta $outlet$ <b>says</b>",
        "",
        "unattributed",
        "2021-03-01",
    ),
    _claim(
        "syn-noside",
        EARLY,
        "Epsilon says 5 people died",
        "",
        "deaths",
        "people",
        "5",
        "",
        "5",
        "",
        "exact",
        "Epsilon",
        "",
        "named",
        "2021-03-01",
    ),
    _claim(
        "syn-ships",
        EARLY,
        "1200 ships were counted",
        "",
        "ships_counted",
        "ships",
        "1200",
        "",
        "1200",
        "",
        "exact",
        "Alpha ministry",
        "",
        "named",
        "2021-03-01",
    ),
    _claim(
        "syn-days",
        EARLY,
        "40 to 60 days passed",
        "",
        "war_duration",
        "days",
        "40 to 60",
        "40",
        "",
        "60",
        "range",
        "Beta monitor",
        "",
        "vague",
        "2021-03-01",
    ),
    _claim(
        "syn-am-late",
        LATE,
        "Gamma officials now say 4000 casualties.",
        "armenia",
        "casualties",
        "people",
        "4000",
        "",
        "4000",
        "",
        "exact",
        "Gamma officials",
        "armenia",
        "named",
        "2021-06-01",
    ),
]
SYNTHETIC_CASUALTY_IDS = {c["claim_id"] for c in SYNTHETIC_CLAIMS} - {"syn-ships", "syn-days"}


def _add_source(data_dir: Path, source_id: str, text: str, published: str) -> None:
    name = f"{source_id}.txt"
    raw = text.encode("utf-8")
    (data_dir / "sources" / name).write_bytes(raw)
    append_rows(
        data_dir,
        "sources",
        [
            {
                "source_id": source_id,
                "title": "TEST DATA (synthetic)",
                "publisher": f"Test {source_id}",
                "published": published,
                "published_origin": "context",
                "language": "en",
                "text_scope": "full",
                "text_file": name,
                "text_sha256": hashlib.sha256(raw).hexdigest(),
            }
        ],
    )


def make_synthetic(data_dir: Path) -> Path:
    """Turn a private data copy into the synthetic test dataset (in place)."""
    _add_source(data_dir, EARLY, EARLY_TEXT, "2021-03-01")
    _add_source(data_dir, LATE, LATE_TEXT, "2021-06-01")
    append_rows(data_dir, "claims", SYNTHETIC_CLAIMS)
    return data_dir


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory) -> Path:
    """The synthetic copy, shared by this module's tests (none of them writes to it)."""
    return make_synthetic(copy_data(tmp_path_factory.mktemp("synthetic") / "data"))


@pytest.fixture(scope="module")
def synthetic(synthetic_dir: Path):
    return helpers.load(synthetic_dir)


def _artists(fig, gid: str) -> list:
    return [a for a in fig.findobj() if a.get_gid() == gid]


# --------------------------------------------------------------------------- selecting


def test_synthetic_fixture_is_valid_and_keeps_data_untouched(synthetic, synthetic_dir):
    assert synthetic_dir != helpers.paths.DATA_DIR
    assert "syn-az-exact" in set(synthetic.claims["claim_id"])
    assert "syn-az-exact" not in set(helpers.load().claims["claim_id"])


def test_casualty_claims_take_casualty_metrics_only(synthetic):
    ids = set(charts.casualty_claims(synthetic)["claim_id"])
    assert ids >= SYNTHETIC_CASUALTY_IDS
    assert not ids & {"syn-ships", "syn-days", "people-returned", "settlements-taken"}
    others = set(charts.other_quantitative_claims(synthetic)["claim_id"])
    assert {"syn-ships", "syn-days", "people-returned"} <= others
    assert not others & ids


def test_sides_and_metrics_filter(synthetic):
    armenia = charts.casualty_claims(synthetic, sides="armenia")
    assert set(armenia["side_id"]) == {"armenia"}
    deaths = charts.casualty_claims(synthetic, metrics=["military_deaths"])
    assert set(deaths["metric"]) == {"military_deaths"}


def test_unknown_side_or_metric_names_the_known_ones(synthetic):
    with pytest.raises(ValueError, match=r"unknown side\(s\) 'armenai'.*armenia, azerbaijan"):
        charts.casualty_claims(synthetic, sides=["armenai"])
    with pytest.raises(ValueError, match=r"'people_returned'.*military_deaths"):
        charts.casualty_claims(synthetic, metrics="people_returned")


def test_as_of_filters_claims_by_publication(synthetic):
    before = charts.casualty_claims(synthetic.as_of("2021-04-01"))
    assert "syn-am-late" not in set(before["claim_id"])
    assert "Test test-synthetic-late" not in charts.source_line(before)
    after = charts.casualty_claims(synthetic.as_of("2021-06-01"))
    assert "syn-am-late" in set(after["claim_id"])
    assert "Test test-synthetic-late" in charts.source_line(after)
    assert charts.casualty_claims(synthetic.as_of("2020-01-01")).empty


# --------------------------------------------------------------------------- main chart


def test_one_mark_per_claim(synthetic):
    claims = charts.casualty_claims(synthetic)
    fig = charts.plot_claims(claims)
    ids = [m["claim_id"] for m in fig.kit_marks]
    assert sorted(ids) == sorted(claims["claim_id"])
    for claim_id in ids:  # one point per claim, except a range without a best value
        points = _artists(fig, f"{claim_id}:point")
        assert len(points) == (0 if claim_id == "syn-az-range" else 1), claim_id


def test_each_bound_has_its_encoding(synthetic):
    claims = charts.casualty_claims(synthetic)
    fig = charts.plot_claims(claims)
    marks = {m["claim_id"]: m for m in fig.kit_marks}
    assert len(fig.axes) == 1  # all casualty claims here are in people
    ax = fig.axes[0]
    x_min, x_max = ax.get_xlim()

    # exact: a point and nothing else.
    assert not [
        a
        for a in fig.findobj()
        if str(a.get_gid()).startswith("syn-az-exact:") and not a.get_gid().endswith(":point")
    ]
    # at_least / more_than: a short arrow from the value open to the right that stops
    # well short of the axis's end (a line to the edge reads as a range), and words.
    for claim_id, value in (("syn-am-least", 3800), ("syn-am-more", 3700)):
        (arrow,) = _artists(fig, f"{claim_id}:open-right")
        assert arrow.xyann[0] == value and value < arrow.xy[0] < x_max
        assert arrow.xy[0] - value <= 0.1 * (x_max - x_min)
        (words,) = _artists(fig, f"{claim_id}:open-words")
        assert "no upper figure" in words.get_text()
        assert not _artists(fig, f"{claim_id}:open-left")
    # more_than: hollow point; at_least: filled.
    (more,) = _artists(fig, "syn-am-more:point")
    (least,) = _artists(fig, "syn-am-least:point")
    assert more.get_markerfacecolor() == "white"
    assert least.get_markerfacecolor() != "white"
    # up_to: a short arrow from the value open to the left, not down to zero (which
    # would read as a range "0 to 10"), with words.
    (arrow,) = _artists(fig, "syn-ru-upto:open-left")
    assert arrow.xyann[0] == 10 and x_min == 0 < arrow.xy[0] < 10
    (words,) = _artists(fig, "syn-ru-upto:open-words")
    assert "no lower figure" in words.get_text()
    # approximately: a band around the value.
    (band,) = _artists(fig, "syn-az-approx:band")
    assert isinstance(band, Rectangle)
    assert band.get_x() < 100 < band.get_x() + band.get_width()
    # range: a bar from low to high.
    (bar,) = _artists(fig, "syn-az-range:range")
    assert list(bar.get_xdata()) == [2850, 3000]
    assert marks["syn-az-range"]["encoding"] == "range"
    assert {m["encoding"] for m in fig.kit_marks} == {"point", "floor", "ceiling", "band", "range"}


def test_real_article_approximations_keep_their_known_side():
    others = charts.other_quantitative_claims(helpers.load())
    fig = charts.plot_other_claims(others)
    (band,) = _artists(fig, "settlements-taken:band")
    # "nearly 300": the band ends at 300, it does not reach above it.
    assert band.get_x() + band.get_width() == 300 and band.get_x() < 300


def test_marks_grouped_by_side_and_coloured_by_claimant(synthetic, synthetic_dir):
    claims = charts.casualty_claims(synthetic)
    fig = charts.plot_claims(claims)
    ys = {m["claim_id"]: m["y"] for m in fig.kit_marks}
    # Whose losses each claim counts, as stored: its side_id ("" for none).
    sides = {r["claim_id"]: r["side_id"] for r in _csv_claims(synthetic_dir)}
    # Rows of one side are contiguous, the claims with no side last.
    order = [sides[c] for c in sorted(ys, key=ys.get, reverse=True)]
    assert order == sorted(order, key=order.index)
    assert order[-1] == ""
    colours = {c: _artists(fig, f"{c}:point")[0].get_color() for c in ys if c != "syn-az-range"}
    assert colours["syn-az-exact"] == colours["syn-az-approx"]  # same claimant
    assert colours["syn-az-exact"] != colours["syn-am-more"]
    texts = {t.get_text() for t in fig.findobj(Text)}
    # Each mark is labelled with claimant, source and claim date.
    assert any(
        "Alpha ministry" in t and "Test test-synthetic-early" in t and "1 February 2021" in t
        for t in texts
    )


def test_claimants_distinguishable_without_colour():
    styles = charts.claimant_styles([f"claimant {i}" for i in range(len(charts.MARKERS))])
    assert len({s["marker"] for s in styles.values()}) == len(charts.MARKERS)
    assert len({s["color"] for s in styles.values()}) == len(charts.PALETTE)
    many = charts.claimant_styles([f"claimant {i}" for i in range(56)])
    assert len({(s["color"], s["marker"]) for s in many.values()}) == 56
    assert "#F0E442" not in charts.PALETTE  # Okabe-Ito yellow: too faint on white


def test_dollar_signs_in_sources_are_shown_not_typeset(synthetic):
    fig = charts.plot_claims(charts.casualty_claims(synthetic, sides="russia"))
    # A real render (mathtext errors would surface here): the chart is made without
    # pyplot, so fig.canvas.draw() would do nothing.
    fig.savefig(io.BytesIO(), format="png")
    labels = [t for t in fig.findobj(Text) if "$outlet$" in t.get_text()]
    assert labels and not any(t.get_parse_math() for t in labels)


def test_empty_selection_draws_a_message():
    fig = charts.plot_claims(charts.casualty_claims(helpers.load().as_of("2020-01-01")))
    assert fig.kit_marks == []
    # It says why: nothing published by that day gives a casualty figure.
    said = " ".join(" ".join(t.get_text() for t in fig.findobj(Text)).split())
    assert "1 January 2020" in said and "casualty figure" in said, said


#: The metrics that count people killed, wounded or missing (what the kit's casualty
#: chart takes), written out here as the test's own expectation.
CASUALTY = {"military_deaths", "civilian_deaths", "deaths", "casualties", "wounded", "missing"}


def _csv_claims(data_dir: Path) -> list[dict]:
    """The claims as stored, read with the csv module (not through the code under test)."""
    with open(data_dir / "claims.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_units_never_share_an_axis(synthetic, synthetic_dir):
    others = charts.other_quantitative_claims(synthetic)
    fig = charts.plot_other_claims(others)
    rows = [
        r
        for r in _csv_claims(synthetic_dir)
        if r["claim_kind"] == "quantitative" and r["metric"] not in CASUALTY
    ]
    # One panel per metric and unit in the stored rows.
    assert len(fig.axes) == len({(r["metric"], r["unit"]) for r in rows})
    for ax in fig.axes:  # each panel holds one metric in one unit
        assert ax.get_xlabel() in {r["unit"] or "no unit given" for r in rows}
    # war_duration in weeks (article) and in days (test data) get separate panels.
    assert sum("length of the war" in ax.get_title(loc="left") for ax in fig.axes) == 2


# --------------------------------------------------------------------------- time chart


def test_time_chart_only_for_claimants_with_several_dates(synthetic):
    one_day = charts.casualty_claims(helpers.load().as_of("2021-01-11"))
    assert one_day["claim_date"].nunique() == 1
    assert charts.plot_claims_over_time(one_day) is None
    one_date = charts.casualty_claims(synthetic, sides="russia")
    assert charts.plot_claims_over_time(one_date) is None
    # The three sides of the test data (the corpus's totals for both sides stay out).
    sides = ["armenia", "azerbaijan", "russia"]
    fig = charts.plot_claims_over_time(charts.casualty_claims(synthetic, sides=sides))
    assert fig is not None
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["Armenia", "Azerbaijan"]  # Russia has one date: no panel
    steps = [a.get_gid() for a in fig.findobj() if str(a.get_gid()).startswith("steps:")]
    # Series are keyed by claimant_id (here the state), not by the wording.
    assert "steps:Armenia:armenia:military_deaths" in steps
    assert "steps:Armenia:armenia:casualties" in steps  # metrics never joined
    # Bounds stay visible: floors open upwards.
    assert _artists(fig, "syn-am-least:open-up") and _artists(fig, "syn-am-more:open-up")
    # A claimant's one figure on one date is no series (its range is drawn in the main chart).
    assert not _artists(fig, "syn-az-range:range")


# --------------------------------------------------------------------------- words


def test_table_has_every_claim_and_plain_caveats(synthetic, synthetic_dir):
    claims = charts.casualty_claims(synthetic)
    table = charts.claims_table(claims)
    stored = {
        r["claim_id"]
        for r in _csv_claims(synthetic_dir)
        if r["claim_kind"] == "quantitative" and r["metric"] in CASUALTY
    }
    assert sorted(table.index) == sorted(stored)
    for column in (
        "value as worded",
        "bound",
        "claimant",
        "source",
        "claim date",
        "passage",
        "caveat",
    ):
        assert column in table.columns
    caveat = table["caveat"]
    assert caveat["am-casualties"].startswith("attributed only to unnamed 'sources and officials'")
    assert "the side's own count of its losses" in caveat["syn-am-more"]
    assert "the side's own count" not in caveat["syn-az-range"]
    assert "no source is named" in caveat["az-military-deaths"]
    assert "may include the wounded" in caveat["am-casualties"]


def test_bottom_line_attributes_every_figure():
    claims = charts.casualty_claims(helpers.load())
    text = charts.bottom_line(claims)
    for _, row in claims.iterrows():
        assert row["value_as_worded"] in text and row["claimant"] in text
    for loaded in ("martyred", "liberated", "occupation"):
        assert loaded not in text.lower()
    assert "according to" in text


def test_finding_and_alt_text_use_no_loaded_words():
    claims = charts.casualty_claims(helpers.load())
    for text in (charts.finding(claims), charts.alt_text(claims)):
        assert not {"martyred", "liberated", "occupation"} & set(text.lower().split())


def test_metric_labels_keep_casualties_apart_from_deaths():
    assert "wounded" in charts.metric_label("casualties")
    assert charts.metric_label("casualties") != charts.metric_label("military_deaths")
    assert set(charts.CASUALTY_METRICS) >= {"military_deaths", "casualties", "wounded"}


def test_claim_dates_are_read_as_dates(synthetic):
    claims = charts.casualty_claims(synthetic)
    assert pd.api.types.is_datetime64_any_dtype(claims["claim_date"])


def test_a_claimant_keeps_its_colour_across_charts():
    ds = helpers.load()
    main = charts.plot_claims(charts.casualty_claims(ds))
    other = charts.plot_other_claims(charts.other_quantitative_claims(ds))
    (in_main,) = _artists(main, "az-military-deaths:point")
    (in_other,) = _artists(other, "settlements-taken:point")  # same claimant: the agency
    assert in_main.get_color() == in_other.get_color()
    assert in_main.get_marker() == in_other.get_marker()


def test_show_over_time_removes_a_stale_chart(tmp_path, monkeypatch):
    import IPython.display

    monkeypatch.setenv("KIT_OUTPUT_DIR", str(tmp_path))
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(obj))
    stale = tmp_path / "figures" / "casualty-claims-over-time.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an earlier run's chart")
    one_day = helpers.load().as_of("2021-01-11")  # every casualty claim of that day
    assert charts.show_over_time(charts.casualty_claims(one_day)) is False
    assert not stale.exists()
    # Said in prose (Markdown), not printed as an output block.
    assert [type(o).__name__ for o in shown] == ["Markdown"]
    assert "no change over time" in shown[0].data


def test_chart_says_whose_losses_who_claims_and_that_they_are_not_comparable():
    """Row heads name whose losses, a key names the claimants, the warning is in the chart,
    and one source is named once (checked against claims.csv, not the chart's code)."""
    data = pd.read_csv(helpers.paths.DATA_DIR / "claims.csv")
    casualty = data[data["metric"].isin(charts.CASUALTY_METRICS)]
    fig = charts.plot_claims(charts.casualty_claims(helpers.load()))
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
    joined = "\n".join(texts)
    actors = pd.read_csv(helpers.paths.DATA_DIR / "actors.csv").set_index("actor_id")["name"]
    for side in casualty["side_id"].dropna().unique():
        assert f"Losses on {actors[side]}'s side" in texts, (side, texts)
        assert actors[side] not in [t.strip() for t in texts]  # never a bare side name
    legend = fig.legends[0]
    assert "Claimant" in legend.get_title().get_text()
    assert len(legend.get_texts()) == casualty["claimant"].nunique()
    assert any(t.startswith("Not comparable") for t in texts)
    sources = pd.read_csv(helpers.paths.DATA_DIR / "sources.csv")
    publisher = sources.set_index("source_id").loc[casualty["source_id"].iloc[0], "publisher"]
    if casualty["source_id"].nunique() == 1:
        assert joined.count(f"{publisher}, 11 January 2021") == 1  # the source, named once
    assert "losses" in fig._suptitle.get_text() and "claim" in fig._suptitle.get_text()
    # Figures with no side are headed by what they count, as their subject says (the
    # corpus's whole-war tolls: both sides together), never as of a side not stated.
    for subject in casualty.loc[casualty["side_id"].isna(), "subject"].dropna().unique():
        assert subject[0].upper() + subject[1:] in joined
    if casualty["side_id"].isna().any() and casualty["subject"].notna().all():
        assert "side not stated" not in joined
    # No date said twice in a row ("11 January 2021 · 11 January 2021").
    assert not re.search(r"(\d{1,2} [A-Z][a-z]+ \d{4}) · \1", joined), joined


def test_the_index_thumbnail_is_a_legible_strip_of_the_phone_chart(tmp_path):
    """The index's thumbnail is the top of the chart drawn for phones (its finding: the
    title and the not-comparable warning), at nearly its own scale, whole lines only."""
    import base64

    from PIL import Image

    from helpers import figures
    from helpers.report.execute import thumbnail

    claims = charts.casualty_claims(helpers.load())
    variant = figures.phone_variant(
        charts.plot_claims(claims, width=figures.PHONE_WIDTH_IN), "thumb", tmp_path
    )
    phone = Image.open(io.BytesIO(base64.b64decode(variant["png"]))).convert("RGB")
    thumb = Image.open(io.BytesIO(thumbnail(b"", phone=variant))).convert("RGB")
    # Shown 320 CSS px wide on the index: the chart's own scale, or nearly.
    scale = thumb.width / phone.width
    assert thumb.width == 640 and scale * figures.PHONE_DENSITY * 340 / 320 >= 0.95
    # It is the real figure: the top of the phone image, resampled to the same scale.
    same = phone.resize((thumb.width, round(phone.height * scale))).crop((0, 0, *thumb.size))
    diff = ImageChops.difference(same, thumb).convert("L")
    assert sum(diff.getdata()) / (thumb.width * thumb.height) < 6
    # Its top and bottom rows hold no ink (text is dark; grid lines and fills are
    # light): no line of text is cut through.
    for y in (0, thumb.height - 1):
        assert min(thumb.crop((0, y, thumb.width, y + 1)).convert("L").getdata()) > 200

    def warning_in(image) -> bool:  # the warning box's fill (#fff4ec), a large area of it
        return (
            sum(
                max(abs(a - b) for a, b in zip(px, (255, 244, 236), strict=True)) <= 3
                for px in image.getdata()
            )
            > 5000
        )

    assert warning_in(thumb)
    # The check can fail: a strip from the bottom of the chart has no warning.
    variant["thumbnail"] = 1.0
    assert not warning_in(Image.open(io.BytesIO(thumbnail(b"", phone=variant))).convert("RGB"))
