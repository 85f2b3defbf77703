"""The Resources area: numbers and senders, with their associations and inbound routing beside them."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.suggester import SuggestFromList

from store import api
from store.associations import create_association, delete_association
from store.enums import INBOUND_CHANNELS, Channel, NumberType, ResourceType
from store.inbound_config import add_inbound_configuration, remove_inbound_configuration
from store.relations import resource_relations
from store.resources import add_resource, edit_resource, get_resource
from store.validation import COUNTRIES
from store.words import count

from ..widgets import styling as st
from ..widgets.confirm import ConfirmDelete
from ..widgets.fields import FormField, split_list
from ..widgets.form_modal import FormModal
from ..widgets.record_table import Column
from ..widgets.relations import RelationsPane, resource_lines
from ..widgets.workers import in_background
from .base import AreaScreen, application_field, entity_field

COUNTRY_SUGGESTER = SuggestFromList(sorted(COUNTRIES), case_sensitive=False)


def _platform(_value, row) -> Text:
    return st.platform(row["applicationId"], row["entityId"])


class ResourcesScreen(AreaScreen):
    AREA = "resources"
    KIND = DELETE_KIND = "resource"
    ID_FIELD = "resourceId"
    NOUN = "resource"
    PLACEHOLDER = "type to filter by number, type, country, application or entity"

    BINDINGS = [
        Binding("a", "associate", "Associate"),
        Binding("i", "inbound", "Inbound"),
        Binding("x", "remove_link", "Unlink"),
    ]

    def columns(self) -> list[Column]:
        return [
            Column("resourceId", "Resource", sort="resourceId", width=16),
            Column("numberType", "Type", sort="numberType", render=lambda _v, r: st.kind_of(r), width=11),
            Column("country", "Ctry", sort="country", render=lambda v, _r: st.maybe(v), width=4, give_way=2),
            Column("capabilities", "Channels", render=lambda v, _r: st.channels(v), width=13),
            Column("applicationId", "Number level", sort="applicationId", render=_platform, width=15, give_way=3),
            Column("associations", "Assoc", render=lambda v, _r: Text(str(v), style="" if v else st.DIM), width=5,
                   give_way=4),  # the side pane shows country, number level and associations
        ]

    # -- side pane -------------------------------------------------------------------------------
    def load_side(self, row: dict) -> None:
        ident = row["resourceId"]
        in_background(self, lambda s: resource_relations(s, ident), self._show_relations, group="side")

    def _show_relations(self, rel: dict) -> None:
        r = rel["resource"]
        if self.side_row is None or self.side_row.get("resourceId") != r["resourceId"]:
            return
        title = Text.assemble(st.plain(r["resourceId"], "bold"), "  ", st.kind_of(r))
        summary = Text.assemble(
            "country ", st.plain(r["country"] or "—"), " · reaches ", st.plain(", ".join(r["destinationCountries"]) or "—"), "\n",
            "channels ", st.channels(r["capabilities"]), "\nnumber level ", st.platform(r["applicationId"], r["entityId"]),
        )
        if r.get("numberKey"):
            summary.append("\nkey ")
            summary.append(r["numberKey"], style="bold")
        if rel["stickyBindings"]:
            summary.append(f"\n{count(rel['stickyBindings'], 'sticky recipient')}", style=st.DIM)
        self.query_one("#side", RelationsPane).show(title, summary, resource_lines(rel))

    def relation_chosen(self, target) -> None:
        kind, value = target
        if kind == "association":
            self.open_form(lambda s: association_form(s, self.app.store, value["resourceId"], value), self._link_saved)
        elif kind == "inbound":
            self.open_form(lambda s: inbound_form(s, self.app.store, value["resourceId"], value), self._link_saved)
        elif kind == "number-level":
            self.action_edit()

    def _link_saved(self, _result) -> None:
        self.notify("saved", timeout=2)
        self.refresh_data()

    # -- forms -----------------------------------------------------------------------------------
    def form(self, session, row: dict | None) -> FormModal:
        return resource_form(session, self.app.store, row)

    def action_associate(self) -> None:
        row = self.table.current_row()
        ident = row["resourceId"] if row else None
        self.open_form(lambda s: association_form(s, self.app.store, ident, None), self._link_saved)

    def action_inbound(self) -> None:
        row = self.table.current_row()
        if row is None or row["resourceType"] != "NUMBER":
            self.notify("inbound configurations are for numbers: select a number first", severity="warning", timeout=3)
            return
        self.open_form(lambda s: inbound_form(s, self.app.store, row["resourceId"], None), self._link_saved)

    def action_remove_link(self) -> None:
        target = self.query_one("#side", RelationsPane).highlighted_target()
        if not target or target[0] not in ("association", "inbound"):
            self.notify("highlight an association or inbound line in the side pane (tab), then press x", severity="warning", timeout=4)
            return
        kind, value = target
        if kind == "association":
            what, ident = "association", f"{value['resourceId']} {value['channel']} → {value['applicationId']}/{value['entityId'] or '—'}"
            job = lambda s: delete_association(s, value["id"])  # noqa: E731
            done = f"association removed: {ident}"
        else:
            what, ident = "inbound configuration", f"{value['resourceId']} {value['channel']} {value['keyword'] or 'catch-all'}"
            job = lambda s: remove_inbound_configuration(s, value["id"])  # noqa: E731
            done = f"inbound configuration removed: {ident}"

        def go(yes: bool) -> None:
            if yes:
                in_background(self, job, lambda _r: self._link_removed(done), group="delete", write=True)

        self.app.push_screen(ConfirmDelete(what, ident, [], nothing="Nothing else changes: the resource itself stays."), go)

    def _link_removed(self, message: str) -> None:
        self.notify(message, timeout=3)
        self.refresh_data()


def resource_form(session, store, row: dict | None) -> FormModal:
    creating = row is None
    row = row or {}
    fields = [
        FormField("resourceId", "Address", value=row.get("resourceId"), readonly=not creating,
                  placeholder="+14155550100 · 12345 · InfoSMS · mail.example.com"),
        FormField("resourceType", "Type", "select", value=row.get("resourceType", "NUMBER"),
                  options=[(t, t) for t in ResourceType], allow_blank=False, readonly=not creating),
        FormField("numberType", "Number type", "select", value=row.get("numberType"),
                  options=[(t, t) for t in NumberType], blank_label="from the number"),
        FormField("country", "Country", value=row.get("country"), suggester=COUNTRY_SUGGESTER,
                  placeholder="from the number (E.164); needed for short codes, alpha"),
        FormField("capabilities", "Channels", "multi", value=row.get("capabilities", []),
                  options=[c.value for c in Channel], hint="none ticked: SMS (EMAIL for domains)"),
        FormField("destinationCountries", "Reaches", value=", ".join(row.get("destinationCountries", [])) or None,
                  placeholder="e.g. US, CA (defaults to the country)"),
        application_field(session, "applicationId", row.get("applicationId", "default"), "Application", allow_blank=False),
        entity_field(session, store, "entityId", row.get("entityId")),
    ]

    def save(s, v: dict) -> dict:
        args = dict(
            number_type=v["numberType"],
            country=v["country"],
            capabilities=v["capabilities"] or None,
            destination_countries=split_list(v["destinationCountries"]),
            application_id=v["applicationId"],
            entity_id=v["entityId"],
        )
        if creating:
            return api.resource(add_resource(s, v["resourceId"], v["resourceType"], **args))
        return api.resource(edit_resource(s, v["resourceId"], **args))

    title = "New resource" if creating else f"Edit resource {row['resourceId']}"
    return FormModal(title, fields, save)


def association_form(session, store, resource_id: str | None, current: dict | None) -> FormModal:
    """Associate a resource with an application (and entity) for one channel; edit = replace."""
    fields = [
        FormField("resourceId", "Resource", value=resource_id, readonly=resource_id is not None,
                  suggester=None if resource_id else _resource_suggester(store), placeholder="+14155550100"),
        FormField("channel", "Channel", "select", value=(current or {}).get("channel", "SMS"),
                  options=[(c, c) for c in Channel], allow_blank=False),
        application_field(session, "applicationId", (current or {}).get("applicationId"), errors=("applicationId", "platform")),
        entity_field(session, store, "entityId", (current or {}).get("entityId"), hint="none: the application itself"),
    ]

    def save(s, v: dict) -> dict:
        if current is not None:
            delete_association(s, current["id"])
        if not v["resourceId"]:
            from store.errors import InvalidInput

            raise InvalidInput("is required", "resourceId")
        resource = get_resource(s, v["resourceId"])
        row = create_association(s, resource.resource_type, resource.resource_id, v["channel"], v["applicationId"], v["entityId"])
        return api.association(row)

    title = "Edit association" if current else "New association"
    return FormModal(title, fields, save, note="Who may send from this resource, on which channel.")


def inbound_form(session, store, resource_id: str, current: dict | None) -> FormModal:
    """Where a number's inbound traffic lands, for one keyword (or all other text); edit = replace."""
    current = current or {}
    fields = [
        FormField("resourceId", "Number", value=resource_id, readonly=True),
        FormField("channel", "Channel", "select", value=current.get("channel", "SMS"),
                  options=[(c, c) for c in INBOUND_CHANNELS], allow_blank=False),
        FormField("keyword", "Keyword", value=current.get("keyword"), placeholder="one word; blank = catch-all"),
        application_field(session, "applicationId", current.get("applicationId"), blank_label="number level"),
        entity_field(session, store, "entityId", current.get("entityId")),
        FormField("forwardUrl", "Forward to", value=(current.get("forwarding") or {}).get("url"),
                  placeholder="http(s):// address; blank = the pull inbox"),
    ]

    def save(s, v: dict) -> dict:
        if current.get("id") is not None:
            remove_inbound_configuration(s, current["id"])
        row = add_inbound_configuration(s, resource_id, v["channel"], v["keyword"], v["applicationId"], v["entityId"],
                                        v.get("forwardUrl") or None)
        return api.inbound_configuration(row)

    title = "Edit inbound configuration" if current else "New inbound configuration"
    return FormModal(title, fields, save, note="Inbound text starting with the keyword lands here; the catch-all takes the rest.")


def _resource_suggester(store):
    from ..widgets.fields import StoreSuggester

    return StoreSuggester(store, "resource")
