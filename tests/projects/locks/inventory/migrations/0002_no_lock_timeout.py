from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [
        migrations.AddField("item", "flag", models.BooleanField(null=True)),  # LOCK_TIMEOUT
    ]
