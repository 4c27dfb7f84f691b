from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_alter_product_unique_together")]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="sku",
            field=models.CharField(max_length=32, unique=True),
        ),
    ]
