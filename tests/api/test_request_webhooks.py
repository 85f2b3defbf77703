"""Resource-request status changes POSTed to `serve --request-webhook`, with the reviewer on the ticker."""

from __future__ import annotations

import time

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from api import spec
from api.app import create_app
from api.auth import ensure_sandbox_key
from api.webhooks import Settings, Webhooks
from store import requests as store_requests
from store.delivery import ManualClock
from store.routing.router import Router

from .test_sms_webhooks import START, Receiver, _until

REQUESTS = "/resources/1/requests"
GB_NUMBERS = {"type": "NUMBER_PURCHASE", "countryCode": "GB", "numberType": "VIRTUAL_LONG_NUMBER",
              "capabilities": ["SMS"], "quantity": 2}


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def serve(store, receiver, auto_review: bool):
    secret = ensure_sandbox_key(store)
    clock = ManualClock(START)
    hooks = Webhooks(Settings(backoff=0.05, timeout=10))
    app = create_app(store, router=Router(store, clock=clock), webhooks=hooks, tick=0.05,
                     request_webhook=receiver.url + "/rq", auto_review=auto_review)
    client = TestClient(app, raise_server_exceptions=False)
    client.headers["Authorization"] = f"App {secret}"
    return client, clock


def statuses(receiver) -> list[tuple[str, str]]:
    return [(r["content"]["id"], r["content"]["status"]) for _, body in receiver.got for r in body["results"]]


def test_the_reviewer_moves_requests_on_and_the_files_statuses_are_posted(store, receiver):
    with store.write() as session:  # before the server starts: its changes are sent once they happen
        old = store_requests.submit_request(session, "NUMBER_PURCHASE", "GB", "VIRTUAL_LONG_NUMBER", ["SMS"], 2,
                                            now=START).request.id
    client, clock = serve(store, receiver, auto_review=True)
    with client:
        ident = client.post(REQUESTS, json=GB_NUMBERS).json()["id"]
        clock.tick(5)  # PENDING → IN_REVIEW: kept as events, not posted (the file's body has no such status)
        _until(lambda: client.get(f"{REQUESTS}/{ident}").json()["status"] == "IN_REVIEW")
        assert receiver.got == []
        clock.tick(5)
        _until(lambda: len(statuses(receiver)) == 2)
        assert sorted(statuses(receiver)) == sorted([(old, "COMPLETED"), (ident, "COMPLETED")])
    with store.read() as session:  # every step is still an event in the store
        assert [e.status for e in store_requests.list_events(session, ident).results] == [
            "PENDING", "IN_REVIEW", "COMPLETED"]
    results = [r for _, body in receiver.got for r in body["results"]]
    assert {path for path, _ in receiver.got} == {"/rq"}
    done = next(r for r in results if r["content"]["id"] == ident)
    assert done["event"] == "RESOURCE_REQUEST_STATUS_UPDATE"
    assert done["receivedAt"] == "2026-03-01T12:00:10.000+00:00"
    assert done["platform"] == {"applicationId": "default"}
    assert (done["content"]["type"], len(done["content"]["numbers"])) == ("NUMBER_PURCHASE", 2)
    schema = {"$ref": "#/components/schemas/c8df889022018062dfcb44e930a391e7e1c8e669bd11a10a717da508b9ae3dcf."
                      "WebhookStatusNotifApiDocRequestBody", "components": spec.document("resources.json")["components"]}
    validator = jsonschema_rs.validator_for(schema)
    for _, body in receiver.got:  # the file's webhook body, every time
        validator.validate(body)


def test_without_auto_review_requests_wait_and_changes_made_elsewhere_are_posted(store, receiver):
    client, clock = serve(store, receiver, auto_review=False)
    with client:
        ident = client.post(REQUESTS, json=GB_NUMBERS).json()["id"]
        clock.tick(60)
        time.sleep(0.3)
        assert client.get(f"{REQUESTS}/{ident}").json()["status"] == "PENDING"  # nobody reviews
        with store.write() as session:  # as `cpaasx request review` in another process would
            store_requests.advance(session, ident)
            store_requests.advance(session, ident, to="REJECTED")
        _until(lambda: statuses(receiver) == [(ident, "REJECTED")])
