from django.contrib.postgres.functions import RandomUUID
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0023_unique_using_index")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.AddField(  # TABLE_REWRITE
            "item", "token", models.UUIDField(db_default=RandomUUID())
        ),
    ]
