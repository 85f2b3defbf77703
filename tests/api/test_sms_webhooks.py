"""Delivery reports POSTed to a message's notifyUrl (v2) / webhooks.delivery.url (v3), to a real local
HTTP receiver through httpx: the report body, retries, a stuck receiver never holding up a send, and
such reports not handed out by the pull queue."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import ensure_sandbox_key
from api.webhooks import DELIVERED, Settings, Webhooks
from store.delivery import ManualClock
from store.delivery_profile import parse_profile
from store.routing import InboundRequest
from store.routing.router import Router
from store.setup_file import apply_setup, load_setup

from ..store.test_setup_file import CONTRACT_EXAMPLE

START = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
PROFILE = parse_profile("seed: 1\nmix: [{status: DELIVERED, share: 1, delay: 5}]", "five")


class Receiver:
    """A local HTTP server recording each POST (path, body); `codes` are answered in turn, then 200;
    while `hold` is clear, every call waits for it."""

    def __init__(self, codes: list[int] | None = None):
        self.codes = list(codes or [])
        self.got: list[tuple[str, dict]] = []
        self.hold = threading.Event()
        self.hold.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.hold.wait(10)
                receiver.got.append((self.path, body))
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()


def _until(check, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def served(store):
    secret = ensure_sandbox_key(store)
    with store.write() as session:
        apply_setup(session, load_setup(CONTRACT_EXAMPLE))
    clock = ManualClock(START)
    hooks = Webhooks(Settings(backoff=0.05, timeout=10))
    app = create_app(store, router=Router(store, clock=clock, delivery=PROFILE), webhooks=hooks, tick=0.05)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"App {secret}"
        yield client, clock, hooks, app


def test_v2_and_v3_reports_are_posted_to_their_urls(served, receiver):
    client, clock, hooks, _ = served
    v2 = client.post("/sms/2/text/advanced", json={"messages": [
        {"applicationId": "shop", "entityId": "bigcola", "text": "hi", "notifyUrl": receiver.url + "/v2",
         "callbackData": "order-7", "destinations": [{"to": "14155550123", "messageId": "m-v2"}]}]})
    v3 = client.post("/sms/3/messages", json={"messages": [
        {"destinations": [{"to": "14155550124", "messageId": "m-v3"}], "content": {"text": "yo"},
         "options": {"platform": {"applicationId": "shop", "entityId": "bigcola"}},
         "webhooks": {"delivery": {"url": receiver.url + "/v3"}}}]})
    assert v2.status_code == v3.status_code == 200
    time.sleep(0.2)
    assert receiver.got == []  # nothing is due yet
    clock.tick(5)
    _until(lambda: len(receiver.got) == 2)
    got = dict(receiver.got)
    (report,) = got["/v2"]["results"]
    assert report == {
        "bulkId": v2.json()["bulkId"], "messageId": "m-v2", "to": "14155550123", "from": "14155550100",
        "sender": "14155550100", "sentAt": "2026-03-01T12:00:00.000+00:00", "doneAt": "2026-03-01T12:00:05.000+00:00",
        "smsCount": 1, "messageCount": 1,
        "status": {"groupId": 3, "groupName": "DELIVERED", "id": 5, "name": "DELIVERED_TO_HANDSET",
                   "description": "Message delivered to the handset"},
        "error": {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR", "description": "No error",
                  "permanent": False},
        "applicationId": "shop", "entityId": "bigcola", "platform": {"applicationId": "shop", "entityId": "bigcola"},
        "callbackData": "order-7",
    }
    assert [r["messageId"] for r in got["/v3"]["results"]] == ["m-v3"]
    assert "callbackData" not in got["/v3"]["results"][0]
    _until(lambda: all(a.state == DELIVERED for a in hooks.recent()))
    assert sorted((a.url, a.attempts, a.status_code) for a in hooks.recent()) == [
        (receiver.url + "/v2", 1, 200), (receiver.url + "/v3", 1, 200)]
    # Pushed reports are not also handed out by the pull queue; one without a URL is.
    client.post("/sms/2/text/advanced", json={"messages": [{"text": "x", "applicationId": "shop",
                                                            "entityId": "bigcola",
                                                            "destinations": [{"to": "14155550125"}]}]})
    clock.tick(5)
    pulled = client.get("/sms/1/reports").json()
    assert [r["to"] for r in pulled["results"]] == ["14155550125"] and pulled["pendingMessageCount"] == 0
    time.sleep(0.2)
    assert len(receiver.got) == 2


def test_a_failing_receiver_is_retried(served):
    client, clock, hooks, _ = served
    failing = Receiver([500, 503])
    try:
        client.post("/sms/2/text/advanced", json={"messages": [
            {"text": "hi", "notifyUrl": failing.url + "/dlr", "applicationId": "shop", "entityId": "bigcola",
             "destinations": [{"to": "14155550123"}]}]})
        clock.tick(5)
        _until(lambda: hooks.recent() and hooks.recent()[0].state == DELIVERED)
        attempt = hooks.recent()[0]
        assert (attempt.attempts, attempt.status_code, attempt.kind) == (3, 200, "DELIVERY_REPORT")
        assert len(failing.got) == 3 and failing.got[0] == failing.got[2]
    finally:
        failing.close()


def test_a_stuck_receiver_never_holds_up_sends(served, receiver):
    client, clock, hooks, app = served
    receiver.hold.clear()  # every call waits until released
    body = {"messages": [{"text": "hi", "notifyUrl": receiver.url + "/slow", "applicationId": "shop",
                          "entityId": "bigcola", "destinations": [{"to": "14155550123"}]}]}
    assert client.post("/sms/2/text/advanced", json=body).status_code == 200
    clock.tick(5)
    _until(lambda: hooks.recent() and hooks.recent()[0].attempts == 0 and app.state.delivery_push.pushed == 1)
    for n in range(5):  # the receiver holds the call: sends still answer
        body["messages"][0]["destinations"][0]["to"] = f"1415555013{n}"
        assert client.post("/sms/2/text/advanced", json=body).status_code == 200
    assert receiver.got == [] and hooks.recent()[0].attempts == 0
    receiver.hold.set()
    clock.tick(5)
    _until(lambda: sum(len(b["results"]) for _, b in receiver.got) == 6)


def test_inbound_messages_of_a_forwarding_configuration_are_posted_to_its_url(served, receiver):
    client, clock, hooks, app = served
    configs = "/resource-management/1/inbound-message-configurations"
    created = client.post(configs, json={"channel": "SMS", "number": "14155550100", "keyword": "PING",
                                         "platform": {"applicationId": "shop", "entityId": "bigcola"},
                                         "forwarding": {"type": "HTTP_FORWARD", "url": receiver.url + "/mo"}})
    assert created.status_code == 200, created.text
    assert created.json()["forwarding"] == {"type": "HTTP_FORWARD", "url": receiver.url + "/mo"}
    router = app.state.router
    forwarded = router.receive(InboundRequest("+447400123456", "+14155550100", text="PING hello"))
    pulled = router.receive(InboundRequest("+447400123457", "+14155550100", text="JOIN me"))  # PULL: the inbox
    assert forwarded.trace[-1].detail.endswith(f"; forwarded to {receiver.url}/mo")
    _until(lambda: len(receiver.got) == 1)
    path, body = receiver.got[0]
    assert path == "/mo" and body["messageCount"] == 1 and body["pendingMessageCount"] == 0
    (message,) = body["results"]
    assert {k: message[k] for k in ("messageId", "from", "to", "text", "cleanText", "keyword", "receivedAt",
                                    "applicationId", "entityId")} == {
        "messageId": forwarded.message_id, "from": "447400123456", "to": "14155550100", "text": "PING hello",
        "cleanText": "hello", "keyword": "PING", "receivedAt": "2026-03-01T12:00:00.000+00:00",
        "applicationId": "shop", "entityId": "bigcola"}
    assert [a.kind for a in hooks.recent()] == ["INBOUND_MESSAGE"]
    inbox = client.get("/sms/1/inbox/reports").json()
    assert [m["messageId"] for m in inbox["results"]] == [pulled.message_id]
