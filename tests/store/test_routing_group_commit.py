"""`Router.send()` from many threads: the calls waiting while one is written go together in one
transaction (store/routing/group_commit.py); each call returns its own decision once it is committed,
and the decisions are those of the same messages sent one after another."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, select

from store.db import Store
from store.routing import InboundRequest, OutboundRequest
from store.tables import MessageLog

from .routing_setup import make_store, router

THREADS, PER_THREAD = 8, 12
# Each recipient's decision does not depend on the order: one local sender per area code (GEOLOCATED),
# the one alphanumeric sender for GB.
GEO = """
sendingStrategies:
  - sendingStrategyId: GEOBIGCOLA0000000000000000000000
    platform: {applicationId: shop, entityId: bigcola}
    channel: SMS
    destinationCountryCode: US
    useStickySender: true
    useGeolocatedSender: true
"""
AREAS = ("415", "213", "212", "GB")


def _traffic(thread: int) -> list[OutboundRequest]:
    out = []
    for n in range(PER_THREAD):
        area = AREAS[(thread + n) % len(AREAS)]
        to = f"+4474009{thread:02d}{n:03d}" if area == "GB" else f"+1{area}555{thread:02d}{n:02d}"
        out.append(OutboundRequest(to=to, application_id="shop", entity_id="bigcola", text=f"t{thread} n{n}"))
    return out


def _outcome(d) -> tuple:
    return d.status, d.sender, d.reason, d.sending_strategy_id, d.error_code, [tuple(s) for s in d.trace]


def _until(check, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


def _logged(store: Store, message_id: str) -> bool:
    with store.read() as session:
        return session.execute(select(MessageLog.id).where(MessageLog.message_id == message_id)).first() is not None


def test_eight_threads_share_commits_and_get_the_decisions_of_sequential_sends(store, tmp_path):
    sequential = make_store(Store.open(str(tmp_path / "sequential.db")), GEO)
    one = router(sequential)
    expected = {req.to: _outcome(one.send(req)) for thread in range(THREADS) for req in _traffic(thread)}
    sequential.dispose()

    make_store(store, GEO)
    shared = router(store)
    shared.refresh()
    commits = []
    event.listen(store.write_engine, "commit", lambda _conn: commits.append(1))
    got: dict = {}
    unseen: list = []  # decisions not in the store when their call returned
    failures: list = []

    def sender(thread: int) -> None:
        try:
            for req in _traffic(thread):
                d = shared.send(req)
                if not _logged(store, d.message_id):
                    unseen.append(d.message_id)
                got[req.to] = d
        except BaseException as exc:  # reported by the test thread
            failures.append(exc)

    threads = [threading.Thread(target=sender, args=(t,)) for t in range(THREADS)]
    grouped = shared._grouped
    with shared._lock:  # the first caller leads and waits here (its message not yet taken) while the other seven queue
        for t in threads:
            t.start()
        _until(lambda: grouped._leading and len(grouped._waiting) == THREADS)
    for t in threads:
        t.join(30)
    assert failures == [] and unseen == []
    sends = THREADS * PER_THREAD
    assert {to: _outcome(d) for to, d in got.items()} == expected
    assert {d.reason for d in got.values()} == {"GEOLOCATED", "POOL"}
    assert len({d.bulk_id for d in got.values()}) == sends  # each call is its own bulk
    assert grouped.items == sends and len(commits) == grouped.groups <= sends - (THREADS - 1)
    with store.read() as session:
        assert len(session.scalars(select(MessageLog.message_id)).all()) == sends


def test_one_thread_sends_and_receives_one_commit_each(store):
    make_store(store, GEO)
    r = router(store)
    r.refresh()
    commits = []
    event.listen(store.write_engine, "commit", lambda _conn: commits.append(1))
    first = r.send(OutboundRequest(to="+14155550199", application_id="shop", entity_id="bigcola"))
    again = r.send(OutboundRequest(to="+14155550199", application_id="shop", entity_id="bigcola"))
    inbound = r.receive(InboundRequest(from_="+14155550199", to="+14155550100", text="hi"))
    assert (first.reason, again.reason, inbound.status) == ("GEOLOCATED", "STICKY", "ROUTED")
    assert first.bulk_id != again.bulk_id
    assert len(commits) == 3 and r._grouped.groups == 3


def test_a_failed_group_write_raises_in_its_callers_and_the_next_group_goes_on():
    from store.routing.group_commit import GroupCommit

    calls = []

    def write(take):
        items = take()
        calls.append(items)
        if "bad" in items:
            raise RuntimeError("disk full")
        return [item.upper() for item in items]

    def write_early_failure(take):
        raise RuntimeError("no store")

    group = GroupCommit(write)
    with pytest.raises(RuntimeError, match="disk full"):
        group.submit("bad")
    assert group.submit("ok") == "OK" and (group.groups, group.items) == (1, 1) and calls == [["bad"], ["ok"]]
    early = GroupCommit(write_early_failure)
    for _ in range(2):  # nothing was taken: the caller hears it and leaves nothing waiting
        with pytest.raises(RuntimeError, match="no store"):
            early.submit("x")
    assert early._waiting == [] and not early._leading
