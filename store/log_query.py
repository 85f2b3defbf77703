"""Reading outbound messages back with the platform's log filters, newest first, a page at a time.

Filters (all optional, combined with AND): from (the sender), to (the destination, any of the
number's forms), bulkId and messageId (one or more), generalStatus, sentSince / sentUntil (sentAt
is the row's `at`; since is inclusive, until exclusive), applicationId, entityId. Pages run newest
first in log order; `cursor` is where the previous page ended (the v3 logs' cursor), so a page
never repeats or skips a row while new messages arrive. Every filter but `to` and `from` has an
index behind it (message id, bulk id, platform, sent time, status) and the order is the key's; `to`
and `from` read newest first without one (an index on recipients or senders cost routing too much:
docs/delivery.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .errors import InvalidInput
from .message_status import GENERAL_STATUSES, by_id
from .queues import DEFAULT_LIMIT, check_limit, error_json, platform_time
from .tables import MessageLog

_LOG = MessageLog.__table__
_C = _LOG.c


@dataclass(frozen=True)
class LogFilter:
    sender: str | None = None  # `from`
    to: str | None = None
    bulk_ids: tuple[str, ...] = ()
    message_ids: tuple[str, ...] = ()
    general_status: str | None = None
    sent_since: datetime | None = None
    sent_until: datetime | None = None
    application_id: str | None = None
    entity_id: str | None = None

    def checked(self) -> "LogFilter":
        if self.general_status is not None and self.general_status not in GENERAL_STATUSES:
            raise InvalidInput(f"unknown status {self.general_status!r} (expected one of: "
                               f"{', '.join(GENERAL_STATUSES)})", "generalStatus")
        for name, value in (("sentSince", self.sent_since), ("sentUntil", self.sent_until)):
            if value is not None and value.tzinfo is None:
                raise InvalidInput("needs a time zone (2025-03-01T12:00:00Z or +01:00)", name)
        if self.sent_since and self.sent_until and self.sent_until <= self.sent_since:
            raise InvalidInput("must be after sentSince", "sentUntil")
        return self


@dataclass(frozen=True)
class LogPage:
    results: list[dict]
    cursor: str | None  # give it back for the next (older) page; None when there is none

    def as_json(self) -> dict:
        return {"results": self.results, "cursor": self.cursor}


def _numbers(value: str) -> list[str]:
    """A destination as the log may hold it: the API writes numbers without `+`; the log keeps E.164."""
    value = value.strip()
    digits = value.lstrip("+")
    if digits.startswith("00"):
        digits = digits[2:]
    return sorted({value, f"+{digits}"} if digits.isdigit() else {value})


def parse_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit() or len(cursor) > 18:
        raise InvalidInput("is not a cursor this store gave out", "cursor")
    return int(cursor)


def query(session, filters: LogFilter = LogFilter(), limit: int = DEFAULT_LIMIT, cursor: str | None = None,
          shape=None) -> LogPage:
    """One page of outbound messages, newest first, as the platform's Log objects (or `shape(row)`)."""
    check_limit(limit)
    f = filters.checked()
    where = [_C.direction == "OUTBOUND"]
    if f.sender is not None:
        where.append(_C.sender.in_(_numbers(f.sender)))
    if f.to is not None:
        where.append(_C.destination.in_(_numbers(f.to)))
    if f.bulk_ids:
        where.append(_C.bulk_id.in_(f.bulk_ids))
    if f.message_ids:
        where.append(_C.message_id.in_(f.message_ids))
    if f.general_status is not None:
        where.append(_C.general_status == f.general_status)
    if f.sent_since is not None:
        where.append(_C.at >= f.sent_since)
    if f.sent_until is not None:
        where.append(_C.at < f.sent_until)
    if f.application_id is not None:
        where.append(_C.application_id == f.application_id)
    if f.entity_id is not None:
        where.append(_C.entity_id == f.entity_id)
    before = parse_cursor(cursor)
    if before is not None:
        where.append(_C.id < before)
    rows = session.execute(select(_LOG).where(*where).order_by(_C.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    shape = shape or log_entry
    return LogPage([shape(r) for r in rows], str(rows[-1].id) if more else None)


def log_entry(row) -> dict:
    """One outbound message as the platform's Log shows it, with the engine's view beside it."""
    status = by_id(row.status_id)
    return {
        "bulkId": row.bulk_id,
        "messageId": row.message_id,
        "to": row.destination,
        "from": row.sender,
        "text": row.text,
        "sentAt": platform_time(row.at),
        "doneAt": platform_time(row.done_at),
        "status": status.as_json() if status else None,
        "error": error_json(row.error_id),
        "applicationId": row.application_id,
        "entityId": row.entity_id,
        "channel": row.channel,
        "routing": {"status": row.status, "reason": row.reason, "errorCode": row.error_code,
                    "senderType": row.sender_type, "sendingStrategyId": row.sending_strategy_id},
    }
