"""The SQL of unapplying one migration, offline (``sqlmigrate --backwards`` without a database).

Django's ``Migration.unapply`` path, kept as it is: the states before and after every operation
are computed first, then each operation's ``database_backwards`` runs in reverse order against
the offline schema editor. The states are rendered in full (one migration, so the cost is
Django's own); introspection is answered from the state the database is in before each step.
"""

from __future__ import annotations

from typing import Any

from django.db import router
from django.db.migrations import operations as ops
from django.db.migrations.state import ProjectState

from ..findings import RenderedOperation
from .offline import connections_blocked
from .render import RenderedMigration, Renderer, render_failure


def _full(state: ProjectState, renderer: Renderer) -> ProjectState:
    """``state`` with the unmigrated apps' models in it (Django's ``real_apps``)."""
    models = dict(renderer.real_models)
    models.update({k: v.clone() for k, v in state.models.items()})
    return ProjectState(models=models, real_apps=set())


def render_backwards(renderer: Renderer, migration: Any, state: ProjectState) -> RenderedMigration:
    """Unapplying ``migration`` from ``state`` (the state before it); ``state`` is not changed.

    The operations come in the order they are unapplied (the last first), as sqlmigrate shows.
    """
    result = RenderedMigration((migration.app_label, migration.name), renderer.atomic(migration))
    app_label = migration.app_label
    steps: list[tuple[int, Any, ProjectState, ProjectState]] = []
    new_state = _full(state, renderer)
    for index, op in enumerate(migration.operations):
        old_state, new_state = new_state, new_state.clone()
        op.state_forwards(app_label, new_state)
        steps.insert(0, (index, op, old_state, new_state))
    if renderer.editor is not None:
        renderer.editor.begin_migration()
        renderer.editor.names = None  # names as Django gives them now (not tracked backwards)
    for index, op, to_state, from_state in steps:  # in the order they run: last first
        rendered = _backwards_one(renderer, op, app_label, index, from_state, to_state)
        result.operations.append(rendered)
        if rendered.error and not op.reversible:
            result.error = rendered.error
            break
    renderer.flush_deferred(result)
    return result


def _backwards_one(
    renderer: Renderer,
    op: Any,
    app_label: str,
    index: int,
    from_state: ProjectState,
    to_state: ProjectState,
) -> RenderedOperation:
    """One operation's ``database_backwards``: from ``from_state`` (after it) to ``to_state``."""
    rendered = RenderedOperation(index, type(op).__name__, _describe(op))
    if isinstance(op, ops.RunSQL):
        rendered.sql_origin = "runsql"
    if not op.reversible:
        rendered.error = (
            f"{rendered.description}: this operation is irreversible, so the migration cannot "
            "be unapplied (Django raises IrreversibleError here)"
        )
        return rendered
    editor = renderer.editor
    if editor is None or not op.reduces_to_sql:
        if not op.reduces_to_sql:
            rendered.sql_origin = "python"
        return rendered
    if not router.allow_migrate(renderer.alias, app_label, **(getattr(op, "hints", {}) or {})):
        return rendered
    by_table: dict[str, Any] = {}

    def table_model(table: str) -> tuple[Any, Any]:
        if not by_table:
            for model in from_state.apps.get_models(include_auto_created=True):
                key = (model._meta.app_label, model._meta.model_name)
                by_table.setdefault(model._meta.db_table, (model, from_state.models.get(key)))
        return by_table.get(table, (None, None))

    editor.begin_operation(table_model, lambda: _tables(from_state))
    try:
        with connections_blocked():
            op.database_backwards(app_label, editor, from_state, to_state)
            rendered.statements = editor.end_operation(rendered)
    except Exception as exc:
        rendered.error = render_failure(rendered.description, exc)
    finally:
        rendered.notes.extend(editor.notes)
        editor.collected_sql = []
    return rendered


def _tables(state: ProjectState) -> set[str]:
    return {m._meta.db_table for m in state.apps.get_models(include_auto_created=True)}


def _describe(op: Any) -> str:
    try:
        return str(op.describe())
    except Exception:
        return type(op).__name__
