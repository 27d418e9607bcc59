"""Label placement for the static map: no label overlaps another, a marker or the frame.

A :class:`Placer` works in display pixels. Markers are registered first; each label
then tries a list of positions and keeps the first whose box is inside the axes'
frame and clear of everything placed before it. What it placed (and what it could
not) is kept, so a test can check the result as a reader would.
"""

from __future__ import annotations

import matplotlib.patheffects as pe
from matplotlib.transforms import Bbox

#: Offsets (points) beside a point, nearest first; then further out, with a leader line.
NEAR = [(7, 3), (7, -11), (-7, 3), (-7, -11), (0, 9), (0, -17), (11, -4), (-11, -4)]
FAR = [(dx * 3, dy * 2.2) for dx, dy in NEAR[:4]] + [(0, 26), (0, -34), (34, 12), (-34, 12)]
#: Further still, for a label that fits nowhere nearer (its leader line says whose it is).
FARTHER = [(dx * 1.7, dy * 1.7) for dx, dy in FAR]
#: The smallest label text, in points: 11 px on the report page (helpers.figures).
MIN_POINTS = 7.5
HALO = [pe.withStroke(linewidth=2.6, foreground="white")]
#: Clear space (pixels, at the figure's own resolution) kept round every label's box.
MARGIN = 2.5


def _gap(a: Bbox, b: Bbox) -> float:
    """The shortest distance between two boxes (0 where they touch or overlap)."""
    dx = max(a.x0 - b.x1, b.x0 - a.x1, 0)
    dy = max(a.y0 - b.y1, b.y0 - a.y1, 0)
    return (dx * dx + dy * dy) ** 0.5


def text_renderer(fig):
    """A renderer that measures text as the saved PNG draws it, without drawing anything."""
    from matplotlib.backends.backend_agg import RendererAgg

    width, height = fig.bbox.size
    return RendererAgg(width, height, fig.dpi)


