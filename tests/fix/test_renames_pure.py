"""The rename rewrites and the models.py source edits as pure functions (no Django, no server):
what they write, what they keep byte for byte, and what they refuse and why."""

from __future__ import annotations

import ast
import re

import pytest

from django_migration_lsp.rewrites import MigrationInput, RenderedOp, fix_migration
from django_migration_lsp.rewrites.model import SourceFile
from django_migration_lsp.rewrites.models_source import (
    SourceProblem,
    db_table_edit,
    field_call,
    find_model,
    keyword_edit,
)
from django_migration_lsp.rewrites.pysource import PySource, apply_edits
from django_migration_lsp.rewrites.rename_field_text import migration_field_text

from .renames import RENAMES

RENAME_FIELD = (RENAMES / "rename_field" / "0002_rename_item_name_title.py").read_text()
RENAME_MODEL = (RENAMES / "rename_model_m2m" / "0002_rename_tag_label.py").read_text()
FIELD_MODELS = (RENAMES / "rename_field" / "models.py").read_text()
RENAME_COLUMN = ['ALTER TABLE "shop_item" RENAME COLUMN "name" TO "title";']


def model(text: str, name: str = "Item", path: str = "/p/shop/models.py"):
    return find_model([SourceFile(path, text)], name)


def with_keyword(text: str, attribute: str, key: str, value: str) -> str:
    found = model(text)
    edit = keyword_edit(found.source, field_call(found, attribute), key, value)
    return text if edit is None else apply_edits(text, [edit])


def with_db_table(text: str, table: str) -> str:
    edit = db_table_edit(model(text), table)
    return text if edit is None else apply_edits(text, [edit])


CLASS = "class Item(models.Model):\n    title = models.CharField(max_length=50)\n"


def test_a_keyword_is_added_to_the_fields_call_and_nothing_else_changes():
    text = "# top\n" + CLASS + "    price = models.IntegerField()  # kept\n"
    assert with_keyword(text, "title", "db_column", "name") == (
        "# top\nclass Item(models.Model):\n"
        '    title = models.CharField(max_length=50, db_column="name")\n'
        "    price = models.IntegerField()  # kept\n"
    )


def test_a_call_with_one_argument_a_line_gets_the_keyword_on_its_own_line():
    text = "class Item(models.Model):\n    parent = models.ForeignKey(\n        Other,\n        on_delete=models.CASCADE,\n    )\n"
    assert with_keyword(text, "parent", "db_column", "item_id") == (
        "class Item(models.Model):\n    parent = models.ForeignKey(\n        Other,\n"
        '        on_delete=models.CASCADE,\n        db_column="item_id",\n    )\n'
    )


def test_an_existing_keyword_is_replaced_and_an_equal_one_left_alone():
    text = 'class Item(models.Model):\n    title = models.CharField(db_column="x")\n'
    assert 'db_column="name")' in with_keyword(text, "title", "db_column", "name")
    same = 'class Item(models.Model):\n    title = models.CharField(db_column="name")\n'
    assert with_keyword(same, "title", "db_column", "name") == same


def test_a_call_with_kwargs_is_refused():
    text = "class Item(models.Model):\n    title = models.CharField(**OPTIONS)\n"
    with pytest.raises(SourceProblem, match=r"\*\*kwargs"):
        with_keyword(text, "title", "db_column", "name")


def test_a_class_without_meta_gets_one_with_db_table():
    assert with_db_table(CLASS + "\n\nclass Other(models.Model):\n    pass\n", "shop_item") == (
        CLASS
        + '\n    class Meta:\n        db_table = "shop_item"\n\n\nclass Other(models.Model):\n'
        "    pass\n"
    )


