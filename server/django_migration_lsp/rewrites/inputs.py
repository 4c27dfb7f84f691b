"""Inputs of the rewrites from plain data: rendered operations, sibling migration files."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

from ..findings import RenderedOperation
from .model import RenderedOp


def _statements(op: RenderedOperation) -> tuple[str, ...]:
    statements = list(op.statements)
    for sub in op.sub_operations:
        statements += _statements(sub)
    return tuple(statements)


def rendered_ops(operations: Iterable[RenderedOperation]) -> tuple[RenderedOp, ...]:
    """Each operation with every statement it runs (those of its database_operations too)."""
    return tuple(RenderedOp(op.index, op.kind, _statements(op)) for op in operations)


def _dependencies(text: str) -> set[tuple[str, str]]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return set()
    found: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "dependencies" for t in node.targets)
            and isinstance(node.value, (ast.List, ast.Tuple))
        ):
            for element in node.value.elts:
                if isinstance(element, ast.Tuple) and len(element.elts) == 2:
                    app, name = (getattr(e, "value", None) for e in element.elts)
                    if isinstance(app, str) and isinstance(name, str):
                        found.add((app, name))
    return found


def dependents_in_app(app: str, name: str, siblings: Mapping[str, str]) -> list[str]:
    """``app.other`` for each sibling migration file (name -> text) that depends on ``name``."""
    return sorted(
        f"{app}.{other}"
        for other, text in siblings.items()
        if other != name and (app, name) in _dependencies(text)
    )
