from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0013_widen")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.AlterField(  # ALTER_COLUMN, TABLE_REWRITE
            "item", "qty", models.BigIntegerField(default=0)
        ),
    ]
