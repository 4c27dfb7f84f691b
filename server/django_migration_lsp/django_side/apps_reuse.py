"""Rendered model registries reused across operations rendered from the same model states.

Each schema operation is rendered from a small ``ProjectState`` before it and one after it
(``subsetting``). Rendering one (``ProjectState.apps``: a ``StateApps`` building a model class
per state) is most of a render's time, and the same states come back often: the state after an
operation is the state before the next one on the same model, and the stubs of the models
pointed at repeat. ``AppsReuse`` keeps the last registries rendered, keyed by the objects
rendering read (each state's fields, option values, managers and bases: ``ModelState.render``
clones them), and gives a kept registry to a new ``ProjectState`` made of the same objects.

Comparing objects by identity is exact as long as none changes in place. Django's state
operations replace what they change (``REPLACING``); any other operation applied to the running
state (``RenameField`` repoints the fields referring to it in place, third-party operations are
unknown) empties the registries kept. A registry is kept only once it rendered, from an
operation that raised nothing and changes no rendered model (``AlterOrderWithRespectTo`` sets
its ``_order`` default); afterwards it is only read (the schema editor and the facts read
models; SQLite's table rebuild copies them into a registry of its own).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.db.migrations import operations as ops
from django.db.migrations.state import ModelState, ProjectState

from .field_clones import FieldClones
from .subsetting import field_refs

Key = tuple[str, str]

#: registries kept (most recent first out); 32 catch nine in ten repeats of the synthetic project
KEEP = 32

#: operations not in every supported Django version
OPTIONAL = ("AlterModelTableComment", "AlterConstraint")


#: Django's operations whose ``state_forwards`` replaces the field, option and manager objects
#: it changes (never changes one in place), so that objects are the same only when unchanged
REPLACING = (
    ops.CreateModel,
    ops.DeleteModel,
    ops.RenameModel,
    ops.AlterModelTable,
    ops.AlterModelOptions,
    ops.AlterModelManagers,
    ops.AlterUniqueTogether,
    ops.AlterIndexTogether,
    ops.AlterOrderWithRespectTo,
    ops.AddField,
    ops.RemoveField,
    ops.AlterField,
    ops.AddIndex,
    ops.RemoveIndex,
    ops.RenameIndex,
    ops.AddConstraint,
    ops.RemoveConstraint,
    *(getattr(ops, name) for name in OPTIONAL if hasattr(ops, name)),
)


def replaces_objects(op: Any) -> bool:
    """True when applying ``op`` to a state changes no field, option or manager object in
    place (``RenameField`` repoints the fields that refer to it; others are unknown)."""
    if isinstance(op, (ops.RunSQL, ops.RunPython)):
        return not op.state_operations if isinstance(op, ops.RunSQL) else True
    if isinstance(op, ops.SeparateDatabaseAndState):
        return all(replaces_objects(one) for one in op.state_operations)
    return type(op) in REPLACING


def _value(value: Any, objects: list[Any]) -> Any:
    """An option value: plain values and containers by what they hold (a state made without
    ``indexes`` gets a new empty list), other objects by identity."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return (type(value).__name__, tuple(_value(v, objects) for v in value))
    objects.append(value)
    return ("object", id(value))


def content_key(models: dict[Key, ModelState]) -> tuple[tuple[Any, ...], list[Any]]:
    """The identity of what rendering ``models`` reads (each field, option value, base and
    manager object), and those objects (kept alive with the key, so no id is reused)."""
    parts: list[Any] = []
    objects: list[Any] = []
    for key in sorted(models):
        model_state = models[key]
        fields = tuple((name, id(field)) for name, field in model_state.fields.items())
        options = tuple(
            (name, _value(v, objects)) for name, v in sorted(model_state.options.items())
        )
        managers = tuple((name, id(manager)) for name, manager in model_state.managers)
        bases = tuple(id(base) for base in model_state.bases)
        parts.append((key, model_state.name, fields, options, managers, bases))
        objects.extend(model_state.fields.values())
        objects.extend(model_state.managers)
        objects.extend(model_state.bases)
    return tuple(parts), objects


