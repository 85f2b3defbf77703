"""The API key form: name, validity and any number of platform links (add, remove, reorder)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from textual.binding import Binding

from store import api
from store.enums import KeyAction
from store.errors import InvalidInput, StoreError
from store.keys import create_api_key, update_api_key
from store.listing import all_ids

from ..widgets.fields import FormField, StoreSuggester
from ..widgets.form_modal import FormModal
from .base import SELECT_LIMIT

LINK_FIELD = re.compile(r"field-link(\d+)-")


@dataclass(frozen=True)
class LinkChoices:
    """What a link row offers, read once when the form opens (rows are added without a new read)."""

    applications: list[str]
    entities: list[str]
    many_entities: bool  # too many for a drop-down: a text field with suggestions
    store: object

    @classmethod
    def read(cls, session, store) -> "LinkChoices":
        applications, _ = all_ids(session, "application", limit=1000)
        entities, more = all_ids(session, "entity", limit=SELECT_LIMIT)
        return cls(applications, entities, more, store)


def link_fields(choices: LinkChoices, i: int, link: dict, count: int) -> list[FormField]:
    """One link's three fields; the first carries the row's buttons (move, remove)."""
    buttons = []
    if i:
        buttons.append(("↑", f"screen.move_link({i}, -1)"))
    if i < count - 1:
        buttons.append(("↓", f"screen.move_link({i}, 1)"))
    buttons.append(("✕", f"screen.remove_link({i})"))
    app_options = [(a, a) for a in choices.applications]
    if link.get("applicationId") and link["applicationId"] not in choices.applications:
        app_options.insert(0, (link["applicationId"], link["applicationId"]))
    entity_id = link.get("entityId")
    if choices.many_entities:
        entity = FormField(f"link{i}.entityId", "  entity", value=entity_id, suggester=StoreSuggester(choices.store, "entity"),
                           placeholder="entity id (suggested as you type)")
    else:
        options = [(e, e) for e in choices.entities]
        if entity_id and entity_id not in choices.entities:
            options.insert(0, (entity_id, entity_id))
        entity = FormField(f"link{i}.entityId", "  entity", "select", value=entity_id, options=options, blank_label="any entity")
    return [
        FormField(f"link{i}.applicationId", f"Link {i + 1} app", "select", value=link.get("applicationId"),
                  options=app_options, blank_label="none", errors=(f"link{i}", f"link{i}.applicationId"),
                  buttons=tuple(buttons)),
        entity,
        FormField(f"link{i}.action", "  action", "select", value=link.get("action"),
                  options=[(a, a) for a in KeyAction], blank_label="none"),
    ]


def link_rows(values: dict) -> list[dict]:
    """The link rows as the form holds them now, in order (empty rows included)."""
    rows, i = [], 0
    while f"link{i}.applicationId" in values:
        rows.append({"applicationId": values[f"link{i}.applicationId"], "entityId": values[f"link{i}.entityId"],
                     "action": values[f"link{i}.action"]})
        i += 1
    return rows


class KeyForm(FormModal):
    """The key form; ctrl+n adds a link, ctrl+r removes the focused one, alt+↑/↓ move it."""

    BINDINGS = [
        Binding("ctrl+n", "add_link", "Add link"),
        Binding("ctrl+r", "remove_link", "Remove link"),
        Binding("alt+up", "move_link(None, -1)", "Link up", key_display="alt+↑"),
        Binding("alt+down", "move_link(None, 1)", "Link down", key_display="alt+↓"),
    ]
    KEYS_HINT = "ctrl+s save · esc cancel · ctrl+n add link · ctrl+r remove it · alt+↑↓ move it"

    def __init__(self, choices: LinkChoices, row: dict | None):
        self.choices = choices
        self.creating = row is None
        self.row = row or {"platform": [], "enabled": True}
        self.links = [dict(link) for link in self.row["platform"]] or [{}]
        title = "New API key" if self.creating else f"Edit API key {self.row['name']}"
        note = ("No link: full access. Linked: traffic only (send, logs, reports), for those platforms."
                if self.creating else "")
        super().__init__(title, self._fields(self.row), self._save, note=note, dense=True)

    def _fields(self, head: dict) -> list[FormField]:
        fields = [
            FormField("name", "Name", value=head.get("name"), readonly=not self.creating, placeholder="e.g. shop-prod"),
            FormField("enabled", "Enabled", "check", value=head.get("enabled", True)),
            FormField("validFrom", "Valid from", value=head.get("validFrom"), placeholder="any time (or 2026-01-31T09:00)"),
            FormField("validTo", "Valid to", value=head.get("validTo"), placeholder="no end"),
        ]
        for i, link in enumerate(self.links):
            fields += link_fields(self.choices, i, link, len(self.links))
        fields.append(FormField("links-add", "", "note", buttons=(("＋ add a link", "screen.add_link"),)))
        return fields

    # -- editing the links -----------------------------------------------------------------------
    def _focused_link(self) -> int | None:
        focused = self.focused
        while focused is not None and focused is not self:
            found = LINK_FIELD.match(focused.id or "")
            if found:
                return int(found.group(1))
            focused = focused.parent
        return None

    async def _rebuild(self, links: list[dict], focus: int | None) -> None:
        values = self.values()
        if not self.creating:
            values["name"] = self.row["name"]
        self.links = links or [{}]
        self.fields = self._fields(values)
        await self.recompose()
        if focus is not None:
            self.query_one(f"#field-link{min(focus, len(self.links) - 1)}-applicationId").focus()

    async def action_add_link(self) -> None:
        links = link_rows(self.values()) + [{}]
        await self._rebuild(links, len(links) - 1)

    async def action_remove_link(self, index: int | None = None) -> None:
        index = self._focused_link() if index is None else index
        if index is None:
            self.notify("move to a link's field first (tab), then ctrl+r", severity="warning", timeout=3)
            return
        links = link_rows(self.values())
        del links[index]
        await self._rebuild(links, max(index - 1, 0) if index >= len(links) else index)

    async def action_move_link(self, index: int | None, step: int) -> None:
        index = self._focused_link() if index is None else index
        if index is None:
            return
        links = link_rows(self.values())
        target = index + step
        if not 0 <= target < len(links):
            return
        links[index], links[target] = links[target], links[index]
        await self._rebuild(links, target)

    # -- saving ----------------------------------------------------------------------------------
    def _save(self, session, v: dict) -> dict:
        links, rows = [], []
        for i, link in enumerate(link_rows(v)):
            if link["applicationId"] is None and (link["entityId"] or link["action"]):
                raise InvalidInput("an entity or action needs an application", f"link{i}.applicationId")
            if link["applicationId"] is not None:
                links.append(link)
                rows.append(i)
        args = dict(
            platform=links,
            enabled=v["enabled"],
            valid_from=_parse_when(v["validFrom"], "validFrom"),
            valid_to=_parse_when(v["validTo"], "validTo"),
        )
        try:
            if self.creating:
                key, secret = create_api_key(session, v["name"], **args)
                return {**api.api_key(key, []), "secret": secret}
            return api.api_key(update_api_key(session, self.row["name"], **args), [])
        except StoreError as exc:
            raise _at_form_row(exc, rows) from None


def _parse_when(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput("must be a date (2026-01-31) or date and time (2026-01-31T09:00)", field) from None


def _at_form_row(exc: StoreError, rows: list[int]) -> StoreError:
    """`platform[1].entityId` → `link2.entityId`: the store counts filled links, the form counts rows."""
    field = exc.field or ""
    if field.startswith("platform[") and "]" in field:
        index = int(field[len("platform["): field.index("]")])
        rest = field[field.index("]") + 1:]
        if index < len(rows):
            return type(exc)(exc.message, f"link{rows[index]}{rest}", exc.code)
    return exc
