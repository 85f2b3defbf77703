"""Inbound routing: which application and entity a message to one of our numbers lands in."""

from __future__ import annotations

from datetime import datetime

from ..db import DEFAULT_APPLICATION
from ..enums import ResourceType
from .index import Landing, RoutingIndex
from .model import INBOUND, REJECTED, ROUTED, Decision, InboundRequest, TraceStep
from ..display import quote
from ..words import count, with_article
from ..display import platform_label


def split_keyword(text: str) -> tuple[str, str]:
    """The first word and the rest of the text (without the whitespace between them)."""
    stripped = (text or "").lstrip()
    parts = stripped.split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def route_inbound(index: RoutingIndex, req: InboundRequest, now: datetime, message_id: str) -> Decision:
    trace: list[TraceStep] = []
    d = Decision(REJECTED, INBOUND, req.channel, message_id, now, to=req.to, from_=req.from_, trace=trace)
    d.clean_text = req.text

    def reject(code: str, description: str) -> Decision:
        d.error_code, d.error_description = code, description
        trace.append(TraceStep("result", f"rejected {code}: {description}"))
        return d

    number = index.senders.get(req.to)
    if number is None or number.resource_type != ResourceType.NUMBER:
        what = "not one of the store's numbers" if number is None else f"{with_article(str(number.resource_type))} sender, not a number"
        return reject("UNKNOWN_NUMBER", f"{req.to} is {what}")
    d.country = number.country
    if req.channel not in number.capabilities:
        return reject("CHANNEL_NOT_SUPPORTED", f"{req.to} does not support {req.channel}")
    owner = platform_label(number.application_id, number.entity_id)
    trace.append(TraceStep("number", f"{req.to} ({number.label_type}), number level {owner}"))

    if req.channel == "VOICE":
        pairs = index.voice.get(req.to)
        if not pairs:
            return reject("NOT_ASSOCIATED", f"{req.to} has no VOICE association")
        app, entity = pairs[0]
        more = f" (first of {len(pairs)}, by application and entity)" if len(pairs) > 1 else ""
        trace.append(TraceStep("voice", f"VOICE association with {platform_label(app, entity)}{more}"))
        return _landed(d, trace, app, entity, "VOICE_ASSOCIATION")

    word, rest = split_keyword(req.text)
    keywords = index.keywords.get((req.to, req.channel))
    landing = keywords.get(word.upper()) if keywords and word else None
    if landing is not None:
        d.keyword, d.clean_text = landing.keyword, rest
        app, entity, note = _resolve(landing, number)
        trace.append(TraceStep("keyword", f"first word {quote(word)} matches keyword {landing.keyword}{note}"))
        return _landed(d, trace, app, entity, "KEYWORD", landing.forward_url)
    if keywords:
        trace.append(
            TraceStep("keyword", f"first word {quote(word)} matches none of {count(len(keywords), 'keyword')}")
        )
    catch_all = index.catch_alls.get((req.to, req.channel))
    if catch_all is not None:
        app, entity, note = _resolve(catch_all, number)
        trace.append(TraceStep("configuration", f"catch-all configuration for {req.channel}{note}"))
        return _landed(d, trace, app, entity, "INBOUND_CONFIGURATION", catch_all.forward_url)
    trace.append(TraceStep("configuration", f"no configuration for {req.channel}: the number level decides"))
    return _landed(d, trace, number.application_id, number.entity_id, "NUMBER")


def _resolve(landing: Landing, number) -> tuple[str, str | None, str]:
    """A configuration with no application, or `default` and no entity, takes the number's values."""
    app = landing.application_id
    if app is None or (app == DEFAULT_APPLICATION and landing.entity_id is None):
        return number.application_id, number.entity_id, " (no platform of its own: the number's)"
    return app, landing.entity_id, ""


def _landed(d: Decision, trace: list, app: str, entity: str | None, matched_by: str,
            forward_url: str | None = None) -> Decision:
    d.status, d.application_id, d.entity_id, d.reason = ROUTED, app, entity, matched_by
    d.notify_url = forward_url  # the configuration's HTTP_FORWARD address (the server POSTs it there)
    forwarded = f"; forwarded to {forward_url}" if forward_url else ""
    trace.append(TraceStep("result", f"lands in {platform_label(app, entity)}, {matched_by}{forwarded}"))
    return d
