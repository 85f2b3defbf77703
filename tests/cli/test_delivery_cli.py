"""`reports`, `inbox`, `logs` and `--delivery`: send, then read back what became of it."""

from __future__ import annotations

import json

import pytest

from store.db import Store
from tui.cli import main

from ..store.routing_setup import NY, SF, log_count, make_store

US = "+14155550123"
AT_ONCE = "seed: 1\nmix: [{status: DELIVERED, share: 1, delay: 0}]\n"
LOST = "seed: 1\nmix: [{status: UNDELIVERABLE, share: 1, delay: 0, errors: {EC_UNKNOWN_SUBSCRIBER: 1}}]\n"
SLOW = "seed: 1\nmix: [{status: DELIVERED, share: 1, delay: 3600}]\n"


def run(capsys, store: Store, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", store.url, *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def profile(tmp_path, text: str) -> str:
    path = tmp_path / "profile.yaml"
    path.write_text(text)
    return str(path)


def send(capsys, store, *extra) -> dict:
    code, out, _ = run(capsys, store, "send", "--to", US, "--application", "shop", "--entity", "bigcola",
                       "--text", "hi", "--json", *extra)
    assert code == 0
    return json.loads(out)


def test_send_then_reports_hands_the_report_out_once(capsys, store: Store, tmp_path):
    make_store(store)
    sent = send(capsys, store, "--delivery", profile(tmp_path, AT_ONCE))
    assert sent["messageStatus"]["name"] == "PENDING_ACCEPTED"  # what send answers is unchanged
    code, out, _ = run(capsys, store, "reports", "--json")
    body = json.loads(out)
    assert code == 0 and (body["messageCount"], body["pendingMessageCount"]) == (1, 0)
    report = body["results"][0]
    assert (report["messageId"], report["bulkId"], report["to"], report["from"]) == (
        sent["messageId"], sent["bulkId"], US, NY)
    assert (report["status"]["name"], report["error"]["name"]) == ("DELIVERED_TO_HANDSET", "NO_ERROR")
    assert report["sentAt"] == report["doneAt"]  # delay 0
    code, out, _ = run(capsys, store, "reports", "--json")
    assert json.loads(out) == {"results": [], "messageCount": 0, "pendingMessageCount": 0}


def test_logs_by_message_id_show_the_final_status_and_error(capsys, store: Store, tmp_path):
    make_store(store)
    sent = send(capsys, store, "--delivery", profile(tmp_path, LOST))
    code, out, _ = run(capsys, store, "logs", "--message-id", sent["messageId"], "--json")
    body = json.loads(out)
    assert code == 0 and body["cursor"] is None
    [entry] = body["results"]
    assert (entry["messageId"], entry["text"], entry["status"]["name"], entry["error"]["name"],
            entry["error"]["permanent"]) == (sent["messageId"], "hi", "UNDELIVERABLE_NOT_DELIVERED",
                                             "EC_UNKNOWN_SUBSCRIBER", True)
    code, out, _ = run(capsys, store, "logs", "--message-id", sent["messageId"])
    text = " ".join(out.split())
    assert "UNDELIVERABLE_NOT_DELIVERED" in text and "EC_UNKNOWN_SUBSCRIBER" in text and "1 message" in text


def test_a_message_not_due_yet_stays_pending(capsys, store: Store, tmp_path):
    make_store(store)
    sent = send(capsys, store, "--delivery", profile(tmp_path, SLOW))
    code, out, _ = run(capsys, store, "reports")
    assert code == 0 and " ".join(out.split()) == "0 delivery reports handed out, 0 still waiting"
    _, out, _ = run(capsys, store, "logs", "--general-status", "pending", "--json")
    assert [r["messageId"] for r in json.loads(out)["results"]] == [sent["messageId"]]


def test_logs_filters_and_pages(capsys, store: Store, tmp_path):
    make_store(store)
    first = send(capsys, store, "--delivery", profile(tmp_path, AT_ONCE))
    second = send(capsys, store, "--delivery", profile(tmp_path, AT_ONCE))
    run(capsys, store, "send", "--to", US, "--application", "support")  # rejected
    _, out, _ = run(capsys, store, "logs", "--limit", "2", "--json")
    page = json.loads(out)
    assert [r["status"]["groupName"] for r in page["results"]] == ["REJECTED", "DELIVERED"]
    _, out, _ = run(capsys, store, "logs", "--limit", "2", "--cursor", page["cursor"], "--json")
    assert [r["messageId"] for r in json.loads(out)["results"]] == [first["messageId"]]
    _, out, _ = run(capsys, store, "logs", "--from", first["sender"], "--json")
    assert [r["messageId"] for r in json.loads(out)["results"]] == [first["messageId"]]  # the next went out from another
    _, out, _ = run(capsys, store, "logs", "--to", "14155550123", "--application", "shop",
                    "--entity", "bigcola", "--bulk-id", f"{first['bulkId']},{second['bulkId']}",
                    "--sent-since", "2000-01-01", "--json")
    assert [r["messageId"] for r in json.loads(out)["results"]] == [second["messageId"], first["messageId"]]
    _, out, _ = run(capsys, store, "logs", "--sent-until", "2000-01-01T00:00:00+01:00", "--json")
    assert json.loads(out)["results"] == []


def test_inbox_hands_out_inbound_messages_once(capsys, store: Store):
    make_store(store)
    run(capsys, store, "receive", "--from", US, "--to", SF, "--text", "hello there")
    code, out, _ = run(capsys, store, "inbox", "--json")
    body = json.loads(out)
    assert code == 0 and (body["messageCount"], body["pendingMessageCount"]) == (1, 0)
    assert {k: body["results"][0][k] for k in ("from", "to", "text", "cleanText", "applicationId")} == {
        "from": US, "to": SF, "text": "hello there", "cleanText": "hello there", "applicationId": "shop"}
    _, out, _ = run(capsys, store, "inbox")
    assert " ".join(out.split()) == "0 inbound messages handed out, 0 still waiting"


def test_simulate_with_a_profile_then_reports(capsys, store: Store, tmp_path):
    make_store(store)
    code, _, _ = run(capsys, store, "simulate", "--count", "50", "--delivery", profile(tmp_path, LOST))
    assert code == 0
    _, out, _ = run(capsys, store, "reports", "--limit", "1000", "--json")
    body = json.loads(out)
    assert body["messageCount"] > 0 and body["pendingMessageCount"] == 0
    assert {r["status"]["name"] for r in body["results"]} == {"UNDELIVERABLE_NOT_DELIVERED"}


@pytest.mark.parametrize("argv, message", [
    (["reports", "--limit", "0"], "argument --limit: must be between 1 and 1000 (got 0)"),
    (["inbox", "--limit", "1001"], "argument --limit: must be between 1 and 1000 (got 1001)"),
    (["logs", "--limit", "x"], "argument --limit: 'x' is not a whole number"),
    (["logs", "--sent-since", "yesterday"], "argument --sent-since: 'yesterday' is not an ISO 8601 time"),
])
def test_bad_flags_exit_2_naming_the_flag(capsys, store: Store, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", store.url, *argv])
    assert exit_.value.code == 2
    assert message in " ".join(capsys.readouterr().err.split())


def test_a_bad_profile_exits_2_and_sends_nothing(capsys, store: Store, tmp_path):
    make_store(store)
    bad = profile(tmp_path, "mix: [{status: DELIVERED, share: 0.5, delay: 1}]\n")
    code, out, err = run(capsys, store, "send", "--to", US, "--application", "shop", "--delivery", bad)
    assert code == 2 and out == ""
    assert " ".join(err.split()) == f"error INVALID_INPUT --delivery {bad}: mix: the shares sum to 0.5, not 1"
    code, _, err = run(capsys, store, "simulate", "--count", "5", "--delivery", str(tmp_path / "none.yaml"))
    assert code == 2 and "--delivery: cannot read" in err
    assert log_count(store) == 0


def test_a_bad_cursor_exits_2(capsys, store: Store):
    code, _, err = run(capsys, store, "logs", "--cursor", "nope")
    assert code == 2 and "cursor: is not a cursor this store gave out" in err


def test_the_new_commands_parse_without_loading_the_store():
    from .test_startup_imports import loaded

    assert loaded("reports", "--help") == set()
    assert loaded("logs", "--limit", "0") <= {"rich"}


def test_serve_refuses_an_invalid_profile_before_starting(capsys, tmp_path):
    bad = profile(tmp_path, "mix: [{status: SENT, share: 1}]\n")
    code = main(["--db", str(tmp_path / "s.db"), "--create", "serve", "--no-tui", "--delivery", bad])
    assert code == 2
    assert f"--delivery {bad}: mix[0].status: unknown status 'SENT'" in " ".join(capsys.readouterr().err.split())


def test_bench_delivery_part(capsys):
    code = main(["bench", "--messages", "400", "--only", "delivery", "--json"])  # on stores of its own
    figures = json.loads(capsys.readouterr().out)["delivery"]
    assert code == 0
    assert set(figures) == {"messages", "resources", "rounds", "withoutDelivery", "withDelivery", "unplanned",
                            "transitions", "byStatus", "deliverySeconds", "transitionsPerSecond",
                            "logsByToMilliseconds", "logsByFromMilliseconds", "routingCost", "ratio"}
    assert (figures["messages"], figures["unplanned"]) == (400, 0)  # the router planned every routed message
    # the seeded traffic routes 326 of 400 on the bench store (its small pools are as big as the large store's)
    assert sum(figures["byStatus"].values()) == figures["transitions"] == 326
