from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0005_fk_validated_later")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.RunSQL(
            'ALTER TABLE "inventory_item" ADD CONSTRAINT "item_qty_pos" CHECK ("qty" >= 0) NOT VALID',
            'ALTER TABLE "inventory_item" DROP CONSTRAINT "item_qty_pos"',
        ),
        migrations.RunSQL(  # VALIDATE_IN_TRANSACTION
            'ALTER TABLE "inventory_item" VALIDATE CONSTRAINT "item_qty_pos"',
            migrations.RunSQL.noop,
        ),
    ]
