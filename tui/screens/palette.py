"""The command palette: every dashboard action by name, and "open a record by id"."""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from store.display import visible

from . import AREAS

ACTIONS = [
    # (palette text, help, area, action on the area's screen)
    ("New application", "create an application", "applications", "new"),
    ("New entity", "create an entity", "entities", "new"),
    ("New resource", "add a number, short code, alphanumeric sender or domain", "resources", "new"),
    ("New association", "let an application / entity send from the selected resource", "resources", "associate"),
    ("New inbound configuration", "route the selected number's inbound keyword or catch-all", "resources", "inbound"),
    ("New sending strategy", "how an application or entity picks senders", "strategies", "new"),
    ("New API key", "a key, optionally limited to platforms; secret shown once", "api-keys", "new"),
    ("Explain a message", "what would happen to a message, without sending it", "strategies", "explain"),
    ("New secret for the selected API key", "asks first: the current secret stops working", "api-keys", "rotate"),
    ("Pause or run traffic", "space in Traffic", "traffic", "toggle"),
    ("Step traffic: one message", "s in Traffic; traffic stays paused", "traffic", "step"),
    ("Faster traffic", "+ in Traffic: the next rate up", "traffic", "rate", 1),
    ("Slower traffic", "- in Traffic: the next rate down", "traffic", "rate", -1),
    ("Send one message", "m in Traffic: write one outbound message and see its route", "traffic", "send_one"),
    ("Inject an inbound message", "i in Traffic: a message arriving at one of your numbers", "traffic", "send_one", True),
    ("Filter traffic", "f in Traffic: by application, entity, status", "traffic", "focus_filter"),
    ("Clear the traffic filter", "x in Traffic", "traffic", "clear_filter"),
    ("New resource request", "n in Requests: numbers or an alphanumeric sender", "requests", "new"),
    ("Advance the selected request", "a in Requests: the simulated reviewer's next step", "requests", "advance"),
    ("Update the selected request", "e in Requests: answer the reviewer's feedback", "requests", "update"),
    ("Cancel the selected request", "x in Requests", "requests", "cancel_request"),
    ("Upload a request document", "u in Requests", "requests", "upload"),
    ("Auto review on or off", "t in Requests: requests move on by themselves", "requests", "auto_review"),
]
PER_AREA = [
    ("Edit selected {noun}", "edit", "open the form for the highlighted row"),
    ("Delete selected {noun}", "delete", "shows what else changes, asks first"),
    ("Filter {title}", "focus_filter", "type to filter by id, name, number, country, type"),
]
KINDS = {"applications": "application", "entities": "entity", "resources": "resource", "strategies": "strategy", "api-keys": "api-key"}
NOUNS = {"applications": "application", "entities": "entity", "resources": "resource", "strategies": "strategy", "api-keys": "API key"}


class DashboardCommands(Provider):
    """Go to an area, create, edit, delete, filter, explain, or open a record by its id."""

    def _commands(self):
        app = self.app
        yield "Help: the keys of this screen", app.action_help, "? opens and closes the keys panel"
        for a in AREAS:
            yield f"Go to {a.title}", partial(app.switch_mode, a.mode), f"key {a.key}"
        for text, help_text, mode, action, *args in ACTIONS:
            yield text, partial(app.run_in_area, mode, action, *args), help_text
        for a in AREAS:
            noun = NOUNS.get(a.mode)
            if noun is None:
                continue
            for text, action, help_text in PER_AREA:
                yield text.format(noun=noun, title=a.title), partial(app.run_in_area, a.mode, action), help_text

    async def discover(self) -> Hits:
        for text, command, help_text in self._commands():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)
        ident = query.strip()
        if ident and " " not in ident:
            for mode, found in await asyncio.to_thread(self._records_starting, ident):
                title = next(a.title for a in AREAS if a.mode == mode)
                for record in found:
                    score = 1.0 if record == ident else 0.6
                    yield Hit(
                        score,
                        Text(f"Open {visible(record)} in {title}"),  # an id is never markup
                        partial(self.app.open_record, mode, record),
                        help=f"the {NOUNS[mode]} with this id",
                    )

    def _records_starting(self, prefix: str) -> list[tuple[str, list[str]]]:
        """Ids beginning with what was typed, a few per area (range scans: fast on big stores)."""
        from store.listing import ids_starting

        with self.app.store.read() as session:
            return [(mode, ids_starting(session, kind, prefix, limit=3)) for mode, kind in KINDS.items()]
