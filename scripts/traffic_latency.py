"""How quickly the live traffic panel answers keys while routing at full rate.

Opens the dashboard headless on a fresh demo store, runs the Traffic panel at 1,000 messages/s and
presses `-` and `+` in turn (1,000 → 500 → 1,000 …); for each press it times the key event until the
first frame drawn after the status line took the new rate. It also times the event loop's lag with a
20 ms timer while traffic flows, and each area's first visit (key to first frame) with traffic running.

    uv run python scripts/traffic_latency.py [--seconds 10] [--rate 1000] [--resources 100000]

`--resources N` adds the routing benchmark's synthetic store (N numbers, 1,000 entities) under the demo
setup, so the areas open on a big store while the demo's traffic runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store.db import Store  # noqa: E402
from tui.app import Dashboard  # noqa: E402
from store.setup_apply import apply_text  # noqa: E402
from tui.commands.setup import demo_setup_text  # noqa: E402
from tui.screens import AREAS  # noqa: E402
from tui.screens.traffic import TrafficOptions  # noqa: E402
from tui.widgets import traffic_status  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(seconds: float, rate: int, resources: int = 0) -> None:
    folder = tempfile.mkdtemp(prefix="cpaasx-latency-")
    if resources:
        from store.bench import build_store

        store, _ = build_store(Path(folder) / "store.db", resources)
    else:
        store = Store.open(str(Path(folder) / "store.db"))
    apply_text(store, demo_setup_text())
    app = Dashboard(store, demo=True, poll_seconds=None)
    app.traffic_options = TrafficOptions(rate=rate, running=True)

    handled: dict[int, float] = {}  # rate -> when the status line took it
    frames: list[float] = []  # when frames were handed to the terminal
    original = traffic_status.status_text

    def timed_status_text(state, stats, width=None):
        handled.setdefault(state.rate, time.perf_counter())
        return original(state, stats, width)

    traffic_status.status_text = timed_status_text
    display = app._display

    painted: list[tuple[float, str, float]] = []  # (when, the area on screen, thread CPU) of each frame

    def timed_display(screen, renderable):
        display(screen, renderable)
        frames.append(time.perf_counter())
        painted.append((frames[-1], app.current_mode, time.thread_time()))

    app._display = timed_display
    lags: list[float] = []
    latencies: list[float] = []
    first_paint: dict[str, float] = {}
    visit_cpu: dict[str, float] = {}  # the dashboard thread's CPU from the key to that frame
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        expected = time.perf_counter()

        def tick() -> None:
            nonlocal expected
            now = time.perf_counter()
            lags.append(max(0.0, now - expected))
            expected = now + 0.02

        app.set_interval(0.02, tick)
        flowing = time.perf_counter()
        while not screen.stats.decisions and time.perf_counter() - flowing < 60:  # the feed reads the setup first
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)  # reach full rate first
        start = time.perf_counter()
        ui_cpu, process_cpu, routed_before = time.thread_time(), time.process_time(), screen.stats.decisions
        lags.clear()
        down = True
        while time.perf_counter() - start < seconds:
            target = rate // 2 if down else rate
            handled.pop(target, None)
            pressed = time.perf_counter()
            await pilot.press("minus" if down else "plus")
            drawn = None
            while drawn is None and time.perf_counter() - pressed < 5:
                await asyncio.sleep(0.001)
                if target in handled:
                    drawn = next((t for t in frames if t >= handled[target]), None)
            latencies.append((drawn or float("inf")) - pressed)
            down = not down
            await asyncio.sleep(0.25)
        wall = time.perf_counter() - start
        routed = screen.stats.decisions - routed_before
        ui_share = (time.thread_time() - ui_cpu) / wall
        process_share = (time.process_time() - process_cpu) / wall
        ui_per_thousand = (time.thread_time() - ui_cpu) * 1e6 / max(1, routed)
        if not down:  # the last press halved the rate: visit the areas at the full rate
            await pilot.press("plus")
            await asyncio.sleep(1.0)
        visits_start, visits_routed = time.perf_counter(), screen.stats.decisions
        # Every area's first visit while traffic keeps running (the Traffic area is left running
        # behind them): key to the first frame drawn once the area is the current screen.
        for area in [a for a in AREAS if a.mode != "traffic"] + [next(a for a in AREAS if a.mode == "traffic")]:
            pressed, cpu = time.perf_counter(), time.thread_time()
            await pilot.press(area.key)
            shown = None
            while shown is None and time.perf_counter() - pressed < 15:
                await asyncio.sleep(0.001)
                shown = next(((t, c) for t, mode, c in painted if t >= pressed and mode == area.mode), None)
            first_paint[area.title] = ((shown[0] if shown else float("inf")) - pressed) * 1000
            visit_cpu[area.title] = ((shown[1] if shown else float("inf")) - cpu) * 1000
            await asyncio.sleep(0.3)
        visits_rate = (screen.stats.decisions - visits_routed) / (time.perf_counter() - visits_start)
        screen.running = False
    traffic_status.status_text = original
    store.dispose()
    ms = [v * 1000 for v in latencies]
    lag = [v * 1000 for v in lags]
    print(f"routed {routed:,} decisions in the {wall:.1f} s measured ({routed / wall:,.0f}/s, rate set to {rate:,} "
          f"and {rate // 2:,} in turn)")
    print(f"key to first frame showing the new rate: {len(ms)} presses, median {statistics.median(ms):.1f} ms, "
          f"p95 {percentile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms")
    print(f"event-loop lag (20 ms timer): median {statistics.median(lag):.1f} ms, "
          f"p99 {percentile(lag, 0.99):.1f} ms, max {max(lag):.1f} ms")
    print(f"CPU while traffic ran: the dashboard's thread {ui_share:.0%} of a core "
          f"({ui_per_thousand:,.0f} ms per 1,000 decisions), "
          f"this whole process {process_share:.0%}")
    print(f"first visit of each area, key to first frame, traffic running ({visits_rate:,.0f}/s): "
          + ", ".join(f"{title} {value:.0f} ms" for title, value in first_paint.items()))
    print("  of which the dashboard thread's CPU: "
          + ", ".join(f"{title} {value:.0f} ms" for title, value in visit_cpu.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--resources", type=int, default=0, help="add the benchmark's synthetic store of N numbers")
    args = parser.parse_args()
    asyncio.run(measure(args.seconds, args.rate, args.resources))


if __name__ == "__main__":
    main()
