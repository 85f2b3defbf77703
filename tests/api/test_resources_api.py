"""resources.json over HTTP: inbound configurations, requirements lookup, requests, documents."""

from __future__ import annotations

from store import inbound_config, platforms, resources
from store import requests as store_requests
from store.number_forms import derived_key

CONFIGS = "/resource-management/1/inbound-message-configurations"
REQUESTS = "/resources/1/requests"
DOCS = "/resources/1/documents"
PDF = b"%PDF-1.4 a registration"


def _violations(response) -> dict:
    return {v["property"]: v["violation"] for v in response.json()["violations"]}


def test_inbound_configurations(api):
    with api.store.write() as session:
        platforms.create_application(session, "shop")
        resources.add_resource(session, "+14155550100", "NUMBER", capabilities=["SMS", "MMS"])
    key = derived_key("+14155550100")
    created = api.call("POST", CONFIGS, json={"channel": "SMS", "number": "14155550100", "keyword": "JOIN",
                                              "platform": {"applicationId": "shop"}})
    assert created.status_code == 200, created.text
    body = created.json()
    assert body == {"configurationKey": body["configurationKey"], "channel": "SMS", "keyword": "JOIN",
                    "numberKey": key, "number": "14155550100", "platform": {"applicationId": "shop"},
                    "forwarding": {"type": "PULL"}}
    catch_all = api.call("POST", CONFIGS, json={"channel": "MMS", "numberKey": key})
    assert catch_all.status_code == 200 and "keyword" not in catch_all.json()
    assert [c["keyword"] for c in api.call("GET", CONFIGS, params={"channel": "SMS", "numberKey": key}).json()] == [
        "JOIN"]
    assert api.call("GET", CONFIGS, params={"channel": "WHATSAPP"}).json() == []
    before = api.revision()
    for body, status, field in [
        ({"channel": "SMS", "number": "14155550100", "keyword": "join"}, 409, "keyword"),
        ({"channel": "WHATSAPP", "number": "14155550100"}, 400, "channel"),
        ({"channel": "SMS"}, 400, "numberKey"),
        ({"channel": "SMS", "number": "14155550199"}, 404, "number"),
        ({"channel": "PIGEON", "number": "14155550100"}, 400, "channel"),
        ({"channel": "SMS", "number": "14155550100", "keyword": "OK", "forwarding": {"type": "HTTP_FORWARD"}}, 400,
         "forwarding.url"),
    ]:
        response = api.call("POST", CONFIGS, json=body)
        assert response.status_code == status, (body, response.text)
        errors = response.json()["requestError"]["serviceException"]["validationErrors"]
        assert field in errors, (body, response.text)
    assert api.revision() == before
    assert api.call("DELETE", f"{CONFIGS}/{body_key(created)}").status_code == 204
    with api.store.read() as session:
        assert [c.channel for c in inbound_config.list_inbound_configurations(session)] == ["MMS"]
    assert api.call("DELETE", f"{CONFIGS}/{body_key(created)}").status_code == 404


def body_key(response) -> str:
    return response.json()["configurationKey"]


def test_requirements_lookup(api):
    found = api.call("POST", "/resources/1/requirements-lookup",
                     json={"type": "NUMBER_PURCHASE", "countryCode": "HR", "numberType": "VIRTUAL_LONG_NUMBER",
                           "capabilities": ["SMS"]})
    assert found.status_code == 200
    keys = [r["key"] for r in found.json()["requirements"]]
    assert keys == [r["key"] for r in store_requests.lookup_requirements("NUMBER_PURCHASE", "HR",
                                                                          "VIRTUAL_LONG_NUMBER", ["SMS"])]
    assert "companyName" in keys
    none = api.call("POST", "/resources/1/requirements-lookup",
                    json={"type": "ALPHANUMERIC_REGISTRATION", "countryCode": "US"})
    assert none.status_code == 404 and none.json()["errorCode"] == "RR-ALPHA-UNAVAILABLE404"
    assert "countryCode" in _violations(none)
    wrong = api.call("POST", "/resources/1/requirements-lookup", json={"type": "NUMBER_PURCHASE", "countryCode": 7})
    assert wrong.status_code == 400 and "countryCode" in _violations(wrong)


def test_request_submit_feedback_get_list(api):
    before = api.revision()
    refused = api.call("POST", REQUESTS, json={"type": "NUMBER_PURCHASE", "countryCode": "HR",
                                               "numberType": "VIRTUAL_LONG_NUMBER", "capabilities": ["SMS"],
                                               "requirements": [{"key": "companyName", "value": "A"}]})
    assert refused.status_code == 400
    assert _violations(refused)["requirements.companyName"].startswith("RES_REQ_FEED_LENGTH_OOR")
    assert api.revision() == before
    created = api.call("POST", REQUESTS, json={"type": "NUMBER_PURCHASE", "countryCode": "GB",
                                               "numberType": "VIRTUAL_LONG_NUMBER", "capabilities": ["SMS"],
                                               "quantity": 2})
    assert created.status_code == 201
    ident = created.json()["id"]
    got = api.call("GET", f"{REQUESTS}/{ident}").json()
    assert (got["id"], got["status"], got["quantity"], got["platform"]) == (ident, "PENDING", 2,
                                                                           {"applicationId": "default"})
    listed = api.call("GET", REQUESTS, params={"status": ["PENDING", "IN_REVIEW"]}).json()
    assert [r["id"] for r in listed["results"]] == [ident]
    assert api.call("GET", REQUESTS, params={"status": "IN_PROGRESS"}).json()["results"] == []
    assert api.call("GET", REQUESTS, params={"status": "SLEEPING"}).status_code == 400
    cancel = api.call("POST", f"{REQUESTS}/{ident}/cancel")
    assert cancel.status_code == 400 and cancel.json()["errorCode"] == "RR-INVALID-STATUS400"
    missing = api.call("GET", f"{REQUESTS}/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["errorCode"] == "RR404"


def test_update_and_cancel_a_request_sent_back(api):
    ident = api.call("POST", REQUESTS, json={"type": "NUMBER_PURCHASE", "countryCode": "GB",
                                             "numberType": "VIRTUAL_LONG_NUMBER", "capabilities": ["SMS"]}).json()["id"]
    with api.store.write() as session:
        store_requests.advance(session, ident)
    with api.store.write() as session:
        store_requests.advance(session, ident, to="REJECTED")
    patched = api.call("PATCH", f"{REQUESTS}/{ident}", json={"requirements": []})
    assert patched.status_code == 400 and patched.json()["errorCode"] == "RR-INVALID-STATUS400"
    assert api.call("PATCH", f"{REQUESTS}/{ident}", json={}).status_code == 400


def test_documents(api):
    uploaded = api.call("POST", DOCS, files={"document": ("papers.pdf", PDF, "application/pdf")})
    assert uploaded.status_code == 201
    ident = uploaded.json()["documentId"]
    got = api.call("GET", f"{DOCS}/{ident}")
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    before = api.revision()
    wrong = api.call("POST", DOCS, files={"document": ("papers.pdf", b"not a pdf", "application/pdf")})
    assert wrong.status_code == 400 and "document" in _violations(wrong)
    assert api.call("POST", DOCS, data={"x": "1"}).status_code == 400
    assert api.revision() == before
    assert api.call("DELETE", f"{DOCS}/{ident}").status_code == 204
    gone = api.call("GET", f"{DOCS}/{ident}")
    assert gone.status_code == 404 and gone.json()["errorCode"] == "RR-DOC404"
