"""The live traffic feed in a process of its own, so routing never holds the dashboard's GIL.

`RemoteFeed` answers the calls the live panel's pacing thread makes on a `TrafficFeed` (`run_batch`,
`advance`, `send`, `set_profile`; `profile`, `revision`, `stats`). Each is handed to a child process
(`python -m store.traffic_remote`) that runs the real `TrafficFeed` on the same store, and its `Batch`
comes back pickled: same routing, same counters, only the process differs. Calls are taken one at a
time, as `TrafficFeed` takes them. The child's stdout carries only the answers; its stderr goes to a
temporary file, quoted when it fails. When the parent goes away the child reads end-of-file and exits.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from .errors import StoreError

CALLS = ("run_batch", "advance", "send", "set_profile")
ROOT = str(Path(__file__).resolve().parent.parent)  # the directory holding the `store` package


class FeedProcessFailed(Exception):
    """The feed's process ended or could not start (what it wrote to stderr ends the message)."""


def shareable(store) -> bool:
    """A store another process can open: a PostgreSQL URL or an SQLite file (not an in-memory one)."""
    from .db import _sqlite_file

    return not store.is_sqlite or _sqlite_file(store.url) is not None


class RemoteFeed:
    """A `TrafficFeed` running in a child process; `on_wait` is told when the child's writes wait."""

    def __init__(self, store, seed: int = 7, delivery=None, on_wait: Callable[[str], None] | None = None):
        self.on_wait = on_wait
        self._lock = threading.Lock()
        self._log = tempfile.TemporaryFile()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])))
        self._process = subprocess.Popen([sys.executable, "-m", "store.traffic_remote"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._log, env=env)
        self.pid = self._process.pid
        try:
            self.revision, self.stats, self.profile = self._call("open", store.url, seed, delivery)
        except BaseException:
            self.close()
            raise

    def run_batch(self, count: int):
        batch = self._call("run_batch", count)
        self.revision = batch.revision
        return batch

    def send(self, request):
        return self._call("send", request)

    def advance(self):
        return self._call("advance")

    def set_profile(self, profile) -> None:
        self._call("set_profile", profile)
        self.profile = profile

    def close(self) -> None:
        """End the child (it finishes the call it is in, checkpoints the store and exits)."""
        process = self._process
        if process.poll() is None:
            try:
                process.stdin.close()
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait(timeout=5)
        process.stdout.close()
        self._log.close()

    def _call(self, op: str, *args):
        with self._lock:
            try:
                pickle.dump((op, args), self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self._process.stdin.flush()
                ok, value, waits = pickle.load(self._process.stdout)
            except (OSError, EOFError, pickle.UnpicklingError, ValueError) as exc:
                raise FeedProcessFailed(self._failure(exc)) from None
        for message in waits:
            if self.on_wait is not None:
                self.on_wait(message)
        if not ok:
            raise value
        return value

    def _failure(self, exc: BaseException) -> str:
        try:
            self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        self._log.seek(0)
        said = [line for line in self._log.read().decode(errors="replace").splitlines() if line.strip()]
        status = self._process.poll()
        how = f"exited with status {status}" if status is not None else f"stopped answering ({type(exc).__name__})"
        return f"the traffic process {how}" + (f": {said[-1].strip()}" if said else "")


def portable(exc: BaseException) -> BaseException:
    """`exc` as the parent can unpickle it: a StoreError keeps its message, field and code."""
    if isinstance(exc, StoreError):
        return StoreError(exc.message, exc.field, exc.code)
    try:
        copy = pickle.loads(pickle.dumps(exc))
        if type(copy) is type(exc) and str(copy) == str(exc):
            return copy
    except Exception:  # noqa: BLE001 - any exception that does not survive pickling is described instead
        pass
    return FeedProcessFailed(f"{type(exc).__name__}: {exc}")


def serve(requests, answers) -> None:
    """The child's loop: one (op, args) in, one (ok, value, waits) out, until end-of-file."""
    from .db import Store
    from .traffic_feed import TrafficFeed

    waits: list[str] = []
    store = feed = None
    frozen = False
    try:
        while True:
            try:
                op, args = pickle.load(requests)
            except EOFError:
                return
            try:
                if op == "open":
                    url, seed, delivery = args
                    store = Store(url, notify=waits.append)
                    feed = TrafficFeed(store, seed=seed, delivery=delivery)
                    value = (feed.revision, feed.stats.snapshot(), feed.profile)
                elif op in CALLS and feed is not None:
                    value = getattr(feed, op)(*args)
                    if not frozen:
                        # What the first batch leaves alive (the routing index, number metadata) stays alive:
                        # out of the collector's view, full collections stay short (as in the dashboard).
                        frozen = True
                        gc.freeze()
                else:
                    raise FeedProcessFailed(f"unknown call {op!r}")
                answer = (True, value, list(waits))
            except Exception as exc:  # noqa: BLE001 - every failure is the parent's to show
                answer = (False, portable(exc), list(waits))
            waits.clear()
            pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
    finally:
        if store is not None:
            store.dispose()


def main() -> None:
    # Ctrl+C belongs to the dashboard, which ends this process by closing its stdin.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to the log, never into the answers
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    from store.traffic_remote import main as run  # not __main__'s copies: what it pickles names this module

    run()
