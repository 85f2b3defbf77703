"""The router: answers from the in-memory index, writes decisions and traffic state in batches."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

from ..enums import INBOUND_CHANNELS, STRATEGY_CHANNELS
from ..errors import InvalidInput
from ..message_log import write_rows
from ..platforms import ensure_entity
from ..validation import check_enum, check_id
from .inbound import route_inbound
from .index import RoutingIndex, load_index
from .model import Decision, InboundRequest, OutboundRequest
from .outbound import route_outbound
from .persist import upsert_sticky, upsert_usage


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def new_message_id() -> str:
    return str(uuid.uuid4())


def check_outbound(req: OutboundRequest) -> None:
    """Bad input (nothing routed, nothing written); a number that is not valid is a rejection instead."""
    if not isinstance(req.to, str) or not req.to:
        raise InvalidInput("is required", "to")
    check_enum(req.channel, list(STRATEGY_CHANNELS), "channel")
    if req.application_id is not None and not isinstance(req.application_id, str):
        raise InvalidInput("must be text", "applicationId")
    if req.entity_id is not None:
        check_id(req.entity_id, "entityId")  # an unknown entity is created, so its id must be valid
    if req.sender is not None and (not isinstance(req.sender, str) or not req.sender):
        raise InvalidInput("must not be empty", "from")
    if req.api_key is not None and not isinstance(req.api_key, str):
        raise InvalidInput("must be text", "apiKey")


def check_inbound(req: InboundRequest) -> None:
    if not isinstance(req.from_, str) or not req.from_:
        raise InvalidInput("is required", "from")
    if not isinstance(req.to, str) or not req.to:
        raise InvalidInput("is required", "to")
    check_enum(req.channel, list(INBOUND_CHANNELS), "channel")
    if not isinstance(req.text, str):
        raise InvalidInput("must be text", "text")


class Router:
    """Routes outbound and inbound messages for one store. Safe to share between threads."""

    def __init__(
        self,
        store,
        clock: Callable[[], datetime] | None = None,
        message_ids: Callable[[], str] | None = None,
    ):
        self.store = store
        self.clock = clock or utc_now
        self.message_ids = message_ids or new_message_id
        self.index: RoutingIndex | None = None
        self._stamp = 0
        self._lock = threading.RLock()

    # -- index ---------------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Reload the index if the store's setup changed since it was read; True when it did."""
        with self._lock:
            if self.index is not None and self.store.revision() == self.index.revision:
                return False
            with self.store.read() as session:
                self.index = load_index(session)
            self._stamp = max(self.index.usage.values(), default=0)
            return True

    # -- outbound ------------------------------------------------------------------------------
    def explain(self, req: OutboundRequest) -> Decision:
        """The decision sending would make; nothing is written and nothing is created."""
        check_outbound(req)
        with self._lock:
            self.refresh()
            decision, _ = route_outbound(self.index, req, self.clock(), self.message_ids(), explain=True)
            return decision

    def send(self, req: OutboundRequest) -> Decision:
        """Route, log and persist one message before returning."""
        return self.send_many([req])[0]

    def send_many(self, reqs: Iterable[OutboundRequest]) -> list[Decision]:
        """Route many messages in order; every write lands in one transaction at the end."""
        reqs = list(reqs)
        for req in reqs:
            check_outbound(req)
        with self._lock:
            self.refresh()
            index = self.index
            decisions: list[Decision] = []
            new_entities: list[str] = []
            bindings: dict = {}
            used: dict = {}
            for req in reqs:
                now = self.clock()
                decision, effects = route_outbound(index, req, now, self.message_ids())
                decisions.append(decision)
                if effects.new_entity is not None:
                    index.add_entity(effects.new_entity)
                    new_entities.append(effects.new_entity)
                if effects.sender is not None:
                    self._stamp += 1
                    index.usage[effects.sender] = used[effects.sender] = self._stamp
                    if effects.bind is not None:
                        index.sticky[effects.bind] = bindings[effects.bind] = (effects.sender, now)
            self._persist(decisions, new_entities, bindings, used)
            return decisions

    # -- inbound -------------------------------------------------------------------------------
    def receive(self, req: InboundRequest) -> Decision:
        return self.receive_many([req])[0]

    def receive_many(self, reqs: Iterable[InboundRequest]) -> list[Decision]:
        reqs = list(reqs)
        for req in reqs:
            check_inbound(req)
        with self._lock:
            self.refresh()
            decisions = [route_inbound(self.index, req, self.clock(), self.message_ids()) for req in reqs]
            self._persist(decisions, [], {}, {})
            return decisions

    def route_many(self, reqs: Iterable[OutboundRequest | InboundRequest]) -> list[Decision]:
        """Mixed traffic in order (outbound and inbound), persisted in one transaction."""
        reqs = list(reqs)
        for req in reqs:
            check_inbound(req) if isinstance(req, InboundRequest) else check_outbound(req)
        with self._lock:
            self.refresh()
            out: list[Decision] = []
            run: list = []
            for req in reqs + [None]:
                kind = type(req)
                if run and (req is None or kind is not type(run[0])):
                    out.extend(self._route_run(run))
                    run = []
                if req is not None:
                    run.append(req)
            return out

    def _route_run(self, run: list) -> list[Decision]:
        if isinstance(run[0], InboundRequest):
            return self.receive_many(run)
        return self.send_many(run)

    # -- persistence ---------------------------------------------------------------------------
    def _persist(self, decisions: list[Decision], new_entities: list[str], bindings: dict, used: dict) -> None:
        rows = [d.log_row() for d in decisions]
        before = self.index.revision
        try:
            # Creating an entity is a setup change (the revision moves); traffic rows are not.
            with self.store.write(bump=bool(new_entities)) as session:
                for entity_id in new_entities:
                    ensure_entity(session, entity_id)
                upsert_sticky(session, bindings)
                upsert_usage(session, used)
                write_rows(session, rows)
        except BaseException:
            self.index = None  # memory ran ahead of the store: read it again next time
            raise
        if new_entities:
            # Patch rather than rebuild: if nobody else changed the setup meanwhile, the index is current.
            revision = self.store.revision()
            if revision == before + 1:
                self.index.revision = revision
