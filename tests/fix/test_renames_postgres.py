"""RenameField / RenameModel rewritten to keep the database's names, on a real project and a
real PostgreSQL: the rewritten migration leaves the schema exactly as it was before it (that is
the point: old code keeps working), the renamed models read and write the kept column/table,
``makemigrations`` sees no change with the edited models.py, the migrations go back to zero, a
second ``fix`` changes nothing and ``lint`` no longer reports the rename."""

from __future__ import annotations

import pytest

from .projects import cli, manage, schema
from .renames import copy_rename, project_files
from .test_rewrites_postgres import lint_codes

#: scenario -> (code on the original, what models.py gains, ORM code run on the rewritten)
SCENARIOS = {
    "rename_field": (
        "RENAME_COLUMN",
        'title = models.CharField(max_length=50, db_column="name")',
        "i = Item.objects.create(title='a'); print(Item.objects.get(pk=i.pk).title)",
    ),
    "rename_foreign_key": (
        "RENAME_COLUMN",
        'db_column="item_id",',
        "i = Item.objects.create(name='a'); Order.objects.create(product=i); "
        "print(Order.objects.get().product.name)",
    ),
    "rename_m2m_field": (
        "RENAME_TABLE",
        'labels = models.ManyToManyField(Tag, db_table="shop_item_tags")',
        "t = Tag.objects.create(label='a'); i = Item.objects.create(name='x'); "
        "i.labels.add(t); print(i.labels.get().label)",
    ),
    "rename_model": (
        "RENAME_TABLE",
        'db_table = "shop_item"',
        "p = Product.objects.create(name='a'); Order.objects.create(item=p); "
        "print(Order.objects.get().item.name)",
    ),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_safe_rename_keeps_the_database_as_it_was(scenario, tmp_path, postgres_server):
    code, models_line, orm = SCENARIOS[scenario]
    original = copy_rename(scenario, tmp_path / "original")
    rewritten = copy_rename(scenario, tmp_path / "rewritten")
    db_a = postgres_server.create_database(f"rename_{scenario}_a")
    db_b = postgres_server.create_database(f"rename_{scenario}_b")
    url_a, url_b = postgres_server.url(db_a), postgres_server.url(db_b)
    assert code in lint_codes(original, url_a)
    before = project_files(rewritten)
    name = next(n for n in before if n.startswith("0002"))[:-3]

    run = cli(rewritten, url_b, "fix", ".", "shop", name)
    assert run.code == 0, run.stderr
    assert "changed shop/models.py" in run.stdout
    after = project_files(rewritten)
    assert after[f"{name}.py"] != before[f"{name}.py"]
    assert models_line in after["models.py"] and models_line not in before["models.py"]

    assert manage(original, url_a, "migrate", "shop").code == 0
    assert manage(rewritten, url_b, "migrate", "shop", "0001").code == 0
    kept = schema(postgres_server, db_b)
    migrated = manage(rewritten, url_b, "migrate", "shop")
    assert migrated.code == 0, migrated.stderr
    assert schema(postgres_server, db_b) == kept  # nothing renamed in the database
    assert schema(postgres_server, db_a) != kept  # (the original did rename it)
    used = manage(rewritten, url_b, "shell", "-c", f"from shop.models import *; {orm}")
    assert used.code == 0 and used.stdout.splitlines()[-1] == "a", used.stderr

    check = manage(rewritten, url_b, "makemigrations", "--check", "--dry-run", "shop")
    assert check.code == 0, check.stdout + check.stderr
    assert not {code, "LOCK_TIMEOUT"} & lint_codes(rewritten, url_b)

    again = cli(rewritten, url_b, "fix", ".", "shop", name)
    assert again.code == 0, again.stderr
    assert "nothing to rewrite" in again.stdout
    assert project_files(rewritten) == after

    back = manage(rewritten, url_b, "migrate", "shop", "zero")
    assert back.code == 0, back.stderr
    tables = postgres_server.query(
        db_b, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'shop_%'"
    )
    assert tables == []
