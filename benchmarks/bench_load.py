"""Benchmark ``helpers.load()`` against the plain alternative, in one run.

Measures, as medians over several runs in this process (imports excluded):

* the article dataset: ``helpers.load()`` vs. plain ``pandas.read_csv`` of every
  table (no validation, no types, no provenance checks);
* a generated dataset of 100,000 claims (the article's claims repeated with new
  ids, so every passage still checks against the text): the same pair.

Prints medians, the ratio load/plain, and the issue's targets (≤ 0.2 s and ≤ 2 s),
and saves them in ``benchmarks/results/load.json`` (tabled in docs/benchmarks.md).

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_load.py [--runs N]``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

import helpers
from helpers import paths

TARGETS = {"article": 0.2, "100k claims": 2.0}


def make_large_copy(destination: Path, n_claims: int) -> Path:
    """Copy ``data/`` and grow claims.csv to ``n_claims`` rows (valid, unique ids)."""
    shutil.copytree(paths.DATA_DIR, destination)
    path = destination / "claims.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for i in range(n_claims):
            row = dict(rows[i % len(rows)])
            row["claim_id"] = f"{row['claim_id']}-{i}"
            writer.writerow(row)
    return destination


def plain_read(data_dir: Path) -> dict[str, pd.DataFrame]:
    """The plain alternative: read every table, trust it."""
    return {name: pd.read_csv(data_dir / f"{name}.csv") for name in helpers.dataset.TABLES}


def median_time(func, runs: int) -> float:
    func()  # warm-up: first-call imports (geopandas) are not the loader's cost
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--claims", type=int, default=100_000)
    args = parser.parse_args()
    lines = [
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, pandas {pd.__version__}",
    ]
    record = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {
            "nproc": os.cpu_count(),
            "cpu": platform.processor() or platform.machine(),
            "python": platform.python_version(),
        },
        "pandas": pd.__version__,
        "loads": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        datasets = {
            "article": paths.DATA_DIR,
            f"{args.claims // 1000}k claims": make_large_copy(Path(tmp) / "data", args.claims),
        }
        for label, folder in datasets.items():
            runs = args.runs if label == "article" else max(3, args.runs // 2)
            loaded = median_time(lambda f=folder: helpers.load(f), runs)
            plain = median_time(lambda f=folder: plain_read(f), runs)
            target = TARGETS.get(label)
            verdict = (
                ""
                if target is None
                else f"; target ≤ {target} s: {'met' if loaded <= target else 'MISSED'}"
            )
            record["loads"][label] = {
                "kit_s": loaded,
                "plain_s": plain,
                "runs": runs,
                "target_s": target,
            }
            lines.append(
                f"{label}: helpers.load() {loaded:.3f} s, plain read_csv {plain:.3f} s, "
                f"ratio {loaded / plain:.1f}× (median of {runs}){verdict}"
            )
    out = Path(__file__).parent / "results" / "load.json"
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
