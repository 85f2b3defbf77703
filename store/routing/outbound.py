"""Outbound routing: which sender a message goes out from, or why it cannot (DOMAIN.md steps 1–11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ..db import DEFAULT_APPLICATION
from ..enums import KeyAction
from ..secret_hash import lookup as key_for_secret
from .destinations import NORTH_AMERICA, destination_country
from .index import RoutingIndex, Sender
from .model import OUTBOUND, REJECTED, ROUTED, Decision, OutboundRequest, TraceStep
from .nanp import lookup
from .selection import geo_groups, plan, spread
from ..display import quote
from ..display import platform_label

_NO_KEY = TraceStep("key", "no API key given: full access")


@dataclass(slots=True)
class Effects:
    """What a routed message changes, applied by the router unless it only explains."""

    new_entity: str | None = None
    sender: str | None = None
    bind: tuple | None = None  # sticky key to bind to `sender`
    replaces: str | None = None  # the ineligible sender `bind` was bound to (None: a new binding)
    explain: bool = False  # only describing: the trace says what sending would do, in the conditional


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


class _Rejected(Exception):
    def __init__(self, code: str, description: str):
        self.code, self.description = code, description


def route_outbound(
    index: RoutingIndex, req: OutboundRequest, now: datetime, message_id: str, explain: bool = False
) -> tuple[Decision, Effects]:
    """One decision; `explain` only describes what sending would do (the entity is not created)."""
    trace: list[TraceStep] = []
    d = Decision(REJECTED, OUTBOUND, req.channel, message_id, now, to=req.to, trace=trace)
    d.application_id, d.entity_id = req.application_id or DEFAULT_APPLICATION, req.entity_id
    effects = Effects(explain=explain)
    try:
        _route(index, req, now, d, trace, effects, explain)
    except _Rejected as rejected:
        d.status, d.error_code, d.error_description = REJECTED, rejected.code, rejected.description
        d.sender = d.sender_type = d.reason = None
        outcome = "would be rejected" if explain else "rejected"
        trace.append(TraceStep("result", f"{outcome} {rejected.code}: {rejected.description}"))
        effects.sender = effects.bind = effects.replaces = None
    return d, effects


def key_refusal(index: RoutingIndex, req: OutboundRequest, now: datetime) -> tuple[str, str] | None:
    """(UNAUTHORIZED or FORBIDDEN, why) when `req`'s API key may not send it, else None."""
    d = Decision(REJECTED, OUTBOUND, req.channel, "", now)
    try:
        _check_key(index, req, now, d, [])
    except _Rejected as rejected:
        return rejected.code, rejected.description
    return None


def platform_of(index: RoutingIndex, req: OutboundRequest) -> tuple[str, str | None] | None:
    """(application, entity) `req` routes under once its API key filled or forced them, whatever the
    time; None when the key is unknown or its links forbid it (the cold path reads nothing more)."""
    if req.api_key is None:
        return req.application_id or DEFAULT_APPLICATION, req.entity_id
    key = key_for_secret(req.api_key, index.keys, index.scrypt_keys)
    if key is None:
        return None
    d = Decision(REJECTED, OUTBOUND, req.channel, "", None)
    try:
        return _linked_platform(key, req, d, [])
    except _Rejected:
        return None


def _check_key(index: RoutingIndex, req: OutboundRequest, now: datetime, d: Decision, trace: list):
    app, entity = req.application_id, req.entity_id
    if req.api_key is None:
        trace.append(_NO_KEY)
        return app or DEFAULT_APPLICATION, entity
    key = key_for_secret(req.api_key, index.keys, index.scrypt_keys)
    if key is None:
        raise _Rejected("UNAUTHORIZED", "unknown API key")
    if not key.enabled:
        raise _Rejected("UNAUTHORIZED", f"API key {key.name} is disabled")
    valid_from, valid_to = _aware(key.valid_from), _aware(key.valid_to)
    if valid_from and now < valid_from:
        raise _Rejected("UNAUTHORIZED", f"API key {key.name} is valid only from {valid_from.isoformat()}")
    if valid_to and now >= valid_to:
        raise _Rejected("UNAUTHORIZED", f"API key {key.name} expired at {valid_to.isoformat()}")
    return _linked_platform(key, req, d, trace)


