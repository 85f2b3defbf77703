"""Typed errors with stable codes; every rule raises one of these, never a bare exception."""

from __future__ import annotations


class StoreError(Exception):
    """A refused operation: a stable `code`, the `field` at fault (if any) and a readable message."""

    code = "INVALID_INPUT"

    def __init__(self, message: str, field: str | None = None, code: str | None = None):
        self.message = message
        self.field = field
        if code:
            self.code = code
        super().__init__(f"{field}: {message}" if field else message)

    def at(self, prefix: str) -> "StoreError":
        """The same error, its field placed under `prefix` (e.g. `resources[2]`)."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return type(self)(self.message, field, self.code)


class InvalidInput(StoreError):
    code = "INVALID_INPUT"


class InvalidId(StoreError):
    code = "INVALID_ID"


class DuplicateId(StoreError):
    code = "DUPLICATE_ID"


class NotFound(StoreError):
    code = "NOT_FOUND"


class Conflict(StoreError):
    code = "CONFLICT"


class CannotDeleteDefault(StoreError):
    code = "CANNOT_DELETE_DEFAULT"


class UnsupportedChannel(StoreError):
    code = "UNSUPPORTED_CHANNEL"
