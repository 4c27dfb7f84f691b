from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_runsql")]

    operations = [
        migrations.RenameField(model_name="product", old_name="category", new_name="group"),
        migrations.RenameModel(old_name="Category", new_name="Section"),
        migrations.AlterModelTable(name="product", table="shop_article"),
    ]
