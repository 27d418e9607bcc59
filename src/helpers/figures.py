"""Save and show figures the same way in every notebook.

:func:`show` writes the figure as PNG and SVG into the build's figures folder
and displays the PNG with its alt text in the output metadata
(``metadata["image/png"]["alt"]``), where the report template picks it up.
"""

from __future__ import annotations

import io
from pathlib import Path

from . import paths


def save(fig, stem: str, folder: Path | None = None) -> dict[str, Path]:
    """Write ``fig`` as ``<stem>.png`` and ``<stem>.svg``; return the paths.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt, tempfile
    >>> fig, ax = plt.subplots()
    >>> out = save(fig, "demo", Path(tempfile.mkdtemp()))
    >>> sorted(p.suffix for p in out.values())
    ['.png', '.svg']
    >>> "<text" in out["svg"].read_text()  # text stays text
    True
    """
    import matplotlib

    folder = Path(folder) if folder is not None else paths.figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for ext in ("png", "svg"):
        path = folder / f"{stem}.{ext}"
        # svg.fonttype "none" keeps text as text in the SVG (searchable, editable);
        # matplotlib would otherwise draw each glyph as a path. The PNG is for reports.
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            fig.savefig(
                path,
                dpi=150 if ext == "png" else None,
                bbox_inches="tight",
                metadata={"Title": alt_of(fig)} if ext == "svg" else None,
            )
        written[ext] = path
    return written


def alt_of(fig) -> str:
    """The figure's alt text: its ``alt`` attribute if set, else its titles."""
    alt = getattr(fig, "kit_alt", None)
    if alt:
        return alt
    titles = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) else []
    titles += [ax.get_title() for ax in fig.axes if ax.get_title()]
    return "; ".join(titles) or "Figure"


def show(fig, stem: str, alt: str) -> dict[str, Path]:
    """Save ``fig`` (PNG + SVG), display it with ``alt`` text, and close it.

    ``alt`` says what the figure shows (its finding), for readers who cannot
    see it.
    """
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    fig.kit_alt = alt
    written = save(fig, stem)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)  # otherwise the inline backend displays it a second time
    display(Image(buffer.getvalue(), format="png"), metadata={"image/png": {"alt": alt}})
    return written
