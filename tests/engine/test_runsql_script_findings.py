"""A finding on a multi-statement RunSQL string shows its SQL as the database runs it: on
PostgreSQL the one script Django executes whole. The rules still read the statements one by one
(the UPDATE after the ALTER TABLE's lock is what DATA_MIGRATION_HOLDS_LOCKS sees)."""

from __future__ import annotations

from .conftest import INITIAL, run_cli, write_project

SCRIPT = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE shop_item ADD COLUMN note varchar(10) NOT NULL; "
            "UPDATE shop_item SET name = '100%' WHERE id = 1",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
"""

FIRST = "ALTER TABLE shop_item ADD COLUMN note varchar(10) NOT NULL;"
SECOND = "UPDATE shop_item SET name = '100%' WHERE id = 1;"
OFFLINE_PG = {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"}


def findings(tmp_path, env):
    site = write_project(tmp_path / "site", {"shop": {"0001_initial": INITIAL, "0002": SCRIPT}})
    result = run_cli("lint", str(site), "--format", "json", "--no-cache", cwd=site, env=env)
    return {f["code"]: f["sql"] for f in result.migration("shop", "0002")["findings"]}


def test_postgresql_findings_show_the_script_whole(tmp_path):
    found = findings(tmp_path, OFFLINE_PG)
    assert {"NOT_NULL", "DATA_MIGRATION_HOLDS_LOCKS"} <= set(found)
    assert all(sql == [f"{FIRST[:-1]}; {SECOND}"] for sql in found.values()), found
