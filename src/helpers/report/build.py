"""Build every notebook's HTML report: data-aware cache, parallel, offline, atomic.

``python -m helpers.report`` (what ``make report`` runs) executes each notebook in
``notebooks/`` in a fresh kernel and writes ``reports/<notebook>.html`` plus
``reports/index.html``. A notebook runs again only when something it depends on
changed:

* its cells' source and tags (not outputs, counts or metadata noise);
* the data files it read in its last run (recorded in the kernel with an audit
  hook on ``open`` and on folder listings: a listed folder counts as read whole),
  plus every data file no notebook was seen reading (C libraries such as GDAL
  open files unseen by the hook; such a file counts for every notebook unless a
  notebook read or listed it);
* the helper package (``src/helpers/**``), ``requirements.txt``,
  ``constraints.txt`` and the Python version;
* the build parameters: ``--as-of`` and the data folder (``KIT_DATA_DIR``).

The check reads only JSON and hashes files, without importing nbformat, nbclient
or nbconvert (``import nbformat`` alone takes seconds), so a no-op build is instant.
Notebooks that must run are spread over a pool of worker processes, longest first
(by the last build's times), which inherit nbclient and nbconvert from the build.
Each notebook gets a fresh kernel, forked by :mod:`helpers.forkserver` from one
process that has already imported ipykernel, pandas, geopandas, matplotlib and
folium, so four notebooks do not pay those imports four times (``--no-fork``
starts plain kernels).

Reports and the cache manifest are written to a temporary file and renamed into
place, so a failure or an interrupt never leaves half a report, and a failing
notebook keeps its previous good report byte for byte.

Examples
--------
>>> notebook_title({"cells": [{"cell_type": "markdown", "source": "# Map the region"}]}, "x")
'Map the region'
>>> report_dir_for(Path("/tmp/reports"), "2020-12-31").name
'reports-as-of-2020-12-31'
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as _dt
import hashlib
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import paths

#: Bump when the build's output format changes: every report is rebuilt.
BUILD_FORMAT = "1"


BOTTOM_LINE = "**Bottom line.**"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


# --------------------------------------------------------------------------- hashing


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class StatCache:
    """sha256 of files, reused while a file's size and mtime are unchanged."""

    def __init__(self, entries: dict[str, list] | None = None):
        self.entries: dict[str, list] = dict(entries or {})
        self.used: dict[str, list] = {}

    def sha(self, path: Path) -> str:
        st = path.stat()
        key = str(path)
        old = self.entries.get(key)
        if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            self.used[key] = old
            return old[2]
        sha = _sha256_file(path)
        self.used[key] = [st.st_size, st.st_mtime_ns, sha]
        return sha


def _walk_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        found += [Path(dirpath) / f for f in sorted(filenames) if not f.startswith(".")]
    return found


def data_snapshot(data_dir: Path, stats: StatCache) -> dict[str, str]:
    """``{relative path: sha256}`` of every file in the data folder."""
    return {p.relative_to(data_dir).as_posix(): stats.sha(p) for p in _walk_files(data_dir)}


