"""The background tick: called on its own thread, a failed tick logged and the ticking goes on."""

from __future__ import annotations

import logging
import threading

from store.ticker import Ticker


def test_a_failing_tick_is_logged_and_the_next_one_still_runs(caplog):
    calls: list[int] = []
    third = threading.Event()

    def tick() -> None:
        calls.append(threading.get_ident())
        if len(calls) == 1:
            raise OSError("database is locked")
        if len(calls) == 3:
            third.set()

    ticker = Ticker("cpaasx-test", tick, 0.01, logging.getLogger("cpaasx.test"))
    with caplog.at_level(logging.ERROR, logger="cpaasx.test"):
        ticker.start().start()  # a second start does not start a second thread
        assert third.wait(10)
        ticker.stop()
    after = len(calls)
    assert ticker.running is False and threading.get_ident() not in calls
    assert len(set(calls)) == 1  # one thread of its own
    assert [r.getMessage() for r in caplog.records] == ["cpaasx-test: tick failed"]
    assert "database is locked" in caplog.records[0].exc_text
    assert not any(t.name == "cpaasx-test" for t in threading.enumerate())
    threading.Event().wait(0.05)
    assert len(calls) == after  # stopped: no tick after stop() returned
