"""The router: answers from the in-memory index, writes decisions and traffic state in batches."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from time import perf_counter
from typing import TYPE_CHECKING

from ..errors import StoreError
from ..number_forms import candidates
from ..platforms import ensure_entity
from .inbound import route_inbound
from .checks import check_inbound, check_outbound
from .cold_router import explain_cold, route_cold
from .index import RoutingIndex, bindings_since, load_index, merge_bindings, read_counters
from .model import ROUTED, Decision, InboundRequest, OutboundRequest
from .outbound import key_refusal, route_outbound
from .adopt import adopt_stored
from .group_commit import GroupCommit
from .pacing import MessageIds, collector_paused
from .persist import log_rows, upsert_sticky, upsert_usage, write_decisions


if TYPE_CHECKING:
    from ..delivery_profile import DeliveryProfile

DEFAULT_DELIVERY = "default"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(slots=True)
class _Batch:
    decisions: list = field(default_factory=list)
    new_entities: list = field(default_factory=list)
    bindings: dict = field(default_factory=dict)
    used: dict = field(default_factory=dict)
    rows: list | None = None  # log rows built ahead (SQLite)
    streamed: bool = False  # written by the stream's writer thread
    requests: list = field(default_factory=list)  # outbound decisions' requests, in order (None for inbound)


class Router:
    """Routes outbound and inbound messages for one store. Safe to share between threads."""

    def __init__(
        self,
        store,
        clock: Callable[[], datetime] | None = None,
        message_ids: Callable[[], str] | None = None,
        bulk_ids: Callable[[], str] | None = None,
        delivery: DeliveryProfile | str | None = DEFAULT_DELIVERY,
        cold: bool = False,
    ):
        self.store = store
        # A cold router (single-message commands) never loads the whole index: `send`, `receive`,
        # `route_many` and `explain` read only what their own decisions need (`store.routing.cold`).
        self.cold = cold
        # What becomes of each routed message (store.delivery): a profile, the shipped default (read
        # on first use), or None to leave messages unplanned (`store.delivery.advance` plans them).
        self.delivery = delivery
        self.clock = clock or utc_now
        self.message_ids = message_ids or MessageIds()
        self.bulk_ids = bulk_ids or MessageIds()  # one per call (or streamed batch) that sends messages
        self.index: RoutingIndex | None = None
        self._stamp = 0
        self.latencies: list[float] | None = None  # set to a list to time each decision (the benchmark)
        self._lock = threading.RLock()
        self._seen = 0  # the store's sticky sequence up to which every binding is in the index
        self._seen_lock = threading.Lock()  # the writer thread moves `_seen` too
        self._grouped = GroupCommit(self.route_each)  # concurrent `send` / `receive` calls

    # -- index ---------------------------------------------------------------------------------
    def refresh(self, revision: int | None = None) -> bool:
        """Reload the index if the store's setup changed since it was read (`revision`: the store's,
        just read); True when it did."""
        with self._lock:
            if revision is None:
                revision = self.store.revision()
            if self.index is not None and revision == self.index.revision:
                return False
            with self.store.read() as session:
                self.index = load_index(session)
            self._stamp = max(self.index.usage.values(), default=0)
            self._seen = self.index.sticky_seq
            return True

    def _current(self, unsaved: dict | None = None, counters: tuple[int, int] | None = None) -> None:
        """Reload on a setup change, else merge the sticky bindings other processes wrote since this
        router last looked (one query for both counters, or `counters`; a second only when the
        sticky sequence moved past `_seen`). `unsaved`: the batch the writer thread is storing; a
        sequence just one ahead is then taken for its own and left for the next batch (docs/routing.md)."""
        revision, sequence = counters or read_counters(self.store)
        if self.refresh(revision) or sequence <= self._seen or not self.index.any_sticky:
            return
        if unsaved is not None and sequence == self._seen + 1:
            return
        with self._seen_lock:
            after = self._seen
        merge_bindings(self.index, bindings_since(self.store, after, sequence), unsaved)
        with self._seen_lock:
            self._seen = max(self._seen, sequence)

    def _known(self, sequence: int | None) -> None:
        """This router's own write took `sequence`: known, if every earlier one was."""
        with self._seen_lock:
            if sequence is not None and sequence == self._seen + 1:
                self._seen = sequence

    # -- outbound ------------------------------------------------------------------------------
    def explain(self, req: OutboundRequest) -> Decision:
        """The decision sending would make; nothing is written and nothing is created."""
        check_outbound(req)
        with self._lock:
            if self.cold:
                return explain_cold(self, req)
            self._current()
            decision, _ = route_outbound(self.index, req, self.clock(), self.message_ids(), explain=True)
            return decision

    def send(self, req: OutboundRequest) -> Decision:
        """Route, log and persist one message before returning. Called from many threads at once,
        the messages that wait while one is written go together in the next transaction
        (`store.routing.group_commit`); each call returns its own decision once it is committed."""
        check_outbound(req)
        return self.route_many([req])[0] if self.cold else self._grouped.submit(req)

    def send_many(self, reqs: Iterable[OutboundRequest]) -> list[Decision]:
        """Route many messages in order; every write lands in one transaction at the end."""
        return self.route_many(reqs)

    def send_unless_refused(self, reqs: list[OutboundRequest]) -> tuple[tuple[int, str, str] | None, list[Decision]]:
        """The HTTP API's send, with one look at the store's setup: explicit senders are read in any
        number form (`sender_id`); then if any request's API key may not send it, (position,
        UNAUTHORIZED / FORBIDDEN, why) and nothing routed or written; else every request routed and
        persisted in one transaction, as `send_many`."""
        (result,) = self.send_groups([reqs])
        if isinstance(result, BaseException):
            raise result
        return result

    def send_groups(self, groups: list[list[OutboundRequest]]) -> list:
        """Several API requests at once (`store.routing.grouped`): each as `send_unless_refused`, in
        order (later groups see earlier ones' sticky bindings and usage), all written in ONE
        transaction. One result per group: (refusal or None, decisions), or the bad-input error that
        refused that group alone. A failed write raises for all."""
        out: list = [None] * len(groups)
        checked = []
        for position, reqs in enumerate(groups):
            try:
                checked.append((position, _checked(reqs)))
            except StoreError as exc:
                out[position] = exc
        with self._lock:
            self._current()
            combined = _Batch()
            with collector_paused():
                for position, reqs in checked:
                    for req in reqs:
                        if req.sender is not None:
                            req.sender = self._sender_id(req.sender)
                    refused = self._refusal(reqs)
                    if refused is not None:
                        out[position] = (refused, [])
                        continue
                    out[position] = (None, _merge(combined, self._route_all(reqs)))
            self._persist(combined)
        return out

    def route_each(self, reqs) -> list[Decision]:
        """Checked messages (a list, or `take()` giving it once the store is looked at), each routed
        as its own call (its own bulk id) in order, all persisted in ONE transaction: the group
        commit of concurrent `send` / `receive` calls."""
        with self._lock:
            self._current()
            combined = _Batch()
            with collector_paused():
                decisions = [_merge(combined, self._route_all([req]))[0] for req in (reqs() if callable(reqs) else reqs)]
            self._persist(combined)
        return decisions

    def _refusal(self, reqs: list[OutboundRequest]) -> tuple[int, str, str] | None:
        if not any(req.api_key is not None for req in reqs):
            return None
        now, seen = self.clock(), set()
        for position, req in enumerate(reqs):
            asked = (req.api_key, req.application_id, req.entity_id)  # all the key check reads
            if asked in seen:
                continue
            seen.add(asked)
            found = key_refusal(self.index, req, now)
            if found is not None:
                return (position, *found)
        return None

    def sender_id(self, value: str) -> str:
        """An explicit sender as the store knows it, given in any number form (`14155550100`,
        `+14155550100`, `0014155550100`) or as it is (alphanumeric, short code); unknown: as given."""
        with self._lock:
            self.refresh()
            return self._sender_id(value)

    def _sender_id(self, value: str) -> str:
        senders = self.index.senders
        if value in senders:
            return value
        return next((c for c in candidates(value) if c in senders), value)

    # -- inbound -------------------------------------------------------------------------------
    def receive(self, req: InboundRequest) -> Decision:
        """Route, log and persist one inbound message before returning (grouped as `send`)."""
        check_inbound(req)
        return self.route_many([req])[0] if self.cold else self._grouped.submit(req)

    def receive_many(self, reqs: Iterable[InboundRequest]) -> list[Decision]:
        return self.route_many(reqs)

    # -- both ----------------------------------------------------------------------------------
    def route_many(self, reqs: Iterable[OutboundRequest | InboundRequest]) -> list[Decision]:
        """Outbound and inbound messages in order, checked first, persisted in one transaction."""
        reqs = _checked(reqs)
        with self._lock:
            if self.cold:
                return route_cold(self, reqs)
            self._current()
            batch = self._route_batch(reqs)
            self._persist(batch)
            return batch.decisions

    def route_stream(self, reqs: Iterable[OutboundRequest | InboundRequest], batch_size: int = 1000) -> list[Decision]:
        """Much traffic in batches of `batch_size`, each persisted in its own transaction by a writer
        thread while the next batch is routed (one batch in flight). Everything is in the store when
        it returns; a failed write raises and the index is read again on the next call."""
        reqs = _checked(reqs)
        decisions: list[Decision] = []
        # The writer needs the interpreter lock only a few times per batch (a handful of large
        # statements, see `persist`), so the default switch interval serves it well.
        self._stream(reqs, batch_size, decisions)
        return decisions

    def _stream(self, reqs: list, batch_size: int, decisions: list) -> None:
        # No collection for the whole stream, not only while a batch is routed: the one after each
        # batch walked every decision kept so far (and the writer's rows) for nothing: about a tenth of
        # the routing thread's time on the benchmark's stream.
        with self._lock, ThreadPoolExecutor(max_workers=1, thread_name_prefix="cpaasx-writer") as writer, \
                collector_paused():
            pending: Future | None = None
            in_flight: dict | None = None  # the bindings of the batch the writer is storing
            try:
                for start in range(0, len(reqs), batch_size):
                    chunk = reqs[start : start + batch_size]
                    counters = read_counters(self.store)
                    if self.index is None or counters[0] != self.index.revision:
                        pending = _wait(pending)  # reload only once every earlier batch is stored
                    self._current(in_flight if pending is not None else None, counters)
                    batch = self._route_all(chunk)
                    if getattr(self.store, "is_sqlite", False):
                        batch.rows = log_rows(batch.decisions)  # Python work stays on this thread
                    pending = _wait(pending)
                    if batch.new_entities:
                        self._persist(batch)  # a setup change: written in line, then the index is patched
                    else:
                        batch.streamed = True
                        pending, in_flight = writer.submit(self._write, batch), batch.bindings
                    decisions.extend(batch.decisions)
                _wait(pending)
            except BaseException:
                self.index = None
                raise

    def _route_batch(self, reqs: list) -> "_Batch":
        with collector_paused():
            return self._route_all(reqs)

    def delivery_profile(self) -> DeliveryProfile | None:
        if self.delivery == DEFAULT_DELIVERY:
            from ..delivery_profile import default_profile

            self.delivery = default_profile()
        return self.delivery

    def _route_all(self, reqs: list) -> "_Batch":
        index = self.index
        batch = _Batch(requests=reqs)  # one decision per request, in order
        profile = self.delivery_profile()
        timings = self.latencies
        bulk_id = None
        for req in reqs:
            started = perf_counter() if timings is not None else 0.0
            now = self.clock()
            if isinstance(req, InboundRequest):
                decision = route_inbound(index, req, now, self.message_ids())
                decision.text = req.text
                batch.decisions.append(decision)
            else:
                decision, effects = route_outbound(index, req, now, req.message_id or self.message_ids())
                decision.text = req.text
                decision.notify_url, decision.callback_data = req.notify_url, req.callback_data
                if profile is not None and decision.status == ROUTED:
                    decision.delivery = profile.plan(decision.message_id, decision.country, decision.sender_type)
                if req.bulk_id is not None:
                    decision.bulk_id = req.bulk_id
                else:
                    if bulk_id is None:
                        bulk_id = self.bulk_ids()
                    decision.bulk_id = bulk_id
                batch.decisions.append(decision)
                self._apply(batch, effects, now)
            if timings is not None:
                timings.append(perf_counter() - started)
        return batch

    def _apply(self, batch: "_Batch", effects, now: datetime) -> None:
        """Later messages of the same batch see what earlier ones did (entities, sticky, usage)."""
        index = self.index
        if effects.new_entity is not None:
            index.add_entity(effects.new_entity)
            batch.new_entities.append(effects.new_entity)
        if effects.sender is not None:
            self._stamp += 1
            index.usage[effects.sender] = batch.used[effects.sender] = self._stamp
            if effects.bind is not None:
                index.sticky[effects.bind] = (effects.sender, now)
                batch.bindings[effects.bind] = (effects.sender, now, effects.replaces)

    # -- persistence ---------------------------------------------------------------------------
    def _persist(self, batch: "_Batch") -> None:
        if not batch.decisions:
            return
        before = self.index.revision
        try:
            self._write(batch)
        except BaseException:
            self.index = None  # memory ran ahead of the store: read it again next time
            raise
        if batch.new_entities:
            # Patch rather than rebuild: if nobody else changed the setup meanwhile, the index is current.
            revision = self.store.revision()
            if revision == before + 1:
                self.index.revision = revision

    def _write(self, batch: "_Batch") -> None:
        """New bindings another process stored first are adopted before anything is logged
        (`store.routing.adopt`), except on the stream's writer thread (`batch.streamed`)."""
        # Creating an entity is a setup change (the revision moves); traffic rows are not.
        with self.store.write(bump=bool(batch.new_entities)) as session:
            for entity_id in batch.new_entities:
                ensure_entity(session, entity_id)
            sequence, lost = upsert_sticky(session, batch.bindings)  # first: transactions that bind take turns
            if lost and not batch.streamed:
                adopt_stored(self, session, batch, lost)
            upsert_usage(session, batch.used)
            write_decisions(session, batch.decisions, batch.rows)
        self._known(sequence)


def _wait(pending: "Future | None") -> None:
    if pending is not None:
        pending.result()
    return None


def _merge(combined: _Batch, batch: _Batch) -> list[Decision]:
    """Add `batch` to `combined` (later batches win on the same binding or sender); `batch`'s decisions."""
    combined.decisions.extend(batch.decisions)
    combined.requests.extend(batch.requests)
    combined.new_entities.extend(batch.new_entities)
    combined.bindings.update(batch.bindings)
    combined.used.update(batch.used)
    return batch.decisions


def _checked(reqs) -> list:
    reqs = list(reqs)
    for req in reqs:
        check_inbound(req) if isinstance(req, InboundRequest) else check_outbound(req)
    return reqs
