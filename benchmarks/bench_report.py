"""Benchmark the report build against plain ``jupyter nbconvert --execute --to html``.

On the kit's own notebooks, in a temporary copy of the kit (``src/``, ``data/``,
``notebooks/``, the pins; ``PYTHONPATH`` points at the copy), so the kit's files
are never touched. Measured, in interleaved order, ``--runs`` times each (>= 5):

(A) a cold ``make report``: ``python -m helpers.report --force`` into a fresh
    reports folder with an empty cache;
(B) ONE ``jupyter nbconvert --execute --to html`` process over all notebooks;
(C) TWO such processes in parallel, the notebooks split in two.

Wall time, and CPU time of every child process (``RUSAGE_CHILDREN`` deltas: the
build's workers and kernels, nbconvert's kernels, once each has been waited for).
Both paths must produce the same executed outputs: the text of every plain-text
and printed output, and where images are, read from the HTML reports. Then:

(D) a no-op rebuild (nothing changed; target <= 0.3 s);
(E) a rebuild after adding one claim row to a copy of the data: which notebooks
    reran (with the build's reasons), and whether they are exactly the ones that
    read ``claims`` in the previous build;
(F) a rebuild after adding one source to a copy of the data with the kit's own
    command (``python -m helpers.sources add``): which notebooks reran, and whether
    they are exactly the ones that read ``sources`` in the previous build.

Writes ``benchmarks/results/report.json`` and ``report.txt`` (or ``--name``). Usage::

    .venv/bin/python benchmarks/bench_report.py [--runs 5] [--jobs 0] [--data DIR] [--name report]
"""

from __future__ import annotations

import argparse
import csv
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
from html.parser import HTMLParser
from pathlib import Path

from helpers import paths

RESULTS = Path(__file__).resolve().parent / "results"
BIN = Path(sys.executable).parent
#: Output types compared between the two paths (maps and tables carry random ids).
COMPARED = {"text/plain", "application/vnd.jupyter.stdout"}


def machine() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(commands: list[list[str]], env: dict, cwd: Path) -> tuple[float, float, list[str]]:
    """Run ``commands`` at once; wall seconds, CPU seconds of all children, their outputs."""
    start, cpu0 = time.perf_counter(), _children_cpu()
    procs = [
        subprocess.Popen(
            cmd,
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        for cmd in commands
    ]
    outputs = [p.communicate()[0] for p in procs]
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu0
    for cmd, proc, out in zip(commands, procs, outputs, strict=True):
        if proc.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out[-3000:]}")
    return wall, cpu, outputs


