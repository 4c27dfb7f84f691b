"""The rename rewrites' projects: ``tests/projects/rewrites`` with a scenario of
``tests/projects/renames`` laid over its ``shop`` app (models.py and migrations)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .projects import PROJECT, migration_files

RENAMES = Path(__file__).resolve().parents[1] / "projects" / "renames"


def copy_rename(scenario: str, dest: Path) -> Path:
    shutil.copytree(PROJECT, dest, ignore=shutil.ignore_patterns("scenarios", "__pycache__"))
    for item in (RENAMES / scenario).iterdir():
        name = "models.py" if item.name == "models.py" else f"migrations/{item.name}"
        shutil.copy(item, dest / "shop" / name)
    return dest


def project_files(project: Path) -> dict[str, str]:
    """The migrations and models.py of the project's app (what the rename rewrites change)."""
    return {**migration_files(project), "models.py": (project / "shop" / "models.py").read_text()}
