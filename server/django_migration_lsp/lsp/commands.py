"""What the handlers of ``server`` do beyond one call: commands with typed results, watched
files, client registration and configuration."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from . import projects as projects_mod
from .hover import migration_sql
from .linting import is_migration, uri_to_path
from .workers import worker_environment

if TYPE_CHECKING:
    from .server import MigrationServer

SHOW_SQL = "djangoMigrationLsp.showMigrationSql"
RESTART = "djangoMigrationLsp.restart"
RUN_CHECKS = "djangoMigrationLsp.runChecks"
MAKEMIGRATIONS = "djangoMigrationLsp.makemigrations"
PROJECT_FILES = ("manage.py", "pyproject.toml")


@dataclass(frozen=True)
class ChecksSummary:
    """The ``runChecks`` result: every finding (``checks.CheckFinding`` dicts), the count per
    code, and one sentence saying what was found."""

    findings: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SqlScript:
    """The ``showMigrationSql`` result: always a SQL script (text); when there is no SQL to
    show, a script of one comment saying why."""

    text: str

    def to_dict(self) -> str:
        return self.text


def summarise(findings: list[dict[str, Any]]) -> ChecksSummary:
    counts = dict(sorted(Counter(str(f.get("code")) for f in findings).items()))
    if not counts:
        return ChecksSummary(findings, counts, "Cross-checks: nothing found.")
    parts = ", ".join(f"{n} {code}" for code, n in counts.items())
    return ChecksSummary(findings, counts, f"Cross-checks: {parts}.")


async def run_checks(ls: MigrationServer) -> ChecksSummary:
    findings: list[dict[str, Any]] = []
    for runtime in list(ls.session.runtimes.values()):
        findings += await ls.linter.run_checks(runtime, databases=True)
    return summarise(findings)


async def show_migration_sql(ls: MigrationServer, args: Sequence[Any]) -> SqlScript:
    uri = args[0] if args else None
    if isinstance(uri, dict):
        uri = uri.get("uri")
    if not isinstance(uri, str):
        return SqlScript("-- showMigrationSql needs the URI of a migration file\n")
    path = uri_to_path(uri)
    runtime = ls.session.runtime_for(path)
    if runtime is not None and runtime.supervisor.ready:
        document = ls.workspace.text_documents.get(uri)
        await ls.linter.lint_file(uri, document.source if document else None)
    result = ls.linter.results.get(str(path))
    if result is None:
        return SqlScript(f"-- no SQL for {path.name}: no Django context renders it (yet)\n")
    return SqlScript(migration_sql(result))


async def makemigrations(ls: MigrationServer, args: Sequence[Any]) -> str:
    """``manage.py makemigrations [APP] [--merge]`` in the project's interpreter (writes files,
    never touches a database); the watched-file events then re-lint."""
    root_arg = args[0] if args else None
    app = args[1] if len(args) > 1 else None
    runtime = ls.session.runtime_for(Path(str(root_arg))) if root_arg else None
    if runtime is None:
        return "no Django project there"
    python = projects_mod.interpreter(runtime.root, runtime.project.options)
    # Django's makemigrations behind the worker's connection guard (never writes to a database)
    command = [python, "-m", "django_migration_lsp.worker.makemigrations", "--noinput"]
    if runtime.project.options.get("settings"):
        command += ["--settings", str(runtime.project.options["settings"])]
    command += [str(app)] if app else []
    command += ["--merge"] if len(args) > 2 and args[2] else []
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=str(runtime.root),
        env=worker_environment(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    ls.session.log(text)
    await ls.linter.lint_project(runtime)
    return text


def restart_if_blocked(ls: MigrationServer, path: Path) -> bool:
    """A file the worker is blocked on changed: restart (True), else nothing to do."""
    runtime = ls.session.runtime_for(path)
    return runtime is not None and runtime.supervisor.file_changed(path)


def watched_files_changed(ls: MigrationServer, changes: Sequence[types.FileEvent]) -> None:
    """Migrations: re-lint the project, telling the worker which files changed; models,
    settings, pyproject: a fresh Django context; a new manage.py: maybe a new project."""
    restart, relint = set(), set()
    for change in changes:
        path = uri_to_path(change.uri)
        runtime = ls.session.runtime_for(path)
        if runtime is None:
            if path.name in PROJECT_FILES:
                for added in ls.session.add_folder(path.parent):
                    ls.session.start(added)
            continue
        if runtime.supervisor.file_changed(path):
            continue
        if is_migration(path):
            relint.add(runtime.root)
            runtime.project.changed.add(str(path))
            if change.type == types.FileChangeType.Deleted:
                ls.store.clear(change.uri, "lint")
                ls.linter.results.pop(str(path), None)
        else:
            restart.add(runtime.root)
    for root in restart:
        runtime = ls.session.runtimes[root]
        ls.schedule(f"restart:{root}", 0.3, functools.partial(_start, ls, runtime))
    for root in relint - restart:
        runtime = ls.session.runtimes[root]
        ls.schedule(f"relint:{root}", 0.3, functools.partial(ls.linter.lint_project, runtime))


async def _start(ls: MigrationServer, runtime: Any) -> None:
    ls.session.start(runtime)


async def register_watchers(ls: MigrationServer, globs: list[str]) -> None:
    capabilities = ls.client_capabilities
    watched = capabilities.workspace and capabilities.workspace.did_change_watched_files
    if not (watched and watched.dynamic_registration):
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=g) for g in globs]
    )
    registration = types.Registration(
        id="django-migration-lsp-watch",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    with contextlib.suppress(Exception):
        await ls.client_register_capability_async(types.RegistrationParams([registration]))


async def pull_configuration(ls: MigrationServer, section: str) -> dict[str, Any] | None:
    capabilities = ls.client_capabilities
    if not (capabilities.workspace and capabilities.workspace.configuration):
        return None
    with contextlib.suppress(Exception):
        values = await asyncio.wait_for(
            ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=section)])
            ),
            5,
        )
        if values and isinstance(values[0], dict):
            return client_settings(ls, values[0])
    return None


def client_settings(ls: MigrationServer, raw: dict[str, Any] | None) -> dict[str, Any]:
    """``raw`` structured against the settings schema; what was wrong (a value of the wrong type,
    an unknown key) is shown to the user, and its default applies."""
    settings, problems = projects_mod.client_settings(raw)
    for problem in problems:
        ls.window_show_message(
            types.ShowMessageParams(types.MessageType.Warning, f"django-migration-lsp: {problem}")
        )
    return settings
