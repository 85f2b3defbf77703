"""The in-memory picture of a store the router answers from, loaded in a few bulk reads.

Setup rows (applications, entities, resources, associations, strategies, inbound configurations,
keys) are reloaded when `store.revision()` moves; traffic state (sticky bindings, usage stamps)
is loaded with them and then kept current by the router itself. Sticky bindings other processes
write meanwhile are read by sequence (`read_counters`, `bindings_since`): every transaction that
writes bindings takes the next value of StoreMeta `sticky` and stamps its rows with it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select

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

STICKY_SEQUENCE = "sticky"  # the StoreMeta key: grows by one per transaction that writes sticky bindings
_META = StoreMeta.__table__.c
_COUNTERS = select(_META.key, _META.value).where(_META.key.in_(("revision", STICKY_SEQUENCE)))
_B = StickyBinding.__table__.c
_SINCE = select(_B.application_id, _B.entity_key, _B.channel, _B.destination, _B.sender, _B.bound_at).where(
    _B.written > bindparam("after"), _B.written <= bindparam("upto")
)

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
    sticky_seq: int = 0  # the store's sticky sequence when `sticky` was read: every binding up to it is in
    any_sticky: bool = False  # some strategy is sticky (else other processes' bindings need not be read)
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
    # The counters first: on PostgreSQL each select sees what is committed when it runs, so the
    # bindings read below hold at least every one up to `sticky_seq` (more is harmless).
    counters = dict(session.execute(_COUNTERS).all())
    index.revision, index.sticky_seq = counters.get("revision", 0), counters.get(STICKY_SEQUENCE, 0)
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
        index.any_sticky = index.any_sticky or strategy.sticky
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


def read_counters(store) -> tuple[int, int]:
    """(setup revision, sticky sequence) in one query on a pooled connection (no ORM session)."""
    with store.engine.connect() as connection:
        counters = dict(connection.execute(_COUNTERS).all())
    return counters.get("revision", 0), counters.get(STICKY_SEQUENCE, 0)


def bindings_since(store, after: int, upto: int) -> list[tuple]:
    """The sticky bindings written by transactions `after` < sequence ≤ `upto`, as (app, entity
    key, channel, destination, sender, bound_at): one range query on the `written` index."""
    with store.engine.connect() as connection:
        return connection.execute(_SINCE, {"after": after, "upto": upto}).all()


def merge_bindings(index: RoutingIndex, rows, unsaved: dict | None = None) -> None:
    """Stored bindings over remembered ones (the store is the truth: its first binding wins), except
    the pre-image of a replacement this router is writing right now (`unsaved`: key → (sender,
    bound_at, replaced sender))."""
    sticky = index.sticky
    for app, entity_key, channel, to, sender, bound_at in rows:
        key = (app, entity_key, channel, to)
        mine = unsaved.get(key) if unsaved is not None else None
        if mine is not None and mine[2] == sender:
            continue
        sticky[key] = (sender, bound_at)
