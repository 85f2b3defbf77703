"""The platform's vocabularies, spelled as in its API."""

from __future__ import annotations

from enum import StrEnum


class ResourceType(StrEnum):
    NUMBER = "NUMBER"
    ALPHA = "ALPHA"
    DOMAIN = "DOMAIN"


class NumberType(StrEnum):
    SHORT_CODE = "SHORT_CODE"
    VIRTUAL_LONG_NUMBER = "VIRTUAL_LONG_NUMBER"
    TEN_DIGIT_LONG_CODE = "TEN_DIGIT_LONG_CODE"
    TOLL_FREE_NUMBER = "TOLL_FREE_NUMBER"


class Channel(StrEnum):
    SMS = "SMS"
    MMS = "MMS"
    VOICE = "VOICE"
    EMAIL = "EMAIL"


class SenderType(StrEnum):
    ALPHANUMERIC = "ALPHANUMERIC"
    SHORT_CODE = "SHORT_CODE"
    TOLL_FREE_NUMBER = "TOLL_FREE_NUMBER"
    VIRTUAL_LONG_NUMBER = "VIRTUAL_LONG_NUMBER"


class KeyAction(StrEnum):
    FILL = "FILL"
    FORCE = "FORCE"


STRATEGY_CHANNELS = (Channel.SMS, Channel.MMS)
INBOUND_CHANNELS = (Channel.SMS, Channel.MMS, Channel.VOICE)
NUMBER_CAPABILITIES = (Channel.SMS, Channel.MMS, Channel.VOICE)


def sender_type_of(resource_type: str, number_type: str | None) -> str | None:
    """The strategy sender type a resource counts as (10DLC counts as VIRTUAL_LONG_NUMBER)."""
    if resource_type == ResourceType.ALPHA:
        return SenderType.ALPHANUMERIC
    if resource_type != ResourceType.NUMBER:
        return None
    if number_type == NumberType.SHORT_CODE:
        return SenderType.SHORT_CODE
    if number_type == NumberType.TOLL_FREE_NUMBER:
        return SenderType.TOLL_FREE_NUMBER
    return SenderType.VIRTUAL_LONG_NUMBER


DELETE_KINDS = ("application", "entity", "resource", "strategy", "api-key")
