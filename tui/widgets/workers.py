"""Store calls off the UI thread: run a job in a thread worker, post its result back, errors as notices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from store.errors import StoreError


def in_background(
    node: DOMNode,
    job: Callable[[Any], Any],
    done: Callable[[Any], None] | None = None,
    *,
    group: str,
    write: bool = False,
    failed: Callable[[StoreError], None] | None = None,
    exclusive: bool = True,
) -> Worker:
    """Run `job(session)` in a thread; `done(result)` or `failed(error)` then run on the UI thread.

    A read job gets a read session; a write job runs in one transaction (all or nothing). Errors a
    rule raises become `failed` (default: an error notification); anything else is a notification too.
    """
    app = node.app
    store = app.store

    def report(exc: StoreError) -> None:
        # A title in words; the code (RR-INVALID-STATUS400, …) closes the message, for looking it up.
        text = exc.message if not exc.field else str(exc)
        app.notify(f"{text} (code {exc.code})" if exc.code else text, title="Not done", severity="error")

    def run() -> None:
        worker = get_current_worker()
        try:
            with store.write() if write else store.read() as session:
                result = job(session)
        except StoreError as exc:
            if not worker.is_cancelled:
                app.call_from_thread(failed or report, exc)
            return
        except Exception as exc:  # a broken connection or a bug: tell the user, keep the dashboard up
            if not worker.is_cancelled:
                message = f"{type(exc).__name__}: {exc}"
                app.call_from_thread(app.notify, message, title="Store error", severity="error")
            return
        if done is not None and not worker.is_cancelled:
            app.call_from_thread(done, result)

    return node.run_worker(run, thread=True, exclusive=exclusive, group=group, exit_on_error=False)
