"""Two identical runs give identical JSON, whatever order Django renders set-driven SQL in."""

from __future__ import annotations

INITIAL = """\
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Item",
            fields=[
                ("id", models.AutoField(primary_key=True)),
                ("a", models.IntegerField()),
                ("b", models.IntegerField()),
                ("c", models.IntegerField()),
                ("d", models.IntegerField()),
            ],
            options={"unique_together": {("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")}},
        ),
    ]
"""

# AlterUniqueTogether drops and creates its indexes in set order (``news.difference(olds)``):
# the order of its CREATE UNIQUE INDEX statements follows PYTHONHASHSEED.
CHANGE = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AlterUniqueTogether(
            name="item",
            unique_together={("a", "b", "c"), ("a", "d"), ("b", "c"), ("b", "c", "d")},
        ),
    ]
"""


def test_json_is_the_same_under_different_hash_seeds(project, cli):
    root = project({"shop": {"0001_initial": INITIAL, "0002_change": CHANGE}})
    outputs = []
    for seed in ("1", "2"):  # seeds under which Django renders the four indexes differently
        result = cli(
            "lint", str(root), "--no-cache", "--format", "json", env={"PYTHONHASHSEED": seed}
        )
        assert result.code == 1, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    finding = next(f for f in result.migration("shop", "0002_change")["findings"])
    assert finding["code"] == "ADD_UNIQUE"
    # the statement shown is the first in text order, not the first Django happened to render
    [sql] = finding["sql"]
    assert sql.startswith('CREATE UNIQUE INDEX "shop_item_a_b_c_')
    assert sql.endswith('ON "shop_item" ("a", "b", "c");')
