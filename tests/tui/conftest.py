"""The dashboard under test: a small store from `setup.yaml`, no blink, no animation, a fixed clock."""

from __future__ import annotations

import asyncio
import inspect
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from store.db import Store
from store.setup_file import apply_setup, load_setup
from tui.app import Dashboard

SETUP = Path(__file__).with_name("setup.yaml")
SIZE = (120, 36)
FIXED_NOW = datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """`async def` tests here run in a fresh event loop (Pilot needs one; no plugin required)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


@pytest.fixture
def tui_store(tmp_path) -> Store:
    """An SQLite store holding the test setup (snapshots must not depend on the database server)."""
    store = Store.open(str(tmp_path / "dashboard.db"))
    with store.write() as session:
        apply_setup(session, load_setup(SETUP.read_text(encoding="utf-8")))
    yield store
    store.dispose()


@pytest.fixture
def make_app(tui_store):
    def make(start: str = "applications") -> Dashboard:
        app = Dashboard(tui_store, poll_seconds=None, blink=False, clock=lambda: FIXED_NOW, start=start, label="test store")
        app.animation_level = "none"
        return app

    return make


async def settle(pilot: Pilot) -> None:
    """Let every worker finish and its result reach the screen."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot: Pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)


async def run_from_palette(pilot: Pilot, text: str) -> None:
    """Open the command palette, type `text` and run the first match."""
    await press(pilot, "ctrl+p")
    await type_text(pilot, text)
    await pilot.pause(0.3)  # the palette searches as you type
    await press(pilot, "enter")


async def choose(pilot: Pilot, value) -> None:
    """Pick `value` in the focused Select with the keyboard: open it, arrow to the option, enter."""
    select = pilot.app.focused
    assert isinstance(select, Select), f"focus is on {select!r}, not a Select"
    await press(pilot, "enter")
    values = [v for _label, v in select._options]
    current = values.index(select.value) if select.value in values else 0
    target = values.index(value)
    for _ in range(abs(target - current)):
        await pilot.press("down" if target > current else "up")
    await press(pilot, "enter")
    assert select.value == value
