"""`cpaasx serve --workers N` (issue 10 item 7): several uvicorn worker processes on one PostgreSQL
store; sticky senders hold across them (every message to a recipient leaves from one sender)."""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlmodel import select

from store.db import Store
from store.tables import MessageLog
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
KEY = "App demo-maplemart-prod-secret-0001"  # FILL shop/maplemart: sticky and geolocated for US SMS
# No MapleMart number shares these area codes: the sender comes from a region (917, 347: New York;
# 512: Texas) or from the whole set (206, 303, 602), where only stickiness keeps it the same.
RECIPIENTS = [f"1{area}55501{n:02d}" for area in (917, 347, 512, 206, 303, 602) for n in (10, 11)]
WORKERS = 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_workers_above_one_need_postgres_and_no_dashboard(tmp_path, capsys):
    db = tmp_path / "new.db"
    assert main(["--db", str(db), "--create", "serve", "--no-tui", "--workers", "2"]) == 2
    err = capsys.readouterr().err
    assert "error --workers 2: needs a PostgreSQL store (--db postgresql+psycopg://…)" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert main(["--db", "postgresql+psycopg://u@127.0.0.1:1/x", "serve", "--workers", "3"]) == 2
    assert "error --workers 3: needs --no-tui" in capsys.readouterr().err
    assert not db.exists()  # refused before anything was opened or written
    for bad in ("0", "many", "65"):
        try:
            main(["serve", "--workers", bad])
        except SystemExit as exc:
            assert exc.code == 2
        assert "--workers must be a whole number from 1 to 64" in capsys.readouterr().err


def _send(port: int, recipients: list[str]) -> list[tuple[str, str, str]]:
    body = {"messages": [{"destinations": [{"to": to} for to in recipients], "text": "Your order shipped"}]}
    # A new connection per request, so the kernel hands requests to any worker.
    answer = httpx.post(f"http://127.0.0.1:{port}/sms/2/text/advanced", json=body, timeout=30,
                        headers={"Authorization": KEY, "X-Cpaasx-Explain": "1", "Connection": "close"})
    assert answer.status_code == 200, answer.text
    return [(m["to"], m["x-cpaasx"]["sender"], m["x-cpaasx"]["reason"]) for m in answer.json()["messages"]]


def test_four_workers_keep_every_recipient_on_one_sender(pg_url, tmp_path):
    assert main(["--db", pg_url, "apply", str(ROOT / "store" / "demo_setup.yaml")]) == 0
    port = _free_port()
    with open(tmp_path / "stderr.txt", "w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "--db", pg_url, "serve", "--no-tui", "--workers", str(WORKERS),
             "--port", str(port)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True, start_new_session=True,
        )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 90
        while sum("serving" in line for line in list(lines)) < WORKERS:
            assert time.monotonic() < deadline and proc.poll() is None, (lines, (tmp_path / "stderr.txt").read_text())
            time.sleep(0.1)
        assert f"http://127.0.0.1:{port}" in lines[0] and f", {WORKERS} workers); Ctrl+C stops it" in lines[0]
        rng = random.Random(7)
        sent: list[tuple[str, str, str]] = []
        pids: set[str] = set()
        with ThreadPoolExecutor(8) as pool:
            while len(sent) < 400 or len(pids) < WORKERS:  # until every worker has answered some
                assert len(sent) < 8_000 and time.monotonic() < deadline + 120, (len(sent), pids)
                batch = [rng.sample(RECIPIENTS, 2) for _ in range(16)]
                try:
                    for answered in pool.map(lambda r: _send(port, r), batch):
                        sent.extend(answered)
                except AssertionError as failed:  # the workers' log says why
                    raise AssertionError(f"{failed}\n{(tmp_path / 'stderr.txt').read_text()[-4000:]}") from None
                pids = {m.group(1) for m in map(re.compile(r'"POST /sms/2/text/advanced" 200 .* pid=(\d+)$').search,
                                                list(lines)) if m}
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        reader.join(10)
    finally:
        if proc.poll() is None:  # a failed test: kill the workers too, or they go on using the store
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, (tmp_path / "stderr.txt").read_text()

    senders = defaultdict(set)
    for to, sender, reason in sent:
        senders[to].add(sender)
        assert reason == "STICKY" or reason.startswith("GEOLOCATED") or reason == "POOL", reason
    assert set(senders) == set(RECIPIENTS)
    assert {to: len(s) for to, s in senders.items()} == {to: 1 for to in RECIPIENTS}, dict(senders)
    assert len(set().union(*senders.values())) > 2  # the spread did pick different senders for different recipients
    store = Store.open(pg_url)
    try:
        with store.read() as session:
            logged = defaultdict(set)
            for to, sender in session.exec(select(MessageLog.destination, MessageLog.sender)):
                logged[to.lstrip("+")].add(sender)
    finally:
        store.dispose()
    assert {to: len(s) for to, s in logged.items()} == {to: 1 for to in RECIPIENTS}
    assert sum(line.startswith("worker ") and " stopped: " in line for line in lines) == WORKERS
    assert lines[-1].strip() == f"stopped: {WORKERS} workers"


def test_workers_stop_when_their_supervisor_is_killed(pg_url, tmp_path):
    """A supervisor killed outright leaves no worker behind serving or delivering from the store."""
    assert main(["--db", pg_url, "apply", str(ROOT / "store" / "demo_setup.yaml")]) == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--db", pg_url, "serve", "--no-tui", "--workers", "2",
         "--port", str(_free_port())],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()
    try:
        deadline = time.monotonic() + 90
        while len(pids := [int(line.split()[1]) for line in list(lines) if line.endswith(" serving\n")]) < 2:
            assert time.monotonic() < deadline and proc.poll() is None, lines
            time.sleep(0.1)
        proc.kill()  # the supervisor alone, as a crash or `kill -9` would
        proc.wait()
        deadline = time.monotonic() + 30
        while alive := [pid for pid in pids if _alive(pid)]:
            assert time.monotonic() < deadline, f"workers {alive} outlived their supervisor"
            time.sleep(0.1)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie (exited, not yet reaped) counts as gone
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
