"""Form fields: the input the dashboard uses everywhere, suggestions from the store, field specs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from textual.suggester import Suggester
from textual.widgets import Input


class FormInput(Input):
    """An Input whose cursor blink follows the app (tests and screenshots switch it off)."""

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)


class StoreSuggester(Suggester):
    """Completes an id of `kind` from the store (a range scan on the key: fast on big stores)."""

    def __init__(self, store, kind: str):
        super().__init__(use_cache=False, case_sensitive=True)
        self.store = store
        self.kind = kind

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        from store.listing import ids_starting

        def lookup() -> str | None:
            with self.store.read() as session:
                found = ids_starting(session, self.kind, value)
            return found[0] if found else None

        return await asyncio.to_thread(lookup)


@dataclass
class FormField:
    """One field of a form: `name` is the key in the values dict and the store's field name."""

    name: str
    label: str
    kind: str = "text"  # text | select | check | multi | note (a line with buttons, no value)
    value: Any = None
    options: list = field(default_factory=list)  # select: [(label, value)]; multi: [value]
    readonly: bool = False
    placeholder: str = ""
    suggester: Suggester | None = None
    allow_blank: bool = True
    blank_label: str = "—"
    errors: tuple[str, ...] = ()  # the store's error fields shown under this one (prefixes)
    hint: str = ""
    buttons: tuple[tuple[str, str], ...] = ()  # (label, action) after the control: mouse shortcuts of keys

    def error_keys(self) -> tuple[str, ...]:
        return self.errors or (self.name,)


def matches(error_field: str | None, key: str) -> bool:
    if not error_field:
        return False
    return error_field == key or error_field.startswith(key + ".") or error_field.startswith(key + "[")


def field_for_error(fields: list[FormField], error_field: str | None) -> FormField | None:
    """The field whose error key best (longest) matches the store's `error_field`."""
    best, best_len = None, -1
    for f in fields:
        for key in f.error_keys():
            if matches(error_field, key) and len(key) > best_len:
                best, best_len = f, len(key)
    return best


def text_or_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def split_list(value: str | None) -> list[str] | None:
    """"US, CA" → ["US", "CA"]; empty → None (the store's default)."""
    value = (value or "").strip()
    if not value:
        return None
    return [part.strip() for part in value.replace(",", " ").split() if part.strip()]
