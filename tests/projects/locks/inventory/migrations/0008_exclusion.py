from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0007_check")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.RunSQL(  # ADD_EXCLUSION
            'ALTER TABLE "inventory_item" ADD CONSTRAINT "item_code_excl" '
            'EXCLUDE USING btree ("code" WITH =)',
            'ALTER TABLE "inventory_item" DROP CONSTRAINT "item_code_excl"',
        ),
    ]
