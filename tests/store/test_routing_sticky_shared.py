"""Issue 11: a warm router honours sticky bindings that another process made, from its next
decision for that recipient on, and two processes binding one recipient at once agree on the first.

Router `warm` has loaded its index before `other` (another Store object on the same database, i.e.
another process's view) or a `cpaasx send` subprocess binds a recipient. `other` first uses NY, so it
binds the recipient to LA; `warm`, whose own usage stamps are all zero, would pick NY for a new
recipient: a STICKY decision from LA can only come from the store.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

import store.routing.cold_router as cold_module
import store.routing.router as router_module
from store.db import Store
from store.routing import OutboundRequest
from store.routing.index import read_counters
from store.routing.persist import upsert_sticky
from store.tables import MessageLog, StickyBinding

from .routing_setup import LA, NY, START, make_store, router, steps

ROOT = Path(__file__).resolve().parents[2]
US_650, US_310, US_917 = "+16505550105", "+13105550106", "+19175550107"
STICKY = """
sendingStrategies:
  - {sendingStrategyId: STICKY00000000000000000000000000, platform: {applicationId: shop, entityId: bigcola},
     useStickySender: true}
"""


def out(to: str) -> OutboundRequest:
    return OutboundRequest(to=to, application_id="shop", entity_id="bigcola")


@pytest.fixture
def warm(store: Store):
    make_store(store, STICKY)
    r = router(store)
    r.refresh()  # loaded before anyone bound anything
    return r


@pytest.fixture
def other(store: Store):
    s = Store.open(store.url)
    yield s
    s.dispose()


def stored(store: Store, to: str) -> StickyBinding | None:
    with store.read() as session:
        return session.get(StickyBinding, ("shop", "bigcola", "SMS", to))


def test_warm_router_uses_a_binding_another_router_made(warm, other):
    elsewhere = router(other)
    assert elsewhere.send(out(US_310)).sender == NY
    made = elsewhere.send(out(US_650))
    assert (made.sender, made.reason) == (LA, "POOL")
    d = warm.send(out(US_650))
    assert (d.sender, d.reason) == (LA, "STICKY")
    assert steps(d)["sticky"] == f"bound to {LA} since 2025-03-01T12:00:01+00:00"
    assert steps(d)["result"] == f"routed from {LA}, STICKY"
    assert warm.explain(out(US_650)).sender == LA


def test_warm_router_uses_a_binding_a_cpaasx_send_made(warm, other, store):
    assert router(other).send(out(US_310)).sender == NY  # the store's usage now differs from warm's
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", store.url, "send", "--to", US_650, "--application", "shop",
         "--entity", "bigcola", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    sent = json.loads(done.stdout)
    assert (sent["sender"], sent["reason"]) == (LA, "POOL")
    bound_at = stored(store, US_650).bound_at
    d = warm.send(out(US_650))
    assert (d.sender, d.reason) == (LA, "STICKY")
    assert steps(d)["sticky"] == f"bound to {LA} since {bound_at.replace(tzinfo=None).isoformat(timespec='seconds')}+00:00"


def test_a_streaming_router_sees_a_binding_from_its_next_batch(warm, other):
    elsewhere = router(other)
    elsewhere.send(out(US_310))
    assert elsewhere.send(out(US_650)).sender == LA
    decisions = warm.route_stream([out(US_917), out(US_917), out(US_650), out(US_650)], batch_size=2)
    assert [(d.sender, d.reason) for d in decisions] == [(NY, "POOL"), (NY, "STICKY"), (LA, "STICKY"), (LA, "STICKY")]


def test_the_first_binding_stored_wins_and_the_loser_answers_with_it(warm, other, store, monkeypatch):
    """Both decide for the same new recipient at once: `other` stores LA first; `warm` looked just
    before (nothing bound yet) and picks NY, but its insert-if-absent finds LA stored: in the same
    transaction it decides that message again, and answers and logs it from LA (STICKY)."""
    elsewhere = router(other)
    elsewhere.send(out(US_310))
    before = read_counters(store)
    monkeypatch.setattr(router_module, "read_counters", lambda s: before)  # warm looked just before `other` wrote
    assert elsewhere.send(out(US_650)).sender == LA
    raced = warm.send(out(US_650))
    assert (raced.sender, raced.reason) == (LA, "STICKY")
    assert steps(raced)["sticky"] == f"bound to {LA} since 2025-03-01T12:00:01+00:00"
    assert stored(store, US_650).sender == LA
    with store.read() as session:
        logged = session.exec(select(MessageLog).where(MessageLog.message_id == raced.message_id)).one()
    assert (logged.sender, logged.reason) == (LA, "STICKY")
    monkeypatch.undo()
    assert (warm.send(out(US_650)).sender, warm.send(out(US_650)).reason) == (LA, "STICKY")


def test_a_streaming_router_that_lost_the_race_adopts_the_stored_binding_next(warm, other, store, monkeypatch):
    """`route_stream` writes on its writer thread: the message that lost keeps its own sender, the
    store keeps the first binding, and the next decision for that recipient adopts it."""
    elsewhere = router(other)
    elsewhere.send(out(US_310))
    before = read_counters(store)
    monkeypatch.setattr(router_module, "read_counters", lambda s: before)
    assert elsewhere.send(out(US_650)).sender == LA
    (raced,) = warm.route_stream([out(US_650)], batch_size=1)
    assert (raced.sender, raced.reason) == (NY, "POOL")
    assert stored(store, US_650).sender == LA
    monkeypatch.undo()
    d = warm.send(out(US_650))
    assert (d.sender, d.reason) == (LA, "STICKY")
    assert steps(d)["sticky"] == f"bound to {LA} since 2025-03-01T12:00:01+00:00"


def test_a_replacement_overwrites_only_the_binding_it_found_ineligible(store: Store):
    make_store(store, STICKY)
    key = ("shop", "bigcola", "SMS", US_650)
    with store.write(bump=False) as session:
        upsert_sticky(session, {key: (NY, START, None)})
        upsert_sticky(session, {key: (LA, START, None)})  # a second new binding: the first stays
    assert stored(store, US_650).sender == NY
    with store.write(bump=False) as session:
        upsert_sticky(session, {key: (LA, START, "+19999999999")})  # replaces a sender no longer there
    assert stored(store, US_650).sender == NY
    with store.write(bump=False) as session:
        upsert_sticky(session, {key: (LA, START, NY)})
    assert stored(store, US_650).sender == LA
    with store.read() as session:
        assert len(session.exec(select(StickyBinding)).all()) == 1


def test_own_writes_cost_no_extra_read(warm, other, monkeypatch):
    """The sticky sequence tells a router's own writes from another's: alone, it never reads bindings
    back; after another process binds once, it reads what is new once."""
    reads = []
    real = router_module.bindings_since
    monkeypatch.setattr(router_module, "bindings_since", lambda *a: reads.append(a[1:]) or real(*a))
    for to in (US_310, US_917, US_310):
        warm.send(out(to))
    warm.route_stream([out(US_917), out(US_310)] * 3, batch_size=2)
    assert reads == []
    router(other).send(out(US_650))
    assert warm.send(out(US_650)).reason == "STICKY"
    assert warm.send(out(US_650)).reason == "STICKY"
    assert len(reads) == 1


def test_a_cold_send_that_lost_the_race_answers_with_the_stored_binding(pg_url, monkeypatch):
    """PostgreSQL (on SQLite a cold send holds the write lock from its first read): another process
    binds the recipient after the cold send read its slice; the cold send's insert-if-absent finds
    that binding and it answers from it."""
    from store.routing import Router

    from .routing_setup import stepping_clock

    store, other = make_store(Store.open(pg_url), STICKY), Store.open(pg_url)
    try:
        early = router(other)
        assert early.send(out(US_917)).sender == NY
        assert router(other).send(out(US_310)).sender == LA  # the store's stamps: NY, then LA
        real = cold_module.load_slice

        def racing(session, reqs):
            index = real(session, reqs)
            assert early.send(out(US_650)).sender == LA  # its memory never saw LA used: committed now
            return index

        monkeypatch.setattr(cold_module, "load_slice", racing)
        cold = Router(store, clock=stepping_clock(), cold=True)
        d = cold.send(out(US_650))  # its slice saw NY and LA used: it chose SF, then found LA stored
        assert (d.sender, d.reason) == (LA, "STICKY")  # without adopting: SF, POOL
        assert steps(d)["sticky"] == f"bound to {LA} since 2025-03-01T12:00:01+00:00"
        assert stored(store, US_650).sender == LA
    finally:
        other.dispose()
        store.dispose()
