"""The cross-checks, Django side: models vs migration files, migration files vs each database's
``django_migrations`` table, and conflicting leaves. Every problem is collected (not the first
one only); a database that cannot be reached is reported as such and its checks skipped. Only
``SELECT``s on ``django_migrations``, through a read-only session (``django_side.dbread``).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..django_side.dbread import DatabaseUnavailable, applied_keys
from .findings import CheckFinding

Key = tuple[str, str]


def _model_location(
    app: str, model_name: str | None, field: str | None
) -> tuple[str | None, int | None, int]:
    """Where a model (or one of its fields) is defined: the class line or the field's line and
    its 0-based column."""
    from django.apps import apps

    if not model_name:
        try:
            module = apps.get_app_config(app).models_module
            return (inspect.getsourcefile(module), 1, 0) if module else (None, None, 0)
        except (LookupError, TypeError):
            return None, None, 0
    try:
        model = apps.get_model(app, model_name)
        path = inspect.getsourcefile(model)
        lines, start = inspect.getsourcelines(model)
    except (LookupError, OSError, TypeError):
        return None, None, 0
    indent = len(lines[0]) - len(lines[0].lstrip())
    if field:
        try:
            tree = ast.parse(textwrap.dedent("".join(lines)))
        except SyntaxError:
            return path, start, indent
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == field for t in targets):
                    return path, start + node.lineno - 1, indent + node.col_offset
    return path, start, indent


def _quiet_log(questioner_class: Any) -> dict[str, Any]:
    """``log=`` for the questioner where this Django's takes it (a sink: nothing is asked)."""
    import inspect

    if "log" in inspect.signature(questioner_class.__init__).parameters:
        return {"log": lambda *args, **kwargs: None}
    return {}


def quiet_questioner(base: Any) -> Any:
    """A questioner that answers what ``makemigrations`` would ask with a placeholder.

    Django's non-interactive one calls ``log`` (None unless given) and then ``sys.exit(3)``
    when a NOT NULL field has no default (added, or null -> NOT NULL): the most common missing
    migration would crash the check instead of being reported.
    """
    from django.db.models import NOT_PROVIDED

    class Questioner(base):  # type: ignore[misc]  # the base is chosen at run time
        def ask_not_null_addition(self, field_name: str, model_name: str) -> None:
            return None

        def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
            return NOT_PROVIDED

        def ask_auto_now_add_addition(self, field_name: str, model_name: str) -> None:
            return None

    return Questioner(specified_apps=None, dry_run=True, **_quiet_log(base))


def missing_migrations(loader: Any, exclude_apps: set[str]) -> list[CheckFinding]:
    """Model changes that no migration contains, named as makemigrations would describe them."""
    from django.apps import apps
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
    from django.db.migrations.state import ProjectState

    questioner = quiet_questioner(NonInteractiveMigrationQuestioner)
    detector = MigrationAutodetector(
        loader.project_state(), ProjectState.from_apps(apps), questioner
    )
    changes = detector.changes(graph=loader.graph)
    findings = []
    for app, migrations in sorted(changes.items()):
        if app in exclude_apps:
            continue
        for migration in migrations:
            for op in migration.operations:
                model = getattr(op, "model_name", None) or getattr(op, "name", None)
                field = getattr(op, "name", None) if hasattr(op, "model_name") else None
                path, line, col = _model_location(app, model, field)
                findings.append(
                    CheckFinding(
                        "MISSING_MIGRATION",
                        f"{op.describe()}: this model change has no migration. Deployed as it is, "
                        "the code expects a schema the database does not have. Run "
                        f"`python manage.py makemigrations {app}` and commit the migration.",
                        app=app,
                        path=path,
                        line=line,
                        col=col,
                    )
                )
    return findings


def conflicts(
    loader: Any, disk_paths: dict[Key, str], exclude_apps: set[str]
) -> list[CheckFinding]:
    """Apps with several leaf migrations: `migrate` refuses to run."""
    findings = []
    for app, names in sorted(loader.detect_conflicts().items()):
        if app in exclude_apps:
            continue
        others = ", ".join(sorted(names))
        for name in sorted(names):
            findings.append(
                CheckFinding(
                    "MIGRATION_CONFLICT",
                    f"{app} has several leaf migrations ({others}); `migrate` refuses to run until "
                    f"they are merged. Run `python manage.py makemigrations --merge {app}`.",
                    app=app,
                    migration=name,
                    path=disk_paths.get((app, name)),
                    line=1,
                )
            )
    return findings


def _allowed_apps(alias: str, labels: set[str]) -> set[str]:
    from django.db import router

    return {label for label in labels if router.allow_migrate(alias, label)}


@dataclass(frozen=True)
class DatabaseView:
    """One database's ``django_migrations`` next to the migration graph (squash-aware)."""

    alias: str
    applied: frozenset[Key]
    loader: Any
    disk_paths: dict[Key, str]
    exclude_apps: frozenset[str]
    installed: frozenset[str]
    allowed: frozenset[str]

    def is_applied(self, key: Key) -> bool:
        if key in self.applied:
            return True
        squash = self.loader.replacements.get(key)
        return squash is not None and all(tuple(r) in self.applied for r in squash.replaces)

    def pending(self) -> list[Key]:
        """Migrations of the graph (or the replaced ones of a half-applied squash) not applied."""
        out: list[Key] = []
        for key in sorted(self.loader.graph.nodes):
            app = key[0]
            if app in self.exclude_apps or app not in self.allowed or self.is_applied(key):
                continue
            squash = self.loader.replacements.get(key)
            partial = squash and any(tuple(r) in self.applied for r in squash.replaces)
            if partial:
                out += [tuple(r) for r in squash.replaces if tuple(r) not in self.applied]
            else:
                out.append(key)
        return out


