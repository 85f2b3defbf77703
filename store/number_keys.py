"""A NUMBER's `numberKey`: given once, when the number is created, then stored and kept.

The key a new number gets is derived from the number (`derived_key`, the MD5 of `+14155550100` in
upper-case hex), so the key offered for an available number is the key it has once bought, and the
numbers a store had before keys were stored (migration 0009) kept the key the API answered then.
A setup file may give a key of its own; when the derived key is already another number's, the new
number gets the first free key of `derived_key("+14155550100#1")`, `…#2`, …, so keys stay unique.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlmodel import Session

from .display import quote
from .errors import InvalidInput
from .number_forms import NUMBER_KEY, derived_key
from .tables import Resource

CHUNK = 500  # keys per IN (…) lookup


def candidate_keys(resource_id: str) -> Iterator[str]:
    """The keys a new number may get, in order: the derived key first."""
    yield derived_key(resource_id)
    n = 1
    while True:
        yield derived_key(f"{resource_id}#{n}")
        n += 1


def check_key(value) -> str:
    """A numberKey given in a setup file: 32 hex characters (upper-cased). YAML reads a key of digits
    only as a number (losing leading zeros), so such a key must be quoted."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise InvalidInput("a key of digits only must be written in quotes", "numberKey")
    if not isinstance(value, str) or not NUMBER_KEY.fullmatch(value.upper()):
        raise InvalidInput(f"must be 32 hexadecimal characters, not {quote(value)}", "numberKey")
    return value.upper()


def key_owners(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """key → resource id of the numbers in the store that hold one of `keys`."""
    keys = list(dict.fromkeys(keys))
    table = Resource.__table__
    owners = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        statement = select(table.c.number_key, table.c.resource_id).where(table.c.number_key.in_(chunk))
        owners.update(dict(session.execute(statement).all()))
    return owners


def new_key(session: Session, resource_id: str, taken=frozenset()) -> str:
    """The key a new number gets: the first candidate no number holds and not in `taken`."""
    for key in candidate_keys(resource_id):
        if key not in taken and not key_owners(session, [key]):
            return key
    raise AssertionError("unreachable")  # candidate_keys never ends


def keys_if_added(session: Session, resource_ids: list[str]) -> dict[str, str]:
    """resource id → the key each number would get if added now (the offer of available numbers)."""
    derived = {rid: derived_key(rid) for rid in resource_ids}
    owners = key_owners(session, derived.values())
    return {rid: key if key not in owners else new_key(session, rid) for rid, key in derived.items()}


def settle_keys(session: Session, prepared: list[dict], existing: dict[str, str | None]) -> list[tuple[str, str]]:
    """The keys of a setup file's resources section, inside the caller's transaction.

    Each prepared NUMBER's `number_key` is the key the file gives (kept as given) or None; a new
    number without one gets its key here (set in `prepared`). A key the file gives twice, or that
    another number keeps, is refused at the item. Returns (resource id, key) of the existing numbers
    whose key the file changes. `existing` maps each resource id already in the store to its key."""
    numbers = [(i, f) for i, f in enumerate(prepared) if f["resource_type"] == "NUMBER"]
    given: dict[str, int] = {}
    for i, fields in numbers:
        key = fields["number_key"]
        if key is None:
            continue
        if key in given:
            first = prepared[given[key]]["resource_id"]
            raise InvalidInput(f"{key} is already the key of {first} in this file", "numberKey").at(f"resources[{i}]")
        given[key] = i
    final = {f["resource_id"]: f["number_key"] or existing.get(f["resource_id"])
             for _, f in numbers}
    fresh = [(i, f) for i, f in numbers if f["number_key"] is None and f["resource_id"] not in existing]
    looked_up = [*given, *(derived_key(f["resource_id"]) for _, f in fresh)]
    owners = key_owners(session, looked_up)
    looked = set(looked_up)  # keys whose owner (or none) is known

    def held_by_other(key: str, resource_id: str) -> str | None:
        owner = owners.get(key)
        if owner is None or owner == resource_id:
            return None
        return owner if final.get(owner, key) == key else None  # an owner the file gives another key frees it

    for key, i in given.items():
        owner = held_by_other(key, prepared[i]["resource_id"])
        if owner is not None:
            raise InvalidInput(f"{key} is already the key of {owner}", "numberKey").at(f"resources[{i}]")
    taken = set(given)
    for _, fields in fresh:
        for key in candidate_keys(fields["resource_id"]):
            if key in taken:
                continue
            if key not in looked:
                owners.update(key_owners(session, [key]))
                looked.add(key)
            if held_by_other(key, fields["resource_id"]) is None:
                break
        fields["number_key"] = key
        final[fields["resource_id"]] = key
        taken.add(key)
    return [(f["resource_id"], f["number_key"]) for _, f in numbers
            if f["resource_id"] in existing and f["number_key"] not in (None, existing[f["resource_id"]])]
