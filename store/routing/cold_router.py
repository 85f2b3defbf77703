"""A cold router's calls (`Router(cold=True)`): each reads the slice its requests need
(`store.routing.cold.load_slice`), decides on it with the router's own rules and lets it go.

Functions of the router (`self`), kept apart from `router.py`, which holds the warm paths.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..platforms import ensure_entity
from .adopt import adopt_stored
from .cold import load_slice, max_stamp
from .model import Decision, OutboundRequest
from .outbound import route_outbound
from .persist import upsert_sticky, upsert_usage, write_decisions

if TYPE_CHECKING:
    from .router import Router


def route_cold(self: Router, reqs: list) -> list[Decision]:
    """Read the slice, decide and write in ONE write transaction: two processes sending to the
    same recipient take turns, so each sees the other's binding and usage stamps."""
    if not reqs:
        return []
    self.delivery_profile()  # read before the write lock is taken
    try:
        # Only an entity the messages create is a setup change (the revision moves with it).
        with self.store.write() as session:
            self.index = load_slice(session, reqs)
            self._stamp = max_stamp(session)
            batch = self._route_batch(reqs)
            for entity_id in batch.new_entities:
                ensure_entity(session, entity_id)
            _, lost = upsert_sticky(session, batch.bindings)  # first: transactions that bind take turns
            if lost:  # PostgreSQL: another send bound the recipient after the slice was read
                adopt_stored(self, session, batch, lost)
            upsert_usage(session, batch.used)
            write_decisions(session, batch.decisions)
    finally:
        self.index = None  # a slice answers for its own requests only
    return batch.decisions


def explain_cold(self: Router, req: OutboundRequest) -> Decision:
    try:
        with self.store.read() as session:
            self.index = load_slice(session, [req])
        decision, _ = route_outbound(self.index, req, self.clock(), self.message_ids(), explain=True)
    finally:
        self.index = None
    return decision
