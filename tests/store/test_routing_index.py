"""The router's in-memory index: follows setup changes, asks the store little, rejects bad input early."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from store.associations import create_association
from store.db import Store
from store.errors import InvalidId, InvalidInput
from store.routing import InboundRequest, OutboundRequest

from .routing_setup import LA, NY, SF, TORONTO, log_count, make_store, router

US = "+14155550123"


def out(**fields):
    return OutboundRequest(**{"to": US, "application_id": "shop", "entity_id": "bigcola", **fields})


def test_a_setup_change_is_seen_by_the_next_message(store: Store):
    make_store(store)
    r = router(store)
    assert {r.send(out(entity_id=None)).sender for _ in range(2)} == {"+16465550103"}
    with store.write() as session:
        create_association(session, "NUMBER", TORONTO, "SMS", "shop", None)
    senders = {r.send(out(entity_id=None)).sender for _ in range(2)}
    assert senders == {"+16465550103", TORONTO}


def test_traffic_writes_do_not_move_the_revision(store: Store):
    make_store(store)
    revision = store.revision()
    r = router(store)
    r.send_many([out()] * 20)
    assert store.revision() == revision
    assert r.refresh() is False


def statements(store: Store) -> list[str]:
    seen: list[str] = []
    for engine in {store.engine, store.write_engine}:
        event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_a_batch_costs_a_handful_of_statements_however_many_messages(store: Store):
    make_store(store)
    r = router(store)
    r.refresh()
    seen = statements(store)
    r.send_many([out(to=f"+1415555{n:04d}") for n in range(200)])
    # revision check, then one insert each for bindings, usage and log rows (plus BEGIN/COMMIT noise)
    assert len([s for s in seen if "messagelog" in s.lower()]) == 1
    assert len(seen) <= 6, seen
    assert log_count(store) == 200


def test_one_send_reads_the_revision_once(store: Store):
    make_store(store)
    r = router(store)
    r.refresh()
    seen = statements(store)
    r.send(out())
    # the revision is read once (the newest usage stamp is written beside it: store/routing/persist.py)
    assert len([s for s in seen if "storemeta" in s.lower() and s.lstrip().upper().startswith("SELECT")]) == 1


def test_bad_input_raises_and_writes_nothing(store: Store):
    r = router(make_store(store))
    with pytest.raises(InvalidInput) as err:
        r.send(out(channel="FAX"))
    assert err.value.field == "channel"
    with pytest.raises(InvalidId) as err:
        r.send_many([out(), out(entity_id="bad entity!")])
    assert err.value.field == "entityId"
    with pytest.raises(InvalidInput) as err:
        r.receive(InboundRequest(from_="", to=SF))
    assert err.value.field == "from"
    assert log_count(store) == 0


def test_route_many_keeps_outbound_and_inbound_in_order(store: Store):
    r = router(make_store(store))
    decisions = r.route_many([out(), InboundRequest(from_=US, to=SF, text="hi"), out()])
    assert [(d.direction, d.sender) for d in decisions] == [("OUTBOUND", NY), ("INBOUND", None), ("OUTBOUND", LA)]
    assert log_count(store) == 3


def test_message_ids_are_unique_and_time_comes_from_the_clock(store: Store):
    r = router(make_store(store))
    decisions = r.send_many([out()] * 50)
    assert len({d.message_id for d in decisions}) == 50
    assert decisions[1].at - decisions[0].at == decisions[2].at - decisions[1].at


def test_route_stream_persists_every_batch_and_decides_like_route_many(tmp_path):
    decisions = []
    for name in ("many", "stream"):
        store = make_store(Store.open(str(tmp_path / f"{name}.db")))
        r = router(store)
        reqs = [out(to=f"+1415555{n % 40:04d}", entity_id="newco" if n == 130 else "bigcola") for n in range(250)]
        reqs.insert(77, InboundRequest(from_=US, to=SF, text="hi"))
        if name == "many":
            got = r.route_many(reqs)
        else:
            got = r.route_stream(reqs, batch_size=60)
        assert log_count(store) == 251
        decisions.append([(d.status, d.sender, d.reason, d.entity_id) for d in got])
        store.dispose()
    assert decisions[0] == decisions[1]
