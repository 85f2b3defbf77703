"""A progress bar for long commands (apply of a big file, export, simulate, bench): Rich, on standard
error, and only when standard error is a terminal and the command is not --json. Output that is
piped or --json never sees it, so it stays byte for byte what it was. The bar is transient: it is
gone when the command ends, leaving only the command's own output."""

from __future__ import annotations

import sys


def wanted(as_json: bool = False) -> bool:
    """Whether to show a bar: not --json, and standard error is a terminal."""
    if as_json:
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


class Bar:
    """`with Bar(enabled, "exporting", total) as bar: bar(step, done, total)`; does nothing when not enabled.

    Calling the bar is the `progress(step, done, total)` callback the store's long operations take:
    `step` names what is being done, `done` of `total` (None: not known, a spinner and a count).
    """

    def __init__(self, enabled: bool, description: str = "", total: int | None = None):
        self.enabled = enabled
        self.description, self.total = description, total
        self._progress = None
        self._task = None

    def __enter__(self) -> Bar:
        if not self.enabled:
            return self
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn)

        stdout_tty = bool(getattr(sys.stdout, "isatty", None) and sys.stdout.isatty())
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True, highlight=False), transient=True,
            # Lines printed to standard output go above the bar only when it is the same terminal;
            # piped standard output is never routed through the bar's console.
            redirect_stdout=stdout_tty, redirect_stderr=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(self.description, total=self.total)
        return self

    def __call__(self, step: str | None = None, done: int | None = None, total: int | None = None) -> None:
        if self._progress is None:
            return
        changes: dict = {}
        if step is not None:
            changes["description"] = step
        if done is not None:
            changes["completed"] = done
        if total is not None:
            changes["total"] = total
        self._progress.update(self._task, **changes)

    def advance(self, by: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, by)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
