from django.db import migrations, models

from django_migration_lsp.operations import IgnoreMigration


class Migration(migrations.Migration):
    dependencies = [("orders", "0011_order_priority")]

    operations = [
        IgnoreMigration(),
        migrations.AlterField(
            model_name="order",
            name="status",
            field=models.CharField(max_length=40, null=True),
        ),
    ]
