"""The example project: every rule code, every way to ignore, on SQLite and PostgreSQL, and a
differential run against django-migration-linter 6.0 (the reference)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import run_cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "shop"
EXPECTED = json.loads((EXAMPLE / "expected_findings.json").read_text())
ALL_CODES = {
    "NOT_NULL",
    "DROP_COLUMN",
    "DROP_TABLE",
    "RENAME_COLUMN",
    "RENAME_TABLE",
    "ALTER_COLUMN",
    "ADD_UNIQUE",
    "RUNPYTHON_REVERSIBLE",
    "RUNPYTHON_ARGS_NAMING_CONVENTION",
    "RUNPYTHON_MODEL_IMPORT",
    "RUNPYTHON_MODEL_VARIABLE_NAME",
    "RUNSQL_REVERSIBLE",
    "CREATE_INDEX",
    "CREATE_INDEX_EXCLUSIVE",
    "DROP_INDEX",
    "REINDEX",
}
#: What the example exercises on PostgreSQL: the codes above, plus the lock codes its migrations
#: hit, minus ALTER_COLUMN: its only type change (catalog.0006, numeric(10, 2) -> numeric(12, 2))
#: is done by PostgreSQL without a rewrite and old code tolerates it, so it is no longer reported.
#: tests/projects/locks exercises ALTER_COLUMN and every lock code.
EXAMPLE_PG_CODES = (ALL_CODES - {"ALTER_COLUMN"}) | {
    "ADD_FOREIGN_KEY",
    "LOCK_TIMEOUT",
    "NOT_NULL_SCAN",
}
URL_VAR = "DJANGO_MIGRATION_LSP_EXAMPLE_DATABASE_URL"


def pg_url(server, db: str) -> str:
    return f"postgresql://{server.user}@{server.host}:{server.port}/{db}"


def summarise(doc: dict) -> dict:
    return {
        f"{m['app']}.{m['name']}": {
            "status": m["status"],
            "codes": sorted(f["code"] for f in m["findings"]),
        }
        for m in doc["migrations"]
    }


def lint_example(tmp_path: Path, env: dict[str, str] | None = None) -> dict:
    result = run_cli("lint", str(EXAMPLE), "--no-cache", "--format", "json", cwd=tmp_path, env=env)
    assert result.code == 1, result.stderr  # the example has errors by design
    return result.json()


def test_example_on_sqlite_without_a_database(tmp_path: Path):
    doc = lint_example(tmp_path, {URL_VAR: ""})
    assert doc["project"]["vendor"] == "sqlite"
    assert summarise(doc) == EXPECTED["sqlite"]
    assert not (EXAMPLE / "db.sqlite3").exists()


def test_example_on_postgresql_settings_with_no_server(tmp_path: Path):
    doc = lint_example(tmp_path, {URL_VAR: "postgresql://nobody@127.0.0.1:1/none"})
    assert doc["project"]["vendor"] == "postgresql"
    assert summarise(doc) == EXPECTED["postgresql"]
    codes = {c for entry in EXPECTED["postgresql"].values() for c in entry["codes"]}
    assert codes == EXAMPLE_PG_CODES  # every code of docs/rules.md but those listed there


def test_every_finding_points_at_its_operation(tmp_path: Path):
    doc = lint_example(tmp_path, {URL_VAR: "postgresql://nobody@127.0.0.1:1/none"})
    for migration in doc["migrations"]:
        lines = (EXAMPLE / migration["path"]).read_text().splitlines()
        for finding in migration["findings"]:
            first = lines[finding["line"] - 1][finding["column"] - 1 :]
            # the range starts at the operation's call: `migrations.X(` or `X(`
            assert "(" in first and first.split("(")[0].replace(".", "").isidentifier(), (
                migration["name"],
                finding,
            )


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"))
    return target


def _manage(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full = dict(os.environ, **env)
    full.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _without_the_linter(tmp_path: Path) -> str:
    """A PYTHONPATH entry on which ``django_migration_lsp`` cannot be imported (production)."""
    hidden = tmp_path / "no-linter" / "django_migration_lsp"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('the linter is not installed here')\n")
    return str(hidden.parent)


def test_example_migrates_on_sqlite_and_models_match(tmp_path: Path):
    """``migrate`` runs where the linter is not installed (IgnoreMigration's no-op fallback)."""
    project = _copy(tmp_path)
    env = {URL_VAR: "", "DJANGO_MIGRATION_LSP_EXAMPLE_SQLITE": str(tmp_path / "db.sqlite3")}
    migrated = _manage(project, "migrate", env={**env, "PYTHONPATH": _without_the_linter(tmp_path)})
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    check = _manage(project, "makemigrations", "--check", "--dry-run", env=env)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.postgres
def test_example_migrates_on_postgresql(tmp_path: Path, postgres_server):
    project = _copy(tmp_path)
    db = postgres_server.create_database("example_migrate")
    proc = _manage(project, "migrate", env={URL_VAR: pg_url(postgres_server, db)})
    assert proc.returncode == 0, proc.stderr[-2000:]


# -- differential: we report at least every (migration, code) django-migration-linter does ---

#: (migration, code) the reference reports that are wrong, each with the reason.
REFERENCE_FALSE_POSITIVES = {
    (
        "orders.0003_fix_quantities",
        "RUNPYTHON_MODEL_VARIABLE_NAME",
    ): "Order is an imported model with no apps.get_model() call at all; the reference's "
    "regex reports a variable-name mismatch for any X.objects without X = get_model(…X…)",
    (
        "catalog.0006_alter_product_price",
        "ALTER_COLUMN",
    ): "numeric(10, 2) -> numeric(12, 2) widens the precision at the same scale: PostgreSQL "
    "changes the type without rewriting the table (tests/engine/test_lock_model.py checks it) "
    "and every value old code writes still fits; the same holds for varchar widening and "
    "varchar -> text",
}
#: On SQLite the reference flags NOT_NULL for any table rebuild that copies a NOT NULL column;
#: these rebuilds add or tighten no NOT NULL column (decimal precision, a unique constraint
#: rebuilt inline, the rename of a referenced table, sku made unique).
SQLITE_REBUILD_NOT_NULL = {
    "catalog.0006_alter_product_price",
    "catalog.0007_product_uniq_product_title_category",
    "catalog.0011_rename_category_productcategory",
    "catalog.0014_alter_product_sku",
}
REFERENCE_MESSAGES = {
    "NOT NULL constraint on columns": "NOT_NULL",
    "DROPPING columns": "DROP_COLUMN",
    "DROPPING table": "DROP_TABLE",
    "RENAMING columns": "RENAME_COLUMN",
    "RENAMING tables": "RENAME_TABLE",
    "ALTERING columns": "ALTER_COLUMN",
    "ADDING unique constraint": "ADD_UNIQUE",
    "RunPython data migration is not reversible": "RUNPYTHON_REVERSIBLE",
    "By convention, RunPython names the two arguments": "RUNPYTHON_ARGS_NAMING_CONVENTION",
    "Importing the model directly is incorrect": "RUNPYTHON_MODEL_IMPORT",
    "Model variable name": "RUNPYTHON_MODEL_VARIABLE_NAME",
    "RunSQL data migration is not reversible": "RUNSQL_REVERSIBLE",
    "CREATE INDEX locks table": "CREATE_INDEX",
    "CREATE INDEX prolongs transaction": "CREATE_INDEX_EXCLUSIVE",
    "DROP INDEX locks table": "DROP_INDEX",
    "REINDEX locks table": "REINDEX",
}


def reference_findings(project: Path, env: dict[str, str]) -> set[tuple[str, str]]:
    """Run django-migration-linter 6.0's lintmigrations; parse (migration, code) pairs."""
    settings = project / "shopsite" / "settings.py"
    settings.write_text(
        settings.read_text() + '\nINSTALLED_APPS = INSTALLED_APPS + ["django_migration_linter"]\n'
    )
    proc = _manage(
        project,
        "lintmigrations",
        "--no-cache",
        "--ignore-sqlmigrate-errors",
        "--exclude-apps",
        "auth",
        "contenttypes",
        env=env,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    pairs: set[tuple[str, str]] = set()
    current = None
    for line in proc.stdout.splitlines():
        if line.startswith("("):
            app, name = line[1:].split(")")[0].split(", ")
            current = f"{app}.{name}"
        elif line.startswith("\t") and current:
            code = next((c for text, c in REFERENCE_MESSAGES.items() if text in line), None)
            assert code is not None, f"unparsed reference line: {line!r}"
            pairs.add((current, code))
    assert pairs, proc.stdout
    return pairs


def ours_covers(ours: dict, migration: str, code: str) -> bool:
    entry = ours[migration]
    if code in entry["codes"] or entry["status"] == "ignored":
        return True
    # suppressed by one of our ignore comments (the reference does not read them)
    path = EXAMPLE / migration.split(".")[0] / "migrations" / f"{migration.split('.')[1]}.py"
    return "migration-lint: ignore" in path.read_text()


def _differential(tmp_path: Path, env: dict[str, str], ours: dict, vendor: str) -> None:
    project = _copy(tmp_path)
    missing = []
    for migration, code in sorted(reference_findings(project, env)):
        if (migration, code) in REFERENCE_FALSE_POSITIVES:
            assert code not in ours[migration]["codes"]
            continue
        if vendor == "sqlite" and code == "NOT_NULL" and migration in SQLITE_REBUILD_NOT_NULL:
            continue
        if not ours_covers(ours, migration, code):
            missing.append((migration, code))
    assert missing == [], f"the reference reports these and we do not: {missing}"


@pytest.mark.postgres
def test_differential_against_django_migration_linter_on_postgresql(tmp_path, postgres_server):
    db = postgres_server.create_database("example_reference")
    env = {URL_VAR: pg_url(postgres_server, db)}
    ours = summarise(lint_example(tmp_path, env))
    _differential(tmp_path, env, ours, "postgresql")


def test_differential_against_django_migration_linter_on_sqlite(tmp_path: Path):
    env = {URL_VAR: "", "DJANGO_MIGRATION_LSP_EXAMPLE_SQLITE": str(tmp_path / "ref.sqlite3")}
    ours = summarise(lint_example(tmp_path, env))
    _differential(tmp_path, env, ours, "sqlite")
