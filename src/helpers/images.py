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
