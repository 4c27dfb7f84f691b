"""Operation rules over ``RenderedOperation.facts`` (what the operation does, vendor-neutral).

Used where the SQL cannot tell: vendors whose backend could not be loaded, operations that
could not be rendered, SQLite table rebuilds (which recreate the whole table for any change).
Missing keys mean "not applicable"; nothing here raises on partial facts.
"""

from __future__ import annotations

from typing import Any

from .sql import _table_detail


def facts_hits(
    facts: dict[str, Any], vendor: str, created_tables: set[str]
) -> list[tuple[str, str]]:
    """(code, detail) pairs for one operation's facts."""
    hits: list[tuple[str, str]] = []
    added = facts.get("column_added")
    if isinstance(added, dict):
        table = added.get("table")
        if (
            added.get("null") is False
            and not added.get("db_default")
            and table not in created_tables
        ):
            hits.append(("NOT_NULL", _table_detail(table, added.get("column"))))
    dropped = facts.get("column_dropped")
    if isinstance(dropped, dict) and dropped.get("table") not in created_tables:
        hits.append(("DROP_COLUMN", _table_detail(dropped.get("table"), dropped.get("column"))))
    for table in facts.get("tables_dropped") or []:
        if table not in created_tables:
            hits.append(("DROP_TABLE", _table_detail(table)))
            break
    renamed = facts.get("column_renamed")
    if isinstance(renamed, dict) and renamed.get("table") not in created_tables:
        hits.append(("RENAME_COLUMN", _table_detail(renamed.get("table"), renamed.get("old"))))
    table_renamed = facts.get("table_renamed")
    if isinstance(table_renamed, (list, tuple)) and len(table_renamed) == 2:
        hits.append(("RENAME_TABLE", _table_detail(table_renamed[0])))
    altered = facts.get("column_altered")
    if isinstance(altered, dict) and altered.get("table") not in created_tables:
        detail = _table_detail(altered.get("table"), altered.get("column"))
        old_type, new_type = altered.get("old_type"), altered.get("new_type")
        if old_type is not None and new_type is not None and old_type != new_type:
            hits.append(("ALTER_COLUMN", detail))
        tightened = altered.get("old_null") is True and altered.get("new_null") is False
        if tightened and not altered.get("db_default"):
            hits.append(("NOT_NULL", detail))
        if altered.get("old_unique") is False and altered.get("new_unique") is True:
            hits.append(("ADD_UNIQUE", detail))
    unique = facts.get("unique_added")
    if isinstance(unique, dict) and unique.get("table") not in created_tables:
        hits.append(("ADD_UNIQUE", _table_detail(unique.get("table"))))
    if vendor == "postgresql":
        index = facts.get("index_added")
        if (
            isinstance(index, dict)
            and index.get("table") not in created_tables
            and not index.get("concurrently")
        ):
            hits.append(("CREATE_INDEX", _table_detail(index.get("table"))))
        index_dropped = facts.get("index_dropped")
        if isinstance(index_dropped, dict) and not index_dropped.get("concurrently"):
            hits.append(("DROP_INDEX", _table_detail(index_dropped.get("table"))))
    return hits
