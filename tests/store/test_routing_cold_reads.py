"""A single send costs what its decision touches: the same statements and the same rows read on a
store with a thousand sticky bindings, senders and usage stamps as on one with 200,000 bindings and
100,000 senders (counted at the driver: every statement, every row fetched, and SQLite's own
virtual-machine steps, which a table scan would multiply however few rows it returns)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import pytest
from sqlalchemy import event, text

import store.db as db
from store.db import Store
from store.routing import InboundRequest, OutboundRequest, Router
from store.secret_hash import hash_generated
from store.setup_file import apply_setup

from .routing_setup import stepping_clock

POOL = ["+14155550100", "+14155550111", "+12125550102", "+13105550103", "+16465550104"]
SETUP = {
    "applications": [{"applicationId": "shop", "applicationName": "Shop"}],
    "entities": [{"entityId": "e1", "entityName": "E1"}],
    "resources": [{"resourceId": rid, "resourceType": "NUMBER", "capabilities": ["SMS", "MMS"],
                   "applicationId": "shop", "entityId": "e1"} for rid in POOL],
    "associations": [{"resourceType": "NUMBER", "resourceId": rid, "channel": "SMS", "applicationId": "shop",
                      "entityId": "e1"} for rid in POOL],
    "sendingStrategies": [{"sendingStrategyId": "S" * 32, "platform": {"applicationId": "shop", "entityId": "e1"},
                           "useStickySender": True, "useGeolocatedSender": True, "defaultSender": POOL[0]}],
    "inboundConfigurations": [{"resourceId": POOL[0], "channel": "SMS", "keyword": "JOIN", "applicationId": "shop"}],
    "apiKeys": [{"name": "backend", "secretHash": hash_generated("k-backend"),
                 "platform": [{"applicationId": "shop", "entityId": "e1", "action": "FILL"}]}],
}
BOUND_TO = "+12125559999"  # has a sticky binding among the bulk ones


@dataclass
class Reads:
    statements: int = 0
    rows: int = 0
    steps: int = 0  # SQLite virtual-machine instructions, in units of STEP
    on: bool = False


READS = Reads()
STEP = 10


class CountingCursor(sqlite3.Cursor):
    def fetchone(self):
        row = super().fetchone()
        READS.rows += READS.on and row is not None
        return row

    def fetchmany(self, size=None):
        rows = super().fetchmany(self.arraysize if size is None else size)
        READS.rows += READS.on and len(rows)
        return rows

    def fetchall(self):
        rows = super().fetchall()
        READS.rows += READS.on and len(rows)
        return rows

    def execute(self, *args):
        READS.statements += READS.on
        return super().execute(*args)

    def executemany(self, *args):
        READS.statements += READS.on
        return super().executemany(*args)


class CountingConnection(sqlite3.Connection):
    def cursor(self, factory=CountingCursor):
        return super().cursor(factory)


def _counted_engine(real):
    def create_engine(url, **kwargs):
        kwargs.setdefault("connect_args", {})["factory"] = CountingConnection
        engine = real(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _steps(dbapi_connection, _record):
            def tick():
                READS.steps += READS.on
                return 0
            dbapi_connection.set_progress_handler(tick, STEP)

        return engine
    return create_engine


def _bulk(store: Store, n: int) -> None:
    """n sticky bindings of other recipients (some of the pool's own platform), n/2 senders of other
    entities with their associations, and usage stamps for all of them, in a few SQL statements."""
    series = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :n) "
    with store.write(bump=False) as session:
        run = session.execute
        run(text(series + "INSERT INTO stickybinding (application_id, entity_key, channel, destination, sender,"
                    " bound_at) SELECT 'shop', CASE WHEN i % 10 = 0 THEN 'e1' ELSE 'e' || (i % 500 + 2) END, 'SMS',"
                    " '+1646' || printf('%07d', i), '+14155550100', '2025-01-01 00:00:00.000000' FROM n"), {"n": n})
        run(text(series + "INSERT INTO resource (resource_id, resource_type, number_type, country, capabilities,"
                    " destination_countries, application_id, entity_id) SELECT '+1303' || printf('%07d', i), 'NUMBER',"
                    " 'TEN_DIGIT_LONG_CODE', 'US', '[\"SMS\"]', '[\"US\"]', 'shop', 'e' || (i % 500 + 2) FROM n"),
            {"n": n // 2})
        run(text("INSERT INTO resourceassociation (resource_type, resource_id, channel, application_id, entity_id)"
                    " SELECT 'NUMBER', resource_id, 'SMS', application_id, entity_id FROM resource"
                    " WHERE resource_id LIKE '+1303%'"))
        run(text("INSERT INTO senderusage (resource_id, last_used) SELECT resource_id, rowid FROM resource"
                    " WHERE resource_id LIKE '+1303%'"))
        run(text("INSERT INTO storemeta (key, value) SELECT 'usage_stamp', max(last_used) FROM senderusage"
                    " WHERE true ON CONFLICT (key) DO UPDATE SET value = excluded.value"))  # as usage writes keep it
        run(text("INSERT INTO stickybinding (application_id, entity_key, channel, destination, sender, bound_at)"
                    " VALUES ('shop', 'e1', 'SMS', :to, :sender, '2025-01-01 00:00:00.000000')"),
            {"to": BOUND_TO, "sender": POOL[2]})


TRAFFIC = [
    OutboundRequest(to=BOUND_TO, application_id="shop", entity_id="e1"),  # STICKY
    OutboundRequest(to="+14155551234", api_key="k-backend"),  # FILLed platform, GEOLOCATED, binds
    OutboundRequest(to="+17205551234", application_id="shop", entity_id="e1"),  # POOL: least recently used
    OutboundRequest(to="+17205551235", application_id="shop", entity_id="fresh"),  # entity created; its strategy is only for e1
    OutboundRequest(to="+17205551236", application_id="shop", entity_id="e1", sender=POOL[1]),  # explicit
    InboundRequest(from_="+17205550000", to=POOL[0], text="join now"),  # keyword
]


def _measure(tmp_path, name: str, bulk: int, monkeypatch) -> list:
    monkeypatch.setattr(db, "create_engine", _counted_engine(db.create_engine))
    store = Store.open(str(tmp_path / f"{name}.db"))
    try:
        with store.write() as session:
            apply_setup(session, SETUP)
        _bulk(store, bulk)
        router = Router(store, clock=stepping_clock(), delivery=None, cold=True)
        figures = []
        for req in TRAFFIC:
            READS.statements = READS.rows = READS.steps = 0
            READS.on = True
            try:
                decision = router.route_many([req])[0]
            finally:
                READS.on = False
            figures.append((decision.reason or decision.error_code, READS.statements, READS.rows, READS.steps))
        return figures
    finally:
        store.dispose()


@pytest.mark.parametrize("bulk", [200_000])
def test_a_single_send_reads_the_same_on_a_small_and_a_big_store(tmp_path, monkeypatch, bulk):
    small = _measure(tmp_path, "small", 1_000, monkeypatch)
    big = _measure(tmp_path, "big", bulk, monkeypatch)
    assert [f[0] for f in big] == ["STICKY", "GEOLOCATED", "POOL", "COUNTRY_NOT_ALLOWED", "EXPLICIT_SENDER", "KEYWORD"]
    for (reason, statements, rows, steps), (_, small_statements, small_rows, small_steps) in zip(big, small):
        assert statements == small_statements, reason
        assert rows == small_rows, reason
        # 17: a send that binds also takes the sticky sequence (one statement, one row)
        assert statements <= 17 and rows <= 3 * len(POOL) + 10, (reason, statements, rows)
        # B-trees a few levels deeper, never a scan: 200 times the rows, at most twice the steps
        assert steps <= 2 * small_steps + 20, (reason, steps, small_steps)


def test_the_counting_sees_the_warm_index_read_everything(tmp_path, monkeypatch):
    """The measure itself: the warm path's full load reads every binding (what the cold path avoids)."""
    monkeypatch.setattr(db, "create_engine", _counted_engine(db.create_engine))
    store = Store.open(str(tmp_path / "warm.db"))
    try:
        with store.write() as session:
            apply_setup(session, SETUP)
        _bulk(store, 20_000)
        READS.statements = READS.rows = READS.steps = 0
        READS.on = True
        try:
            Router(store).refresh()
        finally:
            READS.on = False
        assert READS.rows > 20_000 + 10_000 + 10_000
    finally:
        store.dispose()


def test_the_newest_usage_stamp_is_kept_beside_the_stamps(tmp_path):
    """Every usage write moves StoreMeta `usage_stamp`; without it (stamps written some other way)
    a cold send reads the newest stamp from the stamps themselves."""
    store = Store.open(str(tmp_path / "stamps.db"))
    try:
        with store.write() as session:
            apply_setup(session, SETUP)

        def stamps() -> tuple:
            with store.read() as session:
                meta = session.execute(text("SELECT value FROM storemeta WHERE key = 'usage_stamp'")).scalar()
                return meta, session.execute(text("SELECT max(last_used) FROM senderusage")).scalar()

        assert stamps() == (0, None)  # a new store: filled by migration 0011
        Router(store, delivery=None).send_many([OutboundRequest(to=f"+1720555{n:04d}", application_id="shop",
                                                                entity_id="e1") for n in range(3)])
        assert stamps() == (3, 3)
        cold = Router(store, delivery=None, cold=True)
        cold.send(OutboundRequest(to="+17205559999", application_id="shop", entity_id="e1"))
        assert stamps() == (4, 4)
        with store.write() as session:
            session.execute(text("DELETE FROM storemeta WHERE key = 'usage_stamp'"))
            session.execute(text("INSERT OR REPLACE INTO senderusage VALUES (:r, 40)"), {"r": POOL[4]})
        decision = cold.send(OutboundRequest(to="+17205559998", application_id="shop", entity_id="e1"))
        assert stamps() == (41, 41) and decision.routed
    finally:
        store.dispose()
