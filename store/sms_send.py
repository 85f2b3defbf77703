"""Sending over the HTTP API: each destination of each message goes through the router, in order.

The API's sends (`/sms/2/text/advanced`, `/sms/3/messages`, and their GET query forms) all come
here as a list of `Outgoing` messages, one per destination. The rules of API.md live here:

- `to` takes every number form (`14155550100`, `+14155550100`, `0014155550100`); the router gets
  E.164. An empty `to` is answered 5/51 MISSING_TO and is not routed (nor logged).
- A notify URL (where the delivery report is POSTed) must be an http(s) address with a host.
- `from` is an explicit sender in either number form (or an alphanumeric sender, as it is).
- An API key that may not send a message (UNAUTHORIZED / FORBIDDEN) refuses the whole request:
  `Refused` is raised before anything is routed or written.
- The answer of each message: its status object, its destination as the client wrote it, and its
  SMS count (the segments of its text).
"""

from __future__ import annotations

from dataclasses import dataclass

from urllib.parse import urlsplit

from .errors import InvalidInput, StoreError
from .message_status import MISSING_TO, MessageStatus
from .routing.model import Decision, OutboundRequest
from .routing.checks import check_outbound
from .routing.router import Router
from .segments import parts

MAX_DESTINATIONS = 10_000  # destinations in one request (the files set no bound; the server does)


@dataclass(slots=True)
class Outgoing:
    """One destination of one message of a send request; `field` names it for errors (`messages[0]`)."""

    to: str
    text: str = ""
    sender: str | None = None
    application_id: str | None = None
    entity_id: str | None = None
    message_id: str | None = None
    notify_url: str | None = None
    callback_data: str | None = None
    field: str = "messages[0]"  # "" for the query forms, whose fields are top-level
    to_field: str = "messages[0].destinations[0].to"
    sender_field: str = "from"  # `sender` on v3
    notify_field: str = "messages[0].notifyUrl"  # `webhooks.delivery.url` on v3


@dataclass(slots=True)
class Sent:
    """What became of one `Outgoing`: its decision (None when `to` was empty) and status."""

    outgoing: Outgoing
    message_id: str
    status: MessageStatus
    sms_count: int
    decision: Decision | None = None


class Refused(StoreError):
    """The request's API key may not send one of its messages: HTTP 401 (UNAUTHORIZED) or 403 (FORBIDDEN)."""

    def __init__(self, code: str, message: str, field: str):
        super().__init__(message, field, code)


def destination(to: str) -> str:
    """`to` in E.164 for the router: `14155550100` and `0014155550100` become `+14155550100`."""
    value = to.strip()
    if value.startswith("00") and value[2:].isdigit():
        return "+" + value[2:]
    if value.isdigit():
        return "+" + value
    return value


def api_form(number: str | None) -> str | None:
    """A number as the API writes it: without `+` (alphanumeric senders as they are)."""
    if number is None:
        return None
    return number[1:] if number.startswith("+") and number[1:].isdigit() else number


def send(router: Router, messages: list[Outgoing], api_key: str | None, bulk_id: str | None = None,
         sender=None) -> tuple[str, list[Sent]]:
    """Route every message in order, all written in one transaction; (bulkId, one Sent per message).
    `sender` routes and writes them (a `store.routing.grouped.GroupedSender` on a server; `router`
    itself if None).

    Bad input raises (naming the message's field) and writes nothing; so does `Refused`."""
    reqs, routed = _requests(messages, api_key, bulk_id)
    refused, decisions = (sender or router).send_unless_refused(reqs) if reqs else (None, [])
    return _outcome(router, messages, bulk_id, routed, refused, decisions)


async def send_async(router: Router, messages: list[Outgoing], api_key: str | None, bulk_id: str | None,
                     sender) -> tuple[str, list[Sent]]:
    """As `send`, awaited on an event loop: `sender` (a `GroupedSender`) routes and commits on its thread."""
    reqs, routed = _requests(messages, api_key, bulk_id)
    refused, decisions = await sender.send_async(reqs) if reqs else (None, [])
    return _outcome(router, messages, bulk_id, routed, refused, decisions)


