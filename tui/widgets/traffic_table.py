"""The live table of routing decisions: a bounded window drawn line by line.

Only the visible lines are ever rendered (Textual's line API), so adding a batch of a hundred rows
and dropping the oldest costs the same whether the window holds fifty rows or five hundred. The
cursor follows the newest row until the user moves it; then it stays on its row while new rows
arrive, and the view keeps still.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.delivery import Moved
from store.display import platform_label, visible
from store.routing import Decision

from .styling import CHANNEL_STYLE, DELIVERY_STYLE, DIM, SENDER_STYLE, STATUS_STYLE

WINDOW = 500
INBOUND_STYLE = "#7fd1b9"
ELSEWHERE_MARK = ("◆", "bold #56b6e8")


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: int | None  # None: takes what is left (the platform column)
    least: int  # narrowest it may be squeezed to
    drop: int = 0  # when the table is too narrow, columns go in this order (1 first); 0 never


COLUMNS: list[Column] = [
    Column("", 1, 1), Column("time", 8, 8, drop=1), Column("ch", 6, 6, drop=2), Column("app/entity", None, 12, drop=3),
    Column("to/from", 14, 12), Column("sender/via", 13, 10), Column("status", 13, 9), Column("reason or error", 21, 12),
    Column("text", 0, 0),  # only on a wide terminal: what the platform column does not need
]
PLATFORM_MOST = 32  # wider than this, the platform column gives the rest to the message text
SQUEEZE = (7, 6, 5, 4)  # the columns squeezed, in turn, once every droppable one is gone


@dataclass(slots=True)
class FeedRow:
    """One decision in the window; `seq` numbers rows in arrival order, `by_hand` marks a sent-one,
    `final` is its delivery report once it has one."""

    seq: int
    decision: Decision
    by_hand: bool = False
    cells: list[tuple[str, str]] = field(default_factory=list)
    final: Moved | None = None
    elsewhere: bool = False  # routed by another program on the store (`cpaasx send`, the HTTP API)
    origin: str | None = None  # where it came from, when known ("the HTTP API, key sandbox")

    def __post_init__(self) -> None:
        if not self.cells:
            self.cells = row_cells(self.decision, self.by_hand)
            if self.elsewhere:
                self.cells[0] = ELSEWHERE_MARK
        if self.final is not None:
            self.cells[6] = status_cell(self.decision, self.final)

    def delivered(self, final: Moved) -> None:
        """Its delivery report arrived: the status cell turns to the final status, in place."""
        self.final = final
        self.cells[6] = status_cell(self.decision, final)


def outcome_text(d: Decision) -> str:
    if d.routed:
        return f"{d.reason} {d.keyword}" if d.keyword and d.reason == "KEYWORD" else (d.reason or "")
    return d.error_code or "REJECTED"


def platform_text(d: Decision) -> str:
    if d.application_id is None:
        return "—"
    return platform_label(d.application_id, d.entity_id)


def status_cell(d: Decision, final: Moved | None = None) -> tuple[str, str]:
    """The platform's status group: PENDING until the report, then DELIVERED, UNDELIVERABLE or EXPIRED."""
    if d.direction != "OUTBOUND":
        return ("LANDED", INBOUND_STYLE) if d.routed else ("NOWHERE", STATUS_STYLE["REJECTED"])
    if not d.routed:
        return "REJECTED", STATUS_STYLE["REJECTED"]
    group = final.general_status if final else "PENDING"
    return group, DELIVERY_STYLE.get(group, "")


def row_cells(d: Decision, by_hand: bool = False) -> list[tuple[str, str]]:
    """The row's cells as (text, style): coloured by outcome (routed, rejected, landed inbound)."""
    outbound = d.direction == "OUTBOUND"
    if not d.routed:
        outcome_style = STATUS_STYLE["REJECTED"]
    else:
        outcome_style = STATUS_STYLE["ROUTED"] if outbound else f"bold {INBOUND_STYLE}"
    if outbound:
        number, via = d.to or "", d.sender or "—"
        via_style = SENDER_STYLE.get(_sender_kind(d.sender_type), "") if d.sender else DIM
    else:
        number, via, via_style = d.from_ or "", d.to or "", ""
    return [
        ("●" if by_hand else "", "bold #f6ae2d"),
        (d.at.strftime("%H:%M:%S"), DIM),
        (("→" if outbound else "←") + (d.channel or ""), CHANNEL_STYLE.get(d.channel or "", "")),
        (visible(platform_text(d)), "" if d.application_id else DIM),
        (visible(number), ""),
        (visible(via), via_style),
        status_cell(d),
        (visible(outcome_text(d)), outcome_style),
        (visible(d.text or ""), DIM),
    ]


