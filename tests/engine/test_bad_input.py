"""Bad input: each gives a located, one-paragraph error; the rest is still linted."""

from __future__ import annotations

from pathlib import Path

from .conftest import INITIAL, hide_mysqldb

DROP = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.RemoveField(model_name="item", name="price"),
    ]
"""


def test_syntax_error_is_located_and_others_still_linted(project, cli):
    root = project(
        {
            "shop": {
                "0001_initial": INITIAL,
                "0002_remove_price": DROP,
                "0003_broken": 'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0002_remove_price")]\n    operations = [\n        migrations.RunSQL("SELECT 1"\n    ]\n',
            }
        }
    )
    result = cli("lint", str(root), "--format", "json", "--no-cache", "--include-apps", "shop")
    assert result.code == 1, result.stderr  # the DROP_COLUMN error still counts
    broken = result.migration("shop", "0003_broken")
    assert broken["status"] == "render_error"
    assert broken["error_location"]["line"] in (6, 7)
    assert "line" in broken["error"] or "never closed" in broken["error"] or "(" in broken["error"]
    assert result.codes("shop", "0002_remove_price") == ["DROP_COLUMN"]


def test_import_error_keeps_static_checks(project, cli):
    root = project(
        {
            "shop": {
                "0001_initial": INITIAL,
                "0002_data": """\
                    from django.db import migrations
                    import does_not_exist  # noqa


                    def forwards(apps, schema_editor):
                        pass


                    class Migration(migrations.Migration):
                        dependencies = [("shop", "0001_initial")]
                        operations = [migrations.RunPython(forwards)]
                    """,
            }
        }
    )
    result = cli("lint", str(root), "--format", "json", "--no-cache", "--include-apps", "shop")
    entry = result.migration("shop", "0002_data")
    assert entry["status"] == "render_error"
    assert "does_not_exist" in entry["error"]
    # RunPython without reverse_code is still reported from the source alone
    assert "RUNPYTHON_REVERSIBLE" in result.codes("shop", "0002_data")
    # issue 11: a module that cannot be imported crashes `migrate`, so the run fails
    assert result.code == 1


def test_missing_dependency_and_cycle(project, cli):
    root = project(
        {
            "shop": {
                "0001_initial": INITIAL,
                "0002_missing": 'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0099_nope")]\n    operations = []\n',
                "0003_a": 'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0004_b")]\n    operations = []\n',
                "0004_b": 'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0003_a")]\n    operations = []\n',
            }
        }
    )
    result = cli("lint", str(root), "--format", "json", "--no-cache", "--include-apps", "shop")
    assert result.code == 0, result.stderr
    assert "0099_nope" in result.migration("shop", "0002_missing")["error"]
    assert "circular" in result.migration("shop", "0003_a")["error"]
    assert "circular" in result.migration("shop", "0004_b")["error"]
    assert result.migration("shop", "0001_initial")["status"] == "ok"


def test_broken_settings_exit_2_with_location(project, cli):
    root = project({"shop": {"0001_initial": INITIAL}}, extra_settings="raise RuntimeError('boom')")
    result = cli("lint", str(root), "--no-cache")
    assert result.code == 2
    assert "settings.py:" in result.stderr and "boom" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_alias_and_unknown_code(project, cli):
    root = project({"shop": {"0001_initial": INITIAL, "0002_remove_price": DROP}})
    result = cli("lint", str(root), "--no-cache", "--database", "replica")
    assert result.code == 2
    assert "replica" in result.stderr and "default" in result.stderr
    result = cli(
        "lint",
        str(root),
        "--no-cache",
        "--format",
        "json",
        "--exclude-migration-tests",
        "DROP_COLUMNS",
    )
    assert "unknown rule code 'DROP_COLUMNS'" in result.stderr
    assert result.code == 1  # still linted: the typo excluded nothing


def test_non_utf8_file(project, cli):
    root = project({"shop": {"0001_initial": INITIAL}})
    bad = root / "shop" / "migrations" / "0002_latin1.py"
    bad.write_bytes(
        b"from django.db import migrations\n# caf\xe9\n\nclass Migration(migrations.Migration):\n"
        b'    dependencies = [("shop", "0001_initial")]\n    operations = []\n'
    )
    result = cli("lint", str(root), "--no-cache", "--format", "json", "--include-apps", "shop")
    entry = result.migration("shop", "0002_latin1")
    assert entry["status"] == "render_error"
    assert "UTF-8" in entry["error"] or "utf-8" in entry["error"]
    assert result.migration("shop", "0001_initial")["status"] == "ok"


def test_unreachable_database_only_matters_for_applied_options(project, cli):
    root = project({"shop": {"0001_initial": INITIAL, "0002_remove_price": DROP}})
    env = {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nowhere"}
    result = cli("lint", str(root), "--no-cache", "--format", "json", env=env)
    assert result.code == 1, result.stderr  # rendered offline: no connection needed
    assert result.json()["project"]["vendor"] == "postgresql"
    result = cli("lint", str(root), "--no-cache", "--unapplied-migrations", env=env)
    assert result.code == 2
    assert "django_migrations" in result.stderr and "default" in result.stderr


def test_sqlite_file_is_never_created(project, cli):
    root = project({"shop": {"0001_initial": INITIAL, "0002_remove_price": DROP}})
    result = cli("lint", str(root), "--no-cache")
    assert result.code == 1
    assert not (root / "db.sqlite3").exists()
    result = cli("lint", str(root), "--no-cache", "--unapplied-migrations")
    assert result.code == 2  # the database does not exist: said, and not created
    assert "does not exist" in result.stderr
    assert not (root / "db.sqlite3").exists()


def test_missing_project_dir(cli, tmp_path: Path):
    result = cli("lint", str(tmp_path / "nope"))
    assert result.code == 2
    assert "not a directory" in result.stderr


def test_backend_that_cannot_be_imported_falls_back_to_operation_rules(project, cli, tmp_path):
    root = project(
        {"shop": {"0001_initial": INITIAL, "0002_remove_price": DROP}},
        extra_settings='DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": "x"}}',
    )
    result = cli(
        "lint",
        str(root),
        "--no-cache",
        "--format",
        "json",
        "--include-apps",
        "shop",
        env=hide_mysqldb(tmp_path),  # the driver may be installed (MySQL offline tests)
    )
    assert result.code == 1, result.stderr
    entry = result.migration("shop", "0002_remove_price")
    assert [f["code"] for f in entry["findings"]] == ["DROP_COLUMN"]
    assert "could not be loaded" in entry["error"] and "mysql" in entry["error"].lower()
    assert result.json()["project"]["vendor"] == "mysql"
