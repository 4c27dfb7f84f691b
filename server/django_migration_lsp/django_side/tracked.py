"""The running project state with the database's constraint names, and the table and column
names of unrendered model states (how the names follow an operation nobody renders)."""

from __future__ import annotations

from typing import Any

import django
from django.db.migrations import operations as ops
from django.db.migrations.state import ModelState, ProjectState
from django.db.models import NOT_PROVIDED

from .names import NameBook, copy_book


class TrackedState(ProjectState):
    """The project state and the database's constraint names (``NameBook``), cloned together."""

    name_book: NameBook

    def alter_field(
        self, app_label: str, model_name: str, name: str, field: Any, preserve_default: bool
    ) -> None:
        """``ProjectState.alter_field``, without its search of every model for fields referring
        to this one when the state is never rendered and keeps no relation index (the running
        state): that search only decides how a rendered registry reloads (``reload_model``),
        and it is a scan of the whole project per ``AlterField``."""
        if "apps" in self.__dict__ or getattr(self, "_relations", None) is not None:
            super().alter_field(app_label, model_name, name, field, preserve_default)
            return
        if not preserve_default:
            field = field.clone()
            field.default = NOT_PROVIDED
        self.models[app_label, model_name].fields[name] = field

    def clone(self) -> TrackedState:
        new = super().clone()
        new.__class__ = TrackedState  # ProjectState.clone builds a plain ProjectState
        assert isinstance(new, TrackedState)
        new.name_book = copy_book(self.name_book)
        return new


def tracked_state(
    models: dict[Any, Any] | None = None, book: NameBook | None = None
) -> TrackedState:
    state = TrackedState(models=models or {}, real_apps=set())
    state.name_book = book if book is not None else NameBook()
    return state


def state_columns(model_state: ModelState) -> dict[str, str]:
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


def state_tables(model_state: ModelState) -> list[str]:
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


def renamed_keys(op: Any, app_label: str, state: ProjectState) -> dict[str, Any] | None:
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
    return {
        "keys": keys,
        "tables": state_tables(model_state),
        "columns": state_columns(model_state),
    }


def follow_state_renames(
    book: NameBook, before: dict[str, Any], state: ProjectState, op: Any
) -> None:
    """Move recorded names along the renames an unrendered operation made."""
    after = next((state.models[k] for k in before["keys"] if k in state.models), None)
    if after is None:
        return
    tables = state_tables(after)
    for old, new in zip(before["tables"], tables, strict=False):
        if old != new:
            book.rename_table(old, new)
    if not tables:
        return
    old_name = getattr(op, "old_name", None) if isinstance(op, ops.RenameField) else None
    new_name = getattr(op, "new_name", None) if old_name else getattr(op, "name", None)
    old_column = before["columns"].get(old_name or new_name)
    new_column = state_columns(after).get(new_name) if new_name else None
    if old_column and new_column and old_column != new_column:
        book.rename_column(tables[0], old_column, new_column)


def rebuilds_matter(migration: Any, state: ProjectState, vendor: str | None) -> bool:
    """Whether advancing over ``migration`` without rendering it would lose what the database
    lost: on SQLite since Django 5.1 a table rebuild drops the ``index_together`` indexes, and
    only rendering tells which operations rebuild (``names.NameBook.gone``)."""
    if vendor != "sqlite" or django.VERSION < (5, 1):
        return False
    for op in migration.operations:
        name = getattr(op, "model_name_lower", None) or getattr(op, "name_lower", None)
        model_state = state.models.get((migration.app_label, name)) if name else None
        if model_state is not None and model_state.options.get("index_together"):
            return True
    return False
