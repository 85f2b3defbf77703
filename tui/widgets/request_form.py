"""The guided request form: what to request, then exactly the requirements the catalogue asks for.

Step one looks the requirements up; step two renders one field per requirement with its rules as a
hint, checks each value as it is typed (the store's own checks), and shows the submit's per-field
feedback beside the field. A DOCUMENT field takes a document id or a file path, uploaded on submit.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from store.words import count
from store.errors import StoreError
from store.requests import lookup_requirements, submit_request, update_request, upload_document
from store.requests.validate import check_value

from . import styling as st
from .fields import FormInput
from .form_modal import CheckGroup, FitsTerminal, clear_field_errors
from .workers import in_background

TYPES = ["NUMBER_PURCHASE", "ALPHANUMERIC_REGISTRATION"]
NUMBER_TYPES = ["TEN_DIGIT_LONG_CODE", "TOLL_FREE_NUMBER", "SHORT_CODE", "VIRTUAL_LONG_NUMBER"]
WHAT_FIELDS = ("type", "countryCode", "numberType", "capabilities", "quantity", "senderName", "applicationId", "entityId")


class FeedbackRaised(StoreError):
    """Submit answered feedback: raised inside the write so any upload made for it rolls back too."""

    code = "RES_REQ_FEEDBACK"

    def __init__(self, feedback: list[dict]):
        super().__init__(f"{count(len(feedback), 'requirement')} {'needs' if len(feedback) == 1 else 'need'} attention")
        self.feedback = feedback


def rule_hint(req: dict) -> str:
    rules = req.get("validation") or {}
    parts = [req["type"], "required" if req["required"] else "optional"]
    if "minLength" in rules or "maxLength" in rules:
        parts.append(f"{rules.get('minLength', 0)}–{rules.get('maxLength', '…')} chars")
    if "pattern" in rules:
        parts.append(f"pattern {rules['pattern']}")
    if "minValue" in rules or "maxValue" in rules:
        parts.append(f"{rules.get('minValue', '…')}–{rules.get('maxValue', '…')}")
    if req["type"] == "DOCUMENT":
        parts.append("document id or file path")
    return " · ".join(parts) + f" — {req['description']}"


FEEDBACK_WORDS = {
    "RES_REQ_FEED_REQUIRED": "required",
    "RES_REQ_FEED_FORMAT": "wrong format",
    "RES_REQ_FEED_LENGTH_OOR": "wrong length",
    "RES_REQ_FEED_VALUE_OOR": "out of range",
    "RES_REQ_FEED_OTHER": "reviewer",
    "RES_REQ_FEED_USER_ACTION_REQUIRED": "action needed",
}


def reviewer_line(item: dict) -> Text:
    """`↳ reviewer: The sample message must …` under the field the reviewer flagged."""
    words = FEEDBACK_WORDS.get(item["code"], item["code"])
    return Text.assemble(("↳ ", "bold"), st.plain(f"{words}: ", "bold"), st.plain(item["feedback"]))


def update_summary(data: dict, names: dict[str, str] | None = None) -> Text:
    """What the reviewer asked, above the fields: how many to change, which (by name once the requirements
    are looked up, by key before), and the reviewer's note."""
    items = data.get("requirementsFeedback") or []
    names = names or {}
    text = Text("Sent back by the reviewer: ", style="bold")
    if items:
        text.append(f"change {count(len(items), 'requirement')} (marked ↳ below): ")
        text.append_text(st.plain(", ".join(names.get(i["key"], i["key"]) for i in items)))
    else:
        text.append("no field was flagged")
    if data.get("note"):
        text.append("\n").append_text(st.plain(f"note: {data['note']}"))
    return text


