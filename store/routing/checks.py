"""Bad input, refused before anything is routed or written (a number that is not valid is a
rejection instead, decided by the router)."""

from __future__ import annotations

from ..enums import INBOUND_CHANNELS, STRATEGY_CHANNELS
from ..errors import InvalidInput
from ..validation import E164_FORM, check_e164_form, check_enum, check_id
from .model import InboundRequest, OutboundRequest

_OUTBOUND_CHANNELS = frozenset(STRATEGY_CHANNELS)
_CHECKED_IDS: set = set()  # entity ids already found well-formed (traffic repeats them)


def check_outbound(req: OutboundRequest) -> None:
    """Bad input (nothing routed, nothing written); a number that is not valid is a rejection instead."""
    if not isinstance(req.to, str) or not req.to:
        raise InvalidInput("is required", "to")
    if req.channel not in _OUTBOUND_CHANNELS:
        check_enum(req.channel, list(STRATEGY_CHANNELS), "channel")
    if req.application_id is not None and not isinstance(req.application_id, str):
        raise InvalidInput("must be text", "applicationId")
    if req.entity_id is not None and req.entity_id not in _CHECKED_IDS:
        check_id(req.entity_id, "entityId")  # an unknown entity is created, so its id must be valid
        if len(_CHECKED_IDS) < 100_000:
            _CHECKED_IDS.add(req.entity_id)
    if req.sender is not None and (not isinstance(req.sender, str) or not req.sender):
        raise InvalidInput("must not be empty", "from")
    if req.api_key is not None and not isinstance(req.api_key, str):
        raise InvalidInput("must be text", "apiKey")
    if req.bulk_id is not None and (not isinstance(req.bulk_id, str) or not req.bulk_id):
        raise InvalidInput("must be non-empty text", "bulkId")


def check_inbound(req: InboundRequest) -> None:
    """Bad input: no `from`, or one not in E.164 form (who sends a message to our numbers is a phone)."""
    if not isinstance(req.from_, str) or not req.from_:
        raise InvalidInput("is required", "from")
    if not E164_FORM.fullmatch(req.from_):
        check_e164_form(req.from_, "from")
    if not isinstance(req.to, str) or not req.to:
        raise InvalidInput("is required", "to")
    check_enum(req.channel, list(INBOUND_CHANNELS), "channel")
    if not isinstance(req.text, str):
        raise InvalidInput("must be text", "text")
