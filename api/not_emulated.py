"""Every other operation of the six files answers 501 in its own envelope, generated from the files."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from . import errors, spec
from .errors import ApiFailure


def served(routers: Iterable[APIRouter]) -> set[tuple[str, str]]:
    """(method, path template) of every route of `routers` (read from the routers, not the app, whose
    route list FastAPI may wrap)."""
    return {
        (method, route.path)
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }


def add_routes(app: FastAPI, taken: set[tuple[str, str]]) -> int:
    """Add a 501 route for each file operation not in `taken`; how many were added."""
    missing = [op for op in spec.operations() if (op.method, op.path) not in taken]
    # Literal segments before parameters, so `/campaigns/priorities` is not taken for `/campaigns/{id}`.
    missing.sort(key=lambda op: (op.path.count("{"), -len(op.path), op.path))
    for op in missing:
        app.add_api_route(op.path, _handler(op), methods=[op.method], include_in_schema=False,
                          name=f"not-emulated:{op.operation_id}")
    return len(missing)


def _handler(op: spec.Operation):
    failure = ApiFailure(
        501,
        f"{op.method} {op.path} ({op.file}, {op.operation_id}) is not emulated by cpaasx",
        "NOT_IMPLEMENTED",
    )

    async def not_emulated():
        return errors.respond(op.envelope, failure)

    return not_emulated