def column_widths(width: int) -> list[int]:
    """Each column's width in a table `width` cells wide; 0 for a column left out.

    Everything shows when it fits, the platform column taking what is left. When it does not, the
    droppable columns go (time, then channel, then platform), then the status, reason, sender and
    number columns are squeezed in turn towards their narrowest: the outcome stays readable at 80. On a
    wide terminal the platform column stops at `PLATFORM_MOST` and the message text takes the rest."""
    widths = [c.width or c.least for c in COLUMNS]

    def needed() -> int:
        shown = [w for w in widths if w]
        return sum(shown) + len(shown) - 2  # a space between columns, none after the by-hand mark

    for column in sorted((c for c in COLUMNS if c.drop), key=lambda c: c.drop):
        if needed() <= width:
            break
        widths[COLUMNS.index(column)] = 0
    for i in SQUEEZE:
        over = needed() - width
        if over <= 0:
            break
        widths[i] -= min(over, widths[i] - COLUMNS[i].least)
    flex = next(i for i, c in enumerate(COLUMNS) if c.width is None)
    widths[flex if widths[flex] else -2] += max(0, width - needed())
    spare = widths[flex] - PLATFORM_MOST
    if spare > 12:  # room for the text column (and the space before it)
        widths[flex], widths[-1] = PLATFORM_MOST, spare - 1
    return widths


def _sender_kind(sender_type: str | None) -> str | None:
    return "VIRTUAL_LONG_NUMBER" if sender_type == "TEN_DIGIT_LONG_CODE" else sender_type


