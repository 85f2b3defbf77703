"""The footer of every area: `? Help` first, so a narrow terminal always shows where the keys are."""

from __future__ import annotations

from textual.widgets import Footer

HELP_ACTIONS = ("help", "app.help")


class AreaFooter(Footer):
    """Textual's footer, compact, with the help key moved to the front (the rest keeps its order)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)

    def compose(self):
        keys = list(super().compose())
        helps = [k for k in keys if getattr(k, "action", None) in HELP_ACTIONS]
        yield from helps + [k for k in keys if k not in helps]
