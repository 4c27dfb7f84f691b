from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0008_exclusion")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.AlterField(  # NOT_NULL_SCAN (and NOT_NULL)
            "item", "qty", models.IntegerField(default=0)
        ),
    ]
