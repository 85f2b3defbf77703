"""sms.json reads over HTTP on a driven clock: reports v1/v3 and the inbox read once with limit and
pendingMessageCount; the server delivers what is due before answering; logs v1/v3 with filters, cursor."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import ensure_sandbox_key
from store.delivery import ManualClock
from store.delivery_profile import parse_profile
from store.routing import InboundRequest
from store.routing.router import Router
from store.setup_file import apply_setup, load_setup

from ..store.test_setup_file import CONTRACT_EXAMPLE

START = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
PROFILE = parse_profile("""
seed: 7
mix: [{status: DELIVERED, share: 1, delay: 5}]
rules:
  - {country: GB, mix: [{status: UNDELIVERABLE, share: 1, delay: 10, errors: {EC_UNKNOWN_SUBSCRIBER: 1}}]}
""", "test")
DELIVERED = {"groupId": 3, "groupName": "DELIVERED", "id": 5, "name": "DELIVERED_TO_HANDSET",
             "description": "Message delivered to the handset"}
NO_ERROR = {"groupId": 0, "groupName": "OK", "id": 0, "name": "NO_ERROR", "description": "No error", "permanent": False}


class Sandbox:
    def __init__(self, store, clock, client, secret):
        self.store, self.clock, self.client, self.secret = store, clock, client, secret

    def get(self, path, **params):
        response = self.client.get(path, params=params, headers={"Authorization": f"App {self.secret}"})
        assert response.status_code == 200, response.text
        return response.json()

    def send(self, to: list[str], text="hi", **extra) -> list[str]:
        body = {"messages": [{"destinations": [{"to": t} for t in to], "text": text, **extra}]}
        response = self.client.post("/sms/2/text/advanced", json=body, headers={"Authorization": f"App {self.secret}"})
        assert response.status_code == 200, response.text
        return [m["messageId"] for m in response.json()["messages"]]


@pytest.fixture
def sandbox(store):
    secret = ensure_sandbox_key(store)
    with store.write() as session:
        apply_setup(session, load_setup(CONTRACT_EXAMPLE))
    clock = ManualClock(START)
    app = create_app(store, router=Router(store, clock=clock, delivery=PROFILE))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Sandbox(store, clock, client, secret)


def test_reports_arrive_after_their_delay_and_are_read_once(sandbox):
    ids = sandbox.send(["14155550123", "14155550124", "14155550125"], applicationId="shop", entityId="bigcola")
    assert sandbox.get("/sms/1/reports") == {"results": [], "messageCount": 0, "pendingMessageCount": 0}
    sandbox.clock.tick(5)
    first = sandbox.get("/sms/1/reports", limit=2)
    assert first["messageCount"] == 2 and first["pendingMessageCount"] == 1
    assert first["results"][0] == {
        "bulkId": first["results"][0]["bulkId"], "messageId": ids[0], "to": "14155550123", "from": "14155550100",
        "sentAt": "2026-03-01T12:00:00.000+00:00", "doneAt": "2026-03-01T12:00:05.000+00:00", "smsCount": 1,
        "status": DELIVERED, "error": NO_ERROR, "applicationId": "shop", "entityId": "bigcola",
    }
    last = sandbox.get("/sms/3/reports")
    assert [r["messageId"] for r in last["results"]] == [ids[2]]
    assert last["results"][0]["sender"] == "14155550100" and last["results"][0]["messageCount"] == 1
    assert last["results"][0]["platform"] == {"applicationId": "shop", "entityId": "bigcola"}
    assert last["pendingMessageCount"] == 0
    assert sandbox.get("/sms/1/reports")["results"] == []  # each report once


def test_report_filters_and_limits(sandbox):
    (us,) = sandbox.send(["14155550123"], applicationId="shop", entityId="bigcola")
    (gb,) = sandbox.send(["447400123456"], **{"from": "InfoSMS"})
    sandbox.clock.tick(10)
    only_gb = sandbox.get("/sms/1/reports", messageId=gb)["results"]
    assert [(r["messageId"], r["status"]["name"], r["error"]["name"], r["error"]["permanent"]) for r in only_gb] == [
        (gb, "UNDELIVERABLE_NOT_DELIVERED", "EC_UNKNOWN_SUBSCRIBER", True)]
    assert sandbox.get("/sms/1/reports", applicationId="default")["results"] == []
    assert [r["messageId"] for r in sandbox.get("/sms/1/reports", entityId="bigcola")["results"]] == [us]
    for bad in (0, 1001):
        response = sandbox.client.get("/sms/1/reports", params={"limit": bad},
                                      headers={"Authorization": f"App {sandbox.secret}"})
        assert response.status_code == 400
        assert "limit" in response.json()["requestError"]["serviceException"]["validationErrors"]
        v3 = sandbox.client.get("/sms/3/reports", params={"limit": bad}, headers={"Authorization": f"App {sandbox.secret}"})
        assert v3.status_code == 400 and [v["property"] for v in v3.json()["violations"]] == ["limit"]


def test_inbox_hands_out_inbound_messages_once(sandbox):
    sandbox.clock.tick(1)
    Router(sandbox.store, clock=sandbox.clock).receive(InboundRequest("+447400123456", "+14155550100", text="JOIN now"))
    body = sandbox.get("/sms/1/inbox/reports")
    assert body["messageCount"] == 1 and body["pendingMessageCount"] == 0
    (message,) = body["results"]
    assert {k: message[k] for k in ("from", "to", "text", "cleanText", "keyword", "receivedAt", "smsCount",
                                    "applicationId", "entityId")} == {
        "from": "447400123456", "to": "14155550100", "text": "JOIN now", "cleanText": "now", "keyword": "JOIN",
        "receivedAt": "2026-03-01T12:00:01.000+00:00", "smsCount": 1, "applicationId": "shop", "entityId": "bigcola"}
    assert sandbox.get("/sms/1/inbox/reports")["results"] == []


def test_logs_v1_and_v3_with_filters_and_cursor(sandbox):
    ids = sandbox.send(["14155550123", "14155550124"], applicationId="shop", entityId="bigcola", text="one")
    sandbox.clock.tick(3)
    (rejected,) = sandbox.send(["abc"], text="two")
    sandbox.clock.tick(3)  # the first two are delivered by the time the log is read
    v1 = sandbox.get("/sms/1/logs")["results"]
    assert [(r["messageId"], r["status"]["groupName"], r["to"], r.get("from")) for r in v1] == [
        (rejected, "REJECTED", "abc", None), (ids[1], "DELIVERED", "14155550124", "14155550100"),
        (ids[0], "DELIVERED", "14155550123", "14155550100")]
    assert v1[1]["doneAt"] == "2026-03-01T12:00:05.000+00:00" and v1[1]["text"] == "one" and v1[1]["smsCount"] == 1
    assert "x-cpaasx" not in v1[0] and "routing" not in v1[0]
    assert [r["messageId"] for r in sandbox.get("/sms/1/logs", generalStatus="REJECTED")["results"]] == [rejected]
    assert [r["messageId"] for r in sandbox.get("/sms/1/logs", to="+14155550123")["results"]] == [ids[0]]
    assert [r["messageId"] for r in sandbox.get("/sms/1/logs", **{"from": "14155550100"}, limit=1)["results"]] == [ids[1]]
    assert [r["messageId"] for r in sandbox.get("/sms/1/logs", messageId=[ids[0], rejected])["results"]] == [
        rejected, ids[0]]
    since = sandbox.get("/sms/1/logs", sentSince="2026-03-01T12:00:02.000+0000")["results"]
    assert [r["messageId"] for r in since] == [rejected]
    until = sandbox.get("/sms/1/logs", sentUntil="2026-03-01T12:00:02Z", applicationId="shop")["results"]
    assert [r["messageId"] for r in until] == [ids[1], ids[0]]

    page = sandbox.get("/sms/3/logs", limit=2, useCursor="true")
    assert [r["messageId"] for r in page["results"]] == [rejected, ids[1]]
    assert page["cursor"]["limit"] == 2 and page["cursor"]["nextCursor"]
    older = sandbox.get("/sms/3/logs", limit=2, cursor=page["cursor"]["nextCursor"])
    assert [r["messageId"] for r in older["results"]] == [ids[0]]
    assert older["cursor"] == {"limit": 2}  # no nextCursor: the last page
    entry = older["results"][0]
    assert (entry["sender"], entry["destination"], entry["platform"], entry["content"], entry["messageCount"]) == (
        "14155550100", "14155550123", {"applicationId": "shop", "entityId": "bigcola"}, {"text": "one"}, 1)
    assert "cursor" not in sandbox.get("/sms/3/logs")
    explained = sandbox.client.get("/sms/3/logs", params={"messageId": ids[0]},
                                   headers={"Authorization": f"App {sandbox.secret}", "X-Cpaasx-Explain": "1"})
    assert explained.json()["results"][0]["x-cpaasx"]["reason"] == "GEOLOCATED"


def test_log_filter_refusals_name_the_field(sandbox):
    headers = {"Authorization": f"App {sandbox.secret}"}
    cases = [("/sms/1/logs", {"sentSince": "yesterday"}, "sentSince"),
             ("/sms/1/logs", {"generalStatus": "LOST"}, "generalStatus"),
             ("/sms/3/logs", {"cursor": "x1"}, "cursor"),
             ("/sms/3/logs", {"sentSince": "2026-03-02T00:00:00Z", "sentUntil": "2026-03-01T00:00:00Z"}, "sentUntil")]
    for path, params, field in cases:
        response = sandbox.client.get(path, params=params, headers=headers)
        assert response.status_code == 400, (path, params, response.text)
        body = response.json()
        names = (body["requestError"]["serviceException"]["validationErrors"] if path.startswith("/sms/1")
                 else {v["property"] for v in body["violations"]})
        assert field in names, (params, body)
