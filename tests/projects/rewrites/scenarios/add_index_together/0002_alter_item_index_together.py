from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_initial"),
    ]

    operations = [
        # written before Django 5.1 removed Meta.index_together; the operation still runs
        migrations.AlterIndexTogether(
            name="item",
            index_together={("name", "code")},
        ),
    ]
