"""The live panel's engine: generated traffic routed in batches, following setup changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from store.db import Store
from store.routing import InboundRequest, OutboundRequest
from store.setup_file import apply_setup, load_setup
from store.strategies import list_strategies, update_strategy
from store.tables import MessageLog, StickyBinding
from store.traffic_feed import DEMO_START, TrafficFeed, counting_ids, stepping_clock
from store.traffic_stats import count_sticky_bindings
from tui.commands.setup import demo_setup_text

SHOP = """
applications: [{applicationId: shop, applicationName: Shop}]
entities: [{entityId: bigcola, entityName: BigCola}]
resources:
  - {resourceId: "+14155550100", resourceType: NUMBER, numberType: TEN_DIGIT_LONG_CODE, capabilities: [SMS]}
  - {resourceId: "+14155550101", resourceType: NUMBER, numberType: TEN_DIGIT_LONG_CODE, capabilities: [SMS]}
associations:
  - {resourceType: NUMBER, resourceId: "+14155550100", channel: SMS, applicationId: shop, entityId: bigcola}
  - {resourceType: NUMBER, resourceId: "+14155550101", channel: SMS, applicationId: shop, entityId: bigcola}
sendingStrategies:
  - platform: {applicationId: shop, entityId: bigcola}
    channel: SMS
    useStickySender: false
    useGeolocatedSender: true
"""
NEW_YORK_NUMBER = """
resources:
  - {resourceId: "+12125550100", resourceType: NUMBER, numberType: TEN_DIGIT_LONG_CODE, capabilities: [SMS]}
associations:
  - {resourceType: NUMBER, resourceId: "+12125550100", channel: SMS, applicationId: shop, entityId: bigcola}
"""
TO_NEW_YORK = OutboundRequest(to="+12125551234", channel="SMS", application_id="shop", entity_id="bigcola")


def apply(store: Store, text: str) -> None:
    with store.write() as session:
        apply_setup(session, load_setup(text))


@pytest.fixture
def sqlite_store(tmp_path):
    s = Store.open(str(tmp_path / "feed.db"))
    yield s
    s.dispose()


def demo_store(path) -> Store:
    s = Store.open(str(path))
    apply(s, demo_setup_text())
    return s


def deterministic_feed(store: Store, seed: int = 7) -> TrafficFeed:
    return TrafficFeed(store, seed=seed, clock=stepping_clock(), message_ids=counting_ids())


def test_same_seed_same_clock_gives_the_same_decisions(tmp_path):
    first, second = demo_store(tmp_path / "a.db"), demo_store(tmp_path / "b.db")
    try:
        a = [d.as_json() for d in deterministic_feed(first).run_batch(300).decisions]
        feed = deterministic_feed(second)
        b = [d.as_json() for n in (1, 99, 200) for d in feed.run_batch(n).decisions]
    finally:
        first.dispose()
        second.dispose()
    assert a == b  # batch sizes do not change the stream
    assert {d["direction"] for d in a} == {"OUTBOUND", "INBOUND"}
    assert {d["status"] for d in a} == {"ROUTED", "REJECTED"}


def test_a_batch_is_routed_logged_and_counted(tmp_path):
    store = demo_store(tmp_path / "demo.db")
    try:
        feed = deterministic_feed(store)
        batch = feed.run_batch(250)
        with store.read() as session:
            logged = session.exec(select(func.count()).select_from(MessageLog)).one()
            bindings = count_sticky_bindings(session)
    finally:
        store.dispose()
    decisions = batch.decisions
    assert len(decisions) == 250 and logged == 250
    assert batch.stats.decisions == 250 and list(batch.stats.throughput) == [250]
    outbound = [d for d in decisions if d.direction == "OUTBOUND"]
    assert batch.stats.total.sent == sum(d.routed for d in outbound)
    assert batch.stats.total.rejected_total == sum(not d.routed for d in outbound)
    assert batch.stats.total.landed == sum(d.routed for d in decisions if d.direction == "INBOUND")
    assert batch.stats.sticky_bindings == bindings > 0
    # Times come from the stepping clock, one reading per decision.
    assert decisions[0].at == DEMO_START and decisions[1].at == DEMO_START + timedelta(milliseconds=50)
    assert [d.message_id for d in decisions[:2]] == ["msg-000001", "msg-000002"]


def test_adding_a_local_number_changes_the_next_decision(sqlite_store):
    apply(sqlite_store, SHOP)
    feed = deterministic_feed(sqlite_store)
    before = feed.send(TO_NEW_YORK)
    assert not before.setup_changed
    d = before.decisions[0]
    assert (d.status, d.reason, d.sender) == ("ROUTED", "POOL", "+14155550100")
    steps = {s.step: s.detail for s in d.trace}
    assert steps["pool"].startswith("2 associated") and steps["geolocated"].startswith("no local sender")

    apply(sqlite_store, NEW_YORK_NUMBER)  # as the dashboard's other screens would
    after = feed.send(TO_NEW_YORK)
    assert after.setup_changed and after.revision == sqlite_store.revision()
    d = after.decisions[0]
    assert (d.status, d.reason, d.sender) == ("ROUTED", "GEOLOCATED", "+12125550100")
    steps = {s.step: s.detail for s in d.trace}  # the trace shows what changed
    assert steps["pool"].startswith("3 associated") and steps["geolocated"] == "1 with area code 212"


def test_turning_sticky_on_binds_the_next_recipient(sqlite_store):
    apply(sqlite_store, SHOP)
    feed = deterministic_feed(sqlite_store)
    to_chicago = OutboundRequest(to="+13125551234", channel="SMS", application_id="shop", entity_id="bigcola")
    senders = [feed.send(to_chicago).decisions[0].sender for _ in range(2)]
    assert senders == ["+14155550100", "+14155550101"]  # least recently used, no stickiness

    with sqlite_store.write() as session:
        strategy = list_strategies(session).results[0]
        update_strategy(session, strategy.sending_strategy_id, use_sticky_sender=True)
    first, second = feed.send(to_chicago).decisions[0], feed.send(to_chicago).decisions[0]
    assert (first.reason, first.sender) == ("POOL", "+14155550100")
    assert (second.reason, second.sender) == ("STICKY", "+14155550100")
    assert any(s.step == "sticky" for s in second.trace)
    with sqlite_store.read() as session:
        assert session.exec(select(func.count()).select_from(StickyBinding)).one() == 1
    assert feed.stats.sticky_bindings == 1


def test_the_generator_follows_the_setup_too(sqlite_store):
    apply(sqlite_store, SHOP)
    feed = deterministic_feed(sqlite_store)
    assert all(d.to != "+12125550100" for d in feed.run_batch(50).decisions if d.direction == "INBOUND")
    apply(sqlite_store, NEW_YORK_NUMBER)
    batch = feed.run_batch(400)
    assert batch.setup_changed
    assert any(d.direction == "INBOUND" and d.to == "+12125550100" for d in batch.decisions)


def test_inbound_by_hand_and_bad_input(sqlite_store):
    apply(sqlite_store, SHOP)
    feed = deterministic_feed(sqlite_store)
    d = feed.send(InboundRequest(from_="+13125550000", to="+14155550100", channel="SMS", text="hi")).decisions[0]
    assert (d.direction, d.status, d.reason, d.application_id) == ("INBOUND", "ROUTED", "NUMBER", "default")
    assert feed.stats.by_application["default"].landed == 1
    from store.errors import StoreError

    with pytest.raises(StoreError) as err:
        feed.send(OutboundRequest(to="", channel="SMS"))
    assert err.value.field == "to"
    assert feed.stats.decisions == 1  # nothing counted for bad input
