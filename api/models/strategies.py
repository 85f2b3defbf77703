"""Bodies of sending-strategy.json."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import Body, Id255

SenderTypeName = Literal["ALPHANUMERIC", "VIRTUAL_LONG_NUMBER", "SHORT_CODE", "TOLL_FREE_NUMBER"]


class Platform(Body):
    applicationId: Id255 | None = None
    entityId: Id255 | None = None


class Priority(Body):
    senderType: SenderTypeName
    priority: Annotated[int, Field(ge=1, le=4)]


class SssRequestV2(Body):
    """A strategy. `defaultSender` is cpaasx's own field (the platform documents it as coming soon)."""

    platform: Platform | None = None
    channel: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    destinationCountryCode: str | None = None
    useStickySender: bool = False
    useGeolocatedSender: bool = False
    priorities: list[Priority] | None = None
    defaultSender: Annotated[str, Field(max_length=255)] | None = None
