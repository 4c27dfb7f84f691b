"""Read-only access to ``django_migrations``: the only thing the linter ever reads from a DB.

Never creates the table (``MigrationRecorder.ensure_schema`` is not called), never creates a
missing SQLite file: the reads run in a ``guard.read_only_session`` (PostgreSQL sessions opened
read-only, MySQL set READ ONLY, SQLite opened ``mode=ro``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .guard import read_only_session
from .loading import describe_exception


class DatabaseUnavailable(Exception):
    """The database cannot be read; the message says which alias and why."""


@dataclass
class AppliedRow:
    app: str
    name: str
    applied: Any


def applied_rows(alias: str) -> list[AppliedRow]:
    """Every row of ``django_migrations`` on ``alias`` (empty if the table does not exist)."""
    from django.conf import settings
    from django.db import DEFAULT_DB_ALIAS, connections

    if alias not in settings.DATABASES:
        raise DatabaseUnavailable(
            f"database alias {alias!r} is not in settings.DATABASES "
            f"(known: {', '.join(sorted(settings.DATABASES)) or 'none'})"
        )
    connection = connections[alias or DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict.get("NAME") or "")
        in_memory = name == ":memory:" or "mode=memory" in name
        if not in_memory and not os.path.exists(name):
            raise DatabaseUnavailable(
                f"the SQLite database of alias {alias!r} ({name}) does not exist; it was not "
                "created (the linter never writes to a database)"
            )
    try:
        with read_only_session(connection.alias), connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            if "django_migrations" not in tables:
                return []
            cursor.execute("SELECT app, name, applied FROM django_migrations")
            return [AppliedRow(app, name, applied) for app, name, applied in cursor.fetchall()]
    except DatabaseUnavailable:
        raise
    except Exception as exc:
        raise DatabaseUnavailable(
            f"could not read django_migrations from database alias {alias!r}: "
            f"{describe_exception(exc)}"
        ) from exc


def applied_keys(alias: str) -> set[tuple[str, str]]:
    """The (app, name) pairs recorded as applied on ``alias``."""
    return {(row.app, row.name) for row in applied_rows(alias)}
