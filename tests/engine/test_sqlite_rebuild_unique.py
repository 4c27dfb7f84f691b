"""A SQLite table rebuild re-creates the unique indexes the table had: no ADD_UNIQUE for them."""

from __future__ import annotations

INITIAL = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Perm",
            fields=[
                ("id", models.AutoField(primary_key=True)),
                ("kind", models.IntegerField()),
                ("codename", models.CharField(max_length=100)),
                ("name", models.CharField(max_length=50)),
            ],
            options={"unique_together": {("kind", "codename")}},
        ),
    ]
"""

# as auth.0002_alter_permission_name_max_length: SQLite rebuilds the table, then runs
# CREATE UNIQUE INDEX for the unique_together it already had
WIDEN = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AlterField("perm", "name", models.CharField(max_length=255)),
        migrations.AlterField("perm", "codename", models.CharField(max_length=100, unique=True)),
    ]
"""


def test_rebuild_recreating_a_unique_index_is_not_add_unique(project, cli):
    root = project({"shop": {"0001_initial": INITIAL, "0002_widen": WIDEN}})
    result = cli("lint", str(root), "--no-cache", "--format", "json")
    findings = result.migration("shop", "0002_widen")["findings"]
    unique = [f["operation_index"] for f in findings if f["code"] == "ADD_UNIQUE"]
    assert unique == [1]  # the field made unique is, the index re-created by the rebuild is not
