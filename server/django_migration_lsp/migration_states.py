"""What the editor's Migrations view marks beside each migration's findings: new or historical
(new as the adoption scope measures it: git does not have the file as it is now on ``base``, see
``scope.new_paths``) and applied or not (``django_migrations``, read in a read-only session by
``django_side.dbread``; never written, a missing SQLite file never created).

``None`` means "cannot be told": no git repository or no base found (``new``), a database that
cannot be read (``applied``); the result says why once.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .config import LintOptions
from .scope import new_paths

Key = tuple[str, str]


@dataclass(frozen=True)
class MigrationState:
    app: str
    name: str
    path: str  # real path of the file
    new: bool | None
    applied: bool | None


@dataclass(frozen=True)
class States:
    migrations: tuple[MigrationState, ...]
    new_unknown: str | None = None
    applied_unknown: str | None = None


def new_files(git_root: Path, options: LintOptions) -> tuple[frozenset[str] | None, str | None]:
    """Real paths of the new migration files whatever the ``scope`` setting, else why not."""
    problems: list[str] = []
    as_new = dataclasses.replace(options, scope="new", new=False)
    paths = new_paths(git_root, as_new, editor=True, problems=problems)
    if paths is not None:
        return paths, None
    return None, problems[0] if problems else f"{git_root} is not in a git repository"


def applied_migrations(alias: str) -> tuple[frozenset[Key] | None, str | None]:
    """The (app, name) pairs recorded in ``django_migrations`` on ``alias``, else why not."""
    from .django_side.dbread import DatabaseUnavailable, applied_keys

    try:
        return frozenset(applied_keys(alias)), None
    except DatabaseUnavailable as exc:
        return None, str(exc)


def combine(
    paths: Mapping[Key, str],
    new: frozenset[str] | None,
    applied: frozenset[Key] | None,
) -> tuple[MigrationState, ...]:
    """One state per migration file, sorted by (app, name) (pure)."""
    out = []
    for key in sorted(paths):
        real = os.path.realpath(paths[key])
        out.append(
            MigrationState(
                app=key[0],
                name=key[1],
                path=real,
                new=None if new is None else real in new,
                applied=None if applied is None else key in applied,
            )
        )
    return tuple(out)


def migration_states(paths: Mapping[Key, str], options: LintOptions, git_root: Path) -> States:
    """The states of the migration files ``paths`` ((app, name) -> file) of a loaded project."""
    new, new_unknown = new_files(git_root, options)
    applied, applied_unknown = applied_migrations(options.database)
    return States(combine(paths, new, applied), new_unknown, applied_unknown)
