"""RunSQL and CreateExtension offline: the statements they run, as the rules read them and as
Django executes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.migrations import operations as ops

from ..sqltext import split_sql


def runsql_statements(sqls: Any, quote: Callable[[Any], str] | None = None) -> list[str]:
    """The statements a RunSQL ``sql``/``reverse_sql`` argument executes."""
    if sqls is None or sqls == ops.RunSQL.noop:
        return []
    if isinstance(sqls, (list, tuple)):
        statements = []
        for item in sqls:
            if isinstance(item, (list, tuple)) and len(item) == 2:
                sql, params = item
                if params:
                    q = quote or repr
                    if isinstance(params, dict):
                        sql = sql % {k: q(v) for k, v in params.items()}
                    else:
                        sql = sql % tuple(q(p) for p in params)
                statements.append(str(sql).strip())
            else:
                statements.append(str(item).strip())
        return [s for s in statements if s]
    return split_sql(str(sqls))


def terminated(statements: list[str]) -> list[str]:
    """Each statement ending with ``;``."""
    return [s if s.rstrip().endswith(";") else s + ";" for s in statements]


def as_run(op: Any, statements: list[str], connection: Any) -> list[str] | None:
    """A RunSQL's script as Django executes it, when that differs from the split
    ``statements`` (PostgreSQL runs a script whole); None when it does not."""
    if connection is None or isinstance(op.sql, (list, tuple)):
        return None
    run = terminated([s for s in connection.ops.prepare_sql_script(str(op.sql)) if s.strip()])
    return run if run != statements else None


def is_create_extension(op: Any) -> bool:
    """django.contrib.postgres's CreateExtension (and its subclasses), without importing it."""
    return any(
        cls.__name__ == "CreateExtension" and cls.__module__ == "django.contrib.postgres.operations"
        for cls in type(op).__mro__
    )


def create_extension_statements(op: Any, connection: Any) -> list[str]:
    """``CreateExtension``: Django asks pg_extension first; offline it is not installed."""
    return [f"CREATE EXTENSION IF NOT EXISTS {connection.ops.quote_name(op.name)};"]
