from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0014_rewrite")]

    operations = [
        AddIndexConcurrently(  # CONCURRENTLY_IN_TRANSACTION
            "item", models.Index(fields=["code"], name="item_code_idx")
        ),
    ]
