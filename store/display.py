"""User text made safe to show in a terminal: control characters visible, never read as markup.

Any text that came from a user, a setup file or the network (ids, names, keywords, numbers,
message text, error messages quoting them) goes through `visible` before it reaches a terminal,
so an ESC sequence cannot clear the screen or set the window title and a newline cannot forge an
extra line. `markup_safe` also escapes Rich markup (`[bold]`, `[/x]`, `[link=…]`) for text put
into a markup string. `--json` output needs neither: JSON escapes control characters itself.
"""

from __future__ import annotations

import reprlib
import unicodedata

# Zero-width joiners keep emoji sequences whole; every other format character (bidi overrides
# such as U+202E, which reorder what follows) is shown as a code.
_KEEP = {"\u200c", "\u200d"}
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _is_hidden(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs") and char not in _KEEP


def _code(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    point = ord(char)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def visible(value: object) -> str:
    """`value` as text with every control character shown as its escape (`\\x1b`, `\\n`)."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # the common case; isprintable is False for every character hidden here
        return text
    return "".join(_code(char) if _is_hidden(char) else char for char in text)


def markup_safe(value: object) -> str:
    """`visible(value)` with Rich markup escaped: safe inside an f-string given to `console.print`."""
    # imported here, not at the top: the command line parses its arguments without Rich
    from rich.markup import escape

    return escape(visible(value))


QUOTE_LIMIT = 80
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = QUOTE_LIMIT - 2
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict, _REPR.maxset = 3, 6, 6, 4, 6


def quote(value: object) -> str:
    """`repr(value)` for an error message, at most ~80 characters however big or deep the value is."""
    text = _REPR.repr(value)
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def platform_label(application: str | None, entity: str | None) -> str:
    """A platform as every message and trace writes it: `shop/bigcola`, or `shop` without an entity."""
    return f"{application}/{entity}" if entity else str(application)
