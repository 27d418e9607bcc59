"""The nbconvert preprocessor that gives each report page its navigation (see :mod:`.pages`).

Named in ``templates/kit_report/conf.json``, so nbconvert runs it on every export. It is a
plain callable class, which nbconvert accepts as a preprocessor: subclassing nbconvert's
``Preprocessor`` would import nbformat's validator (and its grammar, about a second and a
half) whenever this module is imported, which doctest collection does on every test run.
"""

from __future__ import annotations

from pathlib import Path

from .pages import contents, number_of, siblings, where_contents_go


class ReportNavigation:
    """Adds ``resources["kit_nav"]``: contents, position, previous and next notebook."""

    def __init__(self, enabled: bool = True, **_config) -> None:
        # nbconvert constructs a template's preprocessors with their conf.json settings.
        self.enabled = enabled

    def __call__(self, nb, resources):
        return add_navigation(nb, resources) if self.enabled else (nb, resources)


def add_navigation(nb, resources):
    """Add ``resources["kit_nav"]``: contents, position, previous and next notebook."""
    meta = resources.get("metadata", {})
    name = meta.get("name", "")
    folder = meta.get("path") or ""
    others = siblings(Path(folder)) if folder else []
    names = [o["name"] for o in others]
    position = names.index(name) if name in names else -1
    resources["kit_nav"] = {
        "contents": contents(nb.cells),
        "number": number_of(name),
        "position": position + 1,
        "count": len(others),
        "previous": others[position - 1] if position > 0 else None,
        "next": others[position + 1] if 0 <= position < len(others) - 1 else None,
    }
    if nb.cells:
        nb.cells[where_contents_go(nb.cells)].metadata["kit_contents_after"] = True
    return nb, resources
