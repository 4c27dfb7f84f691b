from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0004_normalise_orders")]

    operations = [
        migrations.RunSQL("UPDATE orders_order SET quantity = 1 WHERE quantity = 0"),
    ]
