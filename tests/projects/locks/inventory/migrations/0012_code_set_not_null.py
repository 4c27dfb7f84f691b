from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0011_code_check_validated")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.AlterField("item", "code", models.CharField(max_length=20)),
        migrations.RemoveConstraint("item", "item_code_not_null"),
    ]
