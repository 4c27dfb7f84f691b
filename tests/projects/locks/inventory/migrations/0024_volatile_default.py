import django
from django.contrib.postgres.functions import RandomUUID
from django.db import migrations, models

# db_default is Django 5.0+: on 4.2 the column is added without one (the test skips this file)
DB_DEFAULT = {"db_default": RandomUUID()} if django.VERSION >= (5, 0) else {"null": True}


class Migration(migrations.Migration):
    dependencies = [("inventory", "0023_unique_using_index")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.AddField(  # TABLE_REWRITE
            "item", "token", models.UUIDField(**DB_DEFAULT)
        ),
    ]
