"""sms.json, reading back: delivery reports v1/v3 and the inbox (read once), logs v1/v3 (paged).

The store advances the delivery simulation to the router's clock before answering (store.sms_reads).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from store import sms_reads
from store.log_query import LogFilter

from ..auth import traffic
from ..responses import answer
from .sms import explaining

router = APIRouter(dependencies=[Depends(traffic)])
Limit = Annotated[int, Query(ge=-(2**31), le=2**31 - 1)]  # int32; the store says what it accepts (1-1000)
Ids = Annotated[list[str], Query()]
GeneralStatus = Literal["ACCEPTED", "PENDING", "UNDELIVERABLE", "DELIVERED", "EXPIRED", "REJECTED"]


def _now_and_profile(request: Request):
    engine = request.app.state.router
    return engine.clock(), engine.delivery_profile()


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _reports(request: Request, version: int, bulkId, messageId, limit, applicationId, entityId) -> dict:
    now, profile = _now_and_profile(request)
    return sms_reads.reports(request.app.state.store, version, now, limit, profile, bulk_id=bulkId or None,
                             message_id=messageId or None, application_id=applicationId, entity_id=entityId)


@router.get("/sms/1/reports", name="get-outbound-sms-message-delivery-reports")
def reports_v1(request: Request, bulkId: str | None = None, messageId: str | None = None, limit: Limit = 50,
               applicationId: str | None = None, entityId: str | None = None, campaignReferenceId: str | None = None):
    return answer(_reports(request, sms_reads.V1, bulkId, messageId, limit, applicationId, entityId))


@router.get("/sms/3/reports", name="get-outbound-sms-message-delivery-reports-v3")
def reports_v3(request: Request, bulkId: str | None = None, messageId: str | None = None, limit: Limit = 50,
               applicationId: str | None = None, entityId: str | None = None, campaignReferenceId: str | None = None):
    return answer(_reports(request, sms_reads.V3, bulkId, messageId, limit, applicationId, entityId))


@router.get("/sms/1/inbox/reports", name="get-inbound-sms-messages")
def inbox(request: Request, limit: Limit = 50, applicationId: str | None = None, entityId: str | None = None,
          campaignReferenceId: str | None = None):
    now, _ = _now_and_profile(request)
    return answer(sms_reads.inbox(request.app.state.store, now, limit, applicationId, entityId))


def _logs(request: Request, version: int, filters: LogFilter, limit: int, cursor=None, use_cursor=False) -> dict:
    now, profile = _now_and_profile(request)
    return sms_reads.logs(request.app.state.store, version, filters, now, limit, cursor, use_cursor,
                          explaining(request), profile)


def _filter(sender, to, bulkId, messageId, generalStatus, sentSince, sentUntil, applicationId, entityId) -> LogFilter:
    return LogFilter(
        sender=sender or None, to=to or None, bulk_ids=_split(bulkId), message_ids=_split(messageId),
        general_status=generalStatus, sent_since=sms_reads.parse_time(sentSince, "sentSince"),
        sent_until=sms_reads.parse_time(sentUntil, "sentUntil"), application_id=applicationId, entity_id=entityId,
    )


@router.get("/sms/1/logs", name="get-outbound-sms-message-logs")
def logs_v1(
    request: Request,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
    bulkId: Ids = [],  # noqa: B006  (FastAPI copies defaults)
    messageId: Ids = [],  # noqa: B006
    generalStatus: GeneralStatus | None = None,
    sentSince: str | None = None,
    sentUntil: str | None = None,
    limit: Limit = 50,
    mcc: str | None = None,
    mnc: str | None = None,
    applicationId: str | None = None,
    entityId: str | None = None,
    campaignReferenceId: Ids = [],  # noqa: B006
):
    filters = _filter(from_, to, bulkId, messageId, generalStatus, sentSince, sentUntil, applicationId, entityId)
    return answer(_logs(request, sms_reads.V1, filters, limit))


@router.get("/sms/3/logs", name="get-outbound-sms-message-logs-v3")
def logs_v3(
    request: Request,
    sender: str | None = None,
    destination: str | None = None,
    bulkId: Ids = [],  # noqa: B006
    messageId: Ids = [],  # noqa: B006
    generalStatus: GeneralStatus | None = None,
    sentSince: str | None = None,
    sentUntil: str | None = None,
    limit: Limit = 50,
    mcc: str | None = None,
    mnc: str | None = None,
    applicationId: str | None = None,
    entityId: str | None = None,
    useCursor: bool = False,
    cursor: str | None = None,
    campaignReferenceId: Ids = [],  # noqa: B006
):
    filters = _filter(sender, destination, bulkId, messageId, generalStatus, sentSince, sentUntil, applicationId,
                      entityId)
    return answer(_logs(request, sms_reads.V3, filters, limit, cursor or None, useCursor))
