"""Every flag is checked: a bad `receive --from` is bad input (exit 2, nothing logged, the flag named);
codes are read in any case, as countries are (issue 12 item 12)."""

from __future__ import annotations

import json

import pytest

from store.db import Store
from tui.cli import main

from ..store.request_data import ten_dlc
from ..store.routing_setup import SF, log_count, make_store


@pytest.fixture
def db(sqlite_url) -> Store:
    store = make_store(Store.open(sqlite_url, create=True))
    yield store
    store.dispose()


def run(capsys, store: Store, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", store.url, *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(("sender", "problem"), [
    ("bad", "not a valid E.164 number (it must start with +)"),
    ("+1415", "not a valid E.164 number (+ and 7–15 digits, not starting with 0)"),
    ("+0123456789", "not a valid E.164 number (+ and 7–15 digits, not starting with 0)"),
    ("+1 415 555 0199", "not in E.164 form (+ and digits only)"),
])
def test_receive_refuses_a_sender_that_is_not_a_number(capsys, db, sender, problem):
    code, out, err = run(capsys, db, "receive", "--from", sender, "--to", SF, "--text", "hi")
    assert (code, out, err) == (2, "", f"error INVALID_INPUT from: {problem}\n")
    assert log_count(db) == 0


def test_receive_from_a_valid_number_still_routes(capsys, db):
    code, out, _ = run(capsys, db, "receive", "--from", "+16505550199", "--to", SF, "--json")
    assert (code, json.loads(out)["from"]) == (0, "+16505550199")
    assert log_count(db) == 1


def submit(capsys, db, *extra: str) -> tuple[int, dict | str]:
    sets = [f"--set={k}={v}" for k, v in ten_dlc().items()]
    code, out, err = run(capsys, db, "request", "submit", "--country", "us", "--number-type", "ten_digit_long_code",
                         "--capabilities", "sms,mms", *sets, *extra, "--json")
    return code, json.loads(out) if code == 0 else err


def test_request_codes_are_read_in_any_case(capsys, db):
    code, data = submit(capsys, db, "--set=state=ny", "--set=npa=212")
    assert code == 0, data
    assert (data["countryCode"], data["numberType"], data["capabilities"]) == ("US", "TEN_DIGIT_LONG_CODE", ["SMS", "MMS"])
    assert {"key": "state", "value": "NY"} in data["requirements"]
    code, out, err = run(capsys, db, "request", "advance", data["id"], "--to", "in_review", "--json")
    assert (code, json.loads(out)["status"]) == (0, "IN_REVIEW")


def test_a_state_of_another_country_is_still_refused_in_any_case(capsys, db):
    code, err = submit(capsys, db, "--set=state=zz")
    assert code == 2 and err.startswith("error RR-NUMBER-PURCHASE-INVALID-STATE-NPA-COMBO400 requirements.state: ")
    assert err == ("error RR-NUMBER-PURCHASE-INVALID-STATE-NPA-COMBO400 requirements.state: "
                   "ZZ is not a state or province of US\n")
