"""Status objects: the routing outcome mapped as API.md's table says, row by row, stored on each
outbound log row beside the engine's code and trace, with one bulk id per call that sends."""

from __future__ import annotations

import pytest

from store import message_log
from store.db import Store
from store.message_status import for_outcome
from store.routing import InboundRequest, OutboundRequest

from .routing_setup import SF, make_store, router

US = "+14155550123"


@pytest.mark.parametrize(("routed", "code", "to", "expected"), [
    (True, None, US, (1, "PENDING", 26, "PENDING_ACCEPTED")),
    (False, "INVALID_DESTINATION", "+1", (5, "REJECTED", 52, "REJECTED_DESTINATION")),
    (False, "INVALID_DESTINATION", "", (5, "REJECTED", 51, "MISSING_TO")),
    (False, "SENDER_NOT_FOUND", US, (5, "REJECTED", 11, "REJECTED_SOURCE")),
    (False, "CHANNEL_NOT_SUPPORTED", US, (5, "REJECTED", 11, "REJECTED_SOURCE")),
    (False, "NO_SENDING_STRATEGY", US, (5, "REJECTED", 19, "REJECTED_ROUTE_NOT_AVAILABLE")),
    (False, "COUNTRY_NOT_ALLOWED", US, (5, "REJECTED", 19, "REJECTED_ROUTE_NOT_AVAILABLE")),
    (False, "COUNTRY_NOT_SUPPORTED", US, (5, "REJECTED", 19, "REJECTED_ROUTE_NOT_AVAILABLE")),
    (False, "NO_ELIGIBLE_SENDER", US, (5, "REJECTED", 19, "REJECTED_ROUTE_NOT_AVAILABLE")),
    (False, "APPLICATION_NOT_FOUND", US, (5, "REJECTED", 19, "REJECTED_ROUTE_NOT_AVAILABLE")),
    (False, "UNAUTHORIZED", US, (5, "REJECTED", 11, "REJECTED_SOURCE")),
    (False, "FORBIDDEN", US, (5, "REJECTED", 11, "REJECTED_SOURCE")),
])
def test_mapping_table_row_by_row(routed, code, to, expected):
    status = for_outcome(routed, code, to)
    assert (status.group_id, status.group_name, status.id, status.name) == expected
    assert status.description
    assert list(status.as_json()) == ["groupId", "groupName", "id", "name", "description"]


def test_each_outbound_row_keeps_its_status_beside_the_engine_code(store: Store):
    r = router(make_store(store))
    first = r.route_many([
        OutboundRequest(to=US, application_id="shop", entity_id="bigcola"),
        OutboundRequest(to="+1", application_id="shop", entity_id="bigcola"),
        OutboundRequest(to=US, application_id="support"),
        InboundRequest(from_=US, to=SF, text="hello"),
    ])
    second = r.send(OutboundRequest(to=US, application_id="shop", entity_id="bigcola"))
    with store.read() as session:
        rows = [message_log.as_dict(message_log.get_message(session, d.message_id)) for d in [*first, second]]
    assert [(x["status"], x["error"] and x["error"]["code"]) for x in rows] == [
        ("ROUTED", None), ("REJECTED", "INVALID_DESTINATION"), ("REJECTED", "NO_SENDING_STRATEGY"),
        ("ROUTED", None), ("ROUTED", None)]
    assert [x["messageStatus"] and x["messageStatus"]["name"] for x in rows] == [
        "PENDING_ACCEPTED", "REJECTED_DESTINATION", "REJECTED_ROUTE_NOT_AVAILABLE", None, "PENDING_ACCEPTED"]
    assert rows[0]["messageStatus"] == first[0].message_status.as_json()
    assert rows[1]["trace"] == [s.as_json() for s in first[1].trace]
    bulks = [x["bulkId"] for x in rows]
    assert bulks[0] == bulks[1] == bulks[2] and bulks[3] is None and bulks[4] not in (None, bulks[0])
    assert [d.bulk_id for d in first[:3]] == bulks[:3]


def test_stream_batches_get_their_own_bulk_id(store: Store):
    r = router(make_store(store))
    decisions = r.route_stream([OutboundRequest(to=US, application_id="shop", entity_id="bigcola")] * 5, batch_size=2)
    assert len({d.bulk_id for d in decisions}) == 3
    with store.read() as session:
        rows = message_log.recent(session, limit=10)
    assert sorted((r.bulk_id, r.general_status, r.status_id) for r in rows) == sorted(
        (d.bulk_id, "PENDING", 26) for d in decisions)
