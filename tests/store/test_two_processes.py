"""Processes writing one SQLite file at the same time: all succeed and every row is there."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from store.db import Store
from store.platforms import list_applications, list_entities
from store.resources import list_resources

ROOT = Path(__file__).resolve().parents[2]

# Each writer waits for the go file, then makes many small transactions so the two interleave.
WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from store.db import Store
    from store.platforms import create_application, create_entity, rename_application
    db, tag, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    store = Store.open(db)
    deadline = time.monotonic() + 30
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    for i in range(25):
        with store.write() as session:
            create_application(session, f"{tag}-{i:02d}", f"App {tag} {i}")
            create_entity(session, f"{tag}-{i:02d}")
        with store.write() as session:
            rename_application(session, "default", f"Default, renamed by {tag} {i}")
    store.dispose()
""")


def _setup_file(tmp_path: Path, tag: str) -> Path:
    lines = ["resources:"] + [
        f'  - {{resourceId: "+1415555{tag}{i:02d}", resourceType: NUMBER, capabilities: [SMS]}}' for i in range(25)
    ]
    path = tmp_path / f"setup-{tag}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_processes_write_one_sqlite_file_together(tmp_path):
    """Two processes running rules in many small transactions, and a `cpaasx apply`, all at once."""
    db = str(tmp_path / "shared.db")
    Store.open(db).dispose()  # both writers find the tables there
    go = tmp_path / "go"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, db, tag, str(go)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for tag in ("a", "b")
    ]
    appliers = [
        subprocess.Popen([sys.executable, "-m", "tui.cli", "--db", db, "apply", str(_setup_file(tmp_path, tag))],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for tag in ("01",)
    ]
    go.touch()
    for process in writers + appliers:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    store = Store.open(db)
    try:
        with store.read() as session:
            apps = {a.application_id for a in list_applications(session, size=1000).results}
            entities = {e.entity_id for e in list_entities(session, size=1000).results}
            resources = [r.resource_id for r in list_resources(session, size=1000).results]
        expected = {f"{tag}-{i:02d}" for tag in ("a", "b") for i in range(25)}
        assert apps == expected | {"default"}
        assert entities == expected
        assert len(resources) == 25 and resources[0] == "+14155550100"
        # Every setup change bumped the revision exactly once: none was lost to another process.
        assert store.revision() == 1 + 2 * 25 * 2 + 1
    finally:
        store.dispose()

