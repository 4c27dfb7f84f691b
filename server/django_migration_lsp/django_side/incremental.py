"""The registry after an operation, from the one before it: only what changed is rendered.

Django's own path keeps one registry and, after each operation, renders again the models it
changed and the models related to them. Here the state after an operation is a small subset
(``subsetting``) rendered from scratch, mostly the same model states as the subset before it.
``incremental_registry`` clones the registry rendered before the operation (``StateApps.clone``
shares the model classes) and renders again only the models whose states differ (by the
objects rendering reads, ``apps_reuse.content_key``), are new, or point (through a field, a
through model or a base) at one rendered again or gone; the others keep their classes. Used
for operations that rewrite no reference (not ``NEEDS_REVERSE``): what the schema editor reads
of an unchanged model (its table, columns, primary key) is the same in both classes.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations import operations as ops
from django.db.migrations.state import ModelState, ProjectState

from .apps_reuse import REPLACING, content_parts, model_parts
from .field_clones import FieldClones, SubsetState
from .subsetting import base_key, field_refs

Key = tuple[str, str]

#: Django's operations that replace what they change (and ``RenameField``, rendered before
#: it changes fields in place) whose ``database_forwards`` changes no rendered model
#: (``AlterOrderWithRespectTo`` does): rendered incrementally when their SQL reads no model
#: pointing at theirs (``subsetting.needs_reverse``, which a model rename or delete always does)
INCREMENTAL = frozenset({*REPLACING, ops.RenameField} - {ops.AlterOrderWithRespectTo})


def incremental(op: Any, reverse: bool) -> bool:
    """True when the states around ``op`` may share classes: one of ``INCREMENTAL`` whose SQL
    reads no model pointing at its models (``reverse``: ``subsetting.needs_reverse``)."""
    return type(op) in INCREMENTAL and not reverse


def render_after(
    op: Any,
    reverse: bool,
    from_state: ProjectState,
    to_state: ProjectState,
    keys: tuple[tuple[Any, ...], tuple[Any, ...]],
) -> bool:
    """Give ``to_state`` (not rendered yet) the registry of ``from_state`` with only what
    ``op`` changed rendered again, when ``incremental(op, reverse)``; True if it did.
    ``keys``: the two states' ``content_key`` (``AppsReuse.attach`` computed them)."""
    if not incremental(op, reverse) or "apps" in to_state.__dict__:
        return False
    parts = (model_parts(keys[0]), model_parts(keys[1]))
    registry = incremental_registry(from_state, to_state.models, clones_of(to_state), parts)
    if registry is None:
        return False
    to_state.__dict__["apps"] = registry  # ProjectState.apps is a cached_property
    return True


def points_at(model_state: ModelState, key: Key) -> set[Key]:
    """The models ``model_state`` refers to: related models, through models, bases."""
    refs: set[Key] = set()
    for f in model_state.fields.values():
        if f.remote_field is not None:
            refs |= field_refs(f, *key)
    for base in model_state.bases:
        parent = base_key(base, model_state.app_label)
        if parent is not None:
            refs.add(parent)
    return refs


def to_render(
    before: dict[Key, tuple[Any, ...]],
    after: dict[Key, ModelState],
    now: dict[Key, tuple[Any, ...]] | None = None,
) -> set[Key]:
    """The models of ``after`` that need a new class, and the models gone from ``before``
    (what each model of the registry was rendered from: ``apps_reuse.model_parts``; ``now``:
    the same of ``after``, when known)."""
    dirty = set(before.keys() - after.keys())
    if now is None:
        now = content_parts(after)
    dirty |= {key for key in after if before.get(key) != now[key]}
    refs = {key: points_at(model_state, key) for key, model_state in after.items()}
    grew = True
    while grew:
        grew = False
        for key in after.keys() - dirty:
            if refs[key] & dirty:
                dirty.add(key)
                grew = True
    return dirty


def render_before(
    op: Any, reverse: bool, from_state: ProjectState, base: tuple[Any, Any] | None
) -> bool:
    """Give ``from_state`` (when ``incremental(op, reverse)`` and no kept registry was made
    of its very models) the registry ``base`` (the last one rendered, with what its models
    were rendered from: ``AppsReuse.newest``) with only what differs rendered again; True if
    it did."""
    if not incremental(op, reverse) or "apps" in from_state.__dict__ or base is None:
        return False
    registry = changed_from(base[0], base[1], from_state.models, clones_of(from_state))
    if registry is None:
        return False
    from_state.__dict__["apps"] = registry  # ProjectState.apps is a cached_property
    return True


def incremental_registry(
    from_state: ProjectState,
    after: dict[Key, ModelState],
    clones: FieldClones | None,
    parts: tuple[dict[Key, Any], dict[Key, Any]],
) -> Any | None:
    """``from_state``'s registry (rendered here, before the state after it, as Django's path
    has it) cloned with the changed models of ``after`` rendered again; None when a model
    comes from an app the registry does not have, or rendering raised (rendered afresh then).
    ``parts``: what each model of the two states is rendered from (``model_parts``)."""
    try:
        before_apps = from_state.apps
    except Exception:
        return None
    return changed_from(before_apps, parts[0], after, clones, parts[1])


def changed_from(
    before_apps: Any,
    before: dict[Key, tuple[Any, ...]],
    after: dict[Key, ModelState],
    clones: FieldClones | None = None,
    now: dict[Key, tuple[Any, ...]] | None = None,
) -> Any | None:
    """``before_apps`` (rendered from ``before``: each model's ``apps_reuse.model_parts``)
    cloned into the registry of ``after``: the
    models of ``before`` not in ``after`` (and the through models they created) dropped, the
    changed ones rendered again. None when ``after`` has an app the registry lacks or
    rendering raised."""
    if {key[0] for key in after} - set(before_apps.app_configs):
        return None
    dirty = to_render(before, after, now)
    try:
        registry = before_apps.clone()
        for key in dirty:
            registry.unregister_model(*key)
        for key in _orphans(registry, after, dirty):
            registry.unregister_model(*key)
        changed = [after[key] for key in after if key in dirty]
        registry.render_multiple(clones.states(changed) if clones is not None else changed)
    except Exception:
        return None
    return registry


def clones_of(state: ProjectState) -> FieldClones | None:
    """The ``FieldClones`` a subset state renders with (``field_clones.SubsetState``)."""
    return state.clones if isinstance(state, SubsetState) else None


def _orphans(registry: Any, after: dict[Key, ModelState], dirty: set[Key]) -> list[Key]:
    """Auto-created through models whose model is gone or rendered again."""
    out = []
    for app_label, models in registry.all_models.items():
        for name, model in models.items():
            owner = model._meta.auto_created
            if not owner:
                continue
            owner_key = (owner._meta.app_label, owner._meta.model_name)
            if owner_key in dirty or owner_key not in after:
                out.append((app_label, name))
    return out
