"""User text on the dashboard is shown as typed: `[/x]`, `[bold]` are not markup, `\\x1b[2J` does not clear
the screen (it shows as the escape), in tables, side panes, form titles, confirmations and toasts."""

from __future__ import annotations

import html
import re

from store.keys import create_api_key
from store.platforms import create_application, create_entity

from .conftest import SIZE, press

CLOSING = "[/x] closes"
BOLD = "[bold]loud"
CLEAR = "wipe\x1b[2J"
SHOWN_CLEAR = "wipe\\x1b[2J"  # store.display.visible: the control character as its escape


def screen_text(app) -> str:
    """What the terminal shows, line by line, read from the screenshot (as the snapshots are)."""
    svg = app.export_screenshot()
    rows: dict[int, dict[int, str]] = {}
    pattern = r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" clip-path="url\(#[\w-]*line-(\d+)\)">([^<]*)</text>'
    for x, line, text in re.findall(pattern, svg):
        column = round(float(x) / 12.2)
        for i, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            rows.setdefault(int(line), {})[column + i] = char
    return "\n".join("".join(row.get(c, " ") for c in range(max(row) + 1)) for _n, row in sorted(rows.items()))


def toasts(app) -> list[str]:
    """Every toast's title and message, checked to be plain text (markup off)."""
    out = []
    for n in app._notifications:
        assert not n.markup
        out += [n.title, n.message]
    return out


def hostile_store(store) -> None:
    with store.write() as session:
        create_application(session, "hostile", f"{CLOSING} {BOLD}")
        create_entity(session, "aaa-hostile", CLEAR)
        create_api_key(session, CLOSING)
        create_api_key(session, BOLD, platform=[{"applicationId": "hostile"}])
        create_api_key(session, CLEAR)


async def test_names_show_literally_in_tables_panes_and_forms(make_app, tui_store):
    hostile_store(tui_store)
    app = make_app("applications")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "home", "down", "down")  # alerts, default, hostile, shop
        text = screen_text(app)
        assert f"{CLOSING} {BOLD}" in text  # the table row
        await press(pilot, "e")
        text = screen_text(app)
        assert "Edit application hostile" in text and f"{CLOSING} {BOLD}" in text  # the name field's value
        await press(pilot, "escape", "2")
        await pilot.pause()
        text = screen_text(app)
        assert SHOWN_CLEAR in text and "\x1b" not in text  # entity name in the table and the side pane
        assert text.count(SHOWN_CLEAR) == 2
        await press(pilot, "5")
        await pilot.pause()
        text = screen_text(app)
        for name in (CLOSING, BOLD, SHOWN_CLEAR):
            assert name in text


async def test_confirmation_and_toast_quote_a_name_literally(make_app, tui_store):
    hostile_store(tui_store)
    app = make_app("api-keys")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "home")  # "[/x] closes" sorts first
        await press(pilot, "d")
        assert f"Delete API key {CLOSING}?" in screen_text(app)
        await press(pilot, "y")
        await pilot.pause()
        assert f"Deleted API key {CLOSING}" in toasts(app)  # the toast's title, shown as plain text
        await press(pilot, "home", "e", "ctrl+s")
        await pilot.pause()
        assert f"API key {BOLD} saved" in toasts(app)
        assert CLOSING not in screen_text(app)


async def test_a_requests_typed_values_and_the_reviewers_note_show_literally(make_app, tui_store):
    from tests.store.request_data import ten_dlc
    from store.requests import submit_request

    with tui_store.write() as session:
        submit_request(session, "NUMBER_PURCHASE", "US", "TEN_DIGIT_LONG_CODE", ["SMS"], 1,
                       requirements=ten_dlc(sampleMessage=f"{BOLD} {CLOSING} {CLEAR} and more"),
                       application_id="shop", entity_id="bigcola")
    app = make_app("requests")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert f"sampleMessage: {BOLD} {CLOSING}" in text  # the detail pane's requirements, wrapped after it
        assert f"{SHOWN_CLEAR} and more" in text
