"""Setup-file figures (`cpaasx bench --setup`): apply, re-apply and export of a big file, each a fresh
process as a user runs it, with wall time and peak memory. The baseline, measured in the same run,
is reading the same file with `yaml.load(CSafeLoader)` in a fresh process: a floor no apply can beat.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .bench_setup_data import setup_data
from .setup_export import dump_setup

CLI = [sys.executable, "-m", "tui.cli"]
BASELINE = "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)"


def _run(argv: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float | None]:
    """Wall seconds and peak resident MB of one process.

    The peak comes from GNU time (`/usr/bin/time -f %M`) when it is installed: the kernel's own
    figure for a child of this process would include this process's peak, which it starts from.
    """
    timer = shutil.which("time", path="/usr/bin:/bin")
    command = [timer, "-f", "%M", *argv] if timer else argv
    started = time.perf_counter()
    done = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[2:])} failed: {done.stderr.decode()[-500:]}")
    peak = None
    if timer:
        last = done.stderr.decode().strip().splitlines()[-1:]
        peak = round(int(last[0]) / 1024, 1) if last and last[0].isdigit() else None
    return round(seconds, 2), peak


def run_setup_bench(resources: int = 200_000, progress=None) -> dict:
    say = progress.print if progress is not None else (lambda *_: None)
    with tempfile.TemporaryDirectory(prefix="cpaasx-setup-") as tmp:
        started = time.perf_counter()
        text = dump_setup(setup_data(resources))
        path, db = Path(tmp) / "setup.yaml", str(Path(tmp) / "store.db")
        path.write_text(text, encoding="utf-8")
        items = text.count("\n- ")
        say(f"[dim]setup file: {resources:,} resources, {len(text) / 1e6:.1f} MB, made in "
            f"{time.perf_counter() - started:.1f}s; applying…[/]")
        baseline = _run([sys.executable, "-c", BASELINE, str(path)])
        first = _run([*CLI, "--db", db, "--create", "apply", str(path)])
        again = _run([*CLI, "--db", db, "apply", str(path)])
        # One changed item: the file is read and compared in full (nothing remembered applies).
        path.write_text(text.replace("entityName: Entity 0000\n", "entityName: Entity zero\n", 1), encoding="utf-8")
        changed = _run([*CLI, "--db", db, "apply", str(path)])
        with open(Path(tmp) / "export.yaml", "wb") as out:
            export = _run([*CLI, "--db", db, "export"], stdout=out)
    figures = {"first": first, "unchanged": again, "oneChange": changed, "export": export, "readYaml": baseline}
    return {
        "resources": resources,
        "items": items,
        "megabytes": round(len(text) / 1e6, 1),
        "seconds": {name: value[0] for name, value in figures.items()},
        "peakMegabytes": {name: value[1] for name, value in figures.items()},
        "firstSecondsPer10k": round(first[0] / resources * 10_000, 2),
        "unchangedOverFirst": round(again[0] / first[0], 3),
        "oneChangeOverFirst": round(changed[0] / first[0], 3),
        "firstOverReadYaml": round(first[0] / baseline[0], 2),
        "exportOverReadYaml": round(export[0] / baseline[0], 2),
    }


def format_setup(report: dict) -> str:
    s, m = report["seconds"], report["peakMegabytes"]
    return "\n".join([
        f"[bold]Setup files[/] ({report['resources']:,} resources, {report['items']:,} items, "
        f"{report['megabytes']} MB; each a fresh process)",
        f"  apply (new store):   [bold]{s['first']}s[/], {m['first'] or '?'} MB peak "
        f"({report['firstSecondsPer10k']}s per 10,000 resources; {report['firstOverReadYaml']}× reading the file "
        f"with libyaml, {s['readYaml']}s)",
        f"  apply again (same):  [bold]{s['unchanged']}s[/] = {report['unchangedOverFirst']} × the first, "
        f"{m['unchanged']} MB",
        f"  apply, one change:   [bold]{s['oneChange']}s[/] = {report['oneChangeOverFirst']} × the first, "
        f"{m['oneChange']} MB",
        f"  export to a file:    [bold]{s['export']}s[/], {m['export'] or '?'} MB peak "
        f"({report['exportOverReadYaml']}× reading the file with libyaml)",
    ])
