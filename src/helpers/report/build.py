"""The report build: plan from the cache, run what changed in parallel, write reports and index.

``python -m helpers.report`` (what ``make report`` runs) executes each notebook of
``notebooks/`` in a fresh kernel and writes ``reports/<notebook>.html``, a thumbnail
of its key figure (``reports/thumbnails/``) and ``reports/index.html``. The parts:

* :mod:`.cache`: which notebooks must run, and why (hashes only: a no-op build
  imports neither nbformat nor nbclient);
* :mod:`.runner`: notebooks run concurrently (asyncio, longest first); clean interrupts;
* :mod:`.execute`: one notebook with nbclient, parameters with papermill, the HTML;
* :mod:`.kernel_setup`: what runs inside each kernel (which data it read);
* :mod:`.index`: the index page (Jinja).

Every file is written with :func:`helpers.data.export.atomic_write`: a failure or
an interrupt never leaves half a file, and a failing notebook keeps its previous
report byte for byte. Exit status: 0 all built, 1 a notebook failed, 130 interrupted.

>>> BuildConfig(reports_dir=Path("/tmp/reports"), as_of="2020-12-31").out_dir.name
'reports-as-of-2020-12-31'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .. import paths
from ..data.export import atomic_write
from . import index
from .cache import Manifest, NotebookRecord, Plan, StatCache, default_jobs, plan_build, run_order
from .job import Job, Outcome

THUMBNAILS = "thumbnails"


def report_dir_for(reports_dir: Path, as_of: str | None) -> Path:
    """Where a build writes: ``reports_dir``, or a sibling ``<name>-as-of-<date>``."""
    return reports_dir.with_name(f"{reports_dir.name}-as-of-{as_of}") if as_of else reports_dir


@dataclass
class BuildConfig:
    """Everything one build needs; the command line fills it, tests build it directly."""

    notebooks_dir: Path = field(default_factory=lambda: paths.NOTEBOOKS_DIR)
    reports_dir: Path = field(default_factory=lambda: paths.REPORTS_DIR)
    cache_dir: Path = field(default_factory=lambda: paths.CACHE_DIR)
    data_dir: Path = field(default_factory=paths.data_dir)
    as_of: str | None = None
    jobs: int = 0  # 0: two per core (cache.default_jobs)
    force: bool = False
    only: list[str] | None = None
    timeout: int = 600  # seconds per cell
    kernel_name: str = "python3"
    env_files: list[Path] = field(
        default_factory=lambda: [paths.ROOT / "pyproject.toml", paths.ROOT / "requirements.lock"]
    )
    helper_dir: Path = field(default_factory=lambda: Path(__file__).resolve().parents[1])

    @property
    def out_dir(self) -> Path:
        return report_dir_for(self.reports_dir, self.as_of)

    @property
    def manifest_path(self) -> Path:
        tag = hashlib.sha256(str(self.out_dir.resolve()).encode()).hexdigest()[:12]
        return self.cache_dir / "build" / f"{self.out_dir.name}-{tag}.json"


@dataclass
class Run:
    """One build in progress: its plan, cache and what happened so far."""

    cfg: BuildConfig
    out: TextIO
    manifest: Manifest
    stats: StatCache
    plans: list[Plan]
    data: dict[str, str]
    built_at: str = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    )
    failed: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)  # error -> first notebook with it

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    @property
    def width(self) -> int:
        return max((len(p.name) for p in self.plans), default=10)

    def save_manifest(self) -> None:
        self.manifest.stat = self.stats.used  # files still in use only: the cache stays small
        atomic_write(self.cfg.manifest_path, self.manifest.to_json())


def build(cfg: BuildConfig, *, out: TextIO = sys.stdout) -> int:
    """Run the build; return the exit status (0 ok, 1 a notebook failed, 130 interrupted)."""
    started = time.perf_counter()
    manifest = Manifest.load(cfg.manifest_path)
    stats = StatCache(manifest.stat)
    plans, inputs = plan_build(cfg, manifest, stats)
    run = Run(cfg, out, manifest, stats, plans, inputs.data)
    for plan in plans:
        if not plan.reason:
            run.say(f"  cached  {plan.name}")
    todo = run_order([p for p in plans if p.reason], manifest)
    interrupted = False
    try:
        if todo:
            _run_notebooks(run, todo)
    except KeyboardInterrupt:
        interrupted = True
        run.say("  interrupted: kernels stopped; finished reports are kept, none is half-written")
    _write_index(run)
    run.save_manifest()
    built = "?" if interrupted else len(todo) - len(run.failed)
    run.say(
        f"{len(plans)} notebook(s): {built} built, {len(plans) - len(todo)} cached, "
        f"{len(run.failed)} failed in {time.perf_counter() - started:.1f} s "
        f"-> {cfg.out_dir / 'index.html'}"
    )
    return 130 if interrupted else (1 if run.failed else 0)


def _run_notebooks(run: Run, todo: list[Plan]) -> None:
    # Here, not above: a build with nothing to run (most builds) never imports asyncio,
    # and its whole cost is starting up (the no-op target is 0.3 s).
    from . import runner

    cfg = run.cfg
    cfg.out_dir.mkdir(parents=True, exist_ok=True)
    # Connection files and IPC sockets of this build's kernels: a short path, as
    # socket paths are limited to about 100 bytes.
    kernel_dir = tempfile.mkdtemp(prefix="kit-k")
    preloaded = preload_dataset(cfg, Path(kernel_dir)) if len(todo) > 1 else ""
    jobs = [_job(run, plan, kernel_dir, preloaded) for plan in todo]
    by_name = {plan.name: plan for plan in todo}
    try:
        limit = cfg.jobs or default_jobs()
        runner.run_all(jobs, limit, lambda outcome: _record(run, by_name[outcome.name], outcome))
    finally:
        shutil.rmtree(kernel_dir, ignore_errors=True)


def preload_dataset(cfg: BuildConfig, folder: Path) -> str:
    """Load and validate the data once for every kernel of this build; the pickle's path.

    Each kernel's ``helpers.load()`` then unpickles it instead of reading and
    validating the same files again (``$KIT_PRELOADED_DATASET``, :mod:`helpers.paths`):
    a build of several notebooks spends less CPU than running them one by one.
    The pickle lives in the build's own temporary folder, so no later build can
    see it. "" when it cannot help: no data package, data that does not load
    (each notebook then reports the problem, as without it), or a kernel of
    another environment (whose pandas may not read this one's pickle).
    """
    import pickle

    if cfg.kernel_name != "python3" or not (cfg.data_dir / "datapackage.json").is_file():
        return ""
    from ..data.dataset import load

    try:
        dataset = load(cfg.data_dir)
    except Exception:  # noqa: BLE001 - each notebook's own load then reports it, with its cell
        return ""
    target = folder / "dataset.pickle"
    target.write_bytes(pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL))
    return str(target)


def _job(run: Run, plan: Plan, kernel_dir: str, preloaded_dataset: str = "") -> Job:
    cfg = run.cfg
    return Job(
        name=plan.name,
        nb=plan.nb,
        cwd=str(plan.path.parent),
        data_dir=str(cfg.data_dir),
        out_dir=str(cfg.out_dir),
        # Only values the build sets are injected: with none, each notebook runs with the
        # defaults its parameters cell holds, and gets no injected cell (papermill's rule).
        parameters={"AS_OF": cfg.as_of} if cfg.as_of else {},
        title=plan.title,
        built=run.built_at,
        kernel_dir=kernel_dir,
        preloaded_dataset=preloaded_dataset,
        kernel_name=cfg.kernel_name,
        timeout=cfg.timeout,
    )


def _record(run: Run, plan: Plan, outcome: Outcome) -> None:
    """Write a finished notebook's report and remember it; or say where it failed."""
    if not outcome.ok:
        _say_failure(run, plan, outcome)
        return
    out_dir = run.cfg.out_dir
    html = outcome.html.encode("utf-8")
    atomic_write(out_dir / f"{plan.name}.html", html)
    thumb = Path(THUMBNAILS) / f"{plan.name}.png"
    if outcome.thumbnail:
        atomic_write(out_dir / thumb, outcome.thumbnail)
    else:
        (out_dir / thumb).unlink(missing_ok=True)
    run.manifest.notebooks[plan.name] = NotebookRecord(
        key=plan.key,
        data=run.data,
        reads=outcome.reads,
        report_sha=hashlib.sha256(html).hexdigest(),
        title=plan.title,
        built=run.built_at,
        seconds=round(outcome.seconds, 2),
        bottom_line=outcome.bottom_line,
        thumbnail=thumb.as_posix() if outcome.thumbnail else "",
        thumbnail_alt=outcome.thumbnail_alt,
        missing_alt=outcome.missing_alt,
    )
    run.stats.sha(out_dir / f"{plan.name}.html")  # remember its stat: the next check is cheap
    run.save_manifest()
    warn = f"  ({outcome.missing_alt} image(s) without alt text)" if outcome.missing_alt else ""
    run.say(f"  built   {plan.name:<{run.width}} {outcome.seconds:6.1f} s  ({plan.reason}){warn}")
    for note in outcome.notes:  # e.g. essay sentences whose evidence changed
        run.say(f"          {note}")


def _say_failure(run: Run, plan: Plan, outcome: Outcome) -> None:
    run.failed.add(plan.name)
    head = f"  FAILED  {plan.name:<{run.width}} {outcome.seconds:6.1f} s  {plan.path.name}, "
    first = run.errors.setdefault(outcome.error, plan.name)
    if first != plan.name:  # bad data fails every notebook alike: say it once
        run.say(f"{head}{outcome.where}: the same error as {first}")
        return
    run.say(f"{head}{outcome.where}: {outcome.error}")
    for line in outcome.excerpt.splitlines():
        run.say(f"          | {line}")


def _write_index(run: Run) -> None:
    """Write the index if what it shows changed (a no-op build does not even import Jinja)."""
    page = index.page(run.cfg, run.manifest, run.plans, run.data, run.failed)
    target = run.cfg.out_dir / "index.html"
    if page.key() == run.manifest.index_key and target.is_file():
        return
    atomic_write(target, index.render(page).encode("utf-8"))
    run.manifest.index_key = page.key()
