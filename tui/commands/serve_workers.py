"""`serve --workers N`: N uvicorn worker processes answer on one listening socket, over one store.

The parent binds the socket, makes the sandbox key, prints the banner and then only supervises
(uvicorn's `Multiprocess`: a worker that dies is replaced; Ctrl+C or SIGTERM stops them all
gracefully). Each worker is a fresh process that builds its own app with `worker_app` (uvicorn
imports it by name): its own store connections, router, grouped sender and delivery ticker. They
agree through the store: setup changes by revision, sticky bindings by the sticky sequence (the
first binding stored wins, the others adopt it before they answer: docs/routing.md), delivery and
report hand-outs by row locks (`skip locked`). Resource-request webhooks and the auto-reviewer run
once, in the parent, so no event is POSTed twice.

Several workers need PostgreSQL: on SQLite every write takes one file lock, so more processes only
queue for it (`cmd_serve` refuses --workers above 1 there).
"""

from __future__ import annotations

import json
import os
import threading
from contextlib import asynccontextmanager

ENV = "CPAASX_SERVE_WORKER"  # what the parent hands each worker: {"db": url, "delivery": file or name or null}


def is_sqlite_location(db: str | None) -> bool:
    """Whether `--db` (or CPAASX_DB, or the default location) names an SQLite store."""
    location = db or os.environ.get("CPAASX_DB") or ""
    return "://" not in location or location.startswith("sqlite")


def run_workers(args, store, sock, workers: int, say) -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ[ENV] = json.dumps({"db": store.url, "delivery": None if args.delivery is None else str(args.delivery)})
    from api.protocol import JoinedWrites

    config = uvicorn.Config(f"{__name__}:worker_app", factory=True, workers=workers, log_level="warning",
                            access_log=False, lifespan="on", timeout_graceful_shutdown=10,
                            timeout_worker_healthcheck=30, http=JoinedWrites, ws="none")
    requests = _RequestTicker(store, args.request_webhook, args.auto_review)
    requests.start()
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
        left = requests.stop()
        say(workers, left)


def worker_app():
    """One worker's app (uvicorn calls this in each worker process)."""
    from api.app import create_app
    from store.db import Store
    from store.routing.router import Router

    from .serve import AccessLog, settle

    given = json.loads(os.environ[ENV])
    profile = "default"
    if given["delivery"] is not None:
        from pathlib import Path

        from store.delivery_profile import load_profile

        profile = load_profile(Path(given["delivery"]))
    _leave_with(os.getppid())
    store = Store.open(given["db"], create=False)
    app = create_app(store, router=Router(store, delivery=profile))
    settle(app)
    pid = os.getpid()
    app.state.recorder.subscribe(AccessLog(f" pid={pid}"))
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application):
        async with inner(application) as state:
            print(f"worker {pid} serving", flush=True)
            yield state
        total = app.state.recorder.total
        print(f"worker {pid} stopped: {total:,} request{'' if total == 1 else 's'} answered", flush=True)
        store.dispose()

    app.router.lifespan_context = lifespan
    return app


def _leave_with(parent: int, interval: float = 0.5) -> None:
    """Stop this worker gracefully (SIGTERM, as uvicorn's supervisor would) once `parent` is gone.

    A supervisor killed outright (SIGKILL, a crash) cannot stop its workers; orphaned, they would
    keep serving the socket and delivering from the store with nobody to stop them."""
    import signal

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(interval)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="cpaasx-parent-watch", daemon=True).start()


class _RequestTicker:
    """`--request-webhook` and `--auto-review` in the parent: one ticker for all workers."""

    def __init__(self, store, url: str | None, auto_review: bool, interval: float = 0.5):
        self.push = self.webhooks = None
        if url is None and not auto_review:
            return
        import logging

        from api.request_push import RequestPush
        from api.webhooks import Webhooks
        from store.delivery import utc_now
        from store.ticker import Ticker

        self.webhooks = Webhooks()
        self.push = RequestPush(store, self.webhooks, url, auto_review)
        self._ticker = Ticker("cpaasx-requests", lambda: self.push.tick(utc_now()), interval,
                              logging.getLogger("cpaasx.api"))

    def start(self) -> None:
        if self.push is not None:
            self.webhooks.start()
            self.push.start()
            self._ticker.start()

    def stop(self) -> list:
        if self.push is None:
            return []
        self._ticker.stop()
        return self.webhooks.stop()
