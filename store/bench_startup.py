"""Start-up figures: what a user waits for when a command starts, as ratios to bare Python."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "tui.cli"]


def _wall(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def run_startup(repeat: int = 7) -> dict:
    """Median wall time of each command over `repeat` interleaved runs (so load hits all alike)."""
    with tempfile.TemporaryDirectory(prefix="cpaasx-startup-") as tmp:
        db = str(Path(tmp) / "demo.db")
        subprocess.run([*CLI, "--db", db, "--create", "demo", "--no-tui"], stdout=subprocess.DEVNULL, check=True)
        commands = {
            "pythonPass": [sys.executable, "-c", "pass"],
            "importSqlmodel": [sys.executable, "-c", "import sqlmodel"],
            "help": [*CLI, "--help"],
            "sendDemo": [*CLI, "--db", db, "send", "--to", "+14155550123", "--application", "shop"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, argv in commands.items():
                times[name].append(_wall(argv))
    median = {name: statistics.median(values) for name, values in times.items()}
    return {
        "repeat": repeat,
        "seconds": {name: round(value, 4) for name, value in median.items()},
        "helpOverPythonPass": round(median["help"] / median["pythonPass"], 2),
        "sendOverImportSqlmodel": round(median["sendDemo"] / median["importSqlmodel"], 2),
    }


def format_startup(report: dict) -> str:
    s = report["seconds"]
    return "\n".join([
        f"[bold]Start-up[/] (median of {report['repeat']} runs each, interleaved)",
        f"  cpaasx --help: [bold]{report['helpOverPythonPass']:.1f}×[/] python -c pass "
        f"({s['help'] * 1000:.0f} ms against {s['pythonPass'] * 1000:.0f} ms)",
        f"  cpaasx send on the demo store: [bold]{report['sendOverImportSqlmodel']:.2f}×[/] python -c 'import sqlmodel' "
        f"({s['sendDemo'] * 1000:.0f} ms against {s['importSqlmodel'] * 1000:.0f} ms)",
    ])
