from django.db import migrations


def backfill(apps, editor):
    Order = apps.get_model("orders", "Order")
    Order.objects.filter(quantity=0).update(quantity=1)


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [
        # no reverse_code: this migration cannot be rolled back
        migrations.RunPython(backfill),
    ]
