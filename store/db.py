"""Opening a store: the engine, sessions and the one-transaction write context."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlmodel import Session, col, create_engine

from . import tables
from .errors import StoreError
from .schema import ensure_schema, stderr_line
from .tables import Application, StoreMeta

DEFAULT_APPLICATION = "default"


def default_store_path() -> Path:
    return Path(user_data_dir("cpaasx", appauthor=False)) / "cpaasx.db"


class StoreBusy(StoreError):
    """Another process held the store's write lock for longer than this one may wait."""

    code = "STORE_BUSY"


def lock_wait_seconds() -> float:
    """How long a writer waits for another process's write to end: CPAASX_LOCK_WAIT, else 60 s."""
    try:
        return max(0.0, float(os.environ.get("CPAASX_LOCK_WAIT", "60")))
    except ValueError:
        return 60.0


class StoreUnavailable(StoreError):
    """The store named by `--db` cannot be opened: missing, unreachable, unsupported or not a database."""

    code = "STORE_UNAVAILABLE"


BACKENDS = ("sqlite", "postgresql")
DRIVERS = {"sqlite": ("pysqlite",), "postgresql": ("psycopg",)}


def store_url(db: str | None = None, create: bool = True) -> str:
    """An SQLAlchemy URL from `--db`, `CPAASX_DB`, or the user's data directory.

    The default location is always created. A file named by `--db` or `CPAASX_DB` that does not
    exist is created (folders included) only when `create` is true; otherwise StoreUnavailable
    names it, so a mistyped path never becomes a new, empty store.
    """
    if db is not None and not db.strip():
        raise StoreUnavailable("is empty: give a file path or a database URL", "--db")
    location = db or os.environ.get("CPAASX_DB") or None
    if location is None:
        path = default_store_path()
        if not path.exists():
            create_private_file(path)
        return f"sqlite:///{path}"
    if "://" not in location:
        url = f"sqlite:///{Path(location).expanduser().resolve()}"
    elif location.startswith("postgresql://") or location.startswith("postgres://"):
        url = "postgresql+psycopg://" + location.split("://", 1)[1]
    else:
        url = location
    _check_backend(url)
    path = _sqlite_file(url)
    if path is not None and not path.exists():
        if not create:
            raise StoreUnavailable(f"no store at {path} (pass --create to make a new one there)", "--db")
        create_private_file(path)
    return url


def create_private_file(path: Path) -> None:
    """A new, empty store file only its owner may read (0600), in folders made only for them (0700).

    Folders and files that exist already keep their modes. SQLite gives its -wal and -shm files the
    database file's mode, so they are private too."""
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # made by another process meanwhile
            continue
        os.chmod(folder, 0o700)  # exactly, whatever the umask
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)
    os.chmod(path, 0o600)


def hidden_url(url: str) -> str:
    """The URL as it may be shown: the file path for SQLite, the password replaced by ***."""
    path = _sqlite_file(url) if url.startswith("sqlite") else None
    if path is not None:
        return str(path)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def location_label(db: str | None = None) -> str:
    """What `--db` (or CPAASX_DB, or the default) names, as it may be shown; creates and checks nothing."""
    location = db or os.environ.get("CPAASX_DB") or str(default_store_path())
    return hidden_url(location if "://" in location else f"sqlite:///{Path(location).expanduser().resolve()}")


def _check_backend(url: str) -> None:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreUnavailable(f"{hidden_url(url)} is neither a file path nor a database URL", "--db") from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend not in BACKENDS or driver not in DRIVERS[backend]:
        raise StoreUnavailable(f"{hidden_url(url)}: unsupported database {parsed.drivername!r} (use a file path, "
                               f"sqlite:///FILE or postgresql+psycopg://USER:PASSWORD@HOST/DB)", "--db")


