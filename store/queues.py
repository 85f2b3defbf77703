"""The read-once queues: delivery reports and inbound messages, each handed out once, in order.

A delivery report waits from the moment its message reaches a final status (`store.delivery`);
a routed inbound message waits from the moment it lands. A report whose message has a notify URL (sent over
the HTTP API with one), or an inbound message whose configuration forwards (HTTP_FORWARD), is not
pulled: it is POSTed to its URL (`store.sms_reads.take_pushes`). Both are log rows with `queued` true; `pull`
takes the oldest (by doneAt, then log order) and clears `queued` in one transaction, so two readers
pulling at once never get the same item and none is lost: on PostgreSQL the rows are taken with
SELECT … FOR UPDATE SKIP LOCKED, on SQLite the write transaction starts with BEGIN IMMEDIATE.

Reports are shaped as the platform's SmsReport, inbound messages as its SmsMoReport.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, true, update

from .errors import InvalidInput
from .message_status import ERRORS, by_id
from .routing.inbound import split_keyword
from .tables import MessageLog

DEFAULT_LIMIT, MAX_LIMIT = 50, 1000
REPORTS, INBOX = "OUTBOUND", "INBOUND"  # which queue: the direction of its rows
_LOG = MessageLog.__table__
_C = _LOG.c


@dataclass(frozen=True, slots=True)
class Pulled:
    results: list[dict]
    pending: int  # what is left in the queue (`pendingMessageCount`)

    def as_json(self) -> dict:
        return {"results": self.results, "messageCount": len(self.results), "pendingMessageCount": self.pending}


def check_limit(limit, field: str = "limit") -> int:
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise InvalidInput("must be a whole number", field)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"must be between 1 and {MAX_LIMIT} (got {limit})", field)
    return limit


def platform_time(value: datetime | None) -> str | None:
    """As the platform writes times: `2025-03-01T12:00:05.000+0000` (UTC, milliseconds)."""
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"


def _waiting(queue: str, application_id=None, entity_id=None, bulk_id=None, message_id=None) -> list:
    where = [_C.direction == queue, _C.queued == true()]  # `queued = 1` / `= true`, as ix_log_queue names it
    # A report with a notify URL, or an inbound message its configuration forwards, is POSTed there
    # instead (store.sms_reads.take_pushes).
    where.append(_C.notify_url.is_(None))
    for column, value in ((_C.application_id, application_id), (_C.entity_id, entity_id),
                          (_C.bulk_id, bulk_id), (_C.message_id, message_id)):
        if value is not None:
            where.append(column == value)
    return where


def pull(store, queue: str, limit: int = DEFAULT_LIMIT, now: datetime | None = None, shape=None,
         **filters) -> Pulled:
    """Hand out up to `limit` waiting items of `queue` (REPORTS or INBOX), oldest first, once each.
    `filters`: application_id, entity_id, bulk_id, message_id (the platform's query filters);
    `shape(row)` makes each result (default: the platform's SmsReport / SmsMoReport)."""
    check_limit(limit)
    where = _waiting(queue, **filters)
    with store.write(bump=False) as session:
        taken = session.execute(
            select(_C.id).where(*where).order_by(_C.done_at, _C.id).limit(limit).with_for_update(skip_locked=True)
        ).scalars().all()
        rows = []
        if taken:
            session.execute(update(_LOG).where(_C.id.in_(taken)).values(queued=None, read_at=now))
            rows = session.execute(select(_LOG).where(_C.id.in_(taken))).all()
            order = {row_id: i for i, row_id in enumerate(taken)}
            rows.sort(key=lambda r: order[r.id])
        pending = session.execute(select(func.count()).select_from(_LOG).where(*where)).scalar()
    shape = shape or (report if queue == REPORTS else inbound_message)
    return Pulled([shape(r) for r in rows], pending)


def waiting(store, queue: str) -> int:
    """How many items wait in `queue`, without taking any."""
    with store.read() as session:
        return session.execute(select(func.count()).select_from(_LOG).where(*_waiting(queue))).scalar()


def pull_reports(store, limit: int = DEFAULT_LIMIT, now: datetime | None = None, **filters) -> Pulled:
    return pull(store, REPORTS, limit, now, **filters)


def pull_inbox(store, limit: int = DEFAULT_LIMIT, now: datetime | None = None, **filters) -> Pulled:
    return pull(store, INBOX, limit, now, **filters)


def status_json(status_id: int | None) -> dict | None:
    status = by_id(status_id)
    return status.as_json() if status else None


def error_json(error_id: int | None) -> dict | None:
    error = ERRORS.get(error_id) if error_id is not None else None
    return error.as_json() if error else None


def report(row) -> dict:
    """One delivery report (SmsReport): the message's final status and error, sentAt and doneAt."""
    return {
        "bulkId": row.bulk_id,
        "messageId": row.message_id,
        "to": row.destination,
        "from": row.sender,
        "sentAt": platform_time(row.at),
        "doneAt": platform_time(row.done_at),
        "status": status_json(row.status_id),
        "error": error_json(row.error_id),
        "applicationId": row.application_id,
        "entityId": row.entity_id,
    }


def inbound_message(row) -> dict:
    """One inbound message (SmsMoReport): cleanText is the text without the keyword it matched."""
    text = row.text
    return {
        "messageId": row.message_id,
        "from": row.source,
        "to": row.destination,
        "text": text,
        "cleanText": split_keyword(text)[1] if row.keyword and text is not None else text,
        "keyword": row.keyword,
        "receivedAt": platform_time(row.at),
        "applicationId": row.application_id,
        "entityId": row.entity_id,
    }
