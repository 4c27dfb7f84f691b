"""MySQL/MariaDB-aware rules and their online-DDL messages, checked against a real MariaDB.

``MODIFY`` restates the whole column on MySQL, so the rules read the AlterField's facts: a
``MODIFY`` is ``ALTER_COLUMN`` only when the type changes (copying the table) and ``NOT_NULL``
only when a nullable column becomes NOT NULL. Constraints Django's MySQL schema editor never
creates (a condition, deferrable, include; expressions on MariaDB) are no ``ADD_UNIQUE``. Every
algorithm a message names is proven here by running the statement on MariaDB 10.11 with that
algorithm appended.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os

import pytest

from django_migration_lsp.rules import mysql_ddl

from .conftest import INITIAL, hide_mysqldb, run_cli

needs_driver = pytest.mark.skipif(
    importlib.util.find_spec("MySQLdb") is None and importlib.util.find_spec("pymysql") is None,
    reason="neither mysqlclient nor PyMySQL is installed",
)

MYSQL_SETTINGS = """
if os.environ.get("MYSQL_RULES_URL"):
    _m = urlparse(os.environ["MYSQL_RULES_URL"])
    HOST, PORT, USER, NAME = _m.hostname, str(_m.port), _m.username, _m.path.lstrip("/")
else:
    HOST, PORT, USER, NAME = "127.0.0.1", "9", "root", "shop"
if os.environ.get("MYSQL_RULES_PYMYSQL"):
    import pymysql

    pymysql.install_as_MySQLdb()
DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": NAME, "HOST": HOST,
                         "PORT": PORT, "USER": USER, "PASSWORD": ""}}
