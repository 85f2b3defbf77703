"""The platform's status objects (`groupId/groupName/id/name/description`) and error objects, and
how a routing outcome maps onto them (API.md, "Status objects for routing outcomes").

The log stores a status by its `id` (and its group name, for filtering); everything else is read
from the tables here, so a row carries the platform's view beside the engine's own code and trace.
"""

from __future__ import annotations

from typing import NamedTuple

# The platform's field names, in the order both tuples below hold them.
JSON_FIELDS = ("groupId", "groupName", "id", "name", "description", "permanent")


def _as_json(value: tuple) -> dict:
    return dict(zip(JSON_FIELDS, value))


class MessageStatus(NamedTuple):
    group_id: int
    group_name: str
    id: int
    name: str
    description: str

    as_json = _as_json


class MessageError(NamedTuple):
    group_id: int
    group_name: str
    id: int
    name: str
    description: str
    permanent: bool

    as_json = _as_json


PENDING_ACCEPTED = MessageStatus(1, "PENDING", 26, "PENDING_ACCEPTED", "Message accepted and waiting for delivery")
MISSING_TO = MessageStatus(5, "REJECTED", 51, "MISSING_TO", "Message rejected: no destination given")
REJECTED_SOURCE = MessageStatus(5, "REJECTED", 11, "REJECTED_SOURCE", "Message rejected: the sender cannot send it")
REJECTED_ROUTE_NOT_AVAILABLE = MessageStatus(
    5, "REJECTED", 19, "REJECTED_ROUTE_NOT_AVAILABLE", "Message rejected: no route to the destination"
)
REJECTED_DESTINATION = MessageStatus(
    5, "REJECTED", 52, "REJECTED_DESTINATION", "Message rejected: the destination is not a valid number"
)
DELIVERED_TO_HANDSET = MessageStatus(3, "DELIVERED", 5, "DELIVERED_TO_HANDSET", "Message delivered to the handset")
UNDELIVERABLE_NOT_DELIVERED = MessageStatus(
    2, "UNDELIVERABLE", 9, "UNDELIVERABLE_NOT_DELIVERED", "Message sent but not delivered to the handset"
)
EXPIRED_EXPIRED = MessageStatus(4, "EXPIRED", 15, "EXPIRED_EXPIRED", "Message expired before it could be delivered")

STATUSES: dict[int, MessageStatus] = {
    s.id: s
    for s in (PENDING_ACCEPTED, MISSING_TO, REJECTED_SOURCE, REJECTED_ROUTE_NOT_AVAILABLE, REJECTED_DESTINATION,
              DELIVERED_TO_HANDSET, UNDELIVERABLE_NOT_DELIVERED, EXPIRED_EXPIRED)
}
GENERAL_STATUSES = ("ACCEPTED", "PENDING", "UNDELIVERABLE", "DELIVERED", "EXPIRED", "REJECTED")

NO_ERROR = MessageError(0, "OK", 0, "NO_ERROR", "No error", False)
EC_UNKNOWN_SUBSCRIBER = MessageError(
    1, "HANDSET_ERRORS", 1, "EC_UNKNOWN_SUBSCRIBER", "The number does not belong to any subscriber", True
)
EC_ABSENT_SUBSCRIBER_SM = MessageError(
    1, "HANDSET_ERRORS", 6, "EC_ABSENT_SUBSCRIBER_SM", "The handset is not reachable for messages", False
)
EC_ABSENT_SUBSCRIBER = MessageError(
    1, "HANDSET_ERRORS", 27, "EC_ABSENT_SUBSCRIBER", "The handset is switched off or out of coverage", False
)
ERRORS: dict[int, MessageError] = {e.id: e for e in (NO_ERROR, EC_UNKNOWN_SUBSCRIBER, EC_ABSENT_SUBSCRIBER_SM,
                                                     EC_ABSENT_SUBSCRIBER)}
ERRORS_BY_NAME: dict[str, MessageError] = {e.name: e for e in ERRORS.values()}

# The engine's rejection codes (DOMAIN.md) → status. UNAUTHORIZED / FORBIDDEN never reach the log
# over HTTP (401 / 403); the command line logs them, as REJECTED_SOURCE (the caller may not send).
# APPLICATION_NOT_FOUND is not in API.md's table: there is no route for an unknown application.
FOR_ERROR_CODE: dict[str, MessageStatus] = {
    "INVALID_DESTINATION": REJECTED_DESTINATION,
    "SENDER_NOT_FOUND": REJECTED_SOURCE,
    "CHANNEL_NOT_SUPPORTED": REJECTED_SOURCE,
    "NO_SENDING_STRATEGY": REJECTED_ROUTE_NOT_AVAILABLE,
    "COUNTRY_NOT_ALLOWED": REJECTED_ROUTE_NOT_AVAILABLE,
    "COUNTRY_NOT_SUPPORTED": REJECTED_ROUTE_NOT_AVAILABLE,
    "NO_ELIGIBLE_SENDER": REJECTED_ROUTE_NOT_AVAILABLE,
    "APPLICATION_NOT_FOUND": REJECTED_ROUTE_NOT_AVAILABLE,
    "UNAUTHORIZED": REJECTED_SOURCE,
    "FORBIDDEN": REJECTED_SOURCE,
}


def for_outcome(routed: bool, error_code: str | None, to: str | None = "x") -> MessageStatus:
    """The status an outbound routing outcome starts with: routed → PENDING_ACCEPTED (the delivery
    simulation moves it on); rejected → by the engine's code; an empty `to` → MISSING_TO."""
    if routed:
        return PENDING_ACCEPTED
    if not to:
        return MISSING_TO
    return FOR_ERROR_CODE.get(error_code, REJECTED_ROUTE_NOT_AVAILABLE)


def by_id(status_id: int | None) -> MessageStatus | None:
    return None if status_id is None else STATUSES.get(status_id)
