"""Which notebooks must run, decided from hashes alone (standard library only).

A notebook reruns when something it depends on changed, and the build says what:

* ``notebook changed``: its cells' source and tags (not outputs, counts or metadata);
* ``helpers changed``: the helper package (``src/helpers/**``);
* ``environment changed``: ``pyproject.toml``, ``requirements.lock``, the Python version;
* ``parameters changed``: ``--as-of``, the data folder, the build's own format;
* ``boundaries changed``: the downloaded boundaries (``make geodata``);
* ``<file> changed``: a data file it read in its last run. In the kernel, the
  tables it read from the dataset count (plus ``datapackage.json`` once it loaded
  the data), and files it opened or folders it listed outside the loader (see
  :mod:`.kernel_setup`). A file no notebook was seen reading counts for every
  notebook (C libraries such as GDAL open files unseen, and new files may be read
  next time). For a CSV file the reason says what changed in it: which columns,
  or how many rows were added or removed (:func:`csv_change`);
* ``new``, ``forced``, ``report missing or changed``.

Nothing here imports nbformat, nbclient or pandas, so a build with nothing to do
finishes in a fraction of a second.

>>> notebook_title({"cells": [{"cell_type": "markdown", "source": "# Map the region"}]}, "x")
'Map the region'
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..data import fingerprint

#: Bump when the build's output format changes: every report is rebuilt.
BUILD_FORMAT = "3"
BOTTOM_LINE = "**Bottom line.**"
#: Files of the helper package that can change a report.
HELPER_SUFFIXES = {".py", ".j2", ".json", ".js", ".css", ".png"}


class StatCache:
    """SHA-256 of files, reused while a file's size and mtime are unchanged."""

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
        sha = fingerprint.sha256_file(path)
        self.used[key] = [st.st_size, st.st_mtime_ns, sha]
        return sha


# ------------------------------------------------------------------ records


@dataclass
class NotebookRecord:
    """What the cache remembers of a notebook's last good build."""

    key: dict[str, str]  # what ``notebook``, ``helpers``, ... hashed to
    data: dict[str, str]  # the data folder's {file: sha256} when it ran
    reads: list[str]  # data files it read ("dir/" = a listed folder)
    report_sha: str
    title: str
    built: str
    seconds: float
    bottom_line: str = ""  # the output of its cell tagged "bottom-line", if any
    thumbnail: str = ""  # relative path of its key figure's thumbnail
    thumbnail_alt: str = ""
    missing_alt: int = 0


@dataclass
class Manifest:
    """The cache file: one record per notebook, the stat cache, the index's key.

    ``tables`` holds, for each CSV file's SHA-256 that a record refers to, its
    :func:`csv_digest`, so a reason can say what changed in a file.
    """

    notebooks: dict[str, NotebookRecord] = field(default_factory=dict)
    stat: dict[str, list] = field(default_factory=dict)
    index_key: str = ""
    tables: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The manifest at ``path``; an empty one if missing, unreadable or of another format."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("format") == BUILD_FORMAT:
                records = {k: NotebookRecord(**v) for k, v in raw["notebooks"].items()}
                return cls(
                    records, raw.get("stat", {}), raw.get("index_key", ""), raw.get("tables", {})
                )
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass  # never trust a damaged cache: rebuild everything
        return cls()

    def to_json(self) -> bytes:
        used = {sha for record in self.notebooks.values() for sha in record.data.values()}
        raw = {
            "format": BUILD_FORMAT,
            "notebooks": {k: asdict(v) for k, v in sorted(self.notebooks.items())},
            "stat": self.stat,
            "index_key": self.index_key,
            "tables": {sha: d for sha, d in self.tables.items() if sha in used},
        }
        return json.dumps(raw, indent=1, sort_keys=True).encode()


@dataclass
class Plan:
    """One notebook of this build: its source, its cache key, why it runs (``""``: cached)."""

    name: str
    path: Path
    nb: dict
    key: dict[str, str]
    reason: str

    @property
    def title(self) -> str:
        return notebook_title(self.nb, self.name)


@dataclass
class Inputs:
    """What every notebook's key shares, and the data folder as it is now."""

    common: dict[str, str]
    data: dict[str, str]


# ------------------------------------------------------------------ notebook facts


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


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


