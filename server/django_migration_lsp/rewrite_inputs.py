"""What the rewrites need about one migration, from a loaded Django context (``LintSession``).

The SQL Django renders offline for each operation carries the names Django gives (index names,
``_like`` indexes); the graph says whether a migration can be added after this one.
"""

from __future__ import annotations

from typing import Any

from .rewrites import MigrationInput
from .rewrites.inputs import rendered_ops
from .rewrites.rename_files import models_sources
from .source import read_source_file

Key = tuple[str, str]


class MigrationNotFound(LookupError):
    """The APP_LABEL / MIGRATION_NAME given match no migration (or several)."""


def resolve_key(session: Any, app: str, name: str) -> Key:
    """The migration named ``name`` (or the only one starting with it) of app ``app``."""
    assert session.disk is not None
    names = sorted(n for a, n in session.disk.paths if a == app)
    if not names:
        known = sorted({a for a, _ in session.disk.paths})
        raise MigrationNotFound(
            f"no app {app!r} with migrations; apps with migrations: {', '.join(known)}"
        )
    if name in names:
        return (app, name)
    matches = [n for n in names if n.startswith(name)]
    if len(matches) == 1:
        return (app, matches[0])
    if not matches:
        raise MigrationNotFound(f"app {app!r} has no migration {name!r}")
    raise MigrationNotFound(
        f"{name!r} matches several migrations of {app!r}: {', '.join(matches)}; give more of it"
    )


def migration_input(session: Any, key: Key, text: str | None = None) -> MigrationInput:
    """Render ``key`` (with ``text`` as its source when given: an unsaved buffer)."""
    path = session.disk.paths[key]
    if text is None:
        text = read_source_file(path)
    session.render({key})
    rendered = session.rendered[key]
    if rendered.error:
        raise MigrationNotFound(f"{path}: its SQL could not be rendered: {rendered.error}")
    graph = session.loader.graph
    node = graph.node_map.get(key)
    # only a child in the same app stops a new migration (two leaves of one app conflict)
    children = sorted(c.key for c in node.children if c.key[0] == key[0]) if node else []
    return MigrationInput(
        app=key[0],
        name=key[1],
        path=path,
        text=text,
        vendor=session.vendor,
        operations=rendered_ops(rendered.operations),
        leaf=not children,
        dependents=tuple(f"{a}.{n}" for a, n in children),
        taken_names=frozenset(n for a, n in session.disk.paths if a == key[0]),
        lock_timeout_configured=_lock_timeout_in_options(session.options.database),
        models=models_sources(path),
        pending_models=_pending(session, key, rendered.operations),
        django_version=_django_version(),
    )


def _pending(session: Any, key: Key, operations: Any) -> frozenset[str]:
    """The app's models that makemigrations would change (the renames read models.py)."""
    from .django_side.pending_models import pending_models

    if not any(op.kind in ("RenameField", "RenameModel") for op in operations):
        return frozenset()
    return pending_models(session.loader, key[0])


def _django_version() -> tuple[int, ...]:
    import django

    return tuple(django.VERSION[:2])


def _lock_timeout_in_options(alias: str) -> bool:
    """The connection's OPTIONS set ``lock_timeout`` (``-c lock_timeout=…`` in ``options``)."""
    from django.conf import settings

    options = settings.DATABASES.get(alias, {}).get("OPTIONS", {}) or {}
    return "lock_timeout" in str(options.get("options", ""))
