"""`cpaasx serve --no-tui`: starts, prints the sandbox secret once, logs each request, stops on Ctrl+C."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time

import httpx

from tui.cli import main


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_port_in_use_is_a_clear_error(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code = main(["--db", str(tmp_path / "s.db"), "--create", "serve", "--no-tui", "--port", str(port)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--port: 127.0.0.1:{port} is already in use" in err
    assert "Traceback" not in err


def test_bad_port_and_missing_delivery_file_are_bad_input(tmp_path, capsys):
    try:
        main(["serve", "--port", "http"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "--port must be a whole number" in capsys.readouterr().err
    code = main(["--db", str(tmp_path / "s.db"), "--create", "serve", "--no-tui", "--delivery", str(tmp_path / "none.yaml")])
    assert code == 2
    assert "--delivery: no file at" in capsys.readouterr().err


def _read_until(proc, pattern: str, timeout: float = 30.0) -> list[str]:
    lines, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if re.search(pattern, line):
            return lines
    raise AssertionError(f"no line matching {pattern!r} in {lines}")


def test_headless_serve_answers_logs_and_stops_cleanly(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--db", str(tmp_path / "s.db"), "--create", "serve", "--no-tui", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        start = _read_until(proc, r"curl -H")
        secret = re.search(r"secret, shown only now: (cpx_\S+)", "\n".join(start)).group(1)
        assert f"http://127.0.0.1:{port}" in start[0]
        response = httpx.get(f"http://127.0.0.1:{port}/provisioning/1/applications",
                             headers={"Authorization": f"App {secret}"}, timeout=10)
        assert response.status_code == 200
        line = _read_until(proc, r"GET /provisioning")[-1]
        assert re.search(r'127\.0\.0\.1 "GET /provisioning/1/applications" 200 [0-9.]+ms key=sandbox$', line), line
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "stopped: 1 request answered" in out
    assert "Traceback" not in err
    # A second start finds the key: the secret is never printed again.
    port = _free_port()
    again = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--db", str(tmp_path / "s.db"), "--create", "serve", "--no-tui", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        first = _read_until(again, r"Ctrl\+C")
        again.send_signal(signal.SIGINT)
        out, _err = again.communicate(timeout=20)
    finally:
        if again.poll() is None:
            again.kill()
            again.wait()
    assert "secret" not in "\n".join(first) + out


def test_request_webhook_and_auto_review_reach_the_server(tmp_path, monkeypatch, capsys):
    import api.app
    from tui.commands import serve

    made = {}
    real = api.app.create_app

    def create_app(store, **kwargs):
        made["app"] = real(store, **kwargs)
        return made["app"]

    monkeypatch.setattr(api.app, "create_app", create_app)
    monkeypatch.setattr(serve, "_headless", lambda store, app, sock: None)
    code = main(["--db", str(tmp_path / "s.db"), "--create", "serve", "--no-tui", "--port", str(_free_port()),
                 "--request-webhook", "http://127.0.0.1:9/rq", "--auto-review"])
    assert code == 0
    push = made["app"].state.request_push
    assert (push.url, push.auto_review) == ("http://127.0.0.1:9/rq", True)
    try:
        main(["serve", "--request-webhook", "ftp://127.0.0.1/x"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "argument --request-webhook: must be an http:// or https:// address, not 'ftp://127.0.0.1/x'" in capsys.readouterr().err


def test_settle_loads_the_routing_index_and_freezes_what_the_server_holds(store):
    import gc

    from api.app import create_app
    from tui.commands.serve import settle

    app = create_app(store, tick=None)
    assert app.state.router.index is None
    try:
        settle(app)
        assert app.state.router.index is not None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_access_log_writes_a_line_per_request_and_flushes_once_per_loop_step(monkeypatch):
    import asyncio
    import io
    from datetime import UTC, datetime

    from api.recording import RequestRecord
    from tui.commands.serve import AccessLog

    class Out(io.StringIO):
        flushes = 0

        def flush(self):
            Out.flushes += 1

    out = Out()
    monkeypatch.setattr(sys, "stdout", out)
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    record = RequestRecord(at, "POST", "/sms/2/text/advanced", "", 200, 1.25, "bench", b"", b"", client="127.0.0.1")
    log = AccessLog(" pid=7")

    async def step():
        log(record)
        log(record)
        assert Out.flushes == 0
        await asyncio.sleep(0)

    asyncio.run(step())
    line = '03:04:05 127.0.0.1 "POST /sms/2/text/advanced" 200 1.2ms key=bench pid=7\n'
    assert out.getvalue() == line * 2 and Out.flushes == 1
    log(record)  # off a loop: flushed at once
    assert out.getvalue() == line * 3 and Out.flushes == 2
