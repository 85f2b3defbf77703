"""`cpaasx bench --http`: the served API under load, measured from outside as a client feels it.

A `cpaasx serve --no-tui` process on a fresh SQLite store with the demo setup, and a load generator:
`wrk` when the machine has it (a C generator: what it costs stays small beside the server), else
httpx in this process (asyncio, keep-alive connections; slower, so its figures are a floor). Three loads, each a ratio to a baseline
measured in the same run (the machine is shared, so absolute figures are context only):

- `baseline`: GET of an unknown path (the server's own cost per request, no store work);
- `single`: single-message POST /sms/2/text/advanced from 16 connections: requests/s, p50, p99;
- `bulk`: requests of 1,000 destinations from 4 connections: destinations/s.

With wrk, after a second of untimed single sends (the server's first key match and caches),
baseline and single runs take turns for three rounds (then three bulk rounds) and each
figure is the median of its rounds; the ratio is the median of the rounds' own ratios.

The targets (issue: 1,000 single sends/s with p99 < 50 ms; 20,000 destinations/s) are printed
beside the figures. The generator shares the machine with the server, so the figures are a floor.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONNECTIONS, BULK_CONNECTIONS = 16, 4
# Recipients are valid NANP numbers (exchange 200-999), so every message is routed: a local part
# from 0 would start with exchange 000-199, invalid, and measure the rejection path instead.
LOCAL_BASE, LOCAL_SPAN = 2_000_000, 8_000_000
SINGLE_TARGET, P99_TARGET_MS, BULK_TARGET = 1_000, 50.0, 20_000
ROUNDS = 3  # wrk runs of each kind; the figures are their medians
WARM_UP = 1  # seconds of single sends before the rounds, not counted


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(db: str, *args: str, **kwargs):
    env = {**os.environ, "CPAASX_DB": db}
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120, **kwargs)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


async def _load(client, make_request, total: int, connections: int) -> dict:
    """`total` requests from `connections` workers; latencies in ms and the wall time."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    left = iter(range(total))

    async def worker() -> None:
        for i in left:
            method, path, body = make_request(i)
            started = time.perf_counter()
            answer = await client.request(method, path, json=body)
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(connections)])
    wall = time.perf_counter() - started
    return {"requests": total, "seconds": round(wall, 3), "per_second": round(total / wall, 1),
            "p50_ms": round(_percentile(latencies, 0.5), 2), "p99_ms": round(_percentile(latencies, 0.99), 2),
            "statuses": {str(k): v for k, v in sorted(statuses.items())}}


def _single(i: int):
    return "POST", "/sms/2/text/advanced", {"messages": [{
        "destinations": [{"to": f"1917{LOCAL_BASE + i % LOCAL_SPAN:07d}"}], "text": "bench", "applicationId": "shop",
        "entityId": "maplemart"}]}


def _bulk(i: int):
    return "POST", "/sms/2/text/advanced", {"messages": [{
        "destinations": [{"to": f"1646{LOCAL_BASE + (i * 1000 + j) % LOCAL_SPAN:07d}"} for j in range(1000)],
        "text": "bench",
        "applicationId": "shop", "entityId": "maplemart"}]}


async def _measure(address: str, secret: str, singles: int, bulks: int, progress) -> dict:
    import httpx

    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    headers = {"Authorization": f"App {secret}"}
    async with httpx.AsyncClient(base_url=address, headers=headers, limits=limits, timeout=60) as client:
        await _load(client, lambda i: ("GET", "/bench/unknown", None), 200, CONNECTIONS)  # warm up
        if progress:
            progress.print("http: baseline (unknown path) …")
        baseline = await _load(client, lambda i: ("GET", "/bench/unknown", None), singles, CONNECTIONS)
        if progress:
            progress.print(f"http: {singles:,} single-message sends …")
        single = await _load(client, _single, singles, CONNECTIONS)
        if progress:
            progress.print(f"http: {bulks:,} sends of 1,000 destinations …")
        bulk = await _load(client, _bulk, bulks, BULK_CONNECTIONS)
    bulk["destinations_per_second"] = round(bulk["per_second"] * 1000, 1)
    return {"baseline": baseline, "single": single, "bulk": bulk,
            "single_vs_baseline": round(single["per_second"] / baseline["per_second"], 3),
            "targets": {"single_per_second": SINGLE_TARGET, "single_p99_ms": P99_TARGET_MS,
                        "bulk_destinations_per_second": BULK_TARGET}}


