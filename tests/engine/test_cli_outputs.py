"""`lint` output formats, options and the cache, on real projects run through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from .conftest import INITIAL

DROP = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AddField(
            model_name="item",
            name="note",
            field=models.TextField(null=True),
        ),
        migrations.RemoveField(  # the dangerous one
            model_name="item",
            name="price",
        ),
    ]
"""

DATA = """\
from django.db import migrations


def forwards(apps, schema_editor):
    Item = apps.get_model("shop", "Item")
    Item.objects.update(name="x")


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_remove_price")]
    operations = [migrations.RunPython(forwards)]
"""


def shop(project, **kwargs):
    return project(
        {"shop": {"0001_initial": INITIAL, "0002_remove_price": DROP, "0003_data": DATA}}, **kwargs
    )


def test_json_schema_and_operation_lines(project, cli):
    root = shop(project)
    result = cli("lint", str(root), "--no-cache", "--format", "json", "--include-apps", "shop")
    assert result.code == 1
    doc = result.json()
    assert doc["version"] == 1
    assert set(doc["project"]) >= {"root", "settings", "vendor", "django"}
    assert doc["project"]["vendor"] == "sqlite"
    assert doc["summary"] == {
        "migrations": 3,
        "ok": 1,
        "warning": 1,
        "error": 1,
        "ignored": 0,
        "render_error": 0,
    }
    entry = result.migration("shop", "0002_remove_price")
    assert entry["path"] == "shop/migrations/0002_remove_price.py"
    assert entry["status"] == "error"
    (finding,) = entry["findings"]
    assert finding["code"] == "DROP_COLUMN"
    assert finding["severity"] == "error"
    # the RemoveField call: line 12 col 9 to line 15 col 10 (1-based, end exclusive)
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (
        12,
        9,
        15,
        10,
    )
    assert finding["operation_index"] == 1
    assert finding["sql"] and "DROP COLUMN" in finding["sql"][0]
    assert '"price"' in finding["message"] and "later release" in finding["message"]
    assert result.codes("shop", "0003_data") == ["RUNPYTHON_REVERSIBLE"]


def test_text_output_and_exit_codes(project, cli):
    root = shop(project)
    result = cli("lint", str(root), "--no-cache", "--include-apps", "shop")
    assert result.code == 1
    assert "shop/migrations/0002_remove_price.py:12:9: DROP_COLUMN " in result.stdout
    assert "Erroneous migrations: 1/3" in result.stdout
    # excluding the code project-wide: only the warning is left, exit 0
    without_drop = ("lint", str(root), "--no-cache", "--include-apps", "shop")
    without_drop += ("--exclude-migration-tests", "DROP_COLUMN")
    result = cli(*without_drop)
    assert result.code == 0, result.stdout
    # warnings as errors
    result = cli(*without_drop, "--warnings-as-errors")
    assert result.code == 1
    result = cli(*without_drop, "--warnings-as-errors", "CREATE_INDEX")
    assert result.code == 0


