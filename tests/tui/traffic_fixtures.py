"""The Traffic area under test: the demo setup, deterministic traffic (fixed seed, clock and ids)."""

from __future__ import annotations

import pytest

from store.db import Store
from tui.app import Dashboard
from store.setup_apply import apply_text
from tui.commands.setup import demo_setup_text
from tui.screens.traffic import TrafficOptions, TrafficScreen


@pytest.fixture
def demo_store(tmp_path) -> Store:
    store = Store.open(str(tmp_path / "traffic.db"))
    apply_text(store, demo_setup_text())
    yield store
    store.dispose()


def traffic_app(store: Store, options: TrafficOptions | None = None) -> Dashboard:
    app = Dashboard(store, poll_seconds=None, blink=False, start="traffic", label="demo store")
    app.traffic_options = options or TrafficOptions.deterministic()
    app.animation_level = "none"
    return app


def panel(app) -> TrafficScreen:
    """The Traffic screen, also while a modal is open on it."""
    return next(s for s in reversed(app.screen_stack) if isinstance(s, TrafficScreen))
