"""A batch that lost a race for a recipient's first binding takes the stored one before it answers.

Two processes (say two `cpaasx serve` workers) can route a message to the same new recipient at
once, each choosing a sender from its own memory. Bindings are stored insert-if-absent, so the first
transaction's binding stays; the other one learns, inside its own write transaction, which of its new
bindings were not stored (`persist.upsert_sticky`). Before anything is logged or answered, its
messages to those recipients are decided again with the stored binding: they go out from the sender
the recipient already has (STICKY), so every message to a recipient carries the same sender.
"""

from __future__ import annotations

from dataclasses import fields

from .cold import bindings_for
from .model import OUTBOUND, ROUTED, Decision
from .outbound import route_outbound

POOL_REASONS = frozenset({"POOL", "GEOLOCATED", "GEOLOCATED_REGION", "STICKY"})  # decisions a binding shapes
_KEPT = ("message_id", "at", "bulk_id", "text", "notify_url", "callback_data")
_FIELDS = tuple(f.name for f in fields(Decision) if f.name not in _KEPT)


def adopt_stored(router, session, batch, lost: set) -> int:
    """Read the stored bindings of `lost` keys in `session`, put them in the router's index and decide
    the batch's messages to them again, in place (same message id, time, bulk and text). Returns how
    many decisions changed. A decision whose new outcome is not STICKY (the stored sender is not
    eligible here) keeps its first outcome."""
    stored = bindings_for(session, lost)
    if not stored:
        return 0
    index = router.index
    index.sticky.update(stored)
    for key in stored:
        batch.bindings.pop(key, None)
    profile = router.delivery_profile()
    changed = 0
    for d, req in zip(batch.decisions, batch.requests):
        if d.direction != OUTBOUND or d.status != ROUTED or d.reason not in POOL_REASONS:
            continue
        if (d.application_id, d.entity_id or "", d.channel, d.to) not in stored:
            continue
        again, effects = route_outbound(index, req, d.at, d.message_id)
        if again.reason != "STICKY" or again.sender == d.sender and d.reason == "STICKY":
            continue
        for name in _FIELDS:
            setattr(d, name, getattr(again, name))
        if profile is not None:
            d.delivery = profile.plan(d.message_id, d.country, d.sender_type)
        router._stamp += 1
        index.usage[effects.sender] = batch.used[effects.sender] = router._stamp
        changed += 1
    return changed
