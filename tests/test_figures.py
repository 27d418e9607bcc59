"""helpers.figures: what show() writes and displays; figures built without a render.

No timings here: the cost of each figure path is measured by benchmarks. These
tests pin what users get (sizes, crop, text, alt) and that building a figure
renders nothing.
"""

from __future__ import annotations

import io
import re

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image, ImageChops

import helpers
from helpers import charts, figures, maps, timeline

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def ds():
    return helpers.load()


@pytest.fixture
def shown(monkeypatch, tmp_path):
    """Run figures.show into tmp_path; return (written paths, displayed PNG, metadata)."""
    import IPython.display

    monkeypatch.setenv("KIT_OUTPUT_DIR", str(tmp_path))
    calls = []
    monkeypatch.setattr(
        IPython.display, "display", lambda obj, metadata=None: calls.append((obj.data, metadata))
    )

    def run(fig, stem="demo", alt="What the figure shows"):
        written = figures.show(fig, stem, alt)
        assert len(calls) == 1, "show displays the figure exactly once"
        return written, *calls.pop()

    return run


def other_chart(ds):
    # A text-heavy chart laid out with tight_layout, text below the axes and beyond
    # the figure's edge (the footer): what the tight box has to get right.
    return charts.plot_other_claims(charts.other_quantitative_claims(ds))


def tight_reference(fig, dpi) -> Image.Image:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return Image.open(buffer)


def test_saved_png_is_what_savefig_tight_gives_at_150_dpi(ds, shown):
    written, _, _ = shown(other_chart(ds))
    saved = Image.open(written["png"])
    reference = tight_reference(other_chart(ds), 150)
    assert saved.size == reference.size
    assert saved.info["dpi"] == pytest.approx((150, 150), abs=0.1)
    assert np.array_equal(np.asarray(saved), np.asarray(reference))


def test_saved_png_has_no_blank_margin_beyond_the_pad(ds, shown):
    written, _, _ = shown(other_chart(ds))
    saved = Image.open(written["png"]).convert("RGB")
    ink = ImageChops.difference(saved, Image.new("RGB", saved.size, "white")).getbbox()
    pad = matplotlib.rcParams["savefig.pad_inches"] * 150
    margins = (ink[0], ink[1], saved.width - ink[2], saved.height - ink[3])
    # A text line's box includes its descent: a few pixels of white under the last line.
    assert all(m <= pad + 6 for m in margins), margins


def test_displayed_png_is_the_saved_one_at_110_dpi_with_alt(ds, shown):
    written, data, metadata = shown(other_chart(ds), alt="Three figures, each on its own scale")
    saved, displayed = Image.open(written["png"]), Image.open(io.BytesIO(data))
    for big, small in zip(saved.size, displayed.size, strict=True):
        assert abs(small - big * 110 / 150) <= 2, (saved.size, displayed.size)
    shown_meta = metadata["image/png"]
    assert shown_meta["alt"] == "Three figures, each on its own scale"
    assert (shown_meta["width"], shown_meta["height"]) == displayed.size
    # Report size: no larger than the direct 110-dpi render show() used to embed.
    direct = io.BytesIO()
    tight_reference(other_chart(ds), 110).save(direct, format="png")
    assert len(data) <= len(direct.getvalue())
    # Scaled, not redrawn: the same picture as the saved PNG, only smaller.
    expected = saved.convert("RGB").resize(displayed.size, Image.Resampling.LANCZOS)
    diff = np.abs(np.asarray(displayed.convert("RGB"), dtype=int) - np.asarray(expected, dtype=int))
    assert diff.max() <= 16 and diff.mean() < 1


def test_svg_keeps_text_and_carries_the_alt_as_title(shown):
    fig = Figure(figsize=(4, 3))
    fig.add_subplot().set_title("Searchable title")
    written, _, _ = shown(fig, alt="A chart & its finding")
    svg = written["svg"].read_text(encoding="utf-8")
    assert "<text" in svg and "Searchable title" in svg
    assert "<dc:title>A chart &amp; its finding</dc:title>" in svg


