"""What goes into the router (requests) and what comes out (decisions with their trace)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from ..message_status import MessageStatus, for_outcome

if TYPE_CHECKING:
    from ..delivery_profile import Plan

ROUTED, REJECTED = "ROUTED", "REJECTED"
OUTBOUND, INBOUND = "OUTBOUND", "INBOUND"


@dataclass(slots=True)
class OutboundRequest:
    """One message to send. `sender` is the explicit `from`; `api_key` is the key's secret."""

    to: str
    channel: str = "SMS"
    application_id: str | None = None
    entity_id: str | None = None
    sender: str | None = None
    api_key: str | None = None
    text: str = ""
    bulk_id: str | None = None  # the caller's bulk id; else the router gives one per call that sends
    message_id: str | None = None  # the caller's message id (the API's destinations[].messageId); else one is made
    notify_url: str | None = None  # where its delivery report is POSTed (the API's notifyUrl / webhooks.delivery.url)
    callback_data: str | None = None  # given back with its delivery report


@dataclass(slots=True)
class InboundRequest:
    """One message arriving at `to` (one of the store's numbers) from `from_`."""

    from_: str
    to: str
    channel: str = "SMS"
    text: str = ""


class TraceStep(NamedTuple):
    """One step of a decision, in words: `step` is a short name (key, strategy, pool, …)."""

    step: str
    detail: str

    def as_json(self) -> dict:
        return {"step": self.step, "detail": self.detail}


@dataclass(slots=True)
class Decision:
    """The outcome of routing one message, routed or rejected, with the trace that explains it."""

    status: str
    direction: str
    channel: str
    message_id: str
    at: datetime
    to: str | None = None
    from_: str | None = None
    country: str | None = None
    sender: str | None = None
    sender_type: str | None = None
    application_id: str | None = None
    entity_id: str | None = None
    sending_strategy_id: str | None = None
    reason: str | None = None
    error_code: str | None = None
    error_description: str | None = None
    keyword: str | None = None
    clean_text: str | None = None
    trace: list[TraceStep] = field(default_factory=list)
    bulk_id: str | None = None  # outbound messages sent together share one
    text: str | None = None  # the request's text, as logged
    delivery: Plan | None = None  # what the delivery profile made of it (routed outbound; store.delivery)
    notify_url: str | None = None  # the request's delivery webhook (outbound)
    callback_data: str | None = None

    @property
    def message_status(self) -> MessageStatus | None:
        """The platform's status object the message starts with (outbound only)."""
        if self.direction != OUTBOUND:
            return None
        return for_outcome(self.status == ROUTED, self.error_code, self.to)

    @property
    def routed(self) -> bool:
        return self.status == ROUTED

    def _error(self) -> dict | None:
        if self.error_code is None:
            return None
        return {"code": self.error_code, "description": self.error_description}

    def as_json(self) -> dict:
        """The decision as CONTRACT.md spells it (outbound or inbound shape), plus the trace."""
        trace = [{"step": s.step, "detail": s.detail} for s in self.trace]
        if self.direction == INBOUND:
            return {
                "status": self.status,
                "messageId": self.message_id,
                "direction": self.direction,
                "channel": self.channel,
                "from": self.from_,
                "to": self.to,
                "applicationId": self.application_id,
                "entityId": self.entity_id,
                "keyword": self.keyword,
                "cleanText": self.clean_text,
                "matchedBy": self.reason,
                "error": self._error(),
                "trace": trace,
            }
        return {
            "status": self.status,
            "messageId": self.message_id,
            "direction": self.direction,
            "channel": self.channel,
            "to": self.to,
            "country": self.country,
            "sender": self.sender,
            "senderType": self.sender_type,
            "applicationId": self.application_id,
            "entityId": self.entity_id,
            "sendingStrategyId": self.sending_strategy_id,
            "reason": self.reason,
            "error": self._error(),
            "trace": trace,
            "bulkId": self.bulk_id,
            "messageStatus": self.message_status.as_json(),
        }
