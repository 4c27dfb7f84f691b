import django
import django.db.models.deletion
from django.db import migrations, models

# ``check=`` became ``condition=`` in Django 5.1
POSITIVE = {"condition" if django.VERSION >= (5, 1) else "check": models.Q(price__gte=0)}


class Migration(migrations.Migration):
    dependencies = [("shop", "0003_renames")]

    operations = [
        # drops the index created as shop_product_title_... before the table was renamed
        migrations.AlterField(model_name="product", name="title", field=models.CharField(max_length=120)),
        # drops the unique constraint created on shop_category
        migrations.AlterField(model_name="section", name="name", field=models.CharField(max_length=60)),
        migrations.AlterField(
            model_name="product",
            name="group",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, to="shop.section"
            ),
        ),
        migrations.RemoveConstraint(model_name="product", name="shop_price_title_uniq"),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(name="shop_price_positive", **POSITIVE),
        ),
    ]