class Outputs(HTMLParser):
    """Code cell outputs in a report: (mime type, text) of each, and images per output."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: list[list] = []  # [depth, mime, text parts]
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div":
            self._depth += 1
            if "jp-OutputArea-output" in (a.get("class") or "").split():
                self._open.append([self._depth, a.get("data-mime-type", ""), []])
        if tag == "img" and self._open:
            self.found.append(("image", ""))

    def handle_endtag(self, tag):
        if tag != "div":
            return
        if self._open and self._open[-1][0] == self._depth:
            _, mime, parts = self._open.pop()
            if mime in COMPARED:
                self.found.append((mime, " ".join("".join(parts).split())))
        self._depth -= 1

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)


def outputs_of(html_path: Path, out_dir: Path) -> list[tuple[str, str]]:
    parser = Outputs()
    parser.feed(html_path.read_text(encoding="utf-8"))
    # Output folders differ by design; mime type names differ between templates' versions.
    return [(m, t.replace(str(out_dir), "<out>")) for m, t in parser.found]


def copy_kit(work: Path, data: Path | None = None) -> Path:
    kit = work / "kit"
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.egg-info")
    for folder in ("src", "data", "notebooks"):
        origin = data if folder == "data" and data else paths.ROOT / folder
        shutil.copytree(origin, kit / folder, ignore=ignore)
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(paths.ROOT / name, kit / name)
    return kit


def build_cmd(out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "helpers.report",
        "--reports-dir", str(out / "reports"), "--cache-dir", str(out / "cache"), *extra,
    ]  # fmt: skip


def nbconvert_cmd(out: Path, notebooks: list[Path]) -> list[str]:
    return [str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html",
            "--output-dir", str(out), *map(str, notebooks)]  # fmt: skip


def measure(args, kit: Path, work: Path, env: dict) -> dict:
    notebooks = sorted((kit / "notebooks").glob("*.ipynb"))
    halves = [notebooks[0::2], notebooks[1::2]]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    times: dict[str, list[tuple[float, float]]] = {"build": [], "nbconvert1": [], "nbconvert2": []}
    same: list[bool] = []
    for run in range(args.runs):
        order = ["build", "nbconvert1", "nbconvert2"]
        order = order[run % 3 :] + order[: run % 3]  # interleaved, each first in turn
        for what in order:
            out = work / f"{what}-{run}"
            if what == "build":
                shutil.rmtree(out, ignore_errors=True)  # a cold build: empty cache
                cmds = [build_cmd(out, "--force", *jobs)]
            else:
                parts = [notebooks] if what == "nbconvert1" else halves
                cmds = [nbconvert_cmd(out / "html", part) for part in parts]
            run_env = dict(
                env, KIT_OUTPUT_DIR=str(out / ("reports" if what == "build" else "html"))
            )
            wall, cpu, _ = timed(cmds, run_env if what != "build" else env, kit / "notebooks")
            times[what].append((wall, cpu))
            print(f"run {run + 1}: {what:10s} wall {wall:5.1f} s, CPU {cpu:5.1f} s", flush=True)
        same.append(
            all(
                outputs_of(work / f"build-{run}" / "reports" / f"{nb.stem}.html",
                           work / f"build-{run}" / "reports")
                == outputs_of(work / f"nbconvert1-{run}" / "html" / f"{nb.stem}.html",
                              work / f"nbconvert1-{run}" / "html")
                for nb in notebooks
            )
        )  # fmt: skip
    noop = [timed([build_cmd(work / "build-0", *jobs)], env, kit)[0] for _ in range(5)]
    return {"times": times, "same_outputs": same, "noop": noop, "notebooks": notebooks}


def rebuild_after(kit: Path, work: Path, env: dict, table: str, change) -> dict:
    """Build a copy of the data, ``change`` it, rebuild: the time, and what reran.

    ``only_readers_reran``: exactly the notebooks that read ``<table>.csv`` in the
    first build reran (from the build's own record of what each notebook read).
    """
    data = work / f"{table}-data"
    shutil.copytree(kit / "data", data)
    out = work / f"{table}-build"
    timed([build_cmd(out, "--data-dir", str(data))], env, kit)
    manifest = json.loads(next((out / "cache" / "build").glob("*.json")).read_text())
    readers = sorted(n for n, r in manifest["notebooks"].items() if f"{table}.csv" in r["reads"])
    change(data)
    wall, cpu, (output,) = timed([build_cmd(out, "--data-dir", str(data))], env, kit)
    rerun = re.findall(r"^\s+built\s+(\S+)\s.*\((.*)\)$", output, re.M)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "rerun": {name: why for name, why in rerun},
        f"readers_of_{table}": readers,
        "only_readers_reran": sorted(n for n, _ in rerun) == readers,
    }


def add_claim(data: Path) -> None:
    """(E): one claim row more, a valid copy of the first with a new id."""
    with (data / "claims.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    new = [f"{rows[1][0]}-benchmark-copy", *rows[1][1:]]
    with (data / "claims.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(new)


#: The text (F) registers: marked as test data, so no reader can take it for a report.
SOURCE_TEXT = "Benchmark test text; not an article. The ministry said talks would continue.\n"


def add_source(kit: Path, work: Path, env: dict):
    """(F): a change that registers one source with ``python -m helpers.sources add``."""

    def change(data: Path) -> None:
        text = work / "benchmark-source.txt"
        text.write_text(SOURCE_TEXT, encoding="utf-8")
        add = [sys.executable, "-m", "helpers.sources", "add", str(text), "--data", str(data),
               "--publisher", "Benchmark Wire", "--published", "2021-01-12",
               "--title", "Benchmark test text"]  # fmt: skip
        subprocess.run(add, env=env, cwd=kit, check=True, capture_output=True)

    return change


def summarise(
    m: dict, claim: dict, args, load: tuple, source: dict | None = None
) -> tuple[dict, list[str]]:
    med = {
        k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
        for k, v in m["times"].items()
    }
    base_wall, base_cpu = med["nbconvert1"]
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "load_average_before": load,
        "load_average_after": os.getloadavg(),
        "runs": args.runs,
        "build_jobs": args.jobs or None,  # None: the build's default
        "notebooks": [nb.name for nb in m["notebooks"]],
        "wall_cpu_s": m["times"],
        "median_wall_cpu_s": med,
        "ratio_build_vs_one_nbconvert": {
            "wall": med["build"][0] / base_wall,
            "cpu": med["build"][1] / base_cpu,
        },  # fmt: skip
        "same_outputs_each_run": m["same_outputs"],
        "noop_rebuild_s": m["noop"],
        "median_noop_rebuild_s": statistics.median(m["noop"]),
        "claim_rebuild": claim,
        "source_rebuild": source,
    }
    rows = [
        ("cold make report (--force, empty cache)", *med["build"]),
        ("1 nbconvert process, all notebooks", *med["nbconvert1"]),
        ("2 nbconvert processes in parallel", *med["nbconvert2"]),
    ]
    r = result["ratio_build_vs_one_nbconvert"]
    lines = [
        f"Report build benchmark, {result['date']}",
        f"machine: {result['machine']['nproc']} cores, {result['machine']['cpu']}, Python "
        f"{result['machine']['python']}; load average before {load[0]:.1f}, after "
        f"{result['load_average_after'][0]:.1f} (the machine is shared: wall times vary)",
        f"{len(m['notebooks'])} notebooks, {args.runs} runs each, interleaved; medians:",
        "",
        f"| {'path':42s} | wall s | CPU s | wall vs (1) | CPU vs (1) |",
        f"|{'-' * 44}|--------|-------|-------------|------------|",
        *(
            f"| {name:42s} | {w:6.1f} | {c:5.1f} | {w / base_wall:10.2f}x | {c / base_cpu:9.2f}x |"
            for name, w, c in rows
        ),
        "",
        f"cold build vs one nbconvert: wall {r['wall']:.2f}x (target <= 0.5x), "
        f"CPU {r['cpu']:.2f}x (target <= 0.8x)",
        f"same executed outputs (text/plain, stdout, images) in every run: "
        f"{'yes' if all(m['same_outputs']) else 'NO: ' + str(m['same_outputs'])}",
        f"no-op rebuild: median {result['median_noop_rebuild_s']:.2f} s of 5 (target <= 0.3 s)",
        f"one claim added to a copy of the data: rebuild {claim['wall_s']:.1f} s, reran "
        + ", ".join(f"{n} ({why})" for n, why in claim["rerun"].items())
        + "; exactly the notebooks that read claims: "
        + ("yes" if claim["only_readers_reran"] else "NO")
        + f" ({', '.join(claim['readers_of_claims'])})",
    ]
    if source:
        lines.append(
            f"one source added with the kit's command: rebuild {source['wall_s']:.1f} s "
            f"({source['wall_s'] / base_wall:.2f}x one nbconvert), reran "
            + ", ".join(f"{n} ({why})" for n, why in source["rerun"].items())
            + "; exactly the notebooks that read sources: "
            + ("yes" if source["only_readers_reran"] else "NO")
            + f" ({', '.join(source['readers_of_sources'])})"
        )
    return result, lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--jobs", type=int, default=0, help="the build's --jobs (default: the build's own)"
    )
    ap.add_argument(
        "--data",
        type=Path,
        help="measure on this data folder instead of data/ (e.g. the dataset before a change)",
    )
    ap.add_argument(
        "--name",
        default="report",
        help="results are written to benchmarks/results/NAME.json and NAME.txt",
    )
    args = ap.parse_args()
    if args.runs < 5:
        ap.error("at least 5 runs each")
    load = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        kit = copy_kit(work, args.data)
        # Python's bytecode cache stays on, as `make` keeps it (a shell that turns it off
        # would have every kernel of both paths compile the kit's modules every run).
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("KIT_") and k != "PYTHONDONTWRITEBYTECODE"
        }
        env.update(PYTHONPATH=str(kit / "src"), PYDEVD_DISABLE_FILE_VALIDATION="1")
        measured = measure(args, kit, work, env)
        claim = rebuild_after(kit, work, env, "claims", add_claim)
        source = rebuild_after(kit, work, env, "sources", add_source(kit, work, env))
        result, lines = summarise(measured, claim, args, load, source)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / f"{args.name}.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
