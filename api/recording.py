"""Every request the server answers, kept for the dashboard's recent-requests view and the access log."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

BODY_KEPT = 64 * 1024  # what a record keeps of each body: enough to read, bounded at 1,000-destination sends


@dataclass(frozen=True, slots=True)
class RequestRecord:
    at: datetime
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    key_name: str | None
    request_body: bytes
    response_body: bytes
    request_truncated: bool = False
    response_truncated: bool = False
    client: str | None = None

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


Listener = Callable[[RequestRecord], None]


class Recorder:
    """The last `keep` requests, newest last, and listeners called (on the serving thread) for each one.

    Listeners must be quick and must not raise: the dashboard's listener only queues the record.
    """

    def __init__(self, keep: int = 500):
        self._records: deque[RequestRecord] = deque(maxlen=keep)
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self.total = 0

    def subscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def record(self, entry: RequestRecord) -> None:
        with self._lock:
            self._records.append(entry)
            self.total += 1
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(entry)
            except Exception:  # a broken view must never break a request
                pass

    def recent(self, count: int | None = None) -> list[RequestRecord]:
        with self._lock:
            records = list(self._records)
        return records if count is None else records[-count:]
