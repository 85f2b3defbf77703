"""The cold path: a slice of the routing index holding only what a few decisions need.

A single-message command (`cpaasx send`, `cpaasx receive`) reads, with indexed queries, its API key
(by secret hash), its application and entity, the strategies that could apply, its pool (the
resources associated with its application/entity for its channel), the default senders those
strategies name, the sticky binding for its recipient and the usage stamps of its pool — never the
whole store. The slice has the shape of `RoutingIndex`, so `route_outbound` / `route_inbound` run
on it unchanged: the rules live once. What a decision reads is bounded by its own pool, not by the
number of senders, bindings or stamps in the store.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select, tuple_

from ..secret_hash import SCRYPT_PREFIX, hash_generated
from ..tables import (
    ApiKey,
    ApiKeyLink,
    Application,
    Entity,
    InboundConfiguration,
    Resource,
    ResourceAssociation,
    SenderUsage,
    SendingStrategy,
    StickyBinding,
    StoreMeta,
)
from .destinations import destination_country
from .index import Key, KeyLink, Landing, RoutingIndex, Strategy, make_sender
from .model import InboundRequest, OutboundRequest
from .outbound import platform_of
from .persist import USAGE_STAMP

_r = Resource.__table__.c
_a = ResourceAssociation.__table__.c
_s = SendingStrategy.__table__.c
_k = ApiKey.__table__.c
_kl = ApiKeyLink.__table__.c
_b = StickyBinding.__table__.c
_u = SenderUsage.__table__.c
_c = InboundConfiguration.__table__.c
_m = StoreMeta.__table__.c
_RESOURCE_COLUMNS = (_r.resource_id, _r.resource_type, _r.number_type, _r.country, _r.capabilities,
                     _r.destination_countries, _r.application_id, _r.entity_id)
# Every scrypt hash sorts between these two (`$` is 0x24, `%` 0x25): a range the unique index answers.
_SCRYPT_FROM, _SCRYPT_TO = SCRYPT_PREFIX, SCRYPT_PREFIX[:-1] + "%"


def max_stamp(session) -> int:
    """The newest usage stamp in the store: StoreMeta `usage_stamp`, kept by every usage write (a
    store whose stamps were written some other way, without it, is read once in full)."""
    found = session.execute(select(_m.value).where(_m.key == USAGE_STAMP)).scalar()
    if found is None:
        found = session.execute(select(func.max(_u.last_used))).scalar()
    return found or 0


def load_slice(session, reqs: list) -> RoutingIndex:
    """The index restricted to what `reqs` (in order) can touch; see the module's docstring."""
    index = RoutingIndex()
    outbound = [r for r in reqs if isinstance(r, OutboundRequest)]
    inbound = [r for r in reqs if isinstance(r, InboundRequest)]
    _load_keys(session, index, {r.api_key for r in outbound if r.api_key is not None})
    platforms: dict = {}  # (app, entity, channel) → destination countries
    sticky: set = set()
    apps: set = set()
    entities: set = set()
    senders: set = {r.sender for r in outbound if r.sender is not None} | {r.to for r in inbound}
    for req in outbound:
        found = platform_of(index, req)
        country = destination_country(req.to)[0] if found is not None else None
        if country is None:
            continue  # refused by its key or not a valid number: decided before the platform is read
        app, entity = found
        apps.add(app)
        if entity is not None:
            entities.add(entity)
        if req.sender is None:  # an explicit sender overrides every strategy: no pool is read
            platforms.setdefault((app, entity, req.channel), set()).add(country)
            sticky.add((app, entity or "", req.channel, req.to))
    if apps:
        index.applications = set(session.execute(
            select(Application.__table__.c.application_id).where(Application.__table__.c.application_id.in_(apps))
        ).scalars())
    if entities:
        index.entities = set(session.execute(
            select(Entity.__table__.c.entity_id).where(Entity.__table__.c.entity_id.in_(entities))
        ).scalars())
    for (app, entity, channel), countries in platforms.items():
        if app in index.applications:
            senders |= _load_platform(session, index, app, entity, channel, countries)
    _load_senders(session, index, senders - index.senders.keys())
    index.sticky.update(bindings_for(session, sticky))
    for req in inbound:
        _load_number(session, index, req)
    return index


def bindings_for(session, keys, chunk: int = 500) -> dict:
    """The sticky bindings stored for `keys` ((app, entity key, channel, destination)), by primary
    key: {key: (sender, bound_at)} for those that exist."""
    keys = list(keys)
    found: dict = {}
    columns = (_b.application_id, _b.entity_key, _b.channel, _b.destination)
    for start in range(0, len(keys), chunk):
        part = keys[start : start + chunk]
        match = (and_(*(c == v for c, v in zip(columns, part[0]))) if len(part) == 1
                 else tuple_(*columns).in_(part))
        for app, entity_key, channel, destination, sender, bound_at in session.execute(
            select(*columns, _b.sender, _b.bound_at).where(match)
        ):
            found[(app, entity_key, channel, destination)] = (sender, bound_at)
    return found


