"""Delivery over time: routed messages move from PENDING to DELIVERED, UNDELIVERABLE or EXPIRED.

Two steps, both set-based and both keeping every state in the log row, so a process that stops
loses nothing and the next one (or another one at the same time) carries on:

- `plan` draws each routed, unplanned message's final status, error and delay from a delivery
  profile (`store.delivery_profile`) and stores them (`due_at`, `due_status_id`, `due_error_id`).
- `advance(store, now)` moves every planned message whose `due_at` has come, in batches of one
  UPDATE each: the final status and error, `done_at` (= its `due_at`, so a driven clock gives exact
  times) and `queued`, which puts its delivery report in the read-once queue (`store.queues`).
  Messages not planned yet are planned first, with the profile given (the shipped default).

Time is always passed in (`now`), never read here: tests drive it with `ManualClock`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple
from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, case, func, literal_column, select, update
from sqlalchemy.orm import Session

from .delivery_profile import FINAL_STATUSES, DeliveryProfile, default_profile
from .message_status import PENDING_ACCEPTED
from .tables import MessageLog

BATCH = 5_000
PENDING = PENDING_ACCEPTED.group_name
_LOG = MessageLog.__table__
_C = _LOG.c
# Written out, not bound: a partial index (ix_log_due) serves only a query that names its condition.
IS_PENDING = _C.general_status == literal_column(f"'{PENDING}'")


class ManualClock:
    """A clock that only moves when told: `clock()` is now, `clock.tick(5)` moves it on 5 s."""

    def __init__(self, start: datetime):
        self.now = start if start.tzinfo else start.replace(tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class Advanced:
    planned: int  # messages given their plan in this call
    moved: int  # messages that reached their final status
    by_status: dict  # group name → how many of `moved`
    messages: tuple["Moved", ...] = ()  # each one moved, when asked for (`advance(..., detail=True)`)


class Moved(NamedTuple):
    """One message that reached its final status: what a live view needs to redraw its row."""

    message_id: str
    general_status: str
    status_id: int
    error_id: int | None
    done_at: datetime
    application_id: str | None
    entity_id: str | None


def _batches(store_or_session, work) -> int:
    """Run `work(session) -> n` until it does less than a batch: one transaction per batch with a
    Store, all in the caller's transaction with a Session. Returns the total."""
    total = 0
    while True:
        if isinstance(store_or_session, Session):
            done = work(store_or_session)
        else:
            with store_or_session.write(bump=False) as session:
                done = work(session)
        total += done
        if done < BATCH:
            return total


def plan(store_or_session, profile: DeliveryProfile | None = None, message_ids: Iterable[str] | None = None) -> int:
    """Give every routed, unplanned outbound message (or only those of `message_ids`) its final
    status, error and due time from `profile` (the shipped default when None). Returns how many."""
    profile = profile or default_profile()
    if message_ids is None:
        return _batches(store_or_session, lambda session: _plan_batch(session, profile, None))
    ids = list(dict.fromkeys(message_ids))
    total = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        total += _batches(store_or_session, lambda session: _plan_batch(session, profile, chunk))
    return total


_SET_PLAN = (
    update(_LOG)
    .where(_C.id == bindparam("b_row"), _C.due_at.is_(None))
    .values(due_at=bindparam("b_due"), due_status_id=bindparam("b_status"), due_error_id=bindparam("b_error"))
)


def _plan_batch(session, profile: DeliveryProfile, message_ids: list[str] | None) -> int:
    statement = (
        select(_C.id, _C.message_id, _C.at, _C.country, _C.sender_type)
        .where(IS_PENDING, _C.due_at.is_(None))
        .limit(BATCH)
        .with_for_update(skip_locked=True)  # PostgreSQL: two processes plan disjoint rows
    )
    if message_ids is not None:
        statement = statement.where(_C.message_id.in_(message_ids))
    rows = session.execute(statement).all()
    if not rows:
        return 0
    draw = profile.plan
    updates = []
    for row_id, message_id, at, country, sender_type in rows:
        p = draw(message_id, country, sender_type)
        updates.append({"b_row": row_id, "b_due": at + p.delay, "b_status": p.status.id, "b_error": p.error.id})
    session.execute(_SET_PLAN, updates)
    return len(rows)


_GENERAL = case(*[(_C.due_status_id == s.id, s.group_name) for s in FINAL_STATUSES.values()], else_=PENDING)


_DETAIL = (_C.message_id, _C.general_status, _C.status_id, _C.error_id, _C.done_at, _C.application_id, _C.entity_id)


def _move_batch(session, now: datetime, counts: dict, detail: list | None = None) -> int:
    due = (
        select(_C.id)
        .where(IS_PENDING, _C.due_at <= now)
        .order_by(_C.due_at, _C.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = (
        update(_LOG)
        .where(_C.id.in_(due))
        .values(general_status=_GENERAL, status_id=_C.due_status_id, error_id=_C.due_error_id,
                done_at=_C.due_at, queued=True)
    )
    if detail is not None:
        rows = [Moved(*row) for row in session.execute(statement.returning(*_DETAIL))]
        detail.extend(rows)
        moved = [row.general_status for row in rows]
    else:
        moved = session.execute(statement.returning(_C.general_status)).scalars().all()
    for name in moved:
        counts[name] = counts.get(name, 0) + 1
    return len(moved)


def advance(store_or_session, now: datetime, profile: DeliveryProfile | None = None, detail: bool = False) -> Advanced:
    """Plan what is unplanned (with `profile`), then move every message due at `now` to its final
    status. Safe to call from several processes at once; calling it again with the same `now` moves
    nothing more. With `detail`, the result lists every message moved (in the order they landed)."""
    planned = plan(store_or_session, profile)
    counts: dict = {}
    rows: list | None = [] if detail else None
    moved = _batches(store_or_session, lambda session: _move_batch(session, now, counts, rows))
    if rows:
        rows.sort(key=lambda m: (m.done_at, m.message_id))
    return Advanced(planned, moved, dict(sorted(counts.items())), tuple(rows or ()))


def finals(session, message_ids: Iterable[str]) -> list[Moved]:
    """The messages of `message_ids` that have their final status (moved by whoever advanced them)."""
    ids = list(message_ids)
    out: list[Moved] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.execute(select(*_DETAIL).where(_C.message_id.in_(chunk), _C.done_at.is_not(None)))
        out.extend(Moved(*row) for row in rows)
    return out


def pending_count(session) -> int:
    """Messages still on their way (routed, not final yet)."""
    return session.execute(select(func.count()).select_from(_LOG).where(IS_PENDING)).scalar()


def next_due(session) -> datetime | None:
    """When the next planned message lands (None when nothing planned is pending)."""
    return session.execute(select(func.min(_C.due_at)).where(IS_PENDING)).scalar()
