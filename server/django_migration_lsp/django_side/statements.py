"""Collecting an operation's statements from the offline schema editor, and the constraint
names the database has (``NameBook``) learnt from them."""

from __future__ import annotations

from typing import Any

from django.db.migrations.state import ModelState, ProjectState

from ..findings import RenderedOperation
from . import catalog
from .crashes import record_failure
from .loading import describe_exception
from .names import NameBook
from .offline import connections_blocked
from .rendered import RenderedMigration
from .tracked import state_tables

Key = tuple[str, str]


def tracked_models(state: ProjectState) -> list[Any]:
    """The rendered models whose tables the database has (managed, not proxies)."""
    return [
        m
        for m in state.apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]


def first_sight(book: NameBook, from_state: ProjectState, editor: Any) -> None:
    """Tables met for the first time: their constraints have the names Django gives now."""
    for model in tracked_models(from_state):
        if model._meta.db_table not in book.tables:
            key = (model._meta.app_label, model._meta.model_name)
            computed = catalog.computed_constraints(model, editor, from_state.models.get(key))
            book.learn(model._meta.db_table, computed, complete=False)


def learn(
    book: NameBook,
    to_state: ProjectState,
    seeds: set[Key] | None,
    statements: list[str],
    editor: Any,
    sliced: Key | None = None,
) -> None:
    """After an operation (whose renames and drops the editor followed as they ran):
    record what it created. A model rendered from a slice (``sliced``) holds only some of its
    fields: what it lacks is not gone, so its table's names are learnt, never forgotten."""
    mysql = editor.connection.vendor == "mysql"
    text = "\n".join(statements)
    for model in tracked_models(to_state):
        meta = model._meta
        owner = meta.auto_created._meta if meta.auto_created else meta
        owner_key = (owner.app_label, owner.model_name)
        complete = (seeds is None or owner_key in seeds) and owner_key != sliced
        if not complete and meta.db_table not in text:
            continue  # nothing ran on its table: nothing new to record
        key = (meta.app_label, meta.model_name)
        computed = catalog.computed_constraints(model, editor, to_state.models.get(key))
        book.learn(meta.db_table, computed, statements, complete=complete, mysql=mysql)


def _introspection(
    state: ProjectState, before_models: dict[Key, ModelState], from_state: ProjectState
) -> tuple[Any, Any]:
    """What the editor answers introspection from: table -> (model, state) and every table."""
    by_table: dict[str, Any] = {}

    def table_model(table: str) -> tuple[Any, Any]:
        if not by_table:
            for model in from_state.apps.get_models(include_auto_created=True):
                key = (model._meta.app_label, model._meta.model_name)
                by_table.setdefault(model._meta.db_table, (model, from_state.models.get(key)))
        return by_table.get(table, (None, None))

    def known_tables() -> set[str]:
        before_keys = set(before_models)
        models_before = [m for k, m in state.models.items() if k not in before_keys]
        return {t for m in [*models_before, *before_models.values()] for t in state_tables(m)}

    return table_model, known_tables


def collect_statements(
    editor: Any,
    op: Any,
    app_label: str,
    states: tuple[ProjectState, dict[Key, ModelState], ProjectState, ProjectState],
    seeds: set[Key] | None,
    rendered: RenderedOperation,
    sliced: Key | None = None,
) -> None:
    """Run ``op.database_forwards`` on the offline editor; its statements into ``rendered``.

    ``states``: the running state (already past ``op``), the model states before it, and the
    rendered-from states before and after it; ``sliced``: the model rendered from a slice."""
    state, before_models, from_state, to_state = states
    editor.begin_operation(*_introspection(state, before_models, from_state))
    book = getattr(state, "name_book", None)
    editor.names = book
    try:
        with connections_blocked():
            # Render the state before the operation first, as Django's own path has
            # it rendered already: field creation order decides SQLite column order.
            from_state.apps  # noqa: B018
            if book is not None:
                first_sight(book, from_state, editor)
            op.database_forwards(app_label, editor, from_state, to_state)
            rendered.statements = editor.end_operation(rendered)
            if book is not None:
                learn(book, to_state, seeds, rendered.statements, editor, sliced)
    except Exception as exc:
        record_failure(op, rendered, exc)
    finally:
        rendered.notes.extend(editor.notes)
        editor.collected_sql = []


def flush_deferred(editor: Any, result: RenderedMigration) -> None:
    """Run the SQL Django deferred to the migration's end; attribute it to its operation."""
    if editor is None:
        return
    parents = {id(s): o for o in result.operations for s in o.sub_operations}
    try:
        with connections_blocked():
            deferred = editor.end_migration()
    except Exception as exc:
        deferred = []
        result.error = f"rendering the deferred SQL raised {describe_exception(exc)}"
    for owner, statement in deferred:
        if owner is None:
            continue
        owner.statements.append(statement)
        where = (owner.index, owner.sub_index)
        result.deferred.setdefault(where, []).append(statement)
        parent = parents.get(id(owner))
        if parent is not None:
            parent.statements.append(statement)
