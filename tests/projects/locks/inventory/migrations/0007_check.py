import django
from django.db import migrations, models

# CheckConstraint's argument is `condition` from Django 5.1 (`check` before, removed in 6.0)
CONDITION = "condition" if django.VERSION >= (5, 1) else "check"


class Migration(migrations.Migration):
    dependencies = [("inventory", "0006_validate_same_transaction")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.AddConstraint(  # ADD_CHECK
            "item",
            models.CheckConstraint(**{CONDITION: models.Q(price__gte=0)}, name="item_price_pos"),
        ),
    ]
