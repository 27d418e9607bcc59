"""Run notebooks concurrently from the build's own process; stop them all on an interrupt.

Each notebook runs in a kernel of its own, a separate process that does the work;
the build only sends cells and collects outputs. One asyncio event loop therefore
drives every kernel (nbclient and jupyter_client are asynchronous), with no worker
processes: at most ``limit`` notebooks run at once, the rest start as others
finish, in the order given (the build puts the longest first). Kernels are the
build's children, so their CPU time counts in the build's.

Interrupts: jupyter_client starts each kernel as the leader of a new process group,
so Ctrl-C in a terminal (sent to the foreground group) reaches the build alone. On
Ctrl-C or SIGTERM the build cancels every running notebook; each kernel is killed
as its notebook's task unwinds, and nothing of a half-run notebook is written. A
build killed outright (SIGKILL) cannot clean up; its kernels notice their parent is
gone (jupyter_client passes ``JPY_PARENT_PID``, which ipykernel watches) and exit.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import signal
import threading
import traceback
from collections.abc import Callable

from . import execute
from .execute import Job, Outcome


def run_all(jobs: list[Job], limit: int, on_outcome: Callable[[Outcome], None]) -> None:
    """Run ``jobs``, ``limit`` at a time; pass each outcome to ``on_outcome`` as it comes.

    Raises :class:`KeyboardInterrupt` on Ctrl-C or SIGTERM (also while ``on_outcome``
    runs), once every kernel has ended.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop runs here
        status = asyncio.run(_run_all(jobs, limit, on_outcome))
    else:  # called from a running loop (a notebook, say): the loop gets a thread of its own
        with concurrent.futures.ThreadPoolExecutor(1) as thread:
            status = thread.submit(asyncio.run, _run_all(jobs, limit, on_outcome)).result()
    if status == "interrupted":
        raise KeyboardInterrupt


async def _run_all(jobs: list[Job], limit: int, on_outcome) -> str:
    loop = asyncio.get_running_loop()
    main_thread = threading.current_thread() is threading.main_thread()
    if main_thread:
        # asyncio.run already turns Ctrl-C into cancelling this task; SIGTERM does the same.
        previous_term = signal.getsignal(signal.SIGTERM)
        loop.add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
    slots = asyncio.Semaphore(limit)

    async def one(job: Job) -> Outcome:
        async with slots:
            return await _outcome_of(job)

    tasks = [asyncio.create_task(one(job)) for job in jobs]
    try:
        for next_done in asyncio.as_completed(tasks):
            on_outcome(await next_done)
    except (asyncio.CancelledError, KeyboardInterrupt):
        return "interrupted"
    finally:  # also if on_outcome failed: no kernel outlives the build
        await _stop(tasks)
        if main_thread:
            loop.remove_signal_handler(signal.SIGTERM)
            signal.signal(signal.SIGTERM, previous_term)
    return "done"


async def _outcome_of(job: Job) -> Outcome:
    try:
        return await execute.run(job)
    except Exception as exc:  # a bug in the build itself: still name the notebook
        trace = traceback.format_exc(limit=-3)
        error = f"{type(exc).__name__}: {exc}"
        return Outcome(job.name, False, where="the build", error=error, excerpt=trace)


async def _stop(tasks: list[asyncio.Task]) -> None:
    """Cancel every unfinished notebook and wait until each has killed its kernel."""
    if all(task.done() for task in tasks):
        return
    # A second Ctrl-C must not cut this short and leave kernels behind.
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main_thread else None
    try:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        execute.kill_live_kernels()  # any kernel a cancelled start left behind
        if main_thread:
            signal.signal(signal.SIGINT, previous)
