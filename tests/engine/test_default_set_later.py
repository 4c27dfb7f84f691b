"""NOT_NULL is not reported for a column a later operation of the migration gives a database
default (django-add-default-value's AddDefaultValue emits such a RunSQL)."""

from __future__ import annotations

from .conftest import INITIAL

OFFLINE_POSTGRESQL = {
    "DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"
}

ADD = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = {atomic}
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AddField("item", "stock", models.IntegerField(default=0)),
        migrations.AddField("item", "rank", models.IntegerField(default=0)),
        {later}
    ]
"""

SET_DEFAULT = 'migrations.RunSQL(\'ALTER TABLE "shop_item" ALTER COLUMN "stock" SET DEFAULT 0\'),'


def not_null_columns(project, cli, later: str, atomic: bool = True) -> list[str]:
    source = ADD.format(later=later, atomic=atomic)
    root = project({"shop": {"0001_initial": INITIAL, "0002_add": source}})
    result = cli("lint", str(root), "--no-cache", "--format", "json", env=OFFLINE_POSTGRESQL)
    findings = result.migration("shop", "0002_add")["findings"]
    return [f["message"].split('"')[1] for f in findings if f["code"] == "NOT_NULL"]


def test_a_default_set_later_in_the_migration_makes_the_column_ok(project, cli):
    assert not_null_columns(project, cli, SET_DEFAULT) == ["rank"]


def test_a_default_set_and_dropped_again_does_not_count(project, cli):
    drop = 'migrations.RunSQL(\'ALTER TABLE "shop_item" ALTER COLUMN "stock" DROP DEFAULT\'),'
    assert not_null_columns(project, cli, SET_DEFAULT + "\n        " + drop) == ["stock", "rank"]


def test_not_in_a_non_atomic_migration(project, cli):
    # another session can insert between the two operations
    assert not_null_columns(project, cli, SET_DEFAULT, atomic=False) == ["stock", "rank"]
