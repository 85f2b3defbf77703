"""The platform's OpenAPI files shipped in `api/openapi/`: every operation, and the error envelope it uses.

Each operation answers errors either in the v1/v2 envelope (`requestError.serviceException`, the files'
`ApiException`) or in `ApiError` (`errorCode`, `description`, `action`, `violations`, `resources`). The
files say which per operation; this module reads that once, so no router hard-codes it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources as package_files

FILES = (
    "application-entity.json",
    "sending-strategy.json",
    "numbers.json",
    "resources.json",
    "account-management.json",
    "sms.json",
)
METHODS = ("get", "post", "put", "patch", "delete")
EXCEPTION, API_ERROR = "exception", "api-error"  # the two envelopes


@dataclass(frozen=True)
class Operation:
    file: str
    method: str  # upper case
    path: str  # the file's template, e.g. /provisioning/1/applications/{applicationId}
    operation_id: str
    envelope: str


@cache
def document(file: str) -> dict:
    """One shipped OpenAPI file, parsed."""
    return json.loads(package_files.files("api").joinpath("openapi", file).read_text(encoding="utf-8"))


def _envelope(doc: dict, op: dict) -> str:
    """ApiError when the operation's error responses use it, else the v1 envelope."""
    for code in ("401", "400", "403", "404", "500"):
        response = op.get("responses", {}).get(code)
        if response is None:
            continue
        if "$ref" in response:
            response = doc["components"]["responses"][response["$ref"].split("/")[-1]]
        schema = next(iter(response.get("content", {}).values()), {}).get("schema", {})
        ref = schema.get("$ref", "")
        if ref:
            return API_ERROR if ref.split("/")[-1].split(".")[-1] == "ApiError" else EXCEPTION
    return EXCEPTION


@cache
def operations() -> tuple[Operation, ...]:
    out = []
    for file in FILES:
        doc = document(file)
        for path, item in doc["paths"].items():
            for method in METHODS:
                op = item.get(method)
                if op is not None:
                    out.append(Operation(file, method.upper(), path, op.get("operationId", ""), _envelope(doc, op)))
    return tuple(out)


def _pattern(path: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")


@cache
def _by_template() -> dict[tuple[str, str], Operation]:
    return {(op.method, op.path): op for op in operations()}


@cache
def _matchers() -> list[tuple[re.Pattern, Operation]]:
    # Literal segments first (`/numbers/1/numbers/available` before `/numbers/1/numbers/{numberKey}`).
    ordered = sorted(operations(), key=lambda op: (op.path.count("{"), -len(op.path)))
    return [(_pattern(op.path), op) for op in ordered]


def operation(method: str, path: str) -> Operation | None:
    """The file operation for a template (fast) or a concrete path (matched), if any."""
    op = _by_template().get((method, path))
    if op is not None:
        return op
    for pattern, candidate in _matchers():
        if candidate.method == method and pattern.match(path):
            return candidate
    return None


def envelope_of(method: str, path: str) -> str:
    """The envelope a request answers errors in: its operation's, or any operation's on that path, else v1."""
    op = operation(method, path)
    if op is None:
        for pattern, candidate in _matchers():
            if pattern.match(path):
                return candidate.envelope
        return EXCEPTION
    return op.envelope


def path_known(path: str) -> bool:
    return any(pattern.match(path) for pattern, _ in _matchers())
