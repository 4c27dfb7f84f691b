"""Nothing the linter runs can write to a database: code run at import (a migration that
creates a table and inserts a row at module level) is refused a connection from
``django.setup()`` on; the only sessions opened are read-only, and a missing SQLite file is
never created. PostgreSQL's own statement log is the witness."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .conftest import INITIAL, run_cli, write_project
from .test_worker import Worker

WRITES_AT_IMPORT = """\
from django.db import connection, migrations

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE import_time_write (id integer)")
    cursor.execute("INSERT INTO import_time_write VALUES (1)")


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = []
"""

#: models.py of an app with a model no migration has (makemigrations writes one) and a probe
#: that records, for each connection Django opens, whether its session is read-only
MODELS = """\
import os

from django.db import models
from django.db.backends.signals import connection_created


class Item(models.Model):
    name = models.CharField(max_length=50)
    price = models.IntegerField(null=True)
    colour = models.CharField(max_length=20, null=True)


def _probe(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW transaction_read_only")
            value = cursor.fetchone()[0]
        with open(os.environ["READ_ONLY_PROBE"], "a") as handle:
            handle.write(value + "\\n")


connection_created.connect(_probe)
"""


def make_project(root: Path) -> Path:
    write_project(root, {"shop": {"0001_initial": INITIAL, "0002_writes": WRITES_AT_IMPORT}})
    (root / "shop" / "models.py").write_text(MODELS)
    return root


def lint_everything(root: Path, env: dict[str, str]) -> None:
    """``lint --no-cache``, ``check``, the worker (lint, check) and the quick-fix's
    makemigrations, each against ``env``'s database."""
    lint = run_cli("lint", str(root), "--no-cache", "--format", "json", cwd=root, env=env)
    assert lint.code in (0, 1), lint.stderr
    result = lint.migration("shop", "0002_writes")
    assert result["status"] == "render_error"
    assert "refused to connect to database 'default'" in result["error"]
    assert "RunPython" in result["error"]  # says the safe way
    check = run_cli("check", str(root), cwd=root, env=env)
    assert check.code in (0, 1), check.stderr
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        worker = Worker(root)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        worker.request("initialize", root=str(root), options={"no_cache": True})
        results = worker.request("lint")["result"]["results"]
        (result,) = [r for r in results if r["name"] == "0002_writes"]
        assert result["status"] == "render_error"
        assert "error" not in worker.request("check", databases=True)
    finally:
        worker.close()
    # makemigrations refuses the import-time write too (and says so); without it, it writes
    refused = run_makemigrations(root, env)
    assert refused.returncode != 0 and "refused to connect" in refused.stderr
    (root / "shop" / "migrations" / "0002_writes.py").unlink()
    made = run_makemigrations(root, env)
    assert made.returncode == 0, made.stderr
    assert list((root / "shop" / "migrations").glob("0002_item_*.py")), made.stdout


def run_makemigrations(root: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    full = dict(os.environ, **env)
    full.pop("DJANGO_SETTINGS_MODULE", None)
    full["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "server")
    return subprocess.run(
        [sys.executable, "-m", "django_migration_lsp.worker.makemigrations", "--noinput"],
        cwd=root,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_nothing_writes_to_postgresql(tmp_path: Path, postgres_server):
    name = postgres_server.create_database("no_writes")
    import psycopg

    with psycopg.connect(postgres_server.dsn("postgres"), autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {name} SET log_statement = 'all'")
    with psycopg.connect(postgres_server.dsn(name), autocommit=True) as db:
        db.execute(  # as migrate leaves it: the checks read it
            "CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255), "
            "name varchar(255), applied timestamptz)"
        )
        db.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES "
            "('shop', '0001_initial', now())"
        )
    log = postgres_server.data_dir.parent / "server.log"
    marker = f"statement log on for {tmp_path.name}"
    postgres_server.query(name, f"SELECT '{marker}'")
    root = make_project(tmp_path / "site")
    probe = tmp_path / "read-only-probe.txt"
    env = {
        "DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": postgres_server.url(name),
        "READ_ONLY_PROBE": str(probe),
    }
    lint_everything(root, env)
    postgres_server.query(name, f"SELECT '{marker} (end)'")
    deadline = time.monotonic() + 10
    while f"{marker} (end)" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    text = log.read_text()
    window = text[text.index(marker) : text.index(f"{marker} (end)")]
    assert "django_migrations" in window  # the checks and makemigrations did read it...
    assert "import_time_write" not in window  # ...and the import-time write never ran
    assert postgres_server.query(name, "SELECT to_regclass('import_time_write')") == [(None,)]
    sessions = probe.read_text().split()
    assert sessions and set(sessions) == {"on"}  # every session opened was read-only


def test_nothing_creates_a_missing_sqlite_file(tmp_path: Path):
    root = make_project(tmp_path / "site")
    lint_everything(root, {"READ_ONLY_PROBE": str(tmp_path / "probe.txt")})
    assert not list(root.rglob("*.sqlite3"))
