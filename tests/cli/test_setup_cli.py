"""`cpaasx apply`, `export`, `delete` and `demo --no-tui`: output, exit codes and what they write."""

from __future__ import annotations

import io

import pytest
from rich.prompt import Confirm

from store.db import Store
from store.platforms import get_entity
from store.errors import NotFound
from store.setup_file import dump_setup
from tui.cli import main

from ..store.sample_setup import SHOP_NUMBER, export, load_sample, sample_setup


def run(capsys, store: Store, *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr, with whitespace runs folded (the console wraps long lines)."""
    capsys.readouterr()
    code = main(["--db", store.url, *argv])
    out = capsys.readouterr()
    return code, " ".join(out.out.split()), " ".join(out.err.split())


@pytest.fixture
def sample_file(tmp_path):
    path = tmp_path / "setup.yaml"
    path.write_text(dump_setup(sample_setup()))
    return path


def test_apply_prints_what_it_did_and_twice_changes_nothing(capsys, store: Store, sample_file):
    code, out, err = run(capsys, store, "apply", str(sample_file))
    assert (code, err) == (0, "")
    assert "created application shop" in out and f"created resource {SHOP_NUMBER}" in out
    assert out.endswith(f"{sample_file}: 26 created, 0 changed")
    before = export(store)
    code, out, _ = run(capsys, store, "apply", str(sample_file))
    assert (code, out) == (0, f"{sample_file}: nothing to change")
    assert export(store) == before


def test_apply_reads_standard_input(capsys, store: Store, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("entities: [{entityId: acme, entityName: Acme}]\n"))
    code, out, _ = run(capsys, store, "apply", "-")
    assert (code, out) == (0, "created entity acme -: 1 created, 0 changed")


def test_apply_prints_a_generated_secret_once(capsys, store: Store, tmp_path):
    path = tmp_path / "key.yaml"
    path.write_text("apiKeys: [{name: ops}]\n")
    code, out, _ = run(capsys, store, "apply", str(path))
    assert code == 0 and "secret for API key ops (shown once): cpx_" in out
    code, out, _ = run(capsys, store, "apply", str(path))
    assert "secret" not in out


def test_bad_input_exits_2_naming_the_item_and_writes_nothing(capsys, store: Store, tmp_path):
    data = sample_setup()
    data["resources"][2]["resourceId"] = "+1613555"
    path = tmp_path / "bad.yaml"
    path.write_text(dump_setup(data))
    code, out, err = run(capsys, store, "apply", str(path))
    assert code == 2
    assert err == "error INVALID_INPUT resources[2].resourceId: not a valid E.164 number"
    assert export(store)["applications"] == [{"applicationId": "default", "applicationName": "Default"}]
    code, _, err = run(capsys, store, "apply", str(tmp_path / "missing.yaml"))
    assert code == 2 and err.startswith("error INVALID_INPUT FILE: cannot read")
    path.write_text("applications: [\n")
    code, _, err = run(capsys, store, "apply", str(path))
    assert code == 2 and err.startswith("error INVALID_INPUT file: not valid YAML")


def test_export_prints_what_apply_takes_back(capsys, store: Store, tmp_path):
    load_sample(store)
    capsys.readouterr()
    assert main(["--db", store.url, "export"]) == 0
    text = capsys.readouterr().out
    assert text == dump_setup(export(store))
    path = tmp_path / "export.yaml"
    path.write_text(text)
    code, out, _ = run(capsys, store, "apply", str(path))
    assert (code, out) == (0, f"{path}: nothing to change")
    fresh = tmp_path / "fresh.db"
    assert main(["--db", str(fresh), "--create", "apply", str(path)]) == 0
    capsys.readouterr()
    assert main(["--db", str(fresh), "export"]) == 0
    assert capsys.readouterr().out == text


def test_export_writes_each_number_s_key_and_apply_refuses_a_taken_one(capsys, store: Store, tmp_path):
    load_sample(store)
    capsys.readouterr()
    assert main(["--db", store.url, "export"]) == 0
    text = capsys.readouterr().out
    assert (f"- resourceId: '{SHOP_NUMBER}'\n  resourceType: NUMBER\n  numberKey: 206A9261D821E93B22B142DD37E59D9D\n"
            in text)
    assert "- resourceId: InfoSMS\n  resourceType: ALPHA\n  country: GB\n" in text  # senders have none
    before = export(store)
    path = tmp_path / "taken.yaml"
    path.write_text("resources:\n- {resourceId: '+14155550199', resourceType: NUMBER,"
                    " numberKey: 206a9261d821e93b22b142dd37e59d9d}\n")
    code, out, err = run(capsys, store, "apply", str(path))
    assert (code, out) == (2, "")
    assert err == ("error INVALID_INPUT resources[0].numberKey: 206A9261D821E93B22B142DD37E59D9D is already the key"
                   f" of {SHOP_NUMBER}")
    assert export(store) == before
    path.write_text("resources:\n- {resourceId: '+14155550199', resourceType: NUMBER,"
                    " numberKey: 00000000000000000000000000000001}\n")
    code, _, err = run(capsys, store, "apply", str(path))
    assert (code, err) == (2, "error INVALID_INPUT resources[0].numberKey: a key of digits only must be written in quotes")
    path.write_text("resources:\n- {resourceId: '+14155550199', resourceType: NUMBER,"
                    " numberKey: '00000000000000000000000000000001'}\n")
    code, out, _ = run(capsys, store, "apply", str(path))
    assert (code, out) == (0, f"created resource +14155550199 {path}: 1 created, 0 changed")
    assert next(r for r in export(store)["resources"] if r["resourceId"] == "+14155550199")["numberKey"] == (
        "00000000000000000000000000000001")


def test_delete_prints_the_impact_first_then_cascades(capsys, store: Store):
    load_sample(store)
    code, out, _ = run(capsys, store, "delete", "entity", "bigcola", "--yes")
    assert code == 0
    assert out.startswith("Deleting entity bigcola • 1 number reset to application default: +14155550100 ")
    assert "• 2 associations removed: +14155550100 SMS → shop/bigcola, 12345 SMS → shop/bigcola" in out
    assert "• 1 API key disabled (its last link goes): bigcola-prod" in out
    assert out.endswith("deleted entity bigcola")
    setup = export(store)
    assert [e["entityId"] for e in setup["entities"]] == ["acme"]
    assert setup["resources"][0]["applicationId"] == "default" and "entityId" not in setup["resources"][0]
    assert [k["enabled"] for k in setup["apiKeys"] if k["name"] == "bigcola-prod"] == [False]


def test_delete_without_yes_asks_and_can_be_declined(capsys, store: Store, monkeypatch):
    load_sample(store)
    before = export(store)
    # No terminal to ask on: nothing is deleted, and the command says how to confirm.
    code, out, _ = run(capsys, store, "delete", "application", "shop")
    assert code == 2 and "Deleting application shop" in out and "pass --yes" in out
    assert export(store) == before
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **k: False))
    code, out, _ = run(capsys, store, "delete", "application", "shop")
    assert code == 0 and out.endswith("not deleted")
    assert export(store) == before
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a, **k: True))
    code, out, _ = run(capsys, store, "delete", "resource", SHOP_NUMBER)
    assert code == 0 and out.endswith(f"deleted resource {SHOP_NUMBER}")


def test_delete_with_nothing_else_to_change(capsys, store: Store):
    load_sample(store)
    code, out, _ = run(capsys, store, "delete", "api-key", "admin", "--yes")
    assert (code, out) == (0, "Deleting api-key admin • nothing else changes deleted api-key admin")


@pytest.mark.parametrize(("argv", "message"), [
    (["delete", "application", "default", "--yes"],
     "error CANNOT_DELETE_DEFAULT applicationId: the default application cannot be deleted"),
    (["delete", "entity", "ghost", "--yes"], "error NOT_FOUND entityId: no entity 'ghost'"),
    (["delete", "strategy", "ghost", "--yes"], "error NOT_FOUND sendingStrategyId: no sending strategy 'ghost'"),
])
def test_delete_refusals_exit_2(capsys, store: Store, argv, message):
    load_sample(store)
    before = export(store)
    code, out, err = run(capsys, store, *argv)
    assert (code, out, err) == (2, "", message)
    assert export(store) == before


def test_unknown_kind_is_bad_input(capsys, store: Store):
    with pytest.raises(SystemExit) as caught:
        main(["--db", store.url, "delete", "number", SHOP_NUMBER])
    assert caught.value.code == 2
    assert "invalid choice: 'number'" in capsys.readouterr().err


def test_demo_no_tui_loads_the_shipped_setup_once(capsys, store: Store):
    code, out, _ = run(capsys, store, "demo", "--no-tui")
    assert code == 0 and "demo setup:" in out
    loaded = export(store)
    code, out, _ = run(capsys, store, "demo", "--no-tui")
    assert (code, out) == (0, "demo setup: nothing to change")
    assert export(store) == loaded
    with store.read() as session, pytest.raises(NotFound):
        get_entity(session, "no-such-entity")


@pytest.mark.parametrize("rate", ["0", "1001", "fast"])
def test_demo_rate_out_of_range_is_bad_input(capsys, store: Store, rate):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", store.url, "demo", "--rate", rate])
    assert exit_info.value.code == 2
    assert "--rate" in capsys.readouterr().err


def test_demo_passes_seed_rate_and_pause_to_the_traffic_area(capsys, store: Store, monkeypatch):
    opened = {}
    monkeypatch.setattr(
        "tui.app.run_dashboard",
        lambda s, demo=False, traffic_options=None: opened.update(demo=demo, options=traffic_options) or 0,
    )
    assert main(["--db", store.url, "demo", "--seed", "11", "--rate", "500", "--paused"]) == 0
    options = opened["options"]
    assert opened["demo"] is True
    assert (options.seed, options.rate, options.running) == (11, 500, False)


def test_report_to_a_file_is_the_text_rich_prints(capsys, monkeypatch):
    """Without a terminal the report's lines are written directly: the same text as Rich's print."""
    from store.setup_file import ApplyReport
    from tui.commands import setup

    lines = ["resource +14155550100", "entity [bold]x[/bold]", "entity \x1b]0;PWNED\x07", "entity a\nb\r\tc",
             "entity trailing  ", "entity é ☎ \u202e\u2028", "application " + "x" * 300, ""]
    report = ApplyReport(created=lines, changed=lines[::-1])
    assert setup._plain()
    setup.print_report(report, "f.yaml")
    plain = capsys.readouterr().out
    monkeypatch.setattr(setup, "_plain", lambda: False)
    setup.print_report(report, "f.yaml")
    assert plain == capsys.readouterr().out
    assert plain.startswith("created resource +14155550100\ncreated entity [bold]x[/bold]\ncreated entity \\x1b]0;")
