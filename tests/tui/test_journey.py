"""A new user's first session, keyboard only: application, entity, number, association, a sticky
geolocated strategy, "which sender does New York get?", then deleting the entity seeing its impact."""

from __future__ import annotations

from sqlmodel import func, select

from store.tables import (
    Entity,
    MessageLog,
    Resource,
    ResourceAssociation,
    SendingStrategy,
    StickyBinding,
)
from tui.widgets.confirm import ConfirmDelete
from tui.widgets.explain import ExplainBox

from .conftest import choose, press, settle, type_text


def count(store, model, *where) -> int:
    with store.read() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


async def test_first_session(make_app, tui_store):
    app = make_app("applications")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)

        # An application.
        await press(pilot, "1", "n")
        await type_text(pilot, "acme-app")
        await press(pilot, "tab")
        await type_text(pilot, "Acme messaging")
        await press(pilot, "ctrl+s")

        # An entity.
        await press(pilot, "2", "n")
        await type_text(pilot, "acme")
        await press(pilot, "tab")
        await type_text(pilot, "Acme Corp")
        await press(pilot, "ctrl+s")
        assert count(tui_store, Entity, Entity.entity_id == "acme") == 1

        # A New York number (SMS by default); the cursor lands on it.
        await press(pilot, "3", "n")
        await type_text(pilot, "+12125550111")
        await press(pilot, "ctrl+s")
        assert app.screen.table.current_id() == "+12125550111"

        # Associate it with acme-app / acme for SMS.
        await press(pilot, "a")  # focus: channel (SMS)
        await press(pilot, "tab")
        await choose(pilot, "acme-app")
        await press(pilot, "tab")
        await choose(pilot, "acme")
        await press(pilot, "ctrl+s")
        assert count(
            tui_store, ResourceAssociation,
            ResourceAssociation.resource_id == "+12125550111",
            ResourceAssociation.application_id == "acme-app",
            ResourceAssociation.entity_id == "acme",
        ) == 1

        # A sticky, geolocated strategy for the entity.
        await press(pilot, "4", "n")
        await choose(pilot, "acme-app")
        await press(pilot, "tab")
        await choose(pilot, "acme")
        await press(pilot, "tab", "tab", "tab", "space", "tab", "space", "ctrl+s")  # channel, country, sticky, geo
        with tui_store.read() as s:
            strategy = s.exec(select(SendingStrategy).where(SendingStrategy.entity_id == "acme")).one()
        assert (strategy.application_id, strategy.use_sticky_sender, strategy.use_geolocated_sender) == ("acme-app", True, True)

        # Which sender does a New York recipient get?
        await press(pilot, "x")
        await type_text(pilot, "+12125550123")
        await press(pilot, "tab", "tab")
        await choose(pilot, "acme-app")
        await press(pilot, "tab")
        await type_text(pilot, "acme")
        await press(pilot, "enter")
        decision = app.screen.query_one(ExplainBox).decision
        assert (decision.status, decision.sender, decision.reason) == ("ROUTED", "+12125550111", "GEOLOCATED")
        assert decision.sending_strategy_id == strategy.sending_strategy_id
        # Explaining writes nothing.
        assert count(tui_store, MessageLog) == 0 and count(tui_store, StickyBinding) == 0

        # Delete the entity, seeing its impact first (escape leaves the explain box's fields).
        await press(pilot, "escape", "2")
        assert app.screen.table.current_id() == "acme"
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmDelete)
        assert app.screen.lines == [
            "1 association removed: +12125550111 SMS → acme-app/acme",
            f"1 strategy removed: {strategy.sending_strategy_id}",
        ]
        await press(pilot, "y")
        assert count(tui_store, Entity, Entity.entity_id == "acme") == 0
        assert count(tui_store, ResourceAssociation, ResourceAssociation.entity_id == "acme") == 0
        assert count(tui_store, SendingStrategy, SendingStrategy.entity_id == "acme") == 0
        assert count(tui_store, Resource, Resource.resource_id == "+12125550111") == 1
        assert app.screen.table.current_id() != "acme"
