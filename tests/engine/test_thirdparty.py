"""Real third-party migrations (wagtail, allauth, taggit, Django contrib): every one renders
offline on SQLite and PostgreSQL with no database, and the SQL matches Django's own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run_cli
from .test_render_parity import pg_url, run_parity

pytest.importorskip("wagtail", reason="install the `thirdparty` extra")

PROJECT = Path(__file__).resolve().parents[1] / "projects" / "thirdparty"
URL_VAR = "DJANGO_MIGRATION_LSP_TEST_DATABASE_URL"

#: Where Django's sqlmigrate output (the comparison) is itself not what `migrate` runs: it
#: introspects the database *before* the migration for every operation, so an operation that
#: follows another in the same migration sees a schema the earlier one has not changed yet.
SQLMIGRATE_ARTIFACTS = {
    # RenameModel then AlterField of the FK: sqlmigrate looks for the FK on the new table name,
    # which does not exist yet, and drops nothing; `migrate` (and we) drop it.
    "wagtailcore.0070_rename_pagerevision_revision",
    # RemoveConstraint then AlterField of the same column: sqlmigrate still sees the partial
    # unique index and drops it twice.
    "wagtailcore.0080_generic_workflowstate",
}
LITERAL = re.compile(r"'[^']*'")


def lint(env: dict[str, str], tmp_path: Path) -> dict:
    result = run_cli(
        "lint",
        str(PROJECT),
        "--no-cache",
        "--format",
        "json",
        "--include-installed-apps",  # these apps live in site-packages: out of scope by default
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    assert result.code in (0, 1), result.stderr
    return result.json()


@pytest.mark.parametrize(
    "url", ["", "postgresql://nobody@127.0.0.1:1/none"], ids=["sqlite", "postgresql"]
)
def test_every_migration_renders_offline(url: str, tmp_path: Path):
    doc = lint({URL_VAR: url}, tmp_path)
    assert doc["summary"]["migrations"] >= 230
    assert [m for m in doc["migrations"] if m["error"]] == []
    assert doc["summary"]["render_error"] == 0
    assert not (PROJECT / "db.sqlite3").exists()


@pytest.mark.postgres
def test_sql_matches_django_on_a_migrated_postgresql(postgres_server):
    db = postgres_server.create_database("thirdparty_parity")
    report = run_parity(
        PROJECT, "tpsite.settings", {URL_VAR: pg_url(postgres_server, db)}, "--progressive"
    )
    assert report["our_errors"] == {}
    assert report["django_failed"] == {}
    for name, diff in report["different"].items():
        if name in SQLMIGRATE_ARTIFACTS:
            continue
        if name in report["notes"]:  # placeholder for a default that queries the database
            assert all("<default computed at migrate time>" in s for s in diff["ours_only"])
            continue
        # defaults computed at migrate time by uuid4()/now(): the same SQL with another value
        masked = lambda statements: sorted(LITERAL.sub("''", s) for s in statements)  # noqa: E731
        assert masked(diff["django_only"]) == masked(diff["ours_only"]), (name, diff)
    assert report["equal"] >= report["migrations"] - 6


@pytest.mark.postgres
def test_sqlmigrate_fails_on_an_empty_postgresql_where_we_render(postgres_server):
    db = postgres_server.create_database("thirdparty_empty")
    report = run_parity(PROJECT, "tpsite.settings", {URL_VAR: pg_url(postgres_server, db)})
    assert report["our_errors"] == {}
    assert len(report["django_failed"]) >= 5, report["django_failed"]
    assert any("Found wrong number" in e for e in report["django_failed"].values())
