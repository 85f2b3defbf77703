"""Writing traffic back: log rows, sticky bindings and usage stamps, in bulk (no revision bump).

On SQLite rows go to the driver as multi-row INSERT statements (the ORM's per-row parameter
handling costs more than the insert itself, and one statement per thousands of rows lets a writer
thread run without taking the interpreter lock row by row); on other databases through SQLAlchemy
Core. Every statement runs inside the caller's `store.write(bump=False)` transaction.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from itertools import chain
from json.encoder import encode_basestring_ascii as _quote

from sqlalchemy import bindparam, func, update

from ..message_log import write_rows
from ..tables import MessageLog, SenderUsage, StickyBinding, StoreMeta
from ..message_status import FOR_ERROR_CODE, MISSING_TO, PENDING_ACCEPTED, REJECTED_ROUTE_NOT_AVAILABLE
from .index import STICKY_SEQUENCE
from .model import OUTBOUND, ROUTED, Decision

PARAMETERS_PER_STATEMENT = 18_000  # a thousand log rows, three thousand bindings, nine thousand stamps

_LOG_COLUMNS = (  # the order of the tuples `log_rows` builds
    "message_id", "at", "direction", "channel", "status", "application_id", "entity_id", "source", "destination",
    "country", "sender", "sender_type", "sending_strategy_id", "reason", "error_code", "error_description",
    "keyword", "bulk_id", "general_status", "status_id", "queued", "text", "due_at", "due_status_id", "due_error_id",
    "notify_url", "callback_data", "trace",
)
_LOG_HEAD = f"INSERT INTO {MessageLog.__tablename__} ({', '.join(_LOG_COLUMNS)}) VALUES "
_STICKY_HEAD = (
    f"INSERT INTO {StickyBinding.__tablename__} (application_id, entity_key, channel, destination, sender, bound_at, written) VALUES "
)
# Insert-if-absent: when two processes bind the same recipient at once, the first binding stored
# wins; the other router adopts it when it next reads that recipient's bindings (each batch does).
_STICKY_TAIL = " ON CONFLICT (application_id, entity_key, channel, destination) DO NOTHING"
# The bindings this transaction inserted, as one JSON row. Not RETURNING on SQLite: the driver steps
# once per returned row and gives up the interpreter lock at every step, so a writer thread beside a
# busy routing thread waited for the lock once per new binding (64 µs per binding on the routing
# benchmark, half the writer's time). Read only when the insert stored fewer rows than it was given.
_STICKY_WRITTEN = (
    "SELECT json_group_array(json_array(application_id, entity_key, channel, destination))"
    f" FROM {StickyBinding.__tablename__} WHERE written = ?"
)
# One row per store, updated in the writing transaction: it stays locked until the commit, so
# sequence order is commit order and a reader that sees value N has every binding up to N.
_NEXT_SEQUENCE = (
    f"INSERT INTO {StoreMeta.__tablename__} (key, value) VALUES ('{STICKY_SEQUENCE}', 1)"
    f" ON CONFLICT (key) DO UPDATE SET value = {StoreMeta.__tablename__}.value + 1 RETURNING value"
)
_USAGE_HEAD = f"INSERT INTO {SenderUsage.__tablename__} (resource_id, last_used) VALUES "
_USAGE_TAIL = " ON CONFLICT (resource_id) DO UPDATE SET last_used = max(last_used, excluded.last_used)"
USAGE_STAMP = "usage_stamp"  # StoreMeta key: the newest usage stamp in the store (migration 0011)
_STAMP_SQL = (
    f"INSERT INTO {StoreMeta.__tablename__} (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)"
)


def is_sqlite(session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _insert_many(session, head: str, rows: list[tuple], tail: str = "") -> int:
    """`head` + as many "(?, …)" groups as fit in one statement, for all `rows` (tuples of one width);
    how many rows it changed (a `tail` may skip or update some)."""
    if not rows:
        return 0
    width = len(rows[0])
    connection = session.connection()
    # Up to 18,000 parameters per statement. A writer thread takes the interpreter lock back after
    # every statement, waiting up to a switch interval for it and then stalling the routing thread
    # while it binds: fewer, larger statements bind the same parameters with far fewer hand-overs
    # (measured: higher throughput and a lower p99 than with 100 or 250 rows per statement).
    per_statement = max(min(_parameter_limit(), PARAMETERS_PER_STATEMENT) // width, 1)
    group = "(" + ",".join("?" * width) + ")"
    changed = 0
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        sql = head + ",".join([group] * len(chunk)) + tail
        changed += connection.exec_driver_sql(sql, tuple(chain.from_iterable(chunk))).rowcount
    return changed


@lru_cache(maxsize=1)
def _parameter_limit() -> int:
    """How many parameters one statement may bind (32,766 on current SQLite, 999 on old builds): a
    property of the SQLite library, the same for every connection."""
    with closing(sqlite3.connect(":memory:")) as probe:
        return min(probe.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), 30_000)


def sqlite_datetime(value: datetime) -> str:
    """How SQLAlchemy stores a DateTime in SQLite (UTC wall clock, microseconds)."""
    if value.tzinfo is timezone.utc:
        return value.isoformat(" ", "microseconds")[:26]  # drop "+00:00"
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


@lru_cache(maxsize=256)  # a handful of step names, each quoted once
def _step_head(step: str) -> str:
    return "[" + _quote(step) + ","


def trace_json(decision: Decision) -> str:
    """The trace as the log column stores it (see `TraceColumn`): compact pairs, ASCII only, so the
    string is built and handed to SQLite without re-encoding."""
    head = _step_head
    return "[" + ",".join([head(step) + _quote(detail) + "]" for step, detail in decision.trace]) + "]"


_PENDING = (PENDING_ACCEPTED.group_name, PENDING_ACCEPTED.id)
_NO_STATUS = (None, None)
_REJECTED = {code: (s.group_name, s.id) for code, s in FOR_ERROR_CODE.items()}


def _status(d: Decision) -> tuple:
    """(general_status, status_id) as `Decision.message_status` has them, without building the object."""
    if d.direction != OUTBOUND:
        return _NO_STATUS
    if d.status == ROUTED:
        return _PENDING
    if not d.to:
        return (MISSING_TO.group_name, MISSING_TO.id)
    return _REJECTED.get(d.error_code) or (REJECTED_ROUTE_NOT_AVAILABLE.group_name, REJECTED_ROUTE_NOT_AVAILABLE.id)


_NOT_PLANNED = (None, None, None)


def _due_text(d: Decision, at: str) -> tuple:
    """(due_at, due_status_id, due_error_id) as SQLite stores them: the plan the router drew, if any,
    due `delay_ms` after the row's sentAt text `at`."""
    p = d.delivery
    if p is None:
        return _NOT_PLANNED
    return _later_text(at, p.delay_ms), p.status.id, p.error.id


