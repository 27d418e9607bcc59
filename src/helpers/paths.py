"""Every path the kit uses, in one place.

Notebooks and helpers never build ``../data/...`` strings; they ask this module.
Two environment variables let a build or a test point the kit elsewhere without
touching code:

``KIT_DATA_DIR``
    a copy of the data folder to load instead of ``data/`` (tests, what-if copies).
``KIT_OUTPUT_DIR``
    where notebooks write figures and other outputs (the report build sets it, so
    an ``as_of`` build never overwrites the current reports).
``KIT_PRELOADED_DATASET``
    set by the report build for its kernels only: a pickle of the dataset of
    ``KIT_DATA_DIR``, loaded and validated once by the build, which
    ``helpers.load()`` returns instead of reading and validating the files again
    in every kernel (about 0.8 s of CPU each).

A kernel of the report build speaks to the build's output, not the page, by writing
lines that start with :data:`BUILD_NOTE` to its process's standard error.

>>> sorted(p.name for p in (ROOT / "data").glob("sources.csv"))
['sources.csv']
>>> data_dir({"KIT_DATA_DIR": "/tmp/what-if"})
PosixPath('/tmp/what-if')
>>> data_dir({}) == DATA_DIR
True
"""

from __future__ import annotations

import os
from pathlib import Path


def find_root(package_file: Path, cwd: Path) -> Path:
    """The checkout holding ``data/`` and ``notebooks/``.

    Installed editable (``make setup``), the package lives in the checkout's ``src/``; installed
    from a wheel, it lives in site-packages, and the checkout is the working directory or its
    nearest parent holding ``data/datapackage.json`` (the working directory if none does).

    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> (tmp / "data").mkdir(); (tmp / "data" / "datapackage.json").write_text("{}")
    2
    >>> find_root(Path("/venv/lib/site-packages/helpers/paths.py"), tmp / "notebooks") == tmp
    True
    """
    source_tree = package_file.resolve().parents[2]
    for folder in (source_tree, cwd, *cwd.parents):
        if (folder / "data" / "datapackage.json").is_file():
            return folder
    return cwd


#: The repository root (the folder holding ``data/``, ``notebooks/`` and ``src/``).
ROOT = find_root(Path(__file__), Path.cwd().resolve())
PRELOADED_DATASET_ENV = "KIT_PRELOADED_DATASET"
#: How a kernel's line for the build's output begins (the build repeats it without this).
BUILD_NOTE = "kit-build-note: "
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
CACHE_DIR = ROOT / ".cache"
GEO_DIR = DATA_DIR / "geo"


def data_dir(environ=None) -> Path:
    """The data folder in use: ``$KIT_DATA_DIR`` if set, else the kit's ``data/``.

    ``environ`` defaults to the process environment (given explicitly in examples and tests).
    """
    environ = os.environ if environ is None else environ
    return Path(environ.get("KIT_DATA_DIR") or DATA_DIR)


def geo_dir() -> Path:
    """The geodata folder of the data in use (``geo/`` inside :func:`data_dir`)."""
    return data_dir() / "geo"


def output_dir() -> Path:
    """Where notebooks write outputs: ``$KIT_OUTPUT_DIR`` if set, else ``reports/``."""
    return Path(os.environ.get("KIT_OUTPUT_DIR") or REPORTS_DIR)


def figures_dir() -> Path:
    """The folder for saved figures (created on demand), inside :func:`output_dir`."""
    path = output_dir() / "figures"
    path.mkdir(parents=True, exist_ok=True)
    return path
