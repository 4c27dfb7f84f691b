from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0019_remove_note_from_state")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.RunSQL(  # DROP_COLUMN at info: the contract step
            'ALTER TABLE "inventory_item" DROP COLUMN "note"',
            'ALTER TABLE "inventory_item" ADD COLUMN "note" text NULL',
        ),
    ]
