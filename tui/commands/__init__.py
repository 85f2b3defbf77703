"""The subcommands. Each module registers its parsers without importing the store or Rich: those
load only when a command runs, so `cpaasx --help` and argument errors start fast."""

from __future__ import annotations

from functools import cached_property


class LazyConsole:
    """A Rich console made on first use (importing Rich costs more than parsing the arguments)."""

    def __init__(self, **options) -> None:
        self.options = options

    @cached_property
    def real(self):
        from rich.console import Console

        return Console(**self.options)

    def __getattr__(self, name: str):
        return getattr(self.real, name)
