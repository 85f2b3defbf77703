"""Shared fixtures: a fresh, empty store per test, on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started once per test session (see `pg_server.py`) with one database;
before each test every row is deleted, so each test starts from an empty store. Where no server can
be started the `postgres` tests skip and say why, except in CI (`CI=true`), where they fail instead.
"""

from __future__ import annotations

import os

import pytest

from store.db import Store

from .pg_server import PgServer, Unavailable

DATABASE = "cpaasx_test"
OTHER_DATABASE = "cpaasx_test_other"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def pg_server():
    """A running PostgreSQL server with a database for the tests."""
    server, reason = None, None
    try:
        server = PgServer().start()
        server.create_database(DATABASE)
        server.create_database(OTHER_DATABASE)
    except Exception as exc:  # noqa: BLE001  (whatever stops the server, the tests say what it was)
        if server is not None:
            server.stop()
        reason = str(exc) if isinstance(exc, Unavailable) else f"{type(exc).__name__}: {exc}"
    if reason is not None:
        message = f"PostgreSQL tests need a server and none could be started: {reason}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(request):
    """The URL of an empty PostgreSQL database (rows from earlier tests deleted)."""
    server: PgServer = request.getfixturevalue("pg_server")
    server.empty_database(DATABASE)
    return server.url(DATABASE)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def other_store(request, tmp_path) -> Store:
    """A second fresh store on the same backend as `store` (for round trips between stores)."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("store") == "postgres":
        server: PgServer = request.getfixturevalue("pg_server")
        server.empty_database(OTHER_DATABASE)
        s = Store.open(server.url(OTHER_DATABASE))
    else:
        s = Store.open(f"sqlite:///{tmp_path / 'other.db'}")
    yield s
    s.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request) -> Store:
    """A fresh store (only the `default` application), once on SQLite and once on PostgreSQL."""
    s = Store.open(request.getfixturevalue("pg_url" if request.param == "postgres" else "sqlite_url"))
    yield s
    s.dispose()
