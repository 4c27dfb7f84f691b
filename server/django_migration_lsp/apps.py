"""``django_migration_lsp`` as a Django app: the `lintmigrations` command and system checks.

``manage.py check`` runs the model and conflict checks (tag ``migrations``);
``manage.py check --database default`` also compares the database (tag ``database``).
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks


def _to_messages(findings: list[Any]) -> list[checks.CheckMessage]:
    from .checks import CHECK_CODES

    levels = {"error": checks.Error, "warning": checks.Warning, "info": checks.Info}
    out = []
    for finding in findings:
        severity, check_id = CHECK_CODES[finding.code]
        hint = f"{finding.path}:{finding.line}" if finding.path and finding.line else None
        out.append(levels[severity](f"{finding.code}: {finding.message}", hint=hint, id=check_id))
    return out


#: commands that create or apply migrations: our checks must not stand in their way
MIGRATION_COMMANDS = {
    "migrate",
    "makemigrations",
    "squashmigrations",
    "sqlmigrate",
    "showmigrations",
    "lintmigrations",
}


def _running_migration_command() -> bool:
    import sys

    return len(sys.argv) > 1 and sys.argv[1] in MIGRATION_COMMANDS


def migration_checks(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if _running_migration_command():
        return []
    from .checks import _collect

    return _to_messages(_collect(None, None, include_database_checks=False))


def database_checks(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not databases or _running_migration_command():
        return []
    from .checks import _load
    from .checks.collect import database_state

    loader, paths = _load()
    findings = []
    for alias in databases:
        findings += database_state(loader, paths, alias, set())
    return _to_messages(findings)


class DjangoMigrationLspConfig(AppConfig):
    name = "django_migration_lsp"
    verbose_name = "django-migration-lsp"

    def ready(self) -> None:
        checks.register(migration_checks, "migrations")
        checks.register(database_checks, checks.Tags.database)
