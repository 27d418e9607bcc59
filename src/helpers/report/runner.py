"""Run notebooks concurrently from the build's own process; stop them all on an interrupt.

Each notebook runs in a kernel of its own, a separate process that does the work;
the build only sends cells and collects outputs. One asyncio event loop therefore
drives every kernel (nbclient and jupyter_client are asynchronous), with no worker
processes: at most ``limit`` notebooks run at once, the rest start as others
finish, in the order given (the build puts the longest first). Kernels are the
build's children, so their CPU time counts in the build's.

Interrupts: jupyter_client starts each kernel as the leader of a new process group,
so Ctrl-C in a terminal (sent to the foreground group) reaches the build alone. On
Ctrl-C or SIGTERM the build cancels every running notebook and waits until each
has stopped its kernel (further signals are ignored meanwhile); a kernel that could
not be stopped so is killed. No report of a half-run notebook is written (files the
notebook itself wrote before it was stopped stay). Run from a thread that already
has an event loop, the build handles Ctrl-C only (signal handlers belong to the
main thread's loop). A build
killed outright (SIGKILL) cannot clean up; its kernels notice their parent is gone
(jupyter_client passes ``JPY_PARENT_PID``, which ipykernel watches) and exit.
"""

from __future__ import annotations

import asyncio
import contextlib
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
    if limit < 1:
        raise ValueError(f"at least one notebook must run at a time, not {limit}")
    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the usual case: no event loop runs here
            status = asyncio.run(_run_all(jobs, limit, on_outcome))
        else:  # called from a running loop (a notebook, say): a thread of its own
            status = _run_in_a_thread(jobs, limit, on_outcome)
    finally:
        execute.kill_live_kernels()  # the last resort: no kernel outlives the build
    if status == "interrupted":
        raise KeyboardInterrupt


def _run_in_a_thread(jobs: list[Job], limit: int, on_outcome) -> str:
    """:func:`_run_all` on a new event loop in another thread; Ctrl-C here stops it."""
    loop = asyncio.new_event_loop()
    main = loop.create_task(_run_all(jobs, limit, on_outcome))
    result: dict[str, object] = {}
    finished = threading.Event()

    def drive() -> None:
        try:
            result["status"] = loop.run_until_complete(main)
        except BaseException as exc:  # handed to the caller below
            result["error"] = exc
        finally:
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()
            finished.set()

    thread = threading.Thread(target=drive, name="report-build")
    interrupted = cancelled = False
    # Ctrl-C reaches this (the main) thread, not the loop's: pass it on, once. The wait
    # is on an event of our own, not Thread.join: in Python 3.11 a join cut short by
    # KeyboardInterrupt can mark a thread that is still running as stopped.
    while not finished.is_set():
        try:
            if thread.ident is None:
                thread.start()
            if interrupted and not cancelled:
                with contextlib.suppress(RuntimeError):  # the loop has just closed
                    loop.call_soon_threadsafe(main.cancel)
                cancelled = True
            # With a timeout: a signal the system handed to the loop's thread is only
            # acted on when this thread runs again.
            finished.wait(timeout=0.5)
        except KeyboardInterrupt:
            interrupted = True
    try:
        thread.join()  # it has finished its work: this returns at once
    except KeyboardInterrupt:
        interrupted = True
    if "error" in result and not isinstance(result["error"], asyncio.CancelledError):
        raise result["error"]
    return "interrupted" if interrupted else str(result.get("status", "interrupted"))


async def _run_all(jobs: list[Job], limit: int, on_outcome) -> str:
    """Run the jobs; ``"done"``, or ``"interrupted"`` once every notebook has stopped."""
    loop = asyncio.get_running_loop()
    main_thread = threading.current_thread() is threading.main_thread()
    previous_term = signal.getsignal(signal.SIGTERM) if main_thread else None
    slots = asyncio.Semaphore(limit)

    async def one(job: Job) -> Outcome:
        async with slots:
            return await _outcome_of(job)

    tasks: list[asyncio.Task] = []
    try:
        if main_thread:
            # asyncio.run already turns Ctrl-C into cancelling this task; SIGTERM too.
            loop.add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
        tasks = [asyncio.create_task(one(job)) for job in jobs]
        for next_done in asyncio.as_completed(tasks):
            on_outcome(await next_done)
    except (asyncio.CancelledError, KeyboardInterrupt):
        return "interrupted"
    finally:  # also if on_outcome failed: every notebook stops before this returns
        if main_thread:  # stopping now: a further SIGTERM must not cut that short
            loop.add_signal_handler(signal.SIGTERM, _ignore)
        await _stop(tasks, main_thread)
        if main_thread:
            loop.remove_signal_handler(signal.SIGTERM)
            if previous_term is not None:
                signal.signal(signal.SIGTERM, previous_term)
    return "done"


def _ignore() -> None:
    pass


async def _outcome_of(job: Job) -> Outcome:
    try:
        return await execute.run(job)
    except asyncio.CancelledError:
        if asyncio.current_task().cancelling():
            raise  # the build is stopping this notebook
        error = "CancelledError: a library cancelled the notebook's run"
        return Outcome(job.name, False, where="the build", error=error)
    except Exception as exc:  # a bug in the build itself: still name the notebook
        trace = traceback.format_exc(limit=-3)
        error = f"{type(exc).__name__}: {exc}"
        return Outcome(job.name, False, where="the build", error=error, excerpt=trace)


async def _stop(tasks: list[asyncio.Task], main_thread: bool) -> None:
    """Cancel every unfinished notebook and wait until each has stopped its kernel."""
    if all(task.done() for task in tasks):
        return
    # A second Ctrl-C must not cut this short and leave kernels behind (SIGTERM is
    # ignored by the caller).
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main_thread else None
    try:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        execute.kill_live_kernels()  # any kernel whose stop was cut short
        if main_thread:
            signal.signal(signal.SIGINT, previous)
