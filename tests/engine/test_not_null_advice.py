"""NOT_NULL's advice fits the change: an added column vs an existing column made NOT NULL."""

from __future__ import annotations

from .conftest import INITIAL

OFFLINE_POSTGRESQL = {
    "DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"
}

TIGHTEN = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AlterField("item", "price", models.IntegerField(default=0)),
        migrations.AddField("item", "stock", models.IntegerField(default=0), preserve_default=False),
    ]
"""


def test_not_null_on_an_existing_column_advises_backfill_not_a_nullable_column(project, cli):
    root = project({"shop": {"0001_initial": INITIAL, "0002_tighten": TIGHTEN}})
    result = cli("lint", str(root), "--no-cache", "--format", "json", env=OFFLINE_POSTGRESQL)
    findings = result.migration("shop", "0002_tighten")["findings"]
    by_op = {f["operation_index"]: f["message"] for f in findings if f["code"] == "NOT_NULL"}
    altered, added = by_op[0], by_op[1]
    assert 'column "price" of table "shop_item"' in altered
    assert "null=True" not in altered.split("rejects those rows.")[1]
    assert "backfill the NULL rows" in altered
    assert "NOT VALID" in altered and "VALIDATE" in altered
    assert "Add the column as null=True" in added
