"""What the two-release removal rewrite needs about each ``RemoveField`` of a migration: the
column, its table, whether it is nullable and its database type (to add it back when the drop
is reversed). Read from the project state before the migration; no connection is opened."""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations import RemoveField

from ..rewrites import RemovedColumn


def removed_columns(loader: Any, key: tuple[str, str], connection: Any) -> dict[int, RemovedColumn]:
    """Operation index -> the column it drops, for each ``RemoveField`` of a plain column."""
    app = key[0]
    migration = loader.graph.nodes[key]
    if not any(isinstance(op, RemoveField) for op in migration.operations):
        return {}
    state = loader.project_state(key, at_end=False)
    found: dict[int, RemovedColumn] = {}
    for index, op in enumerate(migration.operations):
        if isinstance(op, RemoveField) and connection is not None:
            model = state.apps.get_model(app, op.model_name)
            field = model._meta.get_field(op.name)
            if field.concrete and not field.is_relation and field.column:
                found[index] = RemovedColumn(
                    table=model._meta.db_table,
                    column=field.column,
                    null=bool(field.null),
                    db_type=field.db_type(connection),
                )
        op.state_forwards(app, state)
    return found
