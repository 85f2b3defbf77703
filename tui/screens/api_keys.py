"""The API keys area: keys, the platforms they are limited to, and their one-time secrets."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.binding import Binding

from store import api
from store.enums import KeyAction
from store.errors import InvalidInput, StoreError
from store.keys import create_api_key, new_secret, update_api_key

from ..widgets import styling as st
from ..widgets.confirm import ConfirmNewSecret, SecretModal
from ..widgets.fields import FormField
from ..widgets.form_modal import FormModal
from ..widgets.record_table import Column
from ..widgets.relations import RelationsPane, heading
from ..widgets.workers import in_background
from .base import AreaScreen, application_field, entity_field

LINK_ROWS = 2


def links_text(links: list[dict]) -> Text:
    if not links:
        return Text("full access", style="#f6ae2d")
    out = Text()
    for i, link in enumerate(links):
        if i:
            out.append(", ")
        out.append_text(st.platform(link["applicationId"], link["entityId"]))
        if link["action"]:
            out.append(f" {link['action']}", style=st.DIM)
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
            Column("platform", "Limited to", render=lambda v, _r: links_text(v), width=26),
            Column("validFrom", "From", render=lambda v, _r: st.maybe(_when(v)[:10]), width=10),
            Column("validTo", "To", render=lambda v, _r: st.maybe(_when(v)[:10]), width=10),
        ]

    def load_side(self, row: dict) -> None:
        title = Text.assemble((row["name"], "bold"), "  ", st.flag(row["enabled"], "enabled", "disabled"))
        if row["platform"]:
            summary = Text("Traffic only (send, logs, reports) for these platforms; never management.", style=st.DIM)
        else:
            summary = Text("No links: full access to every application and entity.", style="#f6ae2d")
        if row["validFrom"] or row["validTo"]:
            summary.append(f"\nvalid {_when(row['validFrom']) or 'any time'} → {_when(row['validTo']) or 'no end'}")
        lines = [heading("Linked platforms", len(row["platform"]))]
        for link in row["platform"]:
            lines.append((Text.assemble("  ", st.platform(link["applicationId"], link["entityId"]), " ", (link["action"] or "no action", st.DIM)), ("applications", link["applicationId"])))
            if link["entityId"]:
                lines.append((Text.assemble("    entity ", link["entityId"]), ("entities", link["entityId"])))
        self.query_one("#side", RelationsPane).show(title, summary, lines)

    def form(self, session, row: dict | None) -> FormModal:
        return key_form(session, self.app.store, row)

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
                lambda s: update_api_key(s, name, secret=secret),
                lambda _r: self.app.push_screen(SecretModal(name, secret)),
                group="rotate",
                write=True,
            )

        self.app.push_screen(ConfirmNewSecret(name, len(row["platform"])), rotate)


def _parse_when(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput("must be a date (2026-01-31) or date and time (2026-01-31T09:00)", field) from None


def key_form(session, store, row: dict | None) -> FormModal:
    creating = row is None
    row = row or {"platform": [], "enabled": True}
    fields = [
        FormField("name", "Name", value=row.get("name"), readonly=not creating, placeholder="e.g. shop-prod"),
        FormField("enabled", "Enabled", "check", value=row.get("enabled", True)),
        FormField("validFrom", "Valid from", value=row.get("validFrom"), placeholder="any time (or 2026-01-31T09:00)"),
        FormField("validTo", "Valid to", value=row.get("validTo"), placeholder="no end"),
    ]
    for i in range(LINK_ROWS):
        link = row["platform"][i] if i < len(row["platform"]) else {}
        fields += [
            application_field(session, f"link{i}.applicationId", link.get("applicationId"), f"Link {i + 1} app",
                              blank_label="none" if i else "none: full access", errors=(f"link{i}", f"link{i}.applicationId")),
            entity_field(session, store, f"link{i}.entityId", link.get("entityId"), f"  entity"),
            FormField(f"link{i}.action", "  action", "select", value=link.get("action"),
                      options=[(a, a) for a in KeyAction], blank_label="none"),
        ]

    def save(s, v: dict) -> dict:
        links, rows = [], []
        for i in range(LINK_ROWS):
            app = v[f"link{i}.applicationId"]
            if app is None and (v[f"link{i}.entityId"] or v[f"link{i}.action"]):
                raise InvalidInput("an entity or action needs an application", f"link{i}.applicationId")
            if app is not None:
                links.append({"applicationId": app, "entityId": v[f"link{i}.entityId"], "action": v[f"link{i}.action"]})
                rows.append(i)
        args = dict(
            platform=links,
            enabled=v["enabled"],
            valid_from=_parse_when(v["validFrom"], "validFrom"),
            valid_to=_parse_when(v["validTo"], "validTo"),
        )
        try:
            if creating:
                key, secret = create_api_key(s, v["name"], **args)
                return {**api.api_key(key, []), "secret": secret}
            return api.api_key(update_api_key(s, row["name"], **args), [])
        except StoreError as exc:
            raise _at_form_row(exc, rows) from None

    title = "New API key" if creating else f"Edit API key {row['name']}"
    note = "No linked platform: full access. Linked: traffic only, for those platforms." if creating else ""
    return FormModal(title, fields, save, note=note, dense=True)


def _at_form_row(exc: StoreError, rows: list[int]) -> StoreError:
    """`platform[1].entityId` → `link2.entityId`: the store counts filled links, the form counts rows."""
    field = exc.field or ""
    if field.startswith("platform[") and "]" in field:
        index = int(field[len("platform["): field.index("]")])
        rest = field[field.index("]") + 1:]
        if index < len(rows):
            return type(exc)(exc.message, f"link{rows[index]}{rest}", exc.code)
    return exc
