"""Operations a project can put in its migrations."""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation


class IgnoreMigration(Operation):
    """No-op operation: its presence in ``operations`` makes the linter skip the migration.

    Recognised by name, so django-migration-linter's ``IgnoreMigration`` works the same way.
    """

    reversible = True
    reduces_to_sql = False
    elidable = True

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        pass

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        pass

    def describe(self) -> str:
        return "django-migration-lsp ignores this migration"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return ("django_migration_lsp.operations.IgnoreMigration", [], {})
