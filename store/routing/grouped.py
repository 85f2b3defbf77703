"""Grouped writes for a server: many callers' sends routed and committed together, each caller
answered only once its own messages are committed.

`GroupedSender.send_unless_refused(reqs)` may be called from any number of threads, and
`await GroupedSender.send_async(reqs)` from event loops (the HTTP server's sends: no worker thread
waits, and the writer wakes each loop once per transaction, not once per request). One writer
thread takes every request waiting when it is free, routes them in arrival order with
`Router.send_groups` and commits them in one transaction; while it commits, the next requests
queue up and go together in the next one. Nothing waits on purpose: one caller alone is routed at
once, and a busy server commits many requests per transaction instead of one each.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from dataclasses import dataclass

from .model import Decision, OutboundRequest
from .router import Router

MAX_DESTINATIONS = 20_000  # messages per transaction: a batch this large is committed before more are taken


@dataclass(slots=True)
class _Job:
    reqs: list[OutboundRequest]
    done: threading.Event | None = None  # a thread's caller waits on it
    future: asyncio.Future | None = None  # an event loop's caller awaits it
    result: tuple | None = None
    error: BaseException | None = None


class GroupedSender:
    """Sends through `router`, grouping concurrent callers' requests into shared transactions."""

    def __init__(self, router: Router, max_destinations: int = MAX_DESTINATIONS):
        self.router = router
        self.max_destinations = max_destinations
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.transactions = 0  # how many commits the writer made
        self.requests = 0  # how many requests they carried

    def send_unless_refused(self, reqs: list[OutboundRequest]) -> tuple[tuple[int, str, str] | None, list[Decision]]:
        """As `Router.send_unless_refused`, returning once these messages are committed."""
        self._ensure_started()
        job = _Job(reqs, done=threading.Event())
        self._queue.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    async def send_async(self, reqs: list[OutboundRequest]) -> tuple[tuple[int, str, str] | None, list[Decision]]:
        """As `send_unless_refused`, awaited on an event loop (which keeps serving while the writer works)."""
        self._ensure_started()
        job = _Job(reqs, future=asyncio.get_running_loop().create_future())
        self._queue.put(job)
        await asyncio.shield(job.future)  # a cancelled caller leaves the write (and the loop's wake-up) alone
        if job.error is not None:
            raise job.error
        return job.result

    def _ensure_started(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="cpaasx-sends", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            jobs, count, stop = [job], len(job.reqs), False
            while count < self.max_destinations:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                jobs.append(more)
                count += len(more.reqs)
            self._write(jobs)
            if stop:
                return

    def _write(self, jobs: list[_Job]) -> None:
        try:
            results = self.router.send_groups([j.reqs for j in jobs])
        except BaseException as exc:  # the write failed: every caller of this transaction hears it
            for j in jobs:
                j.error = exc
        else:
            self.transactions += 1
            self.requests += len(jobs)
            for j, result in zip(jobs, results):
                if isinstance(result, BaseException):
                    j.error = result
                else:
                    j.result = result
        finally:
            _answer(jobs)

    def close(self) -> None:
        """Stop the writer once every request already queued is written."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(30)
            self._thread = None


def _answer(jobs: list[_Job]) -> None:
    """Wake every caller of a transaction: threads by their events, each event loop once for all its own."""
    by_loop: dict = {}
    for j in jobs:
        if j.future is None:
            j.done.set()
        else:
            by_loop.setdefault(j.future.get_loop(), []).append(j.future)
    for loop, futures in by_loop.items():
        try:
            loop.call_soon_threadsafe(_resolve, futures)
        except RuntimeError:  # that loop is closed: nobody is left to answer
            pass


def _resolve(futures: list[asyncio.Future]) -> None:
    for future in futures:
        if not future.done():
            future.set_result(None)
