"""What an operation does to the schema, read from the operation and the states around it.

The SQL says how; these facts say what (a column added NOT NULL, a table rebuilt, …) in a
vendor-neutral dict (schema in docs/internals.md). Rules use them where SQL is missing or
ambiguous (vendors we cannot render for, SQLite table rebuilds).
"""

from __future__ import annotations

import functools
import inspect
import sys
import types
from typing import Any

from django.db import models, router
from django.db.migrations import operations as ops

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


def field_facts(field: Any) -> dict[str, Any]:
    """Column properties of a rendered field."""
    return {
        "table": field.model._meta.db_table,
        "column": field.column,
        "null": bool(field.null),
        "db_default": _has_db_default(field),
        "default": field.has_default(),
        "unique": bool(field.unique),
        "db_index": bool(field.db_index),
    }


def operation_facts(
    op: Any,
    app_label: str,
    from_state: Any,
    to_state: Any,
    connection: Any,
    alias: str,
) -> dict[str, Any]:
    """Facts for one schema operation (see docs/internals.md); {} when nothing applies."""
    facts: dict[str, Any] = {}
    if isinstance(op, ops.CreateModel):
        model = _model(to_state, app_label, op.name)
        if _migrates(model, alias):
            facts["tables_created"] = [model._meta.db_table, *_m2m_tables(model)]
    elif isinstance(op, ops.DeleteModel):
        model = _model(from_state, app_label, op.name)
        if _migrates(model, alias):
            facts["tables_dropped"] = [model._meta.db_table, *_m2m_tables(model)]
    elif isinstance(op, (ops.RenameModel, ops.AlterModelTable)):
        old_name = op.old_name if isinstance(op, ops.RenameModel) else op.name
        new_name = op.new_name if isinstance(op, ops.RenameModel) else op.name
        old = _model(from_state, app_label, old_name)
        new = _model(to_state, app_label, new_name)
        if _migrates(new, alias) and old is not None and old._meta.db_table != new._meta.db_table:
            facts["table_renamed"] = [old._meta.db_table, new._meta.db_table]
    elif isinstance(op, ops.AddField):
        model = _model(to_state, app_label, op.model_name)
        if _migrates(model, alias):
            field = model._meta.get_field(op.name)
            if field.many_to_many:
                through = field.remote_field.through
                if through._meta.auto_created:
                    facts["tables_created"] = [through._meta.db_table]
            else:
                facts["column_added"] = field_facts(field)
    elif isinstance(op, ops.RemoveField):
        model = _model(from_state, app_label, op.model_name)
        if _migrates(model, alias):
            field = model._meta.get_field(op.name)
            if field.many_to_many:
                through = field.remote_field.through
                if through._meta.auto_created:
                    facts["tables_dropped"] = [through._meta.db_table]
            elif field.column:
                facts["column_dropped"] = {"table": model._meta.db_table, "column": field.column}
    elif isinstance(op, ops.RenameField):
        old_model = _model(from_state, app_label, op.model_name)
        new_model = _model(to_state, app_label, op.model_name)
        if _migrates(new_model, alias) and old_model is not None:
            old = old_model._meta.get_field(op.old_name)
            new = new_model._meta.get_field(op.new_name)
            if old.column and new.column and old.column != new.column:
                facts["column_renamed"] = {
                    "table": new_model._meta.db_table,
                    "old": old.column,
                    "new": new.column,
                }
    elif isinstance(op, ops.AlterField):
        old_model = _model(from_state, app_label, op.model_name)
        new_model = _model(to_state, app_label, op.model_name)
        if _migrates(new_model, alias) and old_model is not None:
            old = old_model._meta.get_field(op.name)
            new = new_model._meta.get_field(op.name)
            if not old.many_to_many and not new.many_to_many:
                facts["column_altered"] = {
                    "table": new_model._meta.db_table,
                    "column": new.column,
                    "old_column": old.column,
                    "old_type": _column_type(old, connection),
                    "new_type": _column_type(new, connection),
                    "old_null": bool(old.null),
                    "new_null": bool(new.null),
                    "old_unique": bool(old.unique),
                    "new_unique": bool(new.unique),
                    "db_default": _has_db_default(new),
                }
    elif isinstance(op, ops.AlterUniqueTogether):
        old_model = _model(from_state, app_label, op.name)
        new_model = _model(to_state, app_label, op.name)
        if _migrates(new_model, alias):
            olds = {tuple(f) for f in (old_model._meta.unique_together if old_model else ())}
            added = [f for f in new_model._meta.unique_together if tuple(f) not in olds]
            if added:
                columns = [new_model._meta.get_field(f).column for f in added[0]]
                facts["unique_added"] = {
                    "table": new_model._meta.db_table,
                    "columns": columns,
                    "name": None,
                }
    elif isinstance(op, ops.AddConstraint):
        model = _model(to_state, app_label, op.model_name)
        constraint = op.constraint
        if _migrates(model, alias) and isinstance(constraint, models.UniqueConstraint):
            facts["unique_added"] = {
                "table": model._meta.db_table,
                "columns": [model._meta.get_field(f).column for f in constraint.fields],
                "name": constraint.name,
            }
    elif isinstance(op, ops.AddIndex):
        model = _model(to_state, app_label, op.model_name)
        if _migrates(model, alias):
            index = op.index
            facts["index_added"] = {
                "table": model._meta.db_table,
                "columns": [
                    model._meta.get_field(f.lstrip("-")).column for f in (index.fields or ())
                ],
                "name": index.name,
                "unique": False,
                "concurrently": type(op).__name__ == "AddIndexConcurrently",
            }
    elif isinstance(op, ops.RemoveIndex):
        model = _model(from_state, app_label, op.model_name)
        if _migrates(model, alias):
            facts["index_dropped"] = {
                "table": model._meta.db_table,
                "name": op.name,
                "concurrently": type(op).__name__ == "RemoveIndexConcurrently",
            }
    return facts


def function_info(code: Any) -> dict[str, Any] | None:
    """Describe a RunPython callable for the rules: name, source, args, module globals."""
    if code is None:
        return None
    func = code
    while isinstance(func, functools.partial):
        func = func.func
    try:
        args = list(inspect.getfullargspec(code).args)
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
    return {
        "name": getattr(func, "__name__", repr(func)),
        "qualname": getattr(func, "__qualname__", getattr(func, "__name__", repr(func))),
        "source": source,
        "args": args,
        "path": path,
        "line": code_obj.co_firstlineno if code_obj else None,
        "module_globals": module_globals(module) if module else {},
        "is_noop": func is ops.RunPython.noop,
    }


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
    """Facts for the RunPython rules (the code is never executed)."""
    return {
        "runpython": {
            "reversible": op.reverse_code is not None,
            "code": function_info(op.code),
            "reverse_code": function_info(op.reverse_code),
        }
    }
