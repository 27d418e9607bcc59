"""Code the report build runs inside each notebook's kernel, before and after its cells.

:func:`install` (the build's hidden first cell) records which data files the
notebook reads and gives matplotlib figures alt text; :func:`finish` (the hidden
last cell) prints them as JSON for the build's cache (:mod:`.cache`).

What counts as read:

* the tables read through a :class:`~helpers.data.dataset.Dataset` (its
  ``TABLES_READ``), as their CSV files, and ``datapackage.json`` once the data was
  loaded; ``texts`` stands for the stored source texts (``sources/``);
* files opened and folders listed below the data folder outside
  :func:`helpers.data.dataset.load`, seen by an audit hook (:pep:`578`): geodata
  read with Python, folders globbed. The loader reads and validates every table
  on every load; those reads are not uses.

>>> sorted(table_files({"claims", "texts"}, {"resources": [{"name": "claims",
...     "path": "claims.csv"}]}))
['claims.csv', 'sources/']
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

_AUDITED = {"open", "os.listdir", "os.scandir"}


class _Reads:
    """Files and folders below the data folder that a notebook opened (relative paths)."""

    def __init__(self, data_dir: str):
        self.roots = {os.path.abspath(data_dir), os.path.realpath(data_dir)}
        self.paths: set[str] = set()
        self.loaded = False  # the loader ran at least once

    def hook(self, event: str, args: tuple) -> None:
        if event not in _AUDITED:
            return
        path = _as_path(args[0] if args else None, listing=event != "open")
        if path is None:
            return
        for root in self.roots:
            if path == root or path.startswith(root + os.sep):
                self._add(os.path.relpath(path, root).replace(os.sep, "/"), event != "open")

    def _add(self, rel: str, listing: bool) -> None:
        if _inside_load():
            self.loaded = True
            return
        if listing:  # a listed folder counts whole: "geo/", or "/" for the data folder
            self.paths.add("/" if rel == "." else rel + "/")
        else:
            self.paths.add(rel)


def _as_path(raw: object, listing: bool) -> str | None:
    if raw is None and listing:
        raw = "."  # os.listdir() lists the working folder
    if isinstance(raw, int) or raw is None:
        return None  # a file descriptor: the open that made it was seen already
    try:
        return os.path.abspath(os.fsdecode(raw))
    except TypeError:
        return None


def _inside_load() -> bool:
    """Whether :func:`helpers.data.dataset.load` is on the call stack."""
    dataset = sys.modules.get("helpers.data.dataset")
    if dataset is None:
        return False
    code = dataset.load.__code__
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is code:
            return True
        frame = frame.f_back
    return False


_STATE: dict[str, _Reads] = {}


def install(data_dir: str) -> None:
    """Start recording reads below ``data_dir``; give displayed figures alt text."""
    reads = _Reads(data_dir)
    _STATE["reads"] = reads
    sys.addaudithook(reads.hook)  # audit hooks cannot be removed: the kernel is single-use
    ip = _ipython()
    if ip is not None:
        _add_alt_text(ip)


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _add_alt_text(ip) -> None:
    """Images of matplotlib figures shown without :func:`helpers.figures.show` get alt text."""
    fmt = ip.display_formatter.format

    def format_with_alt(obj, include=None, exclude=None):
        data, md = fmt(obj, include=include, exclude=exclude)
        if type(obj).__module__.startswith("matplotlib") and hasattr(obj, "get_label"):
            from ..images import alt_of

            alt = alt_of(obj)
            for mime in ("image/png", "image/jpeg", "image/svg+xml"):
                if alt and mime in data:
                    md.setdefault(mime, {}).setdefault("alt", alt)
        return data, md

    ip.display_formatter.format = format_with_alt


def table_files(tables: set[str], package: dict) -> set[str]:
    """The data files behind table names (``texts``: the ``sources/`` folder)."""
    paths = {r.get("name"): r.get("path") for r in package.get("resources", [])}
    found = {paths[t] for t in tables if paths.get(t)}
    return found | ({"sources/"} if "texts" in tables else set())


def read_files() -> list[str]:
    """Every data file the notebook has used so far (relative to the data folder)."""
    reads = _STATE["reads"]
    found = set(reads.paths)
    dataset = sys.modules.get("helpers.data.dataset")
    if dataset is not None and (reads.loaded or dataset.TABLES_READ):
        root = Path(next(iter(sorted(reads.roots))))
        package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        found |= table_files(set(dataset.TABLES_READ), package) | {"datapackage.json"}
    return sorted(found)


def finish() -> None:
    """Print :func:`read_files` as one JSON line (the build reads the last line)."""
    print(json.dumps(read_files()))