def _load_keys(session, index: RoutingIndex, secrets: set) -> None:
    hashes = {hash_generated(secret) for secret in secrets if isinstance(secret, str)}
    rows = []
    if hashes:
        rows = session.execute(select(_k.name, _k.secret_hash, _k.enabled, _k.valid_from, _k.valid_to)
                               .where(_k.secret_hash.in_(hashes))).all()
    if len(rows) < len(secrets):  # a secret with no SHA-256 entry: checked against each scrypt hash
        rows += session.execute(select(_k.name, _k.secret_hash, _k.enabled, _k.valid_from, _k.valid_to).where(
            _k.secret_hash >= _SCRYPT_FROM, _k.secret_hash < _SCRYPT_TO)).all()
    if not rows:
        return
    links: dict = {}
    for name, app, entity, action in session.execute(
        select(_kl.key_name, _kl.application_id, _kl.entity_id, _kl.action)
        .where(_kl.key_name.in_({row[0] for row in rows})).order_by(_kl.id)
    ):
        links.setdefault(name, []).append(KeyLink(app, entity, action))
    for name, secret_hash, enabled, valid_from, valid_to in rows:
        index.keys[secret_hash] = Key(name, bool(enabled), valid_from, valid_to, links.get(name, []))
    index.scrypt_keys = sorted((h for h in index.keys if h.startswith(SCRYPT_PREFIX)), key=lambda h: index.keys[h].name)


def _load_platform(session, index: RoutingIndex, app: str, entity: str | None, channel: str, countries: set) -> set:
    """Strategies that could apply to (app, entity, channel), the app's strategy count, the pool and
    its usage stamps; returns the default senders named (read with the other single senders)."""
    if app not in index.strategies_per_app:
        index.strategies_per_app[app] = session.execute(
            select(func.count()).select_from(SendingStrategy.__table__).where(_s.application_id == app)
        ).scalar() or 0
    entity_match = _s.entity_id.is_(None) if entity is None else or_(_s.entity_id == entity, _s.entity_id.is_(None))
    defaults = set()
    for row in session.execute(
        select(_s.sending_strategy_id, _s.application_id, _s.entity_id, _s.channel, _s.destination_country_code,
               _s.use_sticky_sender, _s.use_geolocated_sender, _s.priorities, _s.default_sender)
        .where(_s.application_id == app, entity_match, or_(_s.channel == channel, _s.channel.is_(None)),
               or_(_s.destination_country_code.in_(countries), _s.destination_country_code.is_(None)))
    ):
        ranks = {p["senderType"]: p["priority"] for p in row[7] or ()}
        index.strategies[(row[1], row[2], row[3], row[4])] = Strategy(
            row[0], row[1], row[2], row[3], row[4], bool(row[5]), bool(row[6]), ranks, row[8])
        if row[8] is not None:
            defaults.add(row[8])
    key = (app, entity, channel)
    if key in index.pools:
        return defaults
    association = and_(_a.application_id == app, _a.entity_id.is_(None) if entity is None else _a.entity_id == entity,
                       _a.channel == channel)
    ids = list(session.execute(select(_a.resource_id).where(association).order_by(_a.resource_id)).scalars())
    if ids:
        joined = Resource.__table__.join(ResourceAssociation.__table__, _a.resource_id == _r.resource_id)
        for row in session.execute(select(*_RESOURCE_COLUMNS).select_from(joined).where(association)):
            index.senders[row[0]] = make_sender(*row)
        used = SenderUsage.__table__.join(ResourceAssociation.__table__, _a.resource_id == _u.resource_id)
        index.usage.update(session.execute(select(_u.resource_id, _u.last_used).select_from(used).where(association)).all())
    supporting = [index.senders[i] for i in ids if i in index.senders and channel in index.senders[i].capabilities]
    by_country: dict = {}
    for sender in supporting:
        for country in sender.destinations:
            by_country.setdefault(country, []).append(sender)
    index.pools[key] = (len(ids), len(supporting), {c: tuple(v) for c, v in by_country.items()})
    return defaults


def _load_senders(session, index: RoutingIndex, ids: set) -> None:
    ids = {i for i in ids if isinstance(i, str)}
    if ids:
        for row in session.execute(select(*_RESOURCE_COLUMNS).where(_r.resource_id.in_(ids))):
            index.senders[row[0]] = make_sender(*row)


def _load_number(session, index: RoutingIndex, req: InboundRequest) -> None:
    """An inbound message's number: its VOICE associations, or its configurations for the channel."""
    if req.channel == "VOICE":
        pairs = session.execute(select(_a.application_id, _a.entity_id).where(
            _a.resource_id == req.to, _a.channel == "VOICE")).all()
        if pairs:
            index.voice[req.to] = sorted(((a, e) for a, e in pairs), key=lambda p: (p[0], p[1] or ""))
        return
    for rid, channel, keyword, key, app, entity, url in session.execute(
        select(_c.resource_id, _c.channel, _c.keyword, _c.keyword_key, _c.application_id, _c.entity_id, _c.forward_url)
        .where(_c.resource_id == req.to, _c.channel == req.channel)
    ):
        landing = Landing(keyword, app, entity, url)
        if key:
            index.keywords.setdefault((rid, channel), {})[key] = landing
        else:
            index.catch_alls[(rid, channel)] = landing

