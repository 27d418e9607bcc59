"""Run one notebook in a fresh kernel with nbclient and turn it into an HTML report.

* **Execution** is nbclient's: one ``NotebookClient`` per notebook, with an
  ``AsyncKernelManager`` over IPC sockets (``transport="ipc"``) named after the
  kernel's connection file, not TCP ports. With TCP, jupyter_client picks free
  ports, closes them and lets the kernel bind them a moment later, and another
  process can take one in between ("Address already in use"). nbclient starts
  the kernel (keeping IPython's history in memory), runs the cells and stops the
  kernel, also when the run is cancelled.
* **Parameters** follow papermill's convention, with papermill's own
  :func:`~papermill.parameterize.parameterize_notebook`: the values go in a cell
  tagged ``injected-parameters`` right after the cell tagged ``parameters``. As
  with papermill, a notebook given no parameters runs as it is (no injected cell,
  and papermill is not even imported).
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
import hashlib
import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import paths
from ..images import strip_thumbnail, thumbnail_png
from .cache import index_markdown
from .job import Job, Outcome

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


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
    if job.parameters.get("AS_OF"):
        _date_the_opening(nb, Path(job.data_dir), job.parameters["AS_OF"])
    module = "helpers.report.kernel_setup"
    setup = nbformat.v4.new_code_cell(
        f"__import__({module!r}, fromlist=['install']).install({job.data_dir!r})"
    )
    finish = nbformat.v4.new_code_cell(f"__import__({module!r}, fromlist=['finish']).finish()")
    nb.cells = [setup, *nb.cells, finish]
    return _Prepared(nb, setup, finish, position, count)


def _date_the_opening(nb, data_dir: Path, as_of: str) -> None:
    """An as-of page says what existed on its date, and nothing written about later sources.

    The Markdown was written for the full dataset: the opening cell's sources line and
    the banner are computed from the sources' dates, and a cell tagged as written about
    a source published later shows a generated sentence instead of its prose
    (:func:`helpers.data.as_of_banner.as_of_cells`).
    """
    import csv

    from ..data.as_of_banner import as_of_cells

    path = data_dir / "sources.csv"
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cells = [c for c in nb.cells if c.cell_type == "markdown"]
    written = [(c.source, c.metadata.get("tags", [])) for c in cells]
    for cell, source in zip(cells, as_of_cells(written, rows, as_of), strict=True):
        cell.source = source


def connection_file(job: Job) -> str:
    """The kernel's connection file: its IPC sockets are named after it, so each is unique."""
    tag = hashlib.sha256(job.name.encode()).hexdigest()[:16]
    return os.path.join(job.kernel_dir, f"{tag}.json")


