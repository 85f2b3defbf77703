"""Bodies of resources.json: requirements lookup, resource requests, inbound message configurations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from .common import Body, Id255

RequestType = Literal["NUMBER_PURCHASE", "ALPHANUMERIC_REGISTRATION", "RCS_SENDER_LAUNCH"]
NumberTypeName = Literal["SHORT_CODE", "VIRTUAL_LONG_NUMBER", "TEN_DIGIT_LONG_CODE", "TOLL_FREE_NUMBER"]
Capability = Literal["SMS", "VOICE", "MMS"]
Origin = Literal["LOCAL", "INTERNATIONAL"]
ConfigurationType = Literal[
    "SMS", "MMS", "WHATSAPP", "RCS", "VIBER_BM", "APPLE_MB", "LINE_OA", "KAKAO_SANGDAM", "MESSENGER",
    "INSTAGRAM_DM", "ZALO_ZNS", "TELEGRAM", "VIBER_BOT", "EMAIL", "ZALO_FOLLOWER", "OPEN_CHANNEL", "TIKTOK_BM",
]


class Platform(Body):
    applicationId: Id255 | None = None
    entityId: Id255 | None = None


class RequirementsLookup(Body):
    """Both of the file's lookups in one model (the store checks what each type needs)."""

    type: RequestType
    countryCode: str
    numberType: NumberTypeName | None = None
    capabilities: list[Capability] | None = None
    quantity: Annotated[int, Field(ge=1, le=49)] | None = None
    clientType: Origin | None = None
    trafficOrigin: Origin | None = None
    trafficType: Literal["PROMOTIONAL", "TRANSACTIONAL"] | None = None


class FilledRequirement(Body):
    key: str
    value: Any


class ResourceOrderRequest(RequirementsLookup):
    senderName: Annotated[str, Field(min_length=3, max_length=11)] | None = None
    additionalContactEmails: Annotated[list[str], Field(max_length=3)] | None = None
    requirements: list[FilledRequirement] | None = None
    platform: Platform | None = None


class UpdateResourceOrderRequest(Body):
    requirements: list[FilledRequirement]


class Forwarding(Body):
    """Where inbound messages go: `HTTP_FORWARD` to `url`, `PULL` to the inbox (`/sms/1/inbox/reports`)."""

    type: Literal["PULL", "HTTP_FORWARD", "SMPP_FORWARD", "MAIL_FORWARD", "NO_ACTION"]
    url: Annotated[str, Field(min_length=1)] | None = None
    format: str | None = None


class UseConversations(Body):
    enabled: bool


class MoConfigurationRequest(Body):
    channel: ConfigurationType
    keyword: Annotated[str, Field(max_length=50)] | None = None
    numberKey: str | None = None
    number: str | None = None
    countryCode: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    platform: Platform | None = None
    forwarding: Forwarding | None = None
    conversations: UseConversations | None = None
