"""Gather what the selection needs: the loaded migrations as entries, and what git, a file list
and the database say about them (``selection.Facts``). The selection itself is pure.

Git and the database are asked only when an option needs them: ``--new`` / the editor's
``scope = "new"`` (new since the base), ``--git-commit-id`` (added since a commit),
``--include-migrations-from``, ``--applied-migrations`` / ``--unapplied-migrations``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import vcs
from .config import LintOptions
from .django_side.loading import DiskMigrations
from .load_errors import LoadProblem, ProjectLoadError
from .selection import Entry, Facts

Key = tuple[str, str]


def _problem(kind: str, message: str) -> ProjectLoadError:
    return ProjectLoadError(LoadProblem(kind, message))


def read_listed_migrations(path: str) -> set[Key]:
    """``--include-migrations-from``: (app, name) of each migration file path listed."""
    keys: set[Key] = set()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.strip().replace("\\", "/").split("/")
            if "migrations" in parts and parts[-1].endswith(".py") and "__init__" not in parts[-1]:
                i = len(parts) - 1 - parts[::-1].index("migrations")
                if i >= 1 and i + 1 < len(parts):
                    keys.add((parts[i - 1], parts[i + 1][:-3]))
    return keys


def is_ignore_migration(migration: Any) -> bool:
    """True when ``IgnoreMigration()`` (from any module) is among the operations."""
    return any(type(op).__name__ == "IgnoreMigration" for op in migration.operations)


def applied_keys(options: LintOptions) -> frozenset[Key] | None:
    """The applied migrations, read from ``django_migrations``, when an option needs them."""
    if not (options.applied_migrations or options.unapplied_migrations):
        return None
    from .django_side.dbread import DatabaseUnavailable, applied_keys

    try:
        return frozenset(applied_keys(options.database))
    except DatabaseUnavailable as exc:
        raise _problem(
            "database",
            f"--applied-migrations/--unapplied-migrations need to read the "
            f"django_migrations table, but {exc}. Start the database or drop the option.",
        ) from exc


def new_paths(
    git_root: Path, options: LintOptions, *, editor: bool, problems: list[str]
) -> frozenset[str] | None:
    """Real paths of files not on the base, when only new migrations are wanted.

    In the editor, no repository means every migration is the user's (None), and a base that
    cannot be found is reported in ``problems`` and every migration linted; on the command
    line both are errors (``--new`` was asked for)."""
    if not (options.new or (editor and options.scope == "new")):
        return None
    if editor and not vcs.is_repository(git_root):
        return None
    try:
        base = vcs.resolve(git_root, options.base) if options.base else None
        return frozenset(vcs.new_since(git_root, base or vcs.default_base(git_root)))
    except vcs.VcsError as exc:
        if editor:
            problems.append(f"{exc}; every migration is linted")
            return None
        raise _problem("git", f"{exc}. --new needs a git repository and a base.") from exc


def changed_paths(git_root: Path, options: LintOptions) -> frozenset[str] | None:
    """``--git-commit-id``: real paths added or renamed since the commit, and untracked ones."""
    rev = options.git_commit_id
    if not rev:
        return None
    try:
        return frozenset(vcs.added_since(git_root, rev))
    except vcs.VcsError as exc:
        raise _problem(
            "git", f"{exc}. Pass a commit that exists in this repository to --git-commit-id."
        ) from exc


def entries(disk: DiskMigrations) -> tuple[Entry, ...]:
    """Every migration file found, as the selection sees it."""
    out = []
    for key, path in disk.paths.items():
        migration = disk.migrations.get(key)
        out.append(
            Entry(
                key,
                os.path.realpath(path),
                initial=bool(migration is not None and migration.initial),
                ignored=migration is not None and is_ignore_migration(migration),
            )
        )
    return tuple(out)


def gather_facts(
    disk: DiskMigrations,
    options: LintOptions,
    *,
    root: Path,
    git_root: Path,
    editor: bool,
    only: Iterable[Key] | None,
    problems: list[str],
) -> Facts:
    """The selection's input for the migrations of ``disk`` (``only``: the editor's targets,
    which are linted whether new or not)."""
    from django.apps import apps

    listed = options.include_migrations_from
    return Facts(
        entries=entries(disk),
        project_root=os.path.realpath(root),
        app_labels=frozenset(c.label for c in apps.get_app_configs()),
        changed=changed_paths(git_root, options),
        new=None
        if only is not None
        else new_paths(git_root, options, editor=editor, problems=problems),
        listed=frozenset(read_listed_migrations(listed)) if listed else None,
        applied=applied_keys(options),
        only=frozenset(only) if only is not None else None,
    )
