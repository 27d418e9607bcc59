"""The report build on the kit's own notebooks, end to end: bad data, new data, interrupts.

Every bad-input case of the loader has a unit test of its message
(``tests/test_bad_input.py``); here two of them go through the whole build (the
command ``make report`` runs), on a copy of the data beside a copy of a good
build, to prove the build path: a non-zero exit, the file, row, column and
problem in the output, every previous report byte-identical, no kernel left.
A new claim reruns the notebooks that read claims, and not the map; an edited
column is named in the reason. Every DataFrame a report shows is in the reports'
table style. An interrupted build (Ctrl-C or ``kill``) leaves no half-written report, no
corrupt cache and no kernel running.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
from pathlib import Path

import pytest
from kit_build import (
    Build,
    leftovers,
    new_build,
    processes_mentioning,
    shared_build,
    tree_digest,
    wait_until,
)

from conftest import copy_data
from helpers import paths
from helpers.report import cache
from helpers.report.build import BuildConfig

pytestmark = pytest.mark.slow

FIRST_CLAIM = "az-military-deaths"


def _rows(data: Path, table: str) -> list[list[str]]:
    with (data / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(data: Path, table: str, records: list[list[str]]) -> None:
    with (data / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(records)


def _edit(table: str, key: str, column: str, value: str):
    def change(data: Path) -> None:
        records = _rows(data, table)
        row = next(r for r in records[1:] if r and r[0] == key)
        row[records[0].index(column)] = value
        _write(data, table, records)

    return change


# (id, how to break the copy, what the build's output must say)
CASES = [
    (
        "passage-not-found",
        _edit("claims", FIRST_CLAIM, "passage", "at least 2,803 of its soldiers were martyred"),
        [
            "claims.csv row 2, column passage: not found in the text of aa-2021-01-11",
            "closest: 'at least 2,802 of its soldiers were martyred'",
        ],
    ),
    (
        "unknown-place",
        _edit("events", "war-2020", "place_id", "atlantis"),
        ["events.csv row", "column place_id: unknown place 'atlantis'"],
    ),
]
NOTEBOOKS = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Build:
    build = shared_build("kit", tmp_path_factory)
    assert build.returncode == 0, build.describe()
    return build


def test_every_dataframe_a_report_shows_is_in_the_reports_table_style(good):
    # pandas' own markup (class="dataframe": index column, cut cells) in no report; the
    # map notebook's place table, a DataFrame left as a cell's value, in the kit's style.
    pages = {n: (good.reports_dir / f"{n}.html").read_text(encoding="utf-8") for n in NOTEBOOKS}
    assert not [n for n, page in pages.items() if 'class="dataframe' in page]
    assert 'class="kit-table"' in pages["01-map-region"]


def _copy_build(good: Build, root: Path, data_dir: Path) -> Build:
    """A copy of a finished good build (notebooks, reports, cache) reading ``data_dir``."""
    root.mkdir(parents=True, exist_ok=True)
    for part in ("notebooks", "reports", "cache"):
        shutil.copytree(good.root / part, root / part)
    return Build(root=root, data_dir=data_dir)


@pytest.mark.parametrize(("case", "breaks", "expected"), CASES, ids=[c[0] for c in CASES])
def test_broken_data_fails_the_build_and_keeps_reports(good, tmp_path, case, breaks, expected):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    breaks(data)
    build = _copy_build(good, tmp_path / "build", data)
    before = tree_digest(build.reports_dir)

    build.run("--jobs", "2")

    assert build.returncode not in (0, None), f"{case}: the build succeeded: {build.describe()}"
    assert "FAILED" in build.output, build.describe()
    for text in expected:
        assert text in build.output, f"{case}: {text!r} not in the output: {build.describe()}"
    assert "Traceback (most recent call last)" not in build.output, build.describe()
    after = tree_digest(build.reports_dir)
    # index.html is rewritten on purpose (it marks the failed reports); the reports are not.
    changed = sorted(
        k for k in set(before) | set(after) if k != "index.html" and before.get(k) != after.get(k)
    )
    assert not changed, f"{case}: previous reports changed: {changed}"
    assert leftovers(build.reports_dir, build.cache_dir) == []
    wait_until(lambda: not processes_mentioning(str(build.root / "runtime")), "the kernels' end")


def test_a_new_quote_reruns_the_notebooks_that_read_quotes_and_not_the_map(tmp_path_factory):
    # Its own build, on its own copy of the data (the cache keys the data folder's path).
    # Quotes: a table some notebooks read and the map does not (the map reads claims
    # since its bottom line asks whether the data holds a status claim).
    root = tmp_path_factory.mktemp("build-own-data")
    build = new_build(root, copy_data(root / "data")).run("--jobs", "2")
    assert build.returncode == 0, build.describe()
    manifest = json.loads(next((build.cache_dir / "build").glob("reports-*.json")).read_text())
    readers = {n for n, r in manifest["notebooks"].items() if "quotes.csv" in r["reads"]}
    assert "01-map-region" not in readers and "04-how-each-told-it" in readers
    records = _rows(build.data_dir, "quotes")
    row = records[1]
    _write(build.data_dir, "quotes", [*records, [f"{row[0]}-copy", *row[1:]]])

    build.run("--jobs", "2")

    assert build.returncode == 0, build.describe()
    rerun = {n for n in NOTEBOOKS if f"built   {n}" in build.output}
    assert rerun == readers, build.describe()
    for name in readers:
        line = build.output.split(f"built   {name}")[1].splitlines()[0]
        assert "(quotes.csv changed: 1 row added)" in line, build.describe()
    assert "cached  01-map-region" in build.output

    # One cell of a descriptive column: the reason names the file and the column.
    _edit("sources", "aa-2021-01-11", "perspective", "TEST EDIT")(build.data_dir)
    cfg = BuildConfig(
        notebooks_dir=build.notebooks_dir,
        reports_dir=build.reports_dir,
        cache_dir=build.cache_dir,
        data_dir=build.data_dir,
    )
    manifest = cache.Manifest.load(cfg.manifest_path)
    plans, _ = cache.plan_build(cfg, manifest, cache.StatCache(manifest.stat))
    expected = {
        p.name: "sources.csv changed: column perspective"
        for p in plans
        if "sources.csv" in manifest.notebooks[p.name].reads
    }
    assert expected and {p.name: p.reason for p in plans if p.reason} == expected


# ------------------------------------------------------------------ interrupts

SLOW_NOTEBOOK = "00-aaa-slow-for-interrupt-test"


def _slow_notebook(marker: Path) -> str:
    code = f"from pathlib import Path\nimport time\nPath({str(marker)!r}).touch()\ntime.sleep(300)"
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "markdown",
                    "id": "m",
                    "metadata": {},
                    "source": "# Slow notebook (interrupt test)",
                },
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": "c",
                    "metadata": {},
                    "outputs": [],
                    "source": code,
                },
            ],
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def _interrupt(build: Build, proc, ready, waiting_for: str, send):
    """Once ``ready()``, ``send()`` a signal to the running build; its exit status and log."""
    try:
        wait_until(ready, waiting_for, alive=proc)
        send()
        status = proc.wait(timeout=90)
    finally:
        if proc.poll() is None:  # never leave a build running, whatever failed
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    return status, (build.root / "build.log").read_text()


@pytest.mark.parametrize("how", ["SIGINT-to-group", "SIGTERM"])
def test_interrupted_build_leaves_no_half_report_and_no_kernel(good, tmp_path, how):
    build = _copy_build(good, tmp_path / "build", paths.DATA_DIR)
    marker = tmp_path / "slow-started"
    (build.notebooks_dir / f"{SLOW_NOTEBOOK}.ipynb").write_text(_slow_notebook(marker))
    before = tree_digest(build.reports_dir)

    proc = build.start("--jobs", "2", "--force")
    send = {
        "SIGINT-to-group": lambda: os.killpg(proc.pid, signal.SIGINT),  # Ctrl-C in a terminal
        "SIGTERM": lambda: proc.send_signal(signal.SIGTERM),  # `kill <pid>`
    }[how]
    status, log = _interrupt(build, proc, marker.exists, "the slow notebook's start", send)

    assert status == 130, f"{how}: an interrupted build exited {status}:\n{log}"
    assert "Traceback" not in log, log
    assert leftovers(build.reports_dir, build.cache_dir) == []
    assert not (build.reports_dir / f"{SLOW_NOTEBOOK}.html").exists()
    after = tree_digest(build.reports_dir)
    for name in after:
        if name.endswith(".html") and after[name] != before.get(name):
            text = (build.reports_dir / name).read_text(encoding="utf-8")
            assert text.rstrip().endswith("</html>"), f"{how}: {name} is half-written"
    for manifest in (build.cache_dir / "build").glob("*.json"):
        json.loads(manifest.read_text(encoding="utf-8"))  # never left corrupt
    runtime = str(build.root / "runtime")
    wait_until(lambda: not processes_mentioning(runtime), f"{how}: every kernel's end", seconds=30)

    if how == "SIGINT-to-group":
        # The next build trusts nothing half-done: it finishes and every report is whole.
        (build.notebooks_dir / f"{SLOW_NOTEBOOK}.ipynb").unlink()
        build.run("--jobs", "2")
        assert build.returncode == 0, build.describe()
        for path in build.reports_dir.glob("*.html"):
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
