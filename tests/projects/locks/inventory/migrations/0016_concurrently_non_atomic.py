from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("inventory", "0015_concurrently_in_transaction")]

    operations = [
        AddIndexConcurrently("item", models.Index(fields=["qty"], name="item_qty_idx")),
    ]
