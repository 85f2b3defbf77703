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

from .ticker import Ticker

log = logging.getLogger("cpaasx.store")


class Checkpoints:
    """`start()` checkpoints `store` every `interval` seconds until `stop()`; nothing on PostgreSQL."""

    def __init__(self, store, interval: float = 0.5):
        self.store = store
        self.runs = 0  # checkpoints made
        self._ticker = Ticker("cpaasx-checkpoints", self._checkpoint, interval, log)

    def start(self) -> "Checkpoints":
        if getattr(self.store, "is_sqlite", False):  # a busy file: the writers' own checkpoint still runs
            self._ticker.start()
        return self

    def _checkpoint(self) -> None:
        self.store.checkpoint_passive()
        self.runs += 1

    def stop(self) -> None:
        self._ticker.stop()
