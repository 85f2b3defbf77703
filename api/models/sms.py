"""Bodies of sms.json: the v2 and v3 sends and the preview (only the fields cpaasx reads or types)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from .common import Body, Moment

Str50 = Annotated[str, StringConstraints(max_length=50)]
Str64 = Annotated[str, StringConstraints(max_length=64)]
Str100 = Annotated[str, StringConstraints(max_length=100)]
Str200 = Annotated[str, StringConstraints(max_length=200)]
Str255 = Annotated[str, StringConstraints(max_length=255)]
Str4000 = Annotated[str, StringConstraints(max_length=4000)]
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Transliteration = Literal["NONE", "TURKISH", "GREEK", "CYRILLIC", "SERBIAN_CYRILLIC", "CENTRAL_EUROPEAN", "BALTIC",
                          "NON_UNICODE", "PORTUGUESE", "COLOMBIAN", "BULGARIAN_CYRILLIC", "ALL"]


class _Aliased(Body):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)


# -- parts both versions share (accepted and typed, not acted on) --------------------------------
Day = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]


class DeliveryTime(Body):
    hour: Annotated[int, Field(ge=0, le=23)]
    minute: Annotated[int, Field(ge=0, le=59)]


class DeliveryTimeWindow(_Aliased):
    days: list[Day]
    from_: DeliveryTime | None = Field(default=None, alias="from")
    to: DeliveryTime | None = None


class IndiaDlt(Body):
    contentTemplateId: str | None = None
    principalEntityId: str
    telemarketerId: str | None = None


class TurkeyIys(Body):
    brandCode: Int32 | None = None
    recipientType: Literal["BIREYSEL", "TACIR"]


class SouthKorea(Body):
    resellerCode: Int32 | None = None
    title: Annotated[str, StringConstraints(max_length=66)] | None = None


class Regional(Body):
    indiaDlt: IndiaDlt | None = None
    turkeyIys: TurkeyIys | None = None
    southKorea: SouthKorea | None = None


class SpeedLimit(Body):
    amount: Int32
    timeUnit: Literal["MINUTE", "HOUR", "DAY"] = "MINUTE"


class UrlOptions(Body):
    shortenUrl: bool | None = None
    trackClicks: bool | None = None
    trackingUrl: str | None = None
    removeProtocol: bool | None = None
    customDomain: str | None = None


# -- /sms/2/text/advanced ----------------------------------------------------------------------
class Destination(Body):
    to: Str64
    messageId: str | None = None


class Language(Body):
    languageCode: str | None = None


class TextMessage(_Aliased):
    destinations: list[Destination]
    from_: str | None = Field(default=None, alias="from")
    text: str | None = None
    applicationId: Str50 | None = None
    entityId: Str50 | None = None
    notifyUrl: str | None = None
    notifyContentType: str | None = None
    callbackData: Str4000 | None = None
    intermediateReport: bool | None = None
    flash: bool = False
    transliteration: str | None = None
    language: Language | None = None
    validityPeriod: int | None = None
    sendAt: Moment | None = None
    campaignReferenceId: Str255 | None = None
    deliveryTimeWindow: DeliveryTimeWindow | None = None
    regional: Regional | None = None


class Tracking(Body):
    baseUrl: str | None = None
    processKey: str | None = None
    track: str | None = None
    type: str | None = None


class AdvancedTextualRequest(Body):
    bulkId: str | None = None
    messages: list[TextMessage]
    includeSmsCountInResponse: bool = False
    sendingSpeedLimit: SpeedLimit | None = None
    urlOptions: UrlOptions | None = None
    tracking: Tracking | None = None


# -- /sms/3/messages ---------------------------------------------------------------------------
class ToDestination(Body):
    to: Str64
    messageId: Str200 | None = None
    networkId: Int32 | None = None


class SmsLanguage(Body):
    languageCode: Literal["NONE", "TR", "ES", "PT", "AUTODETECT"] | None = None
    singleShift: bool = False
    lockingShift: bool = False


class Content(Body):
    """Text content (`text`) or binary content (`hex`): the file's oneOf, told apart by its field."""

    text: str | None = None
    transliteration: Transliteration | None = None
    language: SmsLanguage | None = None
    hex: str | None = None
    dataCoding: Int32 | None = None
    esmClass: Int32 | None = None


class Platform(Body):
    entityId: Str255 | None = None
    applicationId: Str255 | None = None


class ValidityPeriod(Body):
    amount: Int32
    timeUnit: Literal["SECONDS", "MINUTES", "HOURS"] = "MINUTES"


class MessageOptions(Body):
    platform: Platform | None = None
    validityPeriod: ValidityPeriod | None = None
    campaignReferenceId: Str255 | None = None
    flash: bool | None = None
    deliveryTimeWindow: DeliveryTimeWindow | None = None
    regional: Regional | None = None


class DeliveryReporting(Body):
    url: str | None = None
    intermediateReport: bool | None = None
    notify: bool | None = None


class Webhooks(Body):
    delivery: DeliveryReporting | None = None
    contentType: str | None = None
    callbackData: Str4000 | None = None


class SmsMessage(Body):
    sender: str | None = None
    destinations: list[ToDestination]
    content: Content
    options: MessageOptions | None = None
    webhooks: Webhooks | None = None


class Schedule(Body):
    bulkId: Str100 | None = None
    sendAt: Moment | None = None
    sendingSpeedLimit: SpeedLimit | None = None


class ConversionTracking(Body):
    useConversionTracking: bool | None = None
    conversionTrackingName: str | None = None


class RequestOptions(Body):
    schedule: Schedule | None = None
    tracking: UrlOptions | None = None
    includeSmsCountInResponse: bool = False
    conversionTracking: ConversionTracking | None = None


class SmsRequestEnvelope(Body):
    messages: list[SmsMessage]
    options: RequestOptions | None = None


# -- /sms/1/preview ----------------------------------------------------------------------------
class PreviewRequest(Body):
    text: str
    languageCode: Annotated[str, StringConstraints(pattern=r"^(TR|ES|PT|AUTODETECT)$")] | None = None
    transliteration: Annotated[str, StringConstraints(
        pattern=r"^(TURKISH|GREEK|CYRILLIC|SERBIAN_CYRILLIC|BULGARIAN_CYRILLIC|CENTRAL_EUROPEAN|BALTIC|PORTUGUESE"
                r"|COLOMBIAN|NON_UNICODE|NONE|ALL)$")] | None = None