def model_parts(key: tuple[Any, ...]) -> dict[Key, tuple[Any, ...]]:
    """Each model's part of a ``content_key``: what rendering it read."""
    return {part[0]: part for part in key}


def content_parts(models: dict[Key, ModelState]) -> dict[Key, tuple[Any, ...]]:
    """What rendering each of ``models`` reads, now: ``model_parts`` of their ``content_key``."""
    return model_parts(content_key(models)[0])


class AppsReuse:
    """The last ``KEEP`` rendered registries, by the objects they were rendered from."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._kept: OrderedDict[tuple[Any, ...], tuple[Any, list[Any]]] = OrderedDict()
        #: (registry, its models' parts of ``content_key``, the objects those ids name)
        self._newest: tuple[Any, dict[Key, tuple[Any, ...]], list[Any]] | None = None
        self.reused = 0
        #: the fields' deconstructions, exact under the same condition as the registries
        self.clones = FieldClones()

    def attach(
        self, state: ProjectState, reuse: bool = True
    ) -> tuple[tuple[Any, ...], list[Any]] | None:
        """Give ``state`` a registry rendered before from the same objects, if one is kept
        and ``reuse``; return the key (for ``keep_rendered``), None when ``state`` has real
        apps. ``reuse`` is False for an operation whose SQL reads the models pointing at its
        models (``subsetting.needs_reverse``): a kept registry may share classes with another
        (``incremental``), and a class's reverse relations (``Options._relation_tree``) are
        those of the registry that computed them last."""
        if state.real_apps:
            return None
        key = content_key(state.models)
        kept = self._kept.get(key[0]) if reuse else None
        if kept is not None:
            self._kept.move_to_end(key[0])
            state.__dict__["apps"] = kept[0]  # ProjectState.apps is a cached_property
            self.reused += 1
        return key

    def keep_rendered(self, key: tuple[tuple[Any, ...], list[Any]] | None, state: Any) -> None:
        """Keep ``state``'s registry if it was rendered (a render that raised left none)."""
        apps = state.__dict__.get("apps")
        if key is None or apps is None or key[0] in self._kept:
            return
        self._kept[key[0]] = (apps, key[1])
        # what the registry was rendered from, as it was then (the running state's model
        # states change in place: ``SeparateDatabaseAndState``'s state operations, ``advance``)
        self._newest = (apps, model_parts(key[0]), key[1])  # objects alive: no id reused
        if len(self._kept) > self.keep:
            self._kept.popitem(last=False)

    def newest(self) -> tuple[Any, dict[Key, tuple[Any, ...]]] | None:
        """The registry kept last and what each model of it was rendered from (its part of
        ``content_key``): a base for the next state to render (``incremental.render_before``)."""
        return self._newest[:2] if self._newest is not None else None

    def applied(self, op: Any, app_label: str, state: ProjectState) -> None:
        """``op`` was applied to ``state``: forget the registries whose objects it may have
        changed in place (``RenameField``: those with its model or a model referring to it;
        any other operation not in ``REPLACING``: all)."""
        if replaces_objects(op):
            return
        self.clones.forget()
        if type(op) is not ops.RenameField:
            self._kept.clear()
            self._newest = None
            return
        touched = referring(state, (app_label, op.model_name_lower))
        for key in [k for k in self._kept if any(part[0] in touched for part in k)]:
            del self._kept[key]
        if self._newest is not None and touched & self._newest[1].keys():
            self._newest = None


def referring(state: ProjectState, target: Key) -> set[Key]:
    """``target`` and the models of ``state`` with a relation to it."""
    found = {target}
    for key, model_state in state.models.items():
        for field in model_state.fields.values():
            if field.remote_field is not None and target in field_refs(field, *key):
                found.add(key)
                break
    return found
