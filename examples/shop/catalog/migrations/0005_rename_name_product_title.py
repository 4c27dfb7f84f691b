from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_remove_product_legacy_code")]

    operations = [
        migrations.RenameField(
            model_name="product",
            old_name="name",
            new_name="title",
        ),
    ]
