"""``split_sql`` is cached by text; what it returns stays the caller's own."""

from __future__ import annotations

from django_migration_lsp.sqltext import split_sql

SCRIPT = "UPDATE t SET a = 1; -- note\nDELETE FROM u WHERE b = ';';\n\n"


def test_split_is_django_like_and_repeatable() -> None:
    first = split_sql(SCRIPT)
    assert first == ["UPDATE t SET a = 1;", "DELETE FROM u WHERE b = ';';"]
    first.append("changed by the caller")
    first[0] = "also changed"
    assert split_sql(SCRIPT) == ["UPDATE t SET a = 1;", "DELETE FROM u WHERE b = ';';"]
