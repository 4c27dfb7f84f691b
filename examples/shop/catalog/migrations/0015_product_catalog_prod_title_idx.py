"""The safe way to add an index on PostgreSQL: CONCURRENTLY, outside a transaction.

AddIndexConcurrently only exists on PostgreSQL (and importing it needs psycopg), so on other
databases this migration adds the same index the plain way.
"""

from django.db import connection, migrations, models

INDEX = models.Index(fields=["title"], name="catalog_prod_title_idx")

if connection.vendor == "postgresql":
    from django.contrib.postgres.operations import AddIndexConcurrently

    OPERATIONS = [AddIndexConcurrently(model_name="product", index=INDEX)]
else:
    OPERATIONS = [migrations.AddIndex(model_name="product", index=INDEX)]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("catalog", "0014_alter_product_sku")]

    operations = OPERATIONS