def test_db_table_goes_first_into_an_existing_meta_or_replaces_the_one_there():
    meta = CLASS + '\n    class Meta:\n        ordering = ["title"]\n'
    assert with_db_table(meta, "shop_item") == (
        CLASS + '\n    class Meta:\n        db_table = "shop_item"\n        ordering = ["title"]\n'
    )
    other = CLASS + '\n    class Meta:\n        db_table = "elsewhere"\n'
    assert with_db_table(other, "shop_item") == (
        CLASS + '\n    class Meta:\n        db_table = "shop_item"\n'
    )
    assert with_db_table(with_db_table(meta, "shop_item"), "shop_item") == with_db_table(
        meta, "shop_item"
    )
    one_line = CLASS + "    class Meta: ordering = []\n"
    assert 'class Meta: db_table = "shop_item"; ordering = []' in with_db_table(
        one_line, "shop_item"
    )


def test_the_model_is_found_in_a_models_package_and_a_missing_one_is_named():
    files = [
        SourceFile("/p/shop/models/a.py", "class Other:\n    pass\n"),
        SourceFile("/p/shop/models/b.py", CLASS),
    ]
    assert find_model(files, "item").path == "/p/shop/models/b.py"
    with pytest.raises(
        SourceProblem,
        match=re.escape("no class named Product in /p/shop/models/a.py, /p/shop/models/b.py"),
    ):
        find_model(files, "Product")
    with pytest.raises(SourceProblem, match="several classes named Item"):
        find_model([*files, SourceFile("/p/shop/models/c.py", CLASS)], "Item")


def field_text(models_text: str, attribute: str, migration: str = RENAME_FIELD):
    found = model(models_text)
    call = field_call(found, attribute)
    return migration_field_text(found, call, "shop", PySource(migration), ("db_column", "old"), 16)


def test_the_field_for_the_migration_repeats_absolute_imports_and_names_models_by_label():
    text = (
        "from django.db import models\nfrom shop_fields.money import Money\n\n\n"
        "class Other(models.Model):\n    pass\n\n\n"
        "class Item(models.Model):\n"
        "    price = Money(max_digits=5)\n"
        "    other = models.ForeignKey(Other, on_delete=models.CASCADE, default=dict)\n"
    )
    price = field_text(text, "price")
    assert price.text == 'Money(max_digits=5, db_column="old")'
    assert price.imports == ("from shop_fields.money import Money",)
    other = field_text(text, "other")
    assert other.text == (
        'models.ForeignKey("shop.Other", on_delete=models.CASCADE, default=dict, db_column="old")'
    )


@pytest.mark.parametrize(
    ("models_text", "message"),
    [
        (
            "from django.db import models\nfrom crm.models import Customer\n\nclass Item:\n"
            "    buyer = models.ForeignKey(Customer, on_delete=models.CASCADE)\n",
            "the relation's target `Customer` is imported from a models module",
        ),
        (
            "from .fields import Money\n\nclass Item:\n    price = Money()\n",
            "`Money` comes from a relative import",
        ),
        (
            "from django.db import models\nCHOICES = []\n\nclass Item:\n    kind = models.CharField(choices=CHOICES)\n",
            "uses `CHOICES`, defined in models.py",
        ),
    ],
)
def test_a_name_the_migration_cannot_see_is_refused_with_the_name(models_text, message):
    with pytest.raises(SourceProblem, match=message):
        field_text(models_text, _fields(models_text)[0])


def _fields(text: str):
    cls = next(n for n in ast.parse(text).body if isinstance(n, ast.ClassDef))
    return [s.targets[0].id for s in cls.body if isinstance(s, ast.Assign)]


def rename_input(**changes) -> MigrationInput:
    values = dict(
        app="shop",
        name="0002_rename_item_name_title",
        path="/p/shop/migrations/0002_rename_item_name_title.py",
        text=RENAME_FIELD,
        vendor="postgresql",
        operations=(RenderedOp(0, "RenameField", tuple(RENAME_COLUMN)),),
        leaf=True,
        models=(SourceFile("/p/shop/models.py", FIELD_MODELS),),
    )
    values.update(changes)
    return MigrationInput(**values)


