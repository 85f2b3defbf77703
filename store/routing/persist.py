"""Writing traffic back: log rows, sticky bindings and usage stamps, in bulk (no revision bump).

On SQLite the rows go straight to the driver's `executemany` (the ORM's per-row parameter
handling costs more than the insert itself); on other databases through SQLAlchemy Core.
"""

from __future__ import annotations

from datetime import datetime, timezone
from json.encoder import encode_basestring as _quote

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..message_log import write_rows
from ..tables import MessageLog, SenderUsage, StickyBinding
from .model import Decision

_LOG_COLUMNS = (  # the order of the tuples `write_decisions` builds
    "message_id", "at", "direction", "channel", "status", "application_id", "entity_id", "source", "destination",
    "country", "sender", "sender_type", "sending_strategy_id", "reason", "error_code", "error_description",
    "keyword", "trace",
)
_LOG_SQL = (
    f"INSERT INTO {MessageLog.__tablename__} ({', '.join(_LOG_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _LOG_COLUMNS)})"
)
_STICKY_SQL = (
    f"INSERT INTO {StickyBinding.__tablename__} (application_id, entity_key, channel, destination, sender, bound_at) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (application_id, entity_key, channel, destination) "
    "DO UPDATE SET sender = excluded.sender, bound_at = excluded.bound_at"
)
_USAGE_SQL = (
    f"INSERT INTO {SenderUsage.__tablename__} (resource_id, last_used) VALUES (?, ?) "
    "ON CONFLICT (resource_id) DO UPDATE SET last_used = max(last_used, excluded.last_used)"
)


def _is_sqlite(session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def sqlite_datetime(value: datetime) -> str:
    """How SQLAlchemy stores a DateTime in SQLite (UTC wall clock, microseconds)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def trace_json(decision: Decision) -> str:
    return "[" + ",".join([f'{{"step":{_quote(s.step)},"detail":{_quote(s.detail)}}}' for s in decision.trace]) + "]"


def write_decisions(session, decisions: list[Decision]) -> None:
    if not decisions:
        return
    if not _is_sqlite(session):
        write_rows(session, [d.log_row() for d in decisions])
        return
    rows = []
    for d in decisions:
        outbound = d.direction == "OUTBOUND"
        rows.append((
            d.message_id, sqlite_datetime(d.at), d.direction, d.channel, d.status, d.application_id, d.entity_id,
            d.sender if outbound else d.from_, d.to, d.country, d.sender, d.sender_type, d.sending_strategy_id,
            d.reason, d.error_code, d.error_description, d.keyword, trace_json(d),
        ))
    session.connection().exec_driver_sql(_LOG_SQL, rows)


def upsert_sticky(session, bindings: dict) -> None:
    """`bindings`: (app, entity key, channel, destination) → (sender, bound_at)."""
    if not bindings:
        return
    if _is_sqlite(session):
        rows = [(k[0], k[1], k[2], k[3], v[0], sqlite_datetime(v[1])) for k, v in bindings.items()]
        session.connection().exec_driver_sql(_STICKY_SQL, rows)
        return
    rows = [
        {"application_id": k[0], "entity_key": k[1], "channel": k[2], "destination": k[3], "sender": v[0], "bound_at": v[1]}
        for k, v in bindings.items()
    ]
    statement = pg_insert(StickyBinding.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=["application_id", "entity_key", "channel", "destination"],
        set_={"sender": statement.excluded.sender, "bound_at": statement.excluded.bound_at},
    )
    session.execute(statement, rows)


def upsert_usage(session, usage: dict) -> None:
    """`usage`: resource id → stamp; a stamp never goes backwards (another process may be ahead)."""
    if not usage:
        return
    if _is_sqlite(session):
        session.connection().exec_driver_sql(_USAGE_SQL, list(usage.items()))
        return
    table = SenderUsage.__table__
    statement = pg_insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=["resource_id"],
        set_={"last_used": func.greatest(table.c.last_used, statement.excluded.last_used)},
    )
    session.execute(statement, [{"resource_id": k, "last_used": v} for k, v in usage.items()])
