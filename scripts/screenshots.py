"""Regenerate the dashboard's screenshots (SVG) on the demo setup, one per area plus a few dialogs.

    uv run python scripts/screenshots.py [--out screenshots]

Each picture is taken headless at 120×36 on a fresh store holding `store/demo_setup.yaml`, with a
fixed clock, so running it again gives the same pictures (the Traffic area routes 120 messages of
deterministic traffic: fixed seed, clock and message ids).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Select  # noqa: E402

from store.db import Store  # noqa: E402
from tui.app import Dashboard  # noqa: E402
from store.setup_apply import apply_text  # noqa: E402
from tui.commands.setup import demo_setup_text  # noqa: E402
from tui.screens import AREAS  # noqa: E402
from tui.screens.traffic import TrafficOptions  # noqa: E402
from tui.widgets.fields import FormInput  # noqa: E402

SIZE = (120, 36)
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)
MANAGED = {"applications", "entities", "resources", "strategies", "api-keys"}


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def keys(pilot: Pilot, *names: str) -> None:
    for name in names:
        await pilot.press(name)
        await settle(pilot)


async def explain_new_york(pilot: Pilot) -> None:
    """MapleMart's 212 recipient: the explain box on the strategies screen."""
    screen = pilot.app.screen
    screen.query_one("#explain-app", Select).value = "shop"
    screen.query_one("#explain-entity", FormInput).value = "maplemart"
    await keys(pilot, "x")
    await pilot.press(*"+12125550123")
    await keys(pilot, "enter")


async def open_entity(pilot: Pilot, ident: str) -> None:
    pilot.app.open_record("entities", ident)
    await settle(pilot)


async def delete_entity(pilot: Pilot) -> None:
    await open_entity(pilot, "maplemart")
    await keys(pilot, "d")


async def resource_with_inbound(pilot: Pilot) -> None:
    pilot.app.open_record("resources", "+18886275300")
    await settle(pilot)


async def traffic_why(pilot: Pilot) -> None:
    """120 generated messages, the cursor on the newest geolocated choice and its trace beside."""
    screen = pilot.app.screen
    screen.run_batch(120)
    await settle(pilot)
    rows = list(screen.table.rows)
    target = max(i for i, row in enumerate(rows) if row.decision.reason == "GEOLOCATED")
    await keys(pilot, *["up"] * (len(rows) - 1 - target))


# (file name, area, what to do before the picture)
SHOTS: list[tuple[str, str, Callable[[Pilot], Awaitable[None]] | None]] = [
    ("applications", "applications", None),
    ("entities", "entities", lambda p: open_entity(p, "maplemart")),
    ("resources", "resources", resource_with_inbound),
    ("strategies-explain", "strategies", explain_new_york),
    ("api-keys", "api-keys", None),
    ("new-strategy-form", "strategies", lambda p: keys(p, "n")),
    ("delete-entity", "entities", delete_entity),
    ("traffic", "traffic", traffic_why),
]


async def take(store: Store, mode: str, before, path: Path) -> None:
    managed = mode in MANAGED
    app = Dashboard(store, demo=not managed, clock=lambda: NOW, poll_seconds=None, blink=False, start=mode, label="demo setup")
    app.animation_level = "none"
    if mode == "traffic":
        app.traffic_options = TrafficOptions.deterministic()
        managed = True  # no live worker: it settles like the others
    async with app.run_test(size=SIZE) as pilot:
        if managed:
            await settle(pilot)
        else:
            await pilot.pause(2.0)  # live areas keep workers running: give them a moment instead
        if before is not None:
            await before(pilot)
        path.write_text(app.export_screenshot(title=f"cpaasx · {path.stem}"), encoding="utf-8")
    print(f"wrote {path}")


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "demo.db"))
        apply_text(store, demo_setup_text())
        named = {mode for _name, mode, _before in SHOTS}
        shots = list(SHOTS) + [(a.mode, a.mode, None) for a in AREAS if a.mode not in MANAGED | named]
        for name, mode, before in shots:
            await take(store, mode, before, out / f"{name}.svg")
        store.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "screenshots"))
    asyncio.run(main(Path(parser.parse_args().out)))
