"""A background tick: one function called every few seconds on a daemon thread of its own.

The server's delivery, its WAL checkpoints and the supervisor's resource-request pushes each run
this way. A tick that fails (a locked or lost database, a busy file) is logged and tried again at
the next one: nothing in a tick may stop the ticking.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable


class Ticker:
    """`start()` calls `tick()` every `interval` seconds until `stop()`, which waits for a tick under way."""

    def __init__(self, name: str, tick: Callable[[], object], interval: float, log: logging.Logger):
        self.name, self.tick, self.interval, self.log = name, tick, interval, log
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> "Ticker":
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:  # noqa: BLE001  (tried again at the next tick)
                self.log.exception("%s: tick failed", self.name)

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
