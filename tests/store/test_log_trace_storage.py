"""The log stores each trace as compact pairs and reads it back as step/detail objects."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, text

from store import message_log
from store.db import Store
from store.routing import OutboundRequest
from store.routing.model import TraceStep
from store.routing.persist import _later_text, log_rows, sqlite_datetime
from store.tables import MessageLog

from .routing_setup import START, make_store, router


def stored(value):
    """The column as the database hands it back: text on SQLite, already parsed on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def test_a_trace_is_stored_as_pairs_and_read_back_as_objects(store: Store):
    decision = router(make_store(store)).send(
        OutboundRequest(to="+14155550123", application_id="shop", entity_id="bigcola"))
    with store.read() as session:
        raw = session.execute(text("SELECT trace FROM messagelog")).scalar_one()
        row = message_log.get_message(session, decision.message_id)
    assert stored(raw) == [[s.step, s.detail] for s in decision.trace]
    if store.is_sqlite:  # the text SQLite keeps: no padding, "…" escaped so the row is ASCII
        assert raw.startswith('[["key","no API key') and raw.isascii()
    assert row.trace == [s.as_json() for s in decision.trace]
    assert message_log.as_dict(row)["trace"] == decision.as_json()["trace"]


def test_rows_written_with_objects_still_read_back(store: Store):
    trace = [{"step": "key", "detail": "no API key given: full access"}]
    with store.write(bump=False) as session:
        session.execute(text(
            "INSERT INTO messagelog (message_id, at, direction, channel, status, trace) "
            "VALUES ('old', '2025-01-06 09:00:00.000000', 'OUTBOUND', 'SMS', 'REJECTED', :trace)"),
            {"trace": json.dumps(trace)})
        session.execute(insert(MessageLog.__table__), [{
            "message_id": "core", "at": START, "direction": "OUTBOUND", "channel": "SMS", "status": "REJECTED",
            "trace": trace}])
    with store.read() as session:
        assert message_log.get_message(session, "old").trace == trace
        assert message_log.get_message(session, "core").trace == trace
        raw = session.execute(text("SELECT trace FROM messagelog WHERE message_id = 'core'")).scalar_one()
    assert stored(raw) == [["key", "no API key given: full access"]]


def test_unusual_text_survives_the_round_trip(store: Store):
    decision = router(make_store(store)).send(OutboundRequest(to="+1", application_id="shop", entity_id="bigcola"))
    decision.trace.append(TraceStep("odd \"step\"", 'quotes " back\\slash \n tab\t é ✓ 😀'))
    (row,) = log_rows([decision])
    assert json.loads(row[-1])[-1] == ['odd "step"', 'quotes " back\\slash \n tab\t é ✓ 😀']


@settings(max_examples=300, deadline=None)
@given(
    at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2999, 12, 31), timezones=st.just(timezone.utc)),
    ms=st.integers(min_value=0, max_value=7 * 24 * 3600 * 1000),
)
def test_a_due_time_is_written_as_the_datetime_it_is(at, ms):
    """The due column's text is built from the sentAt text without a datetime: it must read the
    same as formatting sentAt plus the delay (across seconds, days, months, leap years)."""
    assert _later_text(sqlite_datetime(at), ms) == sqlite_datetime(at + timedelta(milliseconds=ms))
