"""Help and discoverability: ? opens and closes the keys panel, esc closes it, the palette finds help and
every area's actions, the area tabs are clicked like their keys are pressed."""

from __future__ import annotations

import pytest
from textual.widgets import Footer, HelpPanel

from tui.screens import AREAS
from tui.screens.palette import ACTIONS
from tui.widgets.traffic_send import SendOneModal

from .conftest import SIZE, press, run_from_palette, settle
from .traffic_fixtures import demo_store, traffic_app  # noqa: F401  (fixture)


def help_open(app) -> bool:
    return bool(app.screen.query(HelpPanel))


async def test_question_mark_opens_and_closes_the_keys_panel_and_escape_closes_it(make_app):
    app = make_app("resources")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert help_open(app)
        await press(pilot, "question_mark")
        assert not help_open(app)
        await press(pilot, "question_mark", "escape")
        assert not help_open(app)
        # without the panel, escape still does the screen's own thing (back to the table)
        await press(pilot, "slash", "escape")
        assert app.focused is app.screen.table.data_table


async def test_footer_mentions_question_mark(make_app):
    app = make_app("applications")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        keys = [item.key_display for item in footer.query("FooterKey")]
        assert "?" in keys


async def test_palette_finds_help(make_app):
    app = make_app("applications")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_from_palette(pilot, "help")
        assert help_open(app)


def test_every_traffic_and_requests_key_has_a_palette_command():
    commands = {(mode, action) for _t, _h, mode, action, *_ in ACTIONS}
    for mode, actions in {
        "traffic": ["toggle", "step", "rate", "send_one", "focus_filter", "clear_filter"],
        "requests": ["new", "advance", "update", "cancel_request", "upload", "auto_review"],
    }.items():
        for action in actions:
            assert (mode, action) in commands


async def test_palette_runs_traffic_actions(demo_store):
    app = traffic_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_from_palette(pilot, "inject")
        assert isinstance(app.screen, SendOneModal) and app.screen.start_inbound


@pytest.mark.parametrize("target", [a.mode for a in AREAS])
async def test_clicking_an_area_tab_opens_the_area(make_app, target):
    app = make_app("applications" if target != "applications" else "entities")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = app.screen.query_one(".area-bar").render()
        plain = str(text)
        tab = next(a for a in AREAS if a.mode == target)
        x = plain.index(f"{tab.key} {tab.title} ") + 3 + 1  # padding 1, then inside the title
        await pilot.click(".area-bar", offset=(x, 0))
        # not settle(): the Traffic area's live feed is a worker that never completes
        await pilot.pause(0.1)
        assert app.current_mode == target
