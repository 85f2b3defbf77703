"""Grouped writes: concurrent callers' sends routed in arrival order and committed together, each
caller answered with its own outcome (routed, refused by its key, or its own bad input)."""

from __future__ import annotations

import threading
import time

import pytest

from store import keys, message_log
from store.errors import StoreError
from store.routing import OutboundRequest
from store.routing.grouped import GroupedSender
from store.routing.router import Router
from store.setup_file import apply_setup, load_setup

from .test_setup_file import CONTRACT_EXAMPLE

LINKED = "k-bigcola-prod-0001"


def _until(check, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_requests_waiting_while_one_is_written_go_together_in_one_transaction(store):
    with store.write() as session:
        apply_setup(session, load_setup(CONTRACT_EXAMPLE))
        keys.create_api_key(session, "admin", secret="admin-secret-0001")
    router = Router(store)
    grouped = GroupedSender(router)
    asks = [
        [OutboundRequest(to="+14155550121", application_id="shop", entity_id="bigcola", api_key=LINKED)],
        [OutboundRequest(to="+14155550122", api_key=LINKED, application_id="default")],  # FORBIDDEN for this key
        [OutboundRequest(to="+14155550123", application_id="shop", entity_id="bad id!")],  # bad input
        [OutboundRequest(to="+14155550124", application_id="shop", entity_id="bigcola"),
         OutboundRequest(to="+14155550121", application_id="shop", entity_id="bigcola")],
        [OutboundRequest(to="+14155550125", application_id="shop", entity_id="bigcola", api_key=LINKED)],
    ]
    results: dict = {}
    entered, send_groups = threading.Event(), router.send_groups

    def spy(groups):
        entered.set()
        return send_groups(groups)

    router.send_groups = spy

    def call(position):
        try:
            results[position] = grouped.send_unless_refused(asks[position])
        except StoreError as exc:
            results[position] = exc

    try:
        with router._lock:  # the writer takes the first request, then waits here while the rest queue
            threads = [threading.Thread(target=call, args=(0,))]
            threads[0].start()
            _until(entered.is_set)
            for position in range(1, len(asks)):
                threads.append(threading.Thread(target=call, args=(position,)))
                threads[-1].start()
            _until(lambda: grouped._queue.qsize() == len(asks) - 1)
        for thread in threads:
            thread.join(10)
    finally:
        grouped.close()
    assert (grouped.transactions, grouped.requests) == (2, 5)  # the first alone, then the four that waited
    assert [r[0] for r in (results[0], results[1], results[3], results[4])] == [
        None, (0, "FORBIDDEN", "API key bigcola-prod is linked to shop/bigcola, not default/bigcola"), None, None]
    assert isinstance(results[2], StoreError) and results[2].field == "entityId"
    assert [d.reason for d in results[3][1]] == ["GEOLOCATED", "STICKY"]  # saw the first group's binding
    assert results[0][1][0].bulk_id != results[3][1][0].bulk_id == results[3][1][1].bulk_id
    with store.read() as session:
        logged = [r.destination for r in reversed(message_log.recent(session, 10))]
    assert logged == ["+14155550121", "+14155550124", "+14155550121", "+14155550125"]


@pytest.mark.parametrize("call", ["thread", "event loop"])
def test_a_failed_write_reaches_every_caller_of_its_transaction(store, call):
    import asyncio

    router = Router(store)
    grouped = GroupedSender(router)

    def broken(batch):
        raise RuntimeError("disk full")

    router._write = broken
    send = [OutboundRequest(to="+14155550121")]
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            if call == "thread":
                grouped.send_unless_refused(send)
            else:
                asyncio.run(grouped.send_async(send))
    finally:
        grouped.close()


def test_sends_awaited_on_an_event_loop_are_grouped_and_each_answered_with_its_own_outcome(store):
    import asyncio

    with store.write() as session:
        apply_setup(session, load_setup(CONTRACT_EXAMPLE))
    router = Router(store)
    grouped = GroupedSender(router)
    asks = [[OutboundRequest(to=f"+1415555012{n}", application_id="shop", entity_id="bigcola")] for n in range(4)]
    asks.append([OutboundRequest(to="+14155550129", application_id="shop", entity_id="bad id!")])

    async def main():
        with router._lock:  # the writer waits for the router: every send queues meanwhile
            tasks = [asyncio.ensure_future(grouped.send_async(ask)) for ask in asks]
            # One turn of the loop runs each task up to its await, so every job is queued (the writer may
            # already hold some of them, blocked on the router). Polling the queue instead hung for good
            # when the writer had taken several jobs at once.
            await asyncio.sleep(0)
            assert all(not t.done() for t in tasks)
        return await asyncio.gather(*tasks, return_exceptions=True)

    try:
        results = asyncio.run(main())
    finally:
        grouped.close()
    assert grouped.requests == 5 and grouped.transactions <= 2  # the first may have gone alone
    assert [r[0] for r in results[:4]] == [None] * 4
    assert [r[1][0].to for r in results[:4]] == [f"+1415555012{n}" for n in range(4)]
    assert isinstance(results[4], StoreError) and results[4].field == "entityId"
    with store.read() as session:
        assert sorted(r.destination for r in message_log.recent(session, 10)) == [
            f"+1415555012{n}" for n in range(4)]
