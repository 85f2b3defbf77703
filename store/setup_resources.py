"""The resources section of a setup file, in bulk: the biggest section by far (100,000s of numbers).

Each item goes through the same rules as one added by hand (`normalise_resource`, `check_platform`,
`edit_resource`), but the costly half — parsing every number — runs in `prepare_resources` before
the write transaction opens, so a big `apply` holds the store's write lock only to compare and
write; existing rows are read and new ones inserted in chunks, not one statement per item.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlmodel import Session

from .db import DEFAULT_APPLICATION, mark_changed
from .enums import ResourceType
from .errors import InvalidInput, StoreError
from .number_keys import check_key, settle_keys
from .platforms import check_platform
from .resources import EDITABLE, edit_resource, normalise_resource
from .tables import Application, Entity, Resource
from .words import with_article

CHUNK = 500  # ids per IN (…) lookup and rows per INSERT: well within SQLite's variable limit


def prepare_resources(items: list, release: bool = False) -> list[dict]:
    """Each item's checked, completed fields (no database needed); the first bad item raises, naming itself.

    With `release`, each item in `items` is replaced by None once prepared (see `prepare_setup`)."""
    prepared = []
    for i, item in enumerate(items):
        if release:
            items[i] = None
        try:
            fields = normalise_resource(
                item.get("resourceId"), item.get("resourceType"), number_type=item.get("numberType"),
                country=item.get("country"), capabilities=item.get("capabilities"),
                destination_countries=item.get("destinationCountries"),
            )
        except StoreError as exc:
            raise exc.at(f"resources[{i}]") from None
        fields["application_id"] = item.get("applicationId") or DEFAULT_APPLICATION
        fields["entity_id"] = item.get("entityId")
        fields["number_key"] = _given_key(item, fields, i)
        prepared.append(fields)
    return prepared


def _given_key(item: dict, fields: dict, i: int) -> str | None:
    if item.get("numberKey") is None:
        return None
    try:
        if fields["resource_type"] != ResourceType.NUMBER:
            raise InvalidInput(f"only a NUMBER has a numberKey, not {with_article(str(fields['resource_type']))}",
                               "numberKey")
        return check_key(item["numberKey"])
    except StoreError as exc:
        raise exc.at(f"resources[{i}]") from None


def apply_resources(session: Session, prepared: list[dict], report) -> None:
    """Create the new resources and change the changed ones, inside the caller's transaction."""
    known = (set(session.execute(select(Application.application_id)).scalars()),
             set(session.execute(select(Entity.entity_id)).scalars()))
    for i, fields in enumerate(prepared):
        try:
            check_platform(None, fields["application_id"], fields["entity_id"], known=known)
        except StoreError as exc:
            raise exc.at(f"resources[{i}]") from None
    keys: dict[str, str | None] = {}  # each existing number's key: all that is kept of its row
    new_rows = []
    for start in range(0, len(prepared), CHUNK):  # existing rows read a chunk at a time, not all held
        chunk = prepared[start:start + CHUNK]
        existing = _existing(session, [fields["resource_id"] for fields in chunk])
        for i, fields in enumerate(chunk, start):
            row = existing.get(fields["resource_id"])
            if row is None:
                new_rows.append(fields)
                report.created.append(f"resource {fields['resource_id']}")
                continue
            keys[row.resource_id] = row.number_key
            _compare(session, i, row, fields, report)
    rekeyed = settle_keys(session, prepared, keys)
    _rekey(session, rekeyed, report)
    for start in range(0, len(new_rows), CHUNK):
        session.execute(insert(Resource.__table__), new_rows[start:start + CHUNK])
    if new_rows:
        mark_changed(session)


def _compare(session: Session, i: int, row, fields: dict, report) -> None:
    changes = {k: fields[k] for k in EDITABLE if getattr(row, k) != fields[k]}
    try:
        if row.resource_type != fields["resource_type"]:
            raise InvalidInput(f"{row.resource_id} is already {with_article(str(row.resource_type))}", "resourceType")
        if changes:
            edit_resource(session, row.resource_id, **changes)
    except StoreError as exc:
        raise exc.at(f"resources[{i}]") from None
    if changes:
        report.changed.append(f"resource {row.resource_id}")


def _rekey(session: Session, rekeyed: list[tuple[str, str]], report) -> None:
    """Give existing numbers the keys the file names: freed first, so two numbers may swap keys."""
    if not rekeyed:
        return
    table = Resource.__table__
    ids = [rid for rid, _ in rekeyed]
    for start in range(0, len(ids), CHUNK):
        session.execute(update(table).where(table.c.resource_id.in_(ids[start:start + CHUNK])).values(number_key=None))
    for rid, key in rekeyed:
        session.execute(update(table).where(table.c.resource_id == rid).values(number_key=key))
        if f"resource {rid}" not in report.changed:
            report.changed.append(f"resource {rid}")
    mark_changed(session)


def _existing(session: Session, ids: list[str]) -> dict:
    table = Resource.__table__
    found = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for row in session.execute(select(table).where(table.c.resource_id.in_(chunk))):
            found[row.resource_id] = row
    return found
