"""Request rows as the platform's API spells them (camelCase), for JSON output and screens."""

from __future__ import annotations

from datetime import UTC, datetime

from .catalogue import ALPHANUMERIC_REGISTRATION
from .tables import RequestDocument, RequestEvent, ResourceRequest


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


def request(row: ResourceRequest) -> dict:
    out = {"id": row.id, "type": row.type, "countryCode": row.country_code}
    if row.type == ALPHANUMERIC_REGISTRATION:
        out["senderName"] = row.sender_name
    else:
        out.update(numberType=row.number_type, capabilities=list(row.capabilities), quantity=row.quantity)
    out.update(
        requestedDate=_iso(row.requested_date),
        status=row.status,
        note=row.note,
        requirements=[dict(item) for item in row.requirements],
        requirementsFeedback=[dict(item) for item in row.requirements_feedback],
    )
    if row.type != ALPHANUMERIC_REGISTRATION:
        out["numbers"] = [dict(n) for n in row.numbers]
    out["resources"] = list(row.resources)
    out["platform"] = {"applicationId": row.application_id, "entityId": row.entity_id}
    return out


def event(row: RequestEvent) -> dict:
    return {
        "event": row.event,
        "receivedAt": _iso(row.received_at),
        "previousStatus": row.previous_status,
        "content": dict(row.content),
    }


def document(row: RequestDocument) -> dict:
    return {
        "documentId": row.document_id,
        "fileName": row.file_name,
        "contentType": row.content_type,
        "size": row.size,
        "uploadedAt": _iso(row.uploaded_at),
    }