WRK_SCRIPT = """
local counter = 0
local bulk = %(bulk)s
function setup(thread) thread:set("first", math.random(1, 900) * 10000) end
function init(args) counter = first end
function request()
  counter = counter + 1
  local to
  if bulk then
    local parts = {}
    for j = 1, 1000 do
      parts[j] = string.format('{"to":"1646%%07d"}', %(base)d + (counter * 1000 + j) %% %(span)d)
    end
    to = table.concat(parts, ",")
  else
    to = string.format('{"to":"1917%%07d"}', %(base)d + counter %% %(span)d)
  end
  local body = '{"messages":[{"destinations":[' .. to .. '],"text":"bench","applicationId":"shop","entityId":"maplemart"}]}'
  return wrk.format(%(method)s, %(path)s, {["Content-Type"] = "application/json",
                    ["Authorization"] = "App %(secret)s"}, %(send_body)s)
end
"""


def wrk_script(kind: str, secret: str) -> str:
    """The Lua script wrk runs for `kind` (baseline, single or bulk)."""
    bulk, method, path = {"baseline": ("false", '"GET"', '"/bench/unknown"'),
                          "single": ("false", '"POST"', '"/sms/2/text/advanced"'),
                          "bulk": ("true", '"POST"', '"/sms/2/text/advanced"')}[kind]
    return WRK_SCRIPT % {"bulk": bulk, "method": method, "path": path, "secret": secret, "base": LOCAL_BASE,
                         "span": LOCAL_SPAN, "send_body": "nil" if kind == "baseline" else "body"}


def _wrk(address: str, secret: str, kind: str, seconds: int, connections: int) -> dict:
    """One wrk run: requests/s, p50/p99 and the answers that were not 2xx."""
    import shutil

    script = wrk_script(kind, secret)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run([shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
                              "-s", f.name, address], capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(f.name)

    return parse_wrk(out, seconds)


def parse_wrk(out: str, seconds: int) -> dict:
    """wrk's report (with --latency) as figures: requests/s, p50 and p99 in ms, answers not 2xx."""
    import re

    def ms(label: str) -> float:
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not found:
            return 0.0
        value, unit = float(found.group(1)), found.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 2)

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"requests": int(total.group(1)) if total else 0, "seconds": seconds,
            "per_second": float(rate.group(1)) if rate else 0.0, "p50_ms": ms("50"), "p99_ms": ms("99"),
            "non_2xx": int(bad.group(1)) if bad else 0}


def _measure_wrk(address: str, secret: str, seconds: int, progress, rounds: int = ROUNDS) -> dict:
    """`rounds` of baseline then single sends, taking turns (so each ratio is measured under the same
    load on a shared machine), then `rounds` of bulk sends; each figure is the median of its rounds."""
    runs: dict[str, list[dict]] = {"baseline": [], "single": [], "bulk": []}
    if progress:
        progress.print(f"http: wrk warm-up, {WARM_UP} s (not counted) …")
    _wrk(address, secret, "single", WARM_UP, CONNECTIONS)  # first key match, caches, pages: not steady state
    for number in range(1, rounds + 1):
        for kind, connections in (("baseline", CONNECTIONS), ("single", CONNECTIONS)):
            if progress:
                progress.print(f"http: wrk {kind}, {connections} connections, {seconds} s (round {number}) …")
            runs[kind].append(_wrk(address, secret, kind, seconds, connections))
    for number in range(1, rounds + 1):
        if progress:
            progress.print(f"http: wrk bulk, {BULK_CONNECTIONS} connections, {seconds} s (round {number}) …")
        runs["bulk"].append(_wrk(address, secret, "bulk", seconds, BULK_CONNECTIONS))
    figures = {kind: median_run(found) for kind, found in runs.items()}
    figures["bulk"]["destinations_per_second"] = round(figures["bulk"]["per_second"] * 1000, 1)
    ratios = [s["per_second"] / max(b["per_second"], 1e-9) for b, s in zip(runs["baseline"], runs["single"])]
    return {**figures, "generator": "wrk", "single_vs_baseline": round(statistics.median(ratios), 3),
            "single_vs_baseline_rounds": [round(r, 3) for r in ratios],
            "targets": {"single_per_second": SINGLE_TARGET, "single_p99_ms": P99_TARGET_MS,
                        "bulk_destinations_per_second": BULK_TARGET}}


