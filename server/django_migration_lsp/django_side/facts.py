"""What an operation does to the schema, read from the operation and the states around it.

The SQL says how; these facts say what (a column added NOT NULL, a table rebuilt, …) as
``facts_schema.OperationFacts``, one small producer per operation kind (``PRODUCERS``). Rules use
them where SQL is missing or ambiguous (vendors we cannot render for, SQLite table rebuilds).
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, router
from django.db.migrations import operations as ops

from ..facts_schema import (
    ColumnAdded,
    ColumnAltered,
    ColumnDropped,
    ColumnRenamed,
    FunctionInfo,
    IndexAdded,
    IndexDropped,
    OperationFacts,
    RunPythonFacts,
    RunSQLFacts,
    UniqueAdded,
)
from ..rules.sql import drop_target

NOT_PROVIDED = models.NOT_PROVIDED


def _model(state: Any, app_label: str, name: str) -> Any:
    try:
        return state.apps.get_model(app_label, name)
    except LookupError:
        return None


def _migrates(model: Any, alias: str) -> bool:
    if model is None:
        return False
    meta = model._meta
    if meta.proxy or not meta.managed or meta.swapped:
        return False
    try:
        return router.allow_migrate_model(alias, model)
    except Exception:  # the backend cannot be imported: assume the default router's answer
        return True


def _m2m_tables(model: Any) -> list[str]:
    return [
        f.remote_field.through._meta.db_table
        for f in model._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created
    ]


def _column_type(field: Any, connection: Any) -> str | None:
    if connection is None:
        path, args, kwargs = field.deconstruct()[1:]
        for key in (
            "null",
            "blank",
            "default",
            "db_default",
            "help_text",
            "verbose_name",
            "editable",
            "choices",
            "validators",
            "error_messages",
            "unique",
            "db_index",
            "db_comment",
            "related_name",
            "on_delete",
        ):
            kwargs.pop(key, None)
        return f"{path}({args}, {sorted(kwargs.items())!r})"
    try:
        return field.db_type(connection)
    except Exception:
        return None


def _has_db_default(field: Any) -> bool:
    return getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED


def field_facts(field: Any) -> ColumnAdded:
    """Column properties of a rendered field."""
    return ColumnAdded(
        table=field.model._meta.db_table,
        column=field.column,
        null=bool(field.null),
        db_default=_has_db_default(field),
        default=field.has_default(),
        unique=bool(field.unique),
        db_index=bool(field.db_index),
    )


@dataclass(frozen=True)
class _Around:
    """One operation's context: the states before and after it, where it runs."""

    app_label: str
    from_state: Any
    to_state: Any
    connection: Any
    alias: str

    def before(self, name: str) -> Any:
        return _model(self.from_state, self.app_label, name)

    def after(self, name: str) -> Any:
        """The model after the operation, or None when it is not migrated on this alias."""
        model = _model(self.to_state, self.app_label, name)
        return model if _migrates(model, self.alias) else None


NOTHING = OperationFacts()


def _create_model(op: Any, at: _Around) -> OperationFacts:
    model = at.after(op.name)
    if model is None:
        return NOTHING
    return OperationFacts(tables_created=(model._meta.db_table, *_m2m_tables(model)))


def _delete_model(op: Any, at: _Around) -> OperationFacts:
    model = at.before(op.name)
    if not _migrates(model, at.alias):
        return NOTHING
    return OperationFacts(
        tables_dropped=(model._meta.db_table, *_m2m_tables(model)),
        tables_recreated=_creation(model, at.connection),
    )


def _creation(model: Any, connection: Any) -> tuple[str, ...] | None:
    """Django's statements creating ``model``'s table (and its auto M2M tables), offline, from
    a schema editor of its own (the renderer's stays the connection's). PostgreSQL only: the
    two-release table removal, which reads them, is a PostgreSQL rewrite."""
    if connection is None or connection.vendor != "postgresql":
        return None
    from .offline import schema_editor

    previous = getattr(connection, "offline_editor", None)
    try:
        editor = schema_editor(connection)
        editor.begin_migration()
        editor.begin_operation(lambda table: None)
        editor.create_model(model)
        statements = editor.end_operation(None)
        return tuple(statements + [s for _, s in editor.end_migration()])
    except Exception:  # a model the offline editor cannot create: no reverse known
        return None
    finally:
        connection.offline_editor = previous


