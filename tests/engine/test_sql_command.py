"""``django-migration-lsp sql``: sqlmigrate without a database, equal to what Django runs.

Parity runs compare, migration by migration, the ``sql`` command's document with Django's own
``collect_sql`` on a real PostgreSQL (and SQLite) migrated up to that migration, forwards and
backwards; the CLI tests check the text and JSON layouts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import REPO, run_cli
from .test_render_parity import assert_parity, pg_url, run_parity

TRAPS = REPO / "tests/projects/traps"
PARITY = REPO / "tests/projects/parity"
OFFLINE_PG = {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"}


@pytest.mark.postgres
@pytest.mark.parametrize("direction", ["--progressive", "--backwards"])
def test_sql_command_equals_django_on_postgresql(postgres_server, direction):
    db = postgres_server.create_database(f"sqlcmd_traps_{direction.strip('-')}")
    env = {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": pg_url(postgres_server, db)}
    report = run_parity(TRAPS, "trapsite.settings", env, direction, "--sql-command")
    assert_parity(report)
    assert report["migrations"] >= 16


def test_sql_command_equals_django_on_sqlite(tmp_path: Path):
    env = {"DJANGO_MIGRATION_LSP_TEST_SQLITE": str(tmp_path / "sqlcmd.sqlite3")}
    report = run_parity(TRAPS, "trapsite.settings", env, "--progressive", "--sql-command")
    assert_parity(report)


@pytest.mark.postgres
def test_runsql_script_is_shown_as_postgresql_runs_it(postgres_server):
    """PostgreSQL runs a multi-statement RunSQL string in one execute: shown unsplit."""
    db = postgres_server.create_database("sqlcmd_parity")
    env = {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": pg_url(postgres_server, db)}
    report = run_parity(PARITY, "paritysite.settings", env, "--progressive", "--sql-command")
    assert report["our_errors"] == {}
    assert "shop.0001_initial" not in report["different"]
    assert "shop.0002_runsql" not in report["different"]


def sql(*args: str, env: dict[str, str] | None = None, cwd: Path) -> object:
    return run_cli("sql", *args, cwd=cwd, env=env or OFFLINE_PG)


def test_json_attributes_deferred_statements_to_their_operation(tmp_path):
    result = sql(str(PARITY), "shop", "0001_initial", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    document = result.json()
    assert (document["vendor"], document["atomic"], document["backwards"]) == (
        "postgresql",
        True,
        False,
    )
    product = document["operations"][1]
    assert product["description"] == "Create model Product"
    assert product["statements"][0].startswith('CREATE TABLE "shop_product"')
    assert any('FOREIGN KEY ("category_id")' in s for s in product["deferred"])
    assert not any("FOREIGN KEY" in s for s in product["statements"])
    category = document["operations"][0]
    assert [s.split(" (")[0] for s in category["statements"]] == ['CREATE TABLE "shop_category"']
    assert any('"shop_category_name_11b68823_like"' in s for s in category["deferred"])


def test_json_has_sub_operations_of_separate_database_and_state(tmp_path):
    result = sql(str(PARITY), "shop", "0005", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    combined = result.json()["operations"][0]
    assert combined["kind"] == "SeparateDatabaseAndState"
    [sub] = combined["sub_operations"]
    assert (sub["kind"], sub["index"], sub["sub_index"]) == ("RunSQL", 0, 0)
    assert sub["statements"] == ["ALTER TABLE shop_section ADD COLUMN note varchar(20) NULL;"]
    assert combined["statements"] == sub["statements"]


def test_text_is_sqlmigrate_layout_and_backwards_reverses(tmp_path):
    forwards = sql(str(PARITY), "shop", "0005", cwd=tmp_path)
    assert forwards.code == 0, forwards.stderr
    lines = forwards.stdout.splitlines()
    assert lines[:4] == ["BEGIN;", "--", "-- Custom state/database change combination", "--"]
    assert lines[-1] == "COMMIT;"
    backwards = sql(str(PARITY), "shop", "0005", "--backwards", cwd=tmp_path)
    assert backwards.code == 0, backwards.stderr
    assert "ALTER TABLE shop_section DROP COLUMN note;" in backwards.stdout
    assert 'ALTER TABLE "shop_tree" RENAME TO "shop_node";' in backwards.stdout
    assert backwards.stdout.index("DROP COLUMN note") > backwards.stdout.index("RENAME TO")


def test_unknown_migration_and_bad_arguments_exit_2(tmp_path):
    unknown = sql(str(PARITY), "shop", "0099", cwd=tmp_path)
    assert unknown.code == 2
    assert "Cannot find a migration matching '0099' in app 'shop'" in unknown.stderr
    ambiguous = sql(str(PARITY), "shop", "000", cwd=tmp_path)
    assert ambiguous.code == 2 and "More than one migration" in ambiguous.stderr
    no_app = sql(str(PARITY), "nope", "0001", cwd=tmp_path)
    assert no_app.code == 2 and "App 'nope' has no migrations" in no_app.stderr
    too_few = sql("shop", cwd=tmp_path)
    assert too_few.code == 2 and "APP_LABEL MIGRATION_NAME" in too_few.stderr


def test_bad_configuration_is_a_located_error(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "pyproject.toml").write_text('[tool.django-migration-lsp]\nmysql_version = "x"\n')
    result = sql(str(site), "shop", "0001", cwd=tmp_path)
    assert result.code == 2
    assert "pyproject.toml:2" in result.stderr and "`mysql_version`" in result.stderr
