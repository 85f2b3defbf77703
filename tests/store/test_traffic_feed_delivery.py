"""The live panel's engine delivers too: due messages reach their final status and are counted."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from store.delivery_profile import parse_profile
from store.routing import OutboundRequest, Router
from store.tables import MessageLog
from store.traffic_feed import DEMO_START, TrafficFeed, counting_ids, stepping_clock

from .test_traffic_feed import SHOP, apply, demo_store, sqlite_store  # noqa: F401 (fixture)

FAIL_AFTER_1S = parse_profile(
    "name: failing\nseed: 1\nmix: [{status: UNDELIVERABLE, share: 1, delay: 1, errors: {EC_UNKNOWN_SUBSCRIBER: 1}}]"
)
DELIVER_AFTER_2S = parse_profile("name: two-seconds\nseed: 1\nmix: [{status: DELIVERED, share: 1, delay: 2}]")
TO_SHOP = OutboundRequest(to="+14155551234", channel="SMS", application_id="shop", entity_id="bigcola")


def driven_feed(store, profile=None) -> TrafficFeed:
    return TrafficFeed(store, clock=stepping_clock(), message_ids=counting_ids(), delivery=profile)


def test_due_messages_move_in_the_batch_that_passes_their_time(sqlite_store):
    apply(sqlite_store, SHOP)
    feed = driven_feed(sqlite_store, DELIVER_AFTER_2S)
    first = feed.send(TO_SHOP)  # at DEMO_START: due at +2 s
    assert first.moved == ()
    assert first.stats.total.pending == 1
    # Each reading of the driven clock is 50 ms on: the 40th message after it is sent at +2.0 s.
    for _ in range(39):
        assert feed.send(TO_SHOP).moved == ()
    batch = feed.send(TO_SHOP)
    assert [m.message_id for m in batch.moved] == ["msg-000001"]
    moved = batch.moved[0]
    assert (moved.general_status, moved.status_id, moved.error_id) == ("DELIVERED", 5, 0)
    assert moved.done_at == DEMO_START + timedelta(seconds=2)
    assert (moved.application_id, moved.entity_id) == ("shop", "bigcola")
    counts = batch.stats.by_application["shop"]
    assert (counts.sent, counts.delivered, counts.pending) == (41, 1, 40)
    assert batch.stats.by_entity["bigcola"].delivered == 1
    with sqlite_store.read() as session:
        row = session.exec(select(MessageLog).where(MessageLog.message_id == "msg-000001")).one()
    assert (row.general_status, row.queued) == ("DELIVERED", True)


def test_advance_alone_delivers_without_routing(sqlite_store):
    apply(sqlite_store, SHOP)
    feed = driven_feed(sqlite_store, DELIVER_AFTER_2S)
    assert feed.advance().moved == ()  # nothing routed: a driven clock has not started
    feed.send(TO_SHOP)
    feed.latest += timedelta(seconds=2)
    batch = feed.advance()
    assert [m.message_id for m in batch.moved] == ["msg-000001"]
    assert batch.decisions == [] and batch.stats.decisions == 1
    assert list(batch.stats.throughput) == [1]  # advancing is not a traffic sample


def test_switching_the_profile_changes_only_what_is_routed_next(sqlite_store):
    apply(sqlite_store, SHOP)
    feed = driven_feed(sqlite_store, DELIVER_AFTER_2S)
    feed.send(TO_SHOP)
    feed.set_profile(FAIL_AFTER_1S)
    assert feed.profile.name == "failing"
    feed.send(TO_SHOP)
    feed.latest += timedelta(seconds=3)
    moved = {m.message_id: m.general_status for m in feed.advance().moved}
    assert moved == {"msg-000001": "DELIVERED", "msg-000002": "UNDELIVERABLE"}
    stats = feed.advance().stats
    assert (stats.total.delivered, stats.total.undeliverable, stats.total.expired) == (1, 1, 0)


def test_messages_sent_elsewhere_are_delivered_and_counted_too(sqlite_store):
    apply(sqlite_store, SHOP)
    feed = TrafficFeed(sqlite_store, delivery=DELIVER_AFTER_2S)  # the wall clock
    other = Router(sqlite_store, delivery=parse_profile("seed: 3\nmix: [{status: EXPIRED, share: 1, delay: 0}]"))
    sent = other.send(TO_SHOP)
    moved = feed.advance().moved
    assert [(m.message_id, m.general_status) for m in moved] == [(sent.message_id, "EXPIRED")]


def test_a_replay_delivers_the_same_messages_at_the_same_steps(tmp_path):
    runs = []
    for name in ("a.db", "b.db"):
        feed = driven_feed(demo_store(tmp_path / name))
        runs.append([[m.message_id for m in feed.run_batch(40).moved] for _ in range(5)])
    assert runs[0] == runs[1]
    assert sum(len(step) for step in runs[0]) > 20


def test_messages_routed_by_other_programs_come_back_once_with_their_trace(sqlite_store):
    apply(sqlite_store, SHOP)
    feed = driven_feed(sqlite_store, DELIVER_AFTER_2S)
    own = feed.send(TO_SHOP)
    assert own.foreign == []  # the feed's own message is not "foreign"
    other = Router(sqlite_store, clock=lambda: DEMO_START,
                   delivery=parse_profile("seed: 3\nmix: [{status: EXPIRED, share: 1, delay: 0}]"))
    sent = other.send(OutboundRequest(to="+14155559876", channel="SMS", application_id="shop", entity_id="bigcola"))
    batch = feed.send(TO_SHOP)
    [(decision, final)] = batch.foreign
    assert decision.message_id == sent.message_id
    assert (decision.sender, decision.reason, decision.to) == (sent.sender, sent.reason, "+14155559876")
    assert [s.step for s in decision.trace] == [s.step for s in sent.trace]
    assert decision.delivery.status.group_name == "EXPIRED"
    # Due at once: this batch's delivery moved it, so its report is counted once, not twice.
    assert [m.message_id for m in batch.moved] == [sent.message_id]
    assert batch.stats.total.expired == 1 and batch.stats.total.sent == 3
    assert feed.send(TO_SHOP).foreign == []  # read once


def test_a_report_another_process_moved_first_still_reaches_the_feed_once(sqlite_store):
    from store.delivery import advance

    apply(sqlite_store, SHOP)
    feed = driven_feed(sqlite_store, DELIVER_AFTER_2S)
    first = feed.send(TO_SHOP).decisions[0]
    # Another process (the API's ticker, `cpaasx reports`) delivers it before the feed looks.
    assert advance(sqlite_store, DEMO_START + timedelta(seconds=5)).moved == 1
    feed.latest = DEMO_START + timedelta(seconds=2)
    batch = feed.advance()
    assert [(m.message_id, m.general_status) for m in batch.moved] == [(first.message_id, "DELIVERED")]
    assert batch.stats.total.delivered == 1
    assert feed.advance().moved == () and feed.advance().stats.total.delivered == 1
