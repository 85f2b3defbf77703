"""The requester's side: submit (all requirements checked first), update, cancel, list."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from ..db import DEFAULT_APPLICATION
from ..errors import InvalidInput, StoreError
from ..paging import DEFAULT_SIZE, Page, paginate
from ..platforms import check_platform
from ..tables import Resource
from ..validation import check_alpha_sender, check_country, check_enum
from .catalogue import ALPHANUMERIC_REGISTRATION, REQUEST_TYPES, resolve
from .lifecycle import (
    CANCELED,
    OPEN,
    PENDING,
    STATUSES,
    UPDATE_REQUESTED,
    get_request,
    record_status,
    refuse,
    spec_of,
    utcnow,
)
from .numbers import check_preference, preference_of
from .tables import ResourceRequest
from .validate import check_requirements, clean_filled, normalise_filled

MAX_PENDING_PER_SENDER = 2
SENDER_EXISTS = "RR-ALPHA-SENDER-ALREADY-EXISTS400"
SENDER_LIMIT = "RR-ALPHA-SS-LIMIT400"


@dataclass
class SubmitResult:
    """Either the stored request, or the feedback on every wrong field (and then nothing was stored)."""

    request: ResourceRequest | None = None
    feedback: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.request is not None


def new_request_id() -> str:
    return str(uuid.uuid4())


def _check_sender(session: Session, sender_name) -> str:
    sender = check_alpha_sender(sender_name, "senderName")
    if session.get(Resource, sender) is not None:
        raise StoreError(f"the sender name {sender} already exists", "senderName", SENDER_EXISTS)
    pending = session.exec(
        select(func.count())
        .select_from(ResourceRequest)
        .where(ResourceRequest.sender_name == sender)
        .where(col(ResourceRequest.status).in_(OPEN))
    ).one()
    if pending >= MAX_PENDING_PER_SENDER:
        raise StoreError(
            f"you can have up to {MAX_PENDING_PER_SENDER} pending requests for {sender} at once",
            "senderName",
            SENDER_LIMIT,
        )
    return sender


def submit_request(
    session: Session,
    type,
    country_code,
    number_type=None,
    capabilities=None,
    quantity=None,
    sender_name=None,
    requirements=None,
    application_id=None,
    entity_id=None,
    now: datetime | None = None,
) -> SubmitResult:
    """Check what is asked for, then every requirement; store a PENDING request only if all is well."""
    spec = resolve(type, country_code, number_type, capabilities, quantity)
    if spec.type == ALPHANUMERIC_REGISTRATION:
        sender_name = _check_sender(session, sender_name)
    elif sender_name not in (None, ""):
        raise InvalidInput("only alphanumeric registrations take a sender name", "senderName")
    else:
        sender_name = None
    application_id = application_id or DEFAULT_APPLICATION
    check_platform(session, application_id, entity_id or None)
    filled = normalise_filled(requirements)
    specs = spec.requirements
    problems = check_requirements(session, specs, filled)
    if problems:
        return SubmitResult(feedback=problems)
    check_preference(spec.offer, preference_of(spec.offer, filled))
    at = utcnow(now)
    row = ResourceRequest(
        id=new_request_id(),
        type=spec.type,
        country_code=spec.country_code,
        number_type=spec.number_type,
        capabilities=list(spec.capabilities) if spec.number_type else [],
        quantity=spec.quantity,
        sender_name=sender_name,
        requirements=clean_filled(specs, filled),
        status="",
        application_id=application_id,
        entity_id=entity_id or None,
        requested_date=at,
        status_changed_at=at,
    )
    session.add(row)
    record_status(session, row, PENDING, at)
    return SubmitResult(request=row)


def update_request(session: Session, request_id: str, requirements, now: datetime | None = None) -> SubmitResult:
    """Replace all requirements of a request the reviewer sent back; it returns to PENDING."""
    row = get_request(session, request_id)
    if row.status != UPDATE_REQUESTED:
        raise refuse(row, "update")
    spec = spec_of(row)
    filled = normalise_filled(requirements)
    problems = check_requirements(session, spec.requirements, filled)
    if problems:
        return SubmitResult(feedback=problems)
    check_preference(spec.offer, preference_of(spec.offer, filled))
    row.requirements = clean_filled(spec.requirements, filled)
    row.requirements_feedback = []
    record_status(session, row, PENDING, now)
    return SubmitResult(request=row)


def cancel_request(session: Session, request_id: str, now: datetime | None = None) -> ResourceRequest:
    """Withdraw a request the reviewer sent back (the only status that allows it)."""
    row = get_request(session, request_id)
    if row.status != UPDATE_REQUESTED:
        raise refuse(row, "cancel")
    record_status(session, row, CANCELED, now)
    return row


def _split(value) -> list[str]:
    if value in (None, "", []):
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [str(v).strip() for v in items if str(v).strip()]


def list_requests(
    session: Session,
    status=None,
    type=None,
    country_code=None,
    page: int = 0,
    size: int = DEFAULT_SIZE,
) -> Page:
    """Newest first; `status`, `type` and `countryCode` each take one value or several."""
    statement = select(ResourceRequest).order_by(col(ResourceRequest.requested_date).desc(), col(ResourceRequest.id))
    statuses = [check_enum(s.upper(), STATUSES, "status") for s in _split(status)]
    if statuses:
        statement = statement.where(col(ResourceRequest.status).in_(statuses))
    types = [check_enum(t.upper(), REQUEST_TYPES, "type") for t in _split(type)]
    if types:
        statement = statement.where(col(ResourceRequest.type).in_(types))
    countries = [check_country(c, "countryCode") for c in _split(country_code)]
    if countries:
        statement = statement.where(col(ResourceRequest.country_code).in_(countries))
    return paginate(session, statement, page, size)
