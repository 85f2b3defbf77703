"""Opening any edit form and saving it without a change leaves the store exactly as it was."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from store.inbound_config import list_inbound_configurations, set_forward_url

from store.keys import create_api_key
from store.setup_file import export_setup
from tui.widgets.form_modal import FormModal
from tui.widgets.relations import RelationsPane

from .conftest import SIZE, press, settle


def exported(store) -> dict:
    with store.read() as s:
        return export_setup(s)


@pytest.fixture
def varied_store(tui_store):
    """The test setup plus a key with three links and both validity dates."""
    with tui_store.write() as s:
        create_api_key(s, "three", secret="k-three-000001-chosen-long-secret", platform=[
            {"applicationId": "shop", "entityId": "bigcola", "action": "FORCE"},
            {"applicationId": "alerts", "entityId": None, "action": None},
            {"applicationId": "shop", "entityId": "fizz", "action": "FILL"},
        ], enabled=False, valid_from=datetime(2026, 1, 1, 9, 30, tzinfo=timezone.utc),
            valid_to=datetime(2027, 1, 1, tzinfo=timezone.utc))
        for row in list_inbound_configurations(s)[:1]:  # one forwards: an unchanged edit keeps its address
            set_forward_url(s, row, "http://127.0.0.1:9/inbound")
    return tui_store


async def save_unchanged(pilot) -> None:
    assert isinstance(pilot.app.screen, FormModal), pilot.app.screen
    await press(pilot, "ctrl+s")
    assert not isinstance(pilot.app.screen, FormModal), "the unchanged form did not save"


@pytest.mark.parametrize("mode", ["applications", "entities", "resources", "strategies", "api-keys"])
async def test_every_edit_form_saved_unchanged_changes_nothing(make_app, varied_store, mode):
    before = exported(varied_store)
    app = make_app(mode)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        count = len(app.screen.table.rows)
        assert count
        for i in range(count):
            await press(pilot, "e")
            await save_unchanged(pilot)
            assert app.screen.table.current_id() == app.screen.table.rows[i][app.screen.ID_FIELD]
            await press(pilot, "down")
    assert exported(varied_store) == before


async def test_association_and_inbound_forms_saved_unchanged_change_nothing(make_app, varied_store):
    before = exported(varied_store)
    app = make_app("resources")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        seen = 0
        for _ in screen.table.rows:
            targets = [t for t in screen.query_one("#side", RelationsPane).targets.values()
                       if isinstance(t, tuple) and t[0] in ("association", "inbound")]
            for target in targets:
                screen.relation_chosen(target)
                await settle(pilot)
                await save_unchanged(pilot)
                seen += 1
            await press(pilot, "down")
        assert seen == 7  # five associations, two inbound configurations
    assert exported(varied_store) == before
