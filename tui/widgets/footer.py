"""The footer of every area: `? Help` first, so a narrow terminal always shows where the keys are.

When the keys do not fit in one line, the last ones before Quit give way (they stay in the keys panel,
which `?` opens, and in the palette) and the help key reads `? All keys`: nothing is cut mid-word.
While a text box has the focus its letters are typed, so no letter key is listed; the screen's
`TYPING_HINT` then says how to get out (`esc back to the table`) instead of an empty line.
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

HELP_ACTIONS = ("help", "app.help")
KEEP_ACTIONS = HELP_ACTIONS + ("quit", "app.quit")


def key_width(key) -> int:
    """Cells a compact footer key takes: its key, a space and its words, then one cell of margin."""
    words = f" {key.description}" if key.description else ""
    if "-command-palette" in key.classes:
        return 1 + len(key.key_display) + len(words)  # docked right, after a one-cell rule
    return len(key.key_display) + len(words) + 1


class AreaFooter(Footer):
    """Textual's footer, compact, with the help key moved to the front (the rest keeps its order)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)
        self.laid_out_for = 0

    def compose(self):
        keys = list(super().compose())
        if self.compact:
            # Born compact: each key would otherwise take the class as it mounts and restyle itself (and its
            # children) once more, key by key, at every recompose.
            for key in keys:
                if isinstance(key, FooterKey):
                    key.add_class("-compact", update=False)
        helps = [k for k in keys if getattr(k, "action", None) in HELP_ACTIONS]
        keys = helps + [k for k in keys if k not in helps]
        hint = getattr(self.screen, "TYPING_HINT", "")
        if hint and all("-command-palette" in k.classes for k in keys):
            yield FooterLabel(hint)  # only the palette key is left: a text box is typing the letters
        width = self.size.width or self.app.size.width
        self.laid_out_for = width
        dropped = False
        while sum(key_width(k) for k in keys) > width:
            optional = [k for k in keys if getattr(k, "action", None) not in KEEP_ACTIONS
                        and "-command-palette" not in k.classes]
            if not optional:
                break
            keys.remove(optional[-1])
            if not dropped:
                dropped = True
                for k in helps:
                    k.description = "All keys"
        yield from keys

    def on_resize(self) -> None:
        if self.size.width != self.laid_out_for and self._bindings_ready:
            self.call_after_refresh(self.recompose)
