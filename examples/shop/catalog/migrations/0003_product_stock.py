from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_product_description")]

    operations = [
        # NOT NULL with a Django-side default: old code inserting products fails
        migrations.AddField(
            model_name="product",
            name="stock",
            field=models.IntegerField(default=0),
        ),
    ]
