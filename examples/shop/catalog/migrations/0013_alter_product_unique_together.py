from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_alter_product_description")]

    operations = [
        migrations.AlterUniqueTogether(
            name="product",
            unique_together={("category", "sku")},
        ),
    ]
