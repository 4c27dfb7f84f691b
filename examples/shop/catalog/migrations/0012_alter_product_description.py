from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0011_rename_category_productcategory")]

    operations = [
        # null=True -> NOT NULL: old code writing NULL descriptions fails
        migrations.AlterField(
            model_name="product",
            name="description",
            field=models.TextField(blank=True, default=""),
            preserve_default=True,
        ),
    ]
