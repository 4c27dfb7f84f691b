from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0020_drop_note_column")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.RunSQL(
            'ALTER TABLE "inventory_shop_id_seq" RENAME TO "inventory_store_id_seq"',
            'ALTER TABLE "inventory_store_id_seq" RENAME TO "inventory_shop_id_seq"',
        ),
    ]
