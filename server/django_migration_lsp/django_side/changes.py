"""What the migrations that were loaded are made of: the content hash of each migration file and
of the project modules the migrations import, and the edges of the graph built from them.

These are what the result cache keys on (``cache.migration_keys``).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from .loading import DiskMigrations

Key = tuple[str, str]


def content_hashes(disk: DiskMigrations, overrides: dict[str, str] | None = None) -> dict[Key, str]:
    """sha256 of each migration's source: the unsaved text of ``overrides`` (real path -> text)
    where given, else the file's bytes ("missing" when it cannot be read)."""
    content: dict[Key, str] = {}
    for key, path in disk.paths.items():
        text = overrides.get(os.path.realpath(path)) if overrides else None
        try:
            data = text.encode("utf-8") if text is not None else Path(path).read_bytes()
        except OSError:
            content[key] = "missing"
        else:
            content[key] = hashlib.sha256(data).hexdigest()
    return content


def graph_parents(loader: Any) -> dict[Key, list[Key]]:
    """Each node of the loader's graph -> the keys of its parents."""
    graph = loader.graph
    return {
        key: [parent.key for parent in graph.node_map[key].parents] if key in graph.node_map else []
        for key in graph.nodes
    }


def imported_project_files(root: Path, disk: DiskMigrations) -> list[tuple[str, str]]:
    """(relative path, sha256) of the project files (outside migrations) that migration modules
    import from."""
    root_s = str(root)
    files: set[str] = set()
    for migration in disk.migrations.values():
        module = sys.modules.get(type(migration).__module__)
        if module is None:
            continue
        for value in vars(module).values():
            name = getattr(value, "__module__", None) or getattr(value, "__name__", None)
            mod = sys.modules.get(name) if isinstance(name, str) else None
            file = getattr(mod, "__file__", None) if mod is not None else None
            if file and file.startswith(root_s) and "/migrations/" not in file:
                files.add(file)
    out = []
    for file in sorted(files):
        try:
            out.append(
                (os.path.relpath(file, root), hashlib.sha256(Path(file).read_bytes()).hexdigest())
            )
        except OSError:
            continue
    return out
