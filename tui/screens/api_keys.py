"""The API keys area: keys, the platforms they are limited to, and their one-time secrets."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from store.keys import new_secret, set_generated_secret

from ..widgets import styling as st
from ..widgets.confirm import ConfirmNewSecret, SecretModal
from ..widgets.form_modal import FormModal
from ..widgets.record_table import Column
from ..widgets.relations import RelationsPane, heading
from ..widgets.workers import in_background
from .api_key_form import KeyForm, LinkChoices
from .base import AreaScreen

def links_text(links: list[dict]) -> Text:
    if not links:
        return Text("full access", style="#f6ae2d")
    out = Text()
    for i, link in enumerate(links):
        if i:
            out.append(", ")
        out.append_text(st.platform(link["applicationId"], link["entityId"]))
        if link["action"]:
            out.append(" ").append_text(st.plain(link["action"], st.DIM))
    return out


def _when(value: str | None) -> str:
    return value.replace("T", " ")[:16] if value else ""


class ApiKeysScreen(AreaScreen):
    AREA = "api-keys"
    KIND = DELETE_KIND = "api-key"
    ID_FIELD = "name"
    NOUN = "API key"
    PLACEHOLDER = "type to filter by name, application or entity"

    BINDINGS = [Binding("k", "rotate", "New secret")]

    def columns(self) -> list[Column]:
        return [
            Column("name", "Name", sort="name", width=16),
            Column("enabled", "On", sort="enabled", render=lambda v, _r: st.flag(v, "on", "off"), width=3),
            Column("platform", "Limited to", render=lambda v, _r: links_text(v), width=26, give_way=1, shrink_to=12),
            Column("validFrom", "From", render=lambda v, _r: st.maybe(_when(v)[:10]), width=10, give_way=2),
            Column("validTo", "To", render=lambda v, _r: st.maybe(_when(v)[:10]), width=10, give_way=3),
        ]

    def load_side(self, row: dict) -> None:
        title = Text.assemble(st.plain(row["name"], "bold"), "  ", st.flag(row["enabled"], "enabled", "disabled"))
        if row["platform"]:
            summary = Text("Traffic only (send, logs, reports) for these platforms; never management.", style=st.DIM)
        else:
            summary = Text("No links: full access to every application and entity.", style="#f6ae2d")
        if row["validFrom"] or row["validTo"]:
            summary.append(f"\nvalid {_when(row['validFrom']) or 'any time'} → {_when(row['validTo']) or 'no end'}")
        lines = [heading("Linked platforms", len(row["platform"]))]
        for link in row["platform"]:
            lines.append((Text.assemble("  ", st.platform(link["applicationId"], link["entityId"]), " ", st.plain(link["action"] or "no action", st.DIM)), ("applications", link["applicationId"])))
            if link["entityId"]:
                lines.append((Text.assemble("    entity ", st.plain(link["entityId"])), ("entities", link["entityId"])))
        self.query_one("#side", RelationsPane).show(title, summary, lines)

    def form(self, session, row: dict | None) -> FormModal:
        return KeyForm(LinkChoices.read(session, self.app.store), row)

    def _form_done(self, result, after) -> None:
        if result is None:
            return
        self.table.reload(keep=result["name"])
        if result.get("secret"):
            self.app.push_screen(SecretModal(result["name"], result["secret"]))
        else:
            self.notify(f"API key {result['name']} saved", timeout=3)

    def action_rotate(self) -> None:
        row = self.table.current_row()
        if row is None:
            return
        name = row["name"]

        def rotate(yes: bool) -> None:
            if not yes:
                return
            secret = new_secret()
            in_background(
                self,
                lambda s: set_generated_secret(s, name, secret),
                lambda _r: self.app.push_screen(SecretModal(name, secret)),
                group="rotate",
                write=True,
            )

        self.app.push_screen(ConfirmNewSecret(name, len(row["platform"])), rotate)
