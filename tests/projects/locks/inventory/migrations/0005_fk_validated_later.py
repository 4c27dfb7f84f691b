from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0004_fk_not_valid")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.RunSQL(
            'ALTER TABLE "inventory_item" VALIDATE CONSTRAINT "item_shop_fk2"',
            migrations.RunSQL.noop,
        ),
    ]
