from django.db import migrations


def normalise(apps, schema_editor):
    OrderModel = apps.get_model("orders", "Order")
    OrderModel.objects.filter(quantity__lt=1).update(quantity=1)


class Migration(migrations.Migration):
    dependencies = [("orders", "0003_fix_quantities")]

    operations = [
        migrations.RunPython(normalise, reverse_code=migrations.RunPython.noop),
    ]
