"""The cross-check codes (pure): each one's default severity and the id of the Django system
check that carries it. Accepted wherever rule codes are (``exclude_migration_tests``, …)."""

from __future__ import annotations

CHECK_CODES: dict[str, tuple[str, str]] = {
    # code: (severity, Django system check id)
    "MISSING_MIGRATION": ("error", "django_migration_lsp.E001"),
    "MIGRATION_CONFLICT": ("error", "django_migration_lsp.E002"),
    "INCONSISTENT_HISTORY": ("error", "django_migration_lsp.E003"),
    "UNKNOWN_APPLIED_MIGRATION": ("warning", "django_migration_lsp.W001"),
    "REMOVED_APP_MIGRATIONS": ("warning", "django_migration_lsp.W002"),
    "DATABASE_UNREACHABLE": ("warning", "django_migration_lsp.W003"),
    "UNAPPLIED_MIGRATION": ("info", "django_migration_lsp.I001"),
}
