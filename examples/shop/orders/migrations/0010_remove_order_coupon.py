from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0009_order_status_coupon")]

    operations = [
        # The code stopped using `coupon` two releases ago.
        migrations.RemoveField(  # migration-lint: ignore[DROP_COLUMN]
            model_name="order",
            name="coupon",
        ),
    ]
