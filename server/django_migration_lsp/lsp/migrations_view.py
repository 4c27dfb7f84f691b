"""The server commands behind an editor's Migrations view (VS Code's "Django Migrations").

``listMigrations``: per project, every migration file with its markers: ``new`` (git does not
have it on ``base``), ``applied`` (``django_migrations`` read by the worker, read-only), each
``None`` when it cannot be told, and ``rewritable`` (the whole-file "Make zero-downtime" source
action would change it). ``makeZeroDowntime URI``: that rewrite, sent as ``workspace/applyEdit``.
The rewrite is the one of ``rewrite_actions`` (pure, from the worker's last rendering).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..findings import MigrationResult
from ..rewrites import CODES, FixResult, fix_migration
from ..worker import messages
from .linting import uri_to_path
from .rewrite_actions import TITLE, rewrite_input, workspace_edit
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


def whole_file_fix(path: Path, text: str, result: MigrationResult) -> FixResult | None:
    """Every rewrite of the codes found in the migration (the source action's), when any
    changes it."""
    found = sorted({f.code for f in result.findings} & CODES)
    if not found or not result.operations:
        return None
    fixed = fix_migration(rewrite_input(path, text, result), found)
    return fixed if fixed.changed else None


def _results_by_real_path(ls: MigrationServer) -> dict[str, MigrationResult]:
    return {os.path.realpath(k): v for k, v in ls.linter.results.items()}


def _rewritable(ls: MigrationServer, path: str, results: dict[str, MigrationResult]) -> bool:
    result = results.get(path)
    if result is None or not ({f.code for f in result.findings} & CODES):
        return False
    return whole_file_fix(Path(path), ls.linter.text_of(Path(path).as_uri()), result) is not None


async def _project(ls: MigrationServer, runtime: Runtime) -> ProjectMigrations:
    root = str(runtime.root)
    if not runtime.supervisor.ready:
        return ProjectMigrations(root, error="no Django context for this project (yet)")
    try:
        response = await runtime.supervisor.request(
            messages.MigrationsParams(), timeout=ls.session.timeout
        )
    except (WorkerError, WorkerDied, WorkerTimeout) as exc:
        return ProjectMigrations(root, error=f"the project's worker could not list them: {exc}")
    answer = messages.MigrationsResult.from_dict(response)
    results = _results_by_real_path(ls)
    listed = [
        ListedMigration(
            app=str(m["app"]),
            name=str(m["name"]),
            path=str(m["path"]),
            new=m.get("new"),
            applied=m.get("applied"),
            rewritable=_rewritable(ls, str(m["path"]), results),
        )
        for m in answer.migrations
    ]
    return ProjectMigrations(root, listed, answer.new_unknown, answer.applied_unknown)


async def list_migrations(ls: MigrationServer) -> MigrationList:
    return MigrationList([await _project(ls, r) for r in list(ls.session.runtimes.values())])


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
    fixed = whole_file_fix(path, text, result)
    if fixed is None:
        return RewriteOutcome(False, f"{path.name}: no finding of it has a zero-downtime rewrite")
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
