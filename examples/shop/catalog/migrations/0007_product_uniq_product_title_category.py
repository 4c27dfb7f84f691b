from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_alter_product_price")]

    operations = [
        migrations.AddConstraint(
            model_name="product",
            constraint=models.UniqueConstraint(
                fields=("title", "category"), name="uniq_product_title_category"
            ),
        ),
    ]
