from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_product_weight_and_index")]

    operations = [
        migrations.RemoveIndex(
            model_name="product",
            name="catalog_prod_cat_stock_idx",
        ),
    ]
