"""The Migrations view's server commands through a real LSP client over stdio: ``listMigrations``
(new vs historical from a real git repository, applied from a real SQLite file and a real
PostgreSQL database that ``migrate`` filled, rewritable) and ``makeZeroDowntime`` (the rewrite
sent as ``workspace/applyEdit``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import codes, copy_example, start, wait_for

pytestmark = pytest.mark.asyncio(loop_scope="function")

URL_VAR = "DJANGO_MIGRATION_LSP_EXAMPLE_DATABASE_URL"
DROP = "catalog/migrations/0004_remove_product_legacy_code.py"
INDEX = "catalog/migrations/0008_product_weight_and_index.py"
NEW_NAME = "0016_remove_product_sku"
NEW_SOURCE = (
    "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
    '    dependencies = [("catalog", "0015_product_catalog_prod_title_idx")]\n\n'
    "    operations = [\n"
    '        migrations.RemoveField(model_name="product", name="sku"),\n'
    "    ]\n"
)


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def committed_with_a_new_migration(root: Path) -> Path:
    """The example committed on ``main``, then a migration written after that commit."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    new = root / "catalog" / "migrations" / f"{NEW_NAME}.py"
    new.write_text(NEW_SOURCE)
    return new


def migrate(root: Path, *target: str, url: str = "") -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.pop("DJANGO_MIGRATION_LSP_EXAMPLE_SQLITE", None)
    env[URL_VAR] = url
    subprocess.run(
        [sys.executable, "manage.py", "migrate", *target],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )


def use_database_url(root: Path, url: str) -> None:
    """The copied example's settings read this database URL (as its environment variable)."""
    settings = root / "shopsite" / "settings.py"
    text = settings.read_text()
    line = '_url = os.environ.get("DJANGO_MIGRATION_LSP_EXAMPLE_DATABASE_URL", "")'
    assert line in text
    settings.write_text(text.replace(line, f"_url = {url!r}"))


async def listed(client: LanguageClient, **options: bool) -> dict[str, Any]:
    return await client.workspace_execute_command_async(  # type: ignore[no-any-return]
        types.ExecuteCommandParams(
            command="djangoMigrationLsp.listMigrations", arguments=[options] if options else []
        )
    )


