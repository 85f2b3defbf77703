"""A server's WAL checkpoints run on a thread of their own: passive, so writers never wait for them."""

from __future__ import annotations

import time

from store.checkpoints import Checkpoints
from store.platforms import create_entity


def test_a_passive_checkpoint_copies_the_wal_without_holding_up_a_writer(store):
    if not store.is_sqlite:
        assert store.checkpoint_passive() is None
        return
    with store.write() as session:
        create_entity(session, "e1", "One")
    frames, copied = store.checkpoint_passive()
    assert frames > 0 and copied == frames
    with store.write() as session:  # a writer meanwhile: the checkpoint left nothing locked
        create_entity(session, "e2", "Two")


def test_checkpoints_run_every_interval_until_stopped(store):
    checkpoints = Checkpoints(store, interval=0.01).start()
    try:
        deadline = time.monotonic() + 10
        while store.is_sqlite and checkpoints.runs < 3:
            assert time.monotonic() < deadline, "no checkpoint ran"
            time.sleep(0.01)
    finally:
        checkpoints.stop()
    runs = checkpoints.runs
    time.sleep(0.05)
    assert checkpoints.runs == runs  # stopped
    assert store.is_sqlite or runs == 0  # PostgreSQL has no WAL file to copy: no thread
