"""The migration added after a leaf migration for what cannot run in it (pure text)."""

from __future__ import annotations

import ast
import re

from .pysource import PySource, reindent

OPERATION_INDENT = 8


def next_name(name: str, suffix: str, taken: frozenset[str]) -> str:
    """``0003_<suffix>`` after ``0002_…``, the way makemigrations numbers (unique in the app)."""
    match = re.match(r"^(\d+)_", name)
    number = int(match.group(1)) + 1 if match else 1
    candidate = f"{number:04d}_{suffix}"
    n = 2
    while candidate in taken:
        candidate = f"{number:04d}_{suffix}_{n}"
        n += 1
    return candidate


def _names_used(texts: list[str]) -> set[str]:
    used: set[str] = set()
    for text in texts:
        for node in ast.walk(ast.parse(text.strip(), mode="eval")):
            if isinstance(node, ast.Name):
                used.add(node.id)
    return used


def _imports(source: PySource, texts: list[str], extra: list[tuple[str, str]]) -> list[str]:
    """The original file's imports that the new operations use, then the extra ones."""
    used = _names_used(texts) | {"migrations"}
    lines: list[str] = []
    bound: set[str] = set()
    for node in source.tree.body:
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        names = {a.asname or a.name.split(".")[0] for a in node.names}
        if names & used:
            lines.append(source.segment(node))
            bound |= names
    if "migrations" not in bound:
        lines.append("from django.db import migrations")
    for module, name in extra:
        if name not in bound:
            lines.append(f"from {module} import {name}")
            bound.add(name)
    return lines


def migration_text(
    source: PySource,
    depends_on: tuple[str, str],
    operations: list[tuple[str, int]],
    *,
    autocommit: bool,
    extra_imports: list[tuple[str, str]],
    purpose: str,
) -> str:
    """A new migration file: ``operations`` are (text written at its column, that column)."""
    texts = [reindent(text, OPERATION_INDENT - column) for text, column in operations]
    lines = [
        f"# Written by django-migration-lsp fix: the second step of {depends_on[1]}",
        f"# ({purpose}).",
        "",
        *_imports(source, texts, extra_imports),
        "",
        "",
        "class Migration(migrations.Migration):",
        "",
    ]
    if autocommit:
        lines += ["    atomic = False", ""]
    lines += [
        "    dependencies = [",
        f"        ({depends_on[0]!r}, {depends_on[1]!r}),",
        "    ]",
        "",
        "    operations = [",
        *[" " * OPERATION_INDENT + text + "," for text in texts],
        "    ]",
        "",
    ]
    return "\n".join(lines)
