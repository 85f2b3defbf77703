"""API keys: every platform link kept by the form, and a new secret only after saying what stops working."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Static

from store.keys import hash_secret
from store.tables import ApiKey
from tui.widgets.confirm import ConfirmNewSecret, SecretModal

from .conftest import SIZE, press, settle


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
        assert key_row(tui_store, "bigcola-prod").secret_hash == before == hash_secret("k-bigcola-prod-0001")

        await press(pilot, "k", "y")
        assert isinstance(app.screen, SecretModal)
        assert key_row(tui_store, "bigcola-prod").secret_hash == hash_secret(app.screen.secret) != before
