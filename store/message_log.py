"""The message log: every routing decision written in bulk, read back for screens and reports."""

from __future__ import annotations

from sqlalchemy import case, func, insert
from sqlmodel import Session, col, select

from .message_status import by_id
from .tables import MessageLog


def write_rows(session: Session, rows: list[dict]) -> int:
    """Insert log rows (MessageLog column names) with one executemany; the caller's transaction commits."""
    if rows:
        session.execute(insert(MessageLog.__table__), rows)
    return len(rows)


def as_dict(row: MessageLog) -> dict:
    """A log row as the platform's API spells it."""
    return {
        "messageId": row.message_id,
        "at": row.at.isoformat() if row.at else None,
        "direction": row.direction,
        "channel": row.channel,
        "status": row.status,
        "applicationId": row.application_id,
        "entityId": row.entity_id,
        "from": row.source,
        "to": row.destination,
        "country": row.country,
        "sender": row.sender,
        "senderType": row.sender_type,
        "sendingStrategyId": row.sending_strategy_id,
        "reason": row.reason,
        "error": {"code": row.error_code, "description": row.error_description} if row.error_code else None,
        "keyword": row.keyword,
        "trace": list(row.trace or []),
        "bulkId": row.bulk_id,
        "messageStatus": status.as_json() if (status := by_id(row.status_id)) else None,
    }


def recent(
    session: Session,
    limit: int = 100,
    application_id: str | None = None,
    entity_id: str | None = None,
    direction: str | None = None,
    status: str | None = None,
    after_id: int | None = None,
) -> list[MessageLog]:
    """The newest rows first; `after_id` returns only rows logged after that one (for live panels)."""
    statement = select(MessageLog).order_by(col(MessageLog.id).desc()).limit(limit)
    if application_id is not None:
        statement = statement.where(MessageLog.application_id == application_id)
    if entity_id is not None:
        statement = statement.where(MessageLog.entity_id == entity_id)
    if direction is not None:
        statement = statement.where(MessageLog.direction == direction)
    if status is not None:
        statement = statement.where(MessageLog.status == status)
    if after_id is not None:
        statement = statement.where(col(MessageLog.id) > after_id)
    return list(session.exec(statement).all())


def get_message(session: Session, message_id: str) -> MessageLog | None:
    return session.exec(select(MessageLog).where(MessageLog.message_id == message_id)).first()


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(MessageLog)).one()


def report(session: Session, application_id: str | None = None, entity_id: str | None = None) -> list[dict]:
    """Traffic per (application, entity): totals, routed and rejected, newest first by volume."""
    routed = func.sum(case((MessageLog.status == "ROUTED", 1), else_=0))
    statement = (
        select(MessageLog.application_id, MessageLog.entity_id, MessageLog.direction, func.count(), routed)
        .group_by(MessageLog.application_id, MessageLog.entity_id, MessageLog.direction)
    )
    if application_id is not None:
        statement = statement.where(MessageLog.application_id == application_id)
    if entity_id is not None:
        statement = statement.where(MessageLog.entity_id == entity_id)
    out = []
    for app, entity, direction, total, ok in session.exec(statement).all():
        out.append(
            {"applicationId": app, "entityId": entity, "direction": direction,
             "total": total, "routed": int(ok or 0), "rejected": total - int(ok or 0)}
        )
    out.sort(key=lambda r: (-r["total"], r["applicationId"] or "", r["entityId"] or "", r["direction"]))
    return out


def breakdown(session: Session, application_id: str | None = None, entity_id: str | None = None) -> dict:
    """How many decisions per reason and per error code (for one application/entity, or all)."""
    out: dict = {"reasons": {}, "errors": {}}
    for column, name in ((MessageLog.reason, "reasons"), (MessageLog.error_code, "errors")):
        statement = select(column, func.count()).where(col(column).is_not(None)).group_by(column)
        if application_id is not None:
            statement = statement.where(MessageLog.application_id == application_id)
        if entity_id is not None:
            statement = statement.where(MessageLog.entity_id == entity_id)
        out[name] = {key: n for key, n in session.exec(statement).all()}
    return out