def by_name(project: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{m['app']}.{m['name']}": m for m in project["migrations"]}


async def test_new_and_applied_from_git_and_a_sqlite_file(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    new_file = committed_with_a_new_migration(root)
    migrate(root, "catalog", "0003")  # catalog 0001-0003 applied, the rest not
    database = root / "db.sqlite3"
    before = database.read_bytes()
    await start(bare, [root])  # scope "new": the new migration is linted
    await wait_for(lambda: "DROP_COLUMN" in codes(bare, new_file.as_uri()))
    (project,) = (await listed(bare))["projects"]
    assert project["error"] is None
    assert project["new_unknown"] is None and project["applied_unknown"] is None
    states = by_name(project)
    new = {k for k, m in states.items() if m["new"]}
    assert new == {f"catalog.{NEW_NAME}"}
    assert states["catalog.0004_remove_product_legacy_code"]["new"] is False
    applied = {k for k, m in states.items() if m["applied"] and k.startswith("catalog.")}
    assert applied == {
        "catalog.0001_initial",
        "catalog.0002_product_description",
        "catalog.0003_product_stock",
    }
    assert states["catalog.0004_remove_product_legacy_code"]["applied"] is False
    assert states["catalog.0004_remove_product_legacy_code"]["path"] == str(root / DROP)
    # SQLite: no rewrite applies (they are PostgreSQL's)
    assert not any(m["rewritable"] for m in states.values())
    assert database.read_bytes() == before  # read, never written
    # a deploy applies 0004: without refresh, the last answer of git and the database stands;
    # with it, they are asked again
    migrate(root, "catalog", "0004")
    drop = "catalog.0004_remove_product_legacy_code"
    (project,) = (await listed(bare, refresh=False))["projects"]
    assert by_name(project)[drop]["applied"] is False
    (project,) = (await listed(bare, refresh=True))["projects"]
    assert by_name(project)[drop]["applied"] is True


async def test_unknown_without_git_or_database_and_no_file_created(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    await start(bare, [root])
    await wait_for(lambda: codes(bare, (root / DROP).as_uri()) == ["DROP_COLUMN"])
    (project,) = (await listed(bare))["projects"]
    assert "not in a git repository" in project["new_unknown"]
    assert "does not exist" in project["applied_unknown"]
    assert "never writes" in project["applied_unknown"]
    states = by_name(project)
    assert {m["new"] for m in states.values()} == {None}
    assert {m["applied"] for m in states.values()} == {None}
    assert not (root / "db.sqlite3").exists()


@pytest.fixture
def pg_example(tmp_path: Path, postgres_server) -> Path:
    """The example on a real PostgreSQL database migrated up to catalog 0007."""
    name = f"view_{os.getpid()}_{tmp_path.name[-20:]}".replace("-", "_").lower()
    postgres_server.create_database(name)
    url = (
        f"postgresql://{postgres_server.user}@{postgres_server.host}:{postgres_server.port}/{name}"
    )
    root = copy_example(tmp_path / "shop")
    migrate(root, "catalog", "0007", url=url)
    use_database_url(root, url)
    yield root
    postgres_server.drop_database(name)


async def test_applied_from_postgresql_and_make_zero_downtime(bare, pg_example: Path):
    root = pg_example
    edits: list[types.ApplyWorkspaceEditParams] = []

    @bare.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        edits.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    await start(bare, [root])
    index_uri = (root / INDEX).as_uri()
    await wait_for(lambda: "CREATE_INDEX" in codes(bare, index_uri), timeout=120)
    (project,) = (await listed(bare))["projects"]
    assert project["applied_unknown"] is None
    states = by_name(project)
    applied = sorted(k for k, m in states.items() if m["applied"] and k.startswith("catalog."))
    assert applied == [f"catalog.{n}" for n in sorted(applied_catalog())]
    assert states["catalog.0008_product_weight_and_index"]["applied"] is False
    assert states["catalog.0008_product_weight_and_index"]["rewritable"] is True
    # RunSQL without reverse_sql (RUNSQL_REVERSIBLE) has no rewrite: not offered
    assert states["orders.0005_zero_quantities"]["rewritable"] is False

    outcome = await bare.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="djangoMigrationLsp.makeZeroDowntime", arguments=[index_uri]
        )
    )
    assert outcome["applied"] is True, outcome
    assert "0008_product_weight_and_index.py: rewritten" in outcome["message"]
    (params,) = edits
    assert params.label.startswith("Make zero-downtime: every rewrite of")
    first = params.edit.document_changes[0]
    assert first.text_document.uri == index_uri
    assert "AddIndexConcurrently" in first.edits[0].new_text
    assert "atomic = False" in first.edits[0].new_text
    assert "AddIndexConcurrently" not in (root / INDEX).read_text()  # the client applies it
    # the rewrites of the worker's Django (5+): the NOT NULL column gets its db_default
    stock = (root / "catalog" / "migrations" / "0003_product_stock.py").as_uri()
    outcome = await bare.workspace_execute_command_async(
        types.ExecuteCommandParams(command="djangoMigrationLsp.makeZeroDowntime", arguments=[stock])
    )
    assert outcome["applied"] is True and "NOT_NULL" in outcome["message"], outcome
    assert "db_default=0" in edits[-1].edit.document_changes[0].edits[0].new_text


def applied_catalog() -> list[str]:
    return [
        "0001_initial",
        "0002_product_description",
        "0003_product_stock",
        "0004_remove_product_legacy_code",
        "0005_rename_name_product_title",
        "0006_alter_product_price",
        "0007_product_uniq_product_title_category",
    ]


async def test_postgresql_that_cannot_be_reached_gives_no_applied_marker(bare, tmp_path: Path):
    root = copy_example(tmp_path / "shop")
    use_database_url(root, "postgresql://nobody@127.0.0.1:1/none")
    await start(bare, [root])
    await wait_for(lambda: codes(bare, (root / DROP).as_uri()), timeout=120)
    (project,) = (await listed(bare))["projects"]
    assert "could not read django_migrations" in project["applied_unknown"]
    assert {m["applied"] for m in project["migrations"]} == {None}
    outcome = await bare.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="djangoMigrationLsp.makeZeroDowntime",
            arguments=[(root / "orders/migrations/0005_zero_quantities.py").as_uri()],
        )
    )
    assert outcome == {
        "applied": False,
        "message": "0005_zero_quantities.py: no finding of it has a zero-downtime rewrite",
    }
