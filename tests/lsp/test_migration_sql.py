"""The editor's "Show Migration SQL" and hover show what ``django-migration-lsp sql`` prints: a
multi-statement RunSQL string as one script (PostgreSQL runs it in one execute), ``%`` as Django
runs it, the statements Django defers at the migration's end. A real project on disk (PostgreSQL
settings, no server: the SQL is rendered offline), a real client over stdio, the real CLI."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lsprotocol import types

from .conftest import start

pytestmark = pytest.mark.asyncio(loop_scope="function")

SETTINGS = """\
SECRET_KEY = "x"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = ["shop"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "none",
                         "HOST": "127.0.0.1", "PORT": "9", "USER": "nobody"}}
"""

MIGRATION = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Category",
            fields=[
                ("id", models.AutoField(primary_key=True)),
                ("name", models.CharField(max_length=50, db_index=True)),
            ],
        ),
        migrations.RunSQL(
            "UPDATE shop_category SET name = 'x' WHERE name LIKE 'a%'; "
            "UPDATE shop_category SET name = '100%' WHERE id = 1",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
"""


def write_project(root: Path) -> Path:
    (root / "proj_site").mkdir(parents=True)
    (root / "proj_site/__init__.py").write_text("")
    (root / "proj_site/settings.py").write_text(SETTINGS)
    (root / "shop/migrations").mkdir(parents=True)
    (root / "shop/__init__.py").write_text("")
    (root / "shop/models.py").write_text("")
    (root / "shop/migrations/__init__.py").write_text("")
    (root / "manage.py").write_text(
        textwrap.dedent(
            """\
            import os, sys
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj_site.settings")
            from django.core.management import execute_from_command_line
            execute_from_command_line(sys.argv)
            """
        )
    )
    (root / "pyproject.toml").write_text(
        '[tool.django-migration-lsp]\nsettings = "proj_site.settings"\nscope = "all"\n'
    )
    path = root / "shop/migrations/0001_initial.py"
    path.write_text(MIGRATION)
    return path


def sql_command(root: Path) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "proj_site.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "django_migration_lsp", "sql", str(root), "shop", "0001"],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def show_sql(client, uri: str) -> str:
    """The command's answer once the worker has rendered the file."""
    shown: list[str] = []

    async def ask() -> None:
        command = types.ExecuteCommandParams(
            command="djangoMigrationLsp.showMigrationSql", arguments=[uri]
        )
        shown.append(await client.workspace_execute_command_async(command))

    for _ in range(180):
        await ask()
        if not shown[-1].startswith("-- no SQL"):
            return shown[-1]
        await asyncio.sleep(0.5)
    raise AssertionError(f"no rendered SQL: {shown[-1]}")


async def test_show_migration_sql_is_the_sql_command(bare, tmp_path: Path):
    path = write_project(tmp_path / "proj")
    expected = sql_command(tmp_path / "proj")
    script = (
        "UPDATE shop_category SET name = 'x' WHERE name LIKE 'a%'; "
        "UPDATE shop_category SET name = '100%' WHERE id = 1;"
    )
    assert script in expected  # one script, `%` as Django runs it
    await start(bare, [tmp_path / "proj"])
    uri = path.as_uri()
    bare.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=1, text=MIGRATION)
        )
    )
    shown = await show_sql(bare, uri)
    assert shown == "-- shop.0001_initial on PostgreSQL\n" + expected
    hover = await bare.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=uri), types.Position(15, 12))
    )
    assert hover is not None
    value = hover.contents.value  # type: ignore[union-attr]
    assert "**RunSQL**" in value and f"```sql\n{script}\n```" in value
