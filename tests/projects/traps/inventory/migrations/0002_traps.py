import django.db.models.deletion
from django.db import migrations, models

import inventory.models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [
        # sqlmigrate introspects the live table to find the constraint's name
        migrations.AlterUniqueTogether(name="warehouse", unique_together=set()),
        # RenameIndex(old_fields=...) introspects the old index's name
        migrations.RenameIndex(
            model_name="warehouse", new_name="inventory_code_city_idx", old_fields=("code", "city")
        ),
        # the default is computed by querying the database at migrate time
        migrations.AddField(
            model_name="item",
            name="warehouse",
            field=models.ForeignKey(
                default=inventory.models.default_warehouse,
                on_delete=django.db.models.deletion.CASCADE,
                to="inventory.warehouse",
            ),
        ),
        # drops the unique constraint and its _like index: both looked up by introspection
        migrations.AlterField(model_name="item", name="sku", field=models.CharField(max_length=30)),
        # drops the db_index (and _like) index
        migrations.AlterField(model_name="item", name="name", field=models.CharField(max_length=100)),
        # the check constraint of PositiveIntegerField is looked up when the type changes
        migrations.AlterField(model_name="item", name="quantity", field=models.PositiveIntegerField(default=0)),
    ]
