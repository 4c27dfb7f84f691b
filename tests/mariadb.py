"""A real MariaDB server for the tests that need one (no mocks of the database).

Debian's ``mariadb-server`` binaries, a data directory in a temporary directory owned by the
``mysql`` user (the server runs as it), 127.0.0.1 and a free high port only, root without a
password over TCP. Set ``DJANGO_MIGRATION_LSP_TEST_MARIADB_URL=mysql://user:pw@host:port`` to use
an existing server instead. ``.ci/install-mariadb`` installs the package.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from .pg import free_port


class MariaDBUnavailable(RuntimeError):
    pass


@dataclass
class MariaDBServer:
    host: str
    port: int
    user: str = "root"
    password: str = ""
    base: Path | None = None
    process: subprocess.Popen | None = None

    def url(self, database: str) -> str:
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"mysql://{auth}@{self.host}:{self.port}/{database}"

    def _admin(self):  # type: ignore[no-untyped-def]
        import pymysql

        return pymysql.connect(
            host=self.host, port=self.port, user=self.user, password=self.password, autocommit=True
        )

    def create_database(self, name: str) -> str:
        with contextlib.closing(self._admin()) as conn, conn.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        return name

    def version(self) -> str:
        with contextlib.closing(self._admin()) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT VERSION()")
            return str(cursor.fetchone()[0])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None


def _as_mysql(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "mysql", "--", *cmd] if os.geteuid() == 0 else cmd


def start_server() -> MariaDBServer:
    existing = os.environ.get("DJANGO_MIGRATION_LSP_TEST_MARIADB_URL")
    if existing:
        u = urlparse(existing)
        return MariaDBServer(
            u.hostname or "127.0.0.1", u.port or 3306, u.username or "root", u.password or ""
        )
    daemon, install = (
        shutil.which("mariadbd", path="/usr/sbin:/usr/bin"),
        shutil.which("mariadb-install-db"),
    )
    if daemon is None or install is None:
        raise MariaDBUnavailable("no mariadbd / mariadb-install-db: install `mariadb-server`")
    base = Path(tempfile.mkdtemp(prefix="dmlsp-mariadb-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "mysql")
        os.chmod(base, 0o755)
    init = subprocess.run(
        _as_mysql(
            [
                install,
                "--no-defaults",
                f"--datadir={data}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ]
        ),
        capture_output=True,
        text=True,
    )
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        raise MariaDBUnavailable(f"mariadb-install-db failed: {init.stderr.strip()[-500:]}")
    port = free_port()
    log = open(base / "server.log", "w")  # noqa: SIM115 - kept open for the server's life
    process = subprocess.Popen(
        _as_mysql(
            [
                daemon,
                "--no-defaults",
                f"--datadir={data}",
                f"--port={port}",
                "--bind-address=127.0.0.1",
                f"--socket={base / 'mysqld.sock'}",
                f"--pid-file={base / 'mysqld.pid'}",
                "--innodb-flush-log-at-trx-commit=0",
            ]
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = MariaDBServer("127.0.0.1", port, base=base, process=process)
    atexit.register(server.stop)
    deadline = time.monotonic() + 60
    while True:
        try:
            server.version()
            return server
        except Exception as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                text = (base / "server.log").read_text()[-800:]
                server.stop()
                raise MariaDBUnavailable(f"mariadbd did not start: {exc}; {text}") from exc
            time.sleep(0.3)


@contextlib.contextmanager
def running_server() -> Iterator[MariaDBServer]:
    server = start_server()
    try:
        yield server
    finally:
        server.stop()
