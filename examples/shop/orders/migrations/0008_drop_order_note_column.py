from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0007_remove_order_note_from_state")]

    operations = [
        # Release 2: drop the column. Still flagged: deploy it only once no running code
        # uses the column any more, and say so with an ignore comment.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE orders_order DROP COLUMN note",
                    reverse_sql="ALTER TABLE orders_order ADD COLUMN note text NULL",
                ),
            ],
        ),
    ]
