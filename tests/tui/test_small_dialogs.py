"""Every dialog at the classic 80x24 terminal: its body scrolls, its buttons and key hints are on screen."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from tui.widgets.confirm import SecretModal

from .conftest import press, type_text
from .test_requests_snapshots import requests_store  # noqa: F401  (fixture)

SMALL = (80, 24)

DIALOGS = [
    ("applications", ["n"]),
    ("applications", ["e"]),
    ("applications", ["d"]),
    ("entities", ["n"]),
    ("entities", ["e"]),
    ("entities", ["d"]),
    ("resources", ["n"]),
    ("resources", ["down", "e"]),
    ("resources", ["down", "a"]),
    ("resources", ["down", "i"]),
    ("resources", ["d"]),
    ("strategies", ["n"]),
    ("strategies", ["down", "e"]),
    ("strategies", ["d"]),
    ("api-keys", ["n"]),
    ("api-keys", ["e"]),
    ("api-keys", ["d"]),
    ("api-keys", ["k"]),
    ("requests", ["n"]),
    ("requests", ["u"]),
]
IDS = [
    "new-application", "edit-application", "delete-application", "new-entity", "edit-entity", "delete-entity",
    "new-resource", "edit-resource", "new-association", "new-inbound", "delete-resource", "new-strategy",
    "edit-strategy", "delete-strategy", "new-api-key", "edit-api-key", "delete-api-key", "new-secret",
    "new-request", "upload-document",
]


@pytest.mark.parametrize("mode, keys", DIALOGS, ids=IDS)
def test_dialog_at_80x24(snap_compare, make_app, mode, keys):
    async def run_before(pilot):
        await pilot.pause()
        await press(pilot, *keys)

    assert snap_compare(make_app(mode), terminal_size=SMALL, run_before=run_before)


def test_validation_error_at_80x24(snap_compare, make_app):
    async def run_before(pilot):
        await pilot.pause()
        await press(pilot, "n")
        await type_text(pilot, "+1212")
        await press(pilot, "enter")

    assert snap_compare(make_app("resources"), terminal_size=SMALL, run_before=run_before)


def test_secret_shown_once_at_80x24(snap_compare, make_app):
    async def run_before(pilot):
        await pilot.pause()
        pilot.app.push_screen(SecretModal("shop-prod", "cpx_fixed-secret-for-the-picture"))
        await pilot.pause()

    assert snap_compare(make_app("api-keys"), terminal_size=SMALL, run_before=run_before)


def test_explain_result_at_80x24(snap_compare, make_app):
    async def run_before(pilot):
        await pilot.pause()
        await press(pilot, "down", "x")
        await type_text(pilot, "+12125550123")
        await press(pilot, "enter")

    assert snap_compare(make_app("strategies"), terminal_size=SMALL, run_before=run_before)


def test_command_palette_at_80x24(snap_compare, make_app):
    async def run_before(pilot):
        await pilot.pause()
        await press(pilot, "ctrl+p")
        await type_text(pilot, "new")
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # the palette's own input blinks whatever the app says
        await pilot.pause(0.3)

    assert snap_compare(make_app("applications"), terminal_size=SMALL, run_before=run_before)


def test_keys_panel_at_80x24(snap_compare, make_app):
    async def run_before(pilot):
        await pilot.pause()
        await press(pilot, "question_mark")

    assert snap_compare(make_app("resources"), terminal_size=SMALL, run_before=run_before)


def test_request_update_form_at_80x24(snap_compare, make_app, requests_store):
    async def run_before(pilot):
        await pilot.pause()
        await press(pilot, "down", "e")  # the request sent back for an update, with the reviewer's feedback
        await pilot.pause()

    assert snap_compare(make_app("requests"), terminal_size=SMALL, run_before=run_before)


def inside(outer, inner) -> bool:
    return bool(inner.area) and outer.contains_region(inner)


@pytest.mark.parametrize("mode, keys", DIALOGS, ids=IDS)
async def test_dialog_buttons_and_key_hints_are_on_screen_at_80x24(make_app, requests_store, mode, keys):
    app = make_app(mode)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await press(pilot, *keys)
        await pilot.pause()
        dialog = app.screen.query_one("#dialog")
        assert inside(app.screen.region, dialog.region)
        for widget in [*app.screen.query(Button), *app.screen.query(".dialog-keys")]:
            if "row-button" in widget.classes or widget.id == "lookup":
                continue  # inside the scrolling body: reached by scrolling to it
            assert inside(dialog.region, widget.region), f"{widget!r} is cut off"


async def test_a_long_form_scrolls_to_the_focused_field_at_80x24(make_app):
    app = make_app("resources")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await press(pilot, "n")
        for _ in range(20):  # tab through every field: each comes into view as it is focused
            await pilot.press("tab")
            await pilot.pause()
            dialog = app.screen.query_one("#dialog")
            assert inside(dialog.region, app.focused.region), f"{app.focused!r} is out of view"


@pytest.mark.parametrize("mode", ["applications", "entities", "resources", "strategies", "api-keys", "requests"])
async def test_every_footer_key_is_whole_at_80_columns(make_app, mode):
    app = make_app(mode)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.pause()
        keys = list(app.screen.query("AreaFooter FooterKey"))
        palette = next(k for k in keys if "-command-palette" in k.classes)
        assert keys[0].key_display == "?"
        for key in keys:
            if key is not palette:
                assert key.region.width and key.region.right <= palette.region.x, f"{key.description} is cut"
        assert palette.region.right <= 80


def test_requests_area_with_feedback_at_80x24(snap_compare, make_app, requests_store):
    async def run_before(pilot):
        await pilot.pause()
        await press(pilot, "down")  # the request sent back: its feedback in the detail pane
        await pilot.pause()

    assert snap_compare(make_app("requests"), terminal_size=SMALL, run_before=run_before)
