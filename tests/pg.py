"""A real PostgreSQL server for the test session (no mocks of the database).

Started with the machine's PostgreSQL binaries in a temporary directory, as the ``postgres`` user
when the tests run as root (PostgreSQL refuses root), listening on 127.0.0.1 only. Set
``DJANGO_MIGRATION_LSP_TEST_PG_DSN=postgresql://user@host:port/postgres`` to use an existing server.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse


class PostgresUnavailable(RuntimeError):
    pass


def find_bindir() -> Path | None:
    """The newest PostgreSQL ``bin`` directory with initdb and pg_ctl."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for directory in reversed(candidates):
        if os.path.exists(os.path.join(directory, "initdb")):
            return Path(directory)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    host: str
    port: int
    user: str
    password: str = ""
    data_dir: Path | None = None
    bindir: Path | None = None
    _databases: set[str] = field(default_factory=set)

    def dsn(self, database: str = "postgres") -> str:
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgresql://{auth}@{self.host}:{self.port}/{database}"

    def url(self, database: str) -> str:
        return self.dsn(database)

    def _admin(self):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(self.dsn("postgres"), autocommit=True)

    def create_database(self, name: str) -> str:
        """A fresh, empty database (dropped first if it exists)."""
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        self._databases.add(name)
        return name

    def drop_database(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._databases.discard(name)

    def query(self, database: str, sql: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.dsn(database), autocommit=True) as conn:
            return list(conn.execute(sql).fetchall())

    def execute(self, database: str, sql: str) -> None:
        """Run statements that return no rows (autocommit)."""
        import psycopg

        with psycopg.connect(self.dsn(database), autocommit=True) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        if self.data_dir is None or self.bindir is None:
            return
        subprocess.run(
            _as_postgres(
                [str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)
        self.data_dir = None


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def start_server() -> PostgresServer:
    """Start a throwaway server, or use ``DJANGO_MIGRATION_LSP_TEST_PG_DSN``."""
    existing = os.environ.get("DJANGO_MIGRATION_LSP_TEST_PG_DSN")
    if existing:
        parsed = urlparse(existing)
        return PostgresServer(
            parsed.hostname or "127.0.0.1",
            parsed.port or 5432,
            parsed.username or "postgres",
            parsed.password or "",
        )
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailable(
            "no PostgreSQL server binaries (initdb) found in /usr/lib/postgresql/*/bin or on "
            "PATH; install the `postgresql` package (bash .ci/test does)"
        )
    base = Path(tempfile.mkdtemp(prefix="dmlsp-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        os.chmod(base, 0o755)
    init = subprocess.run(
        _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        capture_output=True,
        text=True,
    )
    if init.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
    port = free_port()
    options = f"-h 127.0.0.1 -p {port} -k {base} -F -c fsync=off -c full_page_writes=off"
    start = subprocess.run(
        _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(base / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        capture_output=True,
        text=True,
    )
    if start.returncode != 0:
        log = (base / "server.log").read_text() if (base / "server.log").exists() else ""
        raise PostgresUnavailable(f"pg_ctl start failed: {start.stderr.strip()} {log[-500:]}")
    server = PostgresServer("127.0.0.1", port, "postgres", data_dir=data, bindir=bindir)
    atexit.register(server.stop)
    deadline = time.monotonic() + 30
    while True:
        try:
            with server._admin() as conn:
                conn.execute("SELECT 1")
            break
        except Exception:
            if time.monotonic() > deadline:
                server.stop()
                raise
            time.sleep(0.2)
    return server


@contextlib.contextmanager
def running_server():  # type: ignore[no-untyped-def]
    server = start_server()
    try:
        yield server
    finally:
        server.stop()
