"""The models one operation needs rendered, chosen from the unrendered running state.

For an operation: its models (the seeds) in full, and for operations that rewrite references
(``NEEDS_REVERSE``) the models pointing at them; explicit through models in full too; the
models those point at as stubs (primary key and the fields pointed at). A field operation's own
model may come as a field slice (``slicing``). The reverse index (who points at whom) is kept
incrementally as the running state changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.migrations import operations as ops
from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.fields import FieldOperation
from django.db.migrations.operations.models import ModelOperation
from django.db.migrations.state import ModelState, ProjectState
from django.db.migrations.utils import resolve_relation

from .slicing import field_slice, worth_slicing

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

#: The field operations among them whose SQL reads the models pointing at the field only when
#: one does (a relation to it, or to the primary key it is) and it is unique (a primary key is),
#: or when it is a many-to-many: Django's schema editors follow references
#: (``_related_non_m2m_objects``, SQLite's rebuild of the tables pointing at it) only on a
#: unique field's type or collation change
FIELD_REVERSE = (ops.AlterField, ops.RenameField, ops.RemoveField)

#: The options a stub keeps: what its table is, not how it behaves.
STUB_OPTIONS = ("db_table", "db_tablespace", "managed", "proxy", "swappable", "abstract")


def real_model_states(real_apps: Iterable[str]) -> dict[Key, ModelState]:
    """The model states of the unmigrated apps (Django's ``real_apps``)."""
    from django.apps import apps

    states: dict[Key, ModelState] = {}
    for label in real_apps:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            states[(label, str(model._meta.model_name))] = ModelState.from_model(model)
    return states


def needs_reverse(
    op: Any,
    app_label: str,
    state: ProjectState,
    referrers: Callable[[ProjectState, set[Key]], set[Key]],
) -> bool:
    """True when the SQL of ``op`` (not applied to ``state`` yet) depends on the models
    pointing at its models: always for the model operations of ``NEEDS_REVERSE``; for a field
    operation (``FIELD_REVERSE``, exactly: a subclass may do more) when the field before or
    after it is a many-to-many, or is unique and a model of ``referrers(state, {its model})``
    points at it (or it is unknown)."""
    if not isinstance(op, NEEDS_REVERSE):
        return False
    if type(op) not in FIELD_REVERSE or not isinstance(op, FieldOperation):
        return True
    key = (app_label, op.model_name_lower)
    model_state = state.models.get(key)
    name = op.old_name if isinstance(op, ops.RenameField) else op.name
    old = model_state.fields.get(name) if model_state is not None else None
    if old is None:
        return True
    fields = [old, op.field] if isinstance(op, ops.AlterField) else [old]
    if any(f.many_to_many for f in fields):
        return True
    if not any(f.unique for f in fields):
        return False
    pk = any(f.primary_key for f in fields)
    return any(
        points_at_field(state.models[k], k, key, name, pk)
        for k in referrers(state, {key})
        if k in state.models
    )


def points_at_field(model_state: ModelState, key: Key, target: Key, name: str, pk: bool) -> bool:
    """True when a field of ``model_state`` (model ``key``) may point at field ``name`` of
    ``target`` (``pk``: that field is, or becomes, the primary key, which a relation without
    ``to_field`` and a many-to-many point at); an unresolvable relation may."""
    for f in model_state.fields.values():
        remote = f.remote_field
        if remote is None:
            continue
        try:
            if resolve_relation(remote.model, key[0], key[1]) != target:
                continue
        except (TypeError, ValueError, AttributeError):
            return True
        if f.many_to_many:
            if pk:
                return True
            continue
        to_fields = [*(getattr(f, "to_fields", None) or ()), getattr(remote, "field_name", None)]
        if name in to_fields or (pk and all(t is None for t in to_fields)):
            return True
    return False


def field_refs(field_obj: Any, app_label: str, model_name: str) -> set[Key]:
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


def base_key(base: Any, app_label: str) -> Key | None:
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
        return (base._meta.app_label, str(base._meta.model_name))
    return None


def _note_targets(model_state: ModelState, key: Key, needed: dict[Key, set[str]]) -> None:
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
        parent = base_key(base, model_state.app_label)
        if parent is not None:
            needed.setdefault(parent, set())


def stub(model_state: ModelState, field_names: set[str]) -> ModelState:
    """A model state with only its primary key and the fields others point at."""
    fields = [
        (name, f)
        for name, f in model_state.fields.items()
        if getattr(f, "primary_key", False) or name in field_names
    ]
    options = {k: v for k, v in model_state.options.items() if k in STUB_OPTIONS}
    return ModelState(
        model_state.app_label,
        model_state.name,
        fields,
        options=options,
        bases=model_state.bases,
        managers=[],
    )


class ModelSubsetter:
    """Chooses and snapshots the model states each operation is rendered from."""

    def __init__(self, real_models: dict[Key, ModelState]) -> None:
        self.real_models = real_models
        self._reverse: dict[Key, set[Key]] | None = None
        self._outgoing: dict[Key, set[Key]] = {}
        self._reverse_state: ProjectState | None = None
        #: (model, field names) of the operation being rendered, when it is sliced
        self.slice: tuple[Key, frozenset[str]] | None = None
        self._pk_names: dict[Key, str] = {}  # model -> its primary key field (slicing)

    def seeds(
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

    def subset(
        self, state: ProjectState, seeds: set[Key] | None, reverse: bool, clone: bool
    ) -> dict[Key, ModelState]:
        """The model states an operation needs: its models (and, when ``reverse``, the models
        pointing at them) in full, the models those point at as stubs (key fields only)."""
        if seeds is None:
            return self.snapshot(state, None, clone)
        full = set(seeds)
        if reverse:
            full |= self.pointing_at(state, seeds)
        sliced: dict[Key, ModelState] = {}
        if self.slice is not None and worth_slicing(state.models.get(self.slice[0])):
            key, names = self.slice
            sliced[key] = field_slice(state.models[key], names, self._pk_names)
        self._add_through_models(state, full, sliced)
        out = self.snapshot(state, full - sliced.keys(), clone)
        out.update((k, v) for k, v in sliced.items() if k in full)
        self._add_stubs(state, out)
        return out

    def _add_through_models(
        self, state: ProjectState, full: set[Key], sliced: dict[Key, ModelState]
    ) -> None:
        """Explicit through models of the models in ``full`` are rendered in full too."""
        todo = list(full)
        while todo:
            key = todo.pop()
            model_state = sliced.get(key) or state.models.get(key) or self.real_models.get(key)
            if model_state is None:
                continue
            for f in model_state.fields.values():
                through = getattr(f.remote_field, "through", None) if f.remote_field else None
                if through is None:
                    continue
                try:
                    target = resolve_relation(through, key[0], key[1])
                except (TypeError, ValueError, AttributeError):
                    continue
                if target not in full:
                    full.add(target)
                    todo.append(target)

    def _add_stubs(self, state: ProjectState, out: dict[Key, ModelState]) -> None:
        """Stubs of every model ``out`` points at (and that those stubs point at)."""
        needed: dict[Key, set[str]] = {}
        for key, model_state in list(out.items()):
            _note_targets(model_state, key, needed)
        while True:
            pending = [k for k in needed if k not in out]
            if not pending:
                break
            for key in pending:
                found = state.models.get(key) or self.real_models.get(key)
                if found is None:
                    needed.pop(key)
                    continue
                out[key] = stub(found, needed[key])
                _note_targets(out[key], key, needed)

    def pointing_at(self, state: ProjectState, targets: set[Key]) -> set[Key]:
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
                refs |= field_refs(f, key[0], key[1])
        self._outgoing[key] = refs
        for target in refs:
            self._reverse.setdefault(target, set()).add(key)

    def forget_relations(self) -> None:
        """The running state changed in a way not followed: rebuild the index on next use."""
        self._reverse = None

    def relations_changed(self, op: Any, seeds: set[Key] | None) -> None:
        """Keep the reverse index current after ``op`` changed the running state."""
        if self._reverse is None:
            return
        state = self._reverse_state
        if state is None or seeds is None or isinstance(op, (ops.RenameModel, ops.RenameField)):
            self._reverse = None  # rebuilt on next use
            return
        for key in seeds:
            self._index(key, state.models.get(key))

    def snapshot(
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
