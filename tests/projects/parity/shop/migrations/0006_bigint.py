from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0005_state_and_nodes")]

    operations = [
        # the sequence keeps the name it was created with (shop_category_id_seq)
        migrations.AlterField(
            model_name="section",
            name="id",
            field=models.BigAutoField(auto_created=True, primary_key=True, serialize=False),
        ),
        migrations.RemoveField(model_name="tree", name="links"),
        migrations.DeleteModel(name="Tree"),
    ]
