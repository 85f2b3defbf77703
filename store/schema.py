"""Bringing a store's schema to this program's version: create, upgrade (Alembic) or refuse.

Runs in one write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: under an advisory lock), so
processes opening the same new or old store at once queue up and only the first one migrates.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from .errors import StoreError
from .migrations import HEAD

VERSION_TABLE = "alembic_version"
BASELINE = "0001"  # the schema of 0.1.0, which kept no version: such stores are stamped with it
# Tables every store made by this program has had since 0.1.0: a database with some other tables
# and none of these is somebody else's, and is left alone.
OWN_TABLES = frozenset({"application", "resource", "messagelog", "storemeta"})
ADVISORY_LOCK = 0x63_70_61_61_73_78  # "cpaasx"


class StoreUnusable(StoreError):
    """The store cannot be used by this program as it is (newer schema, not a cpaasx store)."""

    code = "STORE_UNUSABLE"


def stderr_line(message: str) -> None:
    from .display import visible

    print(visible(message), file=sys.stderr)


def ensure_schema(engine: Engine, label: str, notify: Callable[[str], None] = stderr_line,
                  check_with: Engine | None = None) -> None:
    """Create a new store's tables, upgrade an older store's, refuse one newer than this program.

    The version is first read through `check_with` (a reading engine), so opening an up-to-date
    store never waits for another process's write lock.
    """
    with (check_with or engine).connect() as connection:
        if _version(connection) == HEAD:
            return  # the common case: one query, no Alembic import
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
        version = _version(connection)  # again: another process may have migrated meanwhile
        if version == HEAD:
            return
        tables = set(inspect(connection).get_table_names())
        if version is None and tables and not OWN_TABLES <= tables:
            raise StoreUnusable(f"{label} is not a cpaasx store (it has other tables: "
                                f"{', '.join(sorted(tables)[:5])}{', …' if len(tables) > 5 else ''})")
        if version is not None and version not in _revisions():
            raise StoreUnusable(f"{label} was made by a newer cpaasx (schema {version}; this program knows up to "
                                f"{HEAD}): upgrade cpaasx to open it")
        if version is None and tables:
            _stamp(connection, BASELINE)
            version = BASELINE
            if HEAD == BASELINE:
                notify(f"store {label}: made by cpaasx 0.1.0; its schema is now recorded as {BASELINE}")
                return
        if version is not None:
            notify(f"upgrading store {label}: schema {version} → {HEAD}")
        _upgrade(connection)


def _version(connection: Connection) -> str | None:
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    return config


def _revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(Path(__file__).parent / "migrations"))
    return {rev.revision for rev in script.walk_revisions()}


def _stamp(connection: Connection, revision: str) -> None:
    from alembic import command

    command.stamp(_config(connection), revision)


def _upgrade(connection: Connection) -> None:
    from alembic import command

    command.upgrade(_config(connection), "head")