def test_show_returns_the_paths_and_closes_a_pyplot_figure(shown, tmp_path):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    written, _, _ = shown(fig, stem="line")
    assert written == {
        "png": tmp_path / "figures" / "line.png",
        "svg": tmp_path / "figures" / "line.svg",
    }
    assert all(path.is_file() for path in written.values())
    assert not plt.fignum_exists(fig.number)  # else the inline backend shows it again


def test_save_leaves_the_figure_as_it_was(ds, tmp_path):
    fig = other_chart(ds)
    engine, canvas, dpi = fig.get_layout_engine(), fig.canvas, fig.dpi
    figures.save(fig, "again", tmp_path)
    assert (fig.get_layout_engine(), fig.canvas, fig.dpi) == (engine, canvas, dpi)
    # Saving twice gives the same picture.
    first = (tmp_path / "again.png").read_bytes()
    figures.save(fig, "again", tmp_path)
    assert (tmp_path / "again.png").read_bytes() == first


# ------------------------------------------------------------- built without a render


@pytest.fixture
def draws(monkeypatch):
    """Count full figure draws (with a real renderer) while a test runs."""
    count = []
    draw = Figure.draw

    def counting(self, renderer):
        count.append(self)
        return draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting)
    return count


@pytest.mark.parametrize(
    "build",
    [
        lambda ds: maps.static_overview(ds, maps.load_countries()),
        lambda ds: timeline.plot(ds),
    ],
    ids=["static_overview", "timeline"],
)
def test_figures_are_built_without_a_render_or_pyplot(ds, draws, build):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = build(ds)
    # geopandas asks the canvas to redraw after every layer: on a pyplot canvas each
    # request was a full render; a figure made without pyplot renders only when saved.
    assert draws == []
    assert plt.get_fignums() == before  # not kept in pyplot's registry
    fig.savefig(io.BytesIO(), format="png")
    assert draws and all(drawn is fig for drawn in draws)  # the counter does count


@pytest.mark.parametrize(
    "build",
    [
        lambda ds: maps.static_overview(ds, maps.load_countries()),
        lambda ds: timeline.plot(ds),
        lambda ds: charts.plot_claims(charts.casualty_claims(ds)),
    ],
    ids=["static_overview", "timeline", "claims"],
)
def test_a_figure_left_as_a_cells_value_shows_as_an_image(ds, build):
    # What Jupyter does with a cell's last value: the figure must not show as text.
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(build(ds))
    assert data.get("image/png", b"")[:4] == b"\x89PNG", sorted(data)


def test_save_lays_out_once_and_renders_once_per_format(ds, draws, tmp_path):
    fig = other_chart(ds)  # tight_layout leaves a placeholder engine: no extra pass
    assert draws == []
    figures.save(fig, "counted", tmp_path)
    # One layout pass to measure the tight box, one Agg render, one SVG render
    # (three savefig(bbox_inches="tight") calls drew the figure six times).
    assert len(draws) == 3


# ------------------------------------------------------------- legible where shown


def _page_text_px(fig, tmp_path) -> tuple[float, float]:
    """(smallest text on the page at desktop width, displayed width), in CSS pixels.

    Computed independently of show(): text sizes read from the saved SVG (what is
    drawn), the width from the saved PNG at 150 dpi, then the page's arithmetic: the
    figure is shown at 110 px per inch, scaled down to the column if wider.
    """
    out = figures.save(fig, "legible", tmp_path)
    svg = out["svg"].read_text(encoding="utf-8")
    points = [float(x) for x in re.findall(r"font(?:-size)?:\s*(?:[a-z]+\s+)*([\d.]+)px", svg)]
    width_px = Image.open(out["png"]).width * 110 / 150
    scale = min(1.0, figures.PAGE_WIDTH / width_px)
    return min(points) * 110 / 72 * scale, width_px


