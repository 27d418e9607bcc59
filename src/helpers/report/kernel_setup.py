"""Code the report build runs inside each notebook's kernel, before and after its cells.

:func:`install` (the build's hidden first cell) records which data files the
notebook reads and gives matplotlib figures alt text; :func:`finish` (the hidden
last cell) prints them as JSON for the build's cache (:mod:`.cache`).

What counts as read:

* the tables read from the dataset: :func:`install` makes ``helpers.load()``
  return a :class:`RecordedDataset`, which notes each table read through it
  (``ds.claims``, ``ds.text(...)``), as their CSV files; ``datapackage.json``
  once the data was loaded; ``texts`` stands for the stored source texts
  (``sources/``). A table of an as-of view (``ds.as_of(date)``) counts as that
  table plus the tables ``as_of`` consults to decide what any table keeps
  (:data:`AS_OF_INPUTS`), not as every table;
* files opened and folders listed below the data folder outside
  :func:`helpers.data.dataset.load`, seen by an audit hook (:pep:`578`): geodata
  read with Python, folders globbed. The loader reads and validates every table
  on every load; those reads are not uses. A load that did not go through
  ``helpers.load()`` (so nothing notes its tables) counts as reading every table.

>>> sorted(table_files({"claims", "texts"}, {"resources": [{"name": "claims",
...     "path": "claims.csv"}]}))
['claims.csv', 'sources/']
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

from .. import paths
from ..images import alt_of

_AUDITED = {"open", "os.listdir", "os.scandir"}
#: The tables :meth:`~helpers.data.dataset.Dataset.as_of` reads to decide what every
#: table of an as-of view keeps: which sources and references were known, which
#: events had happened (from their reports), and which actors and places an id may
#: still point at. tests/test_build.py checks that changing any other table changes
#: no other table's as-of view.
AS_OF_INPUTS = frozenset({"sources", "references", "events", "event_reports", "actors", "places"})
#: Dataset fields that are not tables.
_NOT_TABLES = frozenset({"path", "package", "as_of_date"})


class _Reads:
    """What a notebook read: tables, and files and folders below the data folder."""

    def __init__(self, data_dir: str):
        self.roots = {os.path.abspath(data_dir), os.path.realpath(data_dir)}
        # The build's pickle of the loaded data (helpers.paths): the loader opening it
        # stands for the loader reading the data files.
        preloaded = os.environ.get(paths.PRELOADED_DATASET_ENV)
        self.preloaded = os.path.abspath(preloaded) if preloaded else None
        self.paths: set[str] = set()  # relative paths
        self.tables: set[str] = set()
        self.loaded = False  # the loader ran at least once
        self.recording = 0  # inside helpers.load(): its dataset's tables are recorded
        self.unrecorded_load = False  # the loader ran other than through helpers.load()

    def hook(self, event: str, args: tuple) -> None:
        if event not in _AUDITED:
            return
        path = _as_path(args[0] if args else None, listing=event != "open")
        if path is None:
            return
        if path == self.preloaded:
            if _inside_load():
                self._loaded()
            return
        for root in self.roots:
            if path == root or path.startswith(root + os.sep):
                self._add(os.path.relpath(path, root).replace(os.sep, "/"), event != "open")

    def _loaded(self) -> None:
        self.loaded = True
        self.unrecorded_load |= not self.recording

    def _add(self, rel: str, listing: bool) -> None:
        if _inside_load():
            self._loaded()
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


class RecordedDataset:
    """A :class:`~helpers.data.dataset.Dataset` that notes, in ``tables``, each table read.

    Everything else is the dataset's own. An as-of view of it is recorded too:
    reading one of its tables notes that table and :data:`AS_OF_INPUTS`.

    >>> from helpers.data.dataset import load
    >>> tables = set()
    >>> ds = RecordedDataset(load(), tables)
    >>> quotes, text = ds.quotes, ds.text("aa-2021-01-11")
    >>> sorted(tables)
    ['quotes', 'texts']
    >>> view = ds.as_of("2021-01-11")  # as_of reads every table: none is noted
    >>> sorted(tables)
    ['quotes', 'texts']
    >>> claims = view.claims
    >>> sorted(tables) == sorted({"claims", "quotes", "texts", *AS_OF_INPUTS})
    True
    """

    def __init__(self, dataset, tables: set[str], *, view: bool = False):
        self._dataset = dataset
        self._tables = tables
        self._view = view
        self._names = {f.name for f in dataclasses.fields(dataset)} - _NOT_TABLES

    def _note(self, name: str) -> None:
        self._tables.add(name)
        if self._view:
            self._tables.update(AS_OF_INPUTS)

    def __getattr__(self, name: str):
        if name.startswith("_"):  # not set yet (copy, pickle): never the dataset's
            raise AttributeError(name)
        if name in self._names:
            self._note(name)
        return getattr(self._dataset, name)

    def text(self, source_id: str) -> str:
        self._note("texts")
        return self._dataset.text(source_id)

    def as_of(self, when):
        view = self._dataset.as_of(when)
        return RecordedDataset(view, self._tables, view=self._view or when is not None)

    def __repr__(self) -> str:
        return repr(self._dataset)

    def __dir__(self) -> list[str]:
        return dir(self._dataset)


_STATE: dict[str, _Reads] = {}


def install(data_dir: str) -> None:
    """Start recording reads below ``data_dir``; give displayed figures alt text."""
    import helpers

    reads = _Reads(data_dir)
    _STATE["reads"] = reads
    sys.addaudithook(reads.hook)  # audit hooks cannot be removed: the kernel is single-use
    helpers.load = _recording_load(reads)
    ip = _ipython()
    if ip is not None:
        _add_alt_text(ip)


def _recording_load(reads: _Reads):
    def load(path=None):
        """``helpers.load()``, noting which tables the notebook reads (the report build)."""
        from ..data.dataset import load

        reads.recording += 1
        try:
            return RecordedDataset(load(path), reads.tables)
        finally:
            reads.recording -= 1

    return load


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
    if reads.loaded or reads.tables:
        root = Path(next(iter(sorted(reads.roots))))
        package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        tables = set(reads.tables)
        if reads.unrecorded_load:
            loaded = {r.get("name") for r in package.get("resources", []) if r.get("schema")}
            tables |= loaded | {"texts"}
        found |= table_files(tables, package) | {"datapackage.json"}
    return sorted(found)


def finish() -> None:
    """Print :func:`read_files` as one JSON line (the build reads the last line)."""
    print(json.dumps(read_files()))
