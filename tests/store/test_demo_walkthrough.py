"""docs/demo.md tells the truth: every `send`/`receive` it lists gives the outcome it documents.

The page's tables are read as written (command, then outcome): the bold code is the reason or the
rejection code, the first sender it names is the sender, the first `app/entity` an inbound message
lands in. Commands run in page order on a fresh demo store, as a reader following it would.
"""

from __future__ import annotations

import re
import shlex
from datetime import datetime, timedelta, timezone
from importlib import resources as package_files
from pathlib import Path

import pytest

from store.db import Store
from store.routing import Decision, InboundRequest, OutboundRequest, Router
from store.setup_file import apply_setup, load_setup

DOC = Path(__file__).resolve().parents[2] / "docs" / "demo.md"
ROW = re.compile(r"^\| (`cpaasx (?:send|receive) [^`]*`|the same command again) \| (.*) \|$")
CODE = re.compile(r"\*\*([A-Z_]+)\*\*")
SENDER = re.compile(r"(\+\d{10,15}|\b24680\b|`[A-Za-z][A-Za-z0-9]*`)")
LANDING = re.compile(r"\b(shop-test|shop|alerts|support|default)(?:/([a-z]+))?\b")
CLEAN = re.compile(r'clean text "([^"]*)"')


def walkthrough() -> list[tuple[list[str], str]]:
    """(command words after `cpaasx`, documented outcome) for each row of the page, in order."""
    rows, previous = [], None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if not match:
            continue
        command = previous if match.group(1) == "the same command again" else match.group(1).strip("`")
        previous = command
        rows.append((shlex.split(command)[1:], match.group(2)))
    return rows


def run(router: Router, words: list[str]) -> Decision:
    kind, args = words[0], words[1:]
    assert len(args) % 2 == 0, words
    opts = dict(zip(args[::2], args[1::2]))
    if kind == "send":
        return router.send(OutboundRequest(
            to=opts.pop("--to"), channel=opts.pop("--channel", "SMS"), application_id=opts.pop("--application", None),
            entity_id=opts.pop("--entity", None), sender=opts.pop("--from", None),
            api_key=opts.pop("--api-key", None), text=opts.pop("--text", ""),
        ))
    decision = router.receive(InboundRequest(
        from_=opts.pop("--from"), to=opts.pop("--to"), channel=opts.pop("--channel", "SMS"), text=opts.pop("--text", ""),
    ))
    assert not opts, f"option the test does not know: {opts}"
    return decision


def test_the_page_lists_every_outcome_worth_showing():
    codes = {CODE.search(outcome).group(1) for _, outcome in walkthrough()}
    assert codes >= {
        "STICKY", "GEOLOCATED", "GEOLOCATED_REGION", "POOL", "DEFAULT_SENDER", "COUNTRY_NOT_ALLOWED",
        "NO_SENDING_STRATEGY", "FORBIDDEN", "UNAUTHORIZED", "KEYWORD", "INBOUND_CONFIGURATION", "NUMBER",
        "VOICE_ASSOCIATION", "NOT_ASSOCIATED",
    }


def test_every_documented_command_gives_the_documented_outcome(store: Store):
    with store.write() as session:
        apply_setup(session, load_setup(
            package_files.files("store").joinpath("demo_setup.yaml").read_text(encoding="utf-8")))
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    ticks = iter(range(1_000_000))
    router = Router(store, clock=lambda: start + timedelta(seconds=next(ticks)))
    for words, outcome in walkthrough():
        where = f"{' '.join(words)} → {outcome}"
        code = CODE.search(outcome).group(1)
        decision = run(router, words)
        if outcome.startswith("rejected"):
            assert (decision.status, decision.error_code) == ("REJECTED", code), where
            continue
        assert (decision.status, decision.reason) == ("ROUTED", code), where
        rest = outcome[outcome.index(code):]
        if words[0] == "send":
            sender = SENDER.search(rest)
            assert sender, f"the page names no sender: {where}"
            assert decision.sender == sender.group(1).strip("`"), where
        else:
            app, entity = LANDING.search(rest).groups()
            assert (decision.application_id, decision.entity_id) == (app, entity), where
            clean = CLEAN.search(rest)
            if clean:
                assert decision.clean_text == clean.group(1), where


@pytest.mark.parametrize("code", ["GEOLOCATED_REGION", "DEFAULT_SENDER", "STICKY"])
def test_outcomes_shown_more_than_once_are_not_one_offs(code):
    assert sum(CODE.search(o).group(1) == code for _, o in walkthrough()) >= 2
