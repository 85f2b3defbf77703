"""Numbers as the platform's API writes them: without `+` (`14155550100`), found by number or numberKey.

Every input accepts both forms (`14155550100`, `+14155550100`, and `0014155550100` where a destination
is meant); short codes are digits either way, so a bare number is looked up as `+digits` first.
"""

from __future__ import annotations

import hashlib
import re

from sqlmodel import Session, col, select

from .enums import ResourceType
from .errors import NotFound
from .tables import Resource
from .display import quote

NUMBER_KEY = re.compile(r"^[0-9A-F]{32}$")


def api_number(resource_id: str) -> str:
    """A number as the API writes it: without the leading `+`."""
    return resource_id[1:] if resource_id.startswith("+") else resource_id


def number_key_of(row: Resource) -> str | None:
    """The NUMBER's stable key, stored when it was created (store/number_keys.py)."""
    return row.number_key


def derived_key(resource_id: str) -> str:
    """32 upper-case hex characters from the number (`+14155550100`): the key a number gets when added
    (unless another number holds it already, see store/number_keys.py)."""
    return hashlib.md5(resource_id.encode("utf-8")).hexdigest().upper()


def candidates(value: str) -> list[str]:
    """The resource ids a number written in any accepted form may be."""
    if value.startswith("+"):
        return [value]
    if value.startswith("00") and value[2:].isdigit():
        return ["+" + value[2:], value]
    return ["+" + value, value] if value.isdigit() else [value]


def find_number(session: Session, value, field: str = "numberKey") -> Resource:
    """The NUMBER resource named by `value`: its numberKey, or the number in either form."""
    if isinstance(value, str) and value:
        if NUMBER_KEY.fullmatch(value):
            row = _by_key(session, value)
            if row is not None:
                return row
        for ident in candidates(value):
            row = session.get(Resource, ident)
            if row is not None and row.resource_type == ResourceType.NUMBER:
                return row
    raise NotFound(f"no number {quote(value)}", field)


def _by_key(session: Session, key: str) -> Resource | None:
    return session.exec(select(Resource).where(col(Resource.number_key) == key)).first()
