"""The live feed in a process of its own: the same decisions, rows and counters as routing in this one."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from sqlalchemy import func
from sqlmodel import select

from store.db import Store
from store.errors import StoreError
from store.routing import OutboundRequest
from store.setup_apply import apply_text
from store.tables import MessageLog
from store.traffic_feed import TrafficFeed
from store.traffic_remote import RemoteFeed, shareable
from tui.commands.setup import demo_setup_text


def demo_store(path) -> Store:
    store = Store.open(str(path))
    apply_text(store, demo_setup_text())
    return store


def outcome(decision) -> tuple:
    return (decision.direction, decision.to, decision.from_, decision.routed, decision.sender, decision.reason,
            decision.error_code, decision.application_id, decision.entity_id)


def test_the_child_routes_what_this_process_would_and_writes_every_row(tmp_path):
    here, there = demo_store(tmp_path / "here.db"), demo_store(tmp_path / "there.db")
    local = TrafficFeed(here, seed=7)
    remote = RemoteFeed(there, seed=7)
    try:
        assert remote.pid != os.getpid()
        assert remote.profile.name == local.profile.name and remote.revision == local.revision
        batches = [remote.run_batch(40) for _ in range(3)]
        expected = [outcome(d) for _ in range(3) for d in local.run_batch(40).decisions]
        routed = [d for batch in batches for d in batch.decisions]
        assert [outcome(d) for d in routed] == expected
        assert batches[-1].stats.decisions == 120
        total = batches[-1].stats.total
        assert total.sent + total.rejected_total + total.landed + sum(batches[-1].stats.inbound_rejected.values()) == 120
        with there.read() as session:
            ids = set(session.exec(select(MessageLog.message_id)).all())
        assert ids == {d.message_id for d in routed}
    finally:
        remote.close()
        here.dispose()
        there.dispose()
    assert remote._process.returncode == 0


def test_a_refused_request_comes_back_as_a_store_error_with_its_code(tmp_path):
    store = demo_store(tmp_path / "store.db")
    remote = RemoteFeed(store, seed=7)
    try:
        with pytest.raises(StoreError) as raised:
            remote.send(OutboundRequest(to="+14155550123", channel="FAX", application_id="shop"))
        error = raised.value
        assert (error.code, error.field, error.message) == ("INVALID_INPUT", "channel", "'FAX' is not one of SMS, MMS")
        assert str(error) == "channel: 'FAX' is not one of SMS, MMS"
        assert remote.send(OutboundRequest(to="+14155550123", channel="SMS", application_id="shop")).by_hand
        with store.read() as session:
            assert session.exec(select(func.count()).select_from(MessageLog)).one() == 1
    finally:
        remote.close()
        store.dispose()


def test_only_a_store_another_process_can_open_is_shared():
    assert not shareable(SimpleNamespace(is_sqlite=True, url="sqlite://"))
    assert not shareable(SimpleNamespace(is_sqlite=True, url="sqlite:///:memory:"))
    assert shareable(SimpleNamespace(is_sqlite=True, url="sqlite:////tmp/store.db"))
    assert shareable(SimpleNamespace(is_sqlite=False, url="postgresql+psycopg://cpaasx@127.0.0.1/cpaasx"))
