"""Save and show figures the same way in every notebook.

:func:`show` writes the figure as PNG (:data:`DPI`) and SVG into the build's
figures folder and displays a smaller PNG (:data:`DISPLAY_DPI`) with its alt
text in the output metadata (``metadata["image/png"]["alt"]``), where the report
template picks it up.

Each figure is laid out and measured once (:func:`tight_bbox`), rendered once
by Agg and once as SVG; the displayed PNG is the saved one scaled down, not a
third render.
"""

from __future__ import annotations

import functools
import io
from contextlib import contextmanager
from pathlib import Path

from .. import paths
from ..images import DISPLAY_DPI, alt_of, scaled_png

#: Resolution of the saved PNG.
DPI = 150
#: DISPLAY_DPI (helpers.images): one pixel of the shown PNG is one CSS pixel of the
#: page, so a figure 8 inches wide is 880 px wide.
#: Width of a report's column at desktop width, in CSS pixels (the kit's report page:
#: 60rem less its padding): a wider figure is scaled down to it, and its text with it.
PAGE_WIDTH = 900
#: The smallest text a figure may show on the page, in CSS pixels.
MIN_TEXT_PX = 11
#: Width of a figure's phone variant, in CSS pixels: a report's column on a 390 px
#: wide phone is about 338 px, so a variant this wide is shown (almost) unscaled.
PHONE_WIDTH = 340
#: The same, in inches, for the code that draws the variant (at :data:`DISPLAY_DPI`).
PHONE_WIDTH_IN = PHONE_WIDTH / DISPLAY_DPI
#: Screens at most this wide (CSS pixels) are shown the phone variant.
PHONE_MEDIA = "(max-width: 640px)"
#: Image pixels per CSS pixel of the phone variant: phones have dense screens.
PHONE_DENSITY = 2


def new_figure(**kwargs):
    """A matplotlib ``Figure`` made without pyplot that still shows itself in Jupyter.

    Without pyplot, no backend is switched, no figure is kept in a global registry,
    and libraries that ask the canvas to redraw after each layer (geopandas does)
    cost nothing: the figure is drawn once, when saved. A figure left as a cell's
    last value shows as a PNG, as a pyplot figure would.

    >>> fig = new_figure(figsize=(2, 1))
    >>> fig._repr_png_()[:4]
    b'\\x89PNG'
    """
    return _shown_figure_class()(**kwargs)


@functools.cache
def _shown_figure_class():
    from matplotlib.figure import Figure

    class ShownFigure(Figure):
        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=DISPLAY_DPI, bbox_inches="tight")
            return buffer.getvalue()

    return ShownFigure


