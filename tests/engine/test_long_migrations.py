"""A long migration of field operations on one model is rendered from field slices (linear in
its length, see benchmarks/long_migration.py); the SQL stays Django's own: checked with the
parity harness against a real PostgreSQL server migrated to just before each migration."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import write_project
from .test_render_parity import assert_parity, pg_url, run_parity

INITIAL = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel("Tag", [("id", models.AutoField(primary_key=True))]),
        migrations.CreateModel(
            name="Item",
            fields=[
                ("id", models.AutoField(primary_key=True)),
                ("code", models.CharField(max_length=20)),
                ("shelf", models.IntegerField()),
                ("bin", models.IntegerField()),
                ("note", models.TextField(null=True)),
                ("weight", models.IntegerField(null=True)),
            ],
            options={
                "unique_together": {("shelf", "bin")},
                "indexes": [models.Index(fields=["code", "-weight"], name="item_code_w_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=["code", "note"], name="item_code_note_uniq")
                ],
            },
        ),
    ]
"""

LONG = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        *[
            migrations.AddField("item", f"extra{i}", models.IntegerField(null=True))
            for i in range(40)
        ],
        migrations.AddField(
            "item", "tag", models.ForeignKey("shop.Tag", null=True, on_delete=models.CASCADE)
        ),
        migrations.AddField("item", "tags", models.ManyToManyField("shop.Tag", related_name="+")),
        migrations.AlterField("item", "code", models.CharField(max_length=40, unique=True)),
        migrations.AlterField("item", "weight", models.BigIntegerField(null=True, db_index=True)),
        migrations.RenameField("item", "shelf", "rack"),
        migrations.RenameField("item", "extra1", "extra_one"),
        migrations.AlterField("item", "extra3", models.CharField(max_length=5, null=True)),
        migrations.RemoveField("item", "extra7"),
        migrations.AddField("item", "slug", models.SlugField(default="x")),
        migrations.RemoveField("item", "extra9"),
        migrations.AddField("item", "created", models.DateTimeField(null=True, db_index=True)),
    ]
"""


@pytest.mark.postgres
def test_field_slices_render_like_django_on_postgresql(tmp_path: Path, postgres_server):
    root = write_project(tmp_path / "site", {"shop": {"0001_initial": INITIAL, "0002_long": LONG}})
    db = postgres_server.create_database("long_migration_parity")
    report = run_parity(
        root,
        "proj.settings",
        {"DJANGO_MIGRATION_LSP_TEST_DATABASE_URL": pg_url(postgres_server, db)},
        "--progressive",
    )
    assert_parity(report)
    assert "shop.0002_long" not in report["different"]
    assert report["equal"] >= 2


def test_field_slices_render_like_django_on_sqlite(tmp_path: Path):
    """On SQLite only an AddField Django adds with ADD COLUMN is sliced (a table rebuild writes
    every column): the nullable ones here, not the SlugField with a default."""
    root = write_project(tmp_path / "site", {"shop": {"0001_initial": INITIAL, "0002_long": LONG}})
    report = run_parity(root, "proj.settings", {}, "--progressive")
    assert_parity(report)
    assert "shop.0002_long" not in report["different"]
    assert report["equal"] >= 2