@pytest.mark.parametrize(
    "build",
    [
        lambda ds: charts.plot_claims(charts.casualty_claims(ds)),
        lambda ds: charts.plot_other_claims(charts.other_quantitative_claims(ds)),
        lambda ds: timeline.plot(ds),
    ],
    ids=["claims", "other-claims", "timeline"],
)
def test_figure_text_is_at_least_11px_on_the_page(ds, build, tmp_path):
    smallest, width = _page_text_px(build(ds), tmp_path)
    assert smallest >= 11, f"smallest text {smallest:.1f} px on a {width:.0f} px wide figure"


def test_the_legibility_check_can_fail(tmp_path):
    fig = Figure(figsize=(12, 3))  # wider than the column: scaled down
    fig.add_subplot().set_title("tiny", fontsize=7)
    assert _page_text_px(fig, tmp_path)[0] < 11


def test_show_tells_the_page_the_text_size_and_the_phone_width(shown):
    fig = Figure(figsize=(8, 2))
    fig.add_subplot().set_title("Title", fontsize=8)
    _, _, metadata = shown(fig, alt="A takeaway")
    meta = metadata["image/png"]
    # 8 pt at 110 px per inch is 12.2 px; the figure keeps the width that holds 11 px.
    assert meta["kit_text_px"] == pytest.approx(8 * 110 / 72, abs=0.05)
    assert meta["kit_min_width"] == pytest.approx(meta["width"] * 11 / (8 * 110 / 72), abs=1)


# ------------------------------------------------------------------ the phone variant

#: A report's column on a 390 px wide phone, in CSS pixels (measured in Chromium; the
#: browser tests check the real page).
PHONE_COLUMN = 338


@pytest.mark.parametrize(
    "build",
    [
        lambda ds, w: charts.plot_claims(charts.casualty_claims(ds), width=w),
        lambda ds, w: charts.plot_other_claims(charts.other_quantitative_claims(ds), width=w),
        lambda ds, w: timeline.plot(ds, width=w),
    ],
    ids=["claims", "other-claims", "timeline"],
)
def test_phone_variant_fits_a_phone_with_text_at_least_11px(ds, build, tmp_path):
    # Sizes read from the saved files, as for the desktop figure above.
    out = figures.save(build(ds, figures.PHONE_WIDTH_IN), "phone", tmp_path)
    svg = out["svg"].read_text(encoding="utf-8")
    points = [float(x) for x in re.findall(r"font(?:-size)?:\s*(?:[a-z]+\s+)*([\d.]+)px", svg)]
    width_px = Image.open(out["png"]).width * 110 / 150
    shown = min(width_px, PHONE_COLUMN)
    assert width_px <= 1.1 * PHONE_COLUMN, f"{width_px:.0f} px wide: it would be shrunk"
    smallest = min(points) * 110 / 72 * shown / width_px
    assert smallest >= 11, f"smallest text {smallest:.1f} px on a phone"


def test_show_gives_the_page_a_phone_variant_with_the_same_alt(monkeypatch, tmp_path):
    import base64

    import IPython.display

    monkeypatch.setenv("KIT_OUTPUT_DIR", str(tmp_path))
    calls = []
    monkeypatch.setattr(
        IPython.display, "display", lambda obj, metadata=None: calls.append(metadata)
    )
    wide, narrow = Figure(figsize=(8, 2)), Figure(figsize=(3, 2))
    wide.add_subplot().set_title("Wide", fontsize=9)
    narrow.add_subplot().set_title("Narrow", fontsize=8)
    written = figures.show(wide, "both", "The takeaway", phone=narrow)
    assert written["phone-png"].name == "both-phone.png" and written["phone-svg"].is_file()
    (meta,) = [m["image/png"] for m in calls]
    phone = meta["kit_phone"]
    assert meta["alt"] == "The takeaway" and narrow.kit_alt == "The takeaway"
    # The page gets the narrow figure at twice its CSS size (dense phone screens).
    image = Image.open(io.BytesIO(base64.b64decode(phone["png"])))
    saved = Image.open(written["phone-png"])
    assert image.width == 2 * phone["width"] and phone["width"] < meta["width"]
    assert phone["width"] == pytest.approx(saved.width * 110 / 150, abs=1)
    assert phone["text_px"] == pytest.approx(8 * 110 / 72, abs=0.05)
