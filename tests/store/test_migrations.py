"""Schema versions: a new store is created by the migrations, an 0.1.0 store upgrades with every
row intact, a newer or foreign database is refused and left alone."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

import store.schema as schema
from store.db import Store
from store.migrations import HEAD
from store.number_forms import derived_key
from store.schema import StoreUnusable

FIXTURES = Path(__file__).parent.parent / "fixtures"
OLD_SQLITE = FIXTURES / "store-v0.1.0.db"
OLD_PG_DUMP = FIXTURES / "store-v0.1.0.pg.sql"
OLD_COUNTS = {  # rows in the 0.1.0 fixture, read off it when it was made
    "application": 5, "entity": 6, "messagelog": 41, "resource_request": 1, "request_event": 2,
}


def test_head_constant_is_the_scripts_head():
    script = ScriptDirectory(str(Path(schema.__file__).parent / "migrations"))
    assert script.get_current_head() == HEAD


def test_migrated_schema_matches_the_models(store):
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD


def _old_rows(connection, tables: list[str]) -> dict[str, set[tuple]]:
    """Every row of the old tables, by the columns they had (new columns are not compared)."""
    rows = {}
    for table in tables:
        columns = [c["name"] for c in inspect(connection).get_columns(table)]
        rows[table] = (columns, {tuple(map(str, r)) for r in connection.execute(text(f'SELECT * FROM "{table}"'))})
    return rows


def _same_rows(before: dict, connection) -> None:
    for table, (columns, rows) in before.items():
        listed = ", ".join(f'"{c}"' for c in columns)
        after = {tuple(map(str, r)) for r in connection.execute(text(f'SELECT {listed} FROM "{table}"'))}
        if table == "storemeta":
            after = {r for r in after if r[0] != "usage_stamp"}  # 0011 adds it (checked apart)
        assert after == rows, table


def _number_keys_kept(connection) -> None:
    """0009: every number keeps the key the API derived for it before keys were stored."""
    rows = connection.execute(text("SELECT resource_id, resource_type, number_key FROM resource")).all()
    numbers = {rid: key for rid, rtype, key in rows if rtype == "NUMBER"}
    assert len(numbers) == 31 and {key for rid, rtype, key in rows if rtype != "NUMBER"} == {None}
    assert numbers["+12126275301"] == "78DBEFCBB5B5CAF9B2A1756CC37DB4D1"
    assert numbers["24680"] == "9256F177E09E1F3F6F860A86373B3AAD"  # a short code: the digits alone
    assert numbers == {rid: derived_key(rid) for rid in numbers}


def test_a_0_1_0_sqlite_store_upgrades_with_every_row(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(OLD_SQLITE, path)
    old = create_engine(f"sqlite:///{path}")
    with old.connect() as connection:
        tables = inspect(connection).get_table_names()
        assert "alembic_version" not in tables
        before = _old_rows(connection, tables)
    old.dispose()
    assert {t: len(before[t][1]) for t in OLD_COUNTS} == OLD_COUNTS
    notes: list[str] = []
    s = Store(f"sqlite:///{path}", notify=notes.append)
    assert len(notes) == 1 and str(path) in notes[0]
    with s.engine.connect() as connection:
        _same_rows(before, connection)
        _number_keys_kept(connection)
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        # 0011: the newest usage stamp (28, of 11 senders) is kept where a cold send reads it
        assert connection.execute(text("SELECT value FROM storemeta WHERE key = 'usage_stamp'")).scalar() == 28
        statuses = connection.execute(text(
            "SELECT direction, status, error_code, general_status, status_id, bulk_id, count(*) FROM messagelog"
            " GROUP BY direction, status, error_code, general_status, status_id, bulk_id"
            " ORDER BY direction, status, error_code")).all()
    assert [tuple(r) for r in statuses] == [  # old rows get the status their outcome maps to
        ("INBOUND", "REJECTED", "NOT_ASSOCIATED", None, None, None, 1),
        ("INBOUND", "ROUTED", None, None, None, None, 3),
        ("OUTBOUND", "REJECTED", "COUNTRY_NOT_ALLOWED", "REJECTED", 19, None, 3),
        ("OUTBOUND", "REJECTED", "INVALID_DESTINATION", "REJECTED", 52, None, 1),
        ("OUTBOUND", "REJECTED", "NO_ELIGIBLE_SENDER", "REJECTED", 19, None, 5),
        ("OUTBOUND", "ROUTED", None, "PENDING", 26, None, 28),
    ]
    with s.engine.connect() as connection:
        waiting = connection.execute(text(
            "SELECT direction, status, queued, due_at, done_at, count(*) FROM messagelog"
            " GROUP BY direction, status, queued, due_at, done_at ORDER BY direction, status")).all()
    assert [tuple(r) for r in waiting] == [  # 0004: old inbound messages wait in the inbox; nothing is planned yet
        ("INBOUND", "REJECTED", None, None, None, 1),
        ("INBOUND", "ROUTED", 1, None, None, 3),
        ("OUTBOUND", "REJECTED", None, None, None, 9),
        ("OUTBOUND", "ROUTED", None, None, None, 28),
    ]
    s.dispose()
    again: list[str] = []
    Store(f"sqlite:///{path}", notify=again.append).dispose()
    assert again == []  # an upgraded store opens quietly


@pytest.mark.postgres
def test_a_0_1_0_postgres_store_upgrades_with_every_row(pg_server):
    name = "cpaasx_upgrade"
    pg_server.admin(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    url = pg_server.url(name)
    try:
        old = create_engine(url, poolclass=NullPool)  # the dump empties search_path on its connection
        with old.begin() as connection:
            connection.exec_driver_sql(OLD_PG_DUMP.read_text())
        with old.connect() as connection:
            before = _old_rows(connection, inspect(connection).get_table_names())
        old.dispose()
        assert {t: len(before[t][1]) for t in OLD_COUNTS} == OLD_COUNTS
        notes: list[str] = []
        s = Store(url, notify=notes.append)
        assert len(notes) == 1
        with s.engine.connect() as connection:
            _same_rows(before, connection)
            _number_keys_kept(connection)
            diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        assert diff == []
        s.dispose()
    finally:
        pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_store_newer_than_the_program_is_refused_and_untouched(tmp_path):
    path = tmp_path / "new.db"
    Store(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreUnusable, match="newer cpaasx .*9999"):
        Store(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999",)]


def test_a_database_of_something_else_is_refused_and_gets_no_tables(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(StoreUnusable, match="not a cpaasx store .*notes"):
        Store(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert names == ["notes"]


@pytest.mark.postgres
def test_six_processes_opening_a_new_postgres_store_at_once(pg_server):
    """The schema and the default application are created once, whoever comes first."""
    import subprocess
    import sys

    name = "cpaasx_race"
    pg_server.admin(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    url = pg_server.url(name)
    code = "import sys; from store.db import Store; Store(sys.argv[1]).dispose()"
    try:
        procs = [subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, text=True)
                 for _ in range(6)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        assert [r for r in results if r[0] != 0] == []
        s = Store(url)
        with s.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM application")).scalar() == 1
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        s.dispose()
    finally:
        pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
