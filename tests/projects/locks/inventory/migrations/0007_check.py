from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0006_validate_same_transaction")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.AddConstraint(  # ADD_CHECK
            "item",
            models.CheckConstraint(condition=models.Q(price__gte=0), name="item_price_pos"),
        ),
    ]
