from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("inventory", "0021_sequence_rename")]

    operations = [
        migrations.RunSQL(  # ADD_UNIQUE: duplicates old code writes now fail
            'CREATE UNIQUE INDEX CONCURRENTLY "item_name_uniq" ON "inventory_item" ("name")',
            'DROP INDEX CONCURRENTLY "item_name_uniq"',
        ),
    ]
