"""Quick-fix edits (pure): each result still compiles and has the intended effect."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

from django_migration_lsp.edits import (
    add_ignore_comment,
    add_ignore_migration,
    apply_edits,
)
from django_migration_lsp.lsp.pyproject_edit import exclude_code_in_pyproject
from django_migration_lsp.source import parse_migration_source

MIGRATION = '''\
from django.db import migrations


class Migration(migrations.Migration):
    operations = [
        migrations.RunSQL("""
            ALTER TABLE t DROP COLUMN c
        """),
        migrations.RemoveField(model_name="item", name="price"),  # keep this note
    ]
'''


def edited(text: str, edits) -> str:
    result = apply_edits(text, edits)
    compile(result, "m.py", "exec")
    return result


def test_comment_goes_after_a_multiline_string_and_extends_existing_comments():
    source = parse_migration_source(MIGRATION)
    text = edited(MIGRATION, add_ignore_comment(source, 0, None, "DROP_COLUMN"))
    assert '"""),  # migration-lint: ignore[DROP_COLUMN]' in text
    source = parse_migration_source(text)
    assert source.is_ignored(0, None, "DROP_COLUMN") and not source.is_ignored(
        1, None, "DROP_COLUMN"
    )
    text = edited(text, add_ignore_comment(source, 1, None, "DROP_COLUMN"))
    assert "# keep this note  # migration-lint: ignore[DROP_COLUMN]" in text
    source = parse_migration_source(text)
    assert source.is_ignored(1, None, "DROP_COLUMN")
    text = edited(text, add_ignore_comment(source, 1, None, "NOT_NULL"))
    assert "ignore[DROP_COLUMN, NOT_NULL]" in text
    assert add_ignore_comment(parse_migration_source(text), 1, None, "NOT_NULL") == []


def test_ignore_migration_adds_one_import_and_first_operation():
    text = edited(MIGRATION, add_ignore_migration(parse_migration_source(MIGRATION)))
    source = parse_migration_source(text)
    assert source.ignore_migration and source.operations[0].name == "IgnoreMigration"
    assert text.count("import IgnoreMigration") == 1
    assert add_ignore_migration(source) == []
    other = "from django_migration_linter import IgnoreMigration\n" + MIGRATION
    text = edited(other, add_ignore_migration(parse_migration_source(other)))
    assert text.count("import IgnoreMigration") == 1
    empty = "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = []\n"
    text = edited(empty, add_ignore_migration(parse_migration_source(empty)))
    assert "operations = [IgnoreMigration()]" in text


def test_pyproject_exclusion_keeps_the_file():
    assert tomllib.loads(exclude_code_in_pyproject(None, "drop_column")) == {
        "tool": {"django-migration-lsp": {"exclude_migration_tests": ["DROP_COLUMN"]}}
    }
    original = (
        '[project]\nname = "x"  # the name\n\n[tool.django-migration-lsp]\n'
        'exclude_migration_tests = [\n    "CREATE_INDEX",  # small tables\n]\n'
    )
    result = exclude_code_in_pyproject(original, "DROP_COLUMN")
    assert result.startswith('[project]\nname = "x"  # the name\n')
    assert "# small tables" in result
    section = tomllib.loads(result)["tool"]["django-migration-lsp"]
    assert section["exclude_migration_tests"] == ["CREATE_INDEX", "DROP_COLUMN"]
    assert exclude_code_in_pyproject(result, "DROP_COLUMN") == result
