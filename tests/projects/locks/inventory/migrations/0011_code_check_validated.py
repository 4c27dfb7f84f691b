from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0010_code_not_null_check")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.RunSQL(
            'ALTER TABLE "inventory_item" VALIDATE CONSTRAINT "item_code_not_null"',
            migrations.RunSQL.noop,
        ),
    ]
