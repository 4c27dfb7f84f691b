"""Operation rules over ``OperationFacts`` (what the operation does, vendor-neutral).

Used where the SQL cannot tell: vendors whose backend could not be loaded, operations that
could not be rendered, SQLite table rebuilds (which recreate the whole table for any change).
Unknown fields are ``None``; nothing here raises on partial facts.
"""

from __future__ import annotations

from ..facts_schema import OperationFacts
from .sql import _table_detail


def facts_hits(
    facts: OperationFacts, vendor: str, created_tables: set[str]
) -> list[tuple[str, str]]:
    """(code, detail) pairs for one operation's facts."""
    hits: list[tuple[str, str]] = []
    added = facts.column_added
    adds_not_null = added is not None and added.null is False and not added.db_default
    if added is not None and adds_not_null and added.table not in created_tables:
        hits.append(("NOT_NULL", _table_detail(added.table, added.column)))
    dropped = facts.column_dropped
    if dropped is not None and dropped.table not in created_tables:
        hits.append(("DROP_COLUMN", _table_detail(dropped.table, dropped.column)))
    for table in facts.tables_dropped or ():
        if table not in created_tables:
            hits.append(("DROP_TABLE", _table_detail(table)))
            break
    renamed = facts.column_renamed
    if renamed is not None and renamed.table not in created_tables:
        hits.append(("RENAME_COLUMN", _table_detail(renamed.table, renamed.old)))
    if facts.table_renamed is not None and len(facts.table_renamed) == 2:
        hits.append(("RENAME_TABLE", _table_detail(facts.table_renamed[0])))
    hits.extend(_altered_hits(facts, created_tables))
    unique = facts.unique_added
    if unique is not None and unique.table not in created_tables:
        hits.append(("ADD_UNIQUE", _table_detail(unique.table)))
    if vendor == "postgresql":
        index = facts.index_added
        if index is not None and index.table not in created_tables and not index.concurrently:
            hits.append(("CREATE_INDEX", _table_detail(index.table)))
        index_dropped = facts.index_dropped
        if index_dropped is not None and not index_dropped.concurrently:
            hits.append(("DROP_INDEX", _table_detail(index_dropped.table)))
    return hits


def _altered_hits(facts: OperationFacts, created_tables: set[str]) -> list[tuple[str, str]]:
    altered = facts.column_altered
    if altered is None or altered.table in created_tables:
        return []
    hits: list[tuple[str, str]] = []
    detail = _table_detail(altered.table, altered.column)
    old_type, new_type = altered.old_type, altered.new_type
    if old_type is not None and new_type is not None and old_type != new_type:
        hits.append(("ALTER_COLUMN", detail))
    tightened = altered.old_null is True and altered.new_null is False
    if tightened and not altered.db_default and not altered.not_null_checked:
        hits.append(("NOT_NULL", detail))
    if altered.old_unique is False and altered.new_unique is True:
        hits.append(("ADD_UNIQUE", detail))
    return hits
