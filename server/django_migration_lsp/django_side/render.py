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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, router
from django.db.migrations import operations as ops
from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.fields import FieldOperation
from django.db.migrations.operations.models import ModelOperation
from django.db.migrations.state import ModelState, ProjectState
from django.db.migrations.utils import resolve_relation

from ..findings import RenderedOperation
from ..mysql_server import parse_mysql_version
from ..sqltext import split_sql
from . import catalog
from . import facts as facts_mod
from .loading import describe_exception
from .names import NameBook, copy_book
from .offline import OfflineError, connections_blocked, offline_connection, schema_editor
from .slicing import field_slice, slice_request

Key = tuple[str, str]

#: Operations whose SQL depends on the models that point at the operated model.
NEEDS_REVERSE = (
    ops.RenameModel,
    ops.AlterModelTable,
    ops.AlterField,
    ops.RenameField,
    ops.DeleteModel,
    ops.RemoveField,
)

CHECKPOINT_EVERY = 50


def full_plan(graph: Any, exclude: set[Key] = frozenset()) -> list[Key]:
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


@dataclass
class RenderedMigration:
    """SQL and facts for every operation of one migration."""

    key: Key
    atomic: bool
    operations: list[RenderedOperation] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    #: (operation index, sub index) -> the statements of it Django defers to the migration's
    #: end (they are in that operation's ``statements`` too, last)
    deferred: dict[tuple[int, int | None], list[str]] = field(default_factory=dict)
    #: (operation index, sub index) -> a RunSQL's statements as Django executes them, where
    #: that differs from the split ``statements`` the rules read (PostgreSQL runs a script whole)
    as_run: dict[tuple[int, int | None], list[str]] = field(default_factory=dict)


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


class TrackedState(ProjectState):
    """The project state and the database's constraint names (``NameBook``), cloned together."""

    name_book: NameBook

    def clone(self) -> TrackedState:
        new = super().clone()
        new.__class__ = TrackedState
        new.name_book = copy_book(self.name_book)  # type: ignore[attr-defined]
        return new  # type: ignore[return-value]


def tracked_state(models: dict | None = None, book: NameBook | None = None) -> TrackedState:
    state = TrackedState(models=models or {}, real_apps=set())
    state.name_book = book if book is not None else NameBook()
    return state


def _is_create_extension(op: Any) -> bool:
    """django.contrib.postgres's CreateExtension (and its subclasses), without importing it."""
    return any(
        cls.__name__ == "CreateExtension" and cls.__module__ == "django.contrib.postgres.operations"
        for cls in type(op).__mro__
    )


def render_failure(description: str, exc: BaseException) -> str:
    """The error of an operation whose SQL could not be rendered, saying why."""
    if isinstance(exc, OfflineError):
        return (
            f"{description}: this operation queries the database while it runs ({exc}); its "
            "SQL cannot be known offline"
        )
    return f"rendering the SQL of {description!r} raised {describe_exception(exc)}"


def _renamed_keys(op: Any, app_label: str, state: ProjectState) -> dict | None:
    """Before a table or column rename: the tables and columns it is about to change."""
    if isinstance(op, ops.RenameModel):
        keys = [(app_label, op.old_name_lower), (app_label, op.new_name_lower)]
    elif isinstance(op, (ops.AlterModelTable, ops.RenameField, ops.AlterField)):
        keys = [(app_label, op.name_lower if hasattr(op, "table") else op.model_name_lower)]
    else:
        return None
    model_state = state.models.get(keys[0])
    if model_state is None:
        return None
    return {"keys": keys, "tables": _tables(model_state), "columns": _columns(model_state)}


def _follow_state_renames(book: NameBook, before: dict, state: ProjectState, op: Any) -> None:
    """Move recorded names along the renames an unrendered operation made."""
    after = next((state.models[k] for k in before["keys"] if k in state.models), None)
    if after is None:
        return
    tables = _tables(after)
    for old, new in zip(before["tables"], tables, strict=False):
        if old != new:
            book.rename_table(old, new)
    if not tables:
        return
    old_name = getattr(op, "old_name", None) if isinstance(op, ops.RenameField) else None
    new_name = getattr(op, "new_name", None) if old_name else getattr(op, "name", None)
    old_column = before["columns"].get(old_name or new_name)
    new_column = _columns(after).get(new_name) if new_name else None
    if old_column and new_column and old_column != new_column:
        book.rename_column(tables[0], old_column, new_column)


