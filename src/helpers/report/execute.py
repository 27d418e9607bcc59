"""Run one notebook in a fresh kernel with nbclient and turn it into an HTML report.

* **Parameters** follow papermill's convention, with papermill's own
  :func:`~papermill.parameterize.parameterize_notebook`: the values go in a cell
  tagged ``injected-parameters`` right after the cell tagged ``parameters``. As
  with papermill, a notebook given no parameters runs as it is (no injected cell,
  and papermill is not even imported).
* **Kernels** talk to the build over IPC sockets (``transport="ipc"``) named after
  their connection file, not TCP ports: with TCP, jupyter_client picks free ports,
  closes them and lets the kernel bind them a moment later, and another process
  can take one in between ("Address already in use"). A kernel that still dies
  before its first reply is started once more, and the outcome says so.
* **The kernel set-up** (:mod:`.kernel_setup`) runs as a hidden first cell, and a
  hidden last cell reports which data files the notebook read; both are removed
  before export.

The result is an :class:`Outcome`: the report's HTML and what the index needs, or
where the notebook failed (cell number as shown in JupyterLab, its first lines, the
error).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import io
import json
import os
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Seconds a kernel may take to answer its first request.
STARTUP_SECONDS = 60
#: Width of the index's thumbnails, in pixels.
THUMBNAIL_WIDTH = 240
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


@dataclass
class Job:
    """One notebook to run, and everything its kernel needs."""

    name: str
    nb: dict
    cwd: str
    data_dir: str
    out_dir: str
    parameters: dict[str, Any]
    title: str
    built: str
    kernel_dir: str  # connection files and IPC sockets (a short path: socket names are limited)
    kernel_name: str = "python3"
    timeout: int = 600


@dataclass
class Outcome:
    """What running a notebook gave: a report, or where and why it failed."""

    name: str
    ok: bool
    seconds: float = 0.0
    html: str = ""
    reads: list[str] = field(default_factory=list)
    bottom_line: str = ""
    thumbnail: bytes = b""
    thumbnail_alt: str = ""
    missing_alt: int = 0
    where: str = ""
    excerpt: str = ""
    error: str = ""
    notes: list[str] = field(default_factory=list)


class KernelStartError(RuntimeError):
    """The kernel ended before answering its first request."""


# ------------------------------------------------------------------ kernels

#: Process ids of this process's running kernels, so an interrupted build can end them.
LIVE_KERNELS: set[int] = set()


async def start_kernel(
    kernel_name: str, connection_file: str, cwd: str, env: dict, log, while_starting=None
):
    """Start a kernel over IPC and wait for its first reply; ``(manager, client)``.

    ``while_starting()``, if given, runs once the kernel process is launched, while it
    starts up. Raises :class:`KernelStartError` if the kernel dies before replying
    (its stderr is in ``log``). Whatever else goes wrong, an interrupt included, the
    kernel is stopped before the error goes on.
    """
    from jupyter_client.manager import AsyncKernelManager

    km = AsyncKernelManager(
        kernel_name=kernel_name, transport="ipc", connection_file=connection_file
    )
    # What nbclient does when it starts a kernel itself: an IPython kernel keeps its
    # history in memory. Otherwise every build would write each cell it runs into the
    # user's IPython history, with several kernels writing to that one SQLite file at once.
    extra = ["--HistoryManager.hist_file=:memory:"] if km.ipykernel else []
    kc = None
    try:
        try:
            await km.start_kernel(cwd=cwd, env=env, stderr=log, extra_arguments=extra)
        finally:  # the process may exist even if start_kernel was interrupted after launching it
            if km.provisioner is not None and km.provisioner.pid:
                LIVE_KERNELS.add(km.provisioner.pid)
        kc = km.client()
        kc.start_channels()
        if while_starting is not None:
            await asyncio.sleep(0)  # let the other notebooks launch their kernels first
            while_starting()
        await kc.wait_for_ready(timeout=STARTUP_SECONDS)
    except RuntimeError as exc:  # jupyter_client: the kernel died, or never answered
        await stop_kernel(km, kc)
        raise KernelStartError(str(exc)) from None
    except BaseException:
        await stop_kernel(km, kc)
        raise
    kc.allow_stdin = False
    return km, kc


async def start_kernel_retrying(job: Job, env: dict, log, notes: list[str], while_starting):
    """:func:`start_kernel`, and once more if the first kernel dies before replying."""
    try:
        return await start_kernel(
            job.kernel_name, _connection_file(job, 1), job.cwd, env, log, while_starting
        )
    except KernelStartError as exc:
        notes.append(f"the kernel died before its first reply ({exc}); started a new one")
    return await start_kernel(job.kernel_name, _connection_file(job, 2), job.cwd, env, log)


def _connection_file(job: Job, attempt: int) -> str:
    return os.path.join(job.kernel_dir, f"{os.getpid()}-{job.name[:20]}-{attempt}.json")


async def stop_kernel(km, kc=None) -> None:
    """Stop the client's channels and the kernel; remove its files."""
    pid = km.provisioner.pid if km.provisioner is not None else None
    if kc is not None:
        with contextlib.suppress(Exception):
            kc.stop_channels()
    with contextlib.suppress(Exception):
        await km.shutdown_kernel(now=True)
    LIVE_KERNELS.discard(pid)