def dataset_fingerprint(snapshot: dict[str, str]) -> str:
    """One sha256 over the data folder's file names and contents.

    >>> dataset_fingerprint({"a.csv": "00"}) == dataset_fingerprint({"a.csv": "00"})
    True
    >>> dataset_fingerprint({"a.csv": "00"}) == dataset_fingerprint({"a.csv": "01"})
    False
    """
    lines = "".join(f"{name}\0{sha}\n" for name, sha in sorted(snapshot.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def _tree_fingerprint(files: list[Path], base: Path, stats: StatCache) -> str:
    digest = hashlib.sha256()
    for p in files:
        rel = p.relative_to(base).as_posix() if p.is_relative_to(base) else p.name
        digest.update(f"{rel}\0{stats.sha(p) if p.exists() else '-'}\n".encode())
    return digest.hexdigest()


def code_fingerprint(nb: dict) -> str:
    """Hash of a notebook's cells (type, source, tags): outputs and counts don't count.

    >>> a = {"cells": [{"cell_type": "code", "source": "x = 1", "outputs": [1]}]}
    >>> b = {"cells": [{"cell_type": "code", "source": ["x = 1"], "outputs": []}]}
    >>> code_fingerprint(a) == code_fingerprint(b)
    True
    """
    cells = [
        [c.get("cell_type"), _source(c), sorted(c.get("metadata", {}).get("tags", []))]
        for c in nb.get("cells", [])
    ]
    return hashlib.sha256(json.dumps(cells, sort_keys=True).encode()).hexdigest()


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


# ------------------------------------------------------------------ notebook facts


def notebook_title(nb: dict, default: str) -> str:
    """The first ``# `` heading of the notebook's markdown, else ``default``."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def notebook_bottom_line(nb: dict) -> str:
    """The first markdown paragraph starting with ``**Bottom line.**`` (prefix dropped).

    >>> notebook_bottom_line({"cells": [{"cell_type": "markdown",
    ...     "source": "# T\\n\\n**Bottom line.** Two **claims** [differ](#x).\\n\\nMore."}]})
    'Two claims differ.'
    """
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        for para in re.split(r"\n\s*\n", _source(cell)):
            para = para.strip()
            if para.startswith(BOTTOM_LINE):
                text = " ".join(para[len(BOTTOM_LINE) :].split())
                # Plain text for the index: drop bold/code marks, keep link texts.
                text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
                return text.replace("**", "").replace("`", "")
    return ""


def report_dir_for(reports_dir: Path, as_of: str | None) -> Path:
    """Where a build writes: ``reports_dir``, or a sibling ``<name>-as-of-<date>``."""
    if not as_of:
        return reports_dir
    return reports_dir.with_name(f"{reports_dir.name}-as-of-{as_of}")


# ------------------------------------------------------------------ atomic writes


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder + rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes 0600 files; reports are for sharing: honour the umask.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# ------------------------------------------------------------------ configuration


@dataclass
class BuildConfig:
    """Everything one build needs; the CLI fills it, tests build it directly."""

    notebooks_dir: Path = field(default_factory=lambda: paths.NOTEBOOKS_DIR)
    reports_dir: Path = field(default_factory=lambda: paths.REPORTS_DIR)
    cache_dir: Path = field(default_factory=lambda: paths.CACHE_DIR)
    data_dir: Path = field(default_factory=paths.data_dir)
    as_of: str | None = None
    jobs: int = 0
    force: bool = False
    only: list[str] | None = None
    timeout: int = 600
    #: start each worker's next kernel while the current notebook runs
    prestart: bool = True
    #: fork kernels from one process that has imported the notebooks' libraries
    #: (helpers.forkserver); False starts every kernel from scratch
    fork: bool = True
    env_files: list[Path] = field(
        default_factory=lambda: [paths.ROOT / "requirements.txt", paths.ROOT / "constraints.txt"]
    )
    helper_dir: Path = field(default_factory=lambda: Path(__file__).resolve().parents[1])

    @property
    def out_dir(self) -> Path:
        return report_dir_for(self.reports_dir, self.as_of)

    @property
    def manifest_path(self) -> Path:
        tag = hashlib.sha256(str(self.out_dir.resolve()).encode()).hexdigest()[:12]
        return self.cache_dir / "build" / f"{self.out_dir.name}-{tag}.json"


def _jobs(requested: int) -> int:
    if requested > 0:
        return requested
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ------------------------------------------------------------------ cache decision


@dataclass
class Plan:
    name: str
    path: Path
    nb: dict
    key: str
    reason: str  # "" = cached


def _load_manifest(path: Path) -> dict:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("format") == BUILD_FORMAT:
            return manifest
    except (OSError, ValueError):
        pass  # missing or unreadable: rebuild everything, never trust it
    return {"format": BUILD_FORMAT, "notebooks": {}, "stat": {}}


def _required_data(name: str, manifest: dict, snapshot: dict[str, str]) -> set[str]:
    """Data files notebook ``name`` depends on, from what the notebooks last read."""
    entries = manifest["notebooks"]
    reads = entries.get(name, {}).get("reads")
    if reads is None:
        return set(snapshot)  # never recorded: depend on everything
    attributed: set[str] = set()
    for entry in entries.values():
        attributed |= _expand(entry.get("reads") or [], snapshot)
    # A file no notebook was seen reading may still be read (by a C library, or by
    # code that has not run yet): every notebook depends on it.
    untracked = set(snapshot) - attributed
    return _expand(reads, snapshot) | untracked


def _expand(reads: list[str], snapshot: dict[str, str]) -> set[str]:
    # A trailing "/" marks a listed folder: it depends on every file below it.
    out = set()
    for r in reads:
        if r.endswith("/"):
            prefix = "" if r == "/" else r
            out |= {p for p in snapshot if p.startswith(prefix)}
        else:
            out.add(r)
    return out


def _geodata_fingerprint(stats: StatCache) -> str | None:
    """Hash of the downloaded boundaries' record (None before `make geodata`)."""
    from ..data.geodata import default_cache_dir  # stdlib-only module: keeps the check light

    record = default_cache_dir() / "provenance.json"
    return stats.sha(record) if record.is_file() else None


def plan_build(cfg: BuildConfig, manifest: dict, stats: StatCache) -> tuple[list[Plan], dict]:
    """Decide, from hashes alone, which notebooks must run (``reason``) and which not."""
    nb_paths = sorted(cfg.notebooks_dir.glob("*.ipynb"))
    if cfg.only:
        wanted = {Path(n).stem for n in cfg.only}
        missing = wanted - {p.stem for p in nb_paths}
        if missing:
            raise SystemExit(f"error: no such notebook in {cfg.notebooks_dir}: {sorted(missing)}")
        nb_paths = [p for p in nb_paths if p.stem in wanted]
    snapshot = data_snapshot(cfg.data_dir, stats)
    helper_files = [
        p
        for p in _walk_files(cfg.helper_dir)
        if p.suffix in {".py", ".j2", ".json", ".js", ".css", ".png"}
    ]
    common = hashlib.sha256(
        json.dumps(
            {
                "format": BUILD_FORMAT,
                "helpers": _tree_fingerprint(helper_files, cfg.helper_dir, stats),
                "env": _tree_fingerprint(cfg.env_files, paths.ROOT, stats),
                "python": sys.version,
                "as_of": cfg.as_of,
                "data_dir": str(cfg.data_dir.resolve()),
                # `make geodata` adds boundary layers outside data/: the maps change.
                "geodata": _geodata_fingerprint(stats),
            },
            sort_keys=True,
        ).encode()
    ).hexdigest()
    plans = []
    for path in nb_paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        key = hashlib.sha256(f"{common}\0{code_fingerprint(nb)}".encode()).hexdigest()
        entry = manifest["notebooks"].get(path.stem)
        report = cfg.out_dir / f"{path.stem}.html"
        if cfg.force:
            reason = "forced"
        elif entry is None:
            reason = "new"
        elif not report.is_file() or stats.sha(report) != entry.get("report_sha"):
            reason = "report missing or changed"
        elif entry.get("key") != key:
            reason = "code, helpers, environment or parameters changed"
        else:
            old = entry.get("data", {})
            changed = sorted(
                p
                for p in _required_data(path.stem, manifest, snapshot)
                if old.get(p) != snapshot.get(p)
            )
            reason = f"data changed: {', '.join(changed[:3])}" if changed else ""
        plans.append(Plan(path.stem, path, nb, key, reason))
    return plans, snapshot


def run_order(todo: list[Plan], manifest: dict) -> list[Plan]:
    """Longest first, by each notebook's time in the last build (unknown: first).

    The last notebook to start is then a short one, so no core idles at the end.

    >>> plans = [Plan(n, Path(n), {}, "", "new") for n in ("a", "b", "c")]
    >>> manifest = {"notebooks": {"a": {"seconds": 2.0}, "b": {"seconds": 9.5}}}
    >>> [p.name for p in run_order(plans, manifest)]
    ['c', 'b', 'a']
    """
    last = {name: entry.get("seconds") for name, entry in manifest["notebooks"].items()}
    return sorted(todo, key=lambda p: -(last.get(p.name) or float("inf")))


# ------------------------------------------------------------------ index page


def _read_sources(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / "sources.csv"
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def render_index(
    cfg: BuildConfig, manifest: dict, plans: list[Plan], snapshot: dict, failed: set[str]
) -> str:
    """The index page: title, one line per existing report, fingerprint, sources."""
    e = html.escape
    rows = []
    for plan in plans:
        entry = manifest["notebooks"].get(plan.name)
        report = cfg.out_dir / f"{plan.name}.html"
        if not entry or not report.is_file():
            # Never link a report that is not there.
            rows.append(
                f'<li class="missing"><strong>{e(plan.name)}</strong>: no report '
                "(its notebook failed; see the build output)</li>"
            )
            continue
        note = (
            (' <em class="stale">(latest build failed: this is the previous good report)</em>')
            if plan.name in failed
            else ""
        )
        bottom = (
            f' <span class="bottom">{e(entry["bottom_line"])}</span>'
            if entry.get("bottom_line")
            else ""
        )
        rows.append(
            f'<li><a href="{e(plan.name)}.html">{e(entry.get("title") or plan.name)}</a>'
            f"{bottom} <small>built {e(entry.get('built', '?'))}</small>{note}</li>"
        )
    sources = []
    for row in _read_sources(cfg.data_dir):
        # <bdi> isolates each data string's direction: a right-to-left publisher name
        # must not reorder the date printed after it.
        parts = [f"<cite><bdi>{e(row.get('title', ''))}</bdi></cite>"]
        parts += [f"<bdi>{e(row[k])}</bdi>" for k in ("publisher", "published") if row.get(k)]
        sources.append(
            f"<li>{', '.join(parts)} <small>[{e(row.get('source_id', ''))}]</small></li>"
        )
    fingerprint = dataset_fingerprint(snapshot)
    as_of = f" as known on {e(cfg.as_of)}" if cfg.as_of else ""
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Karabakh research kit: reports{as_of}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }}
li {{ margin: 0.5em 0; }} .bottom {{ display: block; color: #333; }}
small, .stale, .missing {{ color: #666; }} code {{ word-break: break-all; }}
</style></head>
<body>
<h1>Karabakh research kit: reports{as_of}</h1>
<p>The Moscow meeting of 11 January 2021 (Russia, Azerbaijan, Armenia) as reported by
Anadolu Agency. Each report is a notebook run from a clean kernel; open the code under
"Show code" to see where every number comes from.</p>
<h2>Reports</h2>
<ul>
{chr(10).join(rows) or "<li>No notebooks found.</li>"}
</ul>
<h2>Build</h2>
<p>Index written {now}. Dataset fingerprint (sha256 over the {len(snapshot)} files of
<code>{e(cfg.data_dir.name)}/</code>): <code>{fingerprint}</code></p>
<h2>Sources</h2>
<ul>
{chr(10).join(sources) or "<li>No sources.csv in the data folder.</li>"}
</ul>
</body></html>
"""


# ------------------------------------------------------------------ kernel fork server

FORKED_KERNEL = "kit-forked-python3"


class KernelForkServer:
    """A running :mod:`helpers.forkserver` and the kernel spec that asks it for kernels.

    ``start()`` returns ``None`` where kernels cannot be forked (not Linux); the
    build then starts plain kernels. ``stop()`` ends the server and removes its
    folder; kernels it forked live on until their notebooks are done.
    """

    def __init__(self, folder: Path, process: Any):
        self.folder, self.process = folder, process
        self.spec_dir = folder / "kernels"

    @classmethod
    def start(cls) -> KernelForkServer | None:
        from . import forkserver

        if not forkserver.available():
            return None
        # A short path: Unix socket paths are limited to about 100 bytes.
        folder = Path(tempfile.mkdtemp(prefix="kit-kernels-"))
        script, socket_path = str(Path(forkserver.__file__).resolve()), str(folder / "s")
        forkserver.write_kernel_spec(str(folder / "kernels"), FORKED_KERNEL, socket_path)
        try:
            process = subprocess.Popen(
                [sys.executable, script, "serve", socket_path],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=True,
            )
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        return cls(folder, process)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()  # the server's signal to finish
        try:
            self.process.wait(timeout=15)  # it gives its kernels 5 s to end
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


# ------------------------------------------------------------------ worker side
# Everything below runs in pool workers; heavy imports happen there, once each.

#: Runs first in the kernel, hidden from the report: records which data files the
#: notebook reads, and gives matplotlib figures alt text from their titles.
_SETUP_CODE = r"""
def _kit_setup(data_root):
    import os, sys
    roots = {os.path.abspath(data_root), os.path.realpath(data_root)}
    reads = set()
    sys.modules["__kit_reads__"] = reads
    def hook(event, args):
        if event != "open" and event != "os.listdir" and event != "os.scandir":
            return
        p = args[0] if args else None
        if isinstance(p, bytes):
            p = os.fsdecode(p)
        elif p is not None and not isinstance(p, str):
            try:
                p = os.fspath(p)
            except TypeError:
                return
        if event != "open" and p is None:
            p = "."
        if not isinstance(p, str):
            return
        p = os.path.abspath(p)
        for root in roots:
            if p == root or p.startswith(root + os.sep):
                rel = os.path.relpath(p, root).replace(os.sep, "/")
                reads.add("/" if rel == "." else rel + "/" if event != "open" else rel)
    sys.addaudithook(hook)

    ip = get_ipython()
    fmt = ip.display_formatter.format
    def alt_of(fig):
        alt = getattr(fig, "kit_alt", None) or fig.get_label()
        if alt:
            return alt
        titles = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) else []
        titles += [ax.get_title() for ax in fig.axes if ax.get_title()]
        if titles:
            return "; ".join(titles)
        labels = [f"{ax.get_ylabel()} against {ax.get_xlabel()}" for ax in fig.axes
                  if ax.get_xlabel() or ax.get_ylabel()]
        return "Chart: " + "; ".join(labels) if labels else ""
    def format_with_alt(obj, include=None, exclude=None):
        data, md = fmt(obj, include=include, exclude=exclude)
        if type(obj).__module__.startswith("matplotlib") and hasattr(obj, "get_label"):
            alt = alt_of(obj)
            for mime in ("image/png", "image/jpeg", "image/svg+xml"):
                if alt and mime in data:
                    md.setdefault(mime, {}).setdefault("alt", alt)
        return data, md
    ip.display_formatter.format = format_with_alt
_kit_setup(%r)
del _kit_setup
"""

_READS_CODE = 'import sys, json; print(json.dumps(sorted(sys.modules["__kit_reads__"])))'

_WORKER: dict[str, Any] = {}


def _trace(msg: str) -> None:
    # KIT_BUILD_TRACE=1 prints a timeline of each worker (for tuning the build).
    if os.environ.get("KIT_BUILD_TRACE"):
        print(f"[{time.time() % 1000:8.2f} {os.getpid()}] {msg}", file=sys.stderr, flush=True)


def _start_kernel() -> dict[str, Any]:
    """Start a kernel now (it boots while this worker does other work)."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    # Kernel stderr (e.g. pyzmq's plain-TCP warning) goes to a file, shown only if the
    # kernel dies; _stop_kernel closes it.
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
    spec_dir = _WORKER.get("kernel_specs")
    if spec_dir:
        from jupyter_client.kernelspec import KernelSpecManager

        km = AsyncKernelManager(
            kernel_name=FORKED_KERNEL, kernel_spec_manager=KernelSpecManager(kernel_dirs=[spec_dir])
        )
    else:
        km = AsyncKernelManager(kernel_name="python3")
    kernel = {"km": km, "log": log}
    _LIVE_KERNELS.append(kernel)
    run_sync(km.start_kernel)(cwd=_WORKER["cwd"], stderr=log)
    return kernel


def _stop_kernel(kernel: dict[str, Any] | None) -> None:
    if not kernel:
        return
    from jupyter_core.utils import run_sync

    with contextlib.suppress(Exception):
        run_sync(kernel["km"].shutdown_kernel)(now=True)
    kernel["log"].close()
    with contextlib.suppress(ValueError):
        _LIVE_KERNELS.remove(kernel)


#: This worker's kernels that are starting, running or waiting for a notebook.
_LIVE_KERNELS: list[dict[str, Any]] = []


def _own_signals(**_: Any) -> None:
    """Ctrl-C is the build's to handle; SIGTERM from the build ends this worker.

    nbclient installs its own SIGINT/SIGTERM handlers while a notebook runs and
    resets them to the defaults after: this is called again at each notebook's
    start and end.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate_worker)


def _terminate_worker(signum, frame) -> None:
    """SIGTERM from the build: kill this worker's kernels at once and exit.

    Exiting through Python's normal shutdown would unwind nbclient's event loop
    mid-message and print its tracebacks; the notebook's outcome is lost either way.
    """
    for kernel in _LIVE_KERNELS:
        km = kernel["km"]
        launched = getattr(km.provisioner, "pid", None)  # a kernel, or its launcher
        if launched:
            # Jupyter starts each kernel as the leader of a new process group.
            with contextlib.suppress(OSError):
                os.killpg(launched, signal.SIGKILL)
        with contextlib.suppress(Exception):
            km.cleanup_connection_file()
    os._exit(128 + signum)


def _worker_init(
    env: dict[str, str], cwd: str, kernel_specs: str | None, unclaimed: Any, prestart: bool
) -> None:
    # Ctrl-C reaches every process of the group: let the parent decide, and stop
    # this worker with SIGTERM. A normal exit shuts down a kernel left waiting.
    import atexit

    _own_signals()
    os.environ.update(env)
    _trace("worker start")
    _WORKER.update(cwd=cwd, kernel_specs=kernel_specs, unclaimed=unclaimed, prestart=prestart)
    # Boot this worker's first kernel now; it starts while the first job arrives.
    _WORKER["next"] = _start_kernel() if prestart else None
    atexit.register(lambda: _stop_kernel(_WORKER.pop("next", None)))
    if "exporter" not in _WORKER:  # not inherited from the parent (spawn, not fork)
        _prepare_execution()
    _trace("worker ready")


def _prepare_execution() -> None:
    """Import nbclient and nbconvert and compile the report template, once per process."""
    # nbformat imports jsonschema, which imports the optional rfc3987_syntax for IRI
    # format checks: ~2.5 s of grammar building per process, for a check notebook
    # validation never uses. Marking it absent makes jsonschema skip it (ImportError).
    sys.modules.setdefault("rfc3987_syntax", None)
    import nbclient  # noqa: F401  (imported once, not per notebook)
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="kit_report", extra_template_basedirs=[str(TEMPLATES_DIR)]
    )
    # Compile the templates now, not after the first notebook.
    exporter.from_notebook_node(nbformat.v4.new_notebook())
    _WORKER["exporter"] = exporter


def _claim_kernel() -> dict[str, Any]:
    """This job's kernel; pre-start the next one if more jobs than workers remain."""
    kernel = _WORKER.pop("next", None) or _start_kernel()
    unclaimed = _WORKER["unclaimed"]
    with unclaimed.get_lock():
        unclaimed.value -= 1
        more = unclaimed.value >= _WORKER["workers"]
    if more and _WORKER["prestart"]:
        _WORKER["next"] = _start_kernel()
    return kernel


def _cell_alt(nb: Any, index: int) -> str:
    """Fallback alt text: cell metadata "alt", a title in the code, preceding prose."""
    cell = nb.cells[index]
    if cell.metadata.get("alt"):
        return str(cell.metadata["alt"])
    m = re.search(r"""(?:suptitle|set_title|title)\s*[(=]\s*[rfu]?(["'])(.+?)\1""", cell.source)
    if m:
        return m.group(2)
    for prev in reversed(nb.cells[:index]):
        if prev.cell_type == "markdown" and prev.source.strip():
            text = re.sub(r"[#*_`>]", "", prev.source.strip().split("\n\n")[-1])
            return "Figure after: " + " ".join(text.split())[:200]
    return ""


def _run_notebook(job: dict[str, Any]) -> dict[str, Any]:
    """Execute one notebook and export it; return the HTML or the failing cell."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    started = time.perf_counter()
    nb = nbformat.reads(json.dumps(job["nb"]), as_version=4)
    original = list(nb.cells)
    position = {id(c): i + 1 for i, c in enumerate(original)}  # 1-based, as shown in Lab

    # papermill's convention: overriding values go in a cell tagged
    # "injected-parameters" right after the one tagged "parameters".
    params = job["parameters"]
    injected = nbformat.v4.new_code_cell(
        "# Parameters injected by helpers.build\n"
        + "".join(f"{k} = {v!r}\n" for k, v in params.items()),
        metadata={"tags": ["injected-parameters"]},
    )
    at = next(
        (i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), 0
    )
    nb.cells.insert(at, injected)
    setup = nbformat.v4.new_code_cell(_SETUP_CODE % job["data_dir"])
    reads_cell = nbformat.v4.new_code_cell(_READS_CODE)
    nb.cells.insert(0, setup)
    nb.cells.append(reads_cell)

    current = {"cell": None}

    def on_cell_start(cell, cell_index, **_):
        current["cell"] = cell

    _WORKER["workers"] = job["workers"]
    _trace(f"job {job['name']}")
    kernel = _claim_kernel()
    _trace("kernel claimed")
    kernel_log = kernel["log"]
    client = NotebookClient(
        nb,
        km=kernel["km"],
        timeout=job["timeout"],
        kernel_name="python3",
        resources={"metadata": {"path": job["cwd"]}},
        on_cell_start=on_cell_start,
        on_notebook_start=_own_signals,
    )
    try:
        client.execute()
        _trace("executed")
    except (CellExecutionError, CellTimeoutError) as exc:
        cell = current["cell"]
        if cell is setup or cell is reads_cell:
            where = "the build's own setup cell"
        elif cell is injected:
            where = "the injected-parameters cell"
        else:
            where = f"cell {position.get(id(cell), '?')} of {len(original)}"
        first = "\n".join((cell.source if cell is not None else "").splitlines()[:4])
        error = (
            f"{exc.ename}: {exc.evalue}"
            if isinstance(exc, CellExecutionError)
            else f"timeout after {job['timeout']} s"
        )
        return {
            "ok": False,
            "where": where,
            "source": first,
            "error": error,
            "seconds": time.perf_counter() - started,
        }
    except Exception as exc:  # dead kernel, bad kernelspec, ...: still name the notebook
        kernel_log.seek(0)
        tail = kernel_log.read()[-2000:]
        cell = current["cell"]
        where = f"cell {position.get(id(cell), '?')} of {len(original)}" if cell else "start-up"
        return {
            "ok": False,
            "where": where,
            "source": tail,
            "error": f"{type(exc).__name__}: {exc}",
            "seconds": time.perf_counter() - started,
        }
    finally:
        _own_signals()
        if client.kc is not None:
            client.kc.stop_channels()
        _stop_kernel(kernel)
        _trace("kernel stopped")

    reads = []
    for out in reads_cell.get("outputs", []):
        if out.get("name") == "stdout":
            with contextlib.suppress(ValueError):
                reads = json.loads(out["text"].strip().splitlines()[-1])
    nb.cells = [c for c in nb.cells if c is not setup and c is not reads_cell]

    # Alt text for images that came without it (figures not shown via helpers.figures).
    missing_alt = 0
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            for mime in ("image/png", "image/jpeg", "image/svg+xml"):
                if mime in out.get("data", {}):
                    md = out.setdefault("metadata", {}).setdefault(mime, {})
                    if not (md.get("alt") or out["metadata"].get("alt")):
                        md["alt"] = _cell_alt(nb, index)
                        missing_alt += not md["alt"]
    nb.metadata["title"] = job["title"]
    body, _ = _WORKER["exporter"].from_notebook_node(
        nb, resources={"metadata": {"name": job["name"]}, "kit_built": job["built"]}
    )
    _trace("exported")
    return {
        "ok": True,
        "html": body,
        "reads": reads,
        "missing_alt": missing_alt,
        "seconds": time.perf_counter() - started,
    }


# ------------------------------------------------------------------ driver


def _raise_interrupt(signum, frame):  # SIGTERM behaves like Ctrl-C in the parent
    raise KeyboardInterrupt


def build(cfg: BuildConfig, *, out=sys.stdout) -> int:
    """Run the build; return the exit status (0 ok, 1 a notebook failed, 130 interrupted)."""
    t0 = time.perf_counter()
    manifest = _load_manifest(cfg.manifest_path)
    stats = StatCache(manifest.get("stat"))
    plans, snapshot = plan_build(cfg, manifest, stats)
    todo = run_order([p for p in plans if p.reason], manifest)
    failed: set[str] = set()
    seen_errors: dict[str, str] = {}  # error text -> first notebook that raised it
    interrupted = False
    width = max((len(p.name) for p in plans), default=10)

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    for p in plans:
        if not p.reason:
            say(f"  cached  {p.name:<{width}}")

    def save_manifest() -> None:
        manifest["stat"] = stats.used  # only files still in use: the cache stays small
        atomic_write(cfg.manifest_path, json.dumps(manifest, indent=1, sort_keys=True).encode())

    if todo:
        import concurrent.futures as cf
        import multiprocessing

        cfg.out_dir.mkdir(parents=True, exist_ok=True)
        env = {"KIT_OUTPUT_DIR": str(cfg.out_dir)}
        if os.environ.get("KIT_DATA_DIR") or cfg.data_dir.resolve() != paths.DATA_DIR.resolve():
            env["KIT_DATA_DIR"] = str(cfg.data_dir)
        built = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        jobs = min(_jobs(cfg.jobs), len(todo))
        old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
        # fork: the parent runs no threads (checked in the tests), so forking is safe,
        # and it saves each worker an interpreter start-up and nbconvert's imports.
        ctx = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        unclaimed = ctx.Value("i", len(todo))
        server = pool = None
        try:
            # Started first: it imports the notebooks' libraries on one core while
            # this process imports nbclient and nbconvert on the other.
            server = KernelForkServer.start() if cfg.fork else None
            if ctx.get_start_method() == "fork":
                _prepare_execution()  # once here; every forked worker inherits it
            pool = cf.ProcessPoolExecutor(
                max_workers=jobs,
                mp_context=ctx,
                initializer=_worker_init,
                initargs=(
                    env,
                    str(cfg.notebooks_dir),
                    server and str(server.spec_dir),
                    unclaimed,
                    cfg.prestart,
                ),
            )
            futures = {}
            for p in todo:
                job = {
                    "name": p.name,
                    "nb": p.nb,
                    "cwd": str(p.path.parent),
                    "parameters": {"AS_OF": cfg.as_of},
                    "data_dir": str(cfg.data_dir),
                    "timeout": cfg.timeout,
                    "title": notebook_title(p.nb, p.name),
                    "built": built,
                    "workers": jobs,
                }
                futures[pool.submit(_run_notebook, job)] = p
            for fut in cf.as_completed(futures):
                p = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # the worker itself broke (not the notebook)
                    res = {
                        "ok": False,
                        "where": "the build worker",
                        "source": "",
                        "error": f"{type(exc).__name__}: {exc}",
                        "seconds": 0.0,
                    }
                if not res["ok"]:
                    failed.add(p.name)
                    first = seen_errors.setdefault(res["error"], p.name)
                    if first != p.name:  # bad data fails every notebook alike: say it once
                        say(
                            f"  FAILED  {p.name:<{width}} {res['seconds']:6.1f} s  "
                            f"{p.path.name}, {res['where']}: the same error as {first}"
                        )
                        continue
                    say(
                        f"  FAILED  {p.name:<{width}} {res['seconds']:6.1f} s  "
                        f"{p.path.name}, {res['where']}: {res['error']}"
                    )
                    for line in res["source"].splitlines():
                        say(f"          | {line}")
                    continue
                data = res["html"].encode("utf-8")
                report = cfg.out_dir / f"{p.name}.html"
                atomic_write(report, data)
                manifest["notebooks"][p.name] = {
                    "key": p.key,
                    "data": snapshot,
                    "reads": res["reads"],
                    "report_sha": hashlib.sha256(data).hexdigest(),
                    "title": notebook_title(p.nb, p.name),
                    "bottom_line": notebook_bottom_line(p.nb),
                    "built": built,
                    "seconds": round(res["seconds"], 2),
                }
                stats.sha(report)  # remember its stat, so the next check is cheap
                save_manifest()
                warn = (
                    f"  ({res['missing_alt']} image(s) without alt text)"
                    if res["missing_alt"]
                    else ""
                )
                say(f"  built   {p.name:<{width}} {res['seconds']:6.1f} s  ({p.reason}){warn}")
        except KeyboardInterrupt:
            interrupted = True
            say("  interrupted: stopping workers; finished reports are kept, none is half-written")
            if pool is not None:
                for proc in list((getattr(pool, "_processes", None) or {}).values()):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(proc.pid, signal.SIGTERM)
                pool.shutdown(wait=True, cancel_futures=True)
        else:
            pool.shutdown(wait=True)
        finally:
            if server:
                server.stop()
            signal.signal(signal.SIGTERM, old_term)

    cfg.out_dir.mkdir(parents=True, exist_ok=True)
    index = render_index(cfg, manifest, plans, snapshot, failed)
    atomic_write(cfg.out_dir / "index.html", index.encode("utf-8"))
    save_manifest()
    n_built = len(todo) - len(failed)
    say(
        f"{len(plans)} notebook(s): {n_built if not interrupted else '?'} built, "
        f"{len(plans) - len(todo)} cached, {len(failed)} failed in "
        f"{time.perf_counter() - t0:.1f} s -> {cfg.out_dir / 'index.html'}"
    )
    if interrupted:
        return 130
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m helpers.report --help``."""
    ap = argparse.ArgumentParser(
        prog="python -m helpers.report", description=__doc__.split("\n")[0]
    )
    ap.add_argument(
        "--as-of",
        help="build the reports as known on this date (YYYY-MM-DD), "
        "into a separate <reports>-as-of-<date>/ folder",
    )
    ap.add_argument("--jobs", type=int, default=0, help="parallel notebooks (default: cores)")
    ap.add_argument("--force", action="store_true", help="ignore the cache, run everything")
    ap.add_argument("--notebooks", nargs="+", metavar="NAME", help="only these notebooks")
    ap.add_argument("--notebooks-dir", type=Path, default=paths.NOTEBOOKS_DIR)
    ap.add_argument("--reports-dir", type=Path, default=paths.REPORTS_DIR)
    ap.add_argument("--cache-dir", type=Path, default=paths.CACHE_DIR)
    ap.add_argument(
        "--data-dir", type=Path, default=None, help="data folder (default: $KIT_DATA_DIR or data/)"
    )
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    ap.add_argument(
        "--no-prestart",
        dest="prestart",
        action="store_false",
        help="start each kernel only when its notebook is due",
    )
    ap.add_argument(
        "--no-fork",
        dest="fork",
        action="store_false",
        help="start every kernel from scratch instead of forking it from a "
        "process that has imported the libraries (helpers.forkserver)",
    )
    args = ap.parse_args(argv)
    if args.as_of:
        try:
            _dt.date.fromisoformat(args.as_of)
        except ValueError:
            ap.error(f"--as-of must be a date YYYY-MM-DD, not {args.as_of!r}")
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
        fork=args.fork,
        prestart=args.prestart,
    )
    if not cfg.notebooks_dir.is_dir():
        ap.error(f"no notebooks folder {cfg.notebooks_dir}")
    return build(cfg)


if __name__ == "__main__":
    sys.exit(main())
