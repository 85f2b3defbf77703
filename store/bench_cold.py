"""Cold-path figures (`cpaasx bench --only cold`): one `cpaasx send` as a fresh process, as a user
runs it, on the large benchmark store after heavy traffic against one on the demo store.

The large store is the routing benchmark's (`bench.build_store`: 100,000 numbers by default, 1,000
entities, pools of 100) with, in bulk SQL, 1,000,000 sticky bindings spread over every entity and a
usage stamp for every sender. A send reads only what its decision needs (store/routing/cold.py), so
its cost should not grow with the store: the target is at most 1.5× the demo store's send.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from .bench import ENTITIES, _platform, build_store

CLI = [sys.executable, "-m", "tui.cli"]
BOUND = "+12025550000"  # the large store's sticky recipient (bound to ent0000's first sender)
_SERIES = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :last) "


def add_traffic_state(store, bindings: int) -> None:
    """`bindings` sticky bindings (each entity's own recipients, bound to its first US sender, else its first) and a
    usage stamp for every sender, as heavy traffic leaves them; a few statements of bulk SQL."""
    with store.write(bump=False) as session:
        run = session.execute
        run(text("CREATE TEMP TABLE bench_first (k INTEGER PRIMARY KEY, app TEXT, entity TEXT, sender TEXT)"))
        run(text("INSERT INTO bench_first SELECT CAST(substr(a.entity_id, 4) AS INTEGER), a.application_id, a.entity_id,"
                 " coalesce(min(CASE WHEN r.country = 'US' THEN a.resource_id END), min(a.resource_id))"
                 " FROM resourceassociation a JOIN resource r ON r.resource_id = a.resource_id"
                 " GROUP BY a.application_id, a.entity_id"))
        run(text(_SERIES + "INSERT INTO stickybinding (application_id, entity_key, channel, destination, sender,"
                 " bound_at) SELECT f.app, f.entity, 'SMS', '+1646' || printf('%07d', n.i), f.sender,"
                 " '2025-01-06 09:00:00.000000' FROM n JOIN bench_first f ON f.k = n.i % :entities"),
            {"last": bindings - 1, "entities": ENTITIES})
        run(text("INSERT INTO stickybinding (application_id, entity_key, channel, destination, sender, bound_at)"
                 " SELECT app, entity, 'SMS', :to, sender, '2025-01-06 09:00:00.000000' FROM bench_first WHERE k = 0"),
            {"to": BOUND})
        run(text("INSERT INTO senderusage (resource_id, last_used) SELECT resource_id, rowid FROM resource"))
        run(text("INSERT INTO storemeta (key, value) SELECT 'usage_stamp', max(last_used) FROM senderusage"
                 " WHERE true ON CONFLICT (key) DO UPDATE SET value = excluded.value"))
        run(text("DROP TABLE bench_first"))


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _send(db: str, to: str, *platform: str) -> tuple[float, float, dict]:
    """Wall and CPU seconds of one send (the CPU time, user and system, is the child's own: steadier
    than the wall time on a busy machine) and its decision."""
    argv = [*CLI, "--db", db, "send", "--to", to, "--json"]
    for flag, value in zip(("--application", "--entity"), platform):
        argv += [flag, value]
    started, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    if done.returncode not in (0, 3):
        raise RuntimeError(f"cpaasx send failed: {done.stderr.decode()[-500:]}")
    return seconds, cpu, json.loads(done.stdout)


def run_cold(resources: int = 100_000, bindings: int = 1_000_000, repeat: int = 7, progress=None) -> dict:
    """Median wall time of `repeat` interleaved fresh-process sends on each store, each to a new
    recipient (routed from the pool, the binding written), and of sends to a bound recipient."""
    say = progress.print if progress is not None else (lambda *_: None)
    with tempfile.TemporaryDirectory(prefix="cpaasx-cold-") as tmp:
        demo, large = str(Path(tmp) / "demo.db"), Path(tmp) / "large.db"
        subprocess.run([*CLI, "--db", demo, "--create", "demo", "--no-tui"], stdout=subprocess.DEVNULL, check=True)
        started = time.perf_counter()
        store, areas = build_store(large, resources)
        add_traffic_state(store, bindings)
        store.dispose()
        build = time.perf_counter() - started
        say(f"[dim]cold sends: {resources:,} resources and {bindings:,} sticky bindings built in {build:.1f}s[/]")
        app, entity = _platform(0)
        area = areas[0][0]
        times: dict = {"demo": [], "large": [], "largeSticky": []}
        cpus: dict = {name: [] for name in times}
        reasons: dict = {name: set() for name in times}
        for n in range(repeat):
            for name, db, to, platform in (
                ("demo", demo, f"+1415555{n:04d}", ("shop",)),
                ("large", str(large), f"+1{area}555{n:04d}", (app, entity)),
                ("largeSticky", str(large), BOUND, (app, entity)),
            ):
                seconds, cpu, decision = _send(db, to, *platform)
                times[name].append(seconds)
                cpus[name].append(cpu)
                reasons[name].add(decision.get("reason") or decision.get("errorCode"))
    median = {name: statistics.median(values) for name, values in times.items()}
    cpu = {name: statistics.median(values) for name, values in cpus.items()}
    return {
        "resources": resources,
        "bindings": bindings,
        "repeat": repeat,
        "buildSeconds": round(build, 1),
        "seconds": {name: round(value, 4) for name, value in median.items()},
        "reasons": {name: sorted(r for r in found if r) for name, found in reasons.items()},
        "cpuSeconds": {name: round(value, 4) for name, value in cpu.items()},
        "largeOverDemo": round(median["large"] / median["demo"], 2),
        "largeOverDemoCpu": round(cpu["large"] / cpu["demo"], 2),
        "stickyOverDemo": round(median["largeSticky"] / median["demo"], 2),
    }


def format_cold(report: dict) -> str:
    s = report["seconds"]
    return "\n".join([
        f"[bold]Cold sends[/] (one `cpaasx send` as a fresh process; median of {report['repeat']} runs each, interleaved)",
        f"  {report['resources']:,}-resource store with {report['bindings']:,} sticky bindings: "
        f"[bold]{report['largeOverDemo']:.2f}×[/] the demo store's send ({s['large'] * 1000:.0f} ms against "
        f"{s['demo'] * 1000:.0f} ms; CPU {report['largeOverDemoCpu']:.2f}×; {', '.join(report['reasons']['large'])}; "
        f"target ≤ 1.5×)",
        f"  the same store, a bound recipient: {report['stickyOverDemo']:.2f}× ({s['largeSticky'] * 1000:.0f} ms, "
        f"{', '.join(report['reasons']['largeSticky'])}; store built in {report['buildSeconds']}s)",
    ])
