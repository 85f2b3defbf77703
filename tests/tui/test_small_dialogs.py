"""Every dialog at the classic 80x24 terminal: its body scrolls, its buttons and key hints are on screen."""

from __future__ import annotations

import pytest
from textual.widgets import Button

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
