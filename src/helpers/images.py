"""Figure images and their alt text: what the views and the report build both use.

:func:`scaled_png` makes the smaller PNG a notebook displays (and the index's
thumbnails); :func:`alt_of` is the one alt-text rule for figures. Both live below
``views`` and ``report`` so that neither imports the other.
"""

from __future__ import annotations

import io

#: Resolution of the PNG shown in the notebook and embedded in the HTML report.
DISPLAY_DPI = 110


def scaled_png(png: bytes, size: tuple[int, int], dpi: float = DISPLAY_DPI) -> bytes:
    """``png`` resampled to ``size`` pixels (Lanczos), as a compact PNG.

    Resampling blends every edge into in-between colours, which PNG compresses
    badly (about twice the bytes of a direct render at the smaller size). An
    opaque image is therefore stored with a 256-colour palette: exact for the
    many figures with fewer colours (grayscale ones), within a few levels per
    channel otherwise, and smaller than a direct render.

    >>> from PIL import Image
    >>> big = io.BytesIO()
    >>> Image.new("RGBA", (300, 150), "white").save(big, "png")
    >>> small = Image.open(io.BytesIO(scaled_png(big.getvalue(), (220, 110))))
    >>> small.size, small.mode
    ((220, 110), 'P')
    """
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # fully opaque: the alpha channel only costs bytes
    image = image.resize(size, Image.Resampling.LANCZOS)
    if image.mode == "RGB":
        image = image.quantize(256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="png", dpi=(dpi, dpi))
    return out.getvalue()


def alt_of(fig) -> str:
    """The figure's alt text, the one rule used everywhere (reports, SVG titles).

    In order: the ``alt`` given to :func:`show` (``fig.kit_alt``), the figure's
    label, its titles, then its axis labels; ``""`` when it has none of these (the
    report build counts such images and warns).

    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> ax = fig.add_subplot()
    >>> alt_of(fig)
    ''
    >>> _ = ax.set_xlabel("date"), ax.set_ylabel("claimed deaths")
    >>> alt_of(fig)
    'Chart: claimed deaths against date'
    >>> _ = ax.set_title("Claims by side")
    >>> alt_of(fig)
    'Claims by side'
    """
    alt = getattr(fig, "kit_alt", None) or fig.get_label()
    if alt:
        return alt
    titles = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) else []
    titles += [ax.get_title() for ax in fig.axes if ax.get_title()]
    if titles:
        return "; ".join(titles)
    labels = [
        f"{ax.get_ylabel()} against {ax.get_xlabel()}"
        for ax in fig.axes
        if ax.get_xlabel() or ax.get_ylabel()
    ]
    return "Chart: " + "; ".join(labels) if labels else ""


#: Size of an index thumbnail, in pixels: a crop of the figure at its own scale, so
#: its text stays as legible as on the report page (a whole figure shrunk is not).
THUMBNAIL_SIZE = (320, 200)


def thumbnail_png(
    png: bytes, size: tuple[int, int] = THUMBNAIL_SIZE, centre: tuple[float, float] = (0.5, 0.5)
) -> bytes:
    """A ``size`` crop of ``png`` around ``centre``, unscaled (so its text stays legible).

    ``centre`` is where the figure's key marks are, as fractions of its width and
    height from the top left (a figure says so with ``fig.kit_thumbnail``; the
    middle by default, not the top-left title, which a crop would cut mid-word).
    The crop stays inside the image; a figure smaller than ``size`` is kept whole.

    >>> from PIL import Image
    >>> big = io.BytesIO()
    >>> Image.new("RGB", (900, 500), "white").save(big, "png")
    >>> Image.open(io.BytesIO(thumbnail_png(big.getvalue()))).size
    (320, 200)
    >>> crop_box((900, 500), (320, 200), (1.0, 0.0))  # the top right corner, inside
    (580, 0, 900, 200)
    >>> crop_box((900, 500), (320, 200), (0.5, 0.5))
    (290, 150, 610, 350)
    """
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    out = io.BytesIO()
    image.crop(crop_box(image.size, size, centre)).save(out, format="png", optimize=True)
    return out.getvalue()


