"""The logs read back with the platform's filters, newest first, a page at a time."""

from __future__ import annotations

from datetime import timedelta, timezone, datetime

import pytest

from store import delivery, log_query
from store.db import Store
from store.delivery_profile import parse_profile
from store.errors import InvalidInput
from store.log_query import LogFilter
from store.routing import OutboundRequest, Router

from .routing_setup import ALPHA, NY, START, make_store

US, GB = "+14155550123", "+447400123456"
PROFILE = parse_profile("seed: 1\nmix: [{status: DELIVERED, share: 1, delay: 2}]")


def traffic(store: Store) -> list:
    make_store(store, """
sendingStrategies:
  - platform: {applicationId: shop, entityId: bigcola}
    destinationCountryCode: GB
    priorities: [{senderType: ALPHANUMERIC, priority: 1}]
""")
    clock = delivery.ManualClock(START)
    router = Router(store, clock=lambda: clock.tick(1), delivery=None)
    sent = [router.send(OutboundRequest(to=US, application_id="shop", entity_id="bigcola", text="one")),
            router.send(OutboundRequest(to=GB, application_id="shop", entity_id="bigcola", text="two")),
            router.send(OutboundRequest(to="+1", application_id="shop", entity_id="bigcola")),
            router.send(OutboundRequest(to=US, application_id="shop", text="four"))]
    delivery.plan(store, PROFILE, [sent[0].message_id])  # only the first is delivered by now
    delivery.advance(store, START + timedelta(seconds=3), PROFILE)
    return sent


def ids(page) -> list[str]:
    return [r["messageId"] for r in page.results]


def test_filters_one_by_one(store: Store):
    sent = traffic(store)
    m = [d.message_id for d in sent]
    with store.read() as session:
        def q(**kw):
            return ids(log_query.query(session, LogFilter(**kw)))
        assert q() == [m[3], m[2], m[1], m[0]]  # newest first
        assert q(to="14155550123") == [m[3], m[0]]  # the API's form of the number
        assert q(to="0014155550123") == [m[3], m[0]]
        assert q(sender=ALPHA) == [m[1]]
        assert q(sender=NY.lstrip("+")) == [m[0]]
        assert q(bulk_ids=(sent[1].bulk_id, sent[2].bulk_id)) == [m[2], m[1]]
        assert q(message_ids=(m[0],)) == [m[0]]
        assert q(general_status="DELIVERED") == [m[0]]
        assert q(general_status="REJECTED") == [m[2]]
        assert q(general_status="PENDING") == [m[3], m[1]]
        assert q(sent_since=START + timedelta(seconds=2)) == [m[3], m[2], m[1]]
        assert q(sent_until=START + timedelta(seconds=2)) == [m[0]]
        assert q(sent_since=START + timedelta(seconds=2), sent_until=START + timedelta(seconds=4)) == [m[2], m[1]]
        assert q(application_id="shop", entity_id="bigcola") == [m[2], m[1], m[0]]
        assert q(application_id="support") == []


def test_a_delivered_message_shows_its_final_status_and_error(store: Store):
    sent = traffic(store)
    with store.read() as session:
        page = log_query.query(session, LogFilter(message_ids=(sent[0].message_id,)))
    assert page.results == [{
        "bulkId": sent[0].bulk_id, "messageId": sent[0].message_id, "to": US, "from": NY, "text": "one",
        "sentAt": "2025-03-01T12:00:01.000+0000", "doneAt": "2025-03-01T12:00:03.000+0000",
        "status": {"groupId": 3, "groupName": "DELIVERED", "id": 5, "name": "DELIVERED_TO_HANDSET",
                   "description": "Message delivered to the handset"},
        "error": {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR", "description": "No error",
                  "permanent": False},
        "applicationId": "shop", "entityId": "bigcola", "channel": "SMS",
        "routing": {"status": "ROUTED", "reason": "POOL", "errorCode": None, "senderType": "TEN_DIGIT_LONG_CODE",
                    "sendingStrategyId": "APPLEVEL000000000000000000000000"},
    }]


def test_pages_follow_the_cursor_without_repeats(store: Store):
    sent = traffic(store)
    with store.read() as session:
        first = log_query.query(session, limit=3)
        second = log_query.query(session, limit=3, cursor=first.cursor)
    assert ids(first) == [d.message_id for d in reversed(sent[1:])]
    assert (ids(second), second.cursor) == ([sent[0].message_id], None)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"filters": LogFilter(general_status="LOST")}, "generalStatus"),
    ({"filters": LogFilter(sent_since=datetime(2025, 1, 1))}, "sentSince"),
    ({"filters": LogFilter(sent_since=START, sent_until=START)}, "sentUntil"),
    ({"limit": 0}, "limit"),
    ({"limit": 1001}, "limit"),
    ({"cursor": "abc"}, "cursor"),
])
def test_bad_filters_name_the_field(store: Store, kwargs, field):
    with store.read() as session, pytest.raises(InvalidInput) as caught:
        log_query.query(session, **kwargs)
    assert caught.value.field == field


def test_the_filters_use_indexes(tmp_path):
    store = Store.open(str(tmp_path / "plan.db"))
    from sqlalchemy import select
    from store.log_query import _C, _LOG
    checks = {
        "ix_log_at": _C.at >= datetime(2025, 1, 1, tzinfo=timezone.utc), "ix_messagelog_bulk_id": _C.bulk_id == "b",
        "ix_messagelog_message_id": _C.message_id == "m", "ix_log_platform": _C.application_id == "shop",
    }
    with store.engine.connect() as connection:
        for index, condition in checks.items():
            sql = str(select(_C.id).where(condition).compile(compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(r[-1]) for r in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            assert index in plan, (index, plan)
    store.dispose()


def test_the_log_has_no_index_on_its_many_valued_keys(tmp_path):
    """Recipients and senders: an index on either dirtied a page per key with every batch of traffic
    (migrations 0007, 0013); `from` and `to` read the log newest first instead."""
    store = Store.open(str(tmp_path / "plain.db"))
    from sqlalchemy import inspect
    with store.engine.connect() as connection:
        indexed = {c for ix in inspect(connection).get_indexes("messagelog") for c in ix["column_names"]}
    store.dispose()
    assert "sender" not in indexed and "destination" not in indexed
    assert {"at", "message_id", "bulk_id", "application_id"} <= indexed
