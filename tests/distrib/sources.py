"""Migration sources shared by the tests of this package."""

DROP = """\
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.RemoveField(
            model_name="item",
            name="price",
        ),
    ]
"""
