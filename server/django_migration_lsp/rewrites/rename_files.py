"""The app's models module(s) beside a migration, read for the rename rewrites.

``<app>/models.py``, or each ``.py`` file of a ``<app>/models/`` package, where ``<app>`` is the
folder above the migration's ``migrations`` folder (the layout ``startapp`` makes).
"""

from __future__ import annotations

from pathlib import Path

from .model import SourceFile


def models_sources(migration_path: str) -> tuple[SourceFile, ...]:
    app = Path(migration_path).resolve().parent.parent
    paths = [app / "models.py"] if (app / "models.py").is_file() else []
    if (app / "models").is_dir():
        paths += sorted((app / "models").glob("*.py"))
    return tuple(SourceFile(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in paths)
