"""Colour for meaning: outcome, channel and sender type look the same on every screen.

User text (ids, names, keywords, numbers) reaches the screen only as `Text` built by `plain` or the
helpers here: never parsed as markup (`[bold]`, `[/x]` show as typed) and with control characters
shown as escapes (`\x1b[2J` cannot clear the screen).
"""

from __future__ import annotations

from rich.text import Text

from store.display import visible

STATUS_STYLE = {"ROUTED": "bold #59cd90", "REJECTED": "bold #ee6352"}
# The platform's status groups a routed message goes through (store.delivery).
DELIVERY_STYLE = {"PENDING": "#f6ae2d", "DELIVERED": "bold #59cd90", "UNDELIVERABLE": "bold #ee6352", "EXPIRED": "#a98bd4"}
CHANNEL_STYLE = {"SMS": "#56b6e8", "MMS": "#c792ea", "VOICE": "#f6ae2d", "EMAIL": "#7fd1b9"}
SENDER_STYLE = {
    "ALPHANUMERIC": "#c792ea",
    "SHORT_CODE": "#f6ae2d",
    "TOLL_FREE_NUMBER": "#7fd1b9",
    "VIRTUAL_LONG_NUMBER": "#56b6e8",
}
TYPE_STYLE = {"NUMBER": "#56b6e8", "ALPHA": "#c792ea", "DOMAIN": "#7fd1b9"}
DIM = "#7a8896"


def plain(value, style: str = "") -> Text:
    """User text as a `Text`: literal, control characters visible (None: empty)."""
    return Text("" if value is None else visible(value), style=style)


def none(text: str = "—") -> Text:
    return Text(text, style=DIM)


def status(value: str | None) -> Text:
    return plain(value or "", style=STATUS_STYLE.get(value or "", ""))


def channel(value: str | None, empty: str = "all") -> Text:
    if not value:
        return none(empty)
    return plain(value, style=CHANNEL_STYLE.get(value, ""))


def channels(values: list[str]) -> Text:
    return Text(" ").join(channel(v) for v in values) if values else none()


def sender_type(value: str | None) -> Text:
    if not value:
        return none()
    return plain(value, style=SENDER_STYLE.get(value, ""))


def resource_type(value: str | None) -> Text:
    return plain(value or "", style=TYPE_STYLE.get(value or "", ""))


NUMBER_TYPE_LABEL = {
    "TEN_DIGIT_LONG_CODE": "10DLC",
    "VIRTUAL_LONG_NUMBER": "long number",
    "TOLL_FREE_NUMBER": "toll-free",
    "SHORT_CODE": "short code",
}


def kind_of(resource: dict) -> Text:
    """A resource's kind in a word: its number type for numbers, coloured as its sender type."""
    if resource["resourceType"] != "NUMBER":
        return resource_type(resource["resourceType"])
    number_type = resource.get("numberType") or ""
    style = SENDER_STYLE["SHORT_CODE" if number_type == "SHORT_CODE" else "TOLL_FREE_NUMBER" if number_type == "TOLL_FREE_NUMBER" else "VIRTUAL_LONG_NUMBER"]
    return plain(NUMBER_TYPE_LABEL.get(number_type, number_type), style=style)


def flag(value: bool, yes: str = "✓", no: str = "·") -> Text:
    return Text(yes, style="bold #59cd90") if value else Text(no, style=DIM)


def maybe(value, empty: str = "—") -> Text:
    return none(empty) if value in (None, "", []) else plain(value)


def platform(application_id: str | None, entity_id: str | None) -> Text:
    """`app / entity` with the entity dimmed when absent."""
    text = plain(application_id or "default")
    text.append(" / ", style=DIM)
    text.append(visible(entity_id or "—"), style="" if entity_id else DIM)
    return text


SHORT_SENDER = {"ALPHANUMERIC": "ALPHA", "SHORT_CODE": "SC", "TOLL_FREE_NUMBER": "TF", "VIRTUAL_LONG_NUMBER": "VLN"}


def priorities(items: list[dict]) -> Text:
    if not items:
        return none("none")
    out = Text()
    for i, item in enumerate(items):
        if i:
            out.append(" ")
        out.append(f"{item['priority']}:", style=DIM)
        out.append(visible(SHORT_SENDER.get(item["senderType"], item["senderType"])), style=SENDER_STYLE.get(item["senderType"], ""))
    return out
