"""Inputs of the rewrites from plain data: rendered operations, sibling migration files."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

from ..facts_schema import OperationFacts
from ..findings import RenderedOperation
from .model import RemovedColumn, RenderedOp


def _statements(op: RenderedOperation) -> tuple[str, ...]:
    statements = list(op.statements)
    for sub in op.sub_operations:
        statements += _statements(sub)
    return tuple(statements)


def removed_column(op: RenderedOperation) -> RemovedColumn | None:
    """The column a ``RemoveField`` drops, from its facts (None when they do not say enough)."""
    dropped = OperationFacts.from_dict(op.facts).column_dropped
    if dropped is None or not (dropped.table and dropped.column and dropped.db_type):
        return None
    refs = dropped.references
    return RemovedColumn(
        table=dropped.table,
        column=dropped.column,
        null=bool(dropped.null),
        db_type=dropped.db_type,
        references=(refs[0], refs[1]) if refs and len(refs) == 2 else None,
        index=dropped.index,
    )


def rendered_ops(operations: Iterable[RenderedOperation]) -> tuple[RenderedOp, ...]:
    """Each operation with every statement it runs (those of its database_operations too) and,
    for a ``RemoveField``, the column it drops, for a table removal Django's statements creating
    the tables again: the CLI and the editor read the same."""
    return tuple(
        RenderedOp(
            op.index,
            op.kind,
            _statements(op),
            removed_column(op),
            OperationFacts.from_dict(op.facts).tables_recreated or (),
        )
        for op in operations
    )


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
