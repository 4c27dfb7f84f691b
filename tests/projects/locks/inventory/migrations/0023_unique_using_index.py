from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0022_unique_index_concurrently")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.RunSQL(  # ADD_UNIQUE (USING INDEX)
            'ALTER TABLE "inventory_item" ADD CONSTRAINT "item_name_uniq" '
            'UNIQUE USING INDEX "item_name_uniq"',
            'ALTER TABLE "inventory_item" DROP CONSTRAINT "item_name_uniq"',
        ),
    ]