def kill_live_kernels() -> None:
    """End this process's kernels at once (an interrupted build): no kernel outlives it.

    The last resort when a kernel could not be stopped the usual way. Jupyter starts
    each kernel as the leader of a new process group.
    """
    for pid in list(LIVE_KERNELS):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
        LIVE_KERNELS.discard(pid)


# ------------------------------------------------------------------ the notebook


@dataclass
class _Prepared:
    """The notebook as run: parameters injected, the hidden set-up cells added."""

    nb: Any
    setup: Any
    finish: Any
    position: dict[int, int]  # id(cell) -> its 1-based number in the notebook file
    count: int


def inject_parameters(nb, parameters: dict[str, Any], kernel_name: str = "python3"):
    """``nb`` (a NotebookNode) with ``parameters`` injected the papermill way, by papermill.

    A cell tagged ``injected-parameters`` goes right after the cell tagged
    ``parameters`` (or replaces an earlier injected cell). Cells keep their identity.
    """
    import nbformat
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.v4.upgrade(nb) or nb
    # What papermill's own loader (papermill.iorw.load_notebook_node) does first.
    nb.metadata.setdefault("papermill", {"parameters": {}})
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    return parameterize_notebook(nb, parameters, kernel_name=kernel_name, language="python")


def prepare(job: Job) -> _Prepared:
    """Parse the notebook, inject the parameters, add the hidden set-up and finish cells."""
    import nbformat

    nb = nbformat.reads(json.dumps(job.nb), as_version=4)
    position = {id(c): i + 1 for i, c in enumerate(nb.cells)}
    count = len(nb.cells)
    if job.parameters:  # papermill injects nothing when given no parameters
        nb = inject_parameters(nb, job.parameters, job.kernel_name)
    module = "helpers.report.kernel_setup"
    setup = nbformat.v4.new_code_cell(
        f"__import__({module!r}, fromlist=['install']).install({job.data_dir!r})"
    )
    finish = nbformat.v4.new_code_cell(f"__import__({module!r}, fromlist=['finish']).finish()")
    nb.cells = [setup, *nb.cells, finish]
    return _Prepared(nb, setup, finish, position, count)


async def run(job: Job) -> Outcome:
    """Execute ``job``'s notebook in a fresh kernel; its report or its failure."""
    started = time.perf_counter()
    outcome = await _run(job)
    outcome.seconds = time.perf_counter() - started
    return outcome


