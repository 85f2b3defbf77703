"""Delivery over time on a driven clock: exact times, the profile's shares, restarts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from store import delivery
from store.db import Store
from store.delivery_profile import parse_profile
from store.routing import InboundRequest, OutboundRequest, Router
from store.tables import MessageLog

from .routing_setup import SF, START, make_store, stepping_clock

US = "+14155550123"
FIVE_SECONDS = parse_profile("seed: 3\nmix: [{status: DELIVERED, share: 1, delay: 5}]", "five")
MIXED = parse_profile("""
seed: 11
mix:
  - {status: DELIVERED, share: 0.7, delay: {min: 1, max: 3}}
  - {status: UNDELIVERABLE, share: 0.2, delay: 2, errors: {EC_UNKNOWN_SUBSCRIBER: 1}}
  - {status: EXPIRED, share: 0.1, delay: 30}
""", "mixed")


def send(store: Store, count: int, clock=None) -> list:
    """`count` messages left unplanned (the router draws no plan): `delivery.plan` does it."""
    router = Router(store, clock=clock or (lambda: START), delivery=None)
    return router.route_many([OutboundRequest(to=US, application_id="shop", entity_id="bigcola")
                              for _ in range(count)])


def states(store: Store) -> list[tuple]:
    c = MessageLog.__table__.c
    with store.read() as session:
        return [tuple(r) for r in session.execute(
            select(c.general_status, c.status_id, c.error_id, c.done_at, c.queued, func.count())
            .where(c.direction == "OUTBOUND")
            .group_by(c.general_status, c.status_id, c.error_id, c.done_at, c.queued)
            .order_by(c.general_status, c.done_at))]


def test_everything_delivered_exactly_five_seconds_after_it_was_sent(store: Store):
    make_store(store)
    send(store, 40)
    assert delivery.plan(store, FIVE_SECONDS) == 40
    just_before = delivery.advance(store, START + timedelta(seconds=5) - timedelta(microseconds=1), FIVE_SECONDS)
    assert (just_before.planned, just_before.moved) == (0, 0)
    assert states(store) == [("PENDING", 26, None, None, None, 40)]
    at_five = delivery.advance(store, START + timedelta(seconds=5), FIVE_SECONDS)
    assert (at_five.planned, at_five.moved, at_five.by_status) == (0, 40, {"DELIVERED": 40})
    assert states(store) == [("DELIVERED", 5, 0, START + timedelta(seconds=5), True, 40)]
    assert delivery.advance(store, START + timedelta(hours=1)).moved == 0  # nothing moves twice


def test_each_message_lands_at_its_own_sent_time_plus_the_delay(store: Store):
    make_store(store)
    clock = delivery.ManualClock(START)
    router = Router(store, clock=clock, delivery=None)
    first = router.send(OutboundRequest(to=US, application_id="shop", entity_id="bigcola"))
    clock.tick(3)
    second = router.send(OutboundRequest(to=US, application_id="shop", entity_id="bigcola"))
    delivery.plan(store, FIVE_SECONDS)
    assert delivery.advance(store, clock.tick(2)).moved == 1  # START + 5 s: the first only
    assert delivery.advance(store, clock.tick(2.999)).moved == 0
    assert delivery.advance(store, clock.tick(0.001)).moved == 1  # START + 8 s
    c = MessageLog.__table__.c
    with store.read() as session:
        done = dict(session.execute(select(c.message_id, c.done_at)).all())
    assert done == {first.message_id: START + timedelta(seconds=5), second.message_id: START + timedelta(seconds=8)}


def test_a_seeded_mix_of_10_000_messages_lands_within_two_percent(tmp_path):
    store = make_store(Store.open(str(tmp_path / "mix.db")))
    send(store, 10_000, stepping_clock(step=timedelta(milliseconds=1)))
    result = delivery.advance(store, START + timedelta(minutes=5), MIXED)
    assert (result.planned, result.moved) == (10_000, 10_000)
    shares = {name: n / 10_000 for name, n in result.by_status.items()}
    assert set(shares) == {"DELIVERED", "UNDELIVERABLE", "EXPIRED"}
    assert abs(shares["DELIVERED"] - 0.7) < 0.02
    assert abs(shares["UNDELIVERABLE"] - 0.2) < 0.02
    assert abs(shares["EXPIRED"] - 0.1) < 0.02
    c = MessageLog.__table__.c
    with store.read() as session:
        errors = set(session.execute(select(c.general_status, c.status_id, c.error_id).distinct()).all())
        delays = session.execute(select(c.general_status, c.at, c.done_at)).all()
    assert errors == {("DELIVERED", 5, 0), ("UNDELIVERABLE", 9, 1), ("EXPIRED", 15, 0)}
    spread: dict = {}
    for name, at, done in delays:
        low, high = spread.get(name, (done - at, done - at))
        spread[name] = (min(low, done - at), max(high, done - at))
    second = timedelta(seconds=1)
    assert spread["EXPIRED"] == (30 * second, 30 * second)
    assert spread["UNDELIVERABLE"] == (2 * second, 2 * second)
    assert second <= spread["DELIVERED"][0] < 1.01 * second and 2.99 * second < spread["DELIVERED"][1] <= 3 * second
    store.dispose()


def test_the_same_seed_replays_exactly(tmp_path):
    outcomes = []
    for name in ("a", "b"):
        store = make_store(Store.open(str(tmp_path / f"{name}.db")))
        ids = iter(f"m-{i}" for i in range(1000))
        Router(store, clock=lambda: START, message_ids=lambda: next(ids), delivery=None).route_many(
            [OutboundRequest(to=US, application_id="shop", entity_id="bigcola") for _ in range(500)])
        delivery.advance(store, START + timedelta(minutes=1), MIXED)
        c = MessageLog.__table__.c
        with store.read() as session:
            outcomes.append(session.execute(select(c.message_id, c.status_id, c.error_id, c.done_at)
                                            .order_by(c.message_id)).all())
        store.dispose()
    assert outcomes[0] == outcomes[1]


def test_a_restarted_process_carries_on_the_pending_messages(tmp_path):
    path = str(tmp_path / "restart.db")
    first = make_store(Store.open(path))
    send(first, 30)
    delivery.plan(first, FIVE_SECONDS)
    first.dispose()  # the process stops with 30 messages on their way
    second = Store.open(path)
    with second.read() as session:
        assert delivery.pending_count(session) == 30
        assert delivery.next_due(session) == START + timedelta(seconds=5)
    assert delivery.advance(second, START + timedelta(seconds=5)).moved == 30
    assert states(second) == [("DELIVERED", 5, 0, START + timedelta(seconds=5), True, 30)]
    second.dispose()


def test_unplanned_messages_are_planned_with_the_profile_given_and_rejections_stay(store: Store):
    make_store(store)
    Router(store, clock=lambda: START, delivery=None).route_many([
        OutboundRequest(to=US, application_id="shop", entity_id="bigcola"),
        OutboundRequest(to="+1", application_id="shop", entity_id="bigcola"),  # rejected
        InboundRequest(from_=US, to=SF, text="hello"),
    ])
    result = delivery.advance(store, START + timedelta(seconds=5), FIVE_SECONDS)
    assert (result.planned, result.moved) == (1, 1)
    c = MessageLog.__table__.c
    with store.read() as session:
        rows = session.execute(select(c.direction, c.status, c.general_status, c.done_at, c.queued)
                               .order_by(c.id)).all()
    assert [tuple(r) for r in rows] == [
        ("OUTBOUND", "ROUTED", "DELIVERED", START + timedelta(seconds=5), True),
        ("OUTBOUND", "REJECTED", "REJECTED", None, None),
        ("INBOUND", "ROUTED", None, None, True),  # waits in the inbox
    ]


def test_plan_for_given_messages_only(store: Store):
    make_store(store)
    decisions = send(store, 3)
    assert delivery.plan(store, FIVE_SECONDS, [decisions[1].message_id]) == 1
    c = MessageLog.__table__.c
    with store.read() as session:
        planned = session.execute(select(c.message_id).where(c.due_at.is_not(None))).scalars().all()
    assert planned == [decisions[1].message_id]


def test_the_router_draws_the_plan_as_it_routes(store: Store):
    make_store(store)
    router = Router(store, clock=lambda: START, delivery=FIVE_SECONDS)
    decision = router.send(OutboundRequest(to=US, application_id="shop", entity_id="bigcola"))
    assert (decision.delivery.status.name, decision.delivery.delay) == ("DELIVERED_TO_HANDSET", timedelta(seconds=5))
    assert decision.as_json()["messageStatus"]["name"] == "PENDING_ACCEPTED"  # what `send` answers stays
    c = MessageLog.__table__.c
    with store.read() as session:
        row = session.execute(select(c.due_at, c.due_status_id, c.due_error_id)).one()
    assert tuple(row) == (START + timedelta(seconds=5), 5, 0)
    result = delivery.advance(store, START + timedelta(seconds=5))
    assert (result.planned, result.moved) == (0, 1)


def test_the_router_plans_with_the_shipped_profile_unless_told(store: Store):
    make_store(store)
    decision = Router(store, clock=lambda: START).send(OutboundRequest(to=US, application_id="shop",
                                                                       entity_id="bigcola"))
    from store.delivery_profile import default_profile
    assert decision.delivery == default_profile().plan(decision.message_id, "US", "TEN_DIGIT_LONG_CODE")


def test_the_queries_use_the_partial_indexes(tmp_path):
    store = Store.open(str(tmp_path / "plan.db"))
    from store.delivery import IS_PENDING
    c = MessageLog.__table__.c
    due = select(c.id).where(IS_PENDING, c.due_at <= START).order_by(c.due_at)
    unplanned = select(c.id).where(IS_PENDING, c.due_at.is_(None))
    with store.engine.connect() as connection:
        for statement in (due, unplanned):
            sql = str(statement.compile(store.engine, compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(r[-1]) for r in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            assert "ix_log_due" in plan, plan
    store.dispose()
