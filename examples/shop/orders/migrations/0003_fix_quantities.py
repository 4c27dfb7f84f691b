from django.db import migrations

from orders.models import Order  # today's model, not the historical one


def fix_quantities(apps, schema_editor):
    Order.objects.filter(quantity__gt=1000).update(quantity=1000)


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_backfill_quantities")]

    operations = [
        migrations.RunPython(fix_quantities, reverse_code=migrations.RunPython.noop),
    ]
