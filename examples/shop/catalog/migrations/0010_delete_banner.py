from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_remove_product_catalog_prod_cat_stock_idx")]

    operations = [
        migrations.DeleteModel(
            name="Banner",
        ),
    ]