def unapplied(view: DatabaseView) -> list[CheckFinding]:
    """UNAPPLIED_MIGRATION per pending migration; one finding for a database never migrated."""
    pending = view.pending()
    alias = view.alias
    if pending and not view.applied:
        return [
            CheckFinding(
                "UNAPPLIED_MIGRATION",
                f"database '{alias}' has never been migrated: none of its {len(pending)} "
                "migrations is applied (no django_migrations rows). Run `python manage.py "
                f"migrate --database {alias}` before running code against it.",
                database=alias,
            )
        ]
    return [
        CheckFinding(
            "UNAPPLIED_MIGRATION",
            f"{app}.{name} is not applied on database '{alias}': the files are "
            "ahead of the database. Code relying on it breaks until `python manage.py "
            f"migrate --database {alias}` runs.",
            app=app,
            migration=name,
            database=alias,
            path=view.disk_paths.get((app, name)),
            line=1,
        )
        for app, name in pending
    ]


def unknown_applied(view: DatabaseView) -> list[CheckFinding]:
    """Rows without a file (UNKNOWN_APPLIED_MIGRATION), rows of removed apps (grouped)."""
    replaced_by = {tuple(r) for m in view.loader.replacements.values() for r in m.replaces}
    removed: dict[str, int] = defaultdict(int)
    findings = []
    for app, name in sorted(view.applied):
        if app in view.exclude_apps:
            continue
        if app not in view.installed:
            removed[app] += 1
            continue
        if (app, name) in view.disk_paths or (app, name) in replaced_by:
            continue
        leaf = max((k for k in view.disk_paths if k[0] == app), default=None)
        findings.append(
            CheckFinding(
                "UNKNOWN_APPLIED_MIGRATION",
                f"{app}.{name} is applied on database '{view.alias}' but has no migration file: "
                "the database is ahead of the files (a branch switch, or a deleted migration). "
                "Restore the file, or check out the code that has it.",
                app=app,
                migration=name,
                database=view.alias,
                path=view.disk_paths.get(leaf) if leaf else None,
                line=1 if leaf else None,
            )
        )
    for app, count in sorted(removed.items()):
        findings.append(
            CheckFinding(
                "REMOVED_APP_MIGRATIONS",
                f"{count} migration(s) of app '{app}' are recorded on database '{view.alias}', "
                "but the app is not in INSTALLED_APPS. Harmless for migrate; drop its tables and "
                "rows when the app is gone for good.",
                app=app,
                database=view.alias,
            )
        )
    return findings


def inconsistent(view: DatabaseView) -> list[CheckFinding]:
    """INCONSISTENT_HISTORY: applied before one of its dependencies."""
    graph = view.loader.graph
    findings = []
    for key in sorted(graph.nodes):
        if key[0] in view.exclude_apps or not view.is_applied(key):
            continue
        for parent in graph.node_map[key].parents:
            if not view.is_applied(parent.key):
                findings.append(
                    CheckFinding(
                        "INCONSISTENT_HISTORY",
                        f"{key[0]}.{key[1]} is applied on database '{view.alias}' before its "
                        f"dependency {parent.key[0]}.{parent.key[1]}: Django refuses to migrate "
                        "this database until the history is repaired.",
                        app=key[0],
                        migration=key[1],
                        database=view.alias,
                        path=view.disk_paths.get(key),
                        line=1,
                    )
                )
    return findings


def database_state(
    loader: Any, disk_paths: dict[Key, str], alias: str, exclude_apps: set[str]
) -> list[CheckFinding]:
    """``django_migrations`` of one database vs the migration files (squash-aware)."""
    from django.apps import apps

    try:
        applied = applied_keys(alias)
    except DatabaseUnavailable as exc:
        return [
            CheckFinding(
                "DATABASE_UNREACHABLE",
                f"{exc}. Its migration state was not checked (this is not a mismatch).",
                database=alias,
            )
        ]
    installed = {config.label for config in apps.get_app_configs()}
    view = DatabaseView(
        alias,
        frozenset(applied),
        loader,
        disk_paths,
        frozenset(exclude_apps),
        frozenset(installed),
        frozenset(_allowed_apps(alias, installed)),
    )
    return unapplied(view) + unknown_applied(view) + inconsistent(view)


def collect(
    loader: Any,
    disk_paths: dict[Key, str],
    *,
    exclude_apps: set[str],
    databases: list[str] | None,
    include_database_checks: bool,
    on_step: Callable[[int, int, str], None] | None = None,
) -> list[CheckFinding]:
    """Every cross-check finding for a loaded project; ``on_step(i, n, what)`` before each."""
    from django.conf import settings

    aliases = (databases or list(settings.DATABASES)) if include_database_checks else []
    steps = 2 + len(aliases)

    def step(index: int, what: str) -> None:
        if on_step:
            on_step(index, steps, what)

    step(1, "models vs migrations")
    findings = missing_migrations(loader, exclude_apps)
    step(2, "conflicts")
    findings += conflicts(loader, disk_paths, exclude_apps)
    for index, alias in enumerate(aliases, start=3):
        step(index, f"database {alias!r}")
        findings += database_state(loader, disk_paths, alias, exclude_apps)
    return findings