def _linked_platform(key, req: OutboundRequest, d: Decision, trace: list):
    """FILL / FORCE from a key's only link, then the link that allows (app, entity), else FORBIDDEN."""
    app, entity = req.application_id, req.entity_id
    if not key.links:
        trace.append(TraceStep("key", f"key {key.name}: not linked, full access"))
        return app or DEFAULT_APPLICATION, entity
    notes = []
    if len(key.links) == 1:
        link = key.links[0]
        if link.action == KeyAction.FORCE:
            if app != link.application_id:
                notes.append(f"FORCE set application {link.application_id}")
            app = link.application_id
            if link.entity_id is not None and entity != link.entity_id:
                notes.append(f"FORCE set entity {link.entity_id}")
                entity = link.entity_id
        elif link.action == KeyAction.FILL:
            if app is None:
                app = link.application_id
                notes.append(f"FILL gave application {app}")
            if entity is None and link.entity_id is not None:
                entity = link.entity_id
                notes.append(f"FILL gave entity {entity}")
    elif any(link.action for link in key.links) and (app is None or entity is None):
        notes.append(f"FILL/FORCE not applied: the key has {len(key.links)} links")
    app = app or DEFAULT_APPLICATION
    d.application_id, d.entity_id = app, entity
    allowed = next(
        (l for l in key.links if l.application_id == app and (l.entity_id is None or l.entity_id == entity)), None
    )
    if allowed is None:
        links = ", ".join(platform_label(l.application_id, l.entity_id) for l in key.links)
        raise _Rejected("FORBIDDEN", f"API key {key.name} is linked to {links}, not {platform_label(app, entity)}")
    scope = f"any entity of {app}" if allowed.entity_id is None else platform_label(app, allowed.entity_id)
    notes.append(f"its link allows {scope}")
    trace.append(TraceStep("key", f"key {key.name}: " + "; ".join(notes)))
    return app, entity


def _route(index, req, now, d, trace, effects, explain) -> None:
    app, entity = _check_key(index, req, now, d, trace)
    d.application_id, d.entity_id = app, entity
    channel, to = req.channel, req.to

    country, detail, step = destination_country(to)
    if country is None:
        raise _Rejected("INVALID_DESTINATION", detail)
    d.country = country
    trace.append(step)

    if app not in index.applications:
        raise _Rejected("APPLICATION_NOT_FOUND", f"no application {quote(app)}")
    if entity is not None and entity not in index.entities:
        if explain:
            trace.append(TraceStep("platform", f"{app}, entity {entity} does not exist: sending would create it"))
        else:
            effects.new_entity = entity
            trace.append(TraceStep("platform", f"{app}, entity {entity} was unknown: created"))
    else:
        step = index.platform_steps.get((app, entity))
        if step is None:
            detail = f"application {app}" + (f", entity {entity}" if entity else ", no entity")
            step = index.platform_steps[(app, entity)] = TraceStep("platform", detail)
        trace.append(step)

    if req.sender is not None:
        _explicit(index, req.sender, channel, country, d, trace, effects)
        return

    p = plan(index, app, entity, channel, country)
    strategy = p.strategy
    if strategy is None:
        raise _Rejected(*p.rejection)
    d.sending_strategy_id = strategy.strategy_id
    trace.extend(p.steps)
    group = p.group
    if group is None:
        _fallback(index, strategy, channel, country, d, trace, effects)
        return
    area = to[2:5] if country in NORTH_AMERICA else None
    pkey = (app, entity, channel, country)

    sticky_key = None
    if strategy.sticky:
        sticky_key = (app, entity or "", channel, to)
        bound = index.sticky.get(sticky_key)
        if bound is not None and bound[0] in group.ids:
            sender = index.senders[bound[0]]
            since = _aware(bound[1])
            trace.append(TraceStep("sticky", f"bound to {sender.resource_id} since {since.isoformat(timespec='seconds')}"))
            _routed(d, trace, effects, sender, "STICKY")
            return
        if bound is not None:
            effects.replaces = bound[0]
            replaced = "would be replaced" if explain else "is replaced"
            trace.append(TraceStep("sticky", f"bound {bound[0]} is no longer eligible: the binding {replaced}"))
        else:
            bind = "would be bound" if explain else "is bound"
            trace.append(TraceStep("sticky", f"no binding for {to} yet: the chosen sender {bind}"))

    senders, reason, gtag = group.senders, "POOL", None
    if strategy.geolocated:
        if area is None:
            trace.append(TraceStep("geolocated", f"not applicable to {country} (North America only)"))
        else:
            geo_groups(group)
            local = group.by_area.get(area)
            info = lookup(area)
            region = info.region if info else None
            region_name = (info.region_name or region) if info else None
            if local:
                senders, reason, gtag = local, "GEOLOCATED", ("area", area)
                trace.append(TraceStep("geolocated", f"{len(local):,} with area code {area}"))
            elif region and group.by_region.get(region):
                senders, reason, gtag = group.by_region[region], "GEOLOCATED_REGION", ("region", region)
                trace.append(TraceStep("geolocated", f"no {area} sender, {len(senders):,} in {region_name}"))
            else:
                place = f"none in {region_name}" if region_name else "its state or province is unknown"
                trace.append(TraceStep("geolocated", f"no local sender (no {area} sender, {place}): whole set of {len(senders):,}"))

    if len(senders) == 1:
        sender = senders[0]
        trace.append(TraceStep("spread", f"{sender.resource_id} is the only one left"))
    else:
        rid, stamp = spread(index, (pkey, strategy.strategy_id if strategy.ranks else None, gtag), senders)
        sender = index.senders[rid]
        when = "never used, lowest id among the unused" if stamp == 0 else "the longest unused"
        trace.append(TraceStep("spread", f"{rid}: least recently used of {len(senders):,} ({when})"))
    if sticky_key is not None:
        effects.bind = sticky_key
    _routed(d, trace, effects, sender, reason)


