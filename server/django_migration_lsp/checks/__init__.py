"""Cross-checks: models vs migration files, migration files vs the database, conflicts.

Entry points: ``run_checks`` (the CLI's ``check``; sets Django up), ``worker_check`` (the
language server's worker; Django already set up), ``run_all_checks`` (raises
``MigrationStateError``; for import-time checks, see ``init_checks``), and the Django system
checks registered by ``django_migration_lsp.apps``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..check_codes import CHECK_CODES
from .findings import CheckFinding, CheckReport

__all__ = [
    "CHECK_CODES",
    "CheckFinding",
    "CheckReport",
    "MigrationStateError",
    "run_all_checks",
    "run_checks",
    "worker_check",
]


class MigrationStateError(RuntimeError):
    """Models, migration files and databases disagree; ``findings`` says how."""

    def __init__(self, findings: list[CheckFinding]) -> None:
        self.findings = findings
        lines = ["The database schema and the code disagree (django-migration-lsp):"]
        for code in CHECK_CODES:
            group = [f for f in findings if f.code == code]
            if group:
                lines.append(f"{code}:")
                lines += [f"  - {f.message}" for f in group]
        lines.append(
            "These checks run at start-up because DJANGO_MIGRATION_LSP_INIT_CHECKS=1; unset it "
            "(or set it to 0) to start anyway."
        )
        super().__init__("\n".join(lines))


def _load() -> tuple[Any, dict[tuple[str, str], str]]:
    """The migration graph's loader and the files' paths (no database connection)."""
    from ..django_side.loading import build_loader, load_disk_migrations

    disk = load_disk_migrations()
    return build_loader(disk), dict(disk.paths)


def _collect(
    exclude_apps: list[str] | None,
    databases: list[str] | None,
    include_database_checks: bool,
    progress: Any = None,
) -> list[CheckFinding]:
    """Load the migration files and graph (no database connection), then run every check;
    ``progress`` (a ``progress.TerminalProgress``) hears of each step."""
    from .collect import collect

    if progress:
        progress.status("loading the migrations")
    return collect(
        *_load(),
        exclude_apps=set(exclude_apps or []),
        databases=databases,
        include_database_checks=include_database_checks,
        on_step=progress.step if progress else None,
    )


def run_checks(
    root: Path,
    *,
    settings: str | None = None,
    databases: list[str] | None = None,
    exclude_apps: list[str] | None = None,
    include_database_checks: bool = True,
    include_installed_apps: bool = False,
    progress: Any = None,
) -> CheckReport:
    """Set Django up for ``root`` and run every cross-check (on the project's own apps only,
    unless ``include_installed_apps``; ``progress``: see ``_collect``)."""
    import django

    from ..django_side.loading import setup_django
    from ..django_side.offline import vendor_of

    if progress:
        progress.status("setting Django up")
    module = setup_django(root, settings)
    excluded = list(exclude_apps or [])
    if not include_installed_apps:
        excluded += installed_app_labels(root)
    findings = _collect(excluded, databases, include_database_checks, progress)
    project = {
        "root": str(root.resolve()),
        "settings": module,
        "vendor": vendor_of("default"),
        "django": django.get_version(),
    }
    return CheckReport(project, findings)


def installed_app_labels(root: Path) -> list[str]:
    """Apps that live outside the project (site-packages, other distributions)."""
    import os

    from django.apps import apps

    from ..selection import is_installed_path

    project = os.path.realpath(root)
    return [
        config.label
        for config in apps.get_app_configs()
        if is_installed_path(os.path.realpath(config.path), project)
    ]


def worker_check(params: dict[str, Any]) -> dict[str, Any]:
    """The worker's ``check`` method (Django is set up)."""
    findings = _collect(
        params.get("exclude_apps"),
        params.get("database_aliases"),
        include_database_checks=bool(params.get("databases", True)),
    )
    return {"findings": [f.to_dict() for f in findings]}


def run_all_checks(
    exclude_apps: list[str] | None = None, databases: list[str] | None = None
) -> list[CheckFinding]:
    """Run every check in a set-up Django process; raise ``MigrationStateError`` on problems."""
    findings = _collect(exclude_apps, databases, include_database_checks=True)
    if findings:
        raise MigrationStateError(findings)
    return findings
