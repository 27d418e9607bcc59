"""The report build loads and validates the data once and hands it to every kernel.

The oracle is a plain ``load()`` of the same files (and, end to end, the CSV read
with the standard library): the dataset a kernel gets from the build must be the
one the files give, and anything that stops the build's copy from being used
falls back to reading the files.
"""

from __future__ import annotations

import csv
import os
import pickle
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import copy_data
from helpers import paths
from helpers.data import dataset as dataset_module
from helpers.data.dataset import load
from helpers.data.schema import TABLES
from helpers.errors import DataError
from helpers.report import build as B


@pytest.fixture(autouse=True)
def _no_kit_env(monkeypatch):
    for name in [n for n in os.environ if n.startswith("KIT_")]:
        monkeypatch.delenv(name)


def assert_same_dataset(got, expected) -> None:
    for table in TABLES:
        a, b = getattr(got, table), getattr(expected, table)
        if "geometry" in b:
            assert a.geometry.to_wkt().tolist() == b.geometry.to_wkt().tolist(), table
            a, b = (
                pd.DataFrame(a.drop(columns="geometry")),
                pd.DataFrame(b.drop(columns="geometry")),
            )
        pd.testing.assert_frame_equal(a, b, obj=table)
    assert got.texts == expected.texts
    assert got.package == expected.package


def break_claims(data: Path) -> None:
    claims = data / "claims.csv"
    text = claims.read_text(encoding="utf-8").replace("at_least", "at_leest", 1)
    assert "at_leest" in text
    claims.write_text(text, encoding="utf-8")


def test_the_kernels_get_the_dataset_the_files_give(tmp_path):
    data = copy_data(tmp_path / "data")
    pickled = B.preload_dataset(B.BuildConfig(data_dir=data), tmp_path)
    with open(pickled, "rb") as f:
        assert_same_dataset(pickle.load(f), load(data))


def test_given_the_pickle_load_does_not_read_the_files_again(tmp_path, monkeypatch):
    data = copy_data(tmp_path / "data")
    pickled = B.preload_dataset(B.BuildConfig(data_dir=data), tmp_path)
    expected = load(data)
    break_claims(data)  # after the build validated it: a kernel no longer reads it
    monkeypatch.setenv("KIT_DATA_DIR", str(data))
    monkeypatch.setenv(paths.PRELOADED_DATASET_ENV, pickled)
    assert_same_dataset(load(), expected)
    other = copy_data(tmp_path / "other")
    break_claims(other)
    with pytest.raises(DataError, match="claims.csv"):  # another folder: read from its files
        load(other)


def test_an_unreadable_pickle_falls_back_to_the_files(tmp_path, monkeypatch):
    data = copy_data(tmp_path / "data")
    garbage = tmp_path / "dataset.pickle"
    garbage.write_bytes(b"not a pickle")
    monkeypatch.setenv("KIT_DATA_DIR", str(data))
    monkeypatch.setenv(paths.PRELOADED_DATASET_ENV, str(garbage))
    assert_same_dataset(load(), load(data))
    break_claims(data)
    with pytest.raises(DataError, match="claims.csv"):
        load()


def test_data_that_does_not_load_is_not_preloaded(tmp_path):
    data = copy_data(tmp_path / "data")
    break_claims(data)
    assert B.preload_dataset(B.BuildConfig(data_dir=data), tmp_path / "out") == ""
    assert not (tmp_path / "out").exists()
    assert B.preload_dataset(B.BuildConfig(data_dir=tmp_path), tmp_path) == ""  # no package


def claim_statements(data: Path) -> list[str]:
    with open(data / "claims.csv", encoding="utf-8", newline="") as handle:
        return [row["statement"] for row in csv.DictReader(handle)]


def test_loading_the_same_files_again_validates_them_once(tmp_path, monkeypatch):
    """A notebook's second ``load()`` (the names its tables show, the map's own check)
    is a copy of the first: not read and validated again, and not shared."""
    data = copy_data(tmp_path / "data")
    first = load(data)
    assert first.claims["statement"].tolist() == claim_statements(data)
    monkeypatch.setattr(dataset_module, "_read_tables", lambda *_: pytest.fail("read again"))
    again = load(data)
    assert_same_dataset(again, first)
    again.claims.loc[0, "statement"] = "changed by a notebook"
    again.package["resources"].clear()
    assert load(data).claims["statement"].tolist() == claim_statements(data)
    assert load(data).package == first.package


def test_changed_files_are_validated_again_even_at_the_same_size_and_time(tmp_path):
    data = copy_data(tmp_path / "data")
    load(data)
    claims = data / "claims.csv"
    before = claims.stat()
    break_claims(data)  # one word misspelt, as long as the right one
    os.utime(claims, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (claims.stat().st_size, claims.stat().st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )
    with pytest.raises(DataError, match="claims.csv"):
        load(data)


NOTEBOOK_CODE = (
    "import sys, helpers\n"
    "ds = helpers.load()\n"
    "print('claims', len(ds.claims), 'validated here', 'pandera' in sys.modules)"
)


@pytest.mark.slow
def test_a_build_of_several_notebooks_validates_the_data_once(tmp_path):
    import json

    data = copy_data(tmp_path / "data")
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    for name in ("00-a", "01-b"):
        cell = {"cell_type": "code", "metadata": {}, "source": NOTEBOOK_CODE}
        cell.update(outputs=[], execution_count=None)
        nb = {"nbformat": 4, "nbformat_minor": 4, "cells": [cell], "metadata": {}}
        (nbs / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    cfg = B.BuildConfig(
        notebooks_dir=nbs,
        reports_dir=tmp_path / "reports",
        cache_dir=tmp_path / "cache",
        data_dir=data,
        jobs=2,
    )
    with open(data / "claims.csv", encoding="utf-8", newline="") as f:
        claims = sum(1 for _ in csv.DictReader(f))
    assert B.build(cfg, out=sys.stderr) == 0
    for name in ("00-a", "01-b"):
        page = (cfg.out_dir / f"{name}.html").read_text(encoding="utf-8")
        assert f"claims {claims} validated here False" in page
