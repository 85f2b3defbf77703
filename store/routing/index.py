"""The in-memory picture of a store the router answers from, loaded in a few bulk reads.

Setup rows (applications, entities, resources, associations, strategies, inbound configurations,
keys) are reloaded when `store.revision()` moves; traffic state (sticky bindings, usage stamps)
is loaded with them and then kept current by the router itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..enums import ResourceType, SenderType, sender_type_of
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
from ..secret_hash import is_scrypt
from .nanp import area_code_of, lookup

UNLISTED_RANK = 5  # priorities run 1–4; unlisted sender types come after every listed one


@dataclass(slots=True, eq=False)
class Sender:
    resource_id: str
    resource_type: str
    number_type: str | None
    sender_type: str | None  # strategy vocabulary: ALPHANUMERIC, SHORT_CODE, …
    label_type: str | None  # what a decision shows: the number type, or ALPHANUMERIC
    country: str | None
    capabilities: frozenset
    destinations: frozenset
    application_id: str
    entity_id: str | None
    area_code: str | None
    region: str | None
    region_name: str | None


@dataclass(slots=True, eq=False)
class Strategy:
    strategy_id: str
    application_id: str
    entity_id: str | None
    channel: str | None
    country: str | None
    sticky: bool
    geolocated: bool
    ranks: dict  # sender type → priority
    default_sender: str | None

    @property
    def short_id(self) -> str:
        return self.strategy_id[:8] + "…"

    def scope(self) -> str:
        """E.g. "(shop/bigcola, US, SMS)" or "(shop, all countries, all channels)"."""
        platform = f"{self.application_id}/{self.entity_id}" if self.entity_id else self.application_id
        return f"({platform}, {self.country or 'all countries'}, {self.channel or 'all channels'})"


@dataclass(slots=True)
class KeyLink:
    application_id: str
    entity_id: str | None
    action: str | None


@dataclass(slots=True)
class Key:
    name: str
    enabled: bool
    valid_from: datetime | None
    valid_to: datetime | None
    links: list[KeyLink]


@dataclass(slots=True)
class Landing:
    """An inbound configuration: where traffic lands (None app = take the number's values)."""

    keyword: str | None
    application_id: str | None
    entity_id: str | None
    forward_url: str | None = None  # where a message it lands is POSTed (None: the pull inbox)


@dataclass
class RoutingIndex:
    revision: int = 0
    applications: set = field(default_factory=set)
    entities: set = field(default_factory=set)
    senders: dict = field(default_factory=dict)  # resource id → Sender
    # (app, entity, channel) → (associations, senders that support the channel, by country)
    pools: dict = field(default_factory=dict)
    voice: dict = field(default_factory=dict)  # resource id → [(app, entity)]
    strategies: dict = field(default_factory=dict)  # (app, entity, channel, country) → Strategy
    strategies_per_app: dict = field(default_factory=dict)
    keywords: dict = field(default_factory=dict)  # (resource id, channel) → {KEYWORD: Landing}
    catch_alls: dict = field(default_factory=dict)  # (resource id, channel) → Landing
    keys: dict = field(default_factory=dict)  # secret hash → Key
    scrypt_keys: list = field(default_factory=list)  # the salted hashes of `keys`, by key name (keys.find_key)
    sticky: dict = field(default_factory=dict)  # (app, entity key, channel, destination) → (sender, bound_at)
    usage: dict = field(default_factory=dict)  # resource id → last-used stamp
    # Derived, filled lazily while routing and dropped with the index.
    candidates: dict = field(default_factory=dict)
    strategy_choice: dict = field(default_factory=dict)
    spreads: dict = field(default_factory=dict)  # spread key → senders, least recently used first
    groups: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)
    platform_steps: dict = field(default_factory=dict)

    def add_entity(self, entity_id: str) -> None:
        """A patch for an entity the router created itself: nothing derived depends on it."""
        self.entities.add(entity_id)


def make_sender(resource_id, resource_type, number_type, country, capabilities, destinations, app, entity) -> Sender:
    area = area_code_of(resource_id) if resource_type == ResourceType.NUMBER else None
    info = lookup(area)
    sender_type = sender_type_of(resource_type, number_type)
    label = SenderType.ALPHANUMERIC.value if resource_type == ResourceType.ALPHA else number_type
    return Sender(
        resource_id, resource_type, number_type, sender_type, label, country,
        frozenset(capabilities or ()), frozenset(destinations or ()), app, entity, area,
        info.region if info else None, info.region_name if info else None,
    )


