from django.db import migrations, models

try:
    from django_migration_lsp.operations import IgnoreMigration
except ImportError:  # the linter is not installed here: a no-op of the same name
    from django.db.migrations import RunPython as _RunPython

    class IgnoreMigration(_RunPython):
        def __init__(self):
            super().__init__(_RunPython.noop, _RunPython.noop, elidable=True)


class Migration(migrations.Migration):
    dependencies = [("orders", "0011_order_priority")]

    operations = [
        IgnoreMigration(),
        migrations.AlterField(
            model_name="order",
            name="status",
            field=models.CharField(max_length=40, null=True),
        ),
    ]
