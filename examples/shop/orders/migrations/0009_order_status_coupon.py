from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0008_drop_order_note_column")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="status",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="order",
            name="coupon",
            field=models.CharField(max_length=20, null=True),
        ),
    ]