def _requests(messages: list[Outgoing], api_key: str | None,
              bulk_id: str | None) -> tuple[list[OutboundRequest], list[int]]:
    """The checked requests to route, and the position of each among `messages` (empty `to`s are not routed)."""
    if len(messages) > MAX_DESTINATIONS:
        raise StoreError(f"at most {MAX_DESTINATIONS:,} destinations in one request (got {len(messages):,})",
                         "messages")
    reqs: list[OutboundRequest] = []
    routed: list[int] = []
    for position, m in enumerate(messages):
        if m.notify_url:
            check_notify_url(m.notify_url, m.notify_field)
        if not m.to or not m.to.strip():
            continue
        req = OutboundRequest(
            to=destination(m.to), channel="SMS", application_id=m.application_id, entity_id=m.entity_id,
            sender=m.sender, api_key=api_key, text=m.text, bulk_id=bulk_id, message_id=m.message_id or None,
            notify_url=m.notify_url or None, callback_data=m.callback_data,
        )
        try:
            check_outbound(req)
        except StoreError as exc:
            raise _placed(exc, m) from None
        reqs.append(req)
        routed.append(position)
    return reqs, routed


def _outcome(router: Router, messages: list[Outgoing], bulk_id: str | None, routed: list[int], refused,
             decisions: list[Decision]) -> tuple[str, list[Sent]]:
    if refused is not None:
        position, code, why = refused
        raise Refused(code, why, messages[routed[position]].field)
    if bulk_id is None:
        bulk_id = decisions[0].bulk_id if decisions else router.bulk_ids()
    by_position = dict(zip(routed, decisions))
    out = []
    for position, m in enumerate(messages):
        count = parts(m.text or "").count
        d = by_position.get(position)
        if d is None:
            out.append(Sent(m, m.message_id or router.message_ids(), MISSING_TO, count))
        else:
            out.append(Sent(m, d.message_id, d.message_status, count, d))
    return bulk_id, out


def check_notify_url(url: str, field: str) -> None:
    """A delivery webhook must be an absolute http:// or https:// address with a host."""
    try:
        parts_ = urlsplit(url.strip()) if isinstance(url, str) else None
        host = parts_.hostname if parts_ is not None else None
    except ValueError:  # `http://[` and the like
        parts_, host = None, None
    if parts_ is None or parts_.scheme not in ("http", "https") or not host:
        raise InvalidInput("must be an http:// or https:// address with a host", field)


def _placed(exc: StoreError, m: Outgoing) -> StoreError:
    """The store's field (`to`, `from`, `entityId` …) placed inside the message it belongs to."""
    field = exc.field or ""
    if field == "to":
        return type(exc)(exc.message, m.to_field, exc.code)
    prefix = f"{m.field}." if m.field else ""
    if field == "from":
        return type(exc)(exc.message, prefix + m.sender_field, exc.code)
    return type(exc)(exc.message, prefix + field, exc.code) if field and m.field else exc


def status_json(sent: Sent) -> dict:
    """The platform's status object; a rejection's description carries the engine's code and words."""
    out = sent.status.as_json()
    d = sent.decision
    if d is not None and d.error_code is not None:
        out["description"] = f"{out['description']} ({d.error_code}: {d.error_description})"
    elif d is None:
        out["description"] = f"{out['description']} (MISSING_TO: destinations[].to is empty)"
    return out


def explain_json(sent: Sent) -> dict:
    """The extension field `x-cpaasx`: the engine's reason (or rejection code), sender and trace."""
    d = sent.decision
    if d is None:
        return {"reason": "MISSING_TO", "trace": []}
    out = {"reason": d.reason if d.routed else d.error_code, "trace": [step.as_json() for step in d.trace]}
    if d.sender is not None:
        out["sender"] = api_form(d.sender)
    return out
