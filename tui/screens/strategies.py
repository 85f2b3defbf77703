"""The Strategies area: sending strategies, and the explain box that answers "what would happen"."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header

from store import api
from store.enums import SenderType
from store.listing import all_ids
from store.strategies import create_strategy, update_strategy

from ..widgets.footer import AreaFooter
from ..widgets import styling as st
from ..widgets.explain import ExplainBox
from ..widgets.fields import FormField, FormInput, StoreSuggester
from ..widgets.form_modal import FormModal
from ..widgets.record_table import Column, RecordTable
from ..widgets.workers import in_background
from .base import AreaBar, AreaScreen, application_field, entity_field
from .resources import COUNTRY_SUGGESTER


class StrategiesScreen(AreaScreen):
    AREA = "strategies"
    KIND = DELETE_KIND = "strategy"
    ID_FIELD = "sendingStrategyId"
    NOUN = "strategy"
    PLACEHOLDER = "type to filter by application, entity, channel, country or id"

    BINDINGS = [Binding("x", "explain", "Explain")]

    def columns(self) -> list[Column]:
        return [
            Column("applicationId", "Application", sort="applicationId", render=lambda _v, r: st.plain(r["platform"]["applicationId"]), width=12),
            Column("entityId", "Entity", sort="entityId", render=lambda _v, r: st.maybe(r["platform"]["entityId"], "all"), width=12),
            Column("channel", "Channel", sort="channel", render=lambda v, _r: st.channel(v), width=7),
            Column("destinationCountryCode", "Ctry", sort="destinationCountryCode", render=lambda v, _r: st.maybe(v, "all"), width=4),
            Column("useStickySender", "Sticky", render=lambda v, _r: st.flag(v), width=6),
            Column("useGeolocatedSender", "Geo", render=lambda v, _r: st.flag(v), width=3),
            Column("priorities", "Priorities", render=lambda v, _r: st.priorities(v), width=15),
            Column("defaultSender", "Default", render=lambda v, _r: st.maybe(v), width=12, give_way=1),  # in the form
        ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield AreaBar(self.AREA)
        with Vertical(id="body"):
            yield RecordTable(self.KIND, self.ID_FIELD, self.columns(), self.PLACEHOLDER, id="table")
            yield ExplainBox(id="explain")
        yield AreaFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.load_choices()

    def refresh_data(self) -> None:
        super().refresh_data()
        self.load_choices()

    def load_choices(self) -> None:
        in_background(self, lambda s: all_ids(s, "application", limit=1000)[0], self.query_one(ExplainBox).set_applications, group="choices")

    def clear_side(self) -> None:
        """The explain box stays as it is whatever row is highlighted."""

    def load_side(self, row: dict) -> None:
        """Highlighting a strategy puts its platform into the explain box (unless one is being typed)."""
        box = self.query_one(ExplainBox)
        if box.has_focus_within:
            return
        platform = row["platform"]
        from textual.widgets import Select

        select = box.query_one("#explain-app", Select)
        if any(value == platform["applicationId"] for _label, value in select._options):
            select.value = platform["applicationId"]
        box.query_one("#explain-entity", FormInput).value = platform["entityId"] or ""
        if row["channel"]:
            box.query_one("#explain-channel", Select).value = row["channel"]

    def action_explain(self) -> None:
        self.query_one("#explain-to", FormInput).focus()

    def form(self, session, row: dict | None) -> FormModal:
        return strategy_form(session, self.app.store, row)


SENDER_LABELS = {
    SenderType.ALPHANUMERIC: "Alphanumeric",
    SenderType.SHORT_CODE: "Short code",
    SenderType.TOLL_FREE_NUMBER: "Toll-free",
    SenderType.VIRTUAL_LONG_NUMBER: "Long number",
}


def strategy_form(session, store, row: dict | None) -> FormModal:
    creating = row is None
    row = row or {"platform": {}, "priorities": []}
    ranks = {p["senderType"]: p["priority"] for p in row["priorities"]}
    fields = [
        application_field(session, "applicationId", row["platform"].get("applicationId"),
                          errors=("platform.applicationId", "platform")),
        entity_field(session, store, "entityId", row["platform"].get("entityId"), errors=("platform.entityId",),
                     hint="none: every entity of the application without its own strategy"),
        FormField("channel", "Channel", "select", value=row.get("channel"), options=[("SMS", "SMS"), ("MMS", "MMS")],
                  blank_label="all channels"),
        FormField("destinationCountryCode", "Country", value=row.get("destinationCountryCode"),
                  suggester=COUNTRY_SUGGESTER, placeholder="all countries (or e.g. US)"),
        FormField("useStickySender", "Sticky sender", "check", value=row.get("useStickySender", False)),
        FormField("useGeolocatedSender", "Geolocated", "check", value=row.get("useGeolocatedSender", False)),
    ]
    for i, sender_type in enumerate(SenderType):
        fields.append(
            FormField(
                f"prio.{sender_type}", f"{SENDER_LABELS[sender_type]}", "select", value=ranks.get(sender_type),
                options=[(f"priority {n}", n) for n in range(1, 5)], blank_label="unranked",
                errors=(f"prio.{sender_type}", "priorities") if i == 0 else (),
            )
        )
    fields.append(
        FormField("defaultSender", "Default sender", value=row.get("defaultSender"),
                  suggester=StoreSuggester(store, "resource"), placeholder="fallback resource (optional)")
    )

    def save(s, v: dict) -> dict:
        priorities = [{"senderType": t.value, "priority": v[f"prio.{t}"]} for t in SenderType if v[f"prio.{t}"]]
        args = dict(
            application_id=v["applicationId"],
            entity_id=v["entityId"],
            channel=v["channel"],
            destination_country_code=v["destinationCountryCode"],
            use_sticky_sender=v["useStickySender"],
            use_geolocated_sender=v["useGeolocatedSender"],
            priorities=priorities,
            default_sender=v["defaultSender"],
        )
        if creating:
            return api.strategy(create_strategy(s, **args))
        return api.strategy(update_strategy(s, row["sendingStrategyId"], **args))

    title = "New sending strategy" if creating else f"Edit strategy {row['sendingStrategyId']}"
    note = Text("Priorities rank sender types (1 first); unranked types come after ranked ones.", style=st.DIM)
    return FormModal(title, fields, save, note=note, dense=True)
