"""sms.json sends over HTTP: v2, v3 and the query forms go through the router (exact senders, status
objects, log rows), 401/403 refuse the whole request, bad input is a 400 naming the field; preview."""

from __future__ import annotations

import pytest

from store import message_log
from store.setup_file import apply_setup, load_setup

from ..store.test_setup_file import CONTRACT_EXAMPLE

V2, V3 = "/sms/2/text/advanced", "/sms/3/messages"
LINKED = {"Authorization": "App k-bigcola-prod-0001"}
PENDING = {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED",
           "description": "Message accepted and waiting for delivery"}


@pytest.fixture
def shop(api):
    with api.store.write() as session:
        apply_setup(session, load_setup(CONTRACT_EXAMPLE))
    return api


def _rows(api) -> list:
    with api.store.read() as session:
        return list(reversed(message_log.recent(session, 100, direction="OUTBOUND")))


def test_v2_routes_each_destination_through_the_engine(shop):
    body = {"bulkId": "bulk-1", "includeSmsCountInResponse": True, "messages": [
        {"applicationId": "shop", "entityId": "bigcola", "text": "hello",
         "destinations": [{"to": "14155550123", "messageId": "mine-1"}, {"to": "0014155550124"}]},
        {"from": "InfoSMS", "text": "x" * 161, "destinations": [{"to": "+447400123456"}]},
    ]}
    response = shop.call("POST", V2, json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["bulkId"] == "bulk-1"
    messages = answer["messages"]
    assert [m["to"] for m in messages] == ["14155550123", "0014155550124", "+447400123456"]
    assert [m["status"] for m in messages] == [PENDING] * 3
    assert [m["smsCount"] for m in messages] == [1, 1, 2]
    assert messages[0]["messageId"] == "mine-1"
    assert all("x-cpaasx" not in m for m in messages)  # only with X-Cpaasx-Explain: 1
    rows = _rows(shop)
    assert [(r.message_id, r.destination, r.sender, r.reason, r.status, r.bulk_id, r.application_id, r.entity_id)
            for r in rows] == [
        ("mine-1", "+14155550123", "+14155550100", "GEOLOCATED", "ROUTED", "bulk-1", "shop", "bigcola"),
        (messages[1]["messageId"], "+14155550124", "+14155550100", "GEOLOCATED", "ROUTED", "bulk-1", "shop",
         "bigcola"),
        (messages[2]["messageId"], "+447400123456", "InfoSMS", "EXPLICIT_SENDER", "ROUTED", "bulk-1", "default",
         None),
    ]
    assert [r.text for r in rows] == ["hello", "hello", "x" * 161]
    assert rows[0].due_at is not None  # planned by the delivery profile


def test_v2_rejections_map_to_status_objects_and_explain_adds_the_engine(shop):
    body = {"messages": [
        {"text": "hi", "destinations": [{"to": "abc"}, {"to": ""}, {"to": "14155550123"}]},
        {"from": "nobody", "text": "hi", "destinations": [{"to": "14155550123"}]},
        {"from": "14155550100", "applicationId": "shop", "text": "hi", "destinations": [{"to": "14155550125"}]},
    ]}
    response = shop.call("POST", V2, json=body, headers={"X-Cpaasx-Explain": "1"})
    assert response.status_code == 200, response.text
    messages = response.json()["messages"]
    assert [(m["status"]["groupName"], m["status"]["id"], m["status"]["name"]) for m in messages] == [
        ("REJECTED", 52, "REJECTED_DESTINATION"), ("REJECTED", 51, "MISSING_TO"),
        ("REJECTED", 19, "REJECTED_ROUTE_NOT_AVAILABLE"), ("REJECTED", 11, "REJECTED_SOURCE"),
        ("PENDING", 26, "PENDING_ACCEPTED"),
    ]
    assert [m["x-cpaasx"]["reason"] for m in messages] == [
        "INVALID_DESTINATION", "MISSING_TO", "NO_SENDING_STRATEGY", "SENDER_NOT_FOUND", "EXPLICIT_SENDER"]
    assert messages[4]["x-cpaasx"]["sender"] == "14155550100"  # the API's number form
    assert messages[4]["x-cpaasx"]["trace"][-1] == {"step": "result", "detail": "routed from +14155550100, EXPLICIT_SENDER"}
    assert "(NO_SENDING_STRATEGY: " in messages[2]["status"]["description"]
    rows = _rows(shop)  # the empty `to` is answered, not routed
    assert [(r.destination, r.error_code, r.status_id) for r in rows] == [
        ("abc", "INVALID_DESTINATION", 52), ("+14155550123", "NO_SENDING_STRATEGY", 19),
        ("+14155550123", "SENDER_NOT_FOUND", 11), ("+14155550125", None, 26)]
    assert len({r.bulk_id for r in rows}) == 1 and rows[0].bulk_id == response.json()["bulkId"]


def test_v3_with_a_linked_key_fills_its_platform(shop):
    body = {"messages": [{"destinations": [{"to": "14155550123", "messageId": "v3-1"}], "content": {"text": "hi"}}],
            "options": {"schedule": {"bulkId": "b3"}, "includeSmsCountInResponse": True}}
    response = shop.client.post(V3, json=body, headers=LINKED)
    assert response.status_code == 200, response.text
    assert response.json() == {"bulkId": "b3", "messages": [
        {"messageId": "v3-1", "status": PENDING, "destination": "14155550123", "details": {"messageCount": 1}}]}
    (row,) = _rows(shop)
    assert (row.application_id, row.entity_id, row.sender, row.reason) == ("shop", "bigcola", "+14155550100",
                                                                           "GEOLOCATED")
    again = shop.client.post(V3, json={"messages": [{"destinations": [{"to": "14155550123"}],
                                                     "content": {"text": "hi"}}]}, headers=LINKED)
    assert again.json()["messages"][0]["status"] == PENDING
    assert _rows(shop)[-1].reason == "STICKY"


def test_a_key_that_may_not_send_refuses_the_whole_request(shop):
    body = {"messages": [
        {"destinations": [{"to": "14155550123"}], "content": {"text": "ok"}},
        {"destinations": [{"to": "14155550124"}], "content": {"text": "no"},
         "options": {"platform": {"applicationId": "default"}}},
    ]}
    response = shop.client.post(V3, json=body, headers=LINKED)
    assert response.status_code == 403
    refused = response.json()
    assert refused["errorCode"] == "FORBIDDEN"
    assert refused["violations"] == [{"property": "messages[1]", "violation":
                                      "API key bigcola-prod is linked to shop/bigcola, not default/bigcola"}]
    v2 = shop.client.post(V2, json={"messages": [{"applicationId": "default", "destinations": [{"to": "14155550123"}]}]},
                          headers=LINKED)
    assert v2.status_code == 403 and v2.json()["requestError"]["serviceException"]["messageId"] == "FORBIDDEN"
    assert shop.client.post(V2, json={"messages": []}, headers={"Authorization": "App nope-nope"}).status_code == 401
    assert _rows(shop) == []  # nothing logged as sent


@pytest.mark.parametrize(("path", "body", "field"), [
    (V2, {"messages": [{"destinations": [{"to": 14155550123}]}]}, "messages[0].destinations[0].to"),
    (V2, {"messages": [{"entityId": "bad id!", "destinations": [{"to": "14155550123"}]}]}, "messages[0].entityId"),
    (V2, {"messages": [{}]}, "messages[0].destinations"),
    (V2, {}, "messages"),
    (V3, {"messages": [{"destinations": [{"to": "14155550123"}], "content": {"hex": "48 65"}}]},
     "messages[0].content.hex"),
    (V3, {"messages": [{"destinations": [{"to": "1"}], "content": {"text": "x", "transliteration": "KLINGON"}}]},
     "messages[0].content.transliteration"),
    (V3, {"messages": [{"destinations": [{"to": "1" * 65}], "content": {"text": "x"}}]},
     "messages[0].destinations[0].to"),
    (V2, {"messages": [{"text": "x", "destinations": [{"to": "14155550123"}]},
                       {"notifyUrl": "ftp://x", "destinations": [{"to": "14155550123"}]}]}, "messages[1].notifyUrl"),
    (V2, {"messages": [{"from": "", "destinations": [{"to": "14155550123"}]}]}, "messages[0].from"),
    (V3, {"messages": [{"destinations": [{"to": "1"}], "content": {"text": "x"},
                        "webhooks": {"delivery": {"url": "http://["}}}]}, "messages[0].webhooks.delivery.url"),
    (V3, {"messages": [{"sender": "", "destinations": [{"to": "1"}], "content": {"text": "x"}}]},
     "messages[0].sender"),
])
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(shop, path, body, field):
    response = shop.call("POST", path, json=body)
    assert response.status_code == 400, response.text
    answer = response.json()
    if path == V2:
        assert field in answer["requestError"]["serviceException"]["validationErrors"]
    else:
        assert field in [v["property"] for v in answer["violations"]]
    assert _rows(shop) == []


def test_malformed_json_is_a_400(shop):
    response = shop.call("POST", V2, content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["requestError"]["serviceException"]["validationErrors"] == {"body": ["is not valid JSON"]}


def test_query_forms_send(shop):
    v1 = shop.client.get("/sms/1/text/query", params={"username": "any", "password": shop.secret,
                                                      "to": ["14155550123", "14155550124"], "text": "hi",
                                                      "from": "14155550100", "bulkId": "q1"})
    assert v1.status_code == 200, v1.text
    assert v1.json()["bulkId"] == "q1"
    assert [(m["to"], m["status"]["name"], m["smsCount"]) for m in v1.json()["messages"]] == [
        ("14155550123", "PENDING_ACCEPTED", 1), ("14155550124", "PENDING_ACCEPTED", 1)]
    bad = shop.client.get("/sms/1/text/query", params={"username": "any", "password": "wrong-secret", "to": "1"})
    assert bad.status_code == 401
    v3 = shop.call("GET", "/sms/3/text/query", params={"to": "14155550125", "text": "yo", "from": "14155550100",
                                                       "includeSmsCountInResponse": "true"})
    assert v3.status_code == 200, v3.text
    assert [(m["destination"], m["status"]["name"], m["details"]) for m in v3.json()["messages"]] == [
        ("14155550125", "PENDING_ACCEPTED", {"messageCount": 1})]
    bad_url = shop.call("GET", "/sms/3/text/query", params={"to": "14155550125", "text": "x", "notifyUrl": "nowhere"})
    assert bad_url.status_code == 400 and [v["property"] for v in bad_url.json()["violations"]] == ["notifyUrl"]
    bad_from = shop.call("GET", "/sms/3/text/query", params={"to": "14155550125", "text": "x", "from": ""})
    assert bad_from.status_code == 200  # an empty query parameter is no sender: the strategy picks
    missing = shop.call("GET", "/sms/3/text/query", params={"to": "14155550125"})
    assert missing.status_code == 400 and [v["property"] for v in missing.json()["violations"]] == ["text"]
    assert [(r.destination, r.sender, r.reason) for r in _rows(shop)] == [
        ("+14155550123", "+14155550100", "EXPLICIT_SENDER"), ("+14155550124", "+14155550100", "EXPLICIT_SENDER"),
        ("+14155550125", "+14155550100", "EXPLICIT_SENDER"), ("+14155550125", None, None)]


def test_preview_counts_segments(api):
    long_gsm = api.call("POST", "/sms/1/preview", json={"text": "a" * 161})
    assert long_gsm.status_code == 200
    assert long_gsm.json() == {"originalText": "a" * 161, "previews": [
        {"textPreview": "a" * 161, "messageCount": 2, "charactersRemaining": 145, "configuration": {}}]}
    greek = api.call("POST", "/sms/1/preview", json={"text": "Καλημέρα", "transliteration": "GREEK",
                                                     "languageCode": "TR"}).json()
    assert [(p["messageCount"], p["charactersRemaining"], p["configuration"]) for p in greek["previews"]] == [
        (1, 62, {}), (1, 152, {"language": {"languageCode": "TR"}, "transliteration": "GREEK"})]
    bad = api.call("POST", "/sms/1/preview", json={"text": "x", "transliteration": "KLINGON"})
    assert bad.status_code == 400 and "transliteration" in bad.json()["requestError"]["serviceException"]["validationErrors"]
