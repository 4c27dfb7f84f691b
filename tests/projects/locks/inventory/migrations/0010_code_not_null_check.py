import django
from django.db import migrations, models

# CheckConstraint's argument is `condition` from Django 5.1 (`check` before, removed in 6.0)
CONDITION = "condition" if django.VERSION >= (5, 1) else "check"


class Migration(migrations.Migration):
    dependencies = [("inventory", "0009_not_null_scan")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddConstraint(
                    "item",
                    models.CheckConstraint(
                        **{CONDITION: models.Q(code__isnull=False)}, name="item_code_not_null"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'ALTER TABLE "inventory_item" ADD CONSTRAINT "item_code_not_null" '
                    'CHECK ("code" IS NOT NULL) NOT VALID',
                    'ALTER TABLE "inventory_item" DROP CONSTRAINT "item_code_not_null"',
                ),
            ],
        ),
    ]
