from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_no_lock_timeout")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.RunSQL(  # ADD_FOREIGN_KEY
            'ALTER TABLE "inventory_item" ADD CONSTRAINT "item_shop_fk" FOREIGN KEY ("shop_id") '
            'REFERENCES "inventory_shop" ("id") DEFERRABLE INITIALLY DEFERRED',
            'ALTER TABLE "inventory_item" DROP CONSTRAINT "item_shop_fk"',
        ),
    ]
