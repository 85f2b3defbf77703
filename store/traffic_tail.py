"""Messages other programs route on the same store (`cpaasx send`, `cpaasx serve`), for the live view.

The dashboard's own traffic reaches its panel directly; everything else is only in the message log.
A `LogTail` remembers the newest log row it has seen and, when asked, reads the rows after it: first
only their ids (cheap, whatever the traffic), then in full only those it did not route itself,
rebuilt as `Decision`s with their trace, delivery plan and, when already known, final status.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import func, select

from .delivery import Moved
from .delivery_profile import Plan
from .message_status import ERRORS, by_id
from .routing import Decision
from .routing.model import OUTBOUND, TraceStep
from .tables import MessageLog

_C = MessageLog.__table__.c
LIMIT = 500  # at most this many foreign messages per read: a burst is shown from its newest end


class LogTail:
    def __init__(self, store):
        self.store = store
        with store.read() as session:
            self.last_id = session.execute(select(func.max(_C.id))).scalar() or 0

    def take(self, own: Collection[str] = ()) -> list[tuple[Decision, Moved | None]]:
        """The messages logged since the last call that are not in `own`, oldest first, each with
        its final status if it has one already."""
        with self.store.read() as session:
            heads = session.execute(select(_C.id, _C.message_id).where(_C.id > self.last_id).order_by(_C.id)).all()
            if not heads:
                return []
            self.last_id = heads[-1][0]
            wanted = [row_id for row_id, message_id in heads if message_id not in own][-LIMIT:]
            if not wanted:
                return []
            rows = session.execute(select(MessageLog).where(MessageLog.id.in_(wanted)).order_by(MessageLog.id))
            return [decision_of(row) for row in rows.scalars()]


def decision_of(row: MessageLog) -> tuple[Decision, Moved | None]:
    """A logged message as the routing engine decided it, and its final status when it has one."""
    outbound = row.direction == OUTBOUND
    decision = Decision(
        status=row.status, direction=row.direction, channel=row.channel, message_id=row.message_id, at=row.at,
        to=row.destination, from_=None if outbound else row.source, country=row.country, sender=row.sender,
        sender_type=row.sender_type, application_id=row.application_id, entity_id=row.entity_id,
        sending_strategy_id=row.sending_strategy_id, reason=row.reason, error_code=row.error_code,
        error_description=row.error_description, keyword=row.keyword,
        trace=[TraceStep(step["step"], step["detail"]) for step in row.trace or []],
        bulk_id=row.bulk_id, text=row.text,
    )
    status, error = by_id(row.due_status_id), ERRORS.get(row.due_error_id)
    if row.due_at is not None and status is not None and error is not None:
        decision.delivery = Plan(status, error, round((row.due_at - row.at) / timedelta(milliseconds=1)))
    final = None
    if outbound and row.done_at is not None:
        final = Moved(row.message_id, row.general_status, row.status_id, row.error_id, row.done_at,
                      row.application_id, row.entity_id)
    return decision, final