def _rename_table(op: Any, at: _Around) -> OperationFacts:
    renames_model = isinstance(op, ops.RenameModel)
    old = at.before(op.old_name if renames_model else op.name)
    new = at.after(op.new_name if renames_model else op.name)
    if new is None or old is None or old._meta.db_table == new._meta.db_table:
        return NOTHING
    return OperationFacts(table_renamed=(old._meta.db_table, new._meta.db_table))


def _auto_through(field: Any) -> str | None:
    through = field.remote_field.through
    return through._meta.db_table if through._meta.auto_created else None


def _add_field(op: Any, at: _Around) -> OperationFacts:
    model = at.after(op.model_name)
    if model is None:
        return NOTHING
    field = model._meta.get_field(op.name)
    if field.many_to_many:
        through = _auto_through(field)
        return OperationFacts(tables_created=(through,)) if through else NOTHING
    return OperationFacts(column_added=field_facts(field))


def _remove_field(op: Any, at: _Around) -> OperationFacts:
    model = at.before(op.model_name)
    if not _migrates(model, at.alias):
        return NOTHING
    field = model._meta.get_field(op.name)
    if field.many_to_many:
        through = _auto_through(field)
        if not through:
            return NOTHING
        created = _creation(field.remote_field.through, at.connection)
        return OperationFacts(tables_dropped=(through,), tables_recreated=created)
    if not field.column:
        return NOTHING
    return OperationFacts(column_dropped=_dropped(model, field, at.connection))


def _dropped(model: Any, field: Any, connection: Any) -> ColumnDropped:
    table = model._meta.db_table
    references = None
    if field.is_relation and getattr(field, "db_constraint", False):
        target = field.target_field
        references = (target.model._meta.db_table, target.column)
    index = None
    if connection is not None and field.db_index and not field.unique:
        editor = connection.schema_editor(collect_sql=True, atomic=False)
        index = editor._create_index_name(table, [field.column], suffix="")
    return ColumnDropped(
        table=table,
        column=field.column,
        null=bool(field.null),
        db_type=_column_type(field, connection) if connection is not None else None,
        references=references,
        index=index,
    )


def _rename_field(op: Any, at: _Around) -> OperationFacts:
    old_model, new_model = at.before(op.model_name), at.after(op.model_name)
    if new_model is None or old_model is None:
        return NOTHING
    old = old_model._meta.get_field(op.old_name)
    new = new_model._meta.get_field(op.new_name)
    if not (old.column and new.column and old.column != new.column):
        return NOTHING
    return OperationFacts(
        column_renamed=ColumnRenamed(new_model._meta.db_table, old.column, new.column)
    )


def _alter_field(op: Any, at: _Around) -> OperationFacts:
    old_model, new_model = at.before(op.model_name), at.after(op.model_name)
    if new_model is None or old_model is None:
        return NOTHING
    old = old_model._meta.get_field(op.name)
    new = new_model._meta.get_field(op.name)
    if old.many_to_many or new.many_to_many:
        return NOTHING
    return OperationFacts(
        column_altered=ColumnAltered(
            table=new_model._meta.db_table,
            column=new.column,
            old_column=old.column,
            old_type=_column_type(old, at.connection),
            new_type=_column_type(new, at.connection),
            old_null=bool(old.null),
            new_null=bool(new.null),
            old_unique=bool(old.unique),
            new_unique=bool(new.unique),
            db_default=_has_db_default(new),
            not_null_checked=_has_not_null_check(old_model, old.name),
            old_collation=getattr(old, "db_collation", None) or "",
            new_collation=getattr(new, "db_collation", None) or "",
        )
    )


def _has_not_null_check(model: Any, field_name: str) -> bool:
    """A CheckConstraint ``Q(field__isnull=False)`` on the model (Django 4.2 ``check``, 5.1+
    ``condition``)."""
    wanted = (f"{field_name}__isnull", False)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        condition = getattr(constraint, "condition", None) or getattr(constraint, "check", None)
        if not isinstance(condition, models.Q) or condition.negated:
            continue
        # children are (lookup, value) pairs or nested Q objects (``(Q(a) | Q(b)) & Q(c)``)
        if condition.children and all(child == wanted for child in condition.children):
            return True
    return False


def _alter_unique_together(op: Any, at: _Around) -> OperationFacts:
    old_model, new_model = at.before(op.name), at.after(op.name)
    if new_model is None:
        return NOTHING
    olds = {tuple(f) for f in (old_model._meta.unique_together if old_model else ())}
    added = [f for f in new_model._meta.unique_together if tuple(f) not in olds]
    if not added:
        return NOTHING
    columns = tuple(new_model._meta.get_field(f).column for f in added[0])
    return OperationFacts(unique_added=UniqueAdded(new_model._meta.db_table, columns, None))


