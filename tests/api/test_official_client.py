"""The platform's official Python client, unchanged, against `cpaasx serve` (issue 10, item 5): it needs
pydantic<2, so it runs in its own environment (`uv run --isolated`) as a subprocess, against a server
this test starts on a free port. Skips where uv or the package cannot be had (no network); fails in CI."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
import uvicorn

from api.app import create_app
from store import keys
from store.delivery_profile import parse_profile
from store.routing.router import Router
from store.setup_file import apply_setup, load_setup

from ..conftest import in_ci

CLIENT = ["--isolated", "--no-project", "--with", "infobip-cpaasx==0.0.2", "--with", "pydantic<2"]
SCRIPT = Path(__file__).parent / "clients" / "official_sms.py"
SECRET = "official-client-secret-0001"
SETUP = """
resources:
  - {resourceId: "+14155550100", resourceType: NUMBER, numberType: TEN_DIGIT_LONG_CODE, capabilities: [SMS]}
"""
ALWAYS_DELIVERED = "seed: 1\nmix: [{status: DELIVERED, share: 1, delay: 1}]"


def _unavailable(reason: str):
    if in_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def server(store):
    with store.write() as session:
        apply_setup(session, load_setup(SETUP))
        keys.create_api_key(session, "admin", secret=SECRET)
    app = create_app(store, router=Router(store, delivery=parse_profile(ALWAYS_DELIVERED, "delivered")), tick=0.2)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        thread.join(0.05)
    yield f"http://127.0.0.1:{port}", app
    running.should_exit = True
    thread.join(15)


def test_the_official_client_provisions_sends_and_reads_back(server):
    uv = shutil.which("uv")
    if uv is None:
        _unavailable("the official client needs uv to run in its own environment")
    url, app = server
    run = subprocess.run([uv, "run", *CLIENT, "python", str(SCRIPT), url, SECRET, "14155550100"],
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0 and "infobip" in run.stderr and ("resolve" in run.stderr or "network" in run.stderr.lower()):
        _unavailable(f"the official client could not be installed: {run.stderr[-500:]}")
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["applications"] == ["default", "shop"]
    ids = [m[0] for m in seen["sent"]]
    assert [m[1:] for m in seen["sent"]] == [["14155550131", "PENDING_ACCEPTED"], ["14155550132", "PENDING_ACCEPTED"],
                                             ["14155550133", "PENDING_ACCEPTED"]]
    assert seen["preview"] == [[2, 145]]
    assert seen["reports"] == sorted([i, to, "14155550100", "DELIVERED", True] for i, to in
                                     zip(ids, ("14155550131", "14155550132", "14155550133")))
    assert seen["reportsAgain"] == 0
    assert [l[:4] for l in seen["logs"]] == [r[:4] for r in seen["reports"]]
    assert seen["inbox"] == []
