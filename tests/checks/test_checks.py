"""Cross-checks on real projects and real databases: CLI `check`, system checks, import hook."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ..engine.conftest import INITIAL, run_cli, write_project

MODELS = """\
from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)
    price = models.IntegerField(null=True)
"""
SECOND = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [migrations.AddField("item", "{field}", models.IntegerField(null=True))]
"""


def make(tmp_path: Path, extra: str = "", apps: dict | None = None) -> Path:
    root = write_project(
        tmp_path / "site", apps or {"shop": {"0001_initial": INITIAL}}, extra_settings=extra
    )
    (root / "shop" / "models.py").write_text(MODELS)
    return root


def manage(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = dict(os.environ, **(env or {}))
    full.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=root,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def check(root: Path, *args: str, env: dict | None = None) -> tuple[int, dict]:
    result = run_cli("check", str(root), "--format", "json", *args, env=env)
    assert result.code in (0, 1), result.stderr
    return result.code, result.json()


def codes(doc: dict) -> list[tuple[str, str | None]]:
    return sorted((f["code"], f["migration"]) for f in doc["findings"])


def test_clean_then_missing_migration_located_on_the_field(tmp_path: Path):
    root = make(tmp_path)
    assert manage(root, "migrate").returncode == 0
    code, doc = check(root)
    assert code == 0 and doc["findings"] == [], doc
    (root / "shop/models.py").write_text(MODELS + "    stock = models.IntegerField(default=0)\n")
    code, doc = check(root)
    assert code == 1
    (finding,) = [f for f in doc["findings"] if f["code"] == "MISSING_MIGRATION"]
    assert finding["message"].startswith("Add field stock to item")
    assert finding["path"] == "shop/models.py" and finding["line"] == 7
    assert doc["summary"]["errors"] == 1


def test_unapplied_unknown_applied_and_conflicts(tmp_path: Path):
    root = make(tmp_path)
    migrations = root / "shop/migrations"
    (migrations / "0002_a.py").write_text(SECOND.format(field="a"))
    assert manage(root, "migrate").returncode == 0
    (migrations / "0002_a.py").unlink()  # applied, then gone (a branch switch)
    (migrations / "0002_b.py").write_text(SECOND.format(field="b"))
    code, doc = check(root, "--no-database")
    assert ("UNKNOWN_APPLIED_MIGRATION", "0002_a") not in codes(doc)  # no database checks
    code, doc = check(root)
    found = codes(doc)
    assert ("UNKNOWN_APPLIED_MIGRATION", "0002_a") in found
    assert ("UNAPPLIED_MIGRATION", "0002_b") in found
    (migrations / "0002_c.py").write_text(SECOND.format(field="c"))
    code, doc = check(root)
    assert code == 1
    assert {("MIGRATION_CONFLICT", "0002_b"), ("MIGRATION_CONFLICT", "0002_c")} <= set(codes(doc))


def test_squash_fully_applied_removed_app_and_inconsistent_history(tmp_path: Path):
    root = make(tmp_path)
    (root / "shop/models.py").write_text(MODELS + "    a = models.IntegerField(null=True)\n")
    migrations = root / "shop/migrations"
    (migrations / "0002_a.py").write_text(SECOND.format(field="a"))
    assert manage(root, "migrate").returncode == 0
    squash = (
        SECOND.format(field="a")
        .replace(
            'dependencies = [("shop", "0001_initial")]',
            'replaces = [("shop", "0001_initial"), ("shop", "0002_a")]\n    dependencies = []',
        )
        .replace(
            "operations = [",
            "operations = [\n" + INITIAL.split("operations = [", 1)[1].rsplit("]", 1)[0] + ",",
        )
    )
    (migrations / "0001_squashed_0002_a.py").write_text(squash)
    db = root / "db.sqlite3"
    with sqlite3.connect(db) as conn:  # an app since removed from INSTALLED_APPS
        conn.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('legacy', '0001_initial', '2024-01-01')"
        )
    code, doc = check(root)
    assert [c for c in codes(doc) if c[0] != "REMOVED_APP_MIGRATIONS"] == [], doc  # squash: fine
    assert [f["app"] for f in doc["findings"]] == ["legacy"]
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM django_migrations WHERE app = 'shop' AND name = '0001_initial'")
    (migrations / "0001_squashed_0002_a.py").unlink()
    code, doc = check(root)
    assert ("INCONSISTENT_HISTORY", "0002_a") in codes(doc) and code == 1