def test_fix_rewrites_the_migration_and_models_py_together():
    result = fix_migration(rename_input())
    [rewritten] = result.rewritten
    assert rewritten.code == "RENAME_COLUMN"
    assert "also edits shop/models.py" in rewritten.title
    assert "migrations.SeparateDatabaseAndState(" in result.text
    assert "database_operations" not in result.text
    assert 'field=models.CharField(max_length=50, db_column="name")' in result.text
    assert "from django.db import migrations, models\n" in result.text
    [models_py] = result.other_files
    assert models_py.path == "/p/shop/models.py"
    assert 'title = models.CharField(max_length=50, db_column="name")' in models_py.text
    assert "lock_timeout" not in result.text  # the rename runs no SQL any more


def test_a_many_to_many_field_keeps_its_table_with_db_table():
    models_text = FIELD_MODELS.replace(
        "title = models.CharField(max_length=50)", 'labels = models.ManyToManyField("Tag")'
    )
    text = RENAME_FIELD.replace('"title"', '"labels"').replace('"name"', '"tags"')
    result = fix_migration(
        rename_input(
            text=text,
            operations=(
                RenderedOp(
                    0,
                    "RenameField",
                    ('ALTER TABLE "shop_item_tags" RENAME TO "shop_item_labels";',),
                ),
            ),
            models=(SourceFile("/p/shop/models.py", models_text),),
        )
    )
    assert [r.code for r in result.rewritten] == ["RENAME_TABLE"]
    assert 'field=models.ManyToManyField("Tag", db_table="shop_item_tags")' in result.text


def test_a_rename_model_that_renames_many_to_many_columns_is_not_rewritten_and_says_which():
    statements = (
        'ALTER TABLE "shop_tag" RENAME TO "shop_label";',
        'SET CONSTRAINTS "c" IMMEDIATE; ALTER TABLE "shop_item_tags" DROP CONSTRAINT "c";',
        'ALTER TABLE "shop_item_tags" RENAME COLUMN "tag_id" TO "label_id";',
        'ALTER TABLE "shop_item_tags" ADD CONSTRAINT "d" FOREIGN KEY ("label_id") REFERENCES "shop_label" ("id") DEFERRABLE INITIALLY DEFERRED;',
    )
    result = fix_migration(
        rename_input(text=RENAME_MODEL, operations=(RenderedOp(0, "RenameModel", statements),)),
        ["RENAME_TABLE"],
    )
    assert not result.changed
    [skipped] = result.skipped
    assert skipped.code == "RENAME_TABLE"
    assert '"tag_id" of table "shop_item_tags" are named after the model' in skipped.reason
    assert "explicit through model" in skipped.reason


def test_only_a_leaf_migration_is_rewritten():
    result = fix_migration(
        rename_input(leaf=False, dependents=("shop.0003_more",)), ["RENAME_COLUMN"]
    )
    assert not result.changed
    [skipped] = result.skipped
    assert "shop.0003_more come(s) after this one" in skipped.reason


def test_a_rename_that_also_runs_other_sql_is_refused_and_other_codes_leave_it_alone():
    extra = (*RENAME_COLUMN, 'ALTER TABLE "shop_item" ALTER COLUMN "title" TYPE text;')
    result = fix_migration(
        rename_input(operations=(RenderedOp(0, "RenameField", extra),)), ["RENAME_COLUMN"]
    )
    assert not result.changed
    assert "which a db_column or db_table alone does not keep" in result.skipped[0].reason
    assert not fix_migration(rename_input(), ["CREATE_INDEX"]).changed


def test_a_field_missing_from_models_py_is_named():
    models = (SourceFile("/p/shop/models.py", "x = 1\n"),)
    result = fix_migration(rename_input(models=models), ["RENAME_COLUMN"])
    assert not result.changed
    assert "no class named item in /p/shop/models.py" in result.skipped[0].reason


def test_a_model_with_changes_no_migration_has_is_not_rewritten():
    result = fix_migration(rename_input(pending_models=frozenset({"item"})), ["RENAME_COLUMN"])
    assert not result.changed
    assert "models.py changes model item" in result.skipped[0].reason
