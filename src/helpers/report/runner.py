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
import signal
from collections.abc import Callable

from . import execute
from .execute import Job, Outcome


def run_all(jobs: list[Job], limit: int, on_outcome: Callable[[Outcome], None]) -> None:
    """Run ``jobs``, ``limit`` at a time; pass each outcome to ``on_outcome`` as it comes.

    Raises :class:`KeyboardInterrupt` on Ctrl-C or SIGTERM (also while ``on_outcome``
    runs), once every kernel has ended.
    """
    if asyncio.run(_run_all(jobs, limit, on_outcome)) == "interrupted":
        raise KeyboardInterrupt


async def _run_all(jobs: list[Job], limit: int, on_outcome) -> str:
    loop = asyncio.get_running_loop()
    # asyncio.run already turns Ctrl-C into cancelling this task; SIGTERM does the same.
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
        await _stop(tasks)
        return "interrupted"
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
    return "done"


async def _outcome_of(job: Job) -> Outcome:
    try:
        return await execute.run(job)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # a bug in the build itself: still name the notebook
        import traceback

        trace = traceback.format_exc(limit=-3)
        error = f"{type(exc).__name__}: {exc}"
        return Outcome(job.name, False, where="the build", error=error, excerpt=trace)


async def _stop(tasks: list[asyncio.Task]) -> None:
    """Cancel every notebook and wait until each has killed its kernel."""
    # A second Ctrl-C must not cut this short and leave kernels behind.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        execute.kill_live_kernels()  # any kernel a cancelled start left behind
        signal.signal(signal.SIGINT, previous)
