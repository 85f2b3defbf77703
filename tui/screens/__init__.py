"""The dashboard's areas. Each is one app mode; a new area is one more line in `AREAS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from textual.screen import Screen


@dataclass(frozen=True)
class Area:
    mode: str  # the app mode's name, also used in "go to" commands
    title: str
    key: str  # the key that switches to it
    screen: str  # "module:Class", imported when the mode first opens
    short: str = ""  # the title in the area bar of a narrow terminal (80 columns)

    def factory(self) -> Callable[[], Screen]:
        def make() -> Screen:
            module, name = self.screen.split(":")
            screen = getattr(import_module(module), name)()
            # Textual re-parses every stylesheet from scratch and restyles the app when a mode's screen
            # is new (its CSS count starts at -1), which cost 100-300 ms per first visit of an area. A
            # screen made now is styled with the current stylesheet when it mounts, so it is current.
            app = screen.app
            screen._css_update_count = app._css_update_count  # noqa: SLF001
            return screen

        return make


AREAS: list[Area] = [
    Area("applications", "Applications", "1", "tui.screens.applications:ApplicationsScreen", "Apps"),
    Area("entities", "Entities", "2", "tui.screens.entities:EntitiesScreen"),
    Area("resources", "Resources", "3", "tui.screens.resources:ResourcesScreen"),
    Area("strategies", "Strategies", "4", "tui.screens.strategies:StrategiesScreen"),
    Area("api-keys", "API keys", "5", "tui.screens.api_keys:ApiKeysScreen", "Keys"),
    Area("traffic", "Traffic", "6", "tui.screens.traffic:TrafficScreen"),
    Area("requests", "Requests", "7", "tui.screens.requests:RequestsScreen"),
    Area("api", "API", "8", "tui.screens.api:ApiScreen"),
]


def area(mode: str) -> Area | None:
    return next((a for a in AREAS if a.mode == mode), None)
