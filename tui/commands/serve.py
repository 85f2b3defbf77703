"""`serve`: the platform's HTTP API on localhost, over the same store (FastAPI + uvicorn, loaded only here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.display import markup_safe, visible

from . import LazyConsole

if TYPE_CHECKING:
    import socket
    from pathlib import Path

console = LazyConsole(highlight=False, soft_wrap=True)
err_console = LazyConsole(stderr=True, highlight=False, soft_wrap=True)


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the platform's HTTP API on localhost (the sandbox for your code)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8080, help="port to listen on (default 8080)")
    p.add_argument("--no-tui", action="store_true", help="headless: one access log line per request")
    p.add_argument("--workers", type=_workers, default=1, metavar="N",
                   help="answer with N worker processes (default 1); above 1 needs --no-tui and a PostgreSQL "
                        "store (--db postgresql+psycopg://…); each access line then ends with the worker's pid")
    p.add_argument("--delivery", type=_file, metavar="FILE", help="a delivery profile (the mix and delays of reports): a file, or default, reliable, flaky")
    p.add_argument("--request-webhook", metavar="URL", type=_webhook_url,
                   help="POST resource-request status changes (UPDATE_REQUESTED, REJECTED, COMPLETED) here, "
                        "as the platform's RESOURCE_REQUEST_STATUS_UPDATE subscription does")
    p.add_argument("--auto-review", action="store_true",
                   help="requests move on by themselves: one review step after resting 5 s")
    p.set_defaults(handler=cmd_serve)


def _workers(value: str) -> int:
    import argparse

    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise argparse.ArgumentTypeError(f"--workers must be a whole number from 1 to 64, not {value!r}")
    return int(value)


def _file(value: str) -> Path:
    from pathlib import Path

    return Path(value)


def _webhook_url(value: str) -> str:
    import argparse

    if not value.startswith(("http://", "https://")) or any(c.isspace() for c in value):
        raise argparse.ArgumentTypeError(f"must be an http:// or https:// address, not {value!r}")
    return value


def _port(value: str) -> int:
    import argparse

    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"--port must be a whole number from 1 to 65535, not {value!r}")
    return int(value)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so a port in use is a clear error rather than a traceback."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise BindError(f"--port: {host}:{port} is already in use (another server is listening there); "
                            "choose another with --port") from None
        raise BindError(f"--host: cannot listen on {host}:{port}: {exc.strerror}") from None
    # Accepted connections inherit TCP_NODELAY from the listening socket. uvicorn sets it only on
    # sockets it binds itself: without it, Nagle's algorithm and delayed ACKs hold small answers on a
    # kept-alive connection for tens of milliseconds (measured: 350 instead of 2,100 requests/s).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class BindError(Exception):
    pass


def access_line(record) -> str:
    key = f" key={record.key_name}" if record.key_name else ""
    return visible(f"{record.at:%H:%M:%S} {record.client or '-'} \"{record.method} {record.target}\" "
                   f"{record.status} {record.duration_ms:.1f}ms{key}")


class AccessLog:
    """The headless access log (a recorder listener, on the event loop): a line per request on stdout,
    flushed once per loop step, so a busy server makes one write for all the answers of a step rather
    than two per line (print's text, then its newline). Off a loop, each line is flushed at once."""

    def __init__(self, suffix: str = ""):
        self.suffix = suffix
        self._due = False

    def __call__(self, record) -> None:
        import asyncio
        import sys

        sys.stdout.write(f"{access_line(record)}{self.suffix}\n")
        if self._due:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            sys.stdout.flush()
            return
        self._due = True
        loop.call_soon(self._flush)

    def _flush(self) -> None:
        import sys

        self._due = False
        sys.stdout.flush()


def cmd_serve(args) -> int:
    from ..cli import EXIT_BAD_INPUT, open_store

    from store.delivery_profile import SHIPPED

    if args.workers > 1:
        from .serve_workers import is_sqlite_location

        problem = ("needs --no-tui (the dashboard shows the requests of one server process)" if not args.no_tui
                   else "needs a PostgreSQL store (--db postgresql+psycopg://…): SQLite writes take one file "
                        "lock, so several processes would only queue for it" if is_sqlite_location(args.db)
                   else None)
        if problem:
            err_console.print(f"[bold red]error[/] --workers {args.workers}: {problem}")
            return EXIT_BAD_INPUT
    if args.delivery is not None and not args.delivery.is_file() and str(args.delivery) not in SHIPPED:
        err_console.print(f"[bold red]error[/] --delivery: no file at {markup_safe(args.delivery)}")
        return EXIT_BAD_INPUT
    profile = "default"  # store.routing.router.DEFAULT_DELIVERY: the shipped profile
    if args.delivery is not None:
        from store.delivery_profile import load_profile

        profile = load_profile(args.delivery)  # an invalid profile is bad input (exit 2) before anything starts
    try:
        sock = bind(args.host, args.port)
    except BindError as exc:
        err_console.print(f"[bold red]error[/] {markup_safe(exc)}")
        return EXIT_BAD_INPUT
    from api.app import create_app
    from api.auth import ensure_sandbox_key

    store = open_store(args)
    secret = ensure_sandbox_key(store)
    if args.workers > 1:
        return _workers_serve(args, store, sock, secret)
    from store.routing.router import Router

    app = create_app(store, router=Router(store, delivery=profile), request_webhook=args.request_webhook,
                     auto_review=args.auto_review)
    app.state.delivery_profile = args.delivery
    settle(app)
    address = f"http://{args.host}:{args.port}"
    _banner(address, store, secret)
    if not args.no_tui:
        _with_dashboard(store, app, sock, address, secret)
    else:
        _headless(store, app, sock)
    total = app.state.recorder.total
    console.print(f"stopped: {total:,} request{'' if total == 1 else 's'} answered")
    _left(app.state.webhooks_left)
    return 0


def settle(app) -> None:
    """Load the routing index before the first request, then freeze what the process holds (modules,
    the app, the index): the collector never scans it again. Unfrozen, each full collection walked it
    all (about 100 ms on the demo store, stalling every request in flight: a few per second under load)."""
    import gc

    app.state.router.refresh()
    gc.freeze()


def _banner(address: str, store, secret: str | None, workers: str = "") -> None:
    from api.auth import SANDBOX_KEY

    console.print(f"cpaasx API on [bold]{address}[/] (store {markup_safe(store.label)}{workers}); Ctrl+C stops it")
    if secret:
        console.print(f"API key [bold]{SANDBOX_KEY}[/] created. Its secret, shown only now: [bold]{secret}[/]")
        console.print(f"  curl -H 'Authorization: App {secret}' {address}/provisioning/1/applications")


def _workers_serve(args, store, sock, secret: str | None) -> int:
    from .serve_workers import run_workers

    _banner(f"http://{args.host}:{args.port}", store, secret, f", {args.workers} workers")

    def said(workers: int, left: list) -> None:
        console.print(f"stopped: {workers} workers")
        _left(left)

    run_workers(args, store, sock, args.workers, said)
    return 0


def _left(left: list) -> None:
    if left:
        console.print(f"{len(left):,} webhook call{'' if len(left) == 1 else 's'} still queued, not delivered:")
        for attempt in left[:20]:
            console.print(f"  {attempt.kind} {markup_safe(visible(attempt.url))} "
                          f"({attempt.attempts} attempt{'' if attempt.attempts == 1 else 's'}"
                          f"{', ' + markup_safe(visible(attempt.error)) if attempt.error else ''})")


def _headless(store, app, sock) -> None:
    import uvicorn

    app.state.recorder.subscribe(AccessLog())
    from api.protocol import JoinedWrites

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=10,
                            http=JoinedWrites, ws="none")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises Ctrl+C once it has shut down cleanly: that is the normal way to stop
    finally:
        sock.close()
        store.dispose()


def _with_dashboard(store, app, sock, address: str, secret: str | None) -> None:
    """The dashboard in front, the API on a thread behind it; quitting the dashboard stops the API
    gracefully (requests in flight finish) before the summary is printed."""
    from api.auth import SANDBOX_KEY
    from store.keys import list_api_keys

    from ..api_host import ApiHost
    from ..app import run_dashboard

    with store.read() as session:
        names = {key.name for key in list_api_keys(session)}
    host = ApiHost(app, sock, address, SANDBOX_KEY if SANDBOX_KEY in names else None)
    host.start()
    notice = f"serving {address}; 8 shows each request"
    if secret:
        notice += f"\nAPI key {SANDBOX_KEY} created; its secret (also printed below the dashboard): {secret}"
    try:
        run_dashboard(store, api_host=host, start="traffic", notice=notice)
    finally:
        host.stop()
        store.dispose()
