from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0010_remove_order_coupon")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="priority",
            field=models.IntegerField(default=0),  # migration-lint: ignore
        ),
    ]
