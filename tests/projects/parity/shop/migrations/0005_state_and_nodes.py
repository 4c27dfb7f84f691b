from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0004_alter")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE shop_section ADD COLUMN note varchar(20) NULL",
                    reverse_sql="ALTER TABLE shop_section DROP COLUMN note",
                ),
            ],
            state_operations=[
                migrations.AddField(
                    model_name="section",
                    name="note",
                    field=models.CharField(max_length=20, null=True),
                ),
            ],
        ),
        # an FK and an M2M to itself: the link table's two FKs are dropped and re-added
        migrations.RenameModel(old_name="Node", new_name="Tree"),
        migrations.AlterField(
            model_name="section",
            name="slug",
            field=models.SlugField(max_length=50, db_index=False),
        ),
        migrations.AddField(
            model_name="section",
            name="code",
            field=models.CharField(default="x", max_length=10, unique=True),
            preserve_default=False,
        ),
    ]
