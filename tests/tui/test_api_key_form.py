"""API keys: every platform link kept by the form, and a new secret only after saying what stops working."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import select
from textual.widgets import Select, Static

from store.keys import create_api_key, hash_secret, key_links, secret_matches
from store.setup_file import export_setup
from store.tables import ApiKey
from tui.screens.api_key_form import KeyForm
from tui.widgets.confirm import ConfirmNewSecret, SecretModal

from .conftest import SIZE, choose, press, settle


def key_row(store, name: str) -> ApiKey:
    with store.read() as s:
        return s.exec(select(ApiKey).where(ApiKey.name == name)).one()


async def test_new_secret_asks_first_and_says_what_stops_working(make_app, tui_store):
    app = make_app("api-keys")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.table.current_id() == "bigcola-prod"
        before = key_row(tui_store, "bigcola-prod").secret_hash
        await press(pilot, "k")
        assert isinstance(app.screen, ConfirmNewSecret)
        said = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "current secret stops working at once" in said and "UNAUTHORIZED" in said
        await press(pilot, "n")  # keep: nothing changed
        assert not isinstance(app.screen, ConfirmNewSecret)
        assert key_row(tui_store, "bigcola-prod").secret_hash == before
        assert secret_matches("k-bigcola-prod-0001-chosen-long-secret", before) and before.startswith("scrypt$")

        await press(pilot, "k", "y")
        assert isinstance(app.screen, SecretModal)
        assert key_row(tui_store, "bigcola-prod").secret_hash == hash_secret(app.screen.secret) != before


def exported(store) -> dict:
    with store.read() as s:
        return export_setup(s)


def three_links(store) -> None:
    with store.write() as s:
        create_api_key(s, "three", secret="k-three-000001-chosen-long-secret", platform=[
            {"applicationId": "shop", "entityId": "bigcola", "action": "FORCE"},
            {"applicationId": "alerts", "entityId": None, "action": None},
            {"applicationId": "shop", "entityId": "fizz", "action": "FILL"},
        ], valid_from=datetime(2026, 1, 1, 9, 30, tzinfo=timezone.utc), valid_to=datetime(2027, 1, 1, tzinfo=timezone.utc))


def links_of(store, name: str) -> list[tuple]:
    with store.read() as s:
        return [(l.application_id, l.entity_id, l.action) for l in key_links(s, name)]


async def open_key(pilot, name: str) -> KeyForm:
    pilot.app.screen.show_record(name)
    await settle(pilot)
    await press(pilot, "e")
    form = pilot.app.screen
    assert isinstance(form, KeyForm)
    return form


async def test_a_key_with_three_links_shows_them_all_and_saving_unchanged_changes_nothing(make_app, tui_store):
    three_links(tui_store)
    before = exported(tui_store)
    app = make_app("api-keys")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await open_key(pilot, "three")
        assert [form.query_one(f"#field-link{i}-applicationId").value for i in range(3)] == ["shop", "alerts", "shop"]
        assert form.query_one("#field-link2-entityId").value == "fizz"
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, KeyForm)
    assert exported(tui_store) == before


async def test_links_added_removed_and_reordered_from_the_keyboard(make_app, tui_store):
    three_links(tui_store)
    app = make_app("api-keys")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await open_key(pilot, "three")
        await press(pilot, "ctrl+n")  # a fourth row, focused
        assert app.focused.id == "field-link3-applicationId"
        await choose(pilot, "alerts")
        await press(pilot, "tab")
        await choose(pilot, "fizz")
        await press(pilot, "alt+up")  # now the third link
        assert app.focused.id == "field-link2-applicationId"
        form.query_one("#field-link0-applicationId").focus()
        await press(pilot, "ctrl+r")  # the first goes
        assert app.focused.id == "field-link0-applicationId"
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, KeyForm)
    assert links_of(tui_store, "three") == [
        ("alerts", None, None), ("alerts", "fizz", None), ("shop", "fizz", "FILL"),
    ]


async def test_removing_every_link_keeps_one_empty_row_and_mouse_buttons_do_the_same(make_app, tui_store):
    app = make_app("api-keys")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = await open_key(pilot, "bigcola-prod")
        await form.run_action("remove_link(0)")
        await settle(pilot)
        assert form.query_one("#field-link0-applicationId").value == Select.NULL
        await form.run_action("add_link")
        await settle(pilot)
        assert len(form.links) == 2
