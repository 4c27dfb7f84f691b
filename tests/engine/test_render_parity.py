"""Our offline SQL equals Django's own, on real SQLite and a real PostgreSQL server.

``parity.py`` renders every migration offline, then migrates a throwaway database one
migration at a time and asks Django (``sqlmigrate``'s code path) for each migration's SQL with the
database in the exact state before it — the gold standard. The only accepted difference is the
documented placeholder for defaults that query the database at migrate time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PARITY = Path(__file__).with_name("parity.py")
PLACEHOLDER = "<default computed at migrate time>"


def pg_url(server, database: str) -> str:
    return f"postgresql://{server.user}@{server.host}:{server.port}/{database}"


def run_parity(project: Path, settings: str, env: dict[str, str], *extra: str) -> dict:
    full_env = dict(os.environ, **env)
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run(
        [sys.executable, str(PARITY), str(project), settings, *extra],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def assert_parity(report: dict) -> None:
    # Django itself may fail on a migration even against the migrated database (Django 4.2 on
    # SQLite sees unique_together + index_together on the same columns as two indexes); those
    # are Django's failures, not comparisons we lost: at most one is tolerated.
    assert len(report["django_failed"]) <= 1, report["django_failed"]
    assert report["our_errors"] == {}
    for name, diff in report["different"].items():
        # only the placeholder for a default Django computes by querying the database
        assert name in report["notes"], (name, diff)
        assert all(PLACEHOLDER in s or "DROP DEFAULT" in s for s in diff["ours_only"]), diff
    compared = report["migrations"] - len(report["django_failed"])
    assert report["equal"] >= compared - len(report["different"])


@pytest.mark.postgres
def test_traps_match_django_on_postgresql(postgres_server):
    db = postgres_server.create_database("parity_traps")
    report = run_parity(
        REPO / "tests/projects/traps",
        "trapsite.settings",
        {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": pg_url(postgres_server, db)},
        "--progressive",
    )
    assert_parity(report)
    assert report["migrations"] >= 16
    assert "inventory.0002_traps" in report["notes"]


def test_traps_match_django_on_sqlite(tmp_path: Path):
    report = run_parity(
        REPO / "tests/projects/traps",
        "trapsite.settings",
        {"DJANGO_MIGRATION_LSP_TEST_SQLITE": str(tmp_path / "parity.sqlite3")},
        "--progressive",
    )
    assert_parity(report)


@pytest.mark.postgres
def test_sqlmigrate_fails_on_traps_where_we_do_not(postgres_server):
    """The reason offline rendering exists: sqlmigrate on an empty database crashes here."""
    db = postgres_server.create_database("parity_traps_empty")
    report = run_parity(
        REPO / "tests/projects/traps",
        "trapsite.settings",
        {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": pg_url(postgres_server, db)},
    )
    assert "inventory.0002_traps" in report["django_failed"]
    assert "Found wrong number" in report["django_failed"]["inventory.0002_traps"]
    assert report["our_errors"] == {}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate_project import generate

    root = tmp_path_factory.mktemp("synthetic")
    generate(root, apps=6, migrations=12)
    return root


def test_synthetic_project_matches_django_on_sqlite(synthetic: Path, tmp_path: Path):
    report = run_parity(synthetic, "synth.settings", {}, "--progressive")
    assert_parity(report)
    assert report["migrations"] >= 6 * 12


@pytest.mark.postgres
def test_synthetic_project_matches_django_on_postgresql(synthetic: Path, postgres_server):
    db = postgres_server.create_database("parity_synth")
    report = run_parity(
        synthetic,
        "synth.settings",
        {"SYNTH_DATABASE_URL": pg_url(postgres_server, db)},
        "--progressive",
    )
    assert_parity(report)


PARITY_PROJECT = REPO / "tests/projects/parity"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "project, settings",
    [(PARITY_PROJECT, "paritysite.settings"), (REPO / "tests/projects/traps", "trapsite.settings")],
    ids=["parity", "traps"],
)
def test_sql_equals_what_migrate_executes_on_postgresql(postgres_server, project, settings):
    """Statement for statement what ``migrate`` runs, step by step: names kept through table,
    model and field renames (unique keys, indexes, FKs, sequences), the self-referential M2M's
    foreign keys re-pointed on RenameModel, a RunSQL script run whole, CreateExtension."""
    db = postgres_server.create_database(f"executed_{project.name}")
    report = run_parity(
        project,
        settings,
        {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": pg_url(postgres_server, db)},
        "--executed",
    )
    assert_parity(report)
    if project == PARITY_PROJECT:
        assert report["equal"] == report["migrations"] == 7


def test_sql_equals_what_migrate_executes_on_sqlite(tmp_path: Path):
    report = run_parity(
        PARITY_PROJECT,
        "paritysite.settings",
        {"DJANGO_MIGRATION_LSP_TEST_SQLITE": str(tmp_path / "executed.sqlite3")},
        "--executed",
    )
    assert_parity(report)
    assert report["equal"] == report["migrations"] == 7


@pytest.fixture(scope="module")
def mariadb_server():
    """A real MariaDB server (Debian's mariadb-server). Locally skipped when none can start."""
    pytest.importorskip("pymysql")
    from tests.mariadb import MariaDBUnavailable, running_server

    try:
        with running_server() as server:
            yield server
    except MariaDBUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"MariaDB is required in CI: {exc}")
        pytest.skip(f"MariaDB not available: {exc}")


def test_sql_equals_what_migrate_executes_on_mariadb(mariadb_server):
    """On MariaDB 10.11 (``mysql_version = "mariadb-10.11"``): its DROP INDEX for a removed
    db_index (B-tree indexes are reported as type "idx"), names through renames, RunSQL params
    quoted offline."""
    db = mariadb_server.create_database("executed_parity")
    env = {
        "DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": mariadb_server.url(db),
        "PARITY_MYSQL_VERSION": "mariadb-10.11",
    }
    try:
        import MySQLdb  # noqa: F401
    except ImportError:
        env["PARITY_PYMYSQL"] = "1"
    report = run_parity(PARITY_PROJECT, "paritysite.settings", env, "--executed")
    assert "MariaDB" in mariadb_server.version()
    assert_parity(report)
    assert report["equal"] == report["migrations"] == 7
