"""Run the notebooks concurrently, at most ``limit`` at once; stop them all on Ctrl-C.

Each notebook runs in a kernel of its own, a separate process that does the work;
the build only sends cells and collects outputs, so one asyncio event loop drives
every kernel through nbclient (:func:`.execute.run`): a task group with a
semaphore, the notebooks started in the order given (the build puts the longest
first). Kernels are the build's children, so their CPU time counts in the build's.

The loop runs in a thread of its own, and the calling thread receives each
outcome as it comes. The plain way, ``asyncio.run`` in the main thread, does not
stop a build: nbclient, when its loop runs in the main thread, sets SIGINT and
SIGTERM handlers of its own for each notebook, each replacing the last, stopping
only its own kernel and raising nothing, so Ctrl-C would end one notebook and the
build would go on. ``asyncio.run`` also refuses to start inside a running loop, as
in a notebook cell. With the loop elsewhere nbclient sets no handler, and Ctrl-C
(a ``KeyboardInterrupt`` in the calling thread) cancels every notebook at once;
nbclient then stops each kernel as it does whenever a run ends, and the build
waits for that. jupyter_client starts each kernel in a process group of its own,
so Ctrl-C in a terminal reaches the build alone. A build killed outright (SIGKILL)
cannot clean up; its kernels notice their parent is gone (jupyter_client passes
``JPY_PARENT_PID``, which ipykernel watches) and exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import signal
import threading
import traceback
from collections.abc import Callable

from . import execute
from .job import Job, Outcome


def run_all(jobs: list[Job], limit: int, on_outcome: Callable[[Outcome], None]) -> None:
    """Run ``jobs``, ``limit`` at a time; pass each outcome to ``on_outcome`` as it comes.

    Ctrl-C or SIGTERM (also while ``on_outcome`` runs) raises ``KeyboardInterrupt``
    once every running notebook is cancelled and its kernel stopped; further
    signals are ignored meanwhile. An error from ``on_outcome`` stops them the same way.
    """
    if limit < 1:
        raise ValueError(f"at least one notebook must run at a time, not {limit}")
    received: queue.SimpleQueue[Outcome | BaseException] = queue.SimpleQueue()
    loop = asyncio.new_event_loop()
    main = loop.create_task(_run_all(jobs, limit, received.put))

    def drive() -> None:
        try:
            loop.run_until_complete(main)
        except BaseException as exc:  # cancelled by an interrupt, or a bug: the caller sees it
            received.put(exc)
        # As asyncio.run does: end what is left (nbclient leaves a task polling whether
        # the kernel is alive behind when a notebook's run is cancelled).
        leftover = asyncio.all_tasks(loop)
        for task in leftover:
            task.cancel()
        if leftover:
            loop.run_until_complete(asyncio.gather(*leftover, return_exceptions=True))

    thread = threading.Thread(target=drive, name="notebooks")
    try:
        with _handlers({signal.SIGTERM: signal.default_int_handler}):  # kill <pid>: as Ctrl-C
            thread.start()
            for _ in jobs:
                item = _next(received)
                if isinstance(item, BaseException):
                    raise item
                on_outcome(item)
    except BaseException:  # Ctrl-C, or on_outcome failed: stop every notebook first
        with _handlers(dict.fromkeys((signal.SIGINT, signal.SIGTERM), signal.SIG_IGN)):
            loop.call_soon_threadsafe(main.cancel)
            thread.join()
        raise
    finally:
        if thread.is_alive():
            thread.join()
        loop.close()


def _next(received: queue.SimpleQueue):
    """The next item, waiting in short steps: the system may hand Ctrl-C to the loop's
    thread, and Python then acts on it only when this (the main) thread runs again."""
    while True:
        try:
            return received.get(timeout=0.25)
        except queue.Empty:
            pass


async def _run_all(jobs: list[Job], limit: int, put: Callable[[Outcome], None]) -> None:
    """Run the jobs; cancelled, it returns only once every notebook has stopped."""
    slots = asyncio.Semaphore(limit)

    async def one(job: Job) -> None:
        async with slots:
            put(await _outcome_of(job))

    async with asyncio.TaskGroup() as group:  # cancelled, it waits for every task to end
        for job in jobs:
            group.create_task(one(job))


async def _outcome_of(job: Job) -> Outcome:
    """The notebook's outcome; a failure of the build itself still names the notebook."""
    try:
        return await execute.run(job)
    except asyncio.CancelledError:
        if asyncio.current_task().cancelling():
            raise  # the build is stopping
        error = "CancelledError: a library cancelled the notebook's run"
        return Outcome(job.name, False, where="the build", error=error)
    except Exception as exc:  # a bug in the build itself
        trace = traceback.format_exc(limit=-3)
        error = f"{type(exc).__name__}: {exc}"
        return Outcome(job.name, False, where="the build", error=error, excerpt=trace)


@contextlib.contextmanager
def _handlers(handlers: dict):
    """Set signal handlers meanwhile (only the main thread can: elsewhere, none is set)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.signal(sig, handler) for sig, handler in handlers.items()}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