async def _run(job: Job) -> Outcome:
    env = {**os.environ, "KIT_OUTPUT_DIR": job.out_dir, "KIT_DATA_DIR": job.data_dir}
    notes: list[str] = []
    early: list[_Prepared] = []
    setup_error: list[Exception] = []

    def while_starting() -> None:
        try:
            load_libraries()
            early.append(prepare(job))
        except Exception as exc:  # raised once the kernel is up, and stopped
            setup_error.append(exc)

    with tempfile.TemporaryFile(mode="w+") as log:
        try:
            km, kc = await start_kernel_retrying(job, env, log, notes, while_starting)
        except Exception as exc:  # a bad kernel spec, or a kernel that died twice
            error = f"{type(exc).__name__}: {exc}"
            return Outcome(
                job.name, False, where="start-up", excerpt=_tail(log), error=error, notes=notes
            )
        try:
            if setup_error:  # a bug in the build, or a notebook nbformat cannot read
                raise setup_error[0]
            prepared = early[0] if early else prepare(job)
            failure = await _execute(job, km, kc, prepared, log, notes)
        finally:
            await stop_kernel(km, kc)
    if failure is not None:
        return failure
    # The export (CPU, a fraction of a second) runs in a thread: the event loop goes
    # on passing the other kernels' messages meanwhile.
    return await asyncio.to_thread(report, job, prepared, notes)


