"""Shared fixtures: a fresh, empty store per test, on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started once per test session (see `pg_server.py`); every test gets its
own database, copied from a template that already holds the tables. Where no server can be started
the `postgres` tests skip and say why, except in CI (`CI=true`), where they fail instead.
"""

from __future__ import annotations

import os

import pytest

from store.db import Store

from .pg_server import PgServer, Unavailable

TEMPLATE = "cpaasx_template"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def pg_server():
    """A running PostgreSQL server with a template database holding the store's tables."""
    server = None
    try:
        server = PgServer().start()
        server.admin(f"CREATE DATABASE {TEMPLATE}")
        Store.open(server.url(TEMPLATE)).dispose()
    except Unavailable as exc:
        if server is not None:
            server.stop()
        message = f"PostgreSQL tests need a server and none could be started: {exc}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(request):
    """The URL of a fresh PostgreSQL database, dropped after the test."""
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.new_database_name()
    server.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield server.url(name)
    server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def store(request) -> Store:
    """A fresh store (only the `default` application), once on SQLite and once on PostgreSQL."""
    s = Store.open(request.getfixturevalue("pg_url" if request.param == "postgres" else "sqlite_url"))
    yield s
    s.dispose()