#: UniqueConstraint attribute -> the backend feature Django's schema editor needs to create it
#: (``BaseDatabaseSchemaEditor._unique_supported``); without it Django runs no SQL at all
_UNIQUE_FEATURES = (
    ("condition", "supports_partial_indexes"),
    ("deferrable", "supports_deferrable_unique_constraints"),
    ("include", "supports_covering_indexes"),
    ("expressions", "supports_expression_indexes"),
)


def _backend_skips(constraint: Any, connection: Any) -> bool:
    """The backend lacks a feature the constraint needs, so Django creates nothing (MySQL and
    MariaDB: a condition, deferrable; MariaDB also expressions). Unknown without a connection."""
    if connection is None:
        return False
    needed = [feature for attr, feature in _UNIQUE_FEATURES if getattr(constraint, attr, None)]
    if getattr(constraint, "nulls_distinct", None) is not None:  # Django 5.0+
        needed.append("supports_nulls_distinct_unique_constraints")
    try:
        return not all(getattr(connection.features, feature, False) for feature in needed)
    except Exception:  # a feature that needs the live server: assume Django creates it
        return False


def _add_constraint(op: Any, at: _Around) -> OperationFacts:
    model = at.after(op.model_name)
    constraint = op.constraint
    if model is None or not isinstance(constraint, models.UniqueConstraint):
        return NOTHING
    if _backend_skips(constraint, at.connection):
        return NOTHING
    columns = tuple(model._meta.get_field(f).column for f in constraint.fields)
    return OperationFacts(unique_added=UniqueAdded(model._meta.db_table, columns, constraint.name))


def _alter_order_with_respect_to(op: Any, at: _Around) -> OperationFacts:
    """Setting order_with_respect_to adds the ``_order`` column (NOT NULL, default 0 only while
    it is added); unsetting it drops the column."""
    old_model, new_model = at.before(op.name), at.after(op.name)
    if new_model is None or old_model is None:
        return NOTHING
    had = old_model._meta.order_with_respect_to is not None
    has = new_model._meta.order_with_respect_to is not None
    if has and not had:
        return OperationFacts(column_added=field_facts(new_model._meta.get_field("_order")))
    if had and not has:
        return OperationFacts(column_dropped=ColumnDropped(old_model._meta.db_table, "_order"))
    return NOTHING


def _add_index(op: Any, at: _Around) -> OperationFacts:
    model = at.after(op.model_name)
    if model is None:
        return NOTHING
    index = op.index
    columns = tuple(model._meta.get_field(f.lstrip("-")).column for f in (index.fields or ()))
    return OperationFacts(
        index_added=IndexAdded(
            table=model._meta.db_table,
            columns=columns,
            name=index.name,
            unique=False,
            concurrently=type(op).__name__ == "AddIndexConcurrently",
        )
    )


def _remove_index(op: Any, at: _Around) -> OperationFacts:
    model = at.before(op.model_name)
    if not _migrates(model, at.alias):
        return NOTHING
    return OperationFacts(
        index_dropped=IndexDropped(
            table=model._meta.db_table,
            name=op.name,
            concurrently=type(op).__name__ == "RemoveIndexConcurrently",
        )
    )


PRODUCERS: dict[type, Callable[[Any, _Around], OperationFacts]] = {
    ops.CreateModel: _create_model,
    ops.DeleteModel: _delete_model,
    ops.RenameModel: _rename_table,
    ops.AlterModelTable: _rename_table,
    ops.AddField: _add_field,
    ops.RemoveField: _remove_field,
    ops.RenameField: _rename_field,
    ops.AlterField: _alter_field,
    ops.AlterUniqueTogether: _alter_unique_together,
    ops.AddConstraint: _add_constraint,
    ops.AlterOrderWithRespectTo: _alter_order_with_respect_to,
    ops.AddIndex: _add_index,
    ops.RemoveIndex: _remove_index,
}
"""Operation class -> its facts producer; subclasses (AddIndexConcurrently, …) use their base's."""


def schema_facts(
    op: Any, app_label: str, from_state: Any, to_state: Any, connection: Any, alias: str
) -> OperationFacts:
    """Typed facts for one schema operation (``NOTHING`` when nothing applies)."""
    for cls in type(op).__mro__:
        producer = PRODUCERS.get(cls)
        if producer is not None:
            return producer(op, _Around(app_label, from_state, to_state, connection, alias))
    return NOTHING


