"""Helpers for the Karabakh research kit.

The package is laid out by role:

``helpers.data``
    loading and checking the dataset (:func:`load`, schemas, checks, exports,
    boundary downloads);
``helpers.views``
    what a notebook shows: charts, maps, timeline, narrative, the annotated reading,
    and how rows are cited (``provenance``);
``helpers.sources``
    adding a source: register its text, suggest rows, accept them, check;
``helpers.report``
    the report build (``python -m helpers.report``, what ``make report`` runs).

A researcher's imports stay short: ``helpers.load()``, ``from helpers import charts``.
``import helpers`` is cheap: the heavy modules (pandas, geopandas, pandera) load
on first use, so command-line tools such as the report build start instantly.

>>> import helpers
>>> ds = helpers.load()
>>> sorted(ds.claims["bound"].dropna().unique())
['approximately', 'at_least', 'exact', 'more_than', 'up_to']
>>> from helpers import charts
>>> charts.__name__
'helpers.views.charts'
"""

from __future__ import annotations

import importlib

from .errors import DataError, Problem

__all__ = ["DataError", "Problem", "load", "Dataset"]

# Short names for the modules a notebook uses, resolved on first use.
_MODULES = {
    "charts": "helpers.views.charts",
    "maps": "helpers.views.maps",
    "timeline": "helpers.views.timeline",
    "narrative": "helpers.views.narrative",
    "reading": "helpers.views.reading",
    "comparison": "helpers.views.comparison",
    "figures": "helpers.views.figures",
    "tables": "helpers.views.tables",
    "offline": "helpers.views.offline",
    "dataset": "helpers.data.dataset",
    "provenance": "helpers.views.provenance",
    "export": "helpers.data.export",
    "geodata": "helpers.data.geodata",
    "schema": "helpers.data.schema",
    "paths": "helpers.paths",
}


def __getattr__(name: str):
    # Lazy: `helpers.load` imports pandas and pandera only when first asked for.
    if name in {"load", "Dataset", "fingerprint"}:
        from .data import dataset

        return getattr(dataset, name)
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, *_MODULES])
