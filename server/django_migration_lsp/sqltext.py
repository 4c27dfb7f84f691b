"""SQL text helpers shared by the renderer and the static reader (sqlparse only)."""

from __future__ import annotations

import sqlparse


def split_sql(sql: str) -> list[str]:
    """Split a SQL script into statements the way Django's ``prepare_sql_script`` does."""
    formatted = sqlparse.format(sql, strip_comments=True)
    return [s.strip() for s in sqlparse.split(formatted) if s.strip()]
