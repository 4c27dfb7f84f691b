from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_reindex_orders")]

    operations = [
        # Release 1 of a safe column removal: Django forgets the field, the column stays.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="order", name="note"),
            ],
        ),
    ]
