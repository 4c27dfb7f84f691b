from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_delete_banner")]

    operations = [
        migrations.RenameModel(
            old_name="Category",
            new_name="ProductCategory",
        ),
    ]