def load_index(session) -> RoutingIndex:
    """Every row the router needs, read with plain column selects (no ORM objects)."""
    index = RoutingIndex()
    meta = session.execute(select(StoreMeta.value).where(StoreMeta.key == "revision")).scalar()
    index.revision = meta or 0
    index.applications = set(session.execute(select(Application.application_id)).scalars())
    index.entities = set(session.execute(select(Entity.entity_id)).scalars())
    r = Resource.__table__.c
    for row in session.execute(
        select(r.resource_id, r.resource_type, r.number_type, r.country, r.capabilities,
               r.destination_countries, r.application_id, r.entity_id)
    ):
        index.senders[row[0]] = make_sender(*row)
    a = ResourceAssociation.__table__.c
    pools: dict = defaultdict(list)
    voice: dict = defaultdict(list)
    for rid, channel, app, entity in session.execute(
        select(a.resource_id, a.channel, a.application_id, a.entity_id).order_by(a.resource_id)
    ):
        pools[(app, entity, channel)].append(rid)
        if channel == "VOICE":
            voice[rid].append((app, entity))
    # Resolved to senders and split by destination country now, so routing never walks a cold pool.
    for key, ids in pools.items():
        supporting = [index.senders[i] for i in ids if i in index.senders and key[2] in index.senders[i].capabilities]
        by_country: dict = {}
        for sender in supporting:
            for country in sender.destinations:
                by_country.setdefault(country, []).append(sender)
        index.pools[key] = (len(ids), len(supporting), {c: tuple(v) for c, v in by_country.items()})
    index.voice = {k: sorted(v, key=lambda p: (p[0], p[1] or "")) for k, v in voice.items()}
    s = SendingStrategy.__table__.c
    per_app: dict = defaultdict(int)
    for row in session.execute(
        select(s.sending_strategy_id, s.application_id, s.entity_id, s.channel, s.destination_country_code,
               s.use_sticky_sender, s.use_geolocated_sender, s.priorities, s.default_sender)
    ):
        ranks = {p["senderType"]: p["priority"] for p in row[7] or ()}
        strategy = Strategy(row[0], row[1], row[2], row[3], row[4], bool(row[5]), bool(row[6]), ranks, row[8])
        index.strategies[(row[1], row[2], row[3], row[4])] = strategy
        per_app[row[1]] += 1
    index.strategies_per_app = dict(per_app)
    c = InboundConfiguration.__table__.c
    for rid, channel, keyword, key, app, entity, url in session.execute(
        select(c.resource_id, c.channel, c.keyword, c.keyword_key, c.application_id, c.entity_id, c.forward_url)
    ):
        landing = Landing(keyword, app, entity, url)
        if key:
            index.keywords.setdefault((rid, channel), {})[key] = landing
        else:
            index.catch_alls[(rid, channel)] = landing
    links: dict = defaultdict(list)
    kl = ApiKeyLink.__table__.c
    for name, app, entity, action in session.execute(
        select(kl.key_name, kl.application_id, kl.entity_id, kl.action).order_by(kl.id)
    ):
        links[name].append(KeyLink(app, entity, action))
    k = ApiKey.__table__.c
    for name, secret_hash, enabled, valid_from, valid_to in session.execute(
        select(k.name, k.secret_hash, k.enabled, k.valid_from, k.valid_to)
    ):
        index.keys[secret_hash] = Key(name, bool(enabled), valid_from, valid_to, links.get(name, []))
    index.scrypt_keys = [h for _, h in sorted((key.name, h) for h, key in index.keys.items() if is_scrypt(h))]
    b = StickyBinding.__table__.c
    for app, entity_key, channel, destination, sender, bound_at in session.execute(
        select(b.application_id, b.entity_key, b.channel, b.destination, b.sender, b.bound_at)
    ):
        index.sticky[(app, entity_key, channel, destination)] = (sender, bound_at)
    u = SenderUsage.__table__.c
    index.usage = dict(session.execute(select(u.resource_id, u.last_used)).all())
    return index
