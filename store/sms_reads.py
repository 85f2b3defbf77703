"""Reading back over the HTTP API: delivery reports (v1, v3), the inbox and the logs (v1, v3).

Every read first moves the messages due by `now` to their final status (`store.delivery.advance`),
as the command line does, so a report is there as soon as its delay has passed; the server passes
its router's clock (the real one, or a driven one in tests). Reports and inbound messages are read
once (`store.queues`); logs page newest first (`store.log_query`, v3 with a cursor).

Shapes are the files': numbers without `+` (API.md), times in RFC 3339, smsCount / messageCount from the text's
segments, v3 with `sender` / `destination` / `platform` / `content`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, true, update

from . import delivery, queues
from .errors import InvalidInput
from .log_query import LogFilter, query
from .message_status import by_id
from .queues import error_json, status_json
from .routing.inbound import split_keyword
from .segments import parts
from .sms_send import api_form
from .tables import MessageLog

V1, V3 = 1, 3
_LOG = MessageLog.__table__
_C = _LOG.c


def parse_time(value: str | None, field: str) -> datetime | None:
    """An ISO 8601 time of a query (`2025-03-01T12:00:00Z`, `…000+0000`); no zone means UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        raise InvalidInput(f"{value!r} is not an ISO 8601 time (2025-03-01T12:00:00.000+0000)", field) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def platform_time(value: datetime | None) -> str | None:
    """As the API writes times: `2025-03-01T12:00:05.000+00:00` (the platform's milliseconds, with the
    offset RFC 3339 needs: the files type these as date-time, which `+0000` is not)."""
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+00:00"


def deliver(store, now: datetime, profile=None) -> delivery.Advanced:
    """Move what is due by `now` (planning what is unplanned with `profile`)."""
    return delivery.advance(store, now, profile)


def _count(text: str | None) -> int:
    return parts(text or "").count


def _platform(row) -> dict:
    return {"applicationId": row.application_id, "entityId": row.entity_id}


def report_v1(row) -> dict:
    return {
        "bulkId": row.bulk_id, "messageId": row.message_id, "to": api_form(row.destination),
        "from": api_form(row.sender), "sentAt": platform_time(row.at), "doneAt": platform_time(row.done_at),
        "smsCount": _count(row.text), "status": status_json(row.status_id), "error": error_json(row.error_id),
        "applicationId": row.application_id, "entityId": row.entity_id, "callbackData": row.callback_data,
    }


def report_v3(row) -> dict:
    return {
        "bulkId": row.bulk_id, "messageId": row.message_id, "to": api_form(row.destination),
        "sender": api_form(row.sender), "sentAt": platform_time(row.at), "doneAt": platform_time(row.done_at),
        "messageCount": _count(row.text), "status": status_json(row.status_id), "error": error_json(row.error_id),
        "platform": _platform(row), "callbackData": row.callback_data,
    }


def pushed_report(row) -> dict:
    """A report as POSTed to a notify URL: the v1 fields and the v3 ones (`sender`, `messageCount`,
    `platform`) together, since a receiver may be written for either (the log does not keep which
    version sent the message)."""
    return {**report_v1(row), **report_v3(row)}


def take_pushes(store, limit: int = queues.MAX_LIMIT, now: datetime | None = None) -> list[tuple[str, str, list[dict]]]:
    """Take up to `limit` items waiting for their URL, oldest first, each once: delivery reports of
    messages sent with a notify URL, and inbound messages a configuration forwards (HTTP_FORWARD).
    [(url, queue, items)], queue REPORTS or INBOX, one entry per (url, queue) in order of its first
    item. What is taken is no longer waiting, so the caller must hand each to the webhook dispatcher
    (several processes may take at once and never take the same item)."""
    if limit <= 0:
        return []
    where = [_C.queued == true(), _C.notify_url.is_not(None)]
    with store.read() as session:  # most ticks find none: then no write lock is taken at all
        if session.execute(select(_C.id).where(*where).limit(1)).first() is None:
            return []
    with store.write(bump=False) as session:
        taken = session.execute(
            select(_C.id).where(*where).order_by(_C.done_at, _C.id).limit(limit).with_for_update(skip_locked=True)
        ).scalars().all()
        if not taken:
            return []
        session.execute(update(_LOG).where(_C.id.in_(taken)).values(queued=None, read_at=now))
        rows = session.execute(select(_LOG).where(_C.id.in_(taken)).order_by(_C.done_at, _C.id)).all()
    by_url: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        shape = pushed_report if row.direction == queues.REPORTS else inbound_v1
        by_url.setdefault((row.notify_url, row.direction), []).append(shape(row))
    return [(url, queue, items) for (url, queue), items in by_url.items()]