def test_github_and_sarif(project, cli):
    root = shop(project)
    result = cli(
        "lint", str(root), "--no-cache", "--format", "github", "--include-apps", "shop", cwd=root
    )
    line = next(x for x in result.stdout.splitlines() if "DROP_COLUMN" in x)
    assert line.startswith("::error file=shop/migrations/0002_remove_price.py,line=12,col=9,")
    assert "endLine=15" in line
    result = cli("lint", str(root), "--no-cache", "--format", "sarif", "--include-apps", "shop")
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {
        "DROP_COLUMN",
        "RUNPYTHON_REVERSIBLE",
    }
    drop = next(r for r in run["results"] if r["ruleId"] == "DROP_COLUMN")
    assert drop["level"] == "error"
    region = drop["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 9, "endLine": 15, "endColumn": 10}
    uri = drop["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "shop/migrations/0002_remove_price.py"


def test_ignore_comment_and_ignore_migration(project, cli):
    root = shop(project)
    path = root / "shop/migrations/0002_remove_price.py"
    path.write_text(
        path.read_text().replace("# the dangerous one", "# migration-lint: ignore[DROP_COLUMN]")
    )
    data = root / "shop/migrations/0003_data.py"
    data.write_text(
        data.read_text()
        .replace(
            "from django.db import migrations\n",
            "from django.db import migrations\n"
            "from django_migration_lsp.operations import IgnoreMigration\n",
        )
        .replace("operations = [", "operations = [IgnoreMigration(), ")
    )
    result = cli("lint", str(root), "--no-cache", "--format", "json", "--include-apps", "shop")
    assert result.code == 0, result.stdout
    assert result.migration("shop", "0002_remove_price")["status"] == "ok"
    assert result.migration("shop", "0003_data")["status"] == "ignored"


def test_pyproject_config_and_django_setting_precedence(project, cli):
    root = shop(
        project,
        pyproject="""\
            [tool.django-migration-lsp]
            include_apps = ["shop"]
            exclude_migration_tests = ["RUNPYTHON_REVERSIBLE"]
        """,
        extra_settings='MIGRATION_LINTER_OPTIONS = {"exclude_migration_tests": ["DROP_COLUMN"],'
        ' "ignore_name": ["0001_initial"]}',
    )
    result = cli("lint", str(root), "--no-cache", "--format", "json")
    names = [m["name"] for m in result.json()["migrations"]]
    assert names == ["0002_remove_price", "0003_data"]  # include_apps from pyproject,
    # ignore_name from the Django setting; exclude_migration_tests: pyproject wins over settings
    assert result.codes("shop", "0002_remove_price") == ["DROP_COLUMN"]
    assert result.codes("shop", "0003_data") == []
    # flags win over pyproject
    result = cli(
        "lint",
        str(root),
        "--no-cache",
        "--format",
        "json",
        "--exclude-migration-tests",
        "DROP_COLUMN",
    )
    assert result.codes("shop", "0003_data") == ["RUNPYTHON_REVERSIBLE"]
    assert result.codes("shop", "0002_remove_price") == []


def test_unknown_pyproject_key_is_located(project, cli):
    root = shop(project, pyproject="[tool.django-migration-lsp]\nexclude_migration_test = []\n")
    result = cli("lint", str(root), "--no-cache")
    assert result.code == 2
    assert "pyproject.toml:2" in result.stderr and "exclude_migration_test" in result.stderr


def test_selection_options(project, cli):
    root = shop(project)
    base = ["lint", str(root), "--no-cache", "--format", "json", "--include-apps", "shop"]
    names = lambda r: [m["name"] for m in r.json()["migrations"]]  # noqa: E731
    assert names(cli(*base, "--ignore-name-contains", "remove")) == ["0001_initial", "0003_data"]
    assert names(cli(*base, "--include-name-contains", "data")) == ["0003_data"]
    assert names(cli(*base, "--ignore-initial-migrations")) == ["0002_remove_price", "0003_data"]
    assert names(cli(*base, "--include-name", "0001_initial")) == ["0001_initial"]
    result = cli("lint", str(root), "shop", "0002", "--no-cache", "--format", "json")
    assert names(result) == ["0002_remove_price"]
    listing = root / "list.txt"
    listing.write_text("shop/migrations/0003_data.py\n")
    assert names(cli(*base, "--include-migrations-from", str(listing))) == ["0003_data"]


def test_git_commit_id(project, cli):
    root = shop(project)
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    (root / "shop/migrations/0003_data.py").rename(root / "later.txt")
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    (root / "later.txt").rename(root / "shop/migrations/0003_data.py")
    # not committed yet: new too
    result = cli("lint", str(root), "--no-cache", "--format", "json", "--git-commit-id", "HEAD")
    assert [m["name"] for m in result.json()["migrations"]] == ["0003_data"]
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "data"], cwd=root, check=True)
    result = cli("lint", str(root), "--no-cache", "--format", "json", "--git-commit-id", "HEAD~1")
    assert [m["name"] for m in result.json()["migrations"]] == ["0003_data"]
    result = cli("lint", str(root), "--no-cache", "--format", "json", "--git-commit-id", "HEAD")
    assert result.json()["migrations"] == []
    result = cli("lint", str(root), "--no-cache", "--git-commit-id", "nope")
    assert result.code == 2 and "nope" in result.stderr


def test_cache_warm_run_and_invalidation(project, cli, tmp_path: Path):
    root = shop(project)
    cache = tmp_path / "cache"
    base = [
        "lint",
        str(root),
        "--format",
        "json",
        "--include-apps",
        "shop",
        "--cache-path",
        str(cache),
        "-v",  # `cached` is in the JSON only with -v
    ]
    cold = cli(*base)
    assert cold.code == 1
    assert not any(m.get("cached") for m in cold.json()["migrations"])
    warm = cli(*base)
    strip = lambda doc: [{k: v for k, v in m.items() if k != "cached"} for m in doc["migrations"]]  # noqa: E731
    assert strip(warm.json()) == strip(cold.json())
    assert all(m["cached"] for m in warm.json()["migrations"])
    # a changed migration invalidates itself and its descendants, never a stale verdict
    path = root / "shop/migrations/0002_remove_price.py"
    time.sleep(0.01)
    path.write_text(path.read_text().replace("# the dangerous one", "# migration-lint: ignore"))
    os.utime(path)
    after = cli(*base)
    assert after.code == 0, after.stdout
    assert after.migration("shop", "0002_remove_price")["status"] == "ok"
    cached = {m["name"]: m["cached"] for m in after.json()["migrations"]}
    # the changed file and its descendant are recomputed; the untouched ancestor comes cached
    assert cached == {"0001_initial": True, "0002_remove_price": False, "0003_data": False}
    # option changes are part of the key
    other = cli(*base, "--exclude-migration-tests", "RUNPYTHON_REVERSIBLE")
    assert other.codes("shop", "0003_data") == []
    # an environment variable the settings read is part of the key
    env = {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "postgresql://u@127.0.0.1:1/db"}
    pg = cli(*base, env=env)
    assert pg.json()["project"]["vendor"] == "postgresql"
    assert cli(*base).json()["project"]["vendor"] == "sqlite"


def test_manage_py_lintmigrations_drop_in(project, tmp_path: Path):
    """`manage.py lintmigrations` with django_migration_lsp in INSTALLED_APPS runs our engine."""
    import sys

    root = shop(project, extra_settings='INSTALLED_APPS += ["django_migration_lsp"]')
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.run(
        [sys.executable, "manage.py", "lintmigrations", "shop", "--format", "json", "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert [m["name"] for m in doc["migrations"]] == [
        "0001_initial",
        "0002_remove_price",
        "0003_data",
    ]
    proc = subprocess.run(
        [sys.executable, "manage.py", "lintmigrations", "shop", "0001", "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Valid migrations: 1/1" in proc.stdout
