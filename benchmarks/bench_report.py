"""Benchmark the report build against plain ``jupyter nbconvert --execute --to html``.

Measured in one run, on the kit's own notebooks, in a temporary copy of the kit
(``src/``, ``data/``, ``notebooks/`` and the pins; ``PYTHONPATH`` points at the
copy), so the kit's files are never touched and colleagues' edits in the working
tree do not disturb the measurement:

(a) a cold build (empty cache), as ``make report`` runs it, vs. executing the same
    notebooks one after another with ``jupyter nbconvert --execute --to html``; and,
    to show what forking kernels adds, the same cold build with plain kernels
    (``--no-fork``);
(b) a no-op rebuild (nothing changed);
(c) a rebuild after changing one data file (by default the one the fewest
    notebooks read): which notebooks reran, and whether they are exactly the
    ones that read it;
plus the size of each report (target: a report with one map <= 1.5 MB).

Prints medians over ``--runs`` runs and writes ``benchmarks/results/report.json``
and ``report.txt``. Usage::

    .venv/bin/python benchmarks/bench_report.py [--runs 3] [--touch data/file]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import paths

RESULTS = Path(__file__).resolve().parent / "results"
BIN = Path(sys.executable).parent


def machine() -> dict:
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_end": os.getloadavg(),
    }


CPU = {"s": 0.0}  # CPU seconds of every finished child process (kernels included)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict, cwd: Path) -> tuple[float, str]:
    start, cpu0 = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        cmd,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    CPU["s"] = _children_cpu() - cpu0
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-3000:]}")
    return elapsed, done.stdout


def quote_first_field(path: Path) -> None:
    """Change the file's bytes but not its meaning (for CSV: quote one field)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        lines = text.split("\n")
        first, _, rest = lines[1].partition(",")
        if not first.startswith('"'):
            lines[1] = f'"{first}",{rest}'
            path.write_text("\n".join(lines), encoding="utf-8")
            return
    if path.suffix in {".json", ".geojson"}:
        path.write_text(text.rstrip("\n") + "\n\n", encoding="utf-8")  # whitespace only
        return
    path.write_text(text + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--touch",
        default=None,
        help="data file (relative to data/) to change for measurement (c); "
        "default: one read by the fewest notebooks",
    )
    args = ap.parse_args()

    notebooks = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    if not notebooks:
        raise SystemExit(f"no notebooks in {paths.NOTEBOOKS_DIR}")
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    kit = work / "kit"
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.egg-info")
    for folder in ("src", "data", "notebooks"):
        shutil.copytree(paths.ROOT / folder, kit / folder, ignore=ignore)
    for name in ("requirements.txt", "constraints.txt"):
        shutil.copy2(paths.ROOT / name, kit / name)
    nb_dir, data = kit / "notebooks", kit / "data"
    env = dict(os.environ, PYTHONPATH=str(kit / "src"), PYDEVD_DISABLE_FILE_VALIDATION="1")
    for var in ("KIT_OUTPUT_DIR", "KIT_DATA_DIR"):
        env.pop(var, None)

    def build_cmd(run: int, *extra: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "helpers.report",
            "--reports-dir",
            str(work / f"reports-{run}"),
            "--cache-dir",
            str(work / f"cache-{run}"),
            *extra,
        ]

    cold, seq, noop, cold_cpu, seq_cpu, plain, plain_cpu = [], [], [], [], [], [], []
    for run in range(args.runs):
        t, out = timed(build_cmd(run), env, work)
        cold.append(t)
        cold_cpu.append(CPU["s"])
        print(f"run {run + 1}: cold build {t:.1f} s", flush=True)
        t, _ = timed(build_cmd(f"plain-{run}", "--no-fork"), env, work)
        plain.append(t)
        plain_cpu.append(CPU["s"])
        print(f"run {run + 1}: cold build with plain kernels {t:.1f} s", flush=True)
        for _ in range(3):
            noop.append(timed(build_cmd(run), env, work)[0])
        print(
            f"run {run + 1}: no-op rebuild {min(noop[-3:]):.2f}-{max(noop[-3:]):.2f} s", flush=True
        )
        out_dir = work / f"nbconvert-{run}"
        nb_env = dict(env, KIT_OUTPUT_DIR=str(out_dir))
        start, cpu = time.perf_counter(), 0.0
        for nb in sorted(nb_dir.glob("*.ipynb")):
            timed(
                [
                    str(BIN / "jupyter"),
                    "nbconvert",
                    "--execute",
                    "--to",
                    "html",
                    "--output-dir",
                    str(out_dir),
                    str(nb),
                ],
                nb_env,
                work,
            )
            cpu += CPU["s"]
        seq.append(time.perf_counter() - start)
        seq_cpu.append(cpu)
        print(f"run {run + 1}: sequential nbconvert {seq[-1]:.1f} s", flush=True)

    # (c) change one data file; which notebooks rerun, and which read it?
    manifest = json.loads(next((work / "cache-0" / "build").glob("*.json")).read_text())

    def readers_of(target: str) -> list[str]:
        return sorted(
            name
            for name, entry in manifest["notebooks"].items()
            if entry["reads"] is None
            or any(
                target == r or (r.endswith("/") and target.startswith(r)) or r == "/"
                for r in entry["reads"]
            )
        )

    files = sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file())
    data_like = (".csv", ".json", ".geojson", ".txt")
    target = args.touch or min(
        files, key=lambda f: (len(readers_of(f)) or 99, not f.endswith(data_like), f)
    )
    readers = readers_of(target)
    quote_first_field(data / target)
    t_touch, out = timed(build_cmd(0), env, work)
    rerun = sorted(re.findall(r"^\s+built\s+(\S+)", out, re.M))
    print(f"changed data/{target}: rebuild {t_touch:.1f} s, reran {rerun}, readers {readers}")

    sizes = {p.name: p.stat().st_size for p in sorted((work / "reports-0").glob("*.html"))}
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "notebooks": [nb.name for nb in notebooks],
        "runs": args.runs,
        "cold_build_s": cold,
        "sequential_nbconvert_s": seq,
        "noop_rebuild_s": noop,
        "median_cold_build_s": statistics.median(cold),
        "median_sequential_nbconvert_s": statistics.median(seq),
        "ratio_cold_vs_nbconvert": statistics.median(cold) / statistics.median(seq),
        "median_noop_rebuild_s": statistics.median(noop),
        # CPU seconds do not depend on what else the machine runs: a fairer ratio
        # on a shared machine (wall time on an idle one is about max(cpu/cores, ...)).
        "cold_build_cpu_s": cold_cpu,
        "sequential_nbconvert_cpu_s": seq_cpu,
        "ratio_cpu_cold_vs_nbconvert": statistics.median(cold_cpu) / statistics.median(seq_cpu),
        "cold_build_plain_kernels_s": plain,
        "cold_build_plain_kernels_cpu_s": plain_cpu,
        "median_cold_build_plain_kernels_s": statistics.median(plain),
        "ratio_cold_plain_kernels_vs_nbconvert": statistics.median(plain) / statistics.median(seq),
        "touched": target,
        "touch_rebuild_s": t_touch,
        "touch_reran": rerun,
        "touch_readers": readers,
        "only_dependents_reran": rerun == readers,
        "report_bytes": sizes,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "report.json").write_text(json.dumps(result, indent=2) + "\n")
    m = result["machine"]
    lines = [
        f"Report build benchmark, {result['date']}",
        f"machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, {m['platform']}; "
        f"load average at the end {m['load_average_at_end'][0]:.1f}",
        f"notebooks: {len(notebooks)}; runs: {args.runs}; medians:",
        f"(a) cold build {result['median_cold_build_s']:.1f} s vs sequential nbconvert "
        f"{result['median_sequential_nbconvert_s']:.1f} s = "
        f"{result['ratio_cold_vs_nbconvert']:.2f}x (target <= 0.30x); CPU time "
        f"{statistics.median(cold_cpu):.1f} s vs {statistics.median(seq_cpu):.1f} s = "
        f"{result['ratio_cpu_cold_vs_nbconvert']:.2f}x",
        f"    same build with plain kernels (--no-fork) "
        f"{result['median_cold_build_plain_kernels_s']:.1f} s = "
        f"{result['ratio_cold_plain_kernels_vs_nbconvert']:.2f}x; CPU time "
        f"{statistics.median(plain_cpu):.1f} s",
        f"(b) no-op rebuild {result['median_noop_rebuild_s']:.2f} s (target <= 0.5 s)",
        f"(c) changed data/{target}: rebuild {t_touch:.1f} s, reran {', '.join(rerun) or '-'};"
        f" only the notebooks that read it: {'yes' if rerun == readers else 'NO'}",
        "report sizes: " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sizes.items()),
    ]
    (RESULTS / "report.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
