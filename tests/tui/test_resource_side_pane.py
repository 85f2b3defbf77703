"""The Resources side pane's summary: what it counts, worded for the count."""

from __future__ import annotations

from datetime import datetime, timezone

from textual.widgets import Static

from store.tables import StickyBinding

from .conftest import settle


def bind(store, sender: str, *destinations: str) -> None:
    with store.write() as session:
        for to in destinations:
            session.add(StickyBinding(application_id="shop", channel="SMS", destination=to, sender=sender,
                                      bound_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))


async def first_row(make_app) -> tuple[str, str]:
    """The first resource's id and its side pane's summary."""
    app = make_app("resources")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        return app.screen.table.current_id(), str(app.screen.query_one("#pane-summary", Static).render())


async def test_one_sticky_recipient_is_singular(make_app, tui_store):
    sender, _ = await first_row(make_app)
    bind(tui_store, sender, "+14155550001")
    _, text = await first_row(make_app)
    assert "1 sticky recipient" in text and "recipients" not in text


async def test_many_sticky_recipients_are_counted_with_separators(make_app, tui_store):
    sender, _ = await first_row(make_app)
    bind(tui_store, sender, *(f"+1415555{n:04d}" for n in range(1200)))
    _, text = await first_row(make_app)
    assert "1,200 sticky recipients" in text
