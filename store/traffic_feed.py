"""Generated traffic through the router, batch by batch: the engine behind the live traffic panel.

No UI here. A `TrafficFeed` owns one `Router` and one `TrafficGenerator` (the same generator
`cpaasx simulate` uses) and a `TrafficStats`. Each call routes a batch under a lock, so a batch from
the pacing thread and a message sent by hand never interleave inside the router. Before each batch it
compares `store.revision()` with the one it last saw: when the setup changed (in the dashboard's
other screens or another process), the router's index and the generator's view are refreshed, so the
very next decision follows the new setup.

Delivery (store.delivery): each batch is planned by the feed's delivery profile as it is routed, and
`advance` then moves every message whose report is due to its final status (store-wide, so messages
sent by other processes land too), handing back what moved so the panel can redraw those rows.
Messages other programs route on the store (`cpaasx send`, `serve`) come back in each batch too
(`foreign`, read by `store.traffic_tail`), counted like the feed's own. With
a driven clock (deterministic runs) "now" is the time of the newest decision, so a replay delivers
the same messages at the same step; otherwise it is the wall clock. Switching the profile changes
what becomes of messages routed from then on; those already planned keep their plan.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .delivery import Moved, advance, finals, utc_now
from .delivery_profile import DeliveryProfile, default_profile
from .routing import Decision, InboundRequest, OutboundRequest, Router
from .simulation import TrafficGenerator
from .traffic_stats import TrafficStats, count_sticky_bindings
from .traffic_tail import LogTail

DEMO_START = datetime(2025, 1, 6, 9, 0, 0, tzinfo=UTC)
AWAITED = 20_000  # routed messages followed until their report (the oldest are let go beyond this)
GIVE_UP = timedelta(minutes=5)


def stepping_clock(start: datetime = DEMO_START, step: timedelta = timedelta(milliseconds=50)) -> Callable[[], datetime]:
    """A clock for deterministic runs: each reading is `step` later than the one before."""
    ticks: Iterator[int] = iter(range(1 << 62))

    def clock() -> datetime:
        return start + step * next(ticks)

    return clock


def counting_ids(prefix: str = "msg-") -> Callable[[], str]:
    """Message ids for deterministic runs: msg-000001, msg-000002, …"""
    ticks: Iterator[int] = iter(range(1, 1 << 62))
    return lambda: f"{prefix}{next(ticks):06d}"


@dataclass(slots=True)
class Batch:
    """What one call produced: the decisions in order, and the counters just after them."""

    decisions: list[Decision]
    stats: TrafficStats
    revision: int
    setup_changed: bool = False
    by_hand: bool = False
    moved: tuple[Moved, ...] = ()  # messages that reached their final status since the last batch
    foreign: list = field(default_factory=list)  # (Decision, Moved | None) routed by other programs meanwhile


class TrafficFeed:
    def __init__(
        self,
        store,
        seed: int = 7,
        clock: Callable[[], datetime] | None = None,
        message_ids: Callable[[], str] | None = None,
        delivery: DeliveryProfile | None = None,
    ):
        self.store = store
        self.seed = seed
        self.profile = delivery or default_profile()
        self.driven = clock is not None
        self.latest = None  # the newest decision's time: "now" under a driven clock
        self.router = Router(store, clock=clock, message_ids=message_ids, delivery=self.profile)
        self.generator = TrafficGenerator(store, seed=seed)
        self.stats = TrafficStats()
        self.revision = store.revision()
        with store.read() as session:  # the bindings already there, before the first step
            self.stats.sticky_bindings = count_sticky_bindings(session)
        self.tail = LogTail(store)
        # Routed messages still waiting for their report → when it is due. Another process (the API's
        # ticker, `cpaasx reports`) may move one first; then it is read back here once it is due.
        self._awaiting: dict[str, datetime] = {}
        self._advanced_at: datetime | None = None  # the "now" of the latest delivery step
        self._lock = threading.Lock()

    def run_batch(self, count: int) -> Batch:
        """Route the generator's next `count` messages (outbound and inbound, in the generator's order)."""
        with self._lock:
            changed = self._follow_setup()
            decisions = self.router.route_many(self.generator.take(count)) if count > 0 else []
            return self._close(decisions, changed, moved=self._advance(decisions))

    def send(self, request: OutboundRequest | InboundRequest) -> Batch:
        """Route one message written by hand; errors in the request itself raise `StoreError`."""
        with self._lock:
            changed = self._follow_setup()
            decisions = self.router.route_many([request])
            return self._close(decisions, changed, by_hand=True, moved=self._advance(decisions))

    def advance(self) -> Batch:
        """Deliver what is due now, routing nothing (traffic paused, or between batches)."""
        with self._lock:
            return self._close([], False, moved=self._advance([]), sample=False)

    def set_profile(self, profile: DeliveryProfile) -> None:
        """Messages routed from now on are planned by `profile`."""
        with self._lock:
            self.profile = profile
            self.router.delivery = profile

    def now(self):
        return self.latest if self.driven else utc_now()

    def _advance(self, decisions: list[Decision]) -> tuple[Moved, ...]:
        if decisions and self.driven:
            newest = max(d.at for d in decisions)
            self.latest = newest if self.latest is None or newest > self.latest else self.latest
        if self.driven and self.latest is None:
            self._advanced_at = None
            return ()  # nothing routed yet: a driven clock has not started
        self._advanced_at = self.now()
        return advance(self.store, self._advanced_at, self.profile, detail=True).messages

    def _follow_setup(self) -> bool:
        revision = self.store.revision()
        if revision == self.revision:
            return False
        self.revision = revision
        self.router.refresh()
        self.generator.refresh()
        return True

    def _close(self, decisions: list[Decision], changed: bool, by_hand: bool = False,
               moved: tuple[Moved, ...] = (), sample: bool = True) -> Batch:
        if sample:
            self.stats.record_batch(decisions)
        self.stats.record_final(moved)
        foreign = self.tail.take({d.message_id for d in decisions})
        if foreign:
            reported = {m.message_id for m in moved}
            for decision, final in foreign:
                self.stats.record(decision)
                if final is not None and final.message_id not in reported:
                    self.stats.record_final([final])
        moved = moved + self._moved_elsewhere(decisions, moved, foreign)
        with self.store.read() as session:
            self.stats.sticky_bindings = count_sticky_bindings(session)
        return Batch(decisions, self.stats.snapshot(), self.revision, changed, by_hand, moved, foreign)

    def _moved_elsewhere(self, decisions, moved, foreign) -> tuple[Moved, ...]:
        """Reports of awaited messages that another process moved (counted here, shown in place)."""
        awaiting = self._awaiting
        for d in [*decisions, *(d for d, final in foreign if final is None)]:
            if d.delivery is not None and d.direction == "OUTBOUND" and d.routed:
                awaiting[d.message_id] = d.at + d.delivery.delay
        for m in moved:
            awaiting.pop(m.message_id, None)
        while len(awaiting) > AWAITED:
            awaiting.pop(next(iter(awaiting)))
        # Only what was due when this batch advanced: a message due since then is this feed's own to
        # move next time, not one another process moved (reading the clock again would ask for it).
        now = self._advanced_at
        if not awaiting or now is None:
            return ()
        due = [message_id for message_id, at in awaiting.items() if at <= now]
        if not due:
            return ()
        with self.store.read() as session:
            found = finals(session, due)
        for m in found:
            awaiting.pop(m.message_id, None)
        for message_id in due:  # long overdue and never found (deleted, or planned again): stop asking
            if awaiting.get(message_id, now) < now - GIVE_UP:
                awaiting.pop(message_id, None)
        self.stats.record_final(found)
        return tuple(found)
