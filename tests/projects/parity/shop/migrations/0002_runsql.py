from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [
        # parameters are quoted by the driver (MySQL: needs no connection offline)
        migrations.RunSQL(
            [("UPDATE shop_category SET name = %s WHERE slug = %s", ["it's 100%", "x"])],
            reverse_sql=migrations.RunSQL.noop,
        ),
        # one string, two statements: the server runs it as it is
        migrations.RunSQL(
            "UPDATE shop_product SET stock = 0 WHERE stock > 100; "
            "UPDATE shop_product SET stock = 1 WHERE stock = 0",
            reverse_sql=migrations.RunSQL.noop,
        ),
        # no parameters: a literal % is written as it runs
        migrations.RunSQL(
            "UPDATE shop_category SET slug = 'a' WHERE name LIKE 'x%'",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