async def run(job: Job) -> Outcome:
    """Execute ``job``'s notebook in a fresh kernel; its report or its failure."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    started = time.perf_counter()
    prepared = prepare(job)
    current: dict[str, Any] = {}
    km = AsyncKernelManager(
        kernel_name=job.kernel_name, transport="ipc", connection_file=connection_file(job)
    )
    client = NotebookClient(
        prepared.nb,
        km=km,
        timeout=job.timeout,
        # A cell's last outputs must not be dropped silently when they come late.
        raise_on_iopub_timeout=True,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": job.cwd}},
        on_cell_start=lambda cell, **_: current.update(cell=cell),
    )
    env = {**os.environ, "KIT_OUTPUT_DIR": job.out_dir, "KIT_DATA_DIR": job.data_dir}
    env[paths.PRELOADED_DATASET_ENV] = job.preloaded_dataset  # set or cleared: never one inherited
    with tempfile.TemporaryFile(mode="w+") as log:  # the kernel's stderr
        try:
            await _start(client, km, env=env, stderr=log)
        except Exception as exc:  # the kernel did not start (nbclient has stopped it)
            outcome = _failure(job, prepared, None, f"{type(exc).__name__}: {exc}")
            outcome.excerpt = _tail(log)
        else:
            outcome = await _execute(job, prepared, client, current, log)
    outcome.seconds = time.perf_counter() - started
    return outcome


async def _start(client, km, **kwargs) -> None:
    """Start the kernel and connect to it, as nbclient's run would, but apart from the run.

    nbclient's run registers an exit hook before it starts the kernel and leaves it
    registered when the start fails (jupyter/nbclient#126); started first, a kernel that
    cannot start leaves nothing behind, and the run finds it running. Stopped while starting
    (Ctrl-C), the kernel is shut down here: the run that would stop it never began.
    """
    try:
        await client.async_start_new_kernel(**kwargs)
        await client.async_start_new_kernel_client()
    except BaseException:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
        raise


async def _execute(job: Job, prepared: _Prepared, client, current: dict, log) -> Outcome:
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    try:
        # cleanup_kc: stop the kernel afterwards, as nbclient does for a manager it made.
        await client.async_execute(cleanup_kc=True)
    except (CellExecutionError, CellTimeoutError) as exc:
        return _failure(job, prepared, current.get("cell"), _error_text(exc))
    except Exception as exc:  # the kernel died mid-notebook
        outcome = _failure(job, prepared, current.get("cell"), f"{type(exc).__name__}: {exc}")
        outcome.excerpt = _tail(log)
        return outcome
    # The export (CPU, a fraction of a second) runs in a thread: the event loop
    # goes on passing the other kernels' messages meanwhile.
    outcome = await asyncio.to_thread(report, job, prepared)
    outcome.notes = build_notes(log)
    return outcome


def build_notes(log) -> list[str]:
    """The lines of the kernel's standard error meant for the build's output (those
    marked :data:`helpers.paths.BUILD_NOTE`), without the mark."""
    log.seek(0)
    mark = paths.BUILD_NOTE
    return [line[len(mark) :].rstrip() for line in log if line.startswith(mark)]


def _tail(log) -> str:
    log.seek(0)
    return log.read()[-2000:]


def _error_text(exc: Exception) -> str:
    ename = getattr(exc, "ename", None)
    if ename:
        return f"{ename}: {exc.evalue}"
    return str(exc).strip().splitlines()[0]  # a timeout: nbclient says which and how long


def _failure(job: Job, prepared: _Prepared, cell, error: str) -> Outcome:
    if cell is None:
        where = "start-up"
    elif cell is prepared.setup or cell is prepared.finish:
        where = "the build's own set-up cell"
    elif "injected-parameters" in cell.metadata.get("tags", []):
        where = "the injected-parameters cell"
    else:
        where = f"cell {prepared.position.get(id(cell), '?')} of {prepared.count}"
    excerpt = "\n".join((cell.source if cell is not None else "").splitlines()[:4])
    return Outcome(job.name, False, where=where, excerpt=excerpt, error=error)


# ------------------------------------------------------------------ the report


_EXPORTING = threading.Lock()


@functools.cache
def exporter():
    """nbconvert's HTML exporter with the kit's template, compiled once per process."""
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


def report(job: Job, prepared: _Prepared) -> Outcome:
    """The executed notebook as HTML, with what the index and the cache need."""
    nb = prepared.nb
    reads = _last_json_line(prepared.finish)
    nb.cells = [c for c in nb.cells if c is not prepared.setup and c is not prepared.finish]
    image, alt, centre, phone = first_image(nb)
    nb.metadata["title"] = job.title
    with _EXPORTING:  # one exporter, shared: one notebook at a time
        body, _ = exporter().from_notebook_node(
            nb,
            # "path": the notebooks' folder, where the page finds its neighbours (.pages).
            resources={"metadata": {"name": job.name, "path": job.cwd}, "kit_built": job.built},
        )
    return Outcome(
        job.name,
        True,
        html=body,
        reads=reads,
        bottom_line=computed_bottom_line(nb),
        thumbnail=thumbnail(image, centre, phone) if image else b"",
        thumbnail_alt=alt,
        missing_alt=count_missing_alt(nb),
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


def first_image(nb) -> tuple[bytes, str, tuple[float, float], dict]:
    """The first PNG output (the report's key figure): the image, its alt text, the
    thumbnail's centre, and its phone variant (``{}`` if it has none)."""
    for out in _outputs(nb):
        png = out.get("data", {}).get("image/png")
        if png:
            meta = out.get("metadata", {}).get("image/png", {})
            centre = tuple(meta.get("kit_thumbnail") or (0.5, 0.5))
            return base64.b64decode(png), meta.get("alt", ""), centre, meta.get("kit_phone") or {}
    return b"", "", (0.5, 0.5), {}


def thumbnail(png: bytes, centre: tuple[float, float] = (0.5, 0.5), phone=None) -> bytes:
    """The index's thumbnail, legible: a full-width strip of the figure's phone variant
    where it has one (:func:`helpers.images.strip_thumbnail`: no text cut sideways or
    through), else a crop of ``png`` at its own scale (:func:`helpers.images.thumbnail_png`).
    """
    if phone and phone.get("png"):
        return strip_thumbnail(base64.b64decode(phone["png"]), centre=phone.get("thumbnail", 0.0))
    return thumbnail_png(png, centre=centre)


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
