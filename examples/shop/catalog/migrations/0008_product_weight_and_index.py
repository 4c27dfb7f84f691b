from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_product_uniq_product_title_category")]

    operations = [
        # ALTER TABLE takes an exclusive lock, held until this atomic migration commits ...
        migrations.AddField(
            model_name="product",
            name="weight",
            field=models.DecimalField(decimal_places=2, max_digits=6, null=True),
        ),
        # ... while this index builds (and CREATE INDEX blocks writes on its own)
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["category", "stock"], name="catalog_prod_cat_stock_idx"),
        ),
    ]