def operation_facts(
    op: Any, app_label: str, from_state: Any, to_state: Any, connection: Any, alias: str
) -> dict[str, Any]:
    """The wire form of ``schema_facts`` (see docs/internals.md); {} when nothing applies."""
    return schema_facts(op, app_label, from_state, to_state, connection, alias).to_dict()


def function_info(code: Any) -> FunctionInfo | None:
    """Describe a RunPython callable for the rules: name, source, args, module globals."""
    if code is None:
        return None
    func = code
    while isinstance(func, functools.partial):
        func = func.func
    try:
        args: tuple[str, ...] | None = tuple(inspect.getfullargspec(code).args)
    except TypeError:
        args = None
    try:
        source: str | None = inspect.getsource(func)
    except (OSError, TypeError):
        source = None
    try:
        path = inspect.getsourcefile(func)
    except TypeError:
        path = None
    code_obj = getattr(func, "__code__", None)
    module = sys.modules.get(getattr(func, "__module__", "") or "")
    return FunctionInfo(
        name=getattr(func, "__name__", repr(func)),
        qualname=getattr(func, "__qualname__", getattr(func, "__name__", repr(func))),
        source=source,
        args=args,
        path=path,
        line=code_obj.co_firstlineno if code_obj else None,
        module_globals=module_globals(module) if module else {},
        is_noop=func is ops.RunPython.noop,
    )


def module_globals(module: types.ModuleType) -> dict[str, str]:
    """Kinds of the names bound at the top of a module: model, import or other."""
    result: dict[str, str] = {}
    for name, value in vars(module).items():
        if name.startswith("__"):
            continue
        if isinstance(value, type) and issubclass(value, models.Model):
            result[name] = "model"
        elif (
            isinstance(value, types.ModuleType)
            or getattr(value, "__module__", module.__name__) != module.__name__
        ):
            result[name] = "import"
        else:
            result[name] = "other"
    return result


def runpython_facts(op: Any) -> dict[str, Any]:
    """Facts for the RunPython rules, wire form (the code is never executed)."""
    facts = RunPythonFacts(
        reversible=op.reverse_code is not None,
        code=function_info(op.code),
        reverse_code=function_info(op.reverse_code),
    )
    return OperationFacts(runpython=facts).to_dict()


def _state_columns(state: Any) -> dict[str, set[str]]:
    """db_table -> columns of every model in a ProjectState (from the model states: no render)."""
    tables: dict[str, set[str]] = {}
    for (app_label, name), model_state in state.models.items():
        table = model_state.options.get("db_table") or f"{app_label}_{name}"
        columns = tables.setdefault(table, set())
        for field_name, field in model_state.fields.items():
            if getattr(field, "many_to_many", False):
                continue
            relation = getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)
            columns.add(field.db_column or (f"{field_name}_id" if relation else field_name))
    return tables


def outside_state(statements: list[str], state: Any) -> tuple[str, ...]:
    """What the statements drop that the state no longer has (``table`` / ``table.column``)."""
    found: list[str] = []
    tables: dict[str, set[str]] | None = None
    for statement in statements:
        target = drop_target(statement)
        if target is None:
            continue
        tables = _state_columns(state) if tables is None else tables
        table, column = target
        if column is None and table not in tables:
            found.append(table)
        elif column is not None and table in tables and column not in tables[table]:
            found.append(f"{table}.{column}")
    return tuple(found)


def runsql_facts(
    op: Any, state: Any, statements: list[str], reverse_statements: list[str]
) -> dict[str, Any]:
    """Facts for the RunSQL rules, wire form: reversibility and drops outside the state."""
    facts = RunSQLFacts(
        reversible=op.reversible,
        reverse_statements=tuple(reverse_statements),
        outside_state=outside_state(statements, state),
    )
    return OperationFacts(runsql=facts).to_dict()


LOCK_TIMEOUT_OPTION = re.compile(r"lock_timeout\s*=\s*'?(?P<value>[^\s']+)")


def connection_sets_lock_timeout(alias: str) -> bool:
    """True when the alias's ``OPTIONS`` (libpq ``options``, e.g. ``-c lock_timeout=5s``) set a
    non-zero ``lock_timeout`` for every session, so migrations run with one."""
    from django.conf import settings

    database = settings.DATABASES.get(alias) or {}
    options = database.get("OPTIONS") or {}
    match = LOCK_TIMEOUT_OPTION.search(str(options.get("options") or ""))
    return match is not None and match["value"] not in ("0", "0ms", "0s")
