"""`cpaasx send`, `receive`, `simulate` and `bench`: JSON shape, human output and exit codes."""

from __future__ import annotations

import json

import pytest

from store.db import Store
from tui.cli import main

from ..store.routing_setup import NY, SF, log_count, make_store

OUTBOUND_KEYS = ["status", "messageId", "direction", "channel", "to", "country", "sender", "senderType",
                 "applicationId", "entityId", "sendingStrategyId", "reason", "error", "trace", "bulkId", "messageStatus"]
INBOUND_KEYS = ["status", "messageId", "direction", "channel", "from", "to", "applicationId", "entityId",
                "keyword", "cleanText", "matchedBy", "error", "trace"]


def run(capsys, store: Store, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", store.url, *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_send_json_routed(capsys, store: Store):
    make_store(store)
    code, out, _ = run(capsys, store, "send", "--to", "+14155550123", "--application", "shop",
                       "--entity", "bigcola", "--json")
    d = json.loads(out)
    assert code == 0 and list(d) == OUTBOUND_KEYS
    assert (d["status"], d["sender"], d["senderType"], d["reason"], d["error"]) == (
        "ROUTED", NY, "TEN_DIGIT_LONG_CODE", "POOL", None)
    assert (d["direction"], d["country"], d["applicationId"], d["entityId"]) == ("OUTBOUND", "US", "shop", "bigcola")
    assert d["trace"][0] == {"step": "key", "detail": "no API key given: full access"}
    assert d["messageStatus"] == {"groupId": 1, "groupName": "PENDING", "id": 26, "name": "PENDING_ACCEPTED",
                                  "description": "Message accepted and waiting for delivery"}
    assert len(d["bulkId"]) == 36
    assert log_count(store) == 1


def test_send_json_rejected_exits_3(capsys, store: Store):
    make_store(store)
    code, out, _ = run(capsys, store, "send", "--to", "+14155550123", "--application", "support", "--json")
    d = json.loads(out)
    assert code == 3
    assert (d["status"], d["sender"], d["error"]["code"]) == ("REJECTED", None, "NO_SENDING_STRATEGY")
    assert (d["messageStatus"]["groupName"], d["messageStatus"]["id"], d["messageStatus"]["name"]) == (
        "REJECTED", 19, "REJECTED_ROUTE_NOT_AVAILABLE")
    assert d["error"]["description"] == "application support has no sending strategy"


def test_send_human_output_shows_sender_reason_and_trace(capsys, store: Store):
    make_store(store)
    code, out, _ = run(capsys, store, "send", "--to", "+447400123456", "--application", "shop", "--entity", "bigcola")
    text = " ".join(out.split())
    assert code == 0
    assert text.startswith("ROUTED SMS BigCola → +447400123456 shop/bigcola POOL")
    assert "pool 4 associated with shop/bigcola for SMS, 1 reach GB" in text


def test_send_explain_writes_nothing(capsys, store: Store):
    make_store(store)
    code, out, _ = run(capsys, store, "send", "--to", "+14155550123", "--application", "shop", "--explain")
    assert code == 0 and "explained only" in out
    assert log_count(store) == 0


@pytest.mark.parametrize("argv, flag", [
    (["send", "--to", "+14155550123", "--channel", "FAX"], "--channel"),
    (["receive", "--from", "+1", "--to", SF, "--channel", "EMAIL"], "--channel"),
    (["send"], "--to"),
    (["simulate", "--count", "zero"], "--count"),
])
def test_bad_flags_exit_2_and_name_the_flag(capsys, store: Store, argv, flag):
    make_store(store)
    with pytest.raises(SystemExit) as exit_:
        main(["--db", store.url, *argv])
    assert exit_.value.code == 2
    assert flag in capsys.readouterr().err
    assert log_count(store) == 0


def test_bad_entity_id_is_bad_input(capsys, store: Store):
    make_store(store)
    code, _, err = run(capsys, store, "send", "--to", "+14155550123", "--application", "shop", "--entity", "no spaces")
    assert code == 2 and "INVALID_ID" in err and "entityId" in err
    assert log_count(store) == 0


def test_receive_json(capsys, store: Store):
    make_store(store, f"""
inboundConfigurations:
  - {{resourceId: "{SF}", channel: SMS, keyword: JOIN, applicationId: shop, entityId: bigcola}}
""")
    code, out, _ = run(capsys, store, "receive", "--from", "+16505550199", "--to", SF, "--text", "join now please", "--json")
    d = json.loads(out)
    assert code == 0 and list(d) == INBOUND_KEYS
    assert (d["matchedBy"], d["keyword"], d["cleanText"], d["applicationId"], d["entityId"]) == (
        "KEYWORD", "JOIN", "now please", "shop", "bigcola")
    assert (d["from"], d["to"], d["direction"], d["error"]) == ("+16505550199", SF, "INBOUND", None)


def test_receive_rejected_exits_3(capsys, store: Store):
    make_store(store)
    code, out, _ = run(capsys, store, "receive", "--from", "+16505550199", "--to", "+19995550000")
    assert code == 3 and "UNKNOWN_NUMBER" in out


def test_simulate_json_one_decision_per_line_and_repeatable(capsys, tmp_path):
    outputs = []
    for name in ("a", "b"):
        store = Store.open(str(tmp_path / f"{name}.db"))
        assert main(["--db", store.url, "demo", "--no-tui"]) == 0
        code, out, _ = run(capsys, store, "simulate", "--count", "60", "--seed", "11", "--json")
        assert code == 0
        lines = [json.loads(line) for line in out.splitlines()]
        assert len(lines) == 60 and log_count(store) == 60
        assert all(list(d) in (OUTBOUND_KEYS, INBOUND_KEYS) for d in lines)
        outputs.append(lines)
        store.dispose()
    assert outputs[0] == outputs[1]


def test_simulate_human_output_ends_with_a_summary(capsys, store: Store):
    make_store(store)
    code, out, _ = run(capsys, store, "simulate", "--count", "25", "--seed", "3")
    assert code == 0
    assert " ".join(out.split()[-40:]).count("25 messages (seed 3):") == 1


def test_bench_json_reports_both_stores(capsys, store: Store):
    code, out, _ = run(capsys, store, "bench", "--messages", "500", "--resources", "2000", "--only", "routing", "--json")
    report = json.loads(out)
    assert code == 0
    assert report["large"]["resources"] == 2000 and report["small"]["resources"] == 1000
    for size in ("large", "small"):
        figures = report[size]
        assert figures["messages"] == 500
        assert figures["decisionsPerSecond"] > 0 and 0 < figures["p50Microseconds"] <= figures["p99Microseconds"]
    assert report["ratio"] > 0
    assert report["poolSize"] == 2 and report["small"]["entities"] == 500  # the large store's pool size
    mix = report["mix"]
    assert mix["messages"] == 500 and "STICKY" not in mix["outcomes"]  # every recipient distinct
    assert {"KEYWORD", "EXPLICIT_SENDER", "INBOUND_CONFIGURATION"} <= set(mix["outcomes"])
    assert mix["overWarm"] == round(mix["decisionsPerSecond"] / report["large"]["decisionsPerSecond"], 3)
    yardstick = report["yardstick"]  # phonenumbers parsing as many distinct numbers, in the same rounds
    assert yardstick["numbers"] == 500 and yardstick["parsesPerSecond"] > 0
    assert report["large"]["overYardstick"] == round(
        report["large"]["decisionsPerSecond"] / yardstick["parsesPerSecond"], 3)
    assert report["singles"]["messages"] == 100 and report["singles"]["decisionsPerSecond"] > 0
    threads = report["threads"]
    assert (threads["threads"], threads["messages"]) == (8, 100) and 0 < threads["commits"] <= 100


def test_startup_figures_are_ratios_to_bare_python():
    from store.bench_startup import format_startup, run_startup

    report = run_startup(repeat=1)
    seconds = report["seconds"]
    assert set(seconds) == {"pythonPass", "importSqlmodel", "help", "sendDemo"}
    assert all(value > 0 for value in seconds.values())
    assert abs(report["helpOverPythonPass"] - seconds["help"] / seconds["pythonPass"]) <= 0.05 * report["helpOverPythonPass"] + 0.01
    assert "cpaasx --help:" in format_startup(report)


def test_cold_send_figures_compare_a_big_store_with_the_demo_store():
    from store.bench_cold import format_cold, run_cold

    report = run_cold(resources=2_000, bindings=5_000, repeat=1)
    assert set(report["seconds"]) == {"demo", "large", "largeSticky"}
    assert report["reasons"]["largeSticky"] == ["STICKY"]  # the bound recipient keeps its sender
    assert report["reasons"]["large"][0] in ("GEOLOCATED", "GEOLOCATED_REGION", "POOL")
    assert report["largeOverDemo"] == round(report["seconds"]["large"] / report["seconds"]["demo"], 2)
    assert set(report["cpuSeconds"]) == set(report["seconds"]) and all(v > 0 for v in report["cpuSeconds"].values())
    assert "1.5×" in format_cold(report)


def test_the_cold_bench_store_holds_the_bindings_asked_for(tmp_path):
    from sqlalchemy import func, select

    from store.bench import build_store
    from store.bench_cold import add_traffic_state
    from store.tables import Resource, SenderUsage, StickyBinding

    store, _ = build_store(tmp_path / "large.db", 2_000)
    add_traffic_state(store, 5_000)
    with store.read() as session:
        count = lambda table: session.execute(select(func.count()).select_from(table)).scalar()  # noqa: E731
        assert count(StickyBinding) == 5_001  # and the bound recipient's
        assert count(SenderUsage) == count(Resource) == 3_000  # 2,000 numbers, an alphanumeric sender per entity
    store.dispose()
