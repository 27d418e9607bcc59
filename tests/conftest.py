"""Shared test fixtures: copies of the dataset that tests may change freely.

Tests never modify ``data/``: they copy it to a temporary folder and edit the copy.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from helpers import paths


def copy_data(destination: Path) -> Path:
    """Copy the kit's data folder to ``destination`` (created) and return it."""
    shutil.copytree(paths.DATA_DIR, destination)
    return destination


def append_rows(data_dir: Path, table: str, rows: list[dict]) -> None:
    """Append rows to ``<data_dir>/<table>.csv``; missing columns are left empty."""
    path = Path(data_dir) / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    unknown = {key for row in rows for key in row} - set(header)
    if unknown:
        raise KeyError(f"{path.name} has no column(s) {sorted(unknown)}")
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writerows(rows)


def edit_cell(data_dir: Path, table: str, key: str, column: str, value: str) -> None:
    """Set one cell of ``<table>.csv``: the row whose first column equals ``key``."""
    path = Path(data_dir) / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    header = records[0]
    hits = [r for r in records[1:] if r and r[0] == key]
    if not hits:
        raise KeyError(f"{path.name} has no row {key!r}")
    hits[0][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of ``data/`` for one test."""
    return copy_data(tmp_path / "data")
