"""Form focus order: the fields, then Save, then Cancel, then the first field again; nothing invisible."""

from __future__ import annotations

import pytest

from tui.widgets.form_modal import FormModal

from .conftest import SIZE, press, settle


def stop_name(app) -> str:
    focused = app.focused
    if focused.id in ("save", "cancel"):
        return focused.id
    node = focused
    while node is not None and not (node.id or "").startswith("field-"):
        node = node.parent
    assert node is not None, f"tab stopped on {focused!r}, not a field or a button"
    return node.id


@pytest.mark.parametrize("mode, keys", [("applications", ["n"]), ("resources", ["n"]), ("api-keys", ["e"]),
                                        ("strategies", ["n"])])
async def test_tab_goes_fields_save_cancel_and_wraps(make_app, mode, keys):
    app = make_app(mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, *keys)
        assert isinstance(app.screen, FormModal)
        first = stop_name(app)
        stops = [first]
        for _ in range(40):
            await press(pilot, "tab")
            name = stop_name(app)
            if name == first:
                break
            stops.append(name)
        assert stops[-2:] == ["save", "cancel"]
        assert all(s.startswith("field-") for s in stops[:-2])
        await press(pilot, "shift+tab")
        assert stop_name(app) == "cancel"
