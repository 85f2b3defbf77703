"""The API area and the dashboard-hosted server: requests listed with their bodies, the header
naming the served API, messages sent over HTTP marked in Traffic with the key's name."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone

import httpx
import pytest

from api.app import create_app
from api.auth import SANDBOX_KEY, ensure_sandbox_key
from api.recording import Recorder, RequestRecord
from api.webhooks import DELIVERED, FAILED, Attempt
from store.db import Store
from store.setup_apply import apply_text
from tui.api_host import ApiHost
from tui.app import Dashboard
from tui.commands.serve import bind
from tui.commands.setup import demo_setup_text
from tui.screens.api import ApiScreen

from .conftest import SIZE, press, settle

SMALL = (80, 24)
AT = datetime(2025, 1, 6, 9, 0, 0, tzinfo=timezone.utc)
SEND_BODY = {"messages": [{"destinations": [{"to": "19175550123"}], "text": "hi", "applicationId": "shop"}]}


class FixedHost:
    """What the API area reads of a host, with fixed records: the same screen on every run."""

    address = "http://127.0.0.1:8080"
    key_name = SANDBOX_KEY
    running = True

    def __init__(self):
        self.recorder = Recorder()
        for i, (method, path, status, body, answer) in enumerate([
            ("GET", "/provisioning/1/applications", 200, b"", b'{"results": [{"applicationId": "shop"}]}'),
            ("POST", "/sms/2/text/advanced", 200, json.dumps(SEND_BODY).encode(),
             b'{"bulkId": "b-1", "messages": [{"messageId": "m-1", "to": "19175550123"}]}'),
            ("GET", "/sms/1/reports", 401, b"",
             b'{"requestError": {"serviceException": {"messageId": "UNAUTHORIZED", "text": "Unauthorized"}}}'),
        ]):
            self.recorder.record(RequestRecord(AT.replace(second=i), method, path, "", status, 1.5 + i,
                                               None if status == 401 else SANDBOX_KEY, body, answer,
                                               client="127.0.0.1"))

        self.webhooks = FixedWebhooks()

    def rate(self) -> float:
        return 0.6

    def sent_with(self, message_id):
        return False, None


class FixedWebhooks:
    def __init__(self):
        report = {"results": [{"messageId": "m-1", "status": {"groupName": "DELIVERED"}}]}
        self.calls = [
            Attempt(2, "DELIVERY_REPORT", "http://127.0.0.1:9/reports", report, AT.replace(second=5), FAILED, 5,
                    None, "connection refused", AT.replace(second=40)),
            Attempt(1, "DELIVERY_REPORT", "http://127.0.0.1:8099/ok", report, AT.replace(second=3), DELIVERED, 1, 200,
                    None, AT.replace(second=4)),
        ]

    def recent(self, limit=100):
        return self.calls[:limit]

    def counts(self):
        return {"QUEUED": 0, "RETRYING": 0, "DELIVERED": 1, "FAILED": 1, "DROPPED": 0}


def api_app(store, host=None) -> Dashboard:
    app = Dashboard(store, poll_seconds=None, blink=False, start="api", label="demo store", api_host=host)
    app.animation_level = "none"
    return app


@pytest.fixture
def demo(tui_store):
    apply_text(tui_store, demo_setup_text())
    return tui_store


def test_snapshot_requests_with_a_send_selected(snap_compare, demo):
    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "down")

    assert snap_compare(api_app(demo, FixedHost()), terminal_size=SIZE, run_before=run_before)


def test_snapshot_requests_at_80x24(snap_compare, demo):
    assert snap_compare(api_app(demo, FixedHost()), terminal_size=SMALL)


def test_snapshot_no_api_served(snap_compare, demo):
    assert snap_compare(api_app(demo), terminal_size=SIZE)


async def test_newest_first_and_a_selected_requests_bodies(demo):
    app = api_app(demo, FixedHost())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ApiScreen)
        assert [r.path for r in screen.records] == ["/sms/1/reports", "/sms/2/text/advanced",
                                                    "/provisioning/1/applications"]
        await press(pilot, "down")
        body = str(screen.query_one("#api-body").render())
        assert "POST /sms/2/text/advanced" in body and '"applicationId": "shop"' in body and '"bulkId": "b-1"' in body
        assert app.sub_title == "demo store · API http://127.0.0.1:8080 · 0.6 req/s · key sandbox"


async def test_requests_answered_while_another_area_shows_are_listed_on_coming_back(demo):
    host = FixedHost()
    app = api_app(demo, host)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await press(pilot, "1")
        host.recorder.record(RequestRecord(AT.replace(second=9), "GET", "/sms/1/logs", "", 200, 2.0, SANDBOX_KEY,
                                           b"", b'{"results": []}', client="127.0.0.1"))
        await asyncio.sleep(0.6)  # a refresh tick passes: the hidden table is left as it was
        await pilot.pause()
        assert len(screen.records) == 3
        await press(pilot, "8")
        assert app.screen is screen and screen.records[0].path == "/sms/1/logs" and len(screen.records) == 4


def test_the_hosted_server_answers_records_and_stops(tmp_path, free_tcp_port):
    store = Store.open(str(tmp_path / "served.db"))
    secret = ensure_sandbox_key(store)  # before the demo's own keys: the store had none
    apply_text(store, demo_setup_text())
    app = create_app(store, tick=None)
    sock = bind("127.0.0.1", free_tcp_port)
    address = f"http://127.0.0.1:{free_tcp_port}"
    host = ApiHost(app, sock, address, SANDBOX_KEY)
    host.start()
    try:
        with httpx.Client(base_url=address, timeout=10) as client:
            for _ in range(100):  # the server thread starts within a moment
                try:
                    client.get("/provisioning/1/applications")
                    break
                except httpx.ConnectError:
                    import time

                    time.sleep(0.05)
            sent = client.post("/sms/2/text/advanced", json=SEND_BODY, headers={"Authorization": f"App {secret}"})
        assert sent.status_code == 200
        message_id = sent.json()["messages"][0]["messageId"]
        assert host.sent_with(message_id) == (True, SANDBOX_KEY)
        assert host.sent_with("someone-else") == (False, None)
        assert host.recorder.total >= 2 and host.rate() > 0
        assert host.running
    finally:
        host.stop()
        store.dispose()
    assert not host.thread.is_alive()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{address}/provisioning/1/applications", timeout=2)


def test_snapshot_webhook_calls(snap_compare, demo):
    assert snap_compare(api_app(demo, FixedHost()), terminal_size=SIZE, press=["w"])


async def test_w_lists_webhook_calls_with_their_errors_and_back(demo):
    app = api_app(demo, FixedHost())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        await press(pilot, "w")
        assert screen.view == "webhooks" and [a.id for a in screen.records] == [2, 1]
        body = str(screen.query_one("#api-body").render())
        assert "FAILED" in body and "5 attempts" in body and "last error: connection refused" in body
        status = str(screen.query_one("#api-status").render())
        assert "webhooks 1 delivered, 0 waiting, 1 failed" in status
        await press(pilot, "w")
        assert screen.view == "requests" and len(screen.records) == 3


async def test_ctrl_c_quits_only_while_serving(demo):
    app = api_app(demo, FixedHost())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+c")
        assert app.return_code == 0  # exit() was called: the dashboard (and the API with it) stops
    plain = api_app(demo)
    async with plain.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+c")
        assert plain.is_running