class DecisionTable(ScrollView, can_focus=True):
    """Decisions, oldest at the top, newest at the bottom; at most `limit` rows are kept."""

    COMPONENT_CLASSES = {"decision-table--header", "decision-table--cursor", "decision-table--by-hand"}
    DEFAULT_CSS = """
    DecisionTable {
        background: $surface; height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; scrollbar-gutter: stable;
    }
    DecisionTable > .decision-table--header { text-style: bold; color: $text-muted; background: $panel; }
    DecisionTable > .decision-table--cursor { background: $primary 20%; }
    DecisionTable:focus > .decision-table--cursor { background: $primary 35%; text-style: bold; }
    DecisionTable > .decision-table--by-hand { background: #4a3b10; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Newest", show=False),
    ]

    class Highlighted(Message):
        """The cursor is on `row` now (None when the table is empty)."""

        def __init__(self, table: "DecisionTable", row: FeedRow | None):
            super().__init__()
            self.table = table
            self.row = row

    def __init__(self, limit: int = WINDOW, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.limit = limit
        self.rows: deque[FeedRow] = deque()
        self.cursor: int | None = None
        self.follow = True
        self._highlighted_seq: int | None = None
        self._geometry_cache = None

    # --- what the panel calls -------------------------------------------------------------------

    def append(self, rows: Iterable[FeedRow], select: FeedRow | None = None) -> None:
        """Add rows at the bottom and drop the oldest beyond the limit; `select` moves the cursor there."""
        new = list(rows)[-self.limit :]
        if not new:
            return
        self.rows.extend(new)
        dropped = max(0, len(self.rows) - self.limit)
        for _ in range(dropped):
            self.rows.popleft()
        if select is not None and select in new:
            self.follow = False
            self.cursor = len(self.rows) - len(new) + new.index(select)
        elif self.follow or self.cursor is None:
            self.cursor = len(self.rows) - 1
        else:
            # The cursor stays on its row (or on the oldest one if its row left the window), and the
            # view keeps still instead of drifting up with every batch.
            self.cursor = max(0, self.cursor - dropped)
            self._scroll(int(self.scroll_y) - dropped)
        self._changed()

    def replace(self, rows: Iterable[FeedRow]) -> None:
        """Show exactly these rows (a new filter): the cursor goes to the newest."""
        self.rows = deque(list(rows)[-self.limit :])
        self.follow = True
        self.cursor = len(self.rows) - 1 if self.rows else None
        self._changed()

    @property
    def current(self) -> FeedRow | None:
        return self.rows[self.cursor] if self.cursor is not None and self.rows else None

    # --- drawing --------------------------------------------------------------------------------

    def _geometry(self) -> tuple[Region, list[int]]:
        """The content region and the column widths; asked for on every line drawn, so cached by size."""
        key = (self.size, self.show_vertical_scrollbar)
        if self._geometry_cache is None or self._geometry_cache[0] != key:
            region = self.scrollable_content_region
            self._geometry_cache = (key, region, column_widths(region.width))
        return self._geometry_cache[1], self._geometry_cache[2]

    @property
    def _width(self) -> int:
        return self._geometry()[0].width

    @property
    def _visible_rows(self) -> int:
        return max(1, self._geometry()[0].height - 1)

    def _scroll(self, top: int) -> None:
        # Set directly: `scroll_to` ignores a widget whose scrollbar has not been laid out yet,
        # which is every batch that first makes the table overflow.
        self.set_scroll(None, max(0, min(top, len(self.rows) - self._visible_rows)))

    def _changed(self) -> None:
        self.virtual_size = Size(self._width, len(self.rows) + 1)
        if self.cursor is not None:
            self._scroll_to_cursor()
        self.refresh()
        row = self.current
        seq = row.seq if row else None
        if seq != self._highlighted_seq:
            self._highlighted_seq = seq
            self.post_message(self.Highlighted(self, row))

    def _scroll_to_cursor(self) -> None:
        visible = self._visible_rows
        top = int(self.scroll_y)
        if self.follow or self.cursor >= top + visible:
            top = self.cursor - visible + 1
        elif self.cursor < top:
            top = self.cursor
        self._scroll(top)

    def on_resize(self) -> None:
        self._changed()

    def render_line(self, y: int) -> Strip:
        widths = self._geometry()[1]
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("decision-table--header")
            return self._strip([(c.title, "") for c in COLUMNS], widths, base + header)
        index = int(self.scroll_y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(self._width, base)
        row = self.rows[index]
        line_style = base
        if row.by_hand:
            line_style += self.get_component_rich_style("decision-table--by-hand")
        if index == self.cursor:
            line_style += self.get_component_rich_style("decision-table--cursor")
        return self._strip(row.cells, widths, line_style)

    def _strip(self, cells: list[tuple[str, str]], widths: list[int], line_style: Style) -> Strip:
        segments: list[Segment] = []
        for i, ((text, style), width) in enumerate(zip(cells, widths)):
            if not width:
                continue
            if len(segments) > 1:  # the by-hand mark sits right against the column after it
                segments.append(Segment(" ", line_style))
            if len(text) > width:
                text = text[: width - 1] + "…"
            segments.append(Segment(text.ljust(width), line_style + Style.parse(style) if style else line_style))
        return Strip(segments).adjust_cell_length(self._width, line_style)

    # --- moving ---------------------------------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(len(self.rows) - 1, index))
        self.follow = self.cursor == len(self.rows) - 1
        self._changed()

    def action_move(self, delta: int) -> None:
        self._move_to((self.cursor if self.cursor is not None else len(self.rows)) + delta)
        # Moving up means "I am reading": stop following even on the last row.
        if delta < 0:
            self.follow = False

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self._visible_rows - 1))

    def action_first(self) -> None:
        self._move_to(0)
        self.follow = False

    def action_last(self) -> None:
        self._move_to(len(self.rows) - 1)
        self.follow = True

    def on_click(self, event: Click) -> None:
        if event.y >= 1:
            self._move_to(int(self.scroll_y) + event.y - 1)
            self.follow = False
