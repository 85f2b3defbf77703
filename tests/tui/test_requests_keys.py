"""The Requests area answers the keys every area has (/ s d ]): it does the nearest thing or says why not."""

from __future__ import annotations

import pytest
from textual.widgets import Select

from .conftest import SIZE, press, settle


async def test_slash_goes_to_the_status_filter(make_app):
    app = make_app("requests")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        assert isinstance(app.focused, Select) and app.focused.id == "status-filter"


@pytest.mark.parametrize("key, words", [("s", "newest first"), ("d", "never deleted"),
                                        ("right_square_bracket", "one page")])
async def test_keys_of_other_areas_say_what_they_do_here(make_app, key, words):
    app = make_app("requests")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, key)
        assert any(words in str(n.message) for n in app._notifications)
