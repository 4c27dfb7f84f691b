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
    """sha256 of the source each migration was executed from (its stamp: the file's bytes or
    the unsaved text that stood for it); for a file that did not import, of what is there now
    (the text of ``overrides``, real path -> text, where given; "missing" when unreadable)."""
    content: dict[Key, str] = {}
    for key, path in disk.paths.items():
        stamp = disk.stamps.get(key)
        if stamp is not None:
            content[key] = stamp.sha
            continue
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
    """(path relative to ``root``, sha256 of the source executed) of the project modules
    (outside migrations) that the loaded migrations import from."""
    names: set[str] = set()
    for key in disk.migrations:
        names |= disk.imports.get(key, frozenset())
    out = []
    for name in sorted(names):
        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        stamp = disk.module_stamps.get(name)
        if file and stamp is not None:
            out.append((os.path.relpath(file, root), stamp.sha))
    return sorted(out)