def crop_box(
    image: tuple[int, int], size: tuple[int, int], centre: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The ``size`` box around ``centre`` (fractions of ``image``), moved inside the image."""
    box = []
    for full, want, at in zip(image, size, centre, strict=True):
        want = min(want, full)
        start = min(max(0, round(at * full - want / 2)), full - want)
        box.append((start, start + want))
    (x0, x1), (y0, y1) = box
    return (x0, y0, x1, y1)


def blank_rows(image, darkest: int = 200, lines: int = 8) -> list[bool]:
    """For each row of pixels of ``image`` (PIL): does it cross no text? Light fills and
    grid lines are not ink (nothing darker than ``darkest`` grey levels); thin vertical
    lines are not text either (at most ``lines`` dark pixels in the row).

    >>> from PIL import Image
    >>> im = Image.new("RGB", (40, 3), "white")
    >>> for x in range(30): im.putpixel((x, 1), (0, 0, 0))  # a line of text
    >>> im.putpixel((35, 0), (0, 0, 0)); im.putpixel((2, 2), (230, 230, 230))
    >>> blank_rows(im)
    [True, False, True]
    """
    import numpy as np

    grey = np.asarray(image.convert("L"), dtype=np.int16)
    return [bool(v) for v in (grey <= darkest).sum(axis=1) <= lines]


def strip_thumbnail(
    png: bytes, size: tuple[int, int] = THUMBNAIL_SIZE, centre: float = 0.0, density: int = 2
) -> bytes:
    """A full-width strip of a figure drawn for phones, as the index's thumbnail.

    The phone variant of a figure is laid out for a narrow column with text at least
    11 px, so a strip of it at (nearly) its own scale is legible, and being full
    width it cuts no line of text sideways. The strip is ``size`` CSS pixels
    (``density`` image pixels to each), centred at ``centre`` (a fraction of the
    height from the top), and its top and bottom edges are moved to rows with no ink,
    so no line of text is cut through either.

    >>> from PIL import Image, ImageDraw
    >>> im = Image.new("RGB", (680, 1200), "white")
    >>> for y in range(0, 1200, 40):
    ...     ImageDraw.Draw(im).rectangle((10, y + 10, 600, y + 30), fill="black")
    >>> big = io.BytesIO(); im.save(big, "png")
    >>> thumb = Image.open(io.BytesIO(strip_thumbnail(big.getvalue(), centre=0.5))).convert("RGB")
    >>> thumb.width, all(blank_rows(thumb)[i] for i in (0, -1))
    (640, True)
    """
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    scale = size[0] * density / image.width
    want = min(image.height, round(size[1] * density / scale))
    top = min(max(0, round(centre * image.height - want / 2)), image.height - want)
    blank = blank_rows(image)
    # Move each edge to the nearest row with no ink, keeping the strip about as tall.
    reach = want // 4
    top = _nearest_blank(blank, top, reach)
    bottom = _nearest_blank(blank, min(image.height - 1, top + want), reach)
    strip = image.crop((0, top, image.width, bottom + 1))
    strip = strip.resize((size[0] * density, round(strip.height * scale)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    strip.save(out, format="png", optimize=True, dpi=(DISPLAY_DPI * density,) * 2)
    return out.getvalue()


def _nearest_blank(blank: list[bool], at: int, reach: int, margin: int = 4) -> int:
    """The row nearest ``at`` (within ``reach``) with no ink within ``margin`` rows of
    it (resampling blends neighbouring rows); ``at`` if there is none."""

    def clear(row: int) -> bool:
        return all(blank[max(0, row - margin) : row + margin + 1])

    for step in range(reach + 1):
        for row in (at - step, at + step):
            if 0 <= row < len(blank) and clear(row):
                return row
    return at