def _routed(d: Decision, trace: list, effects: Effects, sender: Sender, reason: str) -> None:
    d.status, d.sender, d.sender_type, d.reason = ROUTED, sender.resource_id, sender.label_type, reason
    effects.sender = sender.resource_id
    if effects.explain:
        bound = " (would bind for next time)" if effects.bind else ""
        trace.append(TraceStep("result", f"would route from {sender.resource_id}, {reason}{bound}"))
        return
    bound = " (bound for next time)" if effects.bind else ""
    trace.append(TraceStep("result", f"routed from {sender.resource_id}, {reason}{bound}"))


def _explicit(index, sender_id, channel, country, d, trace, effects) -> None:
    sender = index.senders.get(sender_id)
    if sender is None:
        raise _Rejected("SENDER_NOT_FOUND", f"{sender_id} is not one of the store's resources")
    if channel not in sender.capabilities:
        raise _Rejected("CHANNEL_NOT_SUPPORTED", f"{sender_id} does not support {channel}")
    if country not in sender.destinations:
        raise _Rejected("COUNTRY_NOT_SUPPORTED", f"{sender_id} does not reach {country}")
    trace.append(
        TraceStep("sender", f"from {sender_id} given: it supports {channel}, reaches {country} and overrides every strategy")
    )
    _routed(d, trace, effects, sender, "EXPLICIT_SENDER")


def _fallback(index, strategy, channel, country, d, trace, effects) -> None:
    default_id = strategy.default_sender
    if default_id is None:
        trace.append(TraceStep("fallback", "no eligible sender and no default sender"))
        raise _Rejected("NO_ELIGIBLE_SENDER", f"no associated sender supports {channel} and reaches {country}")
    sender = index.senders.get(default_id)
    if sender is None or channel not in sender.capabilities or country not in sender.destinations:
        problem = (
            "is gone" if sender is None
            else f"does not support {channel}" if channel not in sender.capabilities
            else f"does not reach {country}"
        )
        trace.append(TraceStep("fallback", f"default sender {default_id} {problem}"))
        raise _Rejected(
            "NO_ELIGIBLE_SENDER",
            f"no associated sender supports {channel} and reaches {country}; default sender {default_id} {problem}",
        )
    trace.append(TraceStep("fallback", f"no eligible sender: default sender {default_id} supports {channel} and reaches {country}"))
    _routed(d, trace, effects, sender, "DEFAULT_SENDER")
