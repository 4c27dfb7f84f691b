from django.contrib.postgres.operations import CreateExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0006_bigint")]

    # PostgreSQL only (a no-op elsewhere); migrate asks pg_extension whether it is installed
    operations = [CreateExtension("pg_trgm")]
