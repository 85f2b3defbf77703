"""Counters per application and per entity, from decisions."""

from __future__ import annotations

from datetime import UTC, datetime

from store.routing.model import Decision
from store.traffic_stats import Counts, TrafficStats, count_sticky_bindings
from store.tables import StickyBinding

AT = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def out(app, entity, code=None):
    return Decision(
        status="REJECTED" if code else "ROUTED", direction="OUTBOUND", channel="SMS", message_id="m",
        at=AT, application_id=app, entity_id=entity, error_code=code,
    )


def inbound(app, entity, code=None):
    return Decision(
        status="REJECTED" if code else "ROUTED", direction="INBOUND", channel="SMS", message_id="m",
        at=AT, application_id=app, entity_id=entity, error_code=code,
    )


def test_sent_rejected_by_code_and_landed_per_application_and_entity():
    stats = TrafficStats()
    stats.record_batch([
        out("shop", "bigcola"),
        out("shop", "bigcola"),
        out("shop", "bigcola", "NO_ELIGIBLE_SENDER"),
        out("shop", None, "INVALID_DESTINATION"),
        out("bank", "acme"),
        inbound("shop", "bigcola"),
        inbound("bank", None),
    ])
    shop, bank = stats.by_application["shop"], stats.by_application["bank"]
    assert (shop.sent, dict(shop.rejected), shop.landed) == (2, {"NO_ELIGIBLE_SENDER": 1, "INVALID_DESTINATION": 1}, 1)
    assert (bank.sent, dict(bank.rejected), bank.landed) == (1, {}, 1)
    bigcola, acme, none = stats.by_entity["bigcola"], stats.by_entity["acme"], stats.by_entity[None]
    assert (bigcola.sent, dict(bigcola.rejected), bigcola.landed) == (2, {"NO_ELIGIBLE_SENDER": 1}, 1)
    assert (acme.sent, acme.rejected_total, acme.landed) == (1, 0, 0)
    assert (none.sent, dict(none.rejected), none.landed) == (0, {"INVALID_DESTINATION": 1}, 1)
    assert (stats.total.sent, stats.total.rejected_total, stats.total.landed) == (3, 2, 2)
    assert stats.decisions == 7


def test_rows_add_up_to_the_total_for_billing():
    stats = TrafficStats()
    decisions = [out("a", "x"), out("a", "y", "FORBIDDEN"), out("b", None), inbound("b", "x"), out("c", "y")]
    stats.record_batch(decisions)
    for rows in (stats.application_rows(), stats.entity_rows()):
        assert sum(r.counts.sent for r in rows) == stats.total.sent == 3
        assert sum(r.counts.rejected_total for r in rows) == stats.total.rejected_total == 1
        assert sum(r.counts.landed for r in rows) == stats.total.landed == 1


def test_inbound_that_lands_nowhere_is_counted_by_code_only():
    stats = TrafficStats()
    stats.record_batch([inbound(None, None, "UNKNOWN_NUMBER"), inbound(None, None, "UNKNOWN_NUMBER"),
                        inbound(None, None, "NOT_ASSOCIATED")])
    assert stats.inbound_rejected == {"UNKNOWN_NUMBER": 2, "NOT_ASSOCIATED": 1}
    assert stats.by_application == {} and stats.by_entity == {}
    assert stats.total.total == 0 and stats.decisions == 3


def test_rows_are_ranked_busiest_first_then_by_id():
    stats = TrafficStats()
    stats.record_batch([out("b", None), out("a", None), out("c", None), out("c", None)])
    assert [r.key for r in stats.application_rows()] == ["c", "a", "b"]


def test_codes_are_listed_most_frequent_first():
    counts = Counts()
    counts.rejected.update(["B_CODE", "A_CODE", "B_CODE", "C_CODE"])
    assert counts.codes() == "B_CODE 2, A_CODE 1, C_CODE 1"


def test_throughput_keeps_one_sample_per_batch_and_stays_bounded():
    stats = TrafficStats(samples=5)
    for size in range(8):
        stats.record_batch([out("a", None)] * size)
    assert list(stats.throughput) == [3, 4, 5, 6, 7]
    assert stats.total.sent == sum(range(8))


def test_snapshot_is_independent_of_later_counting():
    stats = TrafficStats()
    stats.record_batch([out("a", "x", "FORBIDDEN")])
    stats.sticky_bindings = 4
    snap = stats.snapshot()
    stats.record_batch([out("a", "x", "FORBIDDEN"), out("a", "x")])
    assert snap.by_application["a"].rejected == {"FORBIDDEN": 1}
    assert snap.by_application["a"].sent == 0 and snap.decisions == 1
    assert list(snap.throughput) == [1] and snap.sticky_bindings == 4
    assert stats.by_application["a"].rejected == {"FORBIDDEN": 2}


def test_sticky_bindings_are_counted_from_the_store(store):
    with store.write(bump=False) as session:
        for n in range(3):
            session.add(StickyBinding(application_id="default", channel="SMS", destination=f"+1415555010{n}",
                                      sender="+14155550100", bound_at=AT))
    with store.read() as session:
        assert count_sticky_bindings(session) == 3


def test_a_pickled_snapshot_has_every_figure_of_the_original():
    # The traffic process hands a snapshot over with every batch (store.traffic_remote).
    import pickle
    from collections import Counter
    from types import SimpleNamespace

    stats = TrafficStats(samples=5)
    stats.record_batch([out("shop", "bigcola"), out("shop", None, "NO_ELIGIBLE_SENDER"), inbound("alerts", "bank"),
                        inbound(None, None, "UNKNOWN_NUMBER")])
    stats.record_batch([out("shop", "bigcola", "INVALID_DESTINATION")])
    stats.record_final([SimpleNamespace(general_status="DELIVERED", application_id="shop", entity_id="bigcola")])
    stats.sticky_bindings = 3
    copy = pickle.loads(pickle.dumps(stats.snapshot()))
    assert copy.by_application == stats.by_application and copy.by_entity == stats.by_entity
    assert copy.total == stats.total and copy.total.rejected == Counter(NO_ELIGIBLE_SENDER=1, INVALID_DESTINATION=1)
    assert copy.inbound_rejected == Counter(UNKNOWN_NUMBER=1)
    assert (copy.decisions, list(copy.throughput), copy.throughput.maxlen, copy.sticky_bindings) == (5, [4, 1], 5, 3)
    bigcola = copy.by_entity["bigcola"]
    assert (bigcola.sent, bigcola.delivered, bigcola.expired, bigcola.final["DELIVERED"]) == (1, 1, 0, 1)
    assert type(bigcola.rejected) is Counter and type(copy.by_entity[None].final) is Counter
    copy.by_entity[None].final["EXPIRED"] += 1  # the copy counts on like the original
    assert copy.by_entity[None].expired == 1 and stats.by_entity[None].expired == 0
