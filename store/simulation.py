"""Generated traffic over a store's own setup: the same stream for `cpaasx simulate` and the live panel.

The generator reads the store once (applications, entities, associations, strategies, numbers and
their inbound configurations) and then produces requests from a seeded random stream, so a seed
always gives the same messages for the same setup. It never writes anything.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from .enums import ResourceType
from .routing.model import InboundRequest, OutboundRequest
from .routing.nanp import area_code_of, area_codes
from .tables import (
    Application,
    Entity,
    InboundConfiguration,
    Resource,
    ResourceAssociation,
    SendingStrategy,
)

FIXED_START = datetime(2025, 1, 6, 9, 0, 0, tzinfo=timezone.utc)
# Valid mobile prefixes (national significant number length in brackets) for European destinations.
EUROPE = (("GB", "+447400", 6), ("HR", "+38591", 7), ("DE", "+49151", 8), ("FR", "+3361", 7))
INVALID = ("+1555", "+4412", "12345", "+10000000000", "+99912345678")
WORDS = ("hello", "thanks", "where is my order", "yes", "no", "call me", "ok see you", "price?", "stop by later")
REPEAT_SHARE = 0.35
INBOUND_SHARE = 0.2


class TrafficGenerator:
    """Deterministic traffic: `next()` returns an OutboundRequest or InboundRequest.

    `clock()` is a fixed, stepping clock (the time of the latest message, `step` apart from
    `start`) for deterministic runs; pass it to the Router with `message_id` for reproducible ids.
    """

    def __init__(self, store, seed: int = 7, start: datetime = FIXED_START, step: timedelta = timedelta(seconds=1)):
        self.store = store
        self.seed = seed
        self.start, self.step = start, step
        self.count = 0
        self._rng = random.Random(seed)
        self._ids = random.Random(seed ^ 0x5EED)
        self._bulk_ids = random.Random(seed ^ 0xB01C)
        self._recent: dict = defaultdict(list)
        self.refresh()

    def refresh(self) -> None:
        """Read the store's setup again (the random stream carries on where it was)."""
        with self.store.read() as session:
            apps = sorted(session.execute(select(Application.application_id)).scalars())
            entities = sorted(session.execute(select(Entity.entity_id)).scalars())
            a = ResourceAssociation.__table__.c
            pools: dict = defaultdict(list)
            for rid, channel, app, entity in session.execute(
                select(a.resource_id, a.channel, a.application_id, a.entity_id).order_by(
                    a.application_id, a.entity_id, a.resource_id, a.channel
                )
            ):
                if channel in ("SMS", "MMS"):
                    pools[(app, entity)].append(rid)
            s = SendingStrategy.__table__.c
            strategy_pairs = {
                (app, entity) for app, entity in session.execute(select(s.application_id, s.entity_id))
            }
            r = Resource.__table__.c
            numbers = [
                (rid, list(caps))
                for rid, caps in session.execute(
                    select(r.resource_id, r.capabilities)
                    .where(r.resource_type == ResourceType.NUMBER)
                    .order_by(r.resource_id)
                )
            ]
            c = InboundConfiguration.__table__.c
            keywords: dict = defaultdict(list)
            for rid, channel, keyword in session.execute(
                select(c.resource_id, c.channel, c.keyword).where(c.keyword.is_not(None)).order_by(c.id)
            ):
                keywords[(rid, channel)].append(keyword)
        self.applications = apps
        self.entities = entities
        self.platforms = sorted(set(pools) | strategy_pairs, key=lambda p: (p[0], p[1] or ""))
        self.pools = {k: sorted(set(v)) for k, v in pools.items()}
        self.numbers = numbers
        self.keywords = dict(keywords)
        configured = {rid for rid, _channel in keywords}
        self.configured = [(rid, caps) for rid, caps in numbers if rid in configured]
        self.all_area_codes = sorted(code for code, info in area_codes().items() if info.country in ("US", "CA"))

    # -- the stream ----------------------------------------------------------------------------
    def clock(self) -> datetime:
        return self.start + self.step * self.count

    def message_id(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def bulk_id(self) -> str:
        """Reproducible bulk ids, drawn apart from the message ids (which stay as they were): each
        generated message is sent on its own, so it is its own bulk."""
        return str(uuid.UUID(int=self._bulk_ids.getrandbits(128), version=4))

    def take(self, count: int) -> list[OutboundRequest | InboundRequest]:
        return [self.next() for _ in range(count)]

    def next(self) -> OutboundRequest | InboundRequest:
        self.count += 1
        rng = self._rng
        if self.numbers and rng.random() < INBOUND_SHARE:
            return self._inbound(rng)
        return self._outbound(rng)

    def _outbound(self, rng: random.Random) -> OutboundRequest:
        if self.platforms and rng.random() < 0.92:
            app, entity = rng.choice(self.platforms)
        else:
            app = rng.choice(self.applications) if self.applications else "default"
            entity = rng.choice(self.entities) if self.entities and rng.random() < 0.5 else None
        channel = "MMS" if rng.random() < 0.12 else "SMS"
        recent = self._recent[(app, entity)]
        if recent and rng.random() < REPEAT_SHARE:
            to = rng.choice(recent)
        else:
            to = self._destination(rng, self.pools.get((app, entity), ()))
            if len(recent) < 50:
                recent.append(to)
            else:
                recent[rng.randrange(50)] = to
        sender = None
        pool = self.pools.get((app, entity))
        if pool and rng.random() < 0.03:
            sender = rng.choice(pool)
        return OutboundRequest(to=to, channel=channel, application_id=app, entity_id=entity, sender=sender,
                               text=rng.choice(WORDS), bulk_id=self.bulk_id())

    def _destination(self, rng: random.Random, pool) -> str:
        roll = rng.random()
        if roll < 0.03:
            return rng.choice(INVALID)
        if roll < 0.18:
            country, prefix, digits = rng.choice(EUROPE)
            return prefix + "".join(rng.choice("0123456789") for _ in range(digits))
        local = [code for code in (area_code_of(rid) for rid in pool) if code]
        if local and roll < 0.55:
            area = rng.choice(local)  # a recipient next to one of the senders
        else:
            area = rng.choice(self.all_area_codes)
        return nanp_number(rng, area)

    def _inbound(self, rng: random.Random) -> InboundRequest:
        if self.configured and rng.random() < 0.5:
            number, caps = rng.choice(self.configured)  # numbers with keywords answer more often
        else:
            number, caps = rng.choice(self.numbers)
        channel = rng.choice(caps)
        if channel not in ("SMS", "MMS", "VOICE"):
            channel = "SMS"
        keywords = self.keywords.get((number, channel))
        if channel == "VOICE":
            text = ""
        elif keywords and rng.random() < 0.6:
            word = rng.choice(keywords)
            word = word.lower() if rng.random() < 0.3 else word
            text = f"{word} {rng.choice(WORDS)}"
        else:
            text = rng.choice(WORDS)
        return InboundRequest(from_=nanp_number(rng, rng.choice(self.all_area_codes)), to=number,
                              channel=channel, text=text)


def nanp_number(rng: random.Random, area: str) -> str:
    """A valid-looking NANP number in `area`: the exchange never starts with 0 or 1 nor is N11."""
    while True:
        exchange = rng.randrange(200, 1000)
        if exchange % 100 != 11:
            return f"+1{area}{exchange}{rng.randrange(10000):04d}"
