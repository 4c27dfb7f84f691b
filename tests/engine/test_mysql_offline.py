"""MySQL / MariaDB settings never crash ``lint``: rendering is offline whatever the driver.

The parity project points at a MySQL server that does not exist (nothing listens): with a driver
installed every operation renders (``quote_value`` and the storage engine are answered offline);
without one the operations are still checked from what they do. Any crash while rendering one
operation is that operation's located render error, never the end of the run.
"""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from .conftest import INITIAL, REPO, hide_mysqldb, run_cli

PARITY = REPO / "tests/projects/parity"
OFFLINE_MYSQL = {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "mysql://offline/parity"}
if importlib.util.find_spec("MySQLdb") is None and importlib.util.find_spec("pymysql") is not None:
    OFFLINE_MYSQL["PARITY_PYMYSQL"] = "1"  # the settings install PyMySQL as MySQLdb
needs_driver = pytest.mark.skipif(
    importlib.util.find_spec("MySQLdb") is None and importlib.util.find_spec("pymysql") is None,
    reason="neither mysqlclient nor PyMySQL is installed",
)


def _drivers() -> list:
    out = []
    for name, env in (("mysqlclient", {}), ("pymysql", {"PARITY_PYMYSQL": "1"})):
        module = "MySQLdb" if name == "mysqlclient" else "pymysql"
        present = importlib.util.find_spec(module) is not None
        out.append(pytest.param(env, id=name, marks=[] if present else pytest.mark.skip(name)))
    return out


@pytest.mark.parametrize("driver_env", _drivers())
def test_lint_renders_every_operation_with_a_driver(driver_env, tmp_path):
    result = run_cli(
        "lint",
        str(PARITY),
        "--format",
        "json",
        "--no-cache",
        cwd=tmp_path,
        env={**OFFLINE_MYSQL, **driver_env},
    )
    assert result.code in (0, 1), result.stderr
    document = result.json()
    assert document["project"]["vendor"] == "mysql"
    assert document["summary"]["render_error"] == 0
    assert [m["error"] for m in document["migrations"]] == [None] * 7


@pytest.mark.parametrize("driver_env", _drivers())
def test_sql_quotes_parameters_offline(driver_env, tmp_path):
    result = run_cli(
        "sql",
        str(PARITY),
        "shop",
        "0002",
        "--format",
        "json",
        cwd=tmp_path,
        env={**OFFLINE_MYSQL, **driver_env},
    )
    assert result.code == 0, result.stderr
    first = result.json()["operations"][0]
    assert first["statements"] == [
        "UPDATE shop_category SET name = 'it\\'s 100%' WHERE slug = 'x';"
    ]


@needs_driver
def test_mysql_foreign_key_gets_no_index_on_innodb(tmp_path):
    """InnoDB (the offline default engine) indexes FK columns itself: Django adds no index."""
    result = run_cli(
        "sql", str(PARITY), "shop", "0001", "--format", "json", cwd=tmp_path, env=OFFLINE_MYSQL
    )
    assert result.code == 0, result.stderr
    statements = [
        s for op in result.json()["operations"] for s in op["statements"] + op["deferred"]
    ]
    assert any("FOREIGN KEY (`category_id`)" in s for s in statements), statements
    assert not any(s.startswith("CREATE INDEX") and "category_id" in s for s in statements)


DROP_CHECK = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0007_extension")]
    operations = [migrations.RemoveConstraint(model_name="product", name="shop_price_positive")]
"""


@needs_driver
@pytest.mark.parametrize(
    "mysql_version, expected",
    [
        (None, "ALTER TABLE `shop_article` DROP CHECK `shop_price_positive`;"),
        ("mysql-8.4", "ALTER TABLE `shop_article` DROP CHECK `shop_price_positive`;"),
        (
            "mariadb-10.11",
            "ALTER TABLE `shop_article` DROP CONSTRAINT IF EXISTS `shop_price_positive`;",
        ),
    ],
)
def test_mariadb_is_selected_by_mysql_version(tmp_path, mysql_version, expected):
    """``mysql_version = "mariadb-10.11"``: MariaDB's DROP CONSTRAINT, not MySQL's DROP CHECK."""
    project = tmp_path / "parity"
    shutil.copytree(PARITY, project)
    (project / "shop/migrations/0008_drop_check.py").write_text(DROP_CHECK)
    if mysql_version:
        (project / "pyproject.toml").write_text(
            f'[tool.django-migration-lsp]\nmysql_version = "{mysql_version}"\n'
        )
    result = run_cli("sql", str(project), "shop", "0008", cwd=tmp_path, env=OFFLINE_MYSQL)
    assert result.code == 0, result.stderr
    assert expected in result.stdout.splitlines()


def test_bad_mysql_version_is_a_located_config_error(tmp_path):
    project = tmp_path / "site"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.django-migration-lsp]\nmysql_version = "8.x"\n')
    result = run_cli("lint", str(project), cwd=tmp_path)
    assert result.code == 2
    assert "pyproject.toml:2" in result.stderr and "mariadb-10.11" in result.stderr


def test_lint_without_a_driver_checks_operations(tmp_path):
    result = run_cli(
        "lint",
        str(PARITY),
        "--format",
        "json",
        "--no-cache",
        cwd=tmp_path,
        env={**OFFLINE_MYSQL, "PARITY_PYMYSQL": "", **hide_mysqldb(tmp_path)},
    )
    assert result.code == 1, result.stderr  # DROP_COLUMN and others are still found
    document = result.json()
    renames = next(m for m in document["migrations"] if m["name"] == "0003_renames")
    assert "RENAME_TABLE" in {f["code"] for f in renames["findings"]}
    assert "Did you install mysqlclient?" in renames["error"]


BAD_PARAMS = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.RunSQL("SELECT 1", reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(
            [("UPDATE shop_item SET name = %s WHERE price > %s", ["x"])],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddField("item", "note", __import__("django.db.models").db.models.TextField(null=True)),
    ]
"""


MYSQL_SETTINGS = """
if os.environ.get("PARITY_PYMYSQL"):
    import pymysql

    pymysql.install_as_MySQLdb()
DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": "shop",
                         "HOST": "127.0.0.1", "PORT": "9"}}
"""


@pytest.mark.parametrize(
    "extra, driver_env",
    [
        pytest.param("", {}, id="sqlite"),
        *[
            pytest.param(MYSQL_SETTINGS, *p.values, id=f"mysql-{p.id}", marks=p.marks)
            for p in _drivers()
        ],
    ],
)
def test_a_crash_rendering_one_operation_is_its_render_error(project, extra, driver_env):
    root = project(
        {"shop": {"0001_initial": INITIAL, "0002_bad": BAD_PARAMS}}, extra_settings=extra
    )
    result = run_cli(
        "lint",
        str(root),
        "--format",
        "json",
        "--no-cache",
        "--include-apps",
        "shop",
        cwd=root,
        env=driver_env,
    )
    assert result.code == 0, result.stderr
    bad = result.migration("shop", "0002_bad")
    assert bad["status"] == "render_error"
    assert bad["error"].startswith("operation 2: ")
    assert "not enough arguments for format string" in bad["error"]
    assert result.migration("shop", "0001_initial")["status"] == "ok"
