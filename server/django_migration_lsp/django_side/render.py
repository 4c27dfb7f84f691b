"""Walk the migration graph carrying the project state; render each operation's SQL offline.

Django's own path (``Migration.apply(..., collect_sql=True)``, used by ``sqlmigrate``) keeps a
fully rendered model registry and re-renders every related model after every operation; that
is where its time goes. Here the running state is never rendered. For each operation we render
only the models it touches, what they point at, and (for operations that rewrite references:
renames, alters, deletes) the models pointing at them — once before and once after the
operation — and run the operation's ``database_forwards`` against an offline schema editor.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

from django.db import router
from django.db.migrations import operations as ops
from django.db.migrations.state import ModelState, ProjectState

from ..findings import RenderedOperation
from ..mysql_server import parse_mysql_version
from . import facts as facts_mod
from . import runsql
from .apps_reuse import AppsReuse
from .crashes import record_failure
from .field_clones import SubsetState
from .incremental import render_after, render_before
from .loading import describe_exception
from .offline import connections_blocked, offline_connection, schema_editor
from .rendered import RenderedMigration, render_failure
from .slicing import slice_request
from .statements import collect_statements, flush_deferred
from .subsetting import ModelSubsetter, needs_reverse, real_model_states
from .tracked import follow_state_renames, rebuilds_matter, renamed_keys, tracked_state

__all__ = ["CHECKPOINT_EVERY", "RenderedMigration", "Renderer", "full_plan", "render_failure"]

Key = tuple[str, str]

CHECKPOINT_EVERY = 50

#: operations whose ``database_forwards`` sets a rendered field's default for good (the
#: registries they were rendered with are not reused; ``AddField``/``AlterField`` restore theirs)
MUTATES_RENDERED = (ops.AlterOrderWithRespectTo,)


def full_plan(graph: Any, exclude: AbstractSet[Key] = frozenset()) -> list[Key]:
    """Every node in an order that applies each migration after its dependencies."""
    seen: set[Key] = set()
    plan: list[Key] = []
    for leaf in sorted(graph.leaf_nodes()):
        for key in graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                if key not in exclude:
                    plan.append(key)
    return plan


class Renderer:
    """Renders migrations for one database alias, offline. One per Django context.

    Orchestrates: ``subsetting`` chooses the models an operation is rendered from,
    ``statements`` collects what the offline editor runs, ``runsql`` handles RunSQL and
    CreateExtension, ``tracked`` carries the database's names along the running state.
    """

    def __init__(
        self, alias: str, real_apps: Iterable[str] = (), mysql_version: str | None = None
    ) -> None:
        self.alias = alias
        self.backend_error: str | None = None
        #: the last operation applied to a state (a crash before that leaves it to the guard)
        self._last_forwarded: Any = None
        try:
            self.connection: Any = offline_connection(
                alias, mysql=parse_mysql_version(mysql_version)
            )
        except Exception as exc:  # backend not importable (driver missing, unknown ENGINE)
            self.connection = None
            self.backend_error = (
                f"the database backend of alias {alias!r} could not be loaded "
                f"({describe_exception(exc)}), so no SQL can be rendered; the operations are "
                "checked from what they do instead (install the driver to see the SQL)"
            )
        self.editor = schema_editor(self.connection) if self.connection is not None else None
        self.real_models: dict[Key, ModelState] = real_model_states(real_apps)
        self.subsetter = ModelSubsetter(self.real_models)
        self.apps_reuse = AppsReuse()
        self.incremental = 0  #: states after an operation rendered from the one before it

    @property
    def vendor(self) -> str | None:
        return self.connection.vendor if self.connection is not None else None

    def initial_state(self) -> ProjectState:
        """An empty project state (unmigrated apps' models are added per operation)."""
        # Never touch ``state.relations``: once built, Django's state operations keep it current
        # by re-inserting altered fields, which reorders columns in SQLite table rebuilds.
        return tracked_state()

    def atomic(self, migration: Any) -> bool:
        can_rollback = (
            self.connection.features.can_rollback_ddl if self.connection is not None else True
        )
        return bool(migration.atomic and can_rollback)

    # -- walking ---------------------------------------------------------------------------
    def render_migration(self, migration: Any, state: ProjectState) -> RenderedMigration:
        """Render ``migration`` from ``state`` (the state before it), advancing ``state``."""
        started = time.perf_counter()
        result = RenderedMigration((migration.app_label, migration.name), self.atomic(migration))
        if self.editor is not None:
            self.editor.begin_migration()
        book = getattr(state, "name_book", None)
        for index, op in enumerate(migration.operations):
            if book is not None:  # where a lost name was lost (``names.NameBook.gone``)
                book.at = f"{migration.app_label}.{migration.name} (operation {index + 1})"
            rendered = self.render_operation(op, migration.app_label, state, index)
            result.operations.append(rendered)
            self._note_as_run(op, rendered, result)
        self.flush_deferred(result)
        result.seconds = time.perf_counter() - started
        return result

    def _note_as_run(self, op: Any, rendered: RenderedOperation, result: RenderedMigration) -> None:
        """Record how Django executes the RunSQL scripts of ``op`` when it is not as split."""
        pairs = [(op, rendered)]
        if isinstance(op, ops.SeparateDatabaseAndState):
            pairs = list(zip(op.database_operations, rendered.sub_operations, strict=False))
        for one, shown in pairs:
            if not isinstance(one, ops.RunSQL) or not shown.statements or shown.error:
                continue
            as_run = runsql.as_run(one, shown.statements, self.connection)
            if as_run is not None:
                result.as_run[(shown.index, shown.sub_index)] = as_run

    def flush_deferred(self, result: RenderedMigration) -> None:
        """Run the SQL Django deferred to the migration's end; attribute it to its operation."""
        flush_deferred(self.editor, result)

    def advance(self, migration: Any, state: ProjectState) -> None:
        """Apply ``migration`` to ``state`` without rendering anything (the recorded names
        follow its table and column renames)."""
        if rebuilds_matter(migration, state, self.vendor):  # rendered, so the names follow
            self.render_migration(migration, state)
            return
        book = getattr(state, "name_book", None)
        for op in migration.operations:
            before = renamed_keys(op, migration.app_label, state)
            op.state_forwards(migration.app_label, state)
            self.apps_reuse.applied(op, migration.app_label, state)
            if book is not None and before is not None:
                follow_state_renames(book, before, state, op)

    # -- one operation ---------------------------------------------------------------------
    def render_operation(
        self,
        op: Any,
        app_label: str,
        state: ProjectState,
        index: int,
        sub_index: int | None = None,
    ) -> RenderedOperation:
        """SQL + facts of one operation; applies its state change to ``state``.

        Never raises: whatever rendering raises becomes the operation's ``error`` (reported as a
        render_error located on the operation), and the state still moves past it.
        """
        kind = type(op).__name__
        try:
            description = str(op.describe())
        except Exception:
            description = kind
        rendered = RenderedOperation(index, kind, description, sub_index=sub_index)
        try:
            return self._render_operation(op, app_label, state, rendered)
        except Exception as exc:
            rendered.statements = []
            record_failure(op, rendered, exc)
            if self._last_forwarded is not op:
                self._state_forwards(op, app_label, state, rendered)
            return rendered

    def _render_operation(
        self, op: Any, app_label: str, state: ProjectState, rendered: RenderedOperation
    ) -> RenderedOperation:
        if isinstance(op, ops.RunPython):
            rendered.sql_origin = "python"
            rendered.facts = facts_mod.runpython_facts(op)
        elif isinstance(op, ops.RunSQL):
            self._render_runsql(op, app_label, state, rendered)
        elif runsql.is_create_extension(op):
            rendered.statements = self._create_extension(op, app_label, rendered)
        elif isinstance(op, ops.SeparateDatabaseAndState):
            self._render_database_operations(op, app_label, state, rendered)
        else:
            self.subsetter.slice = slice_request(op, app_label, self.vendor)  # linear long ones
            self._render_schema_operation(op, app_label, state, rendered)
            return rendered
        self._state_forwards(op, app_label, state, rendered)
        return rendered

    def _render_runsql(
        self, op: Any, app_label: str, state: ProjectState, rendered: RenderedOperation
    ) -> None:
        rendered.sql_origin = "runsql"
        quote = self.editor.quote_value if self.editor is not None else None
        if router.allow_migrate(self.alias, app_label, **(op.hints or {})):
            rendered.statements = runsql.terminated(runsql.runsql_statements(op.sql, quote))
            book = getattr(state, "name_book", None)
            if book is not None:
                book.follow(rendered.statements)
        reverse = runsql.runsql_statements(op.reverse_sql, quote) if op.reversible else []
        rendered.facts = facts_mod.runsql_facts(op, state, rendered.statements, reverse)

    def _render_database_operations(
        self, op: Any, app_label: str, state: ProjectState, rendered: RenderedOperation
    ) -> None:
        """SeparateDatabaseAndState: the database operations really run, on a copy of the
        state that shares the database's names."""
        db_state = tracked_state(
            {k: v.clone() for k, v in state.models.items()}, getattr(state, "name_book", None)
        )
        for sub, db_op in enumerate(op.database_operations):
            child = self.render_operation(db_op, app_label, db_state, rendered.index, sub)
            rendered.sub_operations.append(child)
            rendered.statements.extend(child.statements)
            rendered.notes.extend(child.notes)

    def _create_extension(self, op: Any, app_label: str, rendered: RenderedOperation) -> list[str]:
        """``CreateExtension``: Django asks pg_extension first; offline it is not installed."""
        if self.vendor != "postgresql" or not router.allow_migrate(self.alias, app_label):
            return []
        rendered.notes.append(
            f"Shown as if the extension {op.name!r} were not installed yet; migrate skips the "
            "statement when it is."
        )
        return runsql.create_extension_statements(op, self.connection)

    def _state_forwards(
        self, op: Any, app_label: str, state: ProjectState, rendered: RenderedOperation
    ) -> None:
        stateful = isinstance(op, (ops.RunSQL, ops.RunPython, ops.SeparateDatabaseAndState))
        if stateful and getattr(op, "state_operations", None):
            self.subsetter.forget_relations()
        self._last_forwarded = op
        try:
            op.state_forwards(app_label, state)
        except Exception as exc:
            rendered.error = (
                f"applying the operation to the project state raised {describe_exception(exc)}; "
                "later migrations of this project may be rendered from a wrong state"
            )
        finally:
            self.apps_reuse.applied(op, app_label, state)

    def _render_schema_operation(
        self, op: Any, app_label: str, state: ProjectState, rendered: RenderedOperation
    ) -> None:
        """A schema operation: rendered from the models it needs, before and after it."""
        subsetter = self.subsetter
        seeds = subsetter.seeds(op, app_label, state)
        reverse = needs_reverse(op, app_label, state, subsetter.pointing_at)
        from_state = SubsetState(
            subsetter.subset(state, seeds, reverse, clone=True), self.apps_reuse.clones
        )
        from_key = self.apps_reuse.attach(from_state, reuse=not reverse)
        if self.editor is not None and seeds is not None and from_key is not None:
            # before ``state_forwards``: ``RenameField`` repoints fields in place
            self.incremental += render_before(op, reverse, from_state, self.apps_reuse.newest())
        self._state_forwards(op, app_label, state, rendered)
        subsetter.relations_changed(op, seeds)
        if rendered.error:
            return
        after_seeds = None
        if seeds is not None:
            after_seeds = seeds | (subsetter.seeds(op, app_label, state, after=True) or set())
        to_state = SubsetState(
            subsetter.subset(state, after_seeds, reverse, clone=False), self.apps_reuse.clones
        )
        to_key = self.apps_reuse.attach(to_state, reuse=not reverse)
        if self.editor is not None and seeds is not None and from_key and to_key:
            keys = (from_key[0], to_key[0])
            self.incremental += render_after(op, reverse, from_state, to_state, keys)
        if self.editor is not None:
            states = (state, from_state.models, from_state, to_state)
            sliced = self.subsetter.slice[0] if self.subsetter.slice else None
            collect_statements(self.editor, op, app_label, states, seeds, rendered, sliced)
        try:
            with connections_blocked():
                rendered.facts = facts_mod.operation_facts(
                    op, app_label, from_state, to_state, self.connection, self.alias
                )
        except Exception:
            rendered.facts = {}
        self._keep_registries(op, rendered, (from_key, to_key), (from_state, to_state))
        if self.vendor == "sqlite" and any('"new__' in s for s in rendered.statements):
            rendered.facts["table_remade"] = True

    def _keep_registries(
        self, op: Any, rendered: RenderedOperation, keys: tuple[Any, Any], states: tuple[Any, Any]
    ) -> None:
        """Keep the registries ``op`` rendered for reuse, unless it failed or changed one."""
        if rendered.error or isinstance(op, MUTATES_RENDERED):
            return
        for key, rendered_state in zip(keys, states, strict=True):
            self.apps_reuse.keep_rendered(key, rendered_state)
