"""Model states rendered with each field's ``deconstruct()`` remembered.

Rendering a model state (``ModelState.render``) clones every field, and ``Field.clone`` is
``deconstruct()`` then the constructor: the deconstruction is half of it, and the same field
objects of the running state are cloned again at every operation on their model. ``FieldClones``
remembers each field's deconstruction by the field object, so a render only calls constructors,
with exactly the arguments ``clone`` would pass.

Exact while no remembered field changes in place: Django's state operations replace the fields
they change, except ``RenameField`` (it repoints ``to_fields`` in place) and operations unknown;
after those ``forget`` (``apps_reuse.AppsReuse.applied``). Only Django's own field classes
(``django.db.models.fields``), with Django's ``clone``: a subclass's ``deconstruct`` may build
new objects each time (``ArrayField`` clones its base field), which must not be shared.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.db.migrations.state import ModelState, ProjectState, StateApps
from django.db.models.fields import Field
from django.utils.functional import cached_property

CORE = "django.db.models.fields"

#: deconstructions remembered at most (then forgotten all at once: a long-lived worker loads
#: new field objects at each edit, and an entry keeps its field alive)
KNOWN_AT_MOST = 20_000


class _Clone:
    """Stands for a field in a model state being rendered: ``clone()`` builds the copy."""

    __slots__ = ("args", "kind", "kwargs")

    def __init__(self, kind: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs

    def clone(self) -> Any:
        return self.kind(*self.args, **self.kwargs)


class FieldClones:
    """The deconstruction of each field cloned so far, by field object (kept alive with it)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, _Clone]] = {}

    def forget(self) -> None:
        """Fields may have changed in place: deconstruct them again."""
        self._known.clear()

    def stand_in(self, field: Any) -> Any:
        """What rendering clones in place of ``field``: ``field`` itself unless remembered."""
        known = self._known.get(id(field))
        if known is None:
            kind = type(field)
            if kind.clone is not Field.clone or not kind.__module__.startswith(CORE):
                return field
            if len(self._known) >= KNOWN_AT_MOST:
                self._known.clear()
            _, _, args, kwargs = field.deconstruct()
            known = self._known[id(field)] = (field, _Clone(kind, tuple(args), kwargs))
        return known[1]

    def state(self, model_state: ModelState) -> ModelState:
        """A copy of ``model_state`` to render, its fields standing in (nothing else differs)."""
        copied = copy.copy(model_state)
        copied.fields = {name: self.stand_in(f) for name, f in model_state.fields.items()}
        return copied

    def states(self, model_states: Iterable[ModelState]) -> list[ModelState]:
        return [self.state(m) for m in model_states]


class SubsetState(ProjectState):
    """The project state an operation is rendered from (``subsetting``), rendered with
    ``FieldClones``."""

    def __init__(self, models: dict[Any, ModelState], clones: FieldClones) -> None:
        super().__init__(models=models, real_apps=set())
        self.clones = clones

    @cached_property
    def apps(self) -> StateApps:
        models = {key: self.clones.state(model) for key, model in self.models.items()}
        return StateApps(list(self.real_apps), models)
