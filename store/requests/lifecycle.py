"""The review lifecycle: statuses, the simulated reviewer, events, and what COMPLETED creates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from ..enums import ResourceType
from ..errors import InvalidInput, StoreError
from ..paging import DEFAULT_SIZE, Page, paginate
from ..resources import add_resource
from ..tables import Resource
from ..validation import check_enum
from .catalogue import ALPHANUMERIC_REGISTRATION, RequestSpec, resolve
from .numbers import pick_numbers, preference_of
from .tables import RequestEvent, ResourceRequest
from .validate import FEEDBACK_CODES, OTHER, check_requirements, feedback, review_findings
from ..display import quote

PENDING, IN_REVIEW, UPDATE_REQUESTED = "PENDING", "IN_REVIEW", "UPDATE_REQUESTED"
COMPLETED, REJECTED, CANCELED = "COMPLETED", "REJECTED", "CANCELED"
STATUSES = (PENDING, IN_REVIEW, UPDATE_REQUESTED, COMPLETED, REJECTED, CANCELED)
OPEN = (PENDING, IN_REVIEW, UPDATE_REQUESTED)
# What the reviewer may do from each status; the requester's moves (update, cancel) live in submit.py.
REVIEWER_MOVES = {
    PENDING: (IN_REVIEW,),
    IN_REVIEW: (COMPLETED, REJECTED, UPDATE_REQUESTED),
    UPDATE_REQUESTED: (REJECTED,),
}
STATUS_EVENT = "RESOURCE_REQUEST_STATUS_UPDATE"
INVALID_STATUS = "RR-INVALID-STATUS400"
NOT_FOUND = "RR404"
# The time-based reviewer: how long a request rests in each status before it moves on by itself.
AUTO_REVIEW_AFTER = timedelta(seconds=5)


def utcnow(now: datetime | None = None) -> datetime:
    """Aware UTC (naive values are taken as UTC), the form the store's datetime columns take."""
    now = now or datetime.now(UTC)
    return now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)


def get_request(session: Session, request_id: str) -> ResourceRequest:
    row = session.get(ResourceRequest, request_id) if isinstance(request_id, str) else None
    if row is None:
        raise StoreError(f"no resource request {quote(request_id)}", "id", NOT_FOUND)
    return row


def spec_of(row: ResourceRequest) -> RequestSpec:
    return resolve(row.type, row.country_code, row.number_type, row.capabilities or None, row.quantity)


def filled_of(row: ResourceRequest) -> dict:
    return {item["key"]: item["value"] for item in row.requirements}


def record_status(session: Session, row: ResourceRequest, status: str, now: datetime | None = None) -> RequestEvent:
    """Move `row` to `status` and keep the RESOURCE_REQUEST_STATUS_UPDATE event that says so."""
    previous = row.status if row.status else None
    at = utcnow(now)
    row.status = status
    row.status_changed_at = at
    content = {"id": row.id, "status": status, "type": row.type}
    if status == UPDATE_REQUESTED:
        content["requirementsFeedback"] = [dict(f) for f in row.requirements_feedback]
    if row.note:
        content["note"] = row.note
    if status == COMPLETED and row.numbers:
        content["numbers"] = [dict(n) for n in row.numbers]
    event = RequestEvent(
        request_id=row.id, event=STATUS_EVENT, received_at=at, previous_status=previous, status=status, content=content
    )
    session.add(row)
    session.add(event)
    session.flush()
    return event


def refuse(row: ResourceRequest, action: str) -> StoreError:
    return StoreError(f"cannot {action} a request that is {row.status}", "status", INVALID_STATUS)


def _check_feedback(row: ResourceRequest, given) -> list[dict]:
    """Reviewer feedback as `[{key, code, feedback}]`, from that list or a {key: text} mapping."""
    if isinstance(given, dict):
        given = [{"key": k, "feedback": v} for k, v in given.items()]
    if not isinstance(given, list):
        raise InvalidInput("must be a list of {key, code, feedback}", "feedback")
    keys = {spec["key"] for spec in spec_of(row).requirements}
    out = []
    for i, item in enumerate(given):
        if not isinstance(item, dict) or item.get("key") not in keys:
            raise InvalidInput(f"names no requirement of this request (one of {', '.join(sorted(keys))})", f"feedback[{i}].key")
        code = check_enum(item.get("code") or OTHER, FEEDBACK_CODES, f"feedback[{i}].code")
        text = item.get("feedback")
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("needs a text", f"feedback[{i}].feedback")
        out.append(feedback(item["key"], code, text.strip()))
    return out


def reviewer_findings(session: Session, row: ResourceRequest) -> list[dict]:
    """What the simulated reviewer objects to: anything invalid, then the offer's review checks."""
    spec, filled = spec_of(row), filled_of(row)
    return check_requirements(session, spec.requirements, filled) or review_findings(spec.offer.review, filled)


def _decide(session: Session, row: ResourceRequest) -> tuple[str, list[dict], str | None]:
    """The default reviewer's decision on a request IN_REVIEW."""
    findings = reviewer_findings(session, row)
    if findings:
        return UPDATE_REQUESTED, findings, None
    if row.type == ALPHANUMERIC_REGISTRATION and session.get(Resource, row.sender_name) is not None:
        return REJECTED, [], f"The sender name {row.sender_name} already exists."
    return COMPLETED, [], None