def median_run(runs: list[dict]) -> dict:
    """Several wrk runs of one kind as one: the median of each rate and latency, the sums of the counts,
    and each round's rate (`rounds`)."""
    def middle(name: str) -> float:
        return round(statistics.median(r[name] for r in runs), 2)

    return {"requests": sum(r["requests"] for r in runs), "seconds": sum(r["seconds"] for r in runs),
            "per_second": middle("per_second"), "p50_ms": middle("p50_ms"), "p99_ms": middle("p99_ms"),
            "non_2xx": sum(r["non_2xx"] for r in runs), "rounds": [r["per_second"] for r in runs]}


def run_http_bench(singles: int = 3_000, bulks: int = 20, progress=None, seconds: int = 3) -> dict:
    """Start a server on a fresh demo store, load it, stop it; the figures as a dict."""
    with tempfile.TemporaryDirectory(prefix="cpaasx-bench-http-") as folder:
        db = str(Path(folder) / "bench.db")
        made = _cli(db, "--create", "demo", "--no-tui")
        if made.returncode:
            raise RuntimeError(f"demo setup failed: {made.stderr.strip()}")
        port = _free_port()
        env = {**os.environ, "CPAASX_DB": db}
        # No keys in the demo store would make serve create the sandbox key; the demo has keys, so
        # one is made here for the bench, with a chosen secret.
        secret = "bench-secret-0123456789"
        keyed = _cli(db, "apply", "-", input=f"apiKeys:\n  - {{name: bench, secret: {secret}}}\n")
        if keyed.returncode:
            raise RuntimeError(f"bench key failed: {keyed.stderr.strip()}")
        before = logged_statuses(db)
        server = subprocess.Popen([sys.executable, "-m", "tui.cli", "serve", "--no-tui", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_listening(port, server)
            import shutil

            address = f"http://127.0.0.1:{port}"
            if shutil.which("wrk"):
                report = _measure_wrk(address, secret, seconds, progress)
            else:
                report = {**asyncio.run(_measure(address, secret, singles, bulks, progress)), "generator": "httpx"}
        finally:
            server.terminate()
            try:
                server.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.communicate()
        after = logged_statuses(db)
        report["logged"] = {status: n - before.get(status, 0) for status, n in after.items()}
    return report


def logged_statuses(db: str) -> dict[str, int]:
    """How many logged messages were routed or rejected: a rejected bench message measured the wrong path."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(db)) as connection:
        return dict(connection.execute("SELECT status, COUNT(*) FROM messagelog GROUP BY status ORDER BY status"))


def _wait_listening(port: int, server, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"serve exited: {server.stderr.read().decode(errors='replace').strip()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("serve did not start listening within 30 s")


def format_http(report: dict) -> str:
    b, s, k = report["baseline"], report["single"], report["bulk"]
    t = report["targets"]
    return "\n".join([
        f"HTTP API (serve --no-tui, SQLite, demo setup; load from {report.get('generator', 'httpx')})",
        f"  baseline GET unknown path  {b['per_second']:>9,.0f} req/s   p50 {b['p50_ms']:.1f} ms   p99 {b['p99_ms']:.1f} ms",
        f"  single-message sends       {s['per_second']:>9,.0f} req/s   p50 {s['p50_ms']:.1f} ms   p99 {s['p99_ms']:.1f} ms"
        f"   ({report['single_vs_baseline']:.2f}× baseline; target {t['single_per_second']:,}/s, p99 < {t['single_p99_ms']:g} ms)",
        f"  1,000-destination sends    {k['destinations_per_second']:>9,.0f} destinations/s   p99 {k['p99_ms']:.0f} ms"
        f"   (target {t['bulk_destinations_per_second']:,}/s)",
        f"  answers not 2xx: single {s.get('non_2xx', 0)}, bulk {k.get('non_2xx', 0)}" if "non_2xx" in s
        else f"  answers: single {s['statuses']}, bulk {k['statuses']}",
        *([f"  medians of {len(report['single_vs_baseline_rounds'])} rounds; single/baseline by round: "
           + ", ".join(f"{r:.2f}" for r in report["single_vs_baseline_rounds"])]
          if report.get("single_vs_baseline_rounds") else []),
        *(["  messages logged: " + ", ".join(f"{n:,} {status.lower()}" for status, n in report["logged"].items())]
          if report.get("logged") else []),
    ])
