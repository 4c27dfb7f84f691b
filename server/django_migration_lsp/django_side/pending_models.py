"""Which models of an app have changes in models.py that no migration has yet (what
``makemigrations`` would write now), from the graph's final state and the loaded apps; no
connection is opened. The rename rewrites take a field's definition from models.py, so a model
with such changes is not rewritten (its pending change would reach the state, not the database).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState


def _models_of(operation: Any) -> set[str]:
    names = set()
    for attribute in ("model_name", "name", "old_name", "new_name"):
        value = getattr(operation, attribute, None)
        if isinstance(value, str):
            names.add(value.lower())
    return names


def pending_models(loader: Any, app: str) -> frozenset[str]:
    """Lower-case names of ``app``'s models that ``makemigrations`` would change."""
    questioner = NonInteractiveMigrationQuestioner(specified_apps={app}, dry_run=True)
    detector = MigrationAutodetector(
        loader.project_state(), ProjectState.from_apps(apps), questioner
    )
    changes = detector.changes(graph=loader.graph, trim_to_apps={app})
    return frozenset(
        name
        for migration in changes.get(app, [])
        for operation in migration.operations
        for name in _models_of(operation)
    )
