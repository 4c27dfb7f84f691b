from django.db import migrations, models


def fill_flags(apps, schema_editor):
    Item = apps.get_model("inventory", "Item")
    Item.objects.filter(flag__isnull=True).update(flag=False)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0017_data_holds_locks")]

    operations = [
        migrations.RunPython(fill_flags, migrations.RunPython.noop),
    ]
