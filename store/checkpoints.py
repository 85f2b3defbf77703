"""A server's WAL checkpoints, off its writers' path.

SQLite copies the WAL into the database file in whichever commit finds the WAL over its limit
(40,000 pages here, about 160 MB): under a server's steady writes that commit took about 300 ms
every few seconds, holding the write lock, so every send in flight waited. A thread of its own
runs a passive checkpoint every half second instead (it waits for and blocks no reader or writer,
and SQLite does the copying without Python's interpreter lock), so the WAL stays small, is started
over from its beginning, and no commit has to copy it.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("cpaasx.store")


class Checkpoints:
    """`start()` checkpoints `store` every `interval` seconds until `stop()`; nothing on PostgreSQL."""

    def __init__(self, store, interval: float = 0.5):
        self.store = store
        self.interval = interval
        self.runs = 0  # checkpoints made
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "Checkpoints":
        if self._thread is None and getattr(self.store, "is_sqlite", False):
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="cpaasx-checkpoints", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.store.checkpoint_passive()
                self.runs += 1
            except Exception:  # a busy or lost file: the writers' own checkpoint still runs
                log.exception("WAL checkpoint failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
