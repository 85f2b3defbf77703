"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temporary directory.

PostgreSQL refuses to run as root, so when the tests run as root the server's commands run as
the `postgres` user and the data directory belongs to it. The server listens on a free
localhost port with trust authentication and is stopped (and its directory removed) at the end.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

SERVER_USER = "postgres"


WATCHDOG = """
import os, shutil, subprocess, sys, time
pid, root, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while os.path.isdir(root):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        subprocess.run(stop, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
        break
    except PermissionError:
        pass
    time.sleep(1)
"""


class Unavailable(Exception):
    """No server can be started here; the message says why."""


def find_bindir() -> Path:
    """Where initdb and pg_ctl are: `CPAASX_PG_BINDIR`, else `pg_config --bindir`, else the newest install."""
    candidates: list[str] = []
    chosen = os.environ.get("CPAASX_PG_BINDIR")
    if chosen:  # an explicit choice is the only candidate
        if (Path(chosen) / "initdb").is_file() and (Path(chosen) / "pg_ctl").is_file():
            return Path(chosen)
        raise Unavailable(f"CPAASX_PG_BINDIR={chosen} holds no initdb and pg_ctl")
    if shutil.which("pg_config"):
        try:
            out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
            candidates.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(versions, key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
                         reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").is_file() and (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    raise Unavailable("PostgreSQL is not installed (no initdb/pg_ctl found via pg_config or /usr/lib/postgresql)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    """One running server; `url(db)` gives a `postgresql+psycopg://` URL for a database on it."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                self.owner = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise Unavailable(f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL") from None
        base = Path(tempfile.gettempdir())
        if self.as_root and not _traversable_by(base / "x", self.owner):
            base = Path("/tmp")  # e.g. TMPDIR under /root, which the server's user cannot enter
        self.root = Path(tempfile.mkdtemp(prefix="cpaasx-pg-", dir=base))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self.running = False

    def _command(self, *args: str) -> list[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            runuser = shutil.which("runuser")
            command = [runuser, "-u", SERVER_USER, "--", *command] if runuser else [
                "su", SERVER_USER, "-s", "/bin/sh", "-c", " ".join(_quote(c) for c in command)
            ]
        return command

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(self._command(*args), capture_output=True, text=True, timeout=timeout, cwd=self.root)

    def start(self) -> "PgServer":
        if self.as_root:
            os.chown(self.root, self.owner.pw_uid, self.owner.pw_gid)
            if not _traversable_by(self.root, self.owner):
                raise Unavailable(f"{self.root} is not reachable by the {SERVER_USER} user")
        done = self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                         "--no-sync", "--no-instructions")
        if done.returncode != 0:
            raise Unavailable(f"initdb failed: {(done.stderr or done.stdout).strip()[-500:]}")
        # Durability is worthless for a throwaway server; turning it off keeps CREATE DATABASE fast.
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-800:] if self.log.exists() else ""
            raise Unavailable(f"pg_ctl start failed: {(done.stderr or done.stdout).strip()[-500:]} {log}".strip())
        self.running = True
        atexit.register(self.stop)  # also when the test run ends without finishing its fixtures
        # A killed test run (SIGTERM from a timeout, SIGKILL) runs no atexit: a watchdog in its own
        # session stops the server and removes its directory once this process is gone.
        stop = self._command("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", WATCHDOG, str(os.getpid()), str(self.root), *stop],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, cwd="/",
        )
        return self

    def stop(self) -> None:
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, *statements: str) -> None:
        """Run statements outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def create_database(self, name: str) -> str:
        self.admin(f"CREATE DATABASE {name}")
        return name

    def empty_database(self, name: str) -> None:
        """Delete every row and restart every sequence: as good as a new database, and far faster.

        (CREATE DATABASE costs a checkpoint, 60–100 ms; this costs about 5 ms.) Connections a test
        left behind are ended first, so none can hold a lock the DELETEs would wait on.
        """
        import psycopg

        self.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   f"WHERE datname = '{name}' AND pid <> pg_backend_pid()")
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=name) as conn:
            tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            sequences = [r[0] for r in conn.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")]
            for table in tables:
                if table != "alembic_version":  # the schema stays: only its rows go
                    conn.execute(f'DELETE FROM "{table}"')
            for sequence in sequences:
                conn.execute(f'ALTER SEQUENCE "{sequence}" RESTART')


def _traversable_by(path: Path, user: pwd.struct_passwd) -> bool:
    """Whether `user` can reach `path` (every parent needs the search bit for someone like it)."""
    for parent in list(path.parents):
        mode = parent.stat().st_mode
        if not mode & 0o001 and parent.stat().st_uid != user.pw_uid:
            return False
    return True


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
