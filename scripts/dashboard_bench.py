"""How fast the dashboard's screens open and page on a big store (100,000 resources, 1,000 entities).

    uv run python scripts/dashboard_bench.py [--resources 100000] [--db PATH]

Builds the routing benchmark's synthetic store (unless --db names one already built), runs the
dashboard headless at 120×36 and reports, per area, the time from the keypress to the rows on screen:
opening the area, the next page, the last page, one more character in the filter box, and a sort. Every figure should stay under 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from store.bench import build_store  # noqa: E402
from store.db import Store  # noqa: E402
from tui.app import Dashboard  # noqa: E402
from tui.screens import AREAS  # noqa: E402

MANAGED = ["applications", "entities", "resources", "strategies", "api-keys"]
FILTERS = {"applications": "app0", "entities": "ent09", "resources": "+1212", "strategies": "US", "api-keys": "x"}


async def until(condition, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the screen did not answer")
        await asyncio.sleep(0.002)
    return time.perf_counter() - start


async def measure(store: Store) -> list[tuple[str, str, float]]:
    app = Dashboard(store, poll_seconds=None, blink=False)
    figures: list[tuple[str, str, float]] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for mode in [a.mode for a in AREAS if a.mode in MANAGED]:
            start = time.perf_counter()
            if app.current_mode != mode:
                await pilot.press(next(a.key for a in AREAS if a.mode == mode))
            await until(lambda: app.current_mode == mode and app.screen.query("#table") and app.screen.table.loads > 0)
            figures.append((mode, "open", time.perf_counter() - start))
            table = app.screen.table

            async def timed(what: str, action) -> None:
                before = table.loads
                start = time.perf_counter()
                await action()
                await until(lambda: table.loads > before)
                figures.append((mode, what, time.perf_counter() - start))

            await pilot.press("escape")  # focus on the table
            if table.total_pages > 1:
                await timed("next page", lambda: pilot.press("right_square_bracket"))

                async def last_page():
                    table.page = table.total_pages - 1
                    table.reload()

                await timed("last page", last_page)
            await pilot.press("slash", *FILTERS[mode][:-1])
            await until(lambda: table.query == FILTERS[mode][:-1])
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            await timed("filter", lambda: pilot.press(FILTERS[mode][-1]))  # one more character typed
            await pilot.press("enter", "escape")
            await until(lambda: not table.query and table.page == 0)
            await timed("sort", lambda: pilot.press("s"))
            rows = f"{table.total_results:>9,} rows  "
            print(f"{mode:<13}{rows}" + "  ".join(f"{what} {seconds * 1000:4.0f} ms" for m, what, seconds in figures if m == mode), flush=True)
        for mode in [a.mode for a in AREAS if a.mode in MANAGED]:  # back to an area already open
            start = time.perf_counter()
            await pilot.press(next(a.key for a in AREAS if a.mode == mode))
            await until(lambda: app.current_mode == mode)
            figures.append((mode, "reopen", time.perf_counter() - start))
        print("reopen       " + "  ".join(f"{m} {seconds * 1000:.0f} ms" for m, what, seconds in figures if what == "reopen"))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--db", help="an existing store to measure instead of building one")
    args = parser.parse_args()
    if args.db:
        store = Store.open(args.db)
    else:
        path = Path(tempfile.mkdtemp(prefix="cpaasx-dash-bench-")) / "bench.db"
        start = time.perf_counter()
        store, _areas = build_store(path, args.resources)
        print(f"built {args.resources:,} resources, 1,000 entities in {time.perf_counter() - start:.1f} s: {path}")
    figures = asyncio.run(measure(store))
    worst = max(figures, key=lambda f: f[2])
    print(f"slowest: {worst[0]} {worst[1]} {worst[2] * 1000:.0f} ms ({'under' if worst[2] < 1 else 'OVER'} 1 s)")
    return 0 if worst[2] < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
