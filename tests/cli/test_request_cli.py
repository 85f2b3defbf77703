"""`cpaasx request …` drives the whole request flow from a script, with JSON out and exit 2 on bad input."""

from __future__ import annotations

import json

import pytest

from tui.cli import main

from ..store.request_data import PDF, ten_dlc


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "cli.db")
    setup = tmp_path / "setup.yaml"
    setup.write_text("applications: [{applicationId: shop, applicationName: Shop}]\nentities: [{entityId: bigcola, entityName: BigCola}]\n")
    assert main(["--db", path, "--create", "apply", str(setup)]) == 0
    return path


def run(capsys, db, *argv):
    capsys.readouterr()
    code = main(["--db", db, "request", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def run_json(capsys, db, *argv):
    code, out, err = run(capsys, db, *argv, "--json")
    return code, json.loads(out) if out.strip() else None, err


def sets(requirements: dict) -> list[str]:
    out = []
    for key, value in requirements.items():
        out += ["--set", f"{key}={value}"]
    return out


TEN_DLC_ARGS = ["--country", "US", "--number-type", "TEN_DIGIT_LONG_CODE", "--capabilities", "SMS,MMS"]


def test_requirements_json(capsys, db):
    code, data, _ = run_json(capsys, db, "requirements", *TEN_DLC_ARGS)
    assert code == 0
    assert [r["key"] for r in data["requirements"]][-3:] == ["state", "npa", "nxx"]


def test_unavailable_and_bad_input_exit_2_naming_the_field(capsys, db):
    code, _, err = run(capsys, db, "requirements", "--type", "ALPHANUMERIC_REGISTRATION", "--country", "US")
    assert code == 2 and "RR-ALPHA-UNAVAILABLE404" in err and "countryCode" in err
    code, _, err = run(capsys, db, "requirements", "--country", "US", "--number-type", "TEN_DIGIT_LONG_CODE", "--capabilities", "FAX")
    assert code == 2 and "capabilities[0]" in err
    code, _, err = run(capsys, db, "submit", *TEN_DLC_ARGS, "--set", "novalue")
    assert code == 2 and "set:" in err


def test_whole_flow_from_a_script(capsys, db, tmp_path):
    bad = ten_dlc(contactEmail="ops@", state="NY")
    code, data, _ = run_json(capsys, db, "submit", *TEN_DLC_ARGS, "--quantity", "2", "--application", "shop",
                             "--entity", "bigcola", *sets(bad))
    assert code == 2
    assert data == {"requirementsFeedback": [{"key": "contactEmail", "code": "RES_REQ_FEED_FORMAT",
                                              "feedback": "Must be an email address (name@example.com)."}]}
    code, data, _ = run_json(capsys, db, "list")
    assert data["results"] == [] and data["paging"]["totalResults"] == 0

    code, out, _ = run(capsys, db, "submit", *TEN_DLC_ARGS, "--quantity", "2", *sets(bad))
    assert code == 2 and "contactEmail" in out and "RES_REQ_FEED_FORMAT" in out

    req_file = tmp_path / "reqs.json"
    req_file.write_text(json.dumps([{"key": k, "value": v} for k, v in ten_dlc(state="NY").items()]))
    code, data, _ = run_json(capsys, db, "submit", *TEN_DLC_ARGS, "--quantity", "2", "--application", "shop",
                             "--entity", "bigcola", "--requirements", str(req_file))
    assert code == 0 and data["status"] == "PENDING" and data["platform"] == {"applicationId": "shop", "entityId": "bigcola"}
    rid = data["id"]
    assert run_json(capsys, db, "advance", rid)[1]["status"] == "IN_REVIEW"
    code, data, _ = run_json(capsys, db, "advance", rid)
    assert data["status"] == "COMPLETED" and len(data["numbers"]) == 2
    assert all(n["number"].startswith("+1") and n["status"] == "SUCCESS" for n in data["numbers"])
    code, data, _ = run_json(capsys, db, "show", rid)
    assert [e["content"]["status"] for e in data["events"]] == ["PENDING", "IN_REVIEW", "COMPLETED"]
    assert all(e["event"] == "RESOURCE_REQUEST_STATUS_UPDATE" for e in data["events"])
    code, data, _ = run_json(capsys, db, "list", "--status", "COMPLETED")
    assert [r["id"] for r in data["results"]] == [rid]
    code, _, err = run(capsys, db, "advance", rid)
    assert code == 2 and "RR-INVALID-STATUS400" in err


def test_update_requested_then_update_and_cancel(capsys, db):
    code, data, _ = run_json(capsys, db, "submit", *TEN_DLC_ARGS, *sets(ten_dlc()))
    rid = data["id"]
    run(capsys, db, "advance", rid)
    code, data, _ = run_json(capsys, db, "advance", rid, "--to", "UPDATE_REQUESTED", "--feedback", "ein=Does not match.")
    assert data["status"] == "UPDATE_REQUESTED"
    assert data["requirementsFeedback"] == [{"key": "ein", "code": "RES_REQ_FEED_OTHER", "feedback": "Does not match."}]
    code, data, _ = run_json(capsys, db, "update", rid, *sets(ten_dlc(ein="98-7654321")))
    assert code == 0 and data["status"] == "PENDING" and {"key": "ein", "value": "98-7654321"} in data["requirements"]
    code, _, err = run(capsys, db, "cancel", rid)
    assert code == 2 and "RR-INVALID-STATUS400" in err


def test_documents(capsys, db, tmp_path):
    (tmp_path / "reg.pdf").write_bytes(PDF)
    code, data, _ = run_json(capsys, db, "document", "upload", str(tmp_path / "reg.pdf"))
    assert code == 0 and data["contentType"] == "application/pdf"
    doc_id = data["documentId"]
    assert [d["documentId"] for d in run_json(capsys, db, "document", "list")[1]["results"]] == [doc_id]
    assert run(capsys, db, "document", "delete", doc_id)[0] == 0
    code, _, err = run(capsys, db, "document", "delete", doc_id)
    assert code == 2 and "RR-DOC404" in err
    (tmp_path / "x.txt").write_text("x")
    code, _, err = run(capsys, db, "document", "upload", str(tmp_path / "x.txt"))
    assert code == 2 and "document" in err


def test_alpha_registration_with_a_list_value(capsys, db):
    code, data, _ = run_json(capsys, db, "submit", "--type", "ALPHANUMERIC_REGISTRATION", "--country", "GB",
                             "--sender-name", "BigCola", "--set", "companyName=Big Cola Ltd",
                             "--set", "companyWebsite=https://bigcola.example.com", "--set", "contactEmail=a@b.co",
                             "--set", "useCase=Alerts", "--set", "sampleMessage=Your BigCola order has shipped.")
    assert code == 0 and data["senderName"] == "BigCola" and "numbers" not in data
