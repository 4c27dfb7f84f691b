"""Django projects in the workspace, their interpreter and their merged options."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import (
    EDITOR_KEYS,
    ConfigError,
    has_config_section,
    read_pyproject,
    structure_settings,
)

SKIP_DIRS = {
    ".git",
    ".hg",
    "node_modules",
    "__pycache__",
    ".venv",
    "venv",
    "env",
    ".tox",
    ".nox",
    "site-packages",
    "build",
    "dist",
    ".mypy_cache",
    ".ruff_cache",
}
#: the server's own settings (config.EditorSettings), not lint options
SERVER_KEYS = EDITOR_KEYS
#: keys of the client's section that only the client reads (VS Code: its interpreter, its trace)
CLIENT_ONLY = {"interpreter", "trace"}


@dataclass
class Project:
    root: Path
    options: dict[str, Any] = field(default_factory=dict)
    #: files changed on disk (watched-file events) since the worker last linted the project
    changed: set[str] = field(default_factory=set)

    def contains(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root)
            return True
        except ValueError:
            return False


def is_project_root(directory: Path) -> bool:
    """A ``manage.py`` or a ``[tool.django-migration-lsp]`` section marks a Django project."""
    return (directory / "manage.py").is_file() or has_config_section(directory)


def discover(folder: Path, max_depth: int = 4) -> list[Path]:
    """Project roots under a workspace folder (the folder itself first)."""
    roots: list[Path] = []
    folder = folder.resolve()
    for dirpath, dirnames, _files in os.walk(folder):
        depth = len(Path(dirpath).relative_to(folder).parts)
        here = Path(dirpath)
        if (here / "pyvenv.cfg").exists():
            dirnames[:] = []
            continue
        if is_project_root(here):
            roots.append(here)
        if depth >= max_depth:
            dirnames[:] = []
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
    return roots


VCS_MARKERS = (".git", ".hg", ".svn", ".jj")


def root_above(path: Path, max_levels: int = 8) -> Path | None:
    """The nearest project root at or above ``path`` (a file or a folder), for clients that
    open a subfolder (eglot takes ``app/migrations/`` as the root outside a repository).
    Bounded: stops at a version-control root (checked, not passed), the user's home, the
    filesystem root or after ``max_levels`` folders."""
    here = path.resolve()
    here = here if here.is_dir() else here.parent
    home = Path.home()
    for _ in range(max_levels):
        if is_project_root(here):
            return here
        if any((here / marker).exists() for marker in VCS_MARKERS) or here in (home, here.parent):
            return None
        here = here.parent
    return None


def owner(projects: list[Project], path: Path) -> Project | None:
    """The innermost project containing ``path``."""
    matches = [p for p in projects if p.contains(path)]
    return max(matches, key=lambda p: len(p.root.parts), default=None)


def client_settings(raw: dict[str, Any] | None) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Editor settings (camelCase or snake_case) structured against the one settings schema
    (``config.structure_settings``): (the valid ones by option name, what was wrong). A value of
    the wrong type or an unknown key is left out, so its default (or pyproject.toml) applies."""
    wanted = {k: v for k, v in (raw or {}).items() if k not in CLIENT_ONLY}
    structured = structure_settings(wanted, "djangoMigrationLsp")
    return {**structured.options, **structured.given}, structured.problems


def merged_options(root: Path, settings: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Client settings over the project's pyproject; (options, config error or None)."""
    try:
        values, _origins = read_pyproject(root)
        error = None
    except ConfigError as exc:
        values, error = {}, str(exc)
    values.update({k: v for k, v in settings.items() if v not in (None, "")})
    return values, error


def lint_options(options: dict[str, Any]) -> dict[str, Any]:
    """The lint options among merged options (the server's own keys left out)."""
    return {k: v for k, v in options.items() if k not in SERVER_KEYS}


def interpreter(root: Path, options: dict[str, Any]) -> str:
    """The worker's Python: ``python`` option > the project's .venv/venv > the server's own."""
    configured = options.get("python")
    if configured:
        candidate = Path(os.path.expanduser(str(configured)))
        if not candidate.is_absolute():
            candidate = root / candidate
        return str(candidate)
    for name in (".venv", "venv"):
        for binary in ("bin/python", "Scripts/python.exe"):
            candidate = root / name / binary
            if candidate.exists():
                return str(candidate)
    return sys.executable
