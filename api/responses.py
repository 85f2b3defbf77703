"""Answer helpers: the files' bodies leave absent values out rather than writing null."""

from __future__ import annotations

from fastapi import Response
from fastapi.responses import JSONResponse

from store.paging import Page


def clean(value):
    """`value` without null fields, at every depth (the files' schemas type them as plain strings)."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def answer(value, status: int = 200) -> JSONResponse:
    return JSONResponse(clean(value), status_code=status)


def page(result: Page, convert) -> JSONResponse:
    return answer({"results": [convert(r) for r in result.results], "paging": result.paging})


def empty(status: int) -> Response:
    """A success without a body (the files' 201/204 answers carry none)."""
    return Response(status_code=status)