class Placer:
    """Places labels on one axes without collisions (see the module docstring)."""

    def __init__(self, ax, margin: float = 2.0):
        ax.apply_aspect()  # boxes are measured on screen: fix the axes' shape first
        self.ax = ax
        self.renderer = text_renderer(ax.figure)
        self.frame = ax.get_window_extent(self.renderer).padded(-margin)
        self.markers: list[Bbox] = []
        self.areas: list[Bbox] = []
        self.labels: list[tuple[str, Bbox]] = []
        self.unplaced: list[str] = []
        #: Lines (data coordinates) an area's name must not cross: the former oblast's
        #: thick outline through a name reads as crossing it out.
        self.lines: list = []
        #: Where each centred (area) label was placed, in data coordinates.
        self.anchors: dict[str, tuple[float, float]] = {}

    def marker(self, x: float, y: float, radius: float = 5.0) -> None:
        """Reserve a marker's box (``radius`` in pixels) at data point (x, y)."""
        px, py = self.ax.transData.transform((x, y))
        self.markers.append(Bbox.from_extents(px - radius, py - radius, px + radius, py + radius))

    def block(self, west: float, south: float, east: float, north: float) -> None:
        """Keep every label off a data-space box (a small area a label must not cover)."""
        (x0, y0), (x1, y1) = self.ax.transData.transform([(west, south), (east, north)])
        self.areas.append(Bbox.from_extents(x0, y0, x1, y1))

    def avoid_lines(self, geometry) -> None:
        """Keep area names off ``geometry``'s lines (data coordinates)."""
        self.lines.append(geometry)

    def _crosses_lines(self, box: Bbox) -> bool:
        if not self.lines:
            return False
        from shapely.geometry import box as shape_box

        (x0, y0), (x1, y1) = self.ax.transData.inverted().transform(box.get_points())
        area = shape_box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        return any(line.intersects(area) for line in self.lines)

    def _nearest_is_own(self, box: Bbox, xy) -> bool:
        """The label is nearer its own marker (the one at ``xy``) than any other, or a
        reader would take it for that other place's name."""
        px, py = self.ax.transData.transform(xy)
        own = [m for m in self.markers if m.x0 <= px <= m.x1 and m.y0 <= py <= m.y1]
        if not own:
            return True
        mine = _gap(box, own[0])
        return all(_gap(box, m) + 0.5 > mine for m in self.markers if m is not own[0])

    def _fits(self, box: Bbox) -> bool:
        inside = (
            box.x0 >= self.frame.x0
            and box.y0 >= self.frame.y0
            and box.x1 <= self.frame.x1
            and box.y1 <= self.frame.y1
        )
        taken = self.markers + self.areas + [b for _, b in self.labels]
        return inside and not any(box.overlaps(other) for other in taken)

    def _try(self, make, text: str, check=None, text_only: bool = False) -> bool:
        from matplotlib.text import Text

        artist = make()
        # A clear margin (pixels) round each label: halos that touch read as overprinting.
        # (An annotation's own extent includes its leader line; ``text_only``: not.)
        if text_only:
            artist.update_positions(self.renderer)  # an annotation's text is placed when drawn
        extent = Text.get_window_extent if text_only else type(artist).get_window_extent
        box = extent(artist, self.renderer).padded(MARGIN)
        if self._fits(box) and (check is None or check(box)):
            self.labels.append((text, box))
            return True
        artist.remove()
        return False

    def point_label(self, text: str, xy, style: dict, required: bool = True) -> bool:
        """A label beside a point: near positions, then further out with a leader line."""
        base = style.get("fontsize", MIN_POINTS)
        # One step smaller where a label does not fit, never below MIN_POINTS.
        # Each position must leave the label nearer its own marker than any other; as a
        # last resort, a far position whose leader line says which marker it names.
        tries = [
            (size, nearest, spot)
            for nearest in (True, False)
            for size in dict.fromkeys((base, max(MIN_POINTS, base - 1)))
            for spot in (NEAR + FAR if nearest else FAR + FARTHER)
        ]
        for size, nearest, (dx, dy) in tries:
            kwargs = {**style, "fontsize": size}
            if True:
                ha = "left" if dx > 0 else "right" if dx < 0 else "center"
                leader = (dx, dy) not in NEAR

                def make(dx=dx, dy=dy, ha=ha, leader=leader, kwargs=kwargs):
                    extra = (
                        {
                            "arrowprops": {
                                "arrowstyle": "-",
                                "color": "0.3",
                                "linewidth": 0.6,
                                "shrinkA": 0,
                                "shrinkB": 4,
                            }
                        }
                        if leader
                        else {}
                    )
                    return self.ax.annotate(
                        text,
                        xy,
                        xytext=(dx, dy),
                        textcoords="offset points",
                        ha=ha,
                        va="bottom",
                        zorder=8,
                        path_effects=HALO,
                        **kwargs,
                        **extra,
                    )

                check = (lambda box: self._nearest_is_own(box, xy)) if nearest else None
                if self._try(make, text, check):
                    return True
        if required:
            self.unplaced.append(text)
        return False

    def area_label(
        self,
        text: str,
        spots,
        style: dict,
        required: bool = False,
        lines: bool = False,
        leader=None,
    ) -> bool:
        """A centred label at the first of ``spots`` (data points) where it fits; with
        ``lines``, also clear of the lines to avoid (:meth:`avoid_lines`); with ``leader``
        (a function of the spot giving a data point), a thin line from the label to it."""
        for x, y in spots:

            def make(x=x, y=y):
                if leader is not None:
                    return self.ax.annotate(
                        text,
                        leader(x, y),
                        xytext=(x, y),
                        ha="center",
                        va="center",
                        zorder=7,
                        path_effects=HALO,
                        arrowprops={
                            "arrowstyle": "-",
                            "color": "0.2",
                            "linewidth": 0.8,
                            "shrinkA": 2,
                            "shrinkB": 0,
                        },
                        **style,
                    )
                return self.ax.text(
                    x, y, text, ha="center", va="center", zorder=7, path_effects=HALO, **style
                )

            check = (lambda box: not self._crosses_lines(box)) if lines else None
            if self._try(make, text, check, text_only=leader is not None):
                self.anchors[text] = (float(x), float(y))
                return True
        if required:
            self.unplaced.append(text)
        return False

    def report(self) -> dict:
        """What was placed, as boxes in pixels, for tests and for the figure's record."""
        return {
            "axes": self.ax,
            "frame": self.frame,
            "markers": list(self.markers),
            "labels": list(self.labels),
            "unplaced": list(self.unplaced),
            "anchors": dict(self.anchors),
        }