async def _execute(job: Job, km, kc, prepared: _Prepared, log, notes: list[str]):
    """Run the prepared notebook's cells in the started kernel; ``None``, or its failure."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    current: dict[str, Any] = {}
    client = _client_class()(
        prepared.nb,
        km=km,
        timeout=job.timeout,
        # A cell's last outputs must not be dropped silently when they come late.
        raise_on_iopub_timeout=True,
        resources={"metadata": {"path": job.cwd}},
        on_cell_start=lambda cell, **_: current.update(cell=cell),
    )
    client.kc = kc
    try:
        await client.async_execute()
    except (CellExecutionError, CellTimeoutError) as exc:
        return _failure(job, prepared, current.get("cell"), _error_text(exc), notes)
    except Exception as exc:  # the kernel died mid-notebook
        error = f"{type(exc).__name__}: {exc}"
        failure = _failure(job, prepared, current.get("cell"), error, notes)
        failure.excerpt = _tail(log)
        return failure
    return None


@functools.cache
def _client_class():
    """nbclient's ``NotebookClient`` for a kernel the build starts and stops itself.

    While it executes a notebook, ``NotebookClient`` takes over the event loop's
    SIGINT and SIGTERM handlers to shut down its own kernel, and resets them to the
    defaults afterwards. The build runs several notebooks in one loop and its runner
    handles interrupts for all of them (:mod:`.runner`), so this client leaves the
    handlers alone. With a kernel manager and client given, nbclient's set-up would
    otherwise only register an exit hook that stops the kernel (the build stops it
    itself) and run the ``on_notebook_*`` hooks, which the build does not set.
    """
    from nbclient import NotebookClient

    class BuildNotebookClient(NotebookClient):
        @contextlib.asynccontextmanager
        async def async_setup_kernel(self, **kwargs):
            yield

    return BuildNotebookClient


def _tail(log) -> str:
    log.seek(0)
    return log.read()[-2000:]


def _error_text(exc: Exception) -> str:
    ename = getattr(exc, "ename", None)
    if ename:
        return f"{ename}: {exc.evalue}"
    return str(exc).strip().splitlines()[0]  # a timeout: nbclient says which and how long


def _failure(job: Job, prepared: _Prepared, cell, error: str, notes: list[str]) -> Outcome:
    if cell is None:
        where = "start-up"
    elif cell is prepared.setup or cell is prepared.finish:
        where = "the build's own set-up cell"
    elif "injected-parameters" in cell.metadata.get("tags", []):
        where = "the injected-parameters cell"
    else:
        where = f"cell {prepared.position.get(id(cell), '?')} of {prepared.count}"
    excerpt = "\n".join((cell.source if cell is not None else "").splitlines()[:4])
    return Outcome(job.name, False, where=where, excerpt=excerpt, error=error, notes=notes)


# ------------------------------------------------------------------ the report


def load_libraries() -> None:
    """Import what running and exporting notebooks needs; compile the report template.

    About 0.5 s of CPU, paid once per build, by the first notebook while its kernel
    (and the others') start up. Papermill (about 0.3 s more) is imported only by a
    build that injects parameters (:func:`prepare`).
    """
    skip_iri_grammar()
    import nbclient  # noqa: F401

    exporter()


def skip_iri_grammar() -> None:
    """Keep jsonschema from building an IRI grammar that no notebook check uses.

    nbformat imports jsonschema, which imports the optional ``rfc3987_syntax`` (if
    installed) for its "iri" format checks, and that module builds a parser at import:
    about 1 s of CPU, more than the rest of the build's libraries cost to import.
    Notebook validation uses no formats. ``None`` in :data:`sys.modules` makes the
    import fail as if the package were absent, which jsonschema expects (it wraps the
    import in ``suppress(ImportError)``). Call before anything imports jsonschema
    (nbformat does).
    """
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


_EXPORTING = threading.Lock()


@functools.cache
def exporter():
    """nbconvert's HTML exporter with the kit's template, compiled once per process."""
    skip_iri_grammar()
    import nbformat
    from nbconvert import HTMLExporter

    html = HTMLExporter(
        template_name="kit_report",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        # Validate the notebook once, after all preprocessors, not after each of them.
        optimistic_validation=True,
    )
    html.from_notebook_node(nbformat.v4.new_notebook())  # compile the templates now
    return html


def report(job: Job, prepared: _Prepared, notes: list[str]) -> Outcome:
    """The executed notebook as HTML, with what the index and the cache need."""
    nb = prepared.nb
    reads = _last_json_line(prepared.finish)
    nb.cells = [c for c in nb.cells if c is not prepared.setup and c is not prepared.finish]
    image, alt = first_image(nb)
    nb.metadata["title"] = job.title
    with _EXPORTING:  # one exporter, shared: one notebook at a time
        body, _ = exporter().from_notebook_node(
            nb, resources={"metadata": {"name": job.name}, "kit_built": job.built}
        )
    return Outcome(
        job.name,
        True,
        html=body,
        reads=reads,
        bottom_line=computed_bottom_line(nb),
        thumbnail=thumbnail(image) if image else b"",
        thumbnail_alt=alt,
        missing_alt=count_missing_alt(nb),
        notes=notes,
    )


def _last_json_line(cell) -> list[str]:
    for out in cell.get("outputs", []):
        if out.get("name") == "stdout":
            with contextlib.suppress(ValueError, IndexError):
                return json.loads(out["text"].strip().splitlines()[-1])
    return []


def _outputs(nb):
    for cell in nb.cells:
        yield from (cell.get("outputs", []) if cell.cell_type == "code" else [])


def first_image(nb) -> tuple[bytes, str]:
    """The first PNG output (the report's key figure) and its alt text."""
    for out in _outputs(nb):
        png = out.get("data", {}).get("image/png")
        if png:
            alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
            return base64.b64decode(png), alt
    return b"", ""


def thumbnail(png: bytes) -> bytes:
    """``png`` scaled to :data:`THUMBNAIL_WIDTH` pixels wide (never enlarged)."""
    from PIL import Image

    from ..images import scaled_png

    width, height = Image.open(io.BytesIO(png)).size
    scale = min(1.0, THUMBNAIL_WIDTH / width)
    return scaled_png(png, (max(1, round(width * scale)), max(1, round(height * scale))))


def count_missing_alt(nb) -> int:
    """Images without alt text (the template then says "Figure (no description given)")."""
    missing = 0
    for out in _outputs(nb):
        for mime in IMAGE_TYPES:
            if mime in out.get("data", {}):
                md = out.get("metadata", {})
                missing += not (md.get(mime, {}).get("alt") or md.get("alt"))
    return missing


def computed_bottom_line(nb) -> str:
    """The output of the code cell tagged ``bottom-line`` (``""``: none), as Markdown.

    Markdown output is preferred, then plain text, then printed text.
    """
    from .cache import index_markdown

    for cell in nb.cells:
        if cell.cell_type == "code" and "bottom-line" in cell.metadata.get("tags", []):
            for kind in ("text/markdown", "text/plain", "stream"):
                texts = [_output_text(out, kind) for out in cell.get("outputs", [])]
                if any(texts):
                    return index_markdown("".join(texts))
    return ""


def _output_text(out, kind: str) -> str:
    if kind == "stream":
        return out.get("text", "") if out.get("name") == "stdout" else ""
    text = out.get("data", {}).get(kind, "")
    return "".join(text) if isinstance(text, list) else text
