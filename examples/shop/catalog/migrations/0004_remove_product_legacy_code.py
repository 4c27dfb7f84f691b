from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_product_stock")]

    operations = [
        migrations.RemoveField(
            model_name="product",
            name="legacy_code",
        ),
    ]
