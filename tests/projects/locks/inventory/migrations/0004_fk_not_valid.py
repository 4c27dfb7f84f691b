from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0003_fk_checked")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.RunSQL(
            'ALTER TABLE "inventory_item" ADD CONSTRAINT "item_shop_fk2" FOREIGN KEY ("shop_id") '
            'REFERENCES "inventory_shop" ("id") DEFERRABLE INITIALLY DEFERRED NOT VALID',
            'ALTER TABLE "inventory_item" DROP CONSTRAINT "item_shop_fk2"',
        ),
    ]
