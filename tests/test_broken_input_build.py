"""Broken input, end to end: the report build stops with the clear error, keeps the old reports.

Each bad-input case of the data loader is put into a copy of the data beside a
copy of a good build; the build (the command ``make report`` runs) must exit
non-zero, print the file, row, column and problem, and leave every previous
report byte-identical. An interrupted build (Ctrl-C or ``kill``) must leave no
half-written report, no corrupt cache and no kernel running.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from kit_build import Build, leftovers, processes_mentioning, shared_build, tree_digest

from helpers import paths

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


def _drop_column(table: str, column: str):
    def change(data: Path) -> None:
        records = _rows(data, table)
        i = records[0].index(column)
        _write(data, table, [r[:i] + r[i + 1 :] for r in records])

    return change


def _unlink(table: str):
    return lambda data: (data / f"{table}.csv").unlink()


def _empty(table: str):
    return lambda data: (data / f"{table}.csv").write_bytes(b"")


def _truncate(table: str):
    def change(data: Path) -> None:
        raw = (data / f"{table}.csv").read_bytes()
        (data / f"{table}.csv").write_bytes(raw[: raw.index(b"\n", len(raw) // 2) + 40])

    return change


def _latin1(table: str, old: str, new: str):
    def change(data: Path) -> None:
        text = (data / f"{table}.csv").read_text(encoding="utf-8").replace(old, new)
        (data / f"{table}.csv").write_bytes(text.encode("latin-1", errors="replace"))

    return change


# (id, how to break the copy, what the build's output must say)
CASES = [
    ("missing-file", _unlink("claims"), ["claims.csv: missing file"]),
    (
        "missing-column",
        _drop_column("claims", "bound"),
        ["claims.csv column bound: missing column"],
    ),
    (
        "wrong-type",
        _edit("claims", FIRST_CLAIM, "value_low", "2,802"),
        ["claims.csv row 2, column value_low: '2,802' is not a number"],
    ),
    (
        "impossible-date",
        _edit("claims", FIRST_CLAIM, "claim_date", "2021-02-30"),
        ["claims.csv row 2, column claim_date: '2021-02-30' is not a real date"],
    ),
    (
        "unknown-source",
        _edit("claims", FIRST_CLAIM, "source_id", "nowhere-2021"),
        ["claims.csv row 2, column source_id: unknown source 'nowhere-2021'"],
    ),
    (
        "unknown-actor",
        _edit("claims", FIRST_CLAIM, "side_id", "atlantis"),
        ["claims.csv row 2, column side_id: unknown actor 'atlantis'"],
    ),
    (
        "unknown-place",
        _edit("events", "war-2020", "place_id", "atlantis"),
        ["events.csv row", "column place_id: unknown place 'atlantis'"],
    ),
    (
        "duplicate-id",
        _edit("claims", "am-casualties", "claim_id", FIRST_CLAIM),
        [f"claims.csv row 3, column claim_id: duplicate id '{FIRST_CLAIM}'"],
    ),
    (
        "passage-not-found",
        _edit("claims", FIRST_CLAIM, "passage", "at least 2,803 of its soldiers were martyred"),
        [
            "claims.csv row 2, column passage: not found in the text of aa-2021-01-11",
            "closest: 'at least 2,802 of its soldiers were martyred'",
        ],
    ),
    (
        "latitude-out-of-range",
        _edit("places", "moscow", "lat", "91.5"),
        ["places.csv row 2, column lat: '91.5' is out of range"],
    ),
    (
        "longitude-out-of-range",
        _edit("places", "moscow", "lon", "-200"),
        ["places.csv row 2, column lon: '-200' is out of range"],
    ),
    (
        "low-best-high",
        _edit("claims", FIRST_CLAIM, "value_low", "3000"),
        ["claims.csv row 2, column value_best: value_low (3000) is greater than value_best"],
    ),
    (
        "unknown-bound",
        _edit("claims", FIRST_CLAIM, "bound", "roughly"),
        ["claims.csv row 2, column bound: 'roughly' is not one of"],
    ),
    (
        "unknown-precision",
        _edit("events", "war-2020", "date_prec", "fortnight"),
        ["events.csv row", "column date_prec: 'fortnight' is not one of"],
    ),
    ("empty-file", _empty("claims"), ["claims.csv: empty file"]),
    ("truncated-file", _truncate("places"), ["places.csv row", "truncated"]),
    (
        "not-utf8",
        _latin1("actors", "Vladimir Putin", "Vladimir Pütin"),
        ["actors.csv row 2, column name: not UTF-8"],
    ),
]


#: Cases run through every notebook; the others through one notebook each, in turn,
#: which keeps the suite's time bounded while every notebook meets several cases.
FULL_BUILD = {"missing-file", "passage-not-found", "not-utf8"}
NOTEBOOKS = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))


def _scope(case: str) -> list[str]:
    if case in FULL_BUILD or not NOTEBOOKS:
        return []
    i = [c[0] for c in CASES if c[0] not in FULL_BUILD].index(case)
    return ["--notebooks", NOTEBOOKS[i % len(NOTEBOOKS)]]


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Build:
    build = shared_build("kit", tmp_path_factory)
    assert build.returncode == 0, build.describe()
    return build


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

    build.run("--jobs", "2", *_scope(case))

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


def _interrupt(build: Build, proc, ready, waiting_for: str, send, poll: float = 0.2):
    """Once ``ready()``, ``send()`` a signal to the running build; its exit status and log."""
    try:
        deadline = time.monotonic() + 120
        while not ready():
            assert proc.poll() is None, (build.root / "build.log").read_text()
            assert time.monotonic() < deadline, f"{waiting_for} never came"
            time.sleep(poll)
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

    assert status != 0, f"{how}: an interrupted build exited 0:\n{log}"
    assert leftovers(build.reports_dir, build.cache_dir) == []
    assert not (build.reports_dir / f"{SLOW_NOTEBOOK}.html").exists()
    after = tree_digest(build.reports_dir)
    for name in after:
        if name.endswith(".html") and after[name] != before.get(name):
            text = (build.reports_dir / name).read_text(encoding="utf-8")
            assert text.rstrip().endswith("</html>"), f"{how}: {name} is half-written"
    for manifest in (build.cache_dir / "build").glob("*.json"):
        json.loads(manifest.read_text(encoding="utf-8"))  # never left corrupt
    time.sleep(1)
    kernels = processes_mentioning(str(build.root / "runtime"))
    assert not kernels, f"{how}: kernels still running after the build ended: {kernels}"

    if how == "SIGINT-to-group":
        # The next build trusts nothing half-done: it finishes and every report is whole.
        (build.notebooks_dir / f"{SLOW_NOTEBOOK}.ipynb").unlink()
        build.run("--jobs", "2")
        assert build.returncode == 0, build.describe()
        for path in build.reports_dir.glob("*.html"):
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path


def test_ctrl_c_while_the_build_starts_up_leaves_no_process(good, tmp_path):
    # The fork server starts before the workers: an interrupt in between must stop it too.
    build = _copy_build(good, tmp_path / "build", paths.DATA_DIR)
    proc = build.start("--jobs", "2", "--force")
    runtime = str(build.root / "runtime")
    status, log = _interrupt(
        build,
        proc,
        lambda: any("forkserver.py serve" in p for p in processes_mentioning(runtime)),
        "the kernel server's start",
        lambda: os.killpg(proc.pid, signal.SIGINT),
        poll=0.05,
    )
    assert status == 130, log
    assert "Traceback" not in log, log
    time.sleep(1)
    assert processes_mentioning(runtime) == [], log
