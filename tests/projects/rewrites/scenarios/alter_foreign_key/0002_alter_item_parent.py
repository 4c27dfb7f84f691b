import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_initial"),
    ]

    operations = [
        # the foreign key gets its database constraint: PostgreSQL checks every row for it
        migrations.AlterField(
            model_name="item",
            name="parent",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to="shop.item",
            ),
        ),
    ]
