"""A store shared by processes: readers never wait, a writer that must wait says so, within a bound."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from store.bench_setup_data import setup_data
from store.db import Store, StoreBusy
from store.platforms import create_entity
from store.setup_export import dump_setup, export_setup


class HeldLock:
    """Another process's write: a connection holding BEGIN IMMEDIATE until released."""

    def __init__(self, path):
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.connection.execute("BEGIN IMMEDIATE")

    def release(self, after: float = 0.0) -> None:
        def later():
            time.sleep(after)
            self.connection.execute("COMMIT")
            self.connection.close()
        threading.Thread(target=later).start() if after else later()


@pytest.fixture
def path(tmp_path):
    location = tmp_path / "shared.db"
    Store.open(str(location)).dispose()
    return location


def test_opening_and_exporting_never_wait_for_a_writer(path):
    lock = HeldLock(path)
    try:
        told = []
        store = Store.open(str(path))
        store.on_wait = told.append
        with store.read() as session:
            assert [a["applicationId"] for a in export_setup(session)["applications"]] == ["default"]
        assert told == []
        store.dispose()
    finally:
        lock.release()


def test_a_writer_waits_for_another_and_says_so_once(path):
    store = Store.open(str(path))
    told = []
    store.on_wait = told.append
    lock = HeldLock(path)
    lock.release(after=2.5)
    with store.write() as session:
        create_entity(session, "late", "Late")
    assert told == [f"store {path} is busy (another process is writing to it): waiting up to 60 s"]
    with store.read() as session:
        assert [e["entityId"] for e in export_setup(session)["entities"]] == ["late"]
    store.dispose()


def test_a_writer_gives_up_after_the_bound_and_writes_nothing(path, monkeypatch):
    monkeypatch.setenv("CPAASX_LOCK_WAIT", "1.5")
    store = Store.open(str(path))
    store.on_wait = None
    lock = HeldLock(path)
    try:
        with pytest.raises(StoreBusy, match=r"busy: another process has been writing to it for 2 s "
                                            r"\(CPAASX_LOCK_WAIT=1.5\); nothing was written"):
            with store.write() as session:
                create_entity(session, "never", "Never")
    finally:
        lock.release()
    with store.read() as session:
        assert export_setup(session)["entities"] == []
    store.dispose()


def cpaasx(*args, db) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tui.cli", "--db", str(db), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_send_and_export_succeed_while_a_long_apply_runs(path, tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text(dump_setup(setup_data(6_000)))
    apply = cpaasx("apply", str(big), db=path)
    time.sleep(1.0)  # the apply is parsing and checking: it holds no lock yet
    started = time.monotonic()
    send = cpaasx("send", "--to", "+12125550123", db=path)
    export = cpaasx("export", db=path)
    outputs = {name: p.communicate(timeout=120) for name, p in (("send", send), ("export", export), ("apply", apply))}
    results = {name: (p.returncode, *outputs[name]) for name, p in (("send", send), ("export", export), ("apply", apply))}
    assert results["apply"][0] == 0 and "9,010 created, 0 changed" in results["apply"][1]
    assert results["export"][0] == 0 and results["export"][1].startswith("applications:\n")
    assert results["send"][0] in (0, 3), results["send"][2]  # routed or rejected, never a lock error
    assert "STORE_BUSY" not in results["send"][2] and time.monotonic() - started < 60


def test_writers_of_one_process_take_turns_on_its_lock_not_on_the_file(path):
    store = Store.open(str(path))
    told: list[str] = []
    store.on_wait = told.append
    events: list[str] = []
    first_in, release = threading.Event(), threading.Event()

    def first():
        with store.write() as session:
            create_entity(session, "first", "First")
            first_in.set()
            release.wait(10)
            events.append("first commits")

    def second():
        with store.write() as session:
            events.append("second begins")
            create_entity(session, "second", "Second")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    first_in.wait(10)
    threads[1].start()
    threads[1].join(0.3)
    assert threads[1].is_alive() and events == []  # waiting for the first writer, before its own transaction
    release.set()
    for thread in threads:
        thread.join(10)
    assert events == ["first commits", "second begins"]
    assert told == []  # not "another process is writing": nothing polled SQLite's file lock
    with store.read() as session:
        from sqlmodel import select

        from store.tables import Entity

        assert {e.entity_id for e in session.exec(select(Entity))} >= {"first", "second"}
    store.dispose()