def advance(
    session: Session,
    request_id: str,
    to: str | None = None,
    feedback=None,
    note: str | None = None,
    now: datetime | None = None,
) -> ResourceRequest:
    """The simulated reviewer moves a request one step: to `to`, or to its own deterministic decision.

    PENDING → IN_REVIEW; IN_REVIEW → COMPLETED (everything in order), UPDATE_REQUESTED (with feedback)
    or REJECTED; UPDATE_REQUESTED waits for the requester (only REJECTED may be forced). Terminal
    statuses never move.
    """
    row = get_request(session, request_id)
    findings: list[dict] = []
    if to is None:
        if row.status == PENDING:
            to = IN_REVIEW
        elif row.status == IN_REVIEW:
            to, findings, auto_note = _decide(session, row)
            note = note or auto_note
        elif row.status == UPDATE_REQUESTED:
            raise StoreError("waiting for the requester to update or cancel it", "status", INVALID_STATUS)
        else:
            raise refuse(row, "advance")
    to = check_enum(to, STATUSES, "to")
    if to not in REVIEWER_MOVES.get(row.status, ()):
        raise refuse(row, f"move to {to}")
    if to == UPDATE_REQUESTED:
        findings = _check_feedback(row, feedback) if feedback else findings or reviewer_findings(session, row)
        if not findings:
            raise InvalidInput("an update request needs feedback on at least one requirement", "feedback")
    elif feedback:
        raise InvalidInput("only an update request carries feedback", "feedback")
    row.requirements_feedback = findings
    if to == REJECTED:
        row.note = note or "Rejected by the reviewer."
    elif note:
        row.note = note
    if to == COMPLETED:
        _fulfil(session, row)
    record_status(session, row, to, now)
    return row


def _fulfil(session: Session, row: ResourceRequest) -> None:
    """Create the requested resources with the request's application and entity."""
    spec = spec_of(row)
    if row.type == ALPHANUMERIC_REGISTRATION:
        if session.get(Resource, row.sender_name) is not None:
            row.note = _join(row.note, f"The sender name {row.sender_name} already exists; nothing was created.")
            return
        add_resource(
            session, row.sender_name, ResourceType.ALPHA, country=row.country_code,
            application_id=row.application_id, entity_id=row.entity_id,
        )
        row.resources = [row.sender_name]
        return
    chosen, shortfall = pick_numbers(session, spec.offer, row.quantity or 1, preference_of(spec.offer, filled_of(row)))
    keys = {}
    for number in chosen:
        keys[number] = add_resource(
            session, number, ResourceType.NUMBER, number_type=row.number_type,
            country=row.country_code if row.number_type == "SHORT_CODE" else None,
            capabilities=list(row.capabilities), application_id=row.application_id, entity_id=row.entity_id,
        ).number_key
    row.numbers = [{"number": n, "numberKey": keys[n], "status": "SUCCESS"} for n in chosen]
    row.resources = list(chosen)
    if shortfall:
        row.note = _join(row.note, shortfall)


def _join(first: str | None, second: str) -> str:
    return f"{first} {second}" if first else second


def _due(at: datetime, after: timedelta):
    return (select(ResourceRequest)
            .where(col(ResourceRequest.status).in_((PENDING, IN_REVIEW)))
            .where(col(ResourceRequest.status_changed_at) <= at - after))


def review_due(session: Session, now: datetime | None = None, after: timedelta = AUTO_REVIEW_AFTER) -> bool:
    """Whether `auto_review` would move anything (a read, so a ticker takes the write lock only then)."""
    return session.exec(_due(utcnow(now), after).limit(1)).first() is not None


def auto_review(session: Session, now: datetime | None = None, after: timedelta = AUTO_REVIEW_AFTER) -> list[str]:
    """The time-based reviewer: every PENDING or IN_REVIEW request resting `after` or longer moves one step."""
    at = utcnow(now)
    due = session.exec(_due(at, after).order_by(col(ResourceRequest.requested_date), col(ResourceRequest.id))).all()
    moved = []
    for row in due:
        advance(session, row.id, now=at)
        moved.append(row.id)
    return moved


def list_events(session: Session, request_id: str | None = None, page: int = 0, size: int = DEFAULT_SIZE) -> Page:
    statement = select(RequestEvent).order_by(col(RequestEvent.id))
    if request_id is not None:
        get_request(session, request_id)
        statement = statement.where(RequestEvent.request_id == request_id)
    return paginate(session, statement, page, size)


def last_event_id(session: Session) -> int:
    """The newest event's id (0 when there is none): where a webhook that starts now begins."""
    return session.exec(select(col(RequestEvent.id)).order_by(col(RequestEvent.id).desc()).limit(1)).first() or 0


def events_after(session: Session, after_id: int, limit: int) -> list[tuple[RequestEvent, ResourceRequest]]:
    """Up to `limit` events newer than `after_id`, oldest first, each with its request."""
    return list(session.exec(
        select(RequestEvent, ResourceRequest)
        .join(ResourceRequest, col(ResourceRequest.id) == col(RequestEvent.request_id))
        .where(col(RequestEvent.id) > after_id)
        .order_by(col(RequestEvent.id))
        .limit(limit)
    ).all())
