"""Processes opening one brand-new PostgreSQL database at the same moment: the schema is made once and
every one of them succeeds (issue 13 item 5: 2 of 18 concurrent exports used to crash)."""

from __future__ import annotations

import subprocess
import sys
import uuid


def test_six_exports_at_once_on_an_empty_database_all_succeed(pg_server):
    for _round in range(3):
        name = f"race_{uuid.uuid4().hex[:8]}"
        pg_server.create_database(name)
        url = pg_server.url(name)
        processes = [subprocess.Popen([sys.executable, "-m", "tui.cli", "--db", url, "export"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
        results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
        for code, out, err in results:
            assert code == 0, err
            assert out.startswith("applications:\n- applicationId: default\n  applicationName: Default\n")
        assert len({out for _, out, _ in results}) == 1
