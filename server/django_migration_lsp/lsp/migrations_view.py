"""The server commands behind an editor's Migrations view (VS Code's "Django Migrations").

``listMigrations [{"refresh": bool}]``: per project, every migration file with its markers:
``new`` (git does not have it on ``base``), ``applied`` (``django_migrations`` read by the worker,
read-only), each ``None`` when it cannot be told, and ``rewritable`` (the whole-file "Make
zero-downtime" source action would change it). Git and the database are asked again only with
``refresh`` (or the first time): without it, the last answer with ``rewritable`` brought up to
date with the latest lint (what a view asks each time diagnostics change).
``makeZeroDowntime URI``: that rewrite, sent as ``workspace/applyEdit``.
The rewrite is the one of ``rewrite_actions`` (pure, from the worker's last rendering).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..findings import MigrationResult
from ..rewrites import CODES
from ..worker import messages
from .documents import off_loop
from .linting import uri_to_path
from .rewrite_actions import TITLE, open_buffers, rewrite_input, whole_file_fix, workspace_edit
from .workers import WorkerDied, WorkerError, WorkerTimeout

if TYPE_CHECKING:
    from .server import MigrationServer
    from .session import Runtime

LIST_MIGRATIONS = "djangoMigrationLsp.listMigrations"
MAKE_ZERO_DOWNTIME = "djangoMigrationLsp.makeZeroDowntime"


@dataclass(frozen=True)
class ListedMigration:
    app: str
    name: str
    path: str
    new: bool | None
    applied: bool | None
    rewritable: bool


@dataclass(frozen=True)
class ProjectMigrations:
    """``error``: why nothing is listed (the project has no Django context)."""

    root: str
    migrations: list[ListedMigration] = field(default_factory=list)
    new_unknown: str | None = None
    applied_unknown: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class MigrationList:
    projects: list[ProjectMigrations]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RewriteOutcome:
    """The ``makeZeroDowntime`` result: whether the client applied the edit, and what to say."""

    applied: bool
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Known:
    """A ``rewritable`` answer, good while the file's result (the same object) and text are."""

    result: MigrationResult
    text: str
    rewritable: bool


#: path -> the last answer: a refresh of the view runs the rewrites only of what changed
_KNOWN: dict[str, _Known] = {}
#: project root -> the worker's last ``migrations`` answer (git and the database)
_LISTED: dict[str, messages.MigrationsResult] = {}


def _results_by_real_path(ls: MigrationServer) -> dict[str, MigrationResult]:
    return {os.path.realpath(k): v for k, v in ls.linter.results.items()}


def rewritable(
    path: str, text: str, result: MigrationResult | None, django: str | None = None
) -> bool:
    """Whether the whole-file rewrite (on the worker's Django ``django``) changes the
    migration (cached per path; a new worker's results are new objects)."""
    if result is None or not ({f.code for f in result.findings} & CODES):
        return False
    known = _KNOWN.get(path)
    if known is not None and known.result is result and known.text == text:
        return known.rewritable
    answer = whole_file_fix(rewrite_input(Path(path), text, result, django), result) is not None
    _KNOWN[path] = _Known(result, text, answer)
    return answer


def _rewritable_paths(
    ls: MigrationServer, paths: list[str], results: dict[str, MigrationResult], django: str | None
) -> set[str]:
    candidates = [
        p for p in paths if p in results and {f.code for f in results[p].findings} & CODES
    ]
    texts = {p: ls.linter.text_of(Path(p).as_uri()) for p in candidates}
    return {p for p in candidates if rewritable(p, texts[p], results[p], django)}


async def _project(ls: MigrationServer, runtime: Runtime, refresh: bool) -> ProjectMigrations:
    root = str(runtime.root)
    if not runtime.supervisor.ready:
        return ProjectMigrations(root, error="no Django context for this project (yet)")
    answer = None if refresh else _LISTED.get(root)
    if answer is None:
        try:
            response = await runtime.supervisor.request(
                messages.MigrationsParams(), timeout=ls.session.timeout
            )
        except (WorkerError, WorkerDied, WorkerTimeout) as exc:
            error = f"the project's worker could not list them: {exc}"
            return ProjectMigrations(root, error=error)
        answer = _LISTED[root] = messages.MigrationsResult.from_dict(response)
    paths = [str(m["path"]) for m in answer.migrations]
    # the rewrites read sibling files and parse: off the event loop
    results = _results_by_real_path(ls)
    can = await off_loop(_rewritable_paths, ls, paths, results, runtime.django)
    listed = [
        ListedMigration(
            app=str(m["app"]),
            name=str(m["name"]),
            path=str(m["path"]),
            new=m.get("new"),
            applied=m.get("applied"),
            rewritable=str(m["path"]) in can,
        )
        for m in answer.migrations
    ]
    return ProjectMigrations(root, listed, answer.new_unknown, answer.applied_unknown)


async def list_migrations(ls: MigrationServer, args: Any = ()) -> MigrationList:
    options = args[0] if args and isinstance(args[0], dict) else {}
    refresh = options.get("refresh", True) is not False
    runtimes = list(ls.session.runtimes.values())
    return MigrationList([await _project(ls, r, refresh) for r in runtimes])


async def make_zero_downtime(ls: MigrationServer, args: Any) -> RewriteOutcome:
    uri = args[0] if args else None
    if isinstance(uri, dict):
        uri = uri.get("uri")
    if not isinstance(uri, str):
        return RewriteOutcome(False, "makeZeroDowntime needs the URI of a migration file")
    path = uri_to_path(uri)
    result = _results_by_real_path(ls).get(os.path.realpath(path))
    if result is None:
        return RewriteOutcome(False, f"{path.name}: not linted with a Django context yet")
    document = ls.workspace.text_documents.get(uri)
    text = document.source if document else ls.linter.text_of(uri)
    runtime = ls.session.runtime_for(path)
    django = runtime.django if runtime is not None else None
    fixed = whole_file_fix(rewrite_input(path, text, result, django), result)
    if fixed is None:
        return RewriteOutcome(False, f"{path.name}: no finding of it has a zero-downtime rewrite")
    unsaved = open_buffers(ls).unsaved(fixed)
    if unsaved:
        names = ", ".join(unsaved)
        return RewriteOutcome(
            False, f"{path.name}: not rewritten: {names} has unsaved changes; save it first"
        )
    codes = ", ".join(sorted({r.code for r in fixed.rewritten}))
    edit = workspace_edit(uri, document.version if document else None, fixed)
    label = TITLE + f"every rewrite of {path.name} ({codes})"
    answer = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=label)
    )
    if not answer.applied:
        reason = answer.failure_reason or "the editor refused the edit"
        return RewriteOutcome(False, f"{path.name}: not rewritten: {reason}")
    added = f"; added {fixed.new_migration.name}" if fixed.new_migration else ""
    return RewriteOutcome(
        True, f"{path.name}: rewritten for a zero-downtime deploy ({codes}){added}"
    )


def register(server: MigrationServer) -> None:
    """The two commands on ``server`` (``ls: Any``: pygls resolves the annotations at run time,
    where ``MigrationServer`` cannot be imported here)."""

    @server.command(LIST_MIGRATIONS)
    async def list_migrations_command(ls: Any, *args: Any) -> dict[str, Any]:
        return (await list_migrations(ls, args)).to_dict()

    @server.command(MAKE_ZERO_DOWNTIME)
    async def make_zero_downtime_command(ls: Any, *args: Any) -> dict[str, Any]:
        return (await make_zero_downtime(ls, args)).to_dict()