"""
PYPROJECT = '[tool.django-migration-lsp]\nmysql_version = "mariadb-10.11"\n'
DRIVER_ENV = {} if importlib.util.find_spec("MySQLdb") else {"MYSQL_RULES_PYMYSQL": "1"}

HEAD = "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
OPERATIONS = {
    "0002_tighten": 'migrations.AlterField("item", "price", models.IntegerField())',
    "0003_comment": 'migrations.AlterField("item", "price", models.IntegerField(db_comment="c"))',
    "0004_lengthen": (
        'migrations.AlterField("item", "name", models.CharField(max_length=60, db_comment="c"))'
    ),
    "0005_cross_class": (
        'migrations.AlterField("item", "name", models.CharField(max_length=64, db_comment="c"))'
    ),
    "0006_bigint": 'migrations.AlterField("item", "price", models.BigIntegerField(db_comment="c"))',
    "0007_loosen": (
        'migrations.AlterField("item", "name", models.CharField(max_length=64, null=True, '
        'db_comment="c"))'
    ),
    "0008_box": (
        'migrations.CreateModel("Box", [("id", models.AutoField(primary_key=True))]), '
        'migrations.AddField("item", "box", models.ForeignKey("shop.box", models.CASCADE, '
        "null=True))"
    ),
    "0009_order": 'migrations.AlterOrderWithRespectTo("item", "box")',
    "0010_partial": (
        'migrations.AddConstraint("item", models.UniqueConstraint(fields=["name"], '
        'condition=models.Q(price__gt=0), name="uniq_partial"))'
    ),
    "0011_expression": (
        'migrations.AddConstraint("item", models.UniqueConstraint(models.functions.Lower("name"),'
        ' name="uniq_lower"))'
    ),
    "0012_deferrable": (
        'migrations.AddConstraint("item", models.UniqueConstraint(fields=["price"], '
        'name="uniq_deferred", deferrable=models.Deferrable.DEFERRED))'
    ),
    "0013_plain": (
        'migrations.AddConstraint("item", models.UniqueConstraint(fields=["name"], '
        'name="uniq_plain"))'
    ),
    "0014_note": 'migrations.AddField("item", "note", models.TextField(null=True))',
    "0015_stock": 'migrations.AddField("item", "stock", models.IntegerField(default=0))',
    "0016_collation": (
        'migrations.AlterField("item", "name", models.CharField(max_length=64, null=True, '
        'db_comment="c", db_collation="utf8mb4_bin"))'
    ),
}
#: what lint reports per migration on MariaDB 10.11 (offline), and why
EXPECTED = {
    "0002_tighten": ["NOT_NULL"],  # NULL -> NOT NULL, same type: no ALTER_COLUMN
    "0003_comment": [],  # MODIFY … NOT NULL of a column already NOT NULL, same type
    "0004_lengthen": [],  # varchar(50) -> varchar(60): INSTANT, within the 1-byte class
    "0005_cross_class": ["ALTER_COLUMN"],  # varchar(60) -> varchar(64): COPY
    "0006_bigint": ["ALTER_COLUMN"],
    "0007_loosen": [],  # NOT NULL -> NULL
    "0008_box": [],
    "0009_order": ["NOT_NULL"],  # adds _order NOT NULL, its default dropped
    "0010_partial": [],  # Django creates nothing on MySQL/MariaDB
    "0011_expression": [],  # nothing on MariaDB (no functional indexes)
    "0012_deferrable": [],
    "0013_plain": ["ADD_UNIQUE"],
    "0014_note": [],
    "0015_stock": ["NOT_NULL"],
    "0016_collation": ["ALTER_COLUMN"],  # same type, another collation
}


def _migrations() -> dict[str, str]:
    files, previous = {"0001_initial": INITIAL}, "0001_initial"
    for name, operation in OPERATIONS.items():
        files[name] = (
            f"{HEAD}    dependencies = [('shop', '{previous}')]\n    operations = [{operation}]\n"
        )
        previous = name
    return files


@pytest.fixture
def mysql_project(project):
    return project({"shop": _migrations()}, extra_settings=MYSQL_SETTINGS, pyproject=PYPROJECT)


def _lint(root, env=None):
    result = run_cli(
        "lint", str(root), "--format", "json", "--no-cache", "--include-apps", "shop", cwd=root,
        env={**DRIVER_ENV, **(env or {})},
    )  # fmt: skip
    assert result.code in (0, 1), result.stderr
    return result


@needs_driver
def test_mysql_rules_read_the_alter_field_facts(mysql_project):
    result = _lint(mysql_project)
    found = {name: result.codes("shop", name) for name in OPERATIONS}
    assert found == EXPECTED
    assert result.json()["summary"]["render_error"] == 0


@needs_driver
def test_mysql_messages_teach_online_ddl(mysql_project):
    result = _lint(mysql_project)

    def message(name: str, code: str) -> str:
        findings = result.migration("shop", name)["findings"]
        return next(f["message"] for f in findings if f["code"] == code)

    assert "ALGORITHM=COPY" in message("0006_bigint", "ALTER_COLUMN")
    assert "pt-online-schema-change or gh-ost" in message("0006_bigint", "ALTER_COLUMN")
    tighten = message("0002_tighten", "NOT_NULL")
    assert "ALGORITHM=INPLACE, LOCK=NONE" in tighten and "rebuilds the table" in tighten
    assert "INSTANT on MySQL 8.0.12+ and MariaDB 10.3+" in message("0015_stock", "NOT_NULL")
    unique = message("0013_plain", "ADD_UNIQUE")
    assert mysql_ddl.UNIQUE_NOTE in unique and "ACCESS EXCLUSIVE" not in unique
    assert "deduplicate" in unique
    assert message("0016_collation", "ALTER_COLUMN").endswith(mysql_ddl.COLLATION_CHANGE)


def test_without_a_driver_the_facts_still_decide(mysql_project, tmp_path):
    """No MySQL driver: nothing renders, and the facts give the verdicts (AlterOrderWithRespectTo
    adds ``_order`` NOT NULL; the AlterField facts say which change tightens)."""
    result = _lint(mysql_project, {"MYSQL_RULES_PYMYSQL": "", **hide_mysqldb(tmp_path)})
    assert "Did you install mysqlclient?" in (result.migration("shop", "0009_order")["error"] or "")
    assert result.codes("shop", "0009_order") == ["NOT_NULL"]
    assert result.codes("shop", "0002_tighten") == ["NOT_NULL"]
    assert result.codes("shop", "0003_comment") == []


def test_varchar_length_classes():
    assert mysql_ddl.widens_in_place("varchar(50)", "varchar(63)")
    assert mysql_ddl.widens_in_place("varchar(100)", "varchar(200)")
    assert not mysql_ddl.widens_in_place("varchar(63)", "varchar(64)")
    assert not mysql_ddl.widens_in_place("varchar(60)", "varchar(50)")
    assert not mysql_ddl.widens_in_place("integer", "bigint")


# -- the claims, on a real MariaDB ---------------------------------------------------------------


@pytest.fixture(scope="module")
def mariadb():
    pytest.importorskip("pymysql")
    from tests.mariadb import MariaDBUnavailable, running_server

    try:
        with running_server() as server:
            yield server
    except MariaDBUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"MariaDB is required in CI: {exc}")
        pytest.skip(f"MariaDB not available: {exc}")


TABLE = (
    "CREATE TABLE t (id integer AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL, "
    "price integer NULL, code varchar(100) NOT NULL, KEY t_code (code)) ENGINE=InnoDB "
    "DEFAULT CHARSET=utf8mb4"
)
ROWS = "INSERT INTO t (name, price, code) VALUES ('a', 1, 'x'), ('b', 2, 'y')"


@contextlib.contextmanager
def _table(server):
    import pymysql

    server.create_database("ddl")
    conn = pymysql.connect(
        host=server.host, port=server.port, user=server.user, database="ddl", autocommit=True
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute(TABLE)
            cursor.execute(ROWS)
            yield cursor
    finally:
        conn.close()


def _error(cursor, statement: str) -> str | None:
    import pymysql

    try:
        cursor.execute(statement)
    except pymysql.MySQLError as exc:
        return str(exc.args[1])
    return None


ONLINE = [
    # (statement, algorithm appended, None = accepted / the error MariaDB gives)
    ("ALTER TABLE t ADD COLUMN note longtext NULL", "ALGORITHM=INSTANT", None),
    ("ALTER TABLE t ADD COLUMN stock integer DEFAULT 0 NOT NULL", "ALGORITHM=INSTANT", None),
    ("ALTER TABLE t MODIFY price bigint NULL", "ALGORITHM=INPLACE, LOCK=NONE", "ALGORITHM=INPLACE"),
    ("ALTER TABLE t MODIFY price bigint NULL", "ALGORITHM=COPY, LOCK=NONE", "Try LOCK=SHARED"),
    ("ALTER TABLE t MODIFY price bigint NULL", "ALGORITHM=COPY, LOCK=SHARED", None),
    ("ALTER TABLE t MODIFY name varchar(63) NOT NULL", "ALGORITHM=INSTANT", None),
    ("ALTER TABLE t MODIFY name varchar(64) NOT NULL", "ALGORITHM=INPLACE", "ALGORITHM=INPLACE"),
    ("ALTER TABLE t MODIFY code varchar(200) NOT NULL", "ALGORITHM=INSTANT", None),
    ("ALTER TABLE t MODIFY name varchar(40) NOT NULL", "ALGORITHM=INPLACE", "ALGORITHM=INPLACE"),
    ("ALTER TABLE t MODIFY price integer NOT NULL", "ALGORITHM=INSTANT", "ALGORITHM=INSTANT"),
    ("ALTER TABLE t MODIFY price integer NOT NULL", "ALGORITHM=INPLACE, LOCK=NONE", None),
    ("ALTER TABLE t MODIFY name varchar(50) NOT NULL COMMENT 'c'", "ALGORITHM=INSTANT", None),
    ("ALTER TABLE t ADD CONSTRAINT u UNIQUE (name)", "ALGORITHM=INPLACE, LOCK=NONE", None),
    ("CREATE INDEX i ON t (price)", "ALGORITHM=INPLACE LOCK=NONE", None),
    (
        "ALTER TABLE t MODIFY name varchar(50) COLLATE utf8mb4_bin NOT NULL",
        "ALGORITHM=INSTANT",
        None,
    ),
    (
        "ALTER TABLE t MODIFY code varchar(100) COLLATE utf8mb4_bin NOT NULL",
        "ALGORITHM=INSTANT",
        "ALGORITHM=INSTANT",
    ),
    (
        "ALTER TABLE t MODIFY code varchar(100) COLLATE utf8mb4_bin NOT NULL",
        "ALGORITHM=INPLACE, LOCK=NONE",
        None,
    ),
]


@pytest.mark.parametrize(
    "statement, algorithm, refused", ONLINE, ids=[" ".join(c[:2]) for c in ONLINE]
)
def test_online_ddl_claims_hold_on_mariadb(mariadb, statement, algorithm, refused):
    separator = " " if statement.startswith("CREATE") else ", "
    with _table(mariadb) as cursor:
        error = _error(cursor, f"{statement}{separator}{algorithm}")
    if refused is None:
        assert error is None
    else:
        assert error is not None and "is not supported" in error and refused in error, error


def test_what_the_messages_say_fails_does_fail_on_mariadb(mariadb):
    """Strict mode: an INSERT without a NOT NULL column that has no default fails; MODIFY …
    NOT NULL fails while a NULL row is left; a unique build fails on duplicates."""
    with _table(mariadb) as cursor:
        assert _error(cursor, "ALTER TABLE t ADD COLUMN stock integer DEFAULT 0 NOT NULL") is None
        assert _error(cursor, "ALTER TABLE t ALTER COLUMN stock DROP DEFAULT") is None
        old_insert = "INSERT INTO t (name, price, code) VALUES ('c', 3, 'z')"
        assert "doesn't have a default value" in (_error(cursor, old_insert) or "")
        cursor.execute("INSERT INTO t (name, price, code, stock) VALUES ('a', NULL, 'w', 0)")
        assert "Data truncated" in (
            _error(cursor, "ALTER TABLE t MODIFY price integer NOT NULL") or ""
        )
        assert "Duplicate entry" in (
            _error(cursor, "ALTER TABLE t ADD CONSTRAINT u UNIQUE (name)") or ""
        )


@needs_driver
def test_constraints_mariadb_never_creates_are_not_add_unique(mariadb, mysql_project):
    """``migrate`` on the real MariaDB creates the plain unique constraint only; lint reports
    ADD_UNIQUE for that one alone."""
    db = mariadb.create_database("rules")
    env = {**DRIVER_ENV, "MYSQL_RULES_URL": f"mysql://root@{mariadb.host}:{mariadb.port}/{db}"}
    import subprocess
    import sys

    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "shop", "--noinput"],
        cwd=mysql_project, env={**os.environ, **env}, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    import pymysql

    conn = pymysql.connect(host=mariadb.host, port=mariadb.port, user="root", database=db)
    with contextlib.closing(conn), conn.cursor() as cursor:
        cursor.execute("SHOW INDEX FROM shop_item WHERE Non_unique = 0 AND Key_name <> 'PRIMARY'")
        unique_indexes = {row[2] for row in cursor.fetchall()}
    assert unique_indexes == {"uniq_plain"}
    result = _lint(mysql_project)  # offline: nothing listens on the settings' default port
    added = [n for n in OPERATIONS if "ADD_UNIQUE" in result.codes("shop", n)]
    assert added == ["0013_plain"]
