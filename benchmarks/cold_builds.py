"""Run N cold report builds in a row (empty cache, fresh folders); fail on any failure.

A cold build starts one kernel per notebook; this catches start-up failures that
show only now and then (a port race once failed about one build in seven). Each
build writes into its own temporary folder; the kit's ``reports/`` and ``.cache/``
are never touched. Usage::

    .venv/bin/python benchmarks/cold_builds.py [-n 50] [--jobs N]

Exit status 0 only if every build exited 0 with every notebook built.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cold_build(root: Path, jobs: int) -> tuple[int, str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "helpers.report", "--jobs", str(jobs),
         "--reports-dir", str(root / "reports"), "--cache-dir", str(root / "cache")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        stdin=subprocess.DEVNULL, timeout=1800,
    )  # fmt: skip
    return done.returncode, done.stdout, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=50, help="builds to run (default 50)")
    ap.add_argument("--jobs", type=int, default=0, help="the build's --jobs (default: its own)")
    args = ap.parse_args(argv)
    failures, seconds = [], []
    for i in range(1, args.n + 1):
        with tempfile.TemporaryDirectory(prefix="kit-cold-") as tmp:
            status, output, wall = cold_build(Path(tmp), args.jobs)
        ok = status == 0 and "0 cached, 0 failed" in output
        seconds.append(wall)
        print(f"build {i:3d}/{args.n}: exit {status}, {wall:5.1f} s{'' if ok else '  FAILED'}",
              flush=True)  # fmt: skip
        if not ok:
            failures.append(i)
            print(output[-3000:], flush=True)
    print(
        f"{args.n - len(failures)}/{args.n} cold builds succeeded"
        f" (median {sorted(seconds)[len(seconds) // 2]:.1f} s; failed: {failures or 'none'})"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
