"""Which decisions the table shows: by application, entity and outcome."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, Select

from store.routing import Decision

NO_ENTITY = "\0none"  # the entity choice for messages without an entity
OUTCOMES = [
    ("routed", "ROUTED"),
    ("rejected", "REJECTED"),
    ("outbound", "OUTBOUND"),
    ("inbound", "INBOUND"),
]


@dataclass(frozen=True, slots=True)
class TrafficFilter:
    """None means any. `entity_id` NO_ENTITY matches decisions without an entity."""

    application_id: str | None = None
    entity_id: str | None = None
    outcome: str | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.application_id, self.entity_id, self.outcome))

    def matches(self, d: Decision) -> bool:
        if self.application_id is not None and d.application_id != self.application_id:
            return False
        if self.entity_id is not None:
            if (d.entity_id is None) if self.entity_id == NO_ENTITY else d.entity_id != self.entity_id:
                return False
        if self.outcome in ("ROUTED", "REJECTED"):
            return d.status == self.outcome
        if self.outcome in ("OUTBOUND", "INBOUND"):
            return d.direction == self.outcome
        return True


def _value(select: Select) -> str | None:
    value = select.value
    return None if value in (Select.NULL, Select.BLANK) else value


class FilterBar(Horizontal):
    """Three compact drop-downs; any change posts `Changed` with the new filter."""

    DEFAULT_CSS = """
    FilterBar { height: 1; background: $surface; }
    FilterBar > Label { width: auto; padding: 0 1; color: $text-muted; }
    FilterBar > Select { width: 24; }
    FilterBar > #filter-outcome { width: 16; }
    FilterBar.narrow > Select { width: 17; }
    FilterBar.narrow > #filter-outcome { width: 14; }
    """

    class Changed(Message):
        def __init__(self, bar: "FilterBar", value: TrafficFilter):
            super().__init__()
            self.bar = bar
            self.value = value

    def on_resize(self) -> None:
        # On a classic 80-column terminal all three choices still fit, with shorter boxes.
        self.set_class(self.size.width < 100, "narrow")

    def compose(self) -> ComposeResult:
        yield Label("filter  app")
        yield Select([], prompt="any", id="filter-application", compact=True)
        yield Label("entity")
        yield Select([], prompt="any", id="filter-entity", compact=True)
        yield Label("outcome")
        yield Select(OUTCOMES, prompt="any", id="filter-outcome", compact=True)

    @property
    def value(self) -> TrafficFilter:
        return TrafficFilter(
            _value(self.query_one("#filter-application", Select)),
            _value(self.query_one("#filter-entity", Select)),
            _value(self.query_one("#filter-outcome", Select)),
        )

    def set_choices(self, applications: list[str], entities: list[str]) -> None:
        """New choices from the store; a chosen value that still exists stays chosen."""
        self._set_options(self.query_one("#filter-application", Select), [(a, a) for a in applications])
        self._set_options(
            self.query_one("#filter-entity", Select), [("(no entity)", NO_ENTITY)] + [(e, e) for e in entities]
        )

    def _set_options(self, select: Select, options: list[tuple[str, str]]) -> None:
        current = _value(select)
        with select.prevent(Select.Changed):
            select.set_options(options)
            if current is not None and any(v == current for _, v in options):
                select.value = current

    def choose(self, application_id: str | None = None, entity_id: str | None = None, outcome: str | None = None) -> None:
        """Set the filter from code (tests, the command palette)."""
        for ident, value in (("application", application_id), ("entity", entity_id), ("outcome", outcome)):
            select = self.query_one(f"#filter-{ident}", Select)
            if value is None:
                select.clear()
            else:
                select.value = value

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, self.value))
