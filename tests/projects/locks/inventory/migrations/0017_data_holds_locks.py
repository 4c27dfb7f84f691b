from django.db import migrations, models


def fill_flags(apps, schema_editor):
    Item = apps.get_model("inventory", "Item")
    Item.objects.filter(flag__isnull=True).update(flag=False)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0016_concurrently_non_atomic")]

    operations = [
        migrations.RunSQL("SET LOCAL lock_timeout = '5s'", migrations.RunSQL.noop),
        migrations.RunSQL('ALTER TABLE "inventory_item" DROP CONSTRAINT "item_shop_fk"', ""),
        migrations.RunPython(fill_flags, migrations.RunPython.noop),  # DATA_MIGRATION_HOLDS_LOCKS
    ]
