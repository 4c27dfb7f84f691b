from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0012_code_set_not_null")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.AlterField("item", "name", models.CharField(max_length=100)),
        migrations.AlterField(
            "item", "price", models.DecimalField(max_digits=12, decimal_places=2)
        ),
    ]