def _due_at(d: Decision, at: datetime) -> tuple:
    """`_due_text` with the due time as a datetime (SQLAlchemy binds)."""
    p = d.delivery
    if p is None:
        return _NOT_PLANNED
    return at + p.delay, p.status.id, p.error.id


def _later_text(at: str, ms: int) -> str:
    """`at` (as `sqlite_datetime` writes it) `ms` milliseconds later, in the same form. Formatting a
    datetime took two microseconds of the routing thread per message; this takes a fraction."""
    micro = int(at[20:26]) + ms * 1000
    carry, micro = divmod(micro, 1_000_000)
    return f"{_later_second(at[:19], carry)}.{micro:06d}"


@lru_cache(maxsize=65_536)  # (second, carry) pairs: a few dozen per second of traffic
def _later_second(second: str, carry: int) -> str:
    return (datetime.fromisoformat(second) + timedelta(seconds=carry)).isoformat(" ")


def _as_is(value):
    return value


def _trace_objects(d: Decision) -> list[dict]:
    return [{"step": s.step, "detail": s.detail} for s in d.trace]


def log_rows(decisions: list[Decision], sqlite: bool = True) -> list[tuple]:
    """The decisions' log rows in `_LOG_COLUMNS` order: the one place a log row is built. For SQLite
    (`sqlite`) the values are as the driver takes them (times as text, the trace as JSON text), so a
    writer thread only runs SQL; otherwise as SQLAlchemy binds them (`log_dicts`)."""
    when, due, trace, inbox = (
        (sqlite_datetime, _due_text, trace_json, 1) if sqlite else (_as_is, _due_at, _trace_objects, True)
    )
    return [
        (
            d.message_id, (at := when(d.at)), d.direction, d.channel, d.status, d.application_id, d.entity_id,
            d.sender if d.direction == OUTBOUND else d.from_, d.to, d.country, d.sender, d.sender_type,
            d.sending_strategy_id, d.reason, d.error_code, d.error_description, d.keyword, d.bulk_id, *_status(d),
            inbox if d.direction != OUTBOUND and d.status == ROUTED else None,  # an inbound message waits in the inbox
            d.text, *due(d, at), d.notify_url, d.callback_data, trace(d),
        )
        for d in decisions
    ]


