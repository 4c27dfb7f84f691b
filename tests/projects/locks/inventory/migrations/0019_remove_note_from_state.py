from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0018_data_on_its_own")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField("item", "note")],
        ),
    ]
