"""sms.json, sending: `/sms/2/text/advanced`, `/sms/3/messages`, the GET query forms and the preview.

Each destination becomes one `store.sms_send.Outgoing`; the store routes them (the same engine as
`cpaasx send`) and this module only shapes the answers. `X-Cpaasx-Explain: 1` adds `x-cpaasx`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse  # send answers hold no null: written without `clean`

from store import segments, sms_send
from store.errors import InvalidInput
from store.sms_send import Outgoing, Refused

from ..auth import Caller, authenticate, traffic
from ..errors import ApiFailure
from ..models.sms import AdvancedTextualRequest, PreviewRequest, SmsRequestEnvelope
from ..responses import answer

router = APIRouter()
Int32Query = Annotated[int | None, Query(ge=-(2**31), le=2**31 - 1)]
EXPLAIN_HEADER = "x-cpaasx-explain"


def explaining(request: Request) -> bool:
    return request.headers.get(EXPLAIN_HEADER, "").strip().lower() in ("1", "true", "yes")


async def _send(request: Request, caller: Caller, messages: list[Outgoing], bulk_id: str | None):
    """Routed and committed by the grouped writer while the event loop serves others (the send paths
    are async: no worker thread per request)."""
    try:
        state = request.app.state
        return await sms_send.send_async(state.router, messages, caller.secret, bulk_id, state.sender)
    except Refused as refused:
        status = 401 if refused.code == "UNAUTHORIZED" else 403
        action = ("Check the Authorization header's API key." if status == 401 else
                  "Send for an application and entity the API key is linked to (or with a key without links).")
        raise ApiFailure(status, f"{refused.code}: {refused.message}", refused.code,
                         [(refused.field, refused.message)] if refused.field else [], action) from None


def _v2_answer(request: Request, bulk_id: str, sent: list, with_count: bool) -> dict:
    explain = explaining(request)
    out = []
    for s in sent:
        item = {"messageId": s.message_id, "status": sms_send.status_json(s), "to": s.outgoing.to}
        if with_count:
            item["smsCount"] = s.sms_count
        if explain:
            item["x-cpaasx"] = sms_send.explain_json(s)
        out.append(item)
    return {"bulkId": bulk_id, "messages": out}


def _v3_answer(request: Request, bulk_id: str, sent: list, with_count: bool) -> dict:
    explain = explaining(request)
    out = []
    for s in sent:
        item = {"messageId": s.message_id, "status": sms_send.status_json(s), "destination": s.outgoing.to}
        if with_count:
            item["details"] = {"messageCount": s.sms_count}
        if explain:
            item["x-cpaasx"] = sms_send.explain_json(s)
        out.append(item)
    return {"bulkId": bulk_id, "messages": out}


@router.post("/sms/2/text/advanced", name="send-sms-message")
async def send_v2(request: Request, body: AdvancedTextualRequest, caller: Annotated[Caller, Depends(traffic)]):
    messages = []
    for i, m in enumerate(body.messages):
        for j, d in enumerate(m.destinations):
            messages.append(Outgoing(
                to=d.to, text=m.text or "", sender=m.from_, application_id=m.applicationId, entity_id=m.entityId,
                message_id=d.messageId, notify_url=m.notifyUrl, callback_data=m.callbackData,
                field=f"messages[{i}]", to_field=f"messages[{i}].destinations[{j}].to",
                notify_field=f"messages[{i}].notifyUrl",
            ))
    bulk_id, sent = await _send(request, caller, messages, body.bulkId or None)
    return JSONResponse(_v2_answer(request, bulk_id, sent, body.includeSmsCountInResponse))


@router.post("/sms/3/messages", name="send-sms-messages")
async def send_v3(request: Request, body: SmsRequestEnvelope, caller: Annotated[Caller, Depends(traffic)]):
    messages = []
    for i, m in enumerate(body.messages):
        if m.content.text is None:
            prop = f"messages[{i}].content.hex" if m.content.hex is not None else f"messages[{i}].content.text"
            why = "binary content is not emulated: send text" if m.content.hex is not None else "is required"
            raise InvalidInput(why, prop)
        platform = m.options.platform if m.options else None
        delivery = m.webhooks.delivery if m.webhooks else None
        for j, d in enumerate(m.destinations):
            messages.append(Outgoing(
                to=d.to, text=m.content.text, sender=m.sender,
                application_id=platform.applicationId if platform else None,
                entity_id=platform.entityId if platform else None, message_id=d.messageId,
                notify_url=delivery.url if delivery else None,
                callback_data=m.webhooks.callbackData if m.webhooks else None,
                field=f"messages[{i}]", to_field=f"messages[{i}].destinations[{j}].to", sender_field="sender",
                notify_field=f"messages[{i}].webhooks.delivery.url",
            ))
    options = body.options
    bulk_id = options.schedule.bulkId if options and options.schedule else None
    bulk_id, sent = await _send(request, caller, messages, bulk_id or None)
    return JSONResponse(_v3_answer(request, bulk_id, sent, bool(options and options.includeSmsCountInResponse)))


async def query_caller(request: Request, password: str | None = None) -> Caller:
    """The v1 query form's key: the Authorization header, or else `password` as the key's secret
    (the file's username/password; the username is not checked)."""
    if request.headers.get("authorization"):
        return await traffic(request)
    return await run_in_threadpool(authenticate, request, password)


def _query_messages(to: list[str], text: str | None, sender: str | None, notify_url: str | None,
                    callback_data: str | None) -> list[Outgoing]:
    return [
        Outgoing(to=t, text=text or "", sender=sender or None, notify_url=notify_url, callback_data=callback_data,
                 field="", to_field=f"to[{j}]", notify_field="notifyUrl")
        for j, t in enumerate(to)
    ]


@router.get("/sms/1/text/query", name="send-sms-message-over-query-parameters")
async def send_query_v1(
    request: Request,
    caller: Annotated[Caller, Depends(query_caller)],
    to: Annotated[list[str], Query()],
    username: str | None = None,
    bulkId: str | None = None,
    from_: Annotated[str | None, Query(alias="from")] = None,
    text: str | None = None,
    flash: bool | None = None,
    notifyUrl: str | None = None,
    callbackData: Annotated[str | None, Query(max_length=4000)] = None,
    validityPeriod: int | None = None,
    sendAt: datetime | None = None,
    transliteration: str | None = None,
    languageCode: str | None = None,
    intermediateReport: bool | None = None,
    notifyContentType: str | None = None,
    track: str | None = None,
    processKey: str | None = None,
    trackingType: str | None = None,
    indiaDltContentTemplateId: str | None = None,
    indiaDltPrincipalEntityId: str | None = None,
    indiaDltTelemarketerId: str | None = None,
    turkeyIysBrandCode: Int32Query = None,
    turkeyIysRecipientType: str | None = None,
    southKoreaResellerCode: Int32Query = None,
):
    """The v1 query form. The parameters after `sendAt` are accepted (typed) and not acted on."""
    messages = _query_messages(to, text, from_, notifyUrl, callbackData)
    bulk_id, sent = await _send(request, caller, messages, bulkId or None)
    return JSONResponse(_v2_answer(request, bulk_id, sent, True))


@router.get("/sms/3/text/query", name="send-sms-messages-over-query-parameters")
async def send_query_v3(
    request: Request,
    caller: Annotated[Caller, Depends(traffic)],
    to: Annotated[list[str], Query()],
    text: str,
    bulkId: Annotated[str | None, Query(max_length=100)] = None,
    from_: Annotated[str | None, Query(alias="from")] = None,
    flash: bool | None = None,
    notifyUrl: str | None = None,
    callbackData: Annotated[str | None, Query(max_length=4000)] = None,
    validityPeriod: Annotated[int | None, Query(ge=-(2**31), le=2**31 - 1)] = None,
    sendAt: datetime | None = None,
    includeSmsCountInResponse: bool = False,
    transliteration: str | None = None,
    languageCode: str | None = None,
    intermediateReport: bool | None = None,
    notifyContentType: str | None = None,
    trackingUrl: str | None = None,
    trackingType: str | None = None,
    indiaDltContentTemplateId: str | None = None,
    indiaDltPrincipalEntityId: str | None = None,
    indiaDltTelemarketerId: str | None = None,
    turkeyIysBrandCode: Int32Query = None,
    turkeyIysRecipientType: str | None = None,
    southKoreaResellerCode: Int32Query = None,
    southKoreaTitle: Annotated[str | None, Query(max_length=66)] = None,
):
    """The v3 query form. Parameters from `transliteration` on are accepted (typed) and not acted on."""
    messages = _query_messages(to, text, from_, notifyUrl, callbackData)
    bulk_id, sent = await _send(request, caller, messages, bulkId or None)
    return JSONResponse(_v3_answer(request, bulk_id, sent, includeSmsCountInResponse))


@router.post("/sms/1/preview", name="preview-sms-message", dependencies=[Depends(traffic)])
def preview(body: PreviewRequest):
    return answer(segments.preview(body.text, body.languageCode, body.transliteration))
