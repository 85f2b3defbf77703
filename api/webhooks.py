"""Webhooks: delivery reports, inbound messages and request status changes POSTed to their URLs.

A `Webhooks` dispatcher owns one thread running an asyncio loop with an `httpx.AsyncClient`.
`post()` may be called from any thread (a request handler, the delivery ticker) and never waits:
it puts the call in a bounded queue, or refuses it when the queue is full (recorded as dropped).
A few workers POST concurrently; a failed call (connection error, timeout, a status outside 2xx)
is retried after a growing delay without holding a worker. Every call is recorded with its URL,
last status code and attempts, newest first, for the dashboard; `stop()` reports what is left.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import httpx

QUEUED, RETRYING, DELIVERED, FAILED, DROPPED = "QUEUED", "RETRYING", "DELIVERED", "FAILED", "DROPPED"
KINDS = ("DELIVERY_REPORT", "INBOUND_MESSAGE", "REQUEST_STATUS")


@dataclass(slots=True)
class Attempt:
    """One webhook call and how it went (the dashboard's row)."""

    id: int
    kind: str
    url: str
    body: dict
    queued_at: datetime
    state: str = QUEUED
    attempts: int = 0
    status_code: int | None = None
    error: str | None = None
    last_at: datetime | None = None
    next_delay: float | None = None  # seconds before the next try while RETRYING

    def as_json(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "url": self.url, "state": self.state, "attempts": self.attempts,
            "statusCode": self.status_code, "error": self.error,
            "queuedAt": self.queued_at.isoformat(), "lastAt": self.last_at.isoformat() if self.last_at else None,
        }


@dataclass(slots=True)
class Settings:
    max_queue: int = 10_000  # calls waiting or between retries; more are dropped, never waited for
    workers: int = 8  # calls in flight at once
    max_attempts: int = 5
    backoff: float = 1.0  # first retry after 1 s, then 2, 4, 8 …
    max_backoff: float = 60.0
    timeout: float = 5.0  # per attempt
    history: int = 500  # calls kept for the dashboard
    extra_headers: dict = field(default_factory=dict)


def _utc() -> datetime:
    return datetime.now(timezone.utc)


class Webhooks:
    """The dispatcher. `start()` it once; `post()` from anywhere; `stop()` at shutdown."""

    def __init__(
        self,
        settings: Settings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = _utc,
    ):
        self.settings = settings or Settings()
        self._transport = transport
        self._clock = clock
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._history: deque[Attempt] = deque(maxlen=self.settings.history)
        self._open: dict[int, Attempt] = {}  # queued or waiting for a retry
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._queue: asyncio.Queue | None = None
        self._ready = threading.Event()
        self._retry_handles: dict = {}  # attempt id → timer of its next try
        self._in_flight = 0
        self.revision = 0  # grows with every change of a recorded call (the dashboard compares it)

    # -- life ----------------------------------------------------------------------------------
    def start(self) -> "Webhooks":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="cpaasx-webhooks", daemon=True)
            self._thread.start()
            self._ready.wait()
        return self

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._queue = asyncio.Queue()
        self._client = httpx.AsyncClient(transport=self._transport, timeout=self.settings.timeout)
        self._workers = [loop.create_task(self._work()) for _ in range(self.settings.workers)]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._client.aclose())
            loop.close()

    def stop(self, grace: float = 2.0) -> list[Attempt]:
        """Let calls in flight finish (up to `grace` seconds), then stop; the calls left undelivered
        (queued or waiting for a retry) are returned, so the caller can report them."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return self.pending()
        future = asyncio.run_coroutine_threadsafe(self._drain(grace), loop)
        try:
            future.result(grace + 5)
        except Exception:  # a stuck receiver must not hold up the shutdown
            pass
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        self._thread = self._loop = None
        return self.pending()

    async def _drain(self, grace: float) -> None:
        for handle in self._retry_handles.values():
            handle.cancel()  # a retry due later stays pending and is reported
        self._retry_handles.clear()
        deadline = asyncio.get_running_loop().time() + grace
        while (self._in_flight or not self._queue.empty()) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)

    # -- posting -------------------------------------------------------------------------------
    def post(self, url: str, body: dict, kind: str = "DELIVERY_REPORT") -> Attempt:
        """Queue one call; returns at once. A full queue (or a stopped dispatcher) drops the call."""
        attempt = Attempt(next(self._ids), kind, url, body, self._clock())
        with self._lock:
            self._history.appendleft(attempt)
            self.revision += 1
            if len(self._open) >= self.settings.max_queue or self._loop is None:
                attempt.state = DROPPED
                attempt.error = "queue full" if self._loop is not None else "webhooks stopped"
                return attempt
            self._open[attempt.id] = attempt
        self._loop.call_soon_threadsafe(self._queue.put_nowait, attempt)
        return attempt

    async def _work(self) -> None:
        while True:
            attempt = await self._queue.get()
            self._in_flight += 1
            try:
                await self._try(attempt)
            finally:
                self._in_flight -= 1

    async def _try(self, attempt: Attempt) -> None:
        s = self.settings
        content = json.dumps(attempt.body, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "User-Agent": "cpaasx-webhooks", **s.extra_headers}
        code, error = None, None
        try:
            response = await self._client.post(attempt.url, content=content, headers=headers)
            code = response.status_code
            if not 200 <= code < 300:
                error = f"HTTP {code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        except Exception as exc:  # a malformed URL and the like: the call can never succeed
            error = f"{type(exc).__name__}: {exc}"
            attempt.attempts = s.max_attempts - 1
        with self._lock:
            attempt.attempts += 1
            attempt.status_code, attempt.error, attempt.last_at = code, error, self._clock()
            self.revision += 1
            if error is None:
                attempt.state, attempt.next_delay = DELIVERED, None
                self._open.pop(attempt.id, None)
                return
            if attempt.attempts >= s.max_attempts:
                attempt.state, attempt.next_delay = FAILED, None
                self._open.pop(attempt.id, None)
                return
            attempt.state = RETRYING
            attempt.next_delay = min(s.backoff * 2 ** (attempt.attempts - 1), s.max_backoff)
        self._retry_handles[attempt.id] = asyncio.get_running_loop().call_later(
            attempt.next_delay, self._retry, attempt
        )

    def _retry(self, attempt: Attempt) -> None:
        self._retry_handles.pop(attempt.id, None)
        self._queue.put_nowait(attempt)

    # -- reading -------------------------------------------------------------------------------
    def recent(self, limit: int = 100) -> list[Attempt]:
        """The latest calls, newest first (what the dashboard lists)."""
        with self._lock:
            return list(itertools.islice(self._history, limit))

    def pending(self) -> list[Attempt]:
        """Calls queued or waiting for a retry, oldest first."""
        with self._lock:
            return sorted(self._open.values(), key=lambda a: a.id)

    def room(self) -> int:
        """How many more calls the queue takes now (0 when stopped)."""
        with self._lock:
            return 0 if self._loop is None else max(self.settings.max_queue - len(self._open), 0)

    def counts(self) -> dict[str, int]:
        with self._lock:
            out = {state: 0 for state in (QUEUED, RETRYING, DELIVERED, FAILED, DROPPED)}
            for attempt in self._history:
                out[attempt.state] += 1
            return out
