"""The message log read back: recent rows, one message, reports per application and entity."""

from __future__ import annotations

from store import message_log
from store.db import Store
from store.routing import InboundRequest, OutboundRequest

from .routing_setup import NY, SF, make_store, router

US = "+14155550123"


def traffic(store: Store):
    r = router(make_store(store))
    return r.route_many([
        OutboundRequest(to=US, application_id="shop", entity_id="bigcola"),
        OutboundRequest(to=US, application_id="shop", entity_id="bigcola"),
        OutboundRequest(to="+1", application_id="shop", entity_id="bigcola"),
        OutboundRequest(to=US, application_id="support"),
        InboundRequest(from_=US, to=SF, text="hello"),
    ])


def test_recent_rows_newest_first_and_filtered(store: Store):
    decisions = traffic(store)
    with store.read() as session:
        rows = message_log.recent(session, limit=10)
        assert [r.message_id for r in rows] == [d.message_id for d in reversed(decisions)]
        only = message_log.recent(session, application_id="support")
        assert [r.error_code for r in only] == ["NO_SENDING_STRATEGY"]
        newer = message_log.recent(session, after_id=rows[2].id)
        assert len(newer) == 2
        row = message_log.get_message(session, decisions[0].message_id)
    as_dict = message_log.as_dict(row)
    assert (as_dict["sender"], as_dict["reason"], as_dict["applicationId"], as_dict["entityId"]) == (
        NY, "POOL", "shop", "bigcola")
    assert as_dict["trace"][-1] == {"step": "result", "detail": f"routed from {NY}, POOL"}


def test_report_per_application_and_entity(store: Store):
    traffic(store)
    with store.read() as session:
        report = message_log.report(session)
        assert message_log.count(session) == 5
        breakdown = message_log.breakdown(session, application_id="shop", entity_id="bigcola")
    assert report[0] == {"applicationId": "shop", "entityId": "bigcola", "direction": "OUTBOUND",
                         "total": 3, "routed": 2, "rejected": 1}
    assert {"applicationId": "support", "entityId": None, "direction": "OUTBOUND",
            "total": 1, "routed": 0, "rejected": 1} in report
    assert {"applicationId": "shop", "entityId": "bigcola", "direction": "INBOUND",
            "total": 1, "routed": 1, "rejected": 0} in report
    assert breakdown == {"reasons": {"POOL": 2, "NUMBER": 1}, "errors": {"INVALID_DESTINATION": 1}}