def notebook_title(nb: dict, default: str) -> str:
    """The first ``# `` heading of the notebook's markdown, else ``default``."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def hand_written_bottom_line(nb: dict) -> str:
    """The first markdown paragraph starting with ``**Bottom line.**``, for the index.

    >>> hand_written_bottom_line({"cells": [{"cell_type": "markdown",
    ...     "source": "# T\\n\\n**Bottom line.** Two **claims** [differ](#x).\\n\\nMore."}]})
    'Two **claims** differ.'
    """
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        for para in re.split(r"\n\s*\n", _source(cell)):
            para = para.strip()
            if para.startswith(BOTTOM_LINE):
                return index_markdown(para[len(BOTTOM_LINE) :])
    return ""


def index_markdown(markdown: str) -> str:
    """Markdown for the index page: lines and emphasis kept, links reduced to their text
    (a notebook's links point inside its own report, not the index).

    >>> index_markdown("**Up to** 5,000, per [the article](https://x):\\n- one  \\n")
    '**Up to** 5,000, per the article:\\n- one'
    """
    lines = [line.rstrip() for line in markdown.strip().splitlines()]
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", "\n".join(lines))


def _tree_sha(files: list[Path], base: Path | None, stats: StatCache) -> str:
    digest = hashlib.sha256()
    for p in files:
        rel = p.relative_to(base).as_posix() if base else p.name
        digest.update(f"{rel}\0{stats.sha(p) if p.exists() else '-'}\n".encode())
    return digest.hexdigest()


def _boundaries_sha(stats: StatCache) -> str:
    """Hash of the downloaded boundaries' record (``-`` before ``make geodata``)."""
    from ..data.geodata import default_cache_dir  # stdlib-only module

    record = default_cache_dir() / "provenance.json"
    return stats.sha(record) if record.is_file() else "-"


def _sha(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def shared_inputs(cfg, stats: StatCache) -> Inputs:
    """Hash what every notebook depends on (``cfg``: a :class:`~.build.BuildConfig`)."""
    helper_files = [
        p for p in fingerprint.data_files(cfg.helper_dir) if p.suffix in HELPER_SUFFIXES
    ]
    common = {
        "helpers": _tree_sha(helper_files, cfg.helper_dir, stats),
        "environment": _sha([_tree_sha(cfg.env_files, None, stats), sys.version]),
        "parameters": _sha([BUILD_FORMAT, cfg.as_of, str(cfg.data_dir.resolve()), cfg.kernel_name]),
        "boundaries": _boundaries_sha(stats),
    }
    return Inputs(common, fingerprint.snapshot(cfg.data_dir, stats.sha))


def expand(reads: list[str], files: dict[str, str]) -> set[str]:
    """Files named by ``reads``; a trailing ``/`` stands for every file below a folder.

    >>> sorted(expand(["a.csv", "geo/"], {"a.csv": "", "geo/x.json": "", "b.csv": ""}))
    ['a.csv', 'geo/x.json']
    """
    out = set()
    for r in reads:
        if r.endswith("/"):
            prefix = "" if r == "/" else r
            out |= {p for p in files if p.startswith(prefix)}
        else:
            out.add(r)
    return out


def required_data(name: str, manifest: Manifest, files: dict[str, str]) -> set[str]:
    """Data files notebook ``name`` depends on: what it read, plus what nobody was seen reading."""
    attributed: set[str] = set()
    for record in manifest.notebooks.values():
        attributed |= expand(record.reads, files)
    return expand(manifest.notebooks[name].reads, files) | (set(files) - attributed)


def csv_digest(path: Path) -> dict:
    """A CSV file's rows counted and each column hashed, to say later what changed.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("id,note\\n1,a\\n")
    >>> digest = csv_digest(f)
    >>> digest["rows"], sorted(digest["columns"])
    (1, ['id', 'note'])
    """
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        records = list(csv.reader(handle))
    header, rows = (records[0], records[1:]) if records else ([], [])
    columns = {}
    for i, name in enumerate(header):
        cells = "\x1f".join(row[i] if i < len(row) else "" for row in rows)
        columns[name] = hashlib.sha256(cells.encode()).hexdigest()
    return {"rows": len(rows), "columns": columns}


def csv_change(old: dict, new: dict) -> str:
    """What changed between two :func:`csv_digest` of a file, in words.

    >>> a = {"rows": 2, "columns": {"id": "1", "note": "2", "url": "3"}}
    >>> csv_change(a, {"rows": 2, "columns": {"id": "1", "note": "9", "url": "3"}})
    'column note'
    >>> csv_change(a, {"rows": 3, "columns": {"id": "4", "note": "5", "url": "6"}})
    '1 row added'
    >>> csv_change(a, {"rows": 2, "columns": {"id": "1", "url": "3", "lang": "7"}})
    'column lang added; column note removed'
    """
    parts = []
    for verb, names in (
        ("added", [c for c in new["columns"] if c not in old["columns"]]),
        ("removed", [c for c in old["columns"] if c not in new["columns"]]),
    ):
        if names:
            parts.append(f"{_plural('column', names)} {', '.join(names)} {verb}")
    rows = new["rows"] - old["rows"]
    if rows:
        parts.append(
            f"{abs(rows)} row{'s' if abs(rows) > 1 else ''} {'added' if rows > 0 else 'removed'}"
        )
    else:  # the same rows: each column's cells compare as they are
        edited = [c for c, sha in new["columns"].items() if old["columns"].get(c, sha) != sha]
        if edited:
            parts.append(f"{_plural('column', edited)} {', '.join(edited)}")
    return "; ".join(parts) or "the cells are the same (quoting or line ends)"


def _plural(word: str, items: list) -> str:
    return word + ("s" if len(items) > 1 else "")


def remember_tables(manifest: Manifest, data_dir: Path, files: dict[str, str]) -> None:
    """Add the :func:`csv_digest` of every CSV file not seen before (a no-op build: none)."""
    for rel, sha in files.items():
        if rel.endswith(".csv") and sha not in manifest.tables:
            with contextlib.suppress(OSError):  # unreadable: the reason names the file only
                manifest.tables[sha] = csv_digest(Path(data_dir) / rel)


def _data_reason(name: str, manifest: Manifest, files: dict[str, str]) -> str:
    old = manifest.notebooks[name].data
    everything = dict.fromkeys(set(old) | set(files), "")  # deleted files count too
    changed = sorted(
        p for p in required_data(name, manifest, everything) if old.get(p) != files.get(p)
    )
    said = []
    for path in changed[:3]:
        before, now = manifest.tables.get(old.get(path)), manifest.tables.get(files.get(path))
        said.append(f"{path} changed" + (f": {csv_change(before, now)}" if before and now else ""))
    more = f" and {len(changed) - 3} more files changed" if len(changed) > 3 else ""
    return "; ".join(said) + more


def reason_for(plan: Plan, cfg, manifest: Manifest, inputs: Inputs, stats: StatCache) -> str:
    """Why ``plan``'s notebook must run, or ``""`` if its report is up to date."""
    record = manifest.notebooks.get(plan.name)
    report = cfg.out_dir / f"{plan.name}.html"
    if cfg.force:
        return "forced"
    if record is None:
        return "new"
    if not report.is_file() or stats.sha(report) != record.report_sha:
        return "report missing or changed"
    changed = [part for part, sha in plan.key.items() if record.key.get(part) != sha]
    if changed:
        return " and ".join(changed) + " changed"
    return _data_reason(plan.name, manifest, inputs.data)


def notebook_paths(notebooks_dir: Path, only: list[str] | None) -> list[Path]:
    """The notebooks to build, sorted; ``only`` names some of them (stems or file names)."""
    found = sorted(Path(notebooks_dir).glob("*.ipynb"))
    if not only:
        return found
    wanted = {Path(n).stem for n in only}
    missing = wanted - {p.stem for p in found}
    if missing:
        raise SystemExit(f"error: no such notebook in {notebooks_dir}: {sorted(missing)}")
    return [p for p in found if p.stem in wanted]


def plan_build(cfg, manifest: Manifest, stats: StatCache) -> tuple[list[Plan], Inputs]:
    """Every notebook of the build with its key and the reason it runs (``""``: cached)."""
    inputs = shared_inputs(cfg, stats)
    remember_tables(manifest, cfg.data_dir, inputs.data)
    plans = []
    for path in notebook_paths(cfg.notebooks_dir, cfg.only):
        nb = json.loads(path.read_text(encoding="utf-8"))
        key = {"notebook": code_fingerprint(nb), **inputs.common}
        plan = Plan(path.stem, path, nb, key, "")
        plan.reason = reason_for(plan, cfg, manifest, inputs, stats)
        plans.append(plan)
    return plans, inputs


def run_order(todo: list[Plan], manifest: Manifest) -> list[Plan]:
    """Longest first, by each notebook's time in the last build (unknown: first).

    The last notebook to start is then a short one, so no core idles at the end.

    >>> plans = [Plan(n, Path(n), {}, {}, "new") for n in ("a", "b", "c")]
    >>> m = Manifest({n: NotebookRecord({}, {}, [], "", n, "", s) for n, s in [("a", 2), ("b", 9)]})
    >>> [p.name for p in run_order(plans, m)]
    ['c', 'b', 'a']
    """
    last = {name: record.seconds for name, record in manifest.notebooks.items()}
    return sorted(todo, key=lambda p: -last.get(p.name, float("inf")))


def default_jobs() -> int:
    """Notebooks run at once unless ``--jobs`` says otherwise: two per core.

    A kernel does not keep a core busy all the time (it waits for the build between
    cells, and for files), and without the timings of an earlier build the longest
    notebooks cannot be started first; running twice as many as there are cores
    covers both. Measured on 2 cores, four notebooks, cold: 6.8 s with four at once,
    8.0 s with two (medians of 6, interleaved; ``docs/benchmarks.md``).
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return 2 * max(1, cores)
