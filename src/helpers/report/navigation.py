"""The nbconvert preprocessor that gives each report page its navigation (see :mod:`.pages`).

Named in ``templates/kit_report/conf.json``, so nbconvert runs it on every export.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import Preprocessor

from .pages import contents, number_of, siblings, where_contents_go


class ReportNavigation(Preprocessor):
    """Adds ``resources["kit_nav"]``: contents, position, previous and next notebook."""

    def preprocess(self, nb, resources):
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
