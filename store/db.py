"""Opening a store: the engine, sessions and the one-transaction write context."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import event, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, create_engine

from . import tables  # noqa: F401  (registers the tables)
from .requests import tables as request_tables  # noqa: F401  (registers the request tables)
from .schema import ensure_schema, stderr_line
from .tables import Application, StoreMeta

DEFAULT_APPLICATION = "default"


def default_store_path() -> Path:
    return Path(user_data_dir("cpaasx", appauthor=False)) / "cpaasx.db"


def store_url(db: str | None = None) -> str:
    """An SQLAlchemy URL from `--db`, `CPAASX_DB`, or the user's data directory."""
    db = db or os.environ.get("CPAASX_DB") or str(default_store_path())
    if "://" not in db:
        path = Path(db).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets a dashboard read while another process (a script, `cpaasx send`) writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_writer_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # Traffic batches touch pages all over the sticky, usage and log indexes: a larger cache keeps
    # them from spilling mid-transaction, and checkpointing every ~40 MB rather than every 4 MB
    # copies a page rewritten by several batches into the database file once.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA wal_autocheckpoint=40000")
    cursor.close()


class Store:
    """One open store. Reads with `read()`, writes with `write()` (one transaction, all or nothing)."""

    def __init__(self, url: str, notify: Callable[[str], None] = stderr_line):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine: Engine = _engine(url)
        # SQLite writers start with BEGIN IMMEDIATE so two processes queue instead of failing
        # on a lock upgrade; readers keep plain deferred transactions and never wait on them.
        self.write_engine: Engine = _engine(url, immediate=True) if self.is_sqlite else self.engine
        ensure_schema(self.write_engine, self.label, notify)
        self._ensure_default_application()

    def _ensure_default_application(self) -> None:
        """Insert-if-absent, so processes opening a new store at once never collide on it."""
        with self.read() as session:
            if session.get(Application, DEFAULT_APPLICATION) is not None:
                return
        table = Application.__table__
        insert = sqlite_insert if self.is_sqlite else pg_insert
        statement = insert(table).values(application_id=DEFAULT_APPLICATION, application_name="Default")
        with self.write() as session:
            session.execute(statement.on_conflict_do_nothing(index_elements=["application_id"]))
            mark_changed(session)

    @classmethod
    def open(cls, db: str | None = None) -> "Store":
        return cls(store_url(db))

    @property
    def label(self) -> str:
        """What the header shows: the file path, or the URL without its password."""
        if self.is_sqlite:
            return self.url.removeprefix("sqlite:///")
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, bump: bool = True) -> Iterator[Session]:
        """One transaction: commits when the block ends, rolls back everything on any error."""
        with Session(self.write_engine, expire_on_commit=False) as session:
            # Rules flush as they go, so changes are noted at each flush, not only at the end.
            event.listen(session, "before_flush", _note_changes)
            try:
                yield session
                _note_changes(session)
                if bump and session.info.get("changed"):
                    _bump_revision(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def revision(self) -> int:
        """Grows with every setup change, from any process: caches compare it to know they are stale."""
        with self.read() as session:
            meta = session.get(StoreMeta, "revision")
            return meta.value if meta else 0

    def dispose(self) -> None:
        self.engine.dispose()
        self.write_engine.dispose()


def _engine(url: str, immediate: bool = False) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
    event.listen(engine, "connect", _sqlite_pragmas)
    if immediate:
        event.listen(engine, "connect", _sqlite_writer_pragmas)
        event.listen(engine, "connect", lambda dbapi, _r: setattr(dbapi, "isolation_level", None))
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


def _note_changes(session: Session, *_args) -> None:
    """Mark the session changed when it holds a real change (an attribute set to its own value is none)."""
    if session.new or session.deleted or any(session.is_modified(row) for row in session.dirty):
        session.info["changed"] = True


def _bump_revision(session: Session) -> None:
    session.flush()
    # One UPDATE with `value + 1`, so two writers on PostgreSQL never lose each other's bump.
    bumped = session.execute(
        update(StoreMeta).where(col(StoreMeta.key) == "revision").values(value=col(StoreMeta.value) + 1)
    )
    if bumped.rowcount == 0:
        session.add(StoreMeta(key="revision", value=1))


def mark_changed(session: Session) -> None:
    """Record that a bulk statement changed the setup (the ORM cannot see those)."""
    session.info["changed"] = True

