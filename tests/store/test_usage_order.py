"""Usage stamps are written in resource order, so writers in several processes cannot deadlock."""

from __future__ import annotations

from sqlalchemy import event
from sqlmodel import select

from store.db import Store
from store.routing.persist import upsert_usage
from store.tables import SenderUsage


def test_usage_rows_are_locked_in_key_order_whatever_order_they_came_in(store: Store):
    seen: list = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if SenderUsage.__tablename__ in statement.lower():
            seen.append(parameters)

    usage = {"+19995550003": 3, "+19995550001": 1, "BigCola": 7, "+19995550002": 2}  # not in key order
    event.listen(store.write_engine, "before_cursor_execute", record)
    try:
        with store.write() as session:
            upsert_usage(session, usage)
    finally:
        event.remove(store.write_engine, "before_cursor_execute", record)
    flat = [value for params in seen for value in _values(params)]
    written = [v for v in flat if v in usage]
    assert written == sorted(usage)  # one statement, rows ascending by resource id
    with store.read() as session:
        assert dict(session.exec(select(SenderUsage.resource_id, SenderUsage.last_used)).all()) == usage


def _values(params) -> list:
    if isinstance(params, dict):
        return list(params.values())
    if isinstance(params, (list, tuple)):
        return [v for p in params for v in (_values(p) if isinstance(p, (dict, list, tuple)) else [p])]
    return [params]
