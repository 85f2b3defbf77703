"""The dashboard's poll for outside changes says when the store cannot be read, once, and when it is back."""

from __future__ import annotations

import sqlite3

from tui.app import Dashboard

from .conftest import SIZE


async def test_a_failing_poll_is_reported_once_then_its_recovery(tui_store, monkeypatch):
    app = Dashboard(tui_store, poll_seconds=0.05, blink=False, label="test store")
    app.animation_level = "none"
    real = tui_store.revision
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)

        def broken():
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(tui_store, "revision", broken)
        await pilot.pause(0.4)  # several polls fail
        failed = [n for n in app._notifications if n.title == "Store unavailable"]
        assert len(failed) == 1
        assert failed[0].message == "cannot read the store (disk I/O error); trying again every 0.05 s"
        monkeypatch.setattr(tui_store, "revision", real)
        await pilot.pause(0.3)
        assert [n.message for n in app._notifications if n.title == "Store back"] == ["the store answers again"]
        assert app.store_problem is None
