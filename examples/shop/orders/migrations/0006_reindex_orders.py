from django.db import connection, migrations

# REINDEX is spelled differently by PostgreSQL and SQLite.
if connection.vendor == "postgresql":
    REINDEX = "REINDEX TABLE orders_order"
else:
    REINDEX = "REINDEX orders_order"


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_zero_quantities")]

    operations = [
        migrations.RunSQL(REINDEX, reverse_sql=migrations.RunSQL.noop),
    ]
