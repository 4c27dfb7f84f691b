"""SQL text helpers shared by the renderer and the static reader (sqlparse only)."""

from __future__ import annotations

import functools

import sqlparse


def split_sql(sql: str) -> list[str]:
    """Split a SQL script into statements the way Django's ``prepare_sql_script`` does."""
    return list(_split(sql))


@functools.lru_cache(maxsize=1024)
def _split(sql: str) -> tuple[str, ...]:
    """Cached by text: sqlparse's ``format`` and ``split`` group the whole script, and a
    RunSQL's script is split for its forward and reverse SQL, by the renderer and the static
    reader, and projects repeat the same scripts."""
    formatted = sqlparse.format(sql, strip_comments=True)
    return tuple(s.strip() for s in sqlparse.split(formatted) if s.strip())
