"""Long commands show a Rich progress bar on standard error only when it is a terminal, never in
--json or piped output; `simulate` prints its rows per batch as they are decided (issue 13 item 9)."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.db import Store

from ..store.routing_setup import make_store

CLI = [sys.executable, "-m", "tui.cli"]
SIMULATED = [
    "#           platform         to / from         sender / number  outcome",
    "1  → SMS    shop/bigcola     +14152679922                       COUNTRY_NOT_SUPPORTED",
    "2  → SMS    shop/bigcola     +12124372484      +12125550102     POOL",
    "3  → SMS    shop             +12255080508      +16465550103     POOL",
    "4  → SMS    shop/bigcola     +14156552197      +12135550101     POOL",
    "5  ← SMS    default          +18506464932      +14165550104     NUMBER",
    "5 messages (seed 3): POOL 3, COUNTRY_NOT_SUPPORTED 1, NUMBER 1",
]


def fresh(tmp_path: Path, name: str = "s") -> str:
    store = make_store(Store.open(str(tmp_path / f"{name}.db"), create=True))
    url = store.url
    store.dispose()
    return url


def run(argv: list[str], stderr_tty: bool = False) -> tuple[int, str, str]:
    """The CLI in its own process, standard output piped; standard error piped or a terminal (a pty)."""
    env = {**os.environ, "COLUMNS": "100"}
    if not stderr_tty:
        done = subprocess.run([*CLI, *argv], capture_output=True, text=True, timeout=120, env=env)
        return done.returncode, done.stdout, done.stderr
    leader, follower = os.openpty()
    try:
        proc = subprocess.Popen([*CLI, *argv], stdout=subprocess.PIPE, stderr=follower, env=env)
        os.close(follower)
        out, terminal = proc.stdout.read(), b""
        while True:  # what reached the terminal, until the process closed its end
            try:
                ready, _, _ = select.select([leader], [], [], 5)
                chunk = os.read(leader, 65536) if ready else b""
            except OSError:
                chunk = b""
            if not chunk:
                break
            terminal += chunk
        return proc.wait(timeout=60), out.decode(), terminal.decode(errors="replace")
    finally:
        os.close(leader)


def test_piped_simulate_is_exactly_the_rows_and_the_summary(tmp_path):
    assert run(["--db", fresh(tmp_path), "simulate", "--count", "5", "--seed", "3"]) == (
        0, "\n".join(SIMULATED) + "\n", "")


def test_a_terminal_on_standard_error_gets_the_bar_and_standard_output_is_unchanged(tmp_path):
    code, out, terminal = run(["--db", fresh(tmp_path), "simulate", "--count", "5", "--seed", "3"], stderr_tty=True)
    assert (code, out) == (0, "\n".join(SIMULATED) + "\n")
    assert "simulating" in terminal and "5/5" in terminal


def test_json_never_shows_a_bar_even_on_a_terminal(tmp_path):
    code, out, terminal = run(["--db", fresh(tmp_path), "simulate", "--count", "5", "--seed", "3", "--json"],
                              stderr_tty=True)
    assert code == 0 and len(out.splitlines()) == 5 and terminal == ""


def test_apply_and_export_show_a_bar_only_on_a_terminal(tmp_path):
    db = fresh(tmp_path)
    code, exported, err = run(["--db", db, "export"])
    assert (code, err) == (0, "") and exported.startswith("applications:\n")
    setup = tmp_path / "setup.yaml"
    setup.write_text(exported)
    code, applied, err = run(["--db", str(tmp_path / "other.db"), "--create", "apply", str(setup)])
    items = exported.count("\n- ")
    assert (code, err) == (0, "") and applied.endswith(f"{setup}: {items - 1} created, 0 changed\n")  # not default
    code, out, terminal = run(["--db", db, "export"], stderr_tty=True)
    assert (code, out) == (0, exported) and "exporting" in terminal
    code, out, terminal = run(["--db", str(tmp_path / "third.db"), "--create", "apply", str(setup)], stderr_tty=True)
    assert (code, out) == (0, applied) and "reading the file" in terminal and "committing" in terminal


def test_simulate_rows_stream_before_the_run_ends(tmp_path):
    db = fresh(tmp_path)
    proc = subprocess.Popen([*CLI, "--db", db, "simulate", "--count", "50000", "--seed", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        lines: list[bytes] = []
        deadline = time.monotonic() + 60
        buffer = b""
        while len(lines) < 3 and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 1)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                buffer += chunk
                *whole, buffer = buffer.split(b"\n")
                lines += whole
        assert [line.decode().split() for line in lines[:3]] == [line.split() for line in SIMULATED[:3]]
        assert proc.poll() is None  # the first rows came while 49,000 messages were still to decide
    finally:
        proc.kill()
        proc.communicate(timeout=30)


@pytest.mark.parametrize("stderr_tty", [False, True])
def test_bench_json_has_no_bar(stderr_tty):
    code, out, err = run(["bench", "--only", "startup", "--json"], stderr_tty=stderr_tty)
    assert code == 0 and out.startswith('{"startup": ') and err == ""
