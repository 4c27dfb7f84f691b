"""The LOCK_TIMEOUT rewrite adds its two operations to a literal ``operations`` list only; an
``operations`` built by an expression (``COMMON + [...]``) is left alone instead of crashing."""

from __future__ import annotations

from django_migration_lsp.rewrites.lock_timeout import insert

LITERAL = """\
from django.db import migrations


class Migration(migrations.Migration):
    operations = [
        migrations.RemoveField(model_name="item", name="price"),
    ]
"""

EXPRESSION = """\
from django.db import migrations

COMMON = [migrations.RemoveField(model_name="item", name="price")]


class Migration(migrations.Migration):
    operations = COMMON + [
        migrations.RemoveField(model_name="item", name="code"),
    ]
"""


def test_a_literal_operations_list_gets_the_lock_timeout():
    edited = insert(LITERAL)
    assert edited is not None
    assert "SET LOCAL lock_timeout" in edited


def test_operations_built_by_an_expression_are_left_alone():
    assert insert(EXPRESSION) is None
