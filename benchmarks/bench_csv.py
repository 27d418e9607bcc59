"""Benchmark the kit's one CSV reader (Arrow) against the standard library's csv module.

``helpers.data.reader.read_rows`` reads every table with pandas' Arrow engine (the csv
module only diagnoses a file Arrow refuses). The plain alternative, which the kit once used
for tables under 256 KiB, is the csv module into a DataFrame of text, here without the
kit's checks (so the comparison favours it). Both must give the same frames (checked);
medians of interleaved runs in this process, on every table of the article dataset
together and on a claims table grown to 100,000 rows (as ``bench_load.py`` grows it).

Saves ``benchmarks/results/csv.json`` (tabled in docs/benchmarks.md). Usage::

    .venv/bin/python benchmarks/bench_csv.py [--runs 7] [--claims 100000]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from bench_load import make_large_copy

from helpers import paths
from helpers.data import reader

RESULTS = Path(__file__).resolve().parent / "results"


def tables(data_dir: Path) -> list[tuple[Path, list[str]]]:
    package = reader.read_package(data_dir)
    return [
        (data_dir / r["path"], [f["name"] for f in r["schema"]["fields"]])
        for r in package["resources"]
        if "schema" in r and r["path"].endswith(".csv")
    ]


def csv_module(path: Path) -> pd.DataFrame:
    """The plain alternative: the csv module, every cell as text, empty cells missing."""
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    header, *records = (r for r in csv.reader(io.StringIO(text, newline="")) if any(r))
    rows = [[value if value != "" else None for value in record] for record in records]
    return pd.DataFrame(rows, columns=header, dtype="str")


def kit(files) -> list[pd.DataFrame]:
    frames = []
    for path, names in files:
        frame, problems = reader.read_rows(path, names)
        assert not problems, problems
        frames.append(frame)
    return frames


def plain(files) -> list[pd.DataFrame]:
    return [csv_module(path)[names] for path, names in files]


def cells(frame: pd.DataFrame) -> tuple[list[str], list[list]]:
    rows = [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
    return list(frame.columns), rows


def same(a: list[pd.DataFrame], b: list[pd.DataFrame]) -> bool:
    return all(cells(x) == cells(y) for x, y in zip(a, b, strict=True))


def measure(files, runs: int) -> dict:
    assert same(kit(files), plain(files)), "the two readers disagree"
    times: dict[str, list[float]] = {"arrow_s": [], "csv_module_s": []}
    for _ in range(runs):  # interleaved, so a busy moment hits both
        for key, read in (("arrow_s", kit), ("csv_module_s", plain)):
            start = time.perf_counter()
            read(files)
            times[key].append(time.perf_counter() - start)
    medians = {key: statistics.median(values) for key, values in times.items()}
    size = sum(path.stat().st_size for path, _ in files)
    return {**medians, "runs": runs, "bytes": size}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--claims", type=int, default=100_000)
    args = ap.parse_args()
    record = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"nproc": os.cpu_count(), "python": platform.python_version()},
        "load_average_before": list(os.getloadavg()),
        "csv": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        large = make_large_copy(Path(tmp) / "data", args.claims)
        cases = {
            "article (every table)": tables(paths.DATA_DIR),
            f"{args.claims // 1000}k claims (claims.csv)": [
                f for f in tables(large) if f[0].name == "claims.csv"
            ],
        }
        for label, files in cases.items():
            record["csv"][label] = m = measure(files, args.runs)
            print(
                f"{label}: {m['bytes'] / 1e6:.1f} MB, Arrow {m['arrow_s']:.3f} s, csv module "
                f"{m['csv_module_s']:.3f} s, ratio {m['arrow_s'] / m['csv_module_s']:.2f}x"
            )
    record["load_average_after"] = list(os.getloadavg())
    (RESULTS / "csv.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
