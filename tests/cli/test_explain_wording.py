"""`send --explain` says what sending would do, in the conditional (issue 12 item 13)."""

from __future__ import annotations

import json

import pytest

from store.db import Store
from tui.cli import main

from ..store.routing_setup import SF, log_count, make_store

STICKY = """
sendingStrategies:
  - platform: {applicationId: shop, entityId: bigcola}
    channel: SMS
    destinationCountryCode: US
    useStickySender: true
    useGeolocatedSender: true
"""
TO = "+14155550123"


@pytest.fixture
def db(sqlite_url) -> Store:
    store = make_store(Store.open(sqlite_url, create=True), STICKY)
    yield store
    store.dispose()


def send(capsys, store: Store, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--db", store.url, "send", "--to", TO, "--application", "shop", "--entity", "bigcola", *argv])
    return code, capsys.readouterr().out


def steps(out: str) -> dict:
    return {step["step"]: step["detail"] for step in json.loads(out)["trace"]}


def test_explain_speaks_in_the_conditional(capsys, db):
    code, out = send(capsys, db, "--explain", "--json")
    assert code == 0
    assert steps(out)["sticky"] == f"no binding for {TO} yet: the chosen sender would be bound"
    assert steps(out)["result"] == f"would route from {SF}, GEOLOCATED (would bind for next time)"
    code, out = send(capsys, db, "--explain")
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert lines[0] == f"ROUTED SMS {SF} → {TO} shop/bigcola GEOLOCATED (explained only: nothing sent)"
    assert f"result would route from {SF}, GEOLOCATED (would bind for next time)" in lines
    assert not any("routed from" in line or "is bound" in line for line in lines)
    assert log_count(db) == 0


def test_sending_still_speaks_of_what_happened(capsys, db):
    code, out = send(capsys, db, "--json")
    assert code == 0
    assert steps(out)["sticky"] == f"no binding for {TO} yet: the chosen sender is bound"
    assert steps(out)["result"] == f"routed from {SF}, GEOLOCATED (bound for next time)"
    code, out = send(capsys, db, "--explain", "--json")  # the binding made: explained, it is kept
    assert steps(out)["sticky"].startswith(f"bound to {SF} since ")
    assert steps(out)["result"] == f"would route from {SF}, STICKY"


def test_an_explained_rejection_is_conditional_too(capsys, db):
    capsys.readouterr()
    code = main(["--db", db.url, "send", "--to", TO, "--application", "support", "--explain", "--json"])
    assert code == 3
    assert steps(capsys.readouterr().out)["result"] == (
        "would be rejected NO_SENDING_STRATEGY: application support has no sending strategy")
