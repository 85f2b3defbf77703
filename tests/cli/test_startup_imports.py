"""Start-up stays light: a command loads only what it uses (figures: `cpaasx bench --only startup`)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
sys.argv = ["cpaasx", *json.loads(sys.argv[1])]
from tui import cli
try:
    cli.main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {"sqlmodel", "sqlalchemy", "rich", "textual", "store", "fastapi", "yaml"})))
"""


def loaded(*argv: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True, check=True)
    names = set(json.loads(out.stdout.strip().splitlines()[-1]))
    # the package, its enums and its display helper are plain Python: cheap, and what parsing needs
    return {m.split(".")[0] for m in names - {"store", "store.enums", "store.display"}}


def test_help_loads_neither_the_store_nor_rich():
    assert loaded("--help") == set()
    assert loaded("send", "--help") == set()


def test_a_bad_flag_is_reported_without_loading_the_store():
    assert loaded("send", "--bogus") <= {"rich"}


def test_send_does_not_load_textual_or_fastapi(tmp_path):
    db = str(tmp_path / "s.db")
    modules = loaded("--db", db, "send", "--to", "+14155550123")
    assert {"store", "sqlmodel"} <= modules
    assert not modules & {"textual", "fastapi"}
