from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_rename_name_product_title")]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="price",
            field=models.DecimalField(decimal_places=2, max_digits=12),
        ),
    ]