class RequestForm(FitsTerminal, ModalScreen[str | None]):
    """Dismisses with the submitted request's id, or None when cancelled."""

    DEFAULT_CSS = """
    RequestForm #dialog.request-form {
        width: 100;
        height: 34;
        max-height: 100%;
    }
    RequestForm .form-fields {
        height: 1fr;
    }
    RequestForm #requirements {
        height: auto;
    }
    RequestForm .req-title {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    """

    BODY = "#request-fields"
    BODY_CAP = 40

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "submit", "Submit"),
                Binding("ctrl+l", "lookup", "Look up")]

    def __init__(self, applications: list[str], entities: list[str], update_of: dict | None = None):
        super().__init__()
        self.applications = applications
        self.entities = entities
        self.update_of = update_of
        self.requirements: list[dict] = []
        self.looked_up_for: dict | None = None
        self.busy = False

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        data = self.update_of or {}
        locked = self.update_of is not None
        with Vertical(id="dialog", classes="form-dialog request-form"):
            yield Static(st.plain(f"Update request {data['id']}" if locked else "Request resources"), classes="dialog-title")
            if locked:
                yield Static(update_summary(data), classes="dialog-note", id="update-summary")
            with VerticalScroll(classes="form-fields", id="request-fields"):
                yield from self._row("type", "Type", Select([(t, t) for t in TYPES], value=data.get("type", TYPES[0]),
                                                             allow_blank=False, compact=True, disabled=locked))
                yield from self._row("countryCode", "Country", FormInput(data.get("countryCode", "US"), compact=True,
                                                                         placeholder="two letters", disabled=locked))
                yield from self._row("numberType", "Number type", Select(
                    [(t, t) for t in NUMBER_TYPES], value=data.get("numberType") or NUMBER_TYPES[0], allow_blank=False,
                    compact=True, disabled=locked))
                yield from self._row("capabilities", "Capabilities", CheckGroup(
                    ["SMS", "MMS", "VOICE"], data.get("capabilities") or ["SMS"], disabled=locked))
                yield from self._row("quantity", "Quantity", FormInput(str(data.get("quantity") or 1), compact=True,
                                                                       disabled=locked))
                yield from self._row("senderName", "Sender name", FormInput(data.get("senderName") or "", compact=True,
                                                                            placeholder="alphanumeric only", disabled=locked))
                platform = data.get("platform", {})
                yield from self._row("applicationId", "Application", Select(
                    [(st.plain(a), a) for a in self.applications], value=platform.get("applicationId", "default"),
                    allow_blank=False, compact=True, disabled=locked))
                yield from self._row("entityId", "Entity", Select(
                    [(st.plain(e), e) for e in self.entities], value=platform.get("entityId") or Select.NULL,
                    prompt="none", compact=True, disabled=locked))
                if not locked:
                    with Horizontal(classes="dialog-buttons"):
                        yield Button("Look up requirements", id="lookup", compact=True)
                yield Static("", classes="req-title", id="req-title")
                yield Vertical(id="requirements")
            yield Static("", classes="field-error", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Update" if locked else "Submit", variant="primary", id="submit", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("ctrl+l look up · ctrl+s submit · esc cancel", classes="dialog-keys")

    def _row(self, name: str, label: str, control) -> ComposeResult:
        control.id = f"field-{name}"
        control.add_class("form-control")
        with Horizontal(classes="form-row", id=f"row-{name}"):
            yield Label(label, classes="form-label")
            yield control
        yield Static("", classes="field-error", id=f"error-{name}")

    def on_mount(self) -> None:
        if self.update_of is not None:
            self.action_lookup()
        else:
            self.query_one("#field-countryCode").focus()

    # -- values ----------------------------------------------------------------------------------
    def what(self) -> dict:
        def val(name):
            widget = self.query_one(f"#field-{name}")
            if isinstance(widget, CheckGroup):
                return widget.chosen()
            value = widget.value
            return None if value in (Select.NULL, Select.BLANK, "") else value

        out = {name: val(name) for name in WHAT_FIELDS}
        if out["type"] == "ALPHANUMERIC_REGISTRATION":
            out.update(numberType=None, capabilities=None, quantity=None)
        else:
            out["senderName"] = None
        return out

    def filled(self) -> dict:
        out = {}
        for req in self.requirements:
            widget = self.query_one(f"#field-req-{req['key']}")
            value = widget.value
            if value not in (Select.NULL, Select.BLANK, None) and str(value).strip():
                out[req["key"]] = str(value).strip()
        return out

    # -- step one: look up -----------------------------------------------------------------------
    @on(Button.Pressed, "#lookup")
    def action_lookup(self) -> None:
        self._clear_errors()
        what = self.what()
        in_background(
            self,
            lambda _s: lookup_requirements(what["type"], what["countryCode"], what["numberType"],
                                           what["capabilities"], what["quantity"]),
            lambda reqs: self._show_requirements(what, reqs),
            group="request-lookup",
            failed=self._failed,
        )

    def _show_requirements(self, what: dict, reqs: list[dict]) -> None:
        previous = self.filled() if self.requirements else {}
        if self.update_of is not None and not previous:
            previous = {i["key"]: i["value"] for i in self.update_of["requirements"]}
        self.requirements, self.looked_up_for = reqs, what
        box = self.query_one("#requirements", Vertical)
        box.remove_children()
        reviewer = {i["key"]: i for i in (self.update_of or {}).get("requirementsFeedback", [])}
        rows = []
        for req in reqs:
            mark = " *" if req["required"] else ""
            value = previous.get(req["key"])
            if req.get("options"):
                control = Select([(st.plain(o), o) for o in req["options"]], value=value if value in req["options"] else Select.NULL,
                                 prompt="choose", compact=True, id=f"field-req-{req['key']}", classes="form-control")
            else:
                control = FormInput("" if value is None else str(value), compact=True, id=f"field-req-{req['key']}",
                                    classes="form-control", placeholder=req["type"].lower())
            rows.append(Horizontal(Label(req["name"] + mark, classes="form-label"), control,
                                   classes="form-row hinted", id=f"row-req-{req['key']}"))
            rows.append(Static(st.plain(rule_hint(req)), classes="form-hint"))
            said = reviewer.get(req["key"])
            if said:  # what the reviewer asked, under the field it concerns; it stays while the value is edited
                rows[-2].add_class("flagged")
                rows[-1].add_class("flagged")
                rows.append(Static(reviewer_line(said), classes="reviewer-feedback", id=f"reviewer-req-{req['key']}"))
            rows.append(Static("", classes="field-error", id=f"error-req-{req['key']}"))
        box.mount_all(rows)
        title = f"{count(len(reqs), 'requirement')} for this request" if reqs else "No requirements: nothing more is needed"
        self.query_one("#req-title", Static).update(title)
        if self.update_of is not None:
            self.query_one("#update-summary", Static).update(update_summary(self.update_of, {r["key"]: r["name"] for r in reqs}))
            self.call_after_refresh(self.show_reviewer_feedback)
        elif reqs:
            self.call_after_refresh(self.query_one(f"#field-req-{reqs[0]['key']}").focus)

    @on(Input.Changed)
    def _check_as_typed(self, event: Input.Changed) -> None:
        """The store's own check of one value, as it is typed (documents are checked on submit)."""
        ident = event.input.id or ""
        req = next((r for r in self.requirements if f"field-req-{r['key']}" == ident), None)
        if req is None or req["type"] == "DOCUMENT":
            return
        value = event.value.strip()
        problem = check_value(None, req, value) if value else None
        self._field_error(f"req-{req['key']}", f"✗ {problem[1]}" if problem else "")

    # -- step two: submit ------------------------------------------------------------------------
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        if self.busy:
            return
        what = self.what()
        if self.looked_up_for != what:
            self.notify("look the requirements up first (they depend on what you request)", severity="warning")
            self.action_lookup()
            return
        self.busy = True
        self._clear_errors()
        filled, docs = self.filled(), {r["key"] for r in self.requirements if r["type"] == "DOCUMENT"}
        update_id = self.update_of["id"] if self.update_of else None

        def job(session):
            for key in docs & set(filled):
                if Path(filled[key]).expanduser().is_file():
                    filled[key] = upload_document(session, filled[key]).document_id
            if update_id:
                result = update_request(session, update_id, filled)
            else:
                result = submit_request(
                    session, what["type"], what["countryCode"], what["numberType"], what["capabilities"],
                    what["quantity"], what["senderName"], filled, what["applicationId"], what["entityId"],
                )
            if not result.ok:
                raise FeedbackRaised(result.feedback)
            return result.request.id

        in_background(self, job, self._submitted, group="request-submit", write=True, failed=self._failed)

    def _submitted(self, request_id: str) -> None:
        self.busy = False
        self.dismiss(request_id)

    def show_feedback(self, feedback: list[dict]) -> None:
        for item in feedback:
            self._field_error(f"req-{item['key']}", f"✗ {item['code']}: {item['feedback']}")
        if feedback:
            self.focus_requirement(feedback[0]["key"])

    def show_reviewer_feedback(self) -> None:
        """An update opens on the first field the reviewer flagged, its feedback right under it."""
        flagged = [i["key"] for i in self.update_of["requirementsFeedback"] if self.query(f"#row-req-{i['key']}")]
        if flagged:
            self.focus_requirement(flagged[0])

    def focus_requirement(self, key: str) -> None:
        """Focus a requirement's field and scroll its row to the top of the fields, once laid out."""
        rows = self.query(f"#row-req-{key}")
        if not rows:
            return
        self.query_one(f"#field-req-{key}").focus(scroll_visible=False)
        scroll = self.query_one("#request-fields", VerticalScroll)
        self.call_after_refresh(lambda: scroll.scroll_to_widget(rows.first(), top=True, animate=False))

    def _failed(self, error: StoreError) -> None:
        self.busy = False
        if isinstance(error, FeedbackRaised):
            self.show_feedback(error.feedback)
            self._field_error("form", f"✗ not submitted: {error.message}")
            return
        field = (error.field or "").split("[")[0]
        if field.startswith("requirements."):
            name = "req-" + field.split(".", 1)[1]
        elif field in WHAT_FIELDS:
            name = field
        else:
            name = "form"
        if not self.query(f"#error-{name}"):
            name = "form"
        self._field_error(name, f"✗ {error.code}: {error.message}")

    def _field_error(self, name: str, text: str) -> None:
        label = self.query_one("#form-error" if name == "form" else f"#error-{name}", Static)
        label.update(st.plain(text))  # plain text: patterns such as [A-Z] are not markup
        label.set_class(bool(text), "shown")
        if name == "form":
            self.call_after_refresh(self.fit)  # the message takes rows the fields give back
        row = self.query(f"#row-{name}")
        if row:
            row.first().set_class(bool(text), "invalid")

    def _clear_errors(self) -> None:
        clear_field_errors(self)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
