"""The subcommands. Each module registers its parsers without importing the store or Rich: those
load only when a command runs, so `cpaasx --help` and argument errors start fast."""

from __future__ import annotations

import re
import sys
from functools import cached_property

_TRAILING = re.compile(r"[ \t]+(?=\n|$)")


UNWRAPPED = 1_000_000  # the width of output that is not a terminal: lines are never wrapped


class LazyConsole:
    """A Rich console made on first use (importing Rich costs more than parsing the arguments).

    Output that is not a terminal (a pipe, a file) is plain and unwrapped: one line stays one line
    however long, so an id is never split across lines (a terminal wraps at its width as usual)."""

    def __init__(self, **options) -> None:
        self.options = options

    @cached_property
    def real(self):
        from rich.console import Console

        console = Console(**self.options)
        if not console.is_terminal and "width" not in self.options:
            stream = _Trimmed(self.options.get("stderr", False))
            console = Console(**{"soft_wrap": True, **self.options}, width=UNWRAPPED, file=stream)
        return console

    def __getattr__(self, name: str):
        return getattr(self.real, name)


class _Trimmed:
    """Standard output (or error) as it is at each write, without the spaces a table pads lines with."""

    def __init__(self, stderr: bool) -> None:
        self.stderr = stderr

    @property
    def stream(self):
        return sys.stderr if self.stderr else sys.stdout

    def write(self, text: str) -> int:
        return self.stream.write(_TRAILING.sub("", text))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"
