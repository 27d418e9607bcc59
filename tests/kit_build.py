"""Run the report build the way ``make report`` does, on copies, for end-to-end tests.

``make report`` runs ``python -m helpers.report``; these helpers run the same
command with its folder options pointing at temporary copies, so tests never
touch the kit's ``notebooks/``, ``reports/``, ``.cache/`` or ``data/``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from helpers import paths

#: Seconds a whole build may take before a test gives up on it.
BUILD_SECONDS = 900


def as_a_terminal_job() -> None:
    """In a child, before it runs: Ctrl-C (SIGINT) does what it does in a terminal.

    A shell that starts a command in the background without job control (``cmd &`` in
    a script, as some CI runners do) makes it ignore SIGINT, and every process under it
    inherits that (as it inherits a blocked signal): a child sent Ctrl-C would then never
    stop. The tests that send one must not depend on how their own caller was started.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # a blocked one, likewise


@dataclass
class Build:
    """Folders of one build and what its last run said."""

    root: Path
    data_dir: Path
    returncode: int | None = None
    output: str = ""

    @property
    def notebooks_dir(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    def command(self, *extra: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "helpers.report",
            "--notebooks-dir",
            str(self.notebooks_dir),
            "--reports-dir",
            str(self.reports_dir),
            "--cache-dir",
            str(self.cache_dir),
            "--data-dir",
            str(self.data_dir),
            *extra,
        ]

    def env(self) -> dict[str, str]:
        # Nothing KIT_* from the caller's shell: the build sets KIT_OUTPUT_DIR itself.
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}
        env["KIT_DATA_DIR"] = str(self.data_dir)
        # No boundaries downloaded by `make geodata` on this machine: a build draws what a
        # fresh clone ships (tests that want downloads serve them from 127.0.0.1).
        env["KIT_GEODATA_DIR"] = str(self.root / "no-geodata")
        # Kernels' connection files land here, so a test can find kernels left running.
        env["JUPYTER_RUNTIME_DIR"] = str(self.root / "runtime")
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        return env

    def run(self, *extra: str, seconds: float = BUILD_SECONDS) -> Build:
        """Run the build to the end; keep its exit status and output."""
        done = subprocess.run(
            self.command(*extra),
            cwd=self.root,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=seconds,
            stdin=subprocess.DEVNULL,
        )
        self.returncode, self.output = done.returncode, done.stdout
        return self

    def start(self, *extra: str) -> subprocess.Popen:
        """Start the build in its own process group (as a terminal's job would be)."""
        log = (self.root / "build.log").open("w", encoding="utf-8")
        return subprocess.Popen(
            self.command(*extra),
            cwd=self.root,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=as_a_terminal_job,
        )

    def describe(self) -> str:
        return f"build in {self.root} exited {self.returncode}:\n{self.output[-4000:]}"


def new_build(root: Path, data_dir: Path | None = None, notebooks: Path | None = None) -> Build:
    """A build folder holding a copy of the kit's notebooks; data defaults to ``data/``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        notebooks or paths.NOTEBOOKS_DIR,
        root / "notebooks",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
    )
    return Build(root=root, data_dir=data_dir or paths.DATA_DIR)


def tree_digest(folder: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file below ``folder`` (hidden files too)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(*folders: Path) -> list[str]:
    """Temporary files a write left behind (``*.tmp``), which must never survive."""
    return [
        str(p)
        for f in folders
        if f.exists()
        for p in f.rglob("*")
        if p.is_file() and (p.suffix == ".tmp" or ".tmp" in p.name)
    ]


def processes_mentioning(text: str) -> list[str]:
    """Running processes whose command line or initial environment contains ``text``.

    The environment catches what a command line would not: every process a build
    starts (workers, kernels) inherits its environment (Linux /proc).
    """
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        if proc.name == str(os.getpid()):
            continue
        try:
            args = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
            environ = (proc / "environ").read_bytes()
            if b"State:\tZ" in (proc / "status").read_bytes():
                continue  # a zombie has ended; its parent has yet to collect it
        except OSError:  # the process ended meanwhile, or is not ours to read
            continue
        if text.encode() in args or text.encode() in environ:
            found.append(f"{proc.name}: {args.decode(errors='replace')[:200]}")
    return found


def wait_until(condition, what: str, alive=None, seconds: float = 120) -> None:
    """Poll ``condition()`` until true; fail after ``seconds`` or if ``alive`` (a process) ends.

    For events a child process signals by writing a file or ending: never a fixed sleep.
    """
    deadline = time.monotonic() + seconds
    while not condition():
        assert alive is None or alive.poll() is None, f"the process ended before {what}"
        assert time.monotonic() < deadline, f"{what} never came"
        time.sleep(0.1)


_SHARED: dict[str, Build] = {}


def shared_build(key: str, tmp_path_factory, data_factory=None, *options: str) -> Build:
    """One build per key per test run, read (never changed) by every test that asks for it.

    ``options`` go to the build's command (``"--as-of", "2021-01-10"``); a key names one
    set of data and options.

    Under pytest-xdist every worker process asks; the first to take the key's lock builds
    into the run's common temporary folder, and the others wait on the lock and read what it
    built (its folders, exit status and output), instead of building the same reports again.
    """
    if key not in _SHARED:
        base = tmp_path_factory.getbasetemp()
        common = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
        root, record = common / f"shared-build-{key}", common / f"shared-build-{key}.json"
        with (common / f"shared-build-{key}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if record.is_file():
                done = json.loads(record.read_text(encoding="utf-8"))
                build = Build(root, Path(done["data_dir"]), done["returncode"], done["output"])
            else:
                data_dir = data_factory(root / "data") if data_factory else None
                build = new_build(root, data_dir).run("--jobs", "2", *options)
                done = {"data_dir": str(build.data_dir), "returncode": build.returncode}
                record.write_text(json.dumps({**done, "output": build.output}), encoding="utf-8")
        _SHARED[key] = build
    return _SHARED[key]
