"""The classic 80x24 terminal: every area laid out whole (all area tabs, side panes' right edge, ? Help)."""

from __future__ import annotations

import pytest

from .conftest import settle

SMALL = (80, 24)
AREAS = ["applications", "entities", "resources", "strategies", "api-keys", "requests"]


@pytest.mark.parametrize("mode", AREAS)
def test_area_at_80x24(snap_compare, make_app, mode):
    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(make_app(mode), terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize("mode", AREAS)
async def test_every_area_tab_and_help_fit_at_80_columns(make_app, mode):
    app = make_app(mode)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        bar = str(app.screen.query_one(".area-bar").render())
        assert "7 Requests" in bar and "6 Traffic" in bar
        side = app.screen.query("#side")
        if side:
            assert side.first().region.right <= 80