def log_dicts(decisions: list[Decision]) -> list[dict]:
    """The log rows by column name (PostgreSQL's bulk insert, tests)."""
    return [dict(zip(_LOG_COLUMNS, row)) for row in log_rows(decisions, sqlite=False)]


def write_decisions(session, decisions: list[Decision], rows: list[tuple] | None = None) -> None:
    if not decisions:
        return
    if not is_sqlite(session):
        write_rows(session, log_dicts(decisions))
        return
    _insert_many(session, _LOG_HEAD, rows if rows is not None else log_rows(decisions))


def upsert_sticky(session, bindings: dict) -> tuple[int | None, set]:
    """`bindings`: (app, entity key, channel, destination) → (sender, bound_at, replaced sender or
    None). Takes the store's next sticky sequence and stamps the rows with it; returns it (None:
    nothing to write) and the keys of the new bindings that were not stored because the recipient
    had one already. Run it first in its transaction: the sequence row stays locked until the commit,
    so transactions that bind take turns (and lock rows in the same order).

    A new binding is inserted only if the recipient has none yet (a binding another process stored
    first stays). A replacement (its sender left the set) is a compare-and-set: it overwrites the
    binding only while that still names the sender found ineligible, so of two processes replacing
    one binding at once the first wins too; if the binding is gone, the insert has put the new one."""
    if not bindings:
        return None, set()
    sequence = session.connection().exec_driver_sql(_NEXT_SEQUENCE).scalar()
    stored: set = set()
    table = StickyBinding.__table__
    if is_sqlite(session):
        rows = [(k[0], k[1], k[2], k[3], v[0], sqlite_datetime(v[1]), sequence) for k, v in bindings.items()]
        if _insert_many(session, _STICKY_HEAD, rows, _STICKY_TAIL) == len(rows):
            stored.update(bindings)  # the common case: every binding was new to the store
        else:
            written = session.connection().exec_driver_sql(_STICKY_WRITTEN, (sequence,)).scalar()
            stored.update(map(tuple, json.loads(written)))
    else:
        rows = [
            {"application_id": k[0], "entity_key": k[1], "channel": k[2], "destination": k[3], "sender": v[0],
             "bound_at": v[1], "written": sequence}
            for k, v in bindings.items()
        ]
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        c = table.c
        statement = pg_insert(table).on_conflict_do_nothing(
            index_elements=["application_id", "entity_key", "channel", "destination"]
        ).returning(c.application_id, c.entity_key, c.channel, c.destination)
        stored.update(tuple(row) for row in session.execute(statement, rows))
    replaced = [
        {"k_app": k[0], "k_entity": k[1], "k_channel": k[2], "k_to": k[3], "k_old": v[2], "sender": v[0], "bound_at": v[1]}
        for k, v in bindings.items() if v[2] is not None
    ]
    if replaced:
        c = table.c
        statement = (
            update(table)
            .where(c.application_id == bindparam("k_app"), c.entity_key == bindparam("k_entity"),
                   c.channel == bindparam("k_channel"), c.destination == bindparam("k_to"),
                   c.sender == bindparam("k_old"))
            .values(sender=bindparam("sender"), bound_at=bindparam("bound_at"), written=sequence)
        )
        session.connection().execute(statement, replaced)
    return sequence, {k for k, v in bindings.items() if v[2] is None and k not in stored}


def upsert_usage(session, usage: dict) -> None:
    """`usage`: resource id → stamp; a stamp never goes backwards (another process may be ahead), and
    the store's newest stamp (StoreMeta `usage_stamp`) moves with them."""
    if not usage:
        return
    newest = max(usage.values())
    # Rows in key order: two PostgreSQL writers (serve --workers) then lock the usage rows they share
    # in the same order, and cannot deadlock.
    rows = sorted(usage.items())
    if is_sqlite(session):
        _insert_many(session, _USAGE_HEAD, rows, _USAGE_TAIL)
        session.connection().exec_driver_sql(_STAMP_SQL, (USAGE_STAMP, newest))
        return
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    table = SenderUsage.__table__
    statement = pg_insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=["resource_id"],
        set_={"last_used": func.greatest(table.c.last_used, statement.excluded.last_used)},
    )
    session.execute(statement, [{"resource_id": k, "last_used": v} for k, v in rows])
    meta = StoreMeta.__table__
    stamp = pg_insert(meta).values(key=USAGE_STAMP, value=newest)
    session.execute(stamp.on_conflict_do_update(
        index_elements=["key"], set_={"value": func.greatest(meta.c.value, stamp.excluded.value)}))
