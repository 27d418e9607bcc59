"""Helpers for the Karabakh research kit.

``import helpers`` is cheap: the heavy modules (pandas, geopandas, pandera) load
on first use, so command-line tools such as the report build start instantly.

>>> import helpers
>>> ds = helpers.load()
>>> sorted(ds.claims["bound"].dropna().unique())
['approximately', 'at_least', 'more_than', 'up_to']
"""

from __future__ import annotations

from .errors import DataError, Problem

__all__ = ["DataError", "Problem", "load", "Dataset"]


def __getattr__(name: str):
    # Lazy: `helpers.load` imports pandas and pandera only when first asked for.
    if name in {"load", "Dataset", "fingerprint"}:
        from . import dataset

        return getattr(dataset, name)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