def _sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for an in-memory or URI-style database)."""
    if not url.startswith("sqlite"):
        return None
    try:
        database = make_url(url).database
    except (ArgumentError, ValueError):
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def failure_cause(exc: BaseException) -> str:
    """The first line of what the database driver said, without SQLAlchemy's statement dump."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__


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
    # BEGIN IMMEDIATE gives up after 1 s so the writer can say it is waiting, then tries again.
    cursor.execute("PRAGMA busy_timeout=1000")
    cursor.execute("PRAGMA wal_autocheckpoint=40000")
    # After a checkpoint the WAL file keeps its size for reuse: cap what it keeps (64 MB).
    cursor.execute("PRAGMA journal_size_limit=67108864")
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
        # Told once when a write has to wait for another process's (the dashboard shows it as a toast).
        self.on_wait: Callable[[str], None] | None = notify
        self.lock_wait = lock_wait_seconds()
        # SQLite takes one writer at a time. This process's writers (a server's send writer, its
        # delivery ticker…) take turns on a lock, handed on the moment a commit ends, instead of
        # polling the file lock in SQLite's busy handler, which sleeps in steps of up to 25 ms and
        # so made a send wait about twice as long as the transaction it waited for.
        self._writing = threading.RLock() if self.is_sqlite else None
        if self.is_sqlite:
            event.listen(self.write_engine, "begin", self._begin_immediate)
        ensure_schema(self.write_engine, self.label, notify, check_with=self.engine)
        self._ensure_default_application()

    def _ensure_default_application(self) -> None:
        """Insert-if-absent, so processes opening a new store at once never collide on it. Read with
        Core: an ORM get would configure every mapper, most of what opening a store costs."""
        table = Application.__table__
        with self.engine.connect() as connection:
            if connection.execute(_DEFAULT_APP).first() is not None:
                return
        if self.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        statement = insert(table).values(application_id=DEFAULT_APPLICATION, application_name="Default")
        with self.write() as session:
            session.execute(statement.on_conflict_do_nothing(index_elements=["application_id"]))
            mark_changed(session)

    def _begin_immediate(self, connection) -> None:
        """BEGIN IMMEDIATE, retried while another process writes: said once, given up after `lock_wait`."""
        started, told = time.monotonic(), False
        while True:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                    raise
            waited = time.monotonic() - started
            if waited >= self.lock_wait:
                raise StoreBusy(f"store {self.label} is busy: another process has been writing to it for "
                                f"{waited:.0f} s (CPAASX_LOCK_WAIT={self.lock_wait:g}); nothing was written, "
                                f"try again when it is done")
            if not told and self.on_wait is not None:
                self.on_wait(f"store {self.label} is busy (another process is writing to it): waiting up to "
                             f"{self.lock_wait:g} s")
                told = True

    @classmethod
    def open(cls, db: str | None = None, create: bool = True) -> "Store":
        """The store at `db` (see `store_url`); any that cannot be opened raises StoreUnavailable."""
        url = store_url(db, create)
        try:
            return cls(url)
        except (SQLAlchemyError, ImportError, OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"cannot open store {hidden_url(url)}: {failure_cause(exc)}") from None

    @property
    def label(self) -> str:
        """What the header shows: the file path, or the URL without its password."""
        if self.is_sqlite:
            return self.url.removeprefix("sqlite:///")
        return hidden_url(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, bump: bool = True) -> Iterator[Session]:
        """One transaction: commits when the block ends, rolls back everything on any error."""
        # Bounded as waiting for another process is: after `lock_wait`, SQLite's own wait decides.
        held = self._writing is not None and self._writing.acquire(timeout=self.lock_wait)
        try:
            with self._transaction(bump) as session:
                yield session
        finally:
            if held:
                self._writing.release()

    @contextmanager
    def _transaction(self, bump: bool) -> Iterator[Session]:
        with Session(self.write_engine, expire_on_commit=False) as session:
            # Rules flush as they go, so changes are noted at each flush, not only at the end.
            event.listen(session, "before_flush", _note_changes)
            try:
                yield session
                _note_changes(session)
                if bump and session.info.get("changed"):
                    _bump_revision(session)
                for last_step in session.info.get("before_commit", ()):
                    last_step(session)  # sees the revision this transaction leaves
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def revision(self) -> int:
        """Grows with every setup change, from any process: caches compare it to know they are stale.

        Read with one Core statement on a pooled connection, not an ORM session: the router and the
        API's key cache read it on every send, where a session cost most of a small send's time."""
        with self.engine.connect() as connection:
            return connection.execute(_REVISION).scalar() or 0

    def dispose(self) -> None:
        """Close every connection; on SQLite, first copy the WAL into the database and empty it."""
        if self.is_sqlite:
            self.checkpoint()
        self.engine.dispose()
        self.write_engine.dispose()

    def checkpoint_passive(self) -> tuple[int, int] | None:
        """`PRAGMA wal_checkpoint(PASSIVE)`: copy what it can of the WAL into the database file without
        waiting for, or holding up, any reader or writer; (frames in the WAL, frames copied so far).
        None for PostgreSQL."""
        if not self.is_sqlite:
            return None
        connection = self.engine.raw_connection()
        try:
            row = connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            connection.close()
        return (row[1], row[2]) if row else (0, 0)

    def checkpoint(self, wait_ms: int = 250) -> bool:
        """`PRAGMA wal_checkpoint(TRUNCATE)`: the WAL's pages into the database file and the WAL file
        cut to 0 bytes, so no large `-wal` file stays behind. It waits at most `wait_ms` for another
        process's reader or writer; True when it completed (busy is no error: that process's
        connections checkpoint in turn). No-op (True) for PostgreSQL."""
        if not self.is_sqlite:
            return True
        try:
            connection = self.write_engine.raw_connection()  # the driver's own: no BEGIN (a checkpoint needs none)
            try:
                cursor = connection.cursor()
                cursor.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
                busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                cursor.execute("PRAGMA busy_timeout=10000")
                cursor.close()
            finally:
                connection.close()
        except (SQLAlchemyError, sqlite3.Error):
            return False  # a store that failed (disk full, file gone): closing must not fail too
        return busy is None or busy[0] == 0


def _engine(url: str, immediate: bool = False) -> Engine:
    if not url.startswith("sqlite"):
        tables.use_postgresql_indexes()
        # A server that does not answer fails within 10 s rather than the OS's minutes.
        connect_args = {} if "connect_timeout" in url else {"connect_timeout": 10}
        return create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
    event.listen(engine, "connect", _sqlite_pragmas)
    if immediate:
        event.listen(engine, "connect", _sqlite_writer_pragmas)
        event.listen(engine, "connect", lambda dbapi, _r: setattr(dbapi, "isolation_level", None))
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


_DEFAULT_APP = select(Application.__table__.c.application_id).where(
    Application.__table__.c.application_id == DEFAULT_APPLICATION)
_REVISION = select(StoreMeta.__table__.c.value).where(StoreMeta.__table__.c.key == "revision")


def revision_in(session: Session) -> int:
    """The revision as this session's transaction sees it (see `Store.revision`)."""
    meta = session.get(StoreMeta, "revision")
    return meta.value if meta else 0


def mark_changed(session: Session) -> None:
    """Record that a bulk statement changed the setup (the ORM cannot see those)."""
    session.info["changed"] = True

