"""Read-once queues: each report and inbound message handed out once, in order, with what is left."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from store import delivery, queues
from store.db import Store
from store.delivery_profile import parse_profile
from store.errors import InvalidInput
from store.routing import InboundRequest, OutboundRequest, Router

from .routing_setup import NY, SF, START, make_store

US = "+14155550123"
PROFILE = parse_profile("""
seed: 5
mix:
  - {status: DELIVERED, share: 0.5, delay: {min: 1, max: 9}}
  - {status: UNDELIVERABLE, share: 0.5, delay: 4, errors: {EC_UNKNOWN_SUBSCRIBER: 1}}
""")


def deliver(store: Store, count: int) -> list:
    ids = iter(f"msg-{i:05d}" for i in range(1 << 20))
    router = Router(store, clock=lambda: START, message_ids=lambda: next(ids), delivery=PROFILE)
    decisions = router.route_many([OutboundRequest(to=US, application_id="shop", entity_id="bigcola", text=f"n{i}")
                                   for i in range(count)])
    delivery.advance(store, START + timedelta(seconds=10))
    return decisions


def test_reports_are_handed_out_once_oldest_first(store: Store):
    make_store(store)
    decisions = deliver(store, 12)
    assert queues.waiting(store, queues.REPORTS) == 12
    first = queues.pull_reports(store, limit=5, now=START + timedelta(seconds=11))
    assert (len(first.results), first.pending) == (5, 7)
    rest = queues.pull_reports(store, limit=50)
    assert (len(rest.results), rest.pending) == (7, 0)
    assert queues.pull_reports(store).as_json() == {"results": [], "messageCount": 0, "pendingMessageCount": 0}
    got = first.results + rest.results
    assert sorted(r["messageId"] for r in got) == sorted(d.message_id for d in decisions)
    done = [r["doneAt"] for r in got]
    assert done == sorted(done)  # in the order they reached their final status
    undeliverable = next(r for r in got if r["status"]["groupName"] == "UNDELIVERABLE")
    assert undeliverable == {
        "bulkId": decisions[0].bulk_id, "messageId": undeliverable["messageId"], "to": US, "from": NY,
        "sentAt": "2025-03-01T12:00:00.000+0000", "doneAt": "2025-03-01T12:00:04.000+0000",
        "status": {"groupId": 2, "groupName": "UNDELIVERABLE", "id": 9, "name": "UNDELIVERABLE_NOT_DELIVERED",
                   "description": "Message sent but not delivered to the handset"},
        "error": {"groupId": 1, "groupName": "HANDSET_ERRORS", "id": 1, "name": "EC_UNKNOWN_SUBSCRIBER",
                  "description": "The number does not belong to any subscriber", "permanent": True},
        "applicationId": "shop", "entityId": "bigcola",
    }


def test_reports_can_be_filtered_and_the_rest_keep_waiting(store: Store):
    make_store(store)
    decisions = deliver(store, 4)
    one = queues.pull_reports(store, message_id=decisions[2].message_id)
    assert ([r["messageId"] for r in one.results], one.pending) == ([decisions[2].message_id], 0)
    assert queues.waiting(store, queues.REPORTS) == 3
    assert queues.pull_reports(store, application_id="support").results == []


def test_the_inbox_hands_out_routed_inbound_messages_once(store: Store):
    make_store(store, """
inboundConfigurations:
  - {resourceId: "+14155550100", channel: SMS, keyword: JOIN, applicationId: shop, entityId: bigcola}
""")
    router = Router(store, clock=lambda: START)
    first = router.receive(InboundRequest(from_=US, to=SF, text="join now please"))
    router.receive(InboundRequest(from_=US, to="+19999999999", text="lost"))  # rejected: not a number of ours
    second = router.receive(InboundRequest(from_=US, to=SF, text="hello"))
    pulled = queues.pull_inbox(store, limit=1)
    assert pulled.pending == 1
    assert pulled.results == [{
        "messageId": first.message_id, "from": US, "to": SF, "text": "join now please", "cleanText": "now please",
        "keyword": "JOIN", "receivedAt": "2025-03-01T12:00:00.000+0000", "applicationId": "shop",
        "entityId": "bigcola",
    }]
    again = queues.pull_inbox(store)
    assert ([m["messageId"] for m in again.results], again.pending) == ([second.message_id], 0)
    assert queues.pull_inbox(store).results == []


@pytest.mark.parametrize("limit", [0, 1001, -3, "5", True])
def test_a_limit_out_of_range_is_refused(store: Store, limit):
    with pytest.raises(InvalidInput) as caught:
        queues.pull_reports(store, limit=limit)
    assert caught.value.field == "limit"


def test_two_pullers_at_once_get_disjoint_sets_that_cover_everything(store: Store):
    make_store(store)
    decisions = deliver(store, 600)
    readers = [Store.open(store.url) for _ in range(2)]
    got: list[list[str]] = [[], []]
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def puller(n: int) -> None:
        try:
            start.wait()
            while True:
                pulled = queues.pull_reports(readers[n], limit=7)
                if not pulled.results:
                    return
                got[n].extend(r["messageId"] for r in pulled.results)
                time.sleep(0.002)  # let the other one in: SQLite's busy wait alone may starve it
        except BaseException as exc:  # noqa: BLE001  (reported below)
            failures.append(exc)

    threads = [threading.Thread(target=puller, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for reader in readers:
        reader.dispose()
    assert failures == []
    assert got[0] and got[1]  # both took part
    assert set(got[0]).isdisjoint(got[1])
    assert len(got[0]) + len(got[1]) == 600
    assert set(got[0]) | set(got[1]) == {d.message_id for d in decisions}
    assert queues.waiting(store, queues.REPORTS) == 0


def test_the_queue_query_uses_its_partial_index(tmp_path):
    from sqlalchemy import func, select
    store = Store.open(str(tmp_path / "plan.db"))
    where = queues._waiting(queues.REPORTS)
    with store.engine.connect() as connection:
        for statement in (select(queues._C.id).where(*where).order_by(queues._C.done_at, queues._C.id),
                          select(func.count()).select_from(queues._LOG).where(*where)):
            sql = str(statement.compile(store.engine, compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(r[-1]) for r in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            assert "ix_log_queue" in plan and "TEMP B-TREE" not in plan, plan
    store.dispose()
