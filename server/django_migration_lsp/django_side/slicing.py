"""Field slices: the part of a model an operation on one of its fields needs rendered.

A field operation (``AddField``, ``RemoveField``, ``AlterField``, ``RenameField``) is rendered
from the states before and after it, and rendering a model costs one step per field: on a model
that a long migration keeps adding fields to, rendering the whole model for each operation is
quadratic (1,000 ``AddField``s: 17.7 s). The SQL of such an operation depends only on the table,
the primary key, the field itself and the fields the model's indexes and constraints name, so
it is rendered from a model state with those fields alone (primary key first, then by name:
column order shows in no statement of a field operation): linear in the migration's length.

Not sliced: models of at most ``WHOLE_UP_TO`` fields (a slice saves little there, and the whole
model's registry is the one the operations around it render, so it is reused: a tenth less
render time on the synthetic project); on SQLite, anything but an ``AddField`` that Django adds
with ``ADD COLUMN`` (a table rebuild writes every column); models whose indexes or constraints
use expressions or conditions (the fields they reach are not listed); ``order_with_respect_to``.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations import AddField, AlterField, RemoveField, RenameField
from django.db.migrations.state import ModelState
from django.db.models import NOT_PROVIDED

Key = tuple[str, str]
FIELD_OPERATIONS = (AddField, RemoveField, AlterField, RenameField)

#: models with at most this many fields are rendered whole
WHOLE_UP_TO = 32


def slice_request(op: Any, app_label: str, vendor: str | None) -> tuple[Key, frozenset[str]] | None:
    """(the model, the fields the operation names) when ``op`` may be rendered from a slice."""
    if vendor is None or type(op) not in FIELD_OPERATIONS:
        return None
    if vendor == "sqlite" and not (isinstance(op, AddField) and sqlite_adds_column(op.field)):
        return None
    if isinstance(op, RenameField):
        names = frozenset({op.old_name, op.new_name})
    else:
        names = frozenset({op.name})
    return (app_label, op.model_name_lower), names


def worth_slicing(model_state: ModelState | None) -> bool:
    """True when rendering a slice of ``model_state`` (a model of the running state) pays."""
    return model_state is not None and len(model_state.fields) > WHOLE_UP_TO


def sqlite_adds_column(field: Any) -> bool:
    """True when Django's SQLite schema editor adds ``field`` with ``ALTER TABLE … ADD COLUMN``
    (the conditions of ``sqlite3.schema.DatabaseSchemaEditor.add_field``), not by rebuilding
    the table from every column."""
    return bool(
        field.null
        and not field.many_to_many
        and not field.primary_key
        and not field.unique
        and not field.has_default()
        and getattr(field, "db_default", NOT_PROVIDED) is NOT_PROVIDED
    )


def _named_by_options(options: dict[str, Any]) -> set[str] | None:
    """Fields the model's options refer to; None when they may refer to others unnamed."""
    if options.get("order_with_respect_to"):
        return None
    names: set[str] = set()
    for index in options.get("indexes", ()):
        if getattr(index, "expressions", ()) or getattr(index, "condition", None) is not None:
            return None
        names |= {f.lstrip("-") for f in index.fields}
        names |= set(getattr(index, "include", ()) or ())
    for constraint in options.get("constraints", ()):
        fields = getattr(constraint, "fields", None)
        if (
            fields is None
            or getattr(constraint, "expressions", None)
            or getattr(constraint, "condition", None) is not None
        ):
            return None
        names |= set(fields) | set(getattr(constraint, "include", ()) or ())
    for option in ("unique_together", "index_together"):
        for group in options.get(option) or ():
            names |= set(group)
    return names


def _pk_name(model_state: ModelState, known: dict[Key, str]) -> str | None:
    """The primary key's field name, remembered in ``known`` (a scan of the fields the first
    time, and whenever the remembered one is no longer the primary key)."""
    key = (model_state.app_label, model_state.name_lower)
    name = known.get(key)
    field = model_state.fields.get(name) if name is not None else None
    if field is not None and getattr(field, "primary_key", False):
        return name
    for name, field in model_state.fields.items():
        if getattr(field, "primary_key", False):
            known[key] = name
            return name
    return None


def field_slice(
    model_state: ModelState, names: frozenset[str], pk_names: dict[Key, str]
) -> ModelState:
    """A new state of the model with only its primary key, ``names`` and the fields its options
    name, in the model's order for small models; costs what it keeps, not the model's size.
    ``pk_names``: the primary keys found so far (see ``_pk_name``), updated."""
    keep = _named_by_options(model_state.options)
    if keep is None:
        return model_state.clone()
    keep |= names
    pk = _pk_name(model_state, pk_names)
    order = [pk] if pk is not None else []
    order += sorted(name for name in keep if name != pk and name in model_state.fields)
    return ModelState(
        model_state.app_label,
        model_state.name,
        [(name, model_state.fields[name]) for name in order],
        options=dict(model_state.options),
        bases=model_state.bases,
        managers=list(model_state.managers),
    )
