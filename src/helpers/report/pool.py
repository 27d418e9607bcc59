"""Run notebooks in parallel worker processes, and stop them all cleanly on an interrupt.

A plain :class:`concurrent.futures.ProcessPoolExecutor`. On Linux the build imports
the executing libraries (nbclient, nbconvert, papermill: about 1.4 s of CPU) once, then
the pool forks its workers from it, so no worker imports them again; the build has
started no thread at that point (the pool forks every worker before its own manager
thread starts), so forking is safe. Elsewhere workers are spawned and import them
themselves. Workers stay the build's children: their CPU time, and their kernels',
counts in the build's. Jobs are submitted in the order given (the build puts the
longest first).

Interrupts: each worker moves to its own session, so Ctrl-C in a terminal (sent to
the whole foreground process group) reaches the build alone. The build (on Ctrl-C,
or SIGTERM, which it turns into the same :class:`KeyboardInterrupt`) sets a shared
*stop* event; a thread in each worker waits for it (or for the build to vanish),
kills the worker's kernels and exits at once. A half-run notebook has no outcome,
so nothing of it is written.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable

from . import execute
from .execute import Job, Outcome

#: Seconds between a worker's checks that the build is still there.
PARENT_CHECK_SECONDS = 1.0


def _worker_init(stop) -> None:
    os.setsid()  # Ctrl-C goes to the build, which decides; see the module's docstring
    # A new parent means the build is gone (killed outright).
    threading.Thread(target=_watch, args=(stop, os.getppid()), daemon=True).start()


def _watch(stop, parent: int) -> None:
    while not stop.wait(PARENT_CHECK_SECONDS):
        if os.getppid() != parent:  # the build was killed outright
            break
    execute.kill_live_kernels()
    os._exit(130)


def _run_job(job: Job) -> Outcome:
    try:
        return execute.run(job)
    except Exception as exc:  # a bug in the build itself: still name the notebook
        trace = traceback.format_exc(limit=-3)
        error = f"{type(exc).__name__}: {exc}"
        return Outcome(job.name, False, where="the build worker", error=error, excerpt=trace)


#: Imported by the build before it forks its workers (Linux), so they inherit them.
PRELOAD = (
    "nbformat",
    "nbclient",
    "nbconvert",
    "papermill.parameterize",
    "jupyter_client.manager",
)


def _context():
    if sys.platform.startswith("linux"):
        import importlib

        execute.skip_iri_grammar()
        for name in PRELOAD:
            importlib.import_module(name)
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def run_all(jobs: list[Job], workers: int, on_outcome: Callable[[Outcome], None]) -> None:
    """Run ``jobs`` on ``workers`` processes; pass each outcome to ``on_outcome`` as it comes.

    Raises :class:`KeyboardInterrupt` on Ctrl-C or SIGTERM (also while ``on_outcome``
    runs), once every worker and kernel has ended.
    """
    ctx = _context()
    stop = ctx.Event()
    old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    pool = None
    try:
        pool = cf.ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_worker_init, initargs=(stop,)
        )
        futures = {pool.submit(_run_job, job): job.name for job in jobs}
        for future in cf.as_completed(futures):
            on_outcome(_outcome(future, futures[future]))
    except KeyboardInterrupt:
        _stop(pool, stop)
        raise
    finally:
        signal.signal(signal.SIGTERM, old_term)
    pool.shutdown(wait=True)


def _outcome(future: cf.Future, name: str) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # the worker process died (out of memory, killed)
        return Outcome(name, False, where="the build worker", error=f"{type(exc).__name__}: {exc}")


def _stop(pool: cf.ProcessPoolExecutor | None, stop) -> None:
    # A second Ctrl-C must not cut this short and leave kernels behind.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        stop.set()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
