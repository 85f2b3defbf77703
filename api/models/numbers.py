"""Bodies of numbers.json: purchase, update, keyword (SMS) configurations, voice setup."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import Body, Id255

MoActionType = Literal["PULL", "HTTP_FORWARD", "SMPP_FORWARD", "MAIL_FORWARD", "NO_ACTION"]


class PurchaseNumberRequest(Body):
    numberKey: str | None = None
    number: str | None = None
    applicationId: Id255 | None = None
    entityId: Id255 | None = None


class UpdateOwnedNumberRequest(Body):
    applicationId: Annotated[str, Field(min_length=1, max_length=255)]
    entityId: Id255 | None = None


class MoAction(Body):
    """PULL keeps inbound messages for the inbox; HTTP_FORWARD posts them to `url`."""

    type: MoActionType
    url: Annotated[str, Field(min_length=1)] | None = None
    description: str | None = None


class MoConfiguration(Body):
    keyword: Annotated[str, Field(max_length=50)] | None = None
    action: MoAction
    applicationId: Id255 | None = None
    entityId: Id255 | None = None


class StoredMoConfiguration(MoConfiguration):
    key: Annotated[str, Field(min_length=1)]


class VoiceAction(Body):
    type: str | None = None
    description: str | None = None


class VoiceSetup(Body):
    applicationId: Id255 | None = None
    entityId: Id255 | None = None
    action: VoiceAction