def _columns(model_state: ModelState) -> dict[str, str]:
    """Field name -> column, for the concrete local fields of an unrendered model state."""
    out = {}
    for name, f in model_state.fields.items():
        if getattr(f, "many_to_many", False):
            continue
        column = getattr(f, "db_column", None) or (
            f"{name}_id" if getattr(f, "remote_field", None) is not None else name
        )
        out[name] = column
    return out


def _tables(model_state: ModelState) -> list[str]:
    """The tables a model state has in the database (its own and auto M2M ones), unrendered."""
    options = model_state.options
    if options.get("proxy") or options.get("managed") is False:
        return []
    table = options.get("db_table") or f"{model_state.app_label}_{model_state.name_lower}"
    tables = [table]
    for name, f in model_state.fields.items():
        if getattr(f, "many_to_many", False) and getattr(f.remote_field, "through", None) is None:
            tables.append(f"{table}_{name}")
    return tables


class Renderer:
    """Renders migrations for one database alias, offline. One per Django context."""

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
        self.real_models: dict[Key, ModelState] = self._real_model_states(real_apps)
        self._reverse: dict[Key, set[Key]] | None = None
        self._outgoing: dict[Key, set[Key]] = {}
        self._reverse_state: ProjectState | None = None
        self._slice: tuple[Key, frozenset[str]] | None = None  # of the operation being rendered
        self._pk_names: dict[Key, str] = {}  # model -> its primary key field (slicing)

    @property
    def vendor(self) -> str | None:
        return self.connection.vendor if self.connection is not None else None

    @staticmethod
    def _real_model_states(real_apps: Iterable[str]) -> dict[Key, ModelState]:
        from django.apps import apps

        states: dict[Key, ModelState] = {}
        for label in real_apps:
            try:
                config = apps.get_app_config(label)
            except LookupError:
                continue
            for model in config.get_models():
                states[(label, model._meta.model_name)] = ModelState.from_model(model)
        return states

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
        for index, op in enumerate(migration.operations):
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
            if self.connection is None or isinstance(one.sql, (list, tuple)):
                continue
            as_run = [
                s if s.rstrip().endswith(";") else s + ";"
                for s in self.connection.ops.prepare_sql_script(str(one.sql))
                if s.strip()
            ]
            if as_run != shown.statements:
                result.as_run[(shown.index, shown.sub_index)] = as_run

    def flush_deferred(self, result: RenderedMigration) -> None:
        """Run the SQL Django deferred to the migration's end; attribute it to its operation."""
        if self.editor is not None:
            parents = {id(s): o for o in result.operations for s in o.sub_operations}
            try:
                with connections_blocked():
                    deferred = self.editor.end_migration()
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

    def advance(self, migration: Any, state: ProjectState) -> None:
        """Apply ``migration`` to ``state`` without rendering anything (the recorded names
        follow its table and column renames)."""
        book = getattr(state, "name_book", None)
        for op in migration.operations:
            before = _renamed_keys(op, migration.app_label, state)
            op.state_forwards(migration.app_label, state)
            if book is not None and before is not None:
                _follow_state_renames(book, before, state, op)

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
            rendered.error = render_failure(rendered.description, exc)
            if self._last_forwarded is not op:
                self._state_forwards(op, app_label, state, rendered)
            return rendered

    def _render_operation(
        self, op: Any, app_label: str, state: ProjectState, rendered: RenderedOperation
    ) -> RenderedOperation:
        index = rendered.index
        if isinstance(op, ops.RunPython):
            rendered.sql_origin = "python"
            rendered.facts = facts_mod.runpython_facts(op)
            self._state_forwards(op, app_label, state, rendered)
            return rendered
        if isinstance(op, ops.RunSQL):
            rendered.sql_origin = "runsql"
            quote = self.editor.quote_value if self.editor is not None else None
            if router.allow_migrate(self.alias, app_label, **(op.hints or {})):
                rendered.statements = [
                    s if s.rstrip().endswith(";") else s + ";"
                    for s in runsql_statements(op.sql, quote)
                ]
                book = getattr(state, "name_book", None)
                if book is not None:
                    book.follow(rendered.statements)
            reverse = runsql_statements(op.reverse_sql, quote) if op.reversible else []
            rendered.facts = facts_mod.runsql_facts(op, state, rendered.statements, reverse)
            self._state_forwards(op, app_label, state, rendered)
            return rendered
        if _is_create_extension(op):
            rendered.statements = self._create_extension(op, app_label, rendered)
            self._state_forwards(op, app_label, state, rendered)
            return rendered
        if isinstance(op, ops.SeparateDatabaseAndState):
            # the database operations really run: they share the database's names
            db_state = tracked_state(
                {k: v.clone() for k, v in state.models.items()}, getattr(state, "name_book", None)
            )
            for sub, db_op in enumerate(op.database_operations):
                child = self.render_operation(db_op, app_label, db_state, index, sub)
                rendered.sub_operations.append(child)
                rendered.statements.extend(child.statements)
                rendered.notes.extend(child.notes)
            self._state_forwards(op, app_label, state, rendered)
            return rendered
        self._slice = slice_request(op, app_label, self.vendor)  # linear long migrations
        self._render_schema_operation(op, app_label, state, rendered)
        return rendered

    def _create_extension(self, op: Any, app_label: str, rendered: RenderedOperation) -> list:
        """``CreateExtension``: Django asks pg_extension first; offline it is not installed."""
        if self.vendor != "postgresql" or not router.allow_migrate(self.alias, app_label):
            return []
        rendered.notes.append(
            f"Shown as if the extension {op.name!r} were not installed yet; migrate skips the "
            "statement when it is."
        )
        return [f"CREATE EXTENSION IF NOT EXISTS {self.connection.ops.quote_name(op.name)};"]

    def _state_forwards(
        self, op: Any, app_label: str, state: ProjectState, rendered: RenderedOperation
    ) -> None:
        stateful = isinstance(op, (ops.RunSQL, ops.RunPython, ops.SeparateDatabaseAndState))
        if stateful and getattr(op, "state_operations", None):
            self._reverse = None
        self._last_forwarded = op
        try:
            op.state_forwards(app_label, state)
        except Exception as exc:
            rendered.error = (
                f"applying the operation to the project state raised {describe_exception(exc)}; "
                "later migrations of this project may be rendered from a wrong state"
            )

    def _render_schema_operation(
        self, op: Any, app_label: str, state: ProjectState, rendered: RenderedOperation
    ) -> None:
        seeds = self._seeds(op, app_label, state)
        reverse = isinstance(op, NEEDS_REVERSE)
        before_models = self._subset(state, seeds, reverse, clone=True)
        self._state_forwards(op, app_label, state, rendered)
        self._relations_changed(op, seeds)
        if rendered.error:
            return
        after_seeds = None
        if seeds is not None:
            after_seeds = seeds | (self._seeds(op, app_label, state, after=True) or set())
        after_models = self._subset(state, after_seeds, reverse, clone=False)
        from_state = ProjectState(models=before_models, real_apps=set())
        to_state = ProjectState(models=after_models, real_apps=set())

        if self.editor is not None:
            by_table: dict[str, Any] = {}

            def table_model(table: str) -> tuple[Any, Any]:
                if not by_table:
                    for model in from_state.apps.get_models(include_auto_created=True):
                        key = (model._meta.app_label, model._meta.model_name)
                        by_table.setdefault(
                            model._meta.db_table, (model, from_state.models.get(key))
                        )
                return by_table.get(table, (None, None))

            def known_tables() -> set[str]:
                before_keys = set(before_models)
                models_before = [m for k, m in state.models.items() if k not in before_keys]
                return {t for m in [*models_before, *before_models.values()] for t in _tables(m)}

            self.editor.begin_operation(table_model, known_tables)
            book = getattr(state, "name_book", None)
            self.editor.names = book
            try:
                with connections_blocked():
                    # Render the state before the operation first, as Django's own path has
                    # it rendered already: field creation order decides SQLite column order.
                    from_state.apps  # noqa: B018
                    if book is not None:
                        self._first_sight(book, from_state)
                    op.database_forwards(app_label, self.editor, from_state, to_state)
                    rendered.statements = self.editor.end_operation(rendered)
                    if book is not None:
                        self._learn(book, to_state, seeds, rendered.statements)
            except Exception as exc:
                rendered.error = render_failure(rendered.description, exc)
            finally:
                rendered.notes.extend(self.editor.notes)
                self.editor.collected_sql = []
        try:
            with connections_blocked():
                rendered.facts = facts_mod.operation_facts(
                    op, app_label, from_state, to_state, self.connection, self.alias
                )
        except Exception:
            rendered.facts = {}
        if self.vendor == "sqlite" and any('"new__' in s for s in rendered.statements):
            rendered.facts["table_remade"] = True

    # -- the names the database has ----------------------------------------------------------
    def _tracked_models(self, state: ProjectState) -> list[Any]:
        return [
            m
            for m in state.apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
        ]

    def _first_sight(self, book: NameBook, from_state: ProjectState) -> None:
        """Tables met for the first time: their constraints have the names Django gives now."""
        for model in self._tracked_models(from_state):
            if model._meta.db_table not in book.tables:
                key = (model._meta.app_label, model._meta.model_name)
                computed = catalog.computed_constraints(
                    model, self.editor, from_state.models.get(key)
                )
                book.learn(model._meta.db_table, computed, complete=False)

    def _learn(
        self, book: NameBook, to_state: ProjectState, seeds: set[Key] | None, statements: list[str]
    ) -> None:
        """After an operation (whose renames and drops the editor followed as they ran):
        record what it created."""
        mysql = self.vendor == "mysql"
        text = "\n".join(statements)
        for model in self._tracked_models(to_state):
            meta = model._meta
            owner = meta.auto_created._meta if meta.auto_created else meta
            owner_key = (owner.app_label, owner.model_name)
            # a sliced model holds only some of its fields: what it lacks is not gone
            sliced = self._slice is not None and self._slice[0] == owner_key
            complete = (seeds is None or owner_key in seeds) and not sliced
            if not complete and meta.db_table not in text:
                continue  # nothing ran on its table: nothing new to record
            key = (meta.app_label, meta.model_name)
            computed = catalog.computed_constraints(model, self.editor, to_state.models.get(key))
            book.learn(meta.db_table, computed, statements, complete=complete, mysql=mysql)

    # -- choosing what to render -------------------------------------------------------------
    def _seeds(
        self, op: Any, app_label: str, state: ProjectState, after: bool = False
    ) -> set[Key] | None:
        """Models an operation works on; None when unknown (render everything)."""
        keys: set[Key] = set()
        if isinstance(op, ops.RenameModel):
            keys = {(app_label, op.old_name_lower), (app_label, op.new_name_lower)}
        elif isinstance(op, ModelOperation):
            keys = {(app_label, op.name_lower)}
        elif isinstance(op, FieldOperation) or hasattr(op, "model_name_lower"):
            keys = {(app_label, op.model_name_lower)}
        elif type(op).references_model is Operation.references_model:
            return None
        else:
            every = set(state.models) | set(self.real_models)
            keys = {k for k in every if op.references_model(k[1], k[0])}
        return keys

    @staticmethod
    def _field_refs(field_obj: Any, app_label: str, model_name: str) -> set[Key]:
        refs: set[Key] = set()
        remote = field_obj.remote_field
        for target in (getattr(remote, "model", None), getattr(remote, "through", None)):
            if target is None:
                continue
            try:
                refs.add(resolve_relation(target, app_label, model_name))
            except (TypeError, ValueError, AttributeError):
                continue
        return refs

    def _subset(
        self, state: ProjectState, seeds: set[Key] | None, reverse: bool, clone: bool
    ) -> dict[Key, ModelState]:
        """The model states an operation needs: its models (and, when ``reverse``, the models
        pointing at them) in full, the models those point at as stubs (key fields only)."""
        if seeds is None:
            return self._snapshot(state, None, clone)
        full = set(seeds)
        if reverse:
            full |= self._pointing_at(state, seeds)
        sliced: dict[Key, ModelState] = {}
        if self._slice is not None and self._slice[0] in state.models:
            key, names = self._slice
            sliced[key] = field_slice(state.models[key], names, self._pk_names)
        todo = list(full)
        while todo:  # explicit through models are rendered in full too
            key = todo.pop()
            model_state = sliced.get(key) or state.models.get(key) or self.real_models.get(key)
            if model_state is None:
                continue
            for f in model_state.fields.values():
                through = getattr(f.remote_field, "through", None) if f.remote_field else None
                if through is not None:
                    try:
                        target = resolve_relation(through, key[0], key[1])
                    except (TypeError, ValueError, AttributeError):
                        continue
                    if target not in full:
                        full.add(target)
                        todo.append(target)
        out = self._snapshot(state, full - sliced.keys(), clone)
        out.update((k, v) for k, v in sliced.items() if k in full)
        needed: dict[Key, set[str]] = {}
        for key, model_state in list(out.items()):
            self._note_targets(model_state, key, needed)
        while True:
            pending = [k for k in needed if k not in out]
            if not pending:
                break
            for key in pending:
                model_state = state.models.get(key) or self.real_models.get(key)
                if model_state is None:
                    needed.pop(key)
                    continue
                stub = self._stub(model_state, needed[key])
                out[key] = stub
                self._note_targets(stub, key, needed)
        return out

    def _note_targets(self, model_state: ModelState, key: Key, needed: dict[Key, set[str]]) -> None:
        """Record the models (and fields of them) that ``model_state`` points at."""
        for f in model_state.fields.values():
            remote = f.remote_field
            if remote is None:
                continue
            try:
                target = resolve_relation(remote.model, key[0], key[1])
            except (TypeError, ValueError, AttributeError):
                continue
            fields = needed.setdefault(target, set())
            field_name = getattr(remote, "field_name", None)
            if field_name:
                fields.add(field_name)
            for name in getattr(f, "to_fields", None) or ():
                if name:
                    fields.add(name)
        for base in model_state.bases:
            target = self._base_key(base, model_state.app_label)
            if target is not None:
                needed.setdefault(target, set())

    @staticmethod
    def _base_key(base: Any, app_label: str) -> Key | None:
        if isinstance(base, str):
            try:
                return resolve_relation(base, app_label)
            except (TypeError, ValueError):
                return None
        if (
            isinstance(base, type)
            and issubclass(base, models.Model)
            and base is not models.Model
            and not base._meta.abstract
        ):
            return (base._meta.app_label, base._meta.model_name)
        return None

    @staticmethod
    def _stub(model_state: ModelState, field_names: set[str]) -> ModelState:
        """A model state with only its primary key and the fields others point at."""
        fields = [
            (name, f)
            for name, f in model_state.fields.items()
            if getattr(f, "primary_key", False) or name in field_names
        ]
        options = {
            k: v
            for k, v in model_state.options.items()
            if k in ("db_table", "db_tablespace", "managed", "proxy", "swappable", "abstract")
        }
        return ModelState(
            model_state.app_label,
            model_state.name,
            fields,
            options=options,
            bases=model_state.bases,
            managers=[],
        )

    def _pointing_at(self, state: ProjectState, targets: set[Key]) -> set[Key]:
        """Models with a relation to one of ``targets`` (kept as an incremental index)."""
        if self._reverse is None or self._reverse_state is not state:
            self._reverse = {}
            self._outgoing = {}
            self._reverse_state = state
            for key, model_state in state.models.items():
                self._index(key, model_state)
        found: set[Key] = set()
        for target in targets:
            found |= self._reverse.get(target, set())
        return found

    def _index(self, key: Key, model_state: ModelState | None) -> None:
        assert self._reverse is not None
        for target in self._outgoing.pop(key, set()):
            self._reverse.get(target, set()).discard(key)
        if model_state is None:
            return
        refs = set()
        for f in model_state.fields.values():
            if f.remote_field is not None:
                refs |= self._field_refs(f, key[0], key[1])
        self._outgoing[key] = refs
        for target in refs:
            self._reverse.setdefault(target, set()).add(key)

    def _relations_changed(self, op: Any, seeds: set[Key] | None) -> None:
        """Keep the reverse index current after ``op`` changed the running state."""
        if self._reverse is None:
            return
        state = self._reverse_state
        if seeds is None or isinstance(op, (ops.RenameModel, ops.RenameField)):
            self._reverse = None  # rebuilt on next use
            return
        for key in seeds:
            self._index(key, state.models.get(key))

    def _snapshot(
        self, state: ProjectState, keys: set[Key] | None, clone: bool = True
    ) -> dict[Key, ModelState]:
        if keys is None:
            keys = set(state.models) | set(self.real_models)
        out: dict[Key, ModelState] = {}
        for key in keys:
            model_state = state.models.get(key)
            if model_state is not None:
                out[key] = model_state.clone() if clone else model_state
            elif key in self.real_models:
                out[key] = self.real_models[key]
        return out