def test_sqlite_file_missing_and_postgres_down_are_reported_as_such(tmp_path: Path):
    root = make(tmp_path)
    code, doc = check(root)
    assert codes(doc) == [("DATABASE_UNREACHABLE", None)] and code == 0
    assert not (root / "db.sqlite3").exists()  # never created
    env = {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    code, doc = check(root, env=env)
    (finding,) = doc["findings"]
    assert finding["code"] == "DATABASE_UNREACHABLE" and finding["database"] == "default"
    assert "not a mismatch" in finding["message"]


@pytest.mark.postgres
def test_postgresql_unapplied_and_read_only(tmp_path: Path, postgres_server):
    root = make(tmp_path)
    db = postgres_server.create_database("checks_pg")
    env = {
        "DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": f"postgresql://{postgres_server.user}@{postgres_server.host}:{postgres_server.port}/{db}"
    }
    assert manage(root, "migrate", env=env).returncode == 0
    (root / "shop/migrations/0002_a.py").write_text(SECOND.format(field="a"))
    before = postgres_server.query(db, "SELECT count(*) FROM django_migrations")
    _code, doc = check(root, env=env)
    assert ("UNAPPLIED_MIGRATION", "0002_a") in codes(doc)
    assert postgres_server.query(db, "SELECT count(*) FROM django_migrations") == before


def test_system_checks_and_import_hook(tmp_path: Path):
    root = make(tmp_path, extra='INSTALLED_APPS += ["django_migration_lsp"]')
    (root / "shop/models.py").write_text(MODELS + "    stock = models.IntegerField(default=0)\n")
    proc = manage(root, "check")
    assert proc.returncode == 1 and "django_migration_lsp.E001" in proc.stderr
    proc = manage(root, "check", "--database", "default")
    assert "django_migration_lsp.W003" in proc.stderr  # the database file does not exist
    (root / "proj" / "__init__.py").write_text(
        "from django_migration_lsp.init_checks import check_on_import\ncheck_on_import()\n"
    )
    script = (
        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n"
        "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
    )
    (root / "serve.py").write_text(script)
    env = dict(os.environ, DJANGO_MIGRATION_LSP_INIT_CHECKS="1")
    proc = subprocess.run(
        [sys.executable, "serve.py"], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0
    assert (
        "Add field stock to item" in proc.stderr
        and "DJANGO_MIGRATION_LSP_INIT_CHECKS" in proc.stderr
    )
    # off by default, and off for manage.py commands even when set
    assert (
        subprocess.run(
            [sys.executable, "serve.py"], cwd=root, capture_output=True, timeout=60
        ).returncode
        == 0
    )
    assert manage(root, "migrate", env={"DJANGO_MIGRATION_LSP_INIT_CHECKS": "1"}).returncode == 0


@pytest.mark.parametrize(
    "field",
    [
        "    stock = models.IntegerField()\n",  # NOT NULL, no default, no migration yet
        None,  # null -> NOT NULL on an existing column
    ],
)
def test_not_null_without_default_is_a_missing_migration_not_a_crash(tmp_path: Path, field):
    """Issue 11: the questioner was built without ``log=`` and crashed on these, the most
    common missing migrations."""
    root = make(tmp_path)
    models = (
        MODELS + field if field else MODELS.replace("IntegerField(null=True)", "IntegerField()")
    )
    (root / "shop/models.py").write_text(models)
    result = run_cli("check", str(root), "--format", "json", "--no-database")
    assert "Traceback" not in result.stderr and "TypeError" not in result.stderr, result.stderr
    assert result.code == 1, result.stderr
    doc = result.json()
    assert [f["code"] for f in doc["findings"]] == ["MISSING_MIGRATION"]


def test_a_database_never_migrated_is_one_finding_not_one_per_migration(tmp_path: Path):
    root = make(
        tmp_path, apps={"shop": {"0001_initial": INITIAL, "0002_a": SECOND.format(field="a")}}
    )
    (root / "shop/models.py").write_text(MODELS + "    a = models.IntegerField(null=True)\n")
    sqlite3.connect(root / "db.sqlite3").close()  # exists, empty: never migrated
    _, doc = check(root, "--include-installed-apps")
    unapplied = [f for f in doc["findings"] if f["code"] == "UNAPPLIED_MIGRATION"]
    assert len(unapplied) == 1, unapplied
    assert "never been migrated" in unapplied[0]["message"]
    assert "migrate --database default" in unapplied[0]["message"]
    # once migrated, one pending migration is named as before
    assert manage(root, "migrate", "shop", "0001").returncode == 0
    _, doc = check(root)
    assert [(f["code"], f["migration"]) for f in doc["findings"]] == [
        ("UNAPPLIED_MIGRATION", "0002_a")
    ]


def test_missing_migration_points_at_the_field_column(tmp_path: Path):
    root = make(tmp_path)
    (root / "shop/models.py").write_text(MODELS + "    stock = models.IntegerField(default=0)\n")
    result = run_cli("check", str(root), "--no-database")
    assert result.code == 1, result.stderr
    assert "shop/models.py:7:5: MISSING_MIGRATION Add field stock to item" in result.stdout
