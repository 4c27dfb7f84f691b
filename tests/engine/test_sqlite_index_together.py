"""Django 5.1+ on SQLite: a table rebuild drops the old ``index_together`` indexes (the option
left model ``Meta``, so ``_remake_table`` no longer re-creates them), and a later
``RenameIndex(old_fields=…)`` then crashes the real ``migrate``. We render the rebuild as Django
runs it and report the RenameIndex as the error it is, on its line. Django 4.2 re-creates the
index in the rebuild: ``migrate`` works there, and so nothing is reported.

A real project on disk, the real ``migrate`` and ``sqlmigrate`` on a real SQLite file, our CLI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import django
import pytest

from .conftest import run_cli, write_project
from .test_render_parity import run_parity

DROPS_INDEX_TOGETHER = django.VERSION >= (5, 1)

INITIAL = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Book",
            fields=[
                ("id", models.AutoField(primary_key=True)),
                ("title", models.CharField(max_length=50)),
                ("author", models.CharField(max_length=50)),
            ],
            options={"index_together": {("title", "author")}},
        ),
    ]
"""

REBUILD = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.AlterField("book", "title", models.CharField(max_length=80)),
    ]
"""

RENAME = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_rebuild")]

    operations = [
        migrations.RenameIndex(
            model_name="book", new_name="book_title_author_idx", old_fields=("title", "author")
        ),
    ]
"""

INDEX = "shop_book_title_author_f57ec229_idx"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    migrations = {"0001_initial": INITIAL, "0002_rebuild": REBUILD, "0003_rename": RENAME}
    return write_project(tmp_path / "site", {"shop": migrations})


def manage(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_rename_index_after_a_rebuild_is_the_error_migrate_raises(site: Path):
    lint = run_cli("lint", str(site), "shop", "--format", "json", "--no-cache", cwd=site)
    assert not (site / "db.sqlite3").exists()  # the linter creates no SQLite file
    rename = lint.migration("shop", "0003_rename")
    migrate = manage(site, "migrate", "shop")
    if not DROPS_INDEX_TOGETHER:
        assert migrate.returncode == 0, migrate.stderr
        assert rename["error"] is None and rename["status"] == "ok"
        return
    crash = "Found wrong number (0) of indexes for shop_book(title, author)."
    assert migrate.returncode != 0 and f"ValueError: {crash}" in migrate.stderr
    assert rename["status"] == "render_error"
    assert rename["error_location"] == {"line": 8, "column": 9}  # the RenameIndex call
    error = rename["error"]
    assert f'ValueError "{crash}"' in error
    assert "rebuild in shop.0002_rebuild (operation 1) dropped it" in error
    assert 'migrations.AddIndex("book", models.Index(fields=[' in error
    assert 'name="book_title_author_idx"' in error
    assert lint.migration("shop", "0002_rebuild")["error"] is None
    text = run_cli("lint", str(site), "shop", "0003_rename", "--no-cache", cwd=site)
    assert text.code == 1  # an error, not a warning: migrate fails on it
    where = "shop/migrations/0003_rename.py:8:9: RENDER_ERROR `migrate` would crash"
    assert any(line.startswith(where) for line in text.stdout.splitlines()), text.stdout


def test_the_rebuild_is_rendered_as_migrate_runs_it(site: Path):
    """Statement for statement, what ``migrate`` executes on a real SQLite file (the rebuild
    without the index_together index on 5.1+, with it on 4.2) and what ``sql`` prints."""
    report = run_parity(site, "proj.settings", {}, "--executed")
    assert report["different"] == {}, report["different"]
    assert report["equal"] == report["migrations"] - len(report["django_failed"])
    if DROPS_INDEX_TOGETHER:
        [(name, failure)] = report["django_failed"].items()
        assert (name, failure) == (
            "shop.0003_rename",
            "ValueError: Found wrong number (0) of indexes for shop_book(title, author).",
        )
        assert list(report["our_errors"]) == ["shop.0003_rename"]
    else:
        assert report["django_failed"] == {} and report["our_errors"] == {}
    ours = run_cli("sql", str(site), "shop", "0002", cwd=site)
    assert (f'"{INDEX}"' in ours.stdout) is not DROPS_INDEX_TOGETHER


def test_with_the_index_recreated_nothing_is_reported(tmp_path: Path):
    """The safe way of the message: the state renames, the database gets the index."""
    safe = (
        RENAME.replace(
            "    operations = [\n        migrations.RenameIndex(",
            "    operations = [\n        migrations.SeparateDatabaseAndState(\n"
            "            state_operations=[migrations.RenameIndex(",
        )
        .replace(
            'old_fields=("title", "author")\n        ),\n    ]',
            'old_fields=("title", "author"))],\n'
            '            database_operations=[migrations.AddIndex("book", models.Index(\n'
            '                fields=["title", "author"], name="book_title_author_idx"))],\n'
            "        ),\n    ]",
        )
        .replace("from django.db import migrations", "from django.db import migrations, models")
    )
    migrations = {"0001_initial": INITIAL, "0002_rebuild": REBUILD, "0003_rename": safe}
    site = write_project(tmp_path / "site", {"shop": migrations})
    lint = run_cli("lint", str(site), "shop", "--format", "json", "--no-cache", cwd=site)
    rename = lint.migration("shop", "0003_rename")
    assert rename["error"] is None, rename
    migrate = manage(site, "migrate", "shop")
    assert migrate.returncode == 0, migrate.stderr


REMOVE = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_rebuild")]

    operations = [
        migrations.AlterIndexTogether("book", set()),
    ]
"""


def test_removing_index_together_after_a_rebuild_is_the_error_migrate_raises(tmp_path: Path):
    migrations = {"0001_initial": INITIAL, "0002_rebuild": REBUILD, "0003_remove": REMOVE}
    site = write_project(tmp_path / "site", {"shop": migrations})
    lint = run_cli("lint", str(site), "shop", "0003_remove", "--format", "json", cwd=site)
    removal = lint.migration("shop", "0003_remove")
    migrate = manage(site, "migrate", "shop")
    if not DROPS_INDEX_TOGETHER:
        assert migrate.returncode == 0, migrate.stderr
        assert removal["error"] is None
        return
    crash = "Found wrong number (0) of constraints for shop_book(title, author)"
    assert migrate.returncode != 0 and f"ValueError: {crash}" in migrate.stderr
    assert lint.code == 1 and removal["error_location"] == {"line": 8, "column": 9}
    assert f'ValueError "{crash}"' in removal["error"]
    assert "SeparateDatabaseAndState(state_operations=[this operation])." in removal["error"]
    # the safe way it gives: the removal made state-only, which migrate runs
    safe = REMOVE.replace(
        'migrations.AlterIndexTogether("book", set()),',
        "migrations.SeparateDatabaseAndState(\n"
        '            state_operations=[migrations.AlterIndexTogether("book", set())]\n'
        "        ),",
    )
    (site / "shop/migrations/0003_remove.py").write_text(safe)
    again = run_cli("lint", str(site), "shop", "0003_remove", "--format", "json", cwd=site)
    assert again.migration("shop", "0003_remove")["error"] is None
    assert manage(site, "migrate", "shop").returncode == 0