def inbound_v1(row) -> dict:
    text = row.text
    return {
        "messageId": row.message_id, "from": api_form(row.source), "to": api_form(row.destination), "text": text,
        "cleanText": split_keyword(text)[1] if row.keyword and text is not None else text,
        "keyword": row.keyword, "receivedAt": platform_time(row.at), "smsCount": _count(text),
        "applicationId": row.application_id, "entityId": row.entity_id,
    }


def _filters(application_id, entity_id, bulk_id=None, message_id=None) -> dict:
    return {"application_id": application_id, "entity_id": entity_id, "bulk_id": bulk_id, "message_id": message_id}


def reports(store, version: int, now: datetime, limit: int = queues.DEFAULT_LIMIT, profile=None,
            bulk_id=None, message_id=None, application_id=None, entity_id=None) -> dict:
    """Up to `limit` delivery reports, each handed out once: `{"results", "messageCount", "pendingMessageCount"}`."""
    queues.check_limit(limit)
    deliver(store, now, profile)
    pulled = queues.pull(store, queues.REPORTS, limit, now, report_v1 if version == V1 else report_v3,
                         **_filters(application_id, entity_id, bulk_id, message_id))
    return pulled.as_json()


def inbox(store, now: datetime, limit: int = queues.DEFAULT_LIMIT, application_id=None, entity_id=None) -> dict:
    """Up to `limit` inbound messages that landed in the pull inbox, each handed out once."""
    queues.check_limit(limit)
    return queues.pull(store, queues.INBOX, limit, now, inbound_v1, **_filters(application_id, entity_id)).as_json()


def _explained(row) -> dict:
    return {"reason": row.reason if row.status == "ROUTED" else row.error_code, "sender": api_form(row.sender),
            "trace": list(row.trace or [])}


def log_v1(row, explain: bool = False) -> dict:
    status = by_id(row.status_id)
    out = {
        "bulkId": row.bulk_id, "messageId": row.message_id, "to": api_form(row.destination),
        "from": api_form(row.sender), "text": row.text, "sentAt": platform_time(row.at),
        "doneAt": platform_time(row.done_at), "smsCount": _count(row.text),
        "status": status.as_json() if status else None, "error": error_json(row.error_id),
        "applicationId": row.application_id, "entityId": row.entity_id,
    }
    if explain:
        out["x-cpaasx"] = _explained(row)
    return out


def log_v3(row, explain: bool = False) -> dict:
    status = by_id(row.status_id)
    out = {
        "sender": api_form(row.sender), "destination": api_form(row.destination), "bulkId": row.bulk_id,
        "messageId": row.message_id, "sentAt": platform_time(row.at), "doneAt": platform_time(row.done_at),
        "messageCount": _count(row.text), "status": status.as_json() if status else None,
        "error": error_json(row.error_id), "platform": _platform(row), "content": {"text": row.text or ""},
    }
    if explain:
        out["x-cpaasx"] = _explained(row)
    return out


def logs(store, version: int, filters: LogFilter, now: datetime, limit: int = queues.DEFAULT_LIMIT,
         cursor: str | None = None, use_cursor: bool = False, explain: bool = False, profile=None) -> dict:
    """One page of the log, newest first. v3 answers `cursor: {limit, nextCursor}` when asked for one
    (`useCursor` or a `cursor`)."""
    queues.check_limit(limit)
    filters.checked()
    deliver(store, now, profile)
    shape = log_v1 if version == V1 else log_v3
    with store.read() as session:
        page = query(session, filters, limit, cursor, lambda row: shape(row, explain))
    out: dict = {"results": page.results}
    if version == V3 and (use_cursor or cursor is not None):
        out["cursor"] = {"limit": limit, "nextCursor": page.cursor}
    return out
