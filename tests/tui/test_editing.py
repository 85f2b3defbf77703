"""Create, edit and delete through the keyboard, then read the store's rows."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import DataTable, Static

from store.keys import hash_secret
from store.resources import add_resource
from store.tables import (
    ApiKey,
    Application,
    InboundConfiguration,
    Resource,
    ResourceAssociation,
    SendingStrategy,
)
from tui.widgets.confirm import ConfirmDelete, SecretModal
from tui.widgets.form_modal import FormModal

from .conftest import choose, press, run_from_palette, settle, type_text


def rows(store, model, *where):
    with store.read() as s:
        return list(s.exec(select(model).where(*where)).all())


async def test_create_application_then_rename_it(make_app, tui_store):
    app = make_app("applications")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        await type_text(pilot, "billing")
        await press(pilot, "tab")
        await type_text(pilot, "Billing")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, FormModal)
        assert rows(tui_store, Application, Application.application_id == "billing")[0].application_name == "Billing"
        assert app.screen.table.current_id() == "billing"  # the cursor lands on the new row

        await press(pilot, "e")  # the id is read-only: focus starts on the name, its text selected
        await type_text(pilot, "Billing and invoices")
        await press(pilot, "enter")
        assert rows(tui_store, Application, Application.application_id == "billing")[0].application_name == "Billing and invoices"


async def test_invalid_input_is_shown_beside_the_field_and_nothing_is_written(make_app, tui_store):
    app = make_app("applications")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = len(rows(tui_store, Application))
        await press(pilot, "n")
        await type_text(pilot, "shop")  # exists already
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormModal)
        error = app.screen.query_one("#error-applicationId", Static)
        assert "application 'shop' already exists" in str(error.render())
        await press(pilot, "escape")
        assert len(rows(tui_store, Application)) == before


async def test_edit_resource_channels(make_app, tui_store):
    app = make_app("resources")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen.table.current_id() == "+12125550100"
        await press(pilot, "e")  # focus: number type; then country, SMS, MMS, VOICE
        await press(pilot, "tab", "tab", "tab", "tab", "space", "ctrl+s")
        number = rows(tui_store, Resource, Resource.resource_id == "+12125550100")[0]
        assert number.capabilities == ["SMS", "MMS", "VOICE"]


async def test_short_code_needs_a_country(make_app, tui_store):
    app = make_app("resources")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        await type_text(pilot, "55555")
        await press(pilot, "ctrl+s")
        error = app.screen.query_one("#error-country", Static)
        assert "a short code needs a country" in str(error.render())
        assert app.focused.id == "field-country"  # focus goes to the field at fault
        await type_text(pilot, "us")
        await press(pilot, "ctrl+s")
        assert rows(tui_store, Resource, Resource.resource_id == "55555")[0].country == "US"


async def test_add_inbound_keyword_and_remove_an_association(make_app, tui_store):
    app = make_app("resources")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "down", "i")  # +14155550100
        await press(pilot, "tab")  # channel SMS → keyword
        await type_text(pilot, "STOP")
        await press(pilot, "tab")
        await choose(pilot, "alerts")
        await press(pilot, "ctrl+s")
        stop = rows(tui_store, InboundConfiguration, InboundConfiguration.keyword == "STOP")
        assert [(c.resource_id, c.channel, c.application_id) for c in stop] == [("+14155550100", "SMS", "alerts")]

        await press(pilot, "tab")  # the side pane: its first line is the SMS association
        await press(pilot, "down", "x")
        assert isinstance(app.screen, ConfirmDelete)
        await press(pilot, "y")
        assert rows(tui_store, ResourceAssociation, ResourceAssociation.resource_id == "+14155550100") == []
        assert rows(tui_store, Resource, Resource.resource_id == "+14155550100")  # the number stays


async def test_an_inbound_keyword_can_forward_and_a_bad_address_is_refused(make_app, tui_store):
    app = make_app("resources")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "down", "i")  # +14155550100
        await press(pilot, "tab")
        await type_text(pilot, "HOOK")
        await press(pilot, "tab")
        await choose(pilot, "alerts")
        await press(pilot, "tab", "tab")  # entity → forward to
        await type_text(pilot, "ftp://127.0.0.1/x")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, FormModal)  # refused beside its field, nothing written
        assert "must be an http:// or https:// address" in str(app.screen.query_one("#error-forwardUrl", Static).render())
        assert rows(tui_store, InboundConfiguration, InboundConfiguration.keyword == "HOOK") == []
        for _ in range(len("ftp://127.0.0.1/x")):
            await press(pilot, "backspace")
        await type_text(pilot, "http://127.0.0.1:9/in")
        await press(pilot, "ctrl+s")
        hook = rows(tui_store, InboundConfiguration, InboundConfiguration.keyword == "HOOK")
        assert [(c.application_id, c.forward_url) for c in hook] == [("alerts", "http://127.0.0.1:9/in")]
        side = app.screen.query_one("#side")
        options = side.query_one("OptionList")
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "SMS HOOK → alerts / — ⇢ http://127.0.0.1:9/in" in "\n".join(lines)


async def test_edit_strategy_turns_sticky_off(make_app, tui_store):
    app = make_app("strategies")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "down", "e")  # shop/bigcola; focus on the application
        await press(pilot, "tab", "tab", "tab", "tab", "space", "ctrl+s")  # entity, channel, country, sticky
        strategy = rows(tui_store, SendingStrategy, SendingStrategy.sending_strategy_id == "0000000000000000000000000000000A")[0]
        assert strategy.use_sticky_sender is False
        assert strategy.use_geolocated_sender is True


async def test_new_api_key_shows_its_secret_once(make_app, tui_store):
    app = make_app("api-keys")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        await type_text(pilot, "shop-ci")
        await press(pilot, "tab", "tab", "tab", "tab")  # enabled, from, to, link 1 app
        await choose(pilot, "shop")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, SecretModal)
        secret = app.screen.secret
        key = rows(tui_store, ApiKey, ApiKey.name == "shop-ci")[0]
        assert key.secret_hash == hash_secret(secret) and key.enabled
        await press(pilot, "enter")
        assert app.screen.table.current_id() == "shop-ci"

        await press(pilot, "e", "space", "ctrl+s")  # enabled off
        assert rows(tui_store, ApiKey, ApiKey.name == "shop-ci")[0].enabled is False


async def test_delete_asks_first_and_keep_changes_nothing(make_app, tui_store):
    app = make_app("resources")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "down", "d")  # +14155550100
        assert isinstance(app.screen, ConfirmDelete)
        assert "1 association removed: SMS → shop/bigcola" in app.screen.lines
        await press(pilot, "n")
        assert rows(tui_store, Resource, Resource.resource_id == "+14155550100")
        await press(pilot, "d", "y")
        assert rows(tui_store, Resource, Resource.resource_id == "+14155550100") == []
        assert rows(tui_store, InboundConfiguration, InboundConfiguration.resource_id == "+14155550100") == []


async def test_filter_and_pages(make_app, tui_store):
    with tui_store.write() as s:
        for i in range(250):
            add_resource(s, f"{10000 + i}", "NUMBER", country="CA")
    app = make_app("resources")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.table
        assert (table.total_results, len(table.rows)) == (257, 50)
        await press(pilot, "right_square_bracket")
        assert table.page == 1 and table.rows[0]["resourceId"] == "10046"
        await press(pilot, "slash")
        await type_text(pilot, "gb")
        assert [r["resourceId"] for r in table.rows] == ["+442071838750", "InfoSMS"]
        await press(pilot, "enter", "escape")  # back to the table, then clear the filter
        assert table.total_results == 257 and table.page == 0
        await press(pilot, "S")  # reverse: the highest id first
        assert table.rows[0]["resourceId"] == "mail.example.com"


async def test_outside_changes_show_up(make_app, tui_store):
    app = make_app("applications")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.check_revision()
        await settle(pilot)
        with tui_store.write() as s:  # as another process would
            s.add(Application(application_id="zeta", application_name="Zeta"))
        app.check_revision()
        await settle(pilot)
        assert "zeta" in [r["applicationId"] for r in app.screen.table.rows]
        assert app.screen.query_one("#rows", DataTable).row_count == 4


async def test_jump_from_relations_and_open_by_id(make_app, tui_store):
    app = make_app("entities")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "tab")  # bigcola's relations; first line: its first number
        await press(pilot, "down", "enter")
        assert app.current_mode == "resources"
        assert app.screen.table.current_id() == "+12125550100"
        app.open_record("api-keys", "ops")
        await settle(pilot)
        assert app.current_mode == "api-keys" and app.screen.table.current_id() == "ops"


async def test_palette_opens_a_record_by_id(make_app, tui_store):
    app = make_app("applications")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await run_from_palette(pilot, "InfoSMS")
        assert app.current_mode == "resources"
        assert app.screen.table.current_id() == "InfoSMS"


async def test_an_empty_name_on_edit_defaults_to_the_id_as_on_create(make_app, tui_store):
    app = make_app("applications")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.screen.show_record("shop")
        await settle(pilot)
        await press(pilot, "e", "ctrl+a", "ctrl+k", "ctrl+s")  # the name emptied
        assert not isinstance(app.screen, FormModal)
        assert rows(tui_store, Application, Application.application_id == "shop")[0].application_name == "shop"
