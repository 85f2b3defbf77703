"""No large `-wal` file is left behind: a store checkpoints its WAL when it is closed, and every
command closes the stores it opened (issue 12 item 23)."""

from __future__ import annotations

from pathlib import Path

from store.db import Store
from tui.cli import main


def wal_size(db: Path) -> int:
    wal = Path(f"{db}-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_after_a_command_the_wal_is_absent_or_empty(tmp_path, capsys):
    db = tmp_path / "store.db"
    assert main(["--db", str(db), "--create", "demo", "--no-tui"]) == 0
    assert main(["--db", str(db), "simulate", "--count", "2000"]) == 0  # about 2,000 log rows written
    assert wal_size(db) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "export"]) == 0 and "applicationId: shop" in capsys.readouterr().out
    assert wal_size(db) == 0


def test_closing_empties_the_wal_while_another_store_keeps_the_file_open(tmp_path):
    db = tmp_path / "shared.db"
    reader = Store.open(str(db))  # another process (a dashboard) with the store open
    writer = Store.open(str(db))
    try:
        assert main(["--db", str(db), "simulate", "--count", "500"]) == 0
        assert reader.revision() >= 1 and writer.revision() >= 1  # both have connections open
        with writer.write() as session:
            session.info["changed"] = True  # one more write, so the WAL holds pages
        assert wal_size(db) > 0
        writer.dispose()
        assert wal_size(db) == 0  # the other store still has the file open: the WAL is cut to 0 bytes
    finally:
        reader.dispose()
    assert wal_size(db) == 0


def test_a_checkpoint_waits_only_briefly_for_another_reader(tmp_path):
    import sqlite3
    import time

    db = tmp_path / "busy.db"
    store = Store.open(str(db))
    reader = sqlite3.connect(db, isolation_level=None)  # another process, in the middle of a read
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM application").fetchall()
        with store.write() as write:
            write.info["changed"] = True  # a page newer than the reader's snapshot
        started = time.perf_counter()
        done = store.checkpoint(wait_ms=100)
        waited = time.perf_counter() - started
        assert done is False and waited < 2.0
        reader.execute("ROLLBACK")
        assert store.checkpoint() is True and wal_size(db) == 0  # the reader is done: now it completes
    finally:
        reader.close()
        store.dispose()
