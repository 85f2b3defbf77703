"""The FastAPI app factory: one router per OpenAPI file, errors in each path's own envelope."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from store.checkpoints import Checkpoints
from store.db import Store
from store.errors import StoreError
from store.routing.grouped import GroupedSender
from store.routing.router import Router

from . import errors, not_emulated, spec
from .auth import KeyCache, authenticate, management
from .delivery_push import DeliveryPush
from .request_push import RequestPush
from .errors import ApiFailure
from .middleware import MAX_BODY, Watch
from .recording import Recorder
from .webhooks import Webhooks

log = logging.getLogger("cpaasx.api")


@asynccontextmanager
async def _lifespan(app: FastAPI):
    """Webhooks and the delivery ticker run while the app serves; at the end the ticker stops, and the
    calls still queued or waiting for a retry are kept in `app.state.webhooks_left` (serve reports them)."""
    webhooks, push = app.state.webhooks, app.state.delivery_push
    checkpoints = Checkpoints(app.state.store).start()
    webhooks.start()
    if push is not None:
        push.start()
    try:
        yield
    finally:
        if push is not None:
            push.stop()
        app.state.sender.close()
        checkpoints.stop()
        app.state.webhooks_left = webhooks.stop()


def default_routers() -> list[APIRouter]:
    """The routers served by default, one per file (imported here so `api` loads only what serves)."""
    from .routers import ROUTERS

    return ROUTERS()


def create_app(
    store: Store,
    recorder: Recorder | None = None,
    routers: Iterable[APIRouter] | None = None,
    max_body: int = MAX_BODY,
    router: Router | None = None,
    webhooks: Webhooks | None = None,
    tick: float | None = 0.5,
    request_webhook: str | None = None,
    auto_review: bool = False,
) -> FastAPI:
    """An app serving `store`. `recorder` receives every request (the dashboard subscribes to it);
    `routers` replaces the default set (tests, or a caller adding its own); `router` is the routing
    engine the SMS paths send through (one on the store with the shipped delivery profile if None).
    While the app runs (its lifespan), `webhooks` (a default dispatcher if None) POSTs delivery reports
    and a ticker delivers what is due every `tick` seconds (None: no ticker, reads still deliver), POSTs
    request status changes to `request_webhook` and, with `auto_review`, runs the request reviewer."""
    app = FastAPI(title="cpaasx", openapi_url=None, docs_url=None, redoc_url=None, lifespan=_lifespan)
    app.state.store = store
    app.state.keys = KeyCache(store)
    app.state.recorder = recorder or Recorder()
    app.state.router = router or Router(store)
    # Concurrent sends are routed and committed together (issue 10's grouped writes).
    app.state.sender = GroupedSender(app.state.router)
    app.state.webhooks = webhooks or Webhooks()
    app.state.request_push = RequestPush(store, app.state.webhooks, request_webhook, auto_review)
    app.state.delivery_push = (DeliveryPush(store, app.state.router, app.state.webhooks, tick, app.state.request_push)
                               if tick is not None else None)
    app.state.webhooks_left = []
    routers = default_routers() if routers is None else list(routers)
    for router in routers:
        app.include_router(router)
    app.state.served = not_emulated.served(routers)
    app.state.not_emulated = not_emulated.add_routes(app, app.state.served)
    _add_handlers(app)
    app.add_middleware(Watch, recorder=app.state.recorder, max_body=max_body)
    return app


def envelope(request: Request) -> str:
    """The matched route's file template when there is one (exact), else the concrete path."""
    route = request.scope.get("route")
    path = getattr(route, "path", None) or request.url.path
    return spec.envelope_of(request.method, path)


def _auth_failure(request: Request) -> ApiFailure | None:
    op = spec.operation(request.method, getattr(request.scope.get("route"), "path", request.url.path))
    check = authenticate if op is not None and op.file == "sms.json" else management
    try:
        check(request)
    except ApiFailure as failure:
        return failure
    return None


def _add_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiFailure)
    async def on_failure(request: Request, exc: ApiFailure):
        return errors.respond(envelope(request), exc)

    @app.exception_handler(StoreError)
    async def on_store_error(request: Request, exc: StoreError):
        return errors.respond(envelope(request), errors.from_store(exc))

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError):
        # FastAPI reads the body before the auth dependency runs: a caller without a valid key hears
        # 401/403 first, never what was wrong with its body.
        refused = _auth_failure(request)
        if refused is not None:
            return errors.respond(envelope(request), refused)
        return errors.respond(envelope(request), errors.from_validation(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404 and request.scope.get("route") is None:
            failure = ApiFailure(404, f"Not found: {request.method} {request.url.path} is not a path of the platform",
                                 "NOT_FOUND")
            return errors.respond(spec.EXCEPTION, failure)
        failure = ApiFailure(exc.status_code, str(exc.detail))
        return errors.respond(envelope(request), failure, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        failure = ApiFailure(500, f"Internal error: {type(exc).__name__}", "GENERAL_ERROR")
        return errors.respond(envelope(request), failure)
