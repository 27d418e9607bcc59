"""The command line of the report build: ``python -m helpers.report --help``.

>>> parser().parse_args(["--as-of", "2020-12-31", "--jobs", "2"]).jobs
2
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from .. import paths
from .build import BuildConfig, build


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m helpers.report",
        description="Execute the notebooks and write their HTML reports and an index "
        "(only notebooks whose code, data or environment changed run again).",
    )
    ap.add_argument(
        "--as-of",
        help="build the reports as known on this date (YYYY-MM-DD), "
        "into a separate <reports>-as-of-<date>/ folder",
    )
    ap.add_argument(
        "--jobs", type=int, default=0, help="notebooks run at once (default: two per core)"
    )
    ap.add_argument("--force", action="store_true", help="ignore the cache, run everything")
    ap.add_argument("--notebooks", nargs="+", metavar="NAME", help="only these notebooks")
    ap.add_argument("--notebooks-dir", type=Path, default=paths.NOTEBOOKS_DIR)
    ap.add_argument("--reports-dir", type=Path, default=paths.REPORTS_DIR)
    ap.add_argument("--cache-dir", type=Path, default=paths.CACHE_DIR)
    ap.add_argument(
        "--data-dir", type=Path, default=None, help="data folder (default: $KIT_DATA_DIR or data/)"
    )
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    ap.add_argument("--kernel", default="python3", help="Jupyter kernel spec to run notebooks in")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    if args.as_of:
        try:
            dt.date.fromisoformat(args.as_of)
        except ValueError:
            ap.error(f"--as-of must be a date YYYY-MM-DD, not {args.as_of!r}")
    if args.jobs < 0:
        ap.error(f"--jobs must be 0 (the default: two per core) or more, not {args.jobs}")
    if not args.notebooks_dir.is_dir():
        ap.error(f"no notebooks folder {args.notebooks_dir}")
    cfg = BuildConfig(
        notebooks_dir=args.notebooks_dir,
        reports_dir=args.reports_dir,
        cache_dir=args.cache_dir,
        data_dir=args.data_dir or paths.data_dir(),
        as_of=args.as_of,
        jobs=args.jobs,
        force=args.force,
        only=args.notebooks,
        timeout=args.timeout,
        kernel_name=args.kernel,
    )
    return build(cfg)
