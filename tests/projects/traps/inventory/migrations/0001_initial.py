from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Warehouse",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=20)),
                ("city", models.CharField(max_length=50)),
            ],
        ),
        migrations.AlterUniqueTogether(name="warehouse", unique_together={("code", "city")}),
        migrations.AlterIndexTogether(name="warehouse", index_together={("code", "city")}),
        migrations.CreateModel(
            name="Item",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sku", models.CharField(max_length=30, unique=True)),
                ("name", models.CharField(max_length=100, db_index=True)),
                ("quantity", models.PositiveIntegerField(default=0)),
                ("label", models.CharField(max_length=40)),
            ],
        ),
    ]
