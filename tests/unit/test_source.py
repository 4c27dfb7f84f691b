"""The source map: operation ranges, ignore comments, IgnoreMigration (pure)."""

from __future__ import annotations

import pytest

from django_migration_lsp.findings import Span
from django_migration_lsp.source import (
    SourceDecodeError,
    parse_migration_source,
    read_source_file,
    unknown_ignore_codes,
)

MIGRATION = '''\
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.AddField("item", "label", models.CharField(default="é", max_length=5)), migrations.RemoveField(
            model_name="item",
            name="price",  # migration-lint: ignore[drop_column, NOT_NULL]
        ),
        migrations.RunSQL(
            """
            -- migration-lint: ignore (inside a string: not a comment)
            UPDATE shop_item SET label = 'x'
            """,
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL("ALTER TABLE t DROP COLUMN c"),  # migration-lint: ignore
                migrations.RunSQL("SELECT 1"),
            ],
        ),
    ]
'''


def test_operation_spans_in_code_points():
    source = parse_migration_source(MIGRATION, "m.py")
    assert source.syntax_error is None
    assert [o.name for o in source.operations] == [
        "AddField",
        "RemoveField",
        "RunSQL",
        "SeparateDatabaseAndState",
    ]
    add, remove = source.operations[0], source.operations[1]
    assert add.span == Span(8, 8, 8, 89)  # "é" is one column, two UTF-8 bytes
    assert remove.span == Span(8, 91, 11, 9)
    assert source.span_for(1) == remove.span
    assert source.operations_line_span == Span(7, 4, 7, 18)


def test_ignore_comments():
    source = parse_migration_source(MIGRATION)
    assert source.is_ignored(1, None, "DROP_COLUMN")
    assert source.is_ignored(1, None, "NOT_NULL")
    assert not source.is_ignored(1, None, "RENAME_COLUMN")
    assert not source.is_ignored(2, None, "DROP_COLUMN")  # the marker is inside a string
    assert source.is_ignored(3, 0, "DROP_COLUMN")  # bare ignore on the sub-operation
    assert not source.is_ignored(3, 1, "DROP_COLUMN")
    assert unknown_ignore_codes(source, {"DROP_COLUMN", "NOT_NULL"}) == []
    assert [c for c, _ in unknown_ignore_codes(source, {"DROP_COLUMN"})] == ["NOT_NULL"]


def test_sub_operation_spans():
    source = parse_migration_source(MIGRATION)
    subs = source.operations[3].sub_operations
    assert [s.name for s in subs] == ["RunSQL", "RunSQL"]
    assert source.span_for(3, 1) == subs[1].span


@pytest.mark.parametrize("module", ["", "migrations.", "django_migration_linter.", "dml."])
def test_ignore_migration_by_name(module: str):
    text = MIGRATION.replace(
        "    operations = [\n", f"    operations = [\n        {module}IgnoreMigration(),\n"
    )
    source = parse_migration_source(text)
    assert source.ignore_migration
    assert source.operations[0].name == "IgnoreMigration"


def test_dynamic_operations_fall_back_to_the_operations_line():
    text = "from django.db import migrations\nOPS = []\n\nclass Migration(migrations.Migration):\n    operations: list = OPS + []\n"
    source = parse_migration_source(text)
    assert source.operations is None
    assert source.span_for(0) == Span(5, 4, 5, 31)


def test_syntax_error_half_way_through_typing():
    text = MIGRATION.replace('name="price",', 'name="price",\n            migrations.AddField(')
    text = text.replace(
        "        ),\n        migrations.RunSQL(", "        ,\n        migrations.RunSQL(", 1
    )
    source = parse_migration_source(text)
    assert source.syntax_error is not None
    assert source.syntax_error.span.line >= 8
    assert source.operations is None


def test_read_source_file_locates_bad_bytes(tmp_path):
    path = tmp_path / "0002.py"
    path.write_bytes(b"x = 1\ny = 'caf\xe9'\n")
    with pytest.raises(SourceDecodeError) as info:
        read_source_file(str(path))
    assert (info.value.line, info.value.col) == (2, 8)
    assert "UTF-8" in info.value.message
    path.write_bytes(b"# -*- coding: latin-1 -*-\ny = 'caf\xe9'\n")
    assert "café" in read_source_file(str(path))


VENDOR_BRANCHES = """\
from django.db import connection, migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    if connection.vendor == "postgresql":
        operations = [
            migrations.RunSQL("SELECT 1", "SELECT 1"),
            migrations.RunSQL("DROP TABLE shop_item"),
        ]
    else:
        operations = [
            migrations.RunSQL("SELECT 2"),
        ]
"""


def test_operations_under_a_connection_vendor_test_map_to_their_calls():
    # wagtail assigns ``operations`` inside ``if connection.vendor == "postgresql":``
    source = parse_migration_source(VENDOR_BRANCHES)
    assert source.for_vendor("postgresql").span_for(1) == Span(10, 12, 10, 53)
    assert [op.span.line for op in source.operations] == [9, 10]
    assert source.for_vendor("sqlite").span_for(0) == Span(14, 12, 14, 41)
    assert len(source.operations) == 1


def test_static_findings_of_a_vendor_branch_point_at_the_operation():
    from django_migration_lsp.config import LintOptions
    from django_migration_lsp.verdicts import static_verdict

    source = parse_migration_source(VENDOR_BRANCHES)
    result = static_verdict("shop", "0002", None, source, LintOptions(), "postgresql")
    reversible = [f for f in result.findings if f.code == "RUNSQL_REVERSIBLE"]
    assert [f.span.line for f in reversible] == [10]
