"""Applications and entities: the same screen, the same relations, two kinds."""

from __future__ import annotations

from rich.text import Text

from store import api
from store.platforms import create_application, create_entity, rename_application, rename_entity
from store.relations import platform_relations

from ..widgets import styling as st
from ..widgets.fields import FormField
from ..widgets.form_modal import FormModal
from ..widgets.record_table import Column
from ..widgets.relations import RelationsPane, platform_lines
from ..widgets.workers import in_background
from .base import AreaScreen


def _count(value, _row) -> Text:
    return Text(f"{value:,}", style="" if value else st.DIM)


class PlatformScreen(AreaScreen):
    NAME_FIELD = ""
    PLACEHOLDER = "type to filter by id or name"

    def columns(self) -> list[Column]:
        return [
            Column(self.ID_FIELD, "Id", sort=self.ID_FIELD, width=18),
            Column(self.NAME_FIELD, "Name", sort=self.NAME_FIELD, width=22),
            Column("numbers", "Numbers", render=_count, width=7, give_way=1),  # counted in the side pane too
            Column("associations", "Assoc.", render=_count, width=6, give_way=2),
            Column("strategies", "Strategies", render=_count, width=10, give_way=3),
        ]

    def load_side(self, row: dict) -> None:
        kind, ident = self.DELETE_KIND, row[self.ID_FIELD]
        in_background(self, lambda s: platform_relations(s, kind, ident), self._show_relations, group="side")

    def _show_relations(self, rel: dict) -> None:
        if self.side_row is None or self.side_row.get(self.ID_FIELD) != rel["id"]:
            return  # the cursor moved on while this was read
        title = Text.assemble(st.plain(rel["id"], "bold"), "  ", st.plain(self.side_row.get(self.NAME_FIELD, ""), st.DIM))
        summary = Text("tab, then enter: jump to a line", style=st.DIM)
        self.query_one("#side", RelationsPane).show(title, summary, platform_lines(rel))

    def form(self, session, row: dict | None) -> FormModal:
        creating = row is None
        fields = [
            FormField(self.ID_FIELD, "Id", value=None if creating else row[self.ID_FIELD], readonly=not creating,
                      placeholder="A-Z a-z 0-9 - . _ ~", hint="" if creating else "ids never change"),
            FormField(self.NAME_FIELD, "Name", value=None if creating else row[self.NAME_FIELD], placeholder="defaults to the id"),
        ]
        # An empty name is the id, on create (the store's rule) and on edit alike, as the placeholder says.
        title = f"New {self.NOUN}" if creating else f"Edit {self.NOUN} {row[self.ID_FIELD]}"
        return FormModal(title, fields, self.create if creating else self.rename)


class ApplicationsScreen(PlatformScreen):
    AREA = "applications"
    KIND = DELETE_KIND = "application"
    ID_FIELD, NAME_FIELD = "applicationId", "applicationName"
    NOUN = "application"

    @staticmethod
    def create(session, v: dict) -> dict:
        return api.application(create_application(session, v["applicationId"], v["applicationName"]))

    @staticmethod
    def rename(session, v: dict) -> dict:
        return api.application(rename_application(session, v["applicationId"], v["applicationName"] or v["applicationId"]))


class EntitiesScreen(PlatformScreen):
    AREA = "entities"
    KIND = DELETE_KIND = "entity"
    ID_FIELD, NAME_FIELD = "entityId", "entityName"
    NOUN = "entity"

    @staticmethod
    def create(session, v: dict) -> dict:
        return api.entity(create_entity(session, v["entityId"], v["entityName"]))

    @staticmethod
    def rename(session, v: dict) -> dict:
        return api.entity(rename_entity(session, v["entityId"], v["entityName"] or v["entityId"]))
