from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Shop",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=50)),
            ],
        ),
        migrations.CreateModel(
            name="Item",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=50)),
                ("price", models.DecimalField(max_digits=10, decimal_places=2)),
                ("qty", models.IntegerField(null=True)),
                ("code", models.CharField(max_length=20, null=True)),
                ("note", models.TextField(null=True)),
                ("shop", models.ForeignKey("inventory.Shop", models.PROTECT, null=True)),
            ],
        ),
    ]
