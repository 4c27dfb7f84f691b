"""Which migrations a run reports on: a pure step over what was loaded and what git/db said.

Everything arrives as plain values (migration entries, file sets from git, applied keys read from
the database, the options), so the rules of selection are unit-tested without Django. Names the
user typed that match nothing are an error naming the closest match, never a silent "0/0".
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass

from .config import LintOptions

Key = tuple[str, str]
VENDORED_DIRS = ("site-packages", "dist-packages")


class SelectionError(Exception):
    """An app label, migration name or app list names nothing; the message says the closest."""


@dataclass(frozen=True)
class Entry:
    """One migration as the selection sees it."""

    key: Key
    path: str  # real path of the file
    initial: bool = False
    ignored: bool = False  # IgnoreMigration() among its operations


@dataclass(frozen=True)
class Facts:
    """What the selection is computed from, besides the options."""

    entries: tuple[Entry, ...]
    project_root: str
    app_labels: frozenset[str] = frozenset()  # every installed app (with migrations or not)
    changed: frozenset[str] | None = None  # --git-commit-id: real paths added since it
    new: frozenset[str] | None = None  # --new / scope "new": real paths not on the base
    listed: frozenset[Key] | None = None  # --include-migrations-from
    applied: frozenset[Key] | None = None  # read from django_migrations
    only: frozenset[Key] | None = None  # the editor's targets: new/installed filters waived


@dataclass(frozen=True)
class Selection:
    """The migrations to report on (sorted), those of them ignored, apps left out as installed."""

    keys: tuple[Key, ...]
    ignored: frozenset[Key]
    installed_apps: tuple[str, ...] = ()
    not_new: int = 0  # migrations of the project's apps left out because git has them on base


def is_installed_path(path: str, project_root: str) -> bool:
    """True for a file outside the project root or inside a virtualenv's site-packages."""
    try:
        rel = os.path.relpath(path, project_root)
    except ValueError:  # another drive
        return True
    parts = rel.split(os.sep)
    return parts[0] == ".." or any(p in VENDORED_DIRS for p in parts)


def closest(value: str, known: set[str] | frozenset[str], what: str) -> str:
    """``app label 'shp' matches nothing; did you mean 'shop'? (known: …).``"""
    match = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.5)
    hint = f"; did you mean {match[0]!r}?" if match else ""
    listed = ", ".join(sorted(known)[:20]) or "none"
    return f"{what} {value!r} matches nothing{hint} (known: {listed})."


#: why a name that matches nothing is an error, not an empty run
NOTHING = " A run over nothing passes without checking a migration: fix the name."


def check_names(facts: Facts, options: LintOptions) -> None:
    """Raise ``SelectionError`` for a label, name or app list entry that matches nothing."""
    labels = set(facts.app_labels) | {e.key[0] for e in facts.entries}
    if options.app_label and options.app_label not in labels:
        raise SelectionError(closest(options.app_label, labels, "app label") + NOTHING)
    for app in options.include_apps or []:
        if app not in labels:
            raise SelectionError(closest(app, labels, "--include-apps value") + NOTHING)
    if options.app_label and options.migration_name:
        names = {e.key[1] for e in facts.entries if e.key[0] == options.app_label}
        if not any(n.startswith(options.migration_name) for n in names):
            what = f"migration name (or prefix) of {options.app_label}"
            raise SelectionError(closest(options.migration_name, names, what) + NOTHING)


def installed_apps(facts: Facts, options: LintOptions) -> set[str]:
    """Apps left out because they live outside the project (unless asked for by name)."""
    if options.include_installed_apps:
        return set()
    named = set(options.include_apps or []) | {options.app_label} - {None}
    return {
        e.key[0]
        for e in facts.entries
        if e.key[0] not in named and is_installed_path(e.path, facts.project_root)
    }


def _by_name(entry: Entry, options: LintOptions) -> bool:
    """The name and app filters of lintmigrations."""
    app, name = entry.key
    return not (
        (options.app_label and app != options.app_label)
        or (options.migration_name and not name.startswith(options.migration_name))
        or (options.include_apps and app not in options.include_apps)
        or (options.exclude_apps and app in options.exclude_apps)
        or (options.ignore_name_contains and options.ignore_name_contains in name)
        or (options.include_name_contains and options.include_name_contains not in name)
        or name in (options.ignore_name or [])
        or (options.include_name and name not in options.include_name)
        or (options.ignore_initial_migrations and entry.initial)
    )


def _by_facts(entry: Entry, facts: Facts, options: LintOptions) -> bool:
    """The filters that need git, a file list or the database."""
    if facts.changed is not None and entry.path not in facts.changed:
        return False
    if facts.listed is not None and entry.key not in facts.listed:
        return False
    if facts.applied is not None:
        if options.applied_migrations and entry.key not in facts.applied:
            return False
        if options.unapplied_migrations and entry.key in facts.applied:
            return False
    return True


def select(facts: Facts, options: LintOptions) -> Selection:
    """The migrations to report on, per the options (see ``Facts``)."""
    check_names(facts, options)
    left_out = installed_apps(facts, options)
    keys: list[Key] = []
    ignored: set[Key] = set()
    not_new = 0
    for entry in sorted(facts.entries, key=lambda e: e.key):
        if facts.only is not None:
            if entry.key not in facts.only:
                continue
        elif entry.key[0] in left_out:
            continue
        elif facts.new is not None and entry.path not in facts.new:
            not_new += _by_name(entry, options)
            continue
        if not (_by_name(entry, options) and _by_facts(entry, facts, options)):
            continue
        keys.append(entry.key)
        if entry.ignored:
            ignored.add(entry.key)
    return Selection(tuple(keys), frozenset(ignored), tuple(sorted(left_out)), not_new)
