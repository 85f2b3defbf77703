"""Snapshots of every area, every modal, the delete confirmation, a validation error and the explain box."""

from __future__ import annotations

import pytest

from tui.widgets.confirm import SecretModal

from .conftest import SIZE, press, settle, type_text

AREAS = ["applications", "entities", "resources", "strategies", "api-keys"]


@pytest.mark.parametrize("mode", AREAS)
def test_area(snap_compare, make_app, mode):
    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(make_app(mode), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize(
    "mode, keys",
    [
        ("applications", ["n"]),
        ("applications", ["e"]),
        ("entities", ["n"]),
        ("resources", ["n"]),
        ("resources", ["down", "e"]),
        ("resources", ["down", "a"]),
        ("resources", ["down", "i"]),
        ("strategies", ["down", "e"]),
        ("api-keys", ["n"]),
        ("api-keys", ["e"]),
    ],
    ids=[
        "new-application", "edit-application", "new-entity", "new-resource", "edit-resource",
        "new-association", "new-inbound", "edit-strategy", "new-api-key", "edit-api-key",
    ],
)
def test_form(snap_compare, make_app, mode, keys):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, *keys)

    assert snap_compare(make_app(mode), terminal_size=SIZE, run_before=run_before)


def test_new_strategy_form(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "n")

    assert snap_compare(make_app("strategies"), terminal_size=SIZE, run_before=run_before)


def test_delete_confirmation_shows_impact(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "d")  # bigcola: numbers, associations, a strategy, a key's last link

    assert snap_compare(make_app("entities"), terminal_size=SIZE, run_before=run_before)


def test_validation_error_beside_the_field(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "n")
        await type_text(pilot, "+1212")
        await press(pilot, "enter")

    assert snap_compare(make_app("resources"), terminal_size=SIZE, run_before=run_before)


def test_explain_box(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "down", "x")  # the shop/bigcola strategy fills the platform
        await type_text(pilot, "+12125550123")
        await press(pilot, "enter")

    assert snap_compare(make_app("strategies"), terminal_size=SIZE, run_before=run_before)


def test_secret_shown_once(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.push_screen(SecretModal("shop-prod", "cpx_fixed-secret-for-the-picture"))
        await settle(pilot)

    assert snap_compare(make_app("api-keys"), terminal_size=SIZE, run_before=run_before)


def test_relations_of_a_resource(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "down", "tab")

    assert snap_compare(make_app("resources"), terminal_size=SIZE, run_before=run_before)


def test_command_palette(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "ctrl+p")
        await type_text(pilot, "new")

    assert snap_compare(make_app("applications"), terminal_size=SIZE, run_before=run_before)


def test_new_secret_asks_first(snap_compare, make_app):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "k")

    assert snap_compare(make_app("api-keys"), terminal_size=SIZE, run_before=run_before)
