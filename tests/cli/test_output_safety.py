"""User text in every command's output is shown literally: never read as Rich markup, control
characters (ESC, newlines) made visible. Issue 12 item 6, issue 13 item 2."""

from __future__ import annotations

import json

import pytest

from store.display import markup_safe, quote, visible
from tui.cli import main

from ..store.request_data import ten_dlc

HOSTILE = "[/x] [bold]B[/bold] \x1b[2J\x1b]0;PWNED\x1b\\ [link=https://evil.example]Click[/link]\nforged line"


def fold(text: str) -> str:
    return " ".join(text.split())  # the console wraps long lines: compare with whitespace runs folded


SHOWN = fold(visible(HOSTILE))  # what the terminal must show, character for character
QUOTED = fold(visible(quote(HOSTILE)))  # the same, quoted (and cut to ~80 characters) in an error message


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "cli.db")
    setup = tmp_path / "setup.yaml"
    setup.write_text("applications: [{applicationId: shop, applicationName: Shop}]\n"
                     "resources: [{resourceId: '+14155550100', resourceType: NUMBER, numberType: TEN_DIGIT_LONG_CODE,"
                     " capabilities: [SMS], applicationId: shop}]\n")
    assert main(["--db", path, "--create", "apply", str(setup)]) == 0
    return path


def run(capsys, db, *argv) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--db", db, *argv])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "\x1b" not in text and "\x07" not in text  # no escape sequence reaches the terminal
    return code, fold(text)


def test_visible_shows_control_characters_as_escapes():
    assert visible("a\x1b[2J\nb\tc\r\x00\x7f\x9b") == "a\\x1b[2J\\nb\\tc\\r\\x00\\x7f\\x9b"
    assert visible("\u202eevil\u2028") == "\\u202eevil\\u2028"
    assert visible("café 👩‍👩‍👧 → ok") == "café 👩‍👩‍👧 → ok"  # printable text and emoji joiners untouched
    assert markup_safe("[/x] [bold]") == "\\[/x] \\[bold]"
    assert visible(None) == "None" and "\n" not in visible(HOSTILE)


def test_apply_report_shows_a_hostile_key_name_and_keeps_its_generated_secret(capsys, db, tmp_path):
    setup = tmp_path / "key.yaml"
    setup.write_text("apiKeys: [{name: " + json.dumps(HOSTILE) + "}]\n")
    code, out = run(capsys, db, "apply", str(setup))
    assert code == 0
    assert f"created API key {SHOWN}" in out
    assert f"secret for API key {SHOWN} (shown once): cpx_" in out


def test_send_shows_hostile_destination_and_application_literally(capsys, db):
    code, out = run(capsys, db, "send", "--to", HOSTILE, "--explain")
    assert code == 3 and SHOWN in out and "[/x] [bold]B[/bold]" in out
    code, out = run(capsys, db, "send", "--to", "+14155550123", "--application", HOSTILE)
    assert code == 3 and f"no application {QUOTED}" in out


def test_receive_refuses_a_hostile_sender_without_echoing_it(capsys, db):
    code, out = run(capsys, db, "receive", "--from", HOSTILE, "--to", "+14155550100", "--text", "[/x] hi")
    assert (code, out) == (2, "error INVALID_INPUT from: not a valid E.164 number (it must start with +)")


def test_delete_and_flag_errors_show_the_id_literally(capsys, db):
    code, out = run(capsys, db, "delete", "application", HOSTILE, "--yes")
    assert code == 2 and f"no application {QUOTED}" in out
    with pytest.raises(SystemExit) as exit_:
        run(capsys, db, "delete", HOSTILE, "x")
    err = fold(capsys.readouterr().err)
    assert exit_.value.code == 2 and "\x1b" not in err and f"invalid choice: {fold(visible(repr(HOSTILE)))}" in err


def test_request_commands_show_user_text_literally(capsys, db):
    args = ["request", "submit", "--type", "NUMBER_PURCHASE", "--country", "US",
            "--number-type", "TEN_DIGIT_LONG_CODE"]
    sets = [f"--set={k}={v}" for k, v in ten_dlc().items()]
    code, out = run(capsys, db, *args, *sets, "--json")
    rid = json.loads(out)["id"]
    assert run(capsys, db, "request", "advance", rid)[0] == 0
    code, out = run(capsys, db, "request", "advance", rid, "--to", "REJECTED", "--note", HOSTILE)
    assert code == 0 and f"note: {SHOWN}" in out
    code, out = run(capsys, db, "request", "show", rid)
    assert code == 0 and f"note: {SHOWN}" in out
    code, out = run(capsys, db, "request", "show", HOSTILE)
    assert code == 2 and QUOTED in out
    code, out = run(capsys, db, "request", "document", "delete", HOSTILE)
    assert code == 2 and QUOTED in out
    code, out = run(capsys, db, "request", "submit", "--type", "ALPHANUMERIC_REGISTRATION", "--country", "GB",
                    "--sender-name", "[/x]", "--set", "companyName=[bold]x")
    assert code == 2 and "companyWebsite" in out
