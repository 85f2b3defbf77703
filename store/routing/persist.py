"""Writing traffic state back: sticky bindings and usage stamps as bulk upserts (no revision bump)."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..tables import SenderUsage, StickyBinding


def _insert(session, table):
    return (pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(table)


def upsert_sticky(session, bindings: dict) -> None:
    """`bindings`: (app, entity key, channel, destination) → (sender, bound_at)."""
    if not bindings:
        return
    table = StickyBinding.__table__
    rows = [
        {"application_id": k[0], "entity_key": k[1], "channel": k[2], "destination": k[3], "sender": v[0], "bound_at": v[1]}
        for k, v in bindings.items()
    ]
    statement = _insert(session, table)
    statement = statement.on_conflict_do_update(
        index_elements=["application_id", "entity_key", "channel", "destination"],
        set_={"sender": statement.excluded.sender, "bound_at": statement.excluded.bound_at},
    )
    session.execute(statement, rows)


def upsert_usage(session, usage: dict) -> None:
    """`usage`: resource id → stamp; a stamp never goes backwards (another process may be ahead)."""
    if not usage:
        return
    table = SenderUsage.__table__
    statement = _insert(session, table)
    greatest = func.greatest if session.get_bind().dialect.name == "postgresql" else func.max
    statement = statement.on_conflict_do_update(
        index_elements=["resource_id"],
        set_={"last_used": greatest(table.c.last_used, statement.excluded.last_used)},
    )
    session.execute(statement, [{"resource_id": k, "last_used": v} for k, v in usage.items()])