def tight_bbox(fig, dpi: float = DPI):
    """The area ``savefig(bbox_inches="tight", dpi=dpi)`` would keep, in inches.

    Measured as ``savefig`` does it: the figure is laid out at ``dpi`` (a draw
    that renders nothing), its tight box taken and padded by
    :rc:`savefig.pad_inches`. Passing the result as ``bbox_inches`` lets every
    output reuse one measurement instead of laying the figure out again each time.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(4, 3))
    >>> _ = fig.add_subplot().set_title("A title")
    >>> def png(bbox_inches):
    ...     buffer = io.BytesIO()
    ...     fig.savefig(buffer, format="png", dpi=150, bbox_inches=bbox_inches)
    ...     return buffer.getvalue()
    >>> png(tight_bbox(fig)) == png("tight")
    True
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas, original_dpi = fig.canvas, fig.dpi
    if not hasattr(canvas, "get_renderer"):
        # A figure made without pyplot has a plain canvas, which makes a new renderer
        # for each of the two steps below, so every text would be measured twice; an
        # Agg canvas keeps one renderer (savefig switches canvases the same way).
        FigureCanvasAgg(fig)
    # Text is hinted at the output resolution, so it is measured at that resolution.
    fig.set_dpi(dpi)
    try:
        fig.draw_without_rendering()
        box = fig.get_tightbbox()
    finally:
        fig.set_dpi(original_dpi)
        fig.set_canvas(canvas)
    pad = matplotlib.rcParams["savefig.pad_inches"]
    return box.padded(pad, pad)


@contextmanager
def _laid_out(fig):
    """While saving, skip the layout pass ``savefig`` runs for a placeholder engine.

    ``fig.tight_layout()`` leaves a placeholder layout engine that does nothing,
    yet makes ``savefig`` lay the whole figure out once more before each render.
    The layout is already done (and :func:`tight_bbox` has measured it), so the
    engine is set aside while saving and put back after.
    """
    import matplotlib
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    if not isinstance(engine, PlaceHolderLayoutEngine):
        yield
        return
    # set_layout_engine(None) removes the engine only when no automatic layout is configured.
    with matplotlib.rc_context(
        {"figure.autolayout": False, "figure.constrained_layout.use": False}
    ):
        fig.set_layout_engine(None)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def _save(fig, stem: str, folder: Path | None):
    """Write ``<stem>.png`` and ``<stem>.svg``; return the paths, the PNG and its box."""
    import matplotlib

    from ..data.export import atomic_write

    folder = Path(folder) if folder is not None else paths.figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = {"png": folder / f"{stem}.png", "svg": folder / f"{stem}.svg"}
    with _laid_out(fig):
        box = tight_bbox(fig)
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=DPI, bbox_inches=box)
        svg = io.BytesIO()
        # svg.fonttype "none" keeps text as text in the SVG (searchable, editable);
        # matplotlib would otherwise draw each glyph as a path. The PNG is for reports.
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            fig.savefig(
                svg,
                format="svg",
                bbox_inches=box,
                metadata={"Title": alt_of(fig) or "Figure"},
            )
    # Written like every file the kit writes: whole or not at all, with the same mode.
    atomic_write(written["png"], png.getvalue())
    atomic_write(written["svg"], svg.getvalue())
    fig.kit_text_sizes = text_sizes(svg.getvalue())
    return written, png.getvalue(), box


def save(fig, stem: str, folder: Path | None = None) -> dict[str, Path]:
    """Write ``fig`` as ``<stem>.png`` and ``<stem>.svg``; return the paths.

    Both are cropped to the figure's tight box (:func:`tight_bbox`), the PNG at
    :data:`DPI`.

    >>> from matplotlib.figure import Figure
    >>> import tempfile
    >>> fig = Figure()
    >>> _ = fig.add_subplot().set_title("Demo")
    >>> out = save(fig, "demo", Path(tempfile.mkdtemp()))
    >>> sorted(p.suffix for p in out.values())
    ['.png', '.svg']
    >>> "<text" in out["svg"].read_text()  # text stays text
    True
    """
    return _save(fig, stem, folder)[0]


def text_sizes(svg: bytes | str) -> list[float]:
    """Sizes, in points, of every text drawn in a figure's SVG (saved with text as text).

    Read from the picture, not the figure's objects: only text actually drawn inside
    the saved box counts (tick labels outside the axis range, clipped text do not).

    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(3, 2))
    >>> ax = fig.add_subplot()
    >>> _ = ax.set_title("Title", fontsize=12), ax.tick_params(labelsize=7)
    >>> import tempfile
    >>> out = save(fig, "sizes", Path(tempfile.mkdtemp()))
    >>> sorted(set(text_sizes(out["svg"].read_bytes())))
    [7.0, 12.0]
    """
    import re

    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    # matplotlib writes each text's font as CSS, e.g. style="font: 10px 'DejaVu Sans'",
    # in SVG user units, which are points (72 to the inch).
    sizes = re.findall(r"font(?:-size)?:\s*(?:[a-z]+\s+)*([\d.]+)px", text)
    return [float(size) for size in sizes]


def on_page(points: float, width_px: float) -> float:
    """How many CSS pixels a text of ``points`` is on the page, in a figure ``width_px`` wide.

    Shown at :data:`DISPLAY_DPI` (one image pixel per CSS pixel), scaled down only if
    the figure is wider than the page's column (:data:`PAGE_WIDTH`).

    >>> round(on_page(8, 800), 1), round(on_page(8, 1800), 1)
    (12.2, 6.1)
    """
    return points * DISPLAY_DPI / 72 * min(1.0, PAGE_WIDTH / width_px)


def thumbnail_centre(fig, box) -> tuple[float, float] | None:
    """Where ``fig.kit_thumbnail_at`` (``(axes, x, y)`` in data units: the figure's key
    marks, set by the code that draws it) lies in the image saved with ``box``, as
    fractions from its top left: the centre of the index's thumbnail.

    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(4, 2))
    >>> ax = fig.add_axes((0, 0, 1, 1), xlim=(0, 10), ylim=(0, 10))
    >>> fig.kit_thumbnail_at = (ax, 7.5, 7.5)
    >>> thumbnail_centre(fig, fig.bbox_inches)
    (0.75, 0.25)
    """
    at = getattr(fig, "kit_thumbnail_at", None)
    if at is None:
        return None
    ax, x, y = at
    if hasattr(x, "to_pydatetime"):  # a date on a date axis
        import matplotlib.dates as mdates

        x = mdates.date2num(x)
    px, py = ax.transData.transform((x, y)) / fig.dpi
    fx = (px - box.x0) / box.width
    fy = (box.y1 - py) / box.height
    return (round(float(min(max(fx, 0.0), 1.0)), 3), round(float(min(max(fy, 0.0), 1.0)), 3))


def display_metadata(
    fig, size: tuple[int, int], alt: str, description: str = "", phone: dict | None = None
) -> dict:
    """What the report page needs to show a figure (see the report template's ``data_png``).

    ``alt``: the takeaway; ``kit_description``: the longer description; ``width`` and
    ``height``: the CSS size it was drawn for; ``kit_text_px``: its smallest text on
    the page at desktop width; ``kit_min_width``: the width below which that text would
    be under :data:`MIN_TEXT_PX` (where the page is narrower and there is no phone
    variant, the figure keeps that width in a box that scrolls sideways);
    ``kit_phone``: the phone variant, if any (:func:`phone_variant`).
    """
    meta = {"alt": alt, "width": size[0], "height": size[1]}
    if description:
        meta["kit_description"] = description
    if getattr(fig, "kit_thumbnail", None):  # where the index's thumbnail is cropped
        meta["kit_thumbnail"] = [float(v) for v in fig.kit_thumbnail]
    sizes = getattr(fig, "kit_text_sizes", [])
    if sizes:
        smallest = min(sizes)
        meta["kit_text_px"] = round(on_page(smallest, size[0]), 2)
        natural = smallest * DISPLAY_DPI / 72  # px at the figure's own width
        meta["kit_min_width"] = min(size[0], int(size[0] * MIN_TEXT_PX / natural + 0.999))
    if phone:
        meta["kit_phone"] = phone
    return {"image/png": meta}


def phone_variant(fig, stem: str, folder: Path | None = None) -> dict:
    """Save ``fig`` (drawn :data:`PHONE_WIDTH` wide, laid out for a phone) as
    ``<stem>-phone.png`` and ``.svg``; return what the page needs to show it.

    ``png``: the image, base64, :data:`PHONE_DENSITY` image pixels per CSS pixel;
    ``width``/``height``: its CSS size; ``text_px``: its smallest text at that size;
    ``media``: the screens it is for (:data:`PHONE_MEDIA`); ``thumbnail``: the height
    (a fraction from the top) where the index's thumbnail, a strip of this variant, is
    centred (the figure's ``kit_thumbnail_at``, else its top).
    """
    import base64

    written, png, box = _save(fig, f"{stem}-phone", folder)
    size = (max(1, int(box.width * DISPLAY_DPI)), max(1, int(box.height * DISPLAY_DPI)))
    dense = (size[0] * PHONE_DENSITY, size[1] * PHONE_DENSITY)
    sizes = getattr(fig, "kit_text_sizes", [])
    centre = thumbnail_centre(fig, box)  # where the index's strip of it is centred
    return {
        "png": base64.b64encode(scaled_png(png, dense, DISPLAY_DPI * PHONE_DENSITY)).decode(),
        "thumbnail": centre[1] if centre else 0.0,
        "width": size[0],
        "height": size[1],
        "text_px": round(min(sizes) * DISPLAY_DPI / 72, 2) if sizes else None,
        "media": PHONE_MEDIA,
        "paths": {k: str(v) for k, v in written.items()},
    }


def show(fig, stem: str, alt: str, description: str = "", phone=None) -> dict[str, Path]:
    """Save ``fig`` (PNG + SVG), display it with ``alt`` text, and close it.

    ``alt`` says what the figure shows (its finding, one sentence), for readers who
    cannot see it; ``description``, where the figure needs one, says the rest (the
    report shows it under "Describe the figure"). The displayed PNG is the saved one
    scaled to :data:`DISPLAY_DPI`. ``phone``: the same figure drawn for a phone
    (:data:`PHONE_WIDTH_IN` wide, its own layout), saved as ``<stem>-phone`` and shown
    instead on narrow screens, with the same alt text. Returns the paths written, as
    :func:`save` does (plus ``phone-png``, ``phone-svg``).
    """
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    fig.kit_alt = alt
    written, png, box = _save(fig, stem, None)
    fig.kit_thumbnail = thumbnail_centre(fig, box) or getattr(fig, "kit_thumbnail", None)
    plt.close(fig)  # a pyplot figure would otherwise be displayed a second time
    variant = None
    if phone is not None:
        phone.kit_alt = alt
        variant = phone_variant(phone, stem)
        plt.close(phone)
        written.update({f"phone-{k}": Path(v) for k, v in variant.pop("paths").items()})
    size = (max(1, int(box.width * DISPLAY_DPI)), max(1, int(box.height * DISPLAY_DPI)))
    display(
        Image(scaled_png(png, size), format="png"),
        metadata=display_metadata(fig, size, alt, description, variant),
    )
    return written


def show_drawn(draw, stem: str, alt: str, description: str = "") -> dict[str, Path]:
    """Draw a figure at desktop width and for a phone, and :func:`show` both.

    ``draw()`` makes the figure at its own width, ``draw(width=PHONE_WIDTH_IN)`` the
    same figure laid out for a phone.
    """
    return show(draw(), stem, alt=alt, description=description, phone=draw(width=PHONE_WIDTH_IN))
