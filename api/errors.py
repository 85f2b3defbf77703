"""Error answers in the envelope of the path's own file, and the store's refusals mapped onto them."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi.responses import JSONResponse

from store.errors import CannotDeleteDefault, Conflict, DuplicateId, NotFound, StoreError

from . import spec

ACTIONS = {
    400: "Check the request syntax, the fields named in violations and their values.",
    401: "Check the Authorization header: App or Bearer followed by an API key's secret.",
    403: "Use an API key without platform links for management paths.",
    404: "Check the path and the identifiers in it.",
    405: "Check the method of the request.",
    409: "Change the request so that it no longer conflicts with what exists.",
    413: "Send a smaller request body (at most 10 MB).",
    500: "Try again; if it keeps happening, report it.",
    501: "Use the paths cpaasx emulates (docs/api.md).",
}
DEFAULT_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "REQUEST_TOO_LARGE",
    500: "GENERAL_ERROR",
    501: "NOT_IMPLEMENTED",
}


@dataclass
class ApiFailure(Exception):
    """A refused request: the HTTP status, a stable code, a text, and the fields at fault."""

    status: int
    text: str
    code: str | None = None
    violations: list[tuple[str, str]] = field(default_factory=list)
    action: str | None = None  # what to do instead (else the status's usual advice)

    def __post_init__(self) -> None:
        self.code = self.code or DEFAULT_CODES.get(self.status, "ERROR")
        super().__init__(self.text)


def status_of(exc: StoreError) -> int:
    """The HTTP status of a store refusal: the platform's own codes carry it as a suffix (RR404)."""
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, (DuplicateId, Conflict)):
        return 409
    if isinstance(exc, CannotDeleteDefault):
        return 400
    tail = exc.code[-3:]
    if tail.isdigit() and tail[0] == "4":
        return int(tail)
    return 400


def from_store(exc: StoreError, rename: dict[str, str] | None = None) -> ApiFailure:
    """A store refusal as an API failure naming the field (renamed to the path's own field name)."""
    field_name = exc.field or ""
    if rename:
        head = field_name.split(".")[0].split("[")[0]
        if head in rename:
            field_name = rename[head] + field_name[len(head):]
    violations = [(field_name, exc.message)] if field_name else []
    text = f"{field_name}: {exc.message}" if field_name else exc.message
    return ApiFailure(status_of(exc), text, exc.code, violations)


def body(envelope: str, failure: ApiFailure) -> dict:
    if envelope == spec.API_ERROR:
        return {
            "errorCode": failure.code,
            "description": failure.text,
            "action": failure.action or ACTIONS.get(failure.status, ACTIONS[400]),
            "violations": [{"property": p, "violation": v} for p, v in failure.violations],
            "resources": [],
        }
    details: dict = {"messageId": failure.code, "text": failure.text}
    if failure.violations:
        grouped: dict[str, list[str]] = {}
        for prop, violation in failure.violations:
            grouped.setdefault(prop, []).append(violation)
        details["validationErrors"] = grouped
    return {"requestError": {"serviceException": details}}


def respond(envelope: str, failure: ApiFailure, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(body(envelope, failure), status_code=failure.status, headers=headers)


def location(loc) -> str:
    """A validation error's location as a property path: `platform.applicationId`, `priorities[0]`."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def from_validation(errors: list[dict]) -> ApiFailure:
    """FastAPI's request-validation errors as one 400 naming every field at fault."""
    violations = []
    for error in errors:
        kind = error.get("type", "")
        if kind == "json_invalid":
            violations.append(("body", "is not valid JSON"))
            continue
        prop = location(error.get("loc", ())) or "body"
        message = error.get("msg", "is invalid")
        if kind == "missing":
            message = "is required"
        elif kind == "extra_forbidden":
            message = "is not a field of this request"
        violations.append((prop, message))
    text = "; ".join(f"{p}: {v}" for p, v in violations) or "Bad request"
    return ApiFailure(400, text, "BAD_REQUEST", violations)
