"""The side pane: what a record is related to, each line a jump target."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.display import visible

from . import styling as st

DIM = st.DIM


class RelationsPane(Vertical):
    """A title, a summary and an option list; choosing a line posts `Chosen` with its target."""

    class Chosen(Message):
        def __init__(self, target: Any):
            super().__init__()
            self.target = target

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.targets: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane-title", id="pane-title")
        yield Static("", classes="pane-summary", id="pane-summary")
        yield OptionList(id="pane-list", compact=True)

    def show(self, title: Text | str, summary: Text | str, lines: list[tuple[Text | str, Any]]) -> None:
        """`lines`: (label, target); a target of None makes a section heading."""
        self.query_one("#pane-title", Static).update(title)
        self.query_one("#pane-summary", Static).update(summary)
        options = self.query_one("#pane-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self.targets = {}
        for i, (label, target) in enumerate(lines):
            if target is None:
                options.add_option(Option(label, id=f"h{i}", disabled=True))
            else:
                self.targets[f"o{i}"] = target
                options.add_option(Option(label, id=f"o{i}"))
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted

    def clear(self, message: str = "") -> None:
        self.show("", Text(message, style=DIM), [])

    def highlighted_target(self) -> Any:
        options = self.query_one("#pane-list", OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return self.targets.get(option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self.targets.get(event.option.id or "")
        if target is not None:
            self.post_message(self.Chosen(target))


def heading(text: str, count: int | None = None, hint: str = "") -> tuple[Text, None]:
    label = Text(text, style="bold #f6ae2d")
    if count is not None:
        label.append(f" ({count:,})", style=DIM)
    if hint:
        label.append(f"  {hint}", style=DIM)
    return label, None


def platform_lines(rel: dict) -> list[tuple[Text, Any]]:
    """Lines for an application's or entity's relations; each jumps to the record in its area."""
    lines: list[tuple[Text, Any]] = [heading("Numbers", rel["numbersTotal"])]
    for r in rel["numbers"]:
        lines.append((Text.assemble("  ", visible(r["resourceId"]), "  ", st.channels(r["capabilities"])), ("resources", r["resourceId"])))
    if rel["numbersTotal"] > len(rel["numbers"]):
        lines.append((Text(f"  … {rel['numbersTotal'] - len(rel['numbers']):,} more (filter Resources)", style=DIM), ("resources", rel["id"])))
    lines.append(heading("Associations", rel["associationsTotal"]))
    for a in rel["associations"]:
        lines.append(
            (
                Text.assemble("  ", visible(a["resourceId"]), " ", st.channel(a["channel"]), " → ", st.platform(a["applicationId"], a["entityId"])),
                ("resources", a["resourceId"]),
            )
        )
    lines.append(heading("Sending strategies", len(rel["strategies"])))
    for s in rel["strategies"]:
        lines.append((strategy_label(s), ("strategies", s["sendingStrategyId"])))
    if rel["inbound"]:
        lines.append(heading("Inbound configurations", len(rel["inbound"])))
        for c in rel["inbound"]:
            lines.append(
                (
                    Text.assemble("  ", visible(c["resourceId"]), " ", st.channel(c["channel"]), " ", st.plain(c["keyword"]) if c["keyword"] else Text("catch-all", style=DIM)),
                    ("resources", c["resourceId"]),
                )
            )
    lines.append(heading("API keys", len(rel["apiKeys"])))
    for k in rel["apiKeys"]:
        label = Text.assemble("  ", visible(k["name"]), " ", (visible(k["action"] or ""), "#7a8896"))
        if not k["enabled"]:
            label.append(" disabled", style="#ee6352")
        lines.append((label, ("api-keys", k["name"])))
    return lines


def strategy_label(s: dict) -> Text:
    label = Text.assemble(
        "  ",
        st.platform(s["platform"]["applicationId"], s["platform"]["entityId"]),
        " ",
        st.channel(s["channel"], "all channels"),
        " ",
        st.plain(s["destinationCountryCode"]) if s["destinationCountryCode"] else Text("all countries", style=DIM),
    )
    if s["useStickySender"]:
        label.append(" sticky", style="#59cd90")
    if s["useGeolocatedSender"]:
        label.append(" geo", style="#59cd90")
    return label


def resource_lines(rel: dict) -> list[tuple[Text, Any]]:
    """Lines for a resource: its associations and where each kind of inbound traffic lands."""
    r = rel["resource"]
    level = rel["numberLevel"]
    lines: list[tuple[Text, Any]] = [heading("Associations", len(rel["associations"]), "a add · x remove")]
    for a in rel["associations"]:
        lines.append(
            (Text.assemble("  ", st.channel(a["channel"]), " → ", st.platform(a["applicationId"], a["entityId"])), ("association", a))
        )
    if r["resourceType"] == "NUMBER":
        lines.append(heading("Inbound", len(rel["inbound"]), "i add · x remove"))
        for c in rel["inbound"]:
            lands = c["landsOn"]
            word = st.plain(c["keyword"], style="bold") if c["keyword"] else Text("catch-all", style=DIM)
            label = Text.assemble("  ", st.channel(c["channel"]), " ", word, " → ", st.platform(lands["applicationId"], lands["entityId"]))
            if lands["level"] == "NUMBER":
                label.append(" (number)", style=DIM)
            if c.get("forwarding"):
                label.append(" ⇢ ", style=DIM).append(visible(c["forwarding"]["url"]))
            lines.append((label, ("inbound", c)))
        for channel in [c for c in r["capabilities"] if c in ("SMS", "MMS")]:
            if not any(c["channel"] == channel and not c["keyword"] for c in rel["inbound"]):
                label = Text.assemble("  ", st.channel(channel), Text(" rest", style=DIM), " → ", st.platform(level["applicationId"], level["entityId"]))
                label.append(" (number)", style=DIM)
                lines.append((label, ("number-level", r["resourceId"])))
        if "VOICE" in r["capabilities"]:
            voice = [a for a in rel["associations"] if a["channel"] == "VOICE"]
            if not voice:
                lines.append((Text.assemble("  ", st.channel("VOICE"), Text(" calls → not associated", style="#ee6352")), ("number-level", r["resourceId"])))
    if rel["defaultSenderOf"]:
        lines.append(heading("Default sender of", len(rel["defaultSenderOf"])))
        for ident in rel["defaultSenderOf"]:
            lines.append((Text(f"  strategy {visible(ident[:12])}…"), ("strategies", ident)))
    return lines
