"""Operations read from a migration's source alone, for when Django cannot load it.

A migration that fails to import (or a project whose settings are broken) still gets the checks
that need no Django context: RunPython/RunSQL rules and what the common schema operations
plainly do (``RemoveField`` drops a column, …), from the ``ast`` of the file. Tables are named by
Django's default (``app_model``) since the real ``db_table`` is unknown without the state.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from .facts_schema import (
    ColumnAdded,
    ColumnDropped,
    ColumnRenamed,
    FunctionInfo,
    IndexAdded,
    IndexDropped,
    OperationFacts,
    RunPythonFacts,
    RunSQLFacts,
    UniqueAdded,
)
from .findings import RenderedOperation
from .source import MigrationSource, OperationSpan, callee_name
from .sqltext import split_sql


def _arg(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if len(call.args) > position:
        return call.args[position]
    return None


def _str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _strings(node: ast.AST | None) -> list[str] | None:
    """A string literal or a list/tuple of string literals (or of (sql, params) pairs)."""
    if node is None:
        return None
    value = _str(node)
    if value is not None:
        return [value]
    if isinstance(node, (ast.List, ast.Tuple)):
        out = []
        for element in node.elts:
            if isinstance(element, (ast.List, ast.Tuple)) and element.elts:
                element = element.elts[0]
            text = _str(element)
            if text is None:
                return None
            out.append(text)
        return out
    return None


def _kwarg_bool(call: ast.AST | None, name: str) -> bool | None:
    if not isinstance(call, ast.Call):
        return None
    for kw in call.keywords:
        if kw.arg == name and isinstance(kw.value, ast.Constant):
            return bool(kw.value.value)
    return None


def _has_kwarg(call: ast.AST | None, name: str) -> bool:
    return isinstance(call, ast.Call) and any(kw.arg == name for kw in call.keywords)


def _module_globals(tree: ast.Module) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                name = (alias.asname or alias.name).split(".")[0]
                looks_model = (
                    isinstance(node, ast.ImportFrom)
                    and bool(node.module)
                    and (node.module or "").split(".")[-1] == "models"
                    and alias.name[:1].isupper()
                )
                kinds[name] = "model" if looks_model else "import"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            kinds[node.name] = "other"
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    kinds[target.id] = "other"
    return kinds


@dataclass(frozen=True)
class _Reading:
    """The file being read: its parsed module (from the source map), text, path and app."""

    tree: ast.Module
    text: str
    path: str | None
    app: str | None
    module_globals: dict[str, str]

    def table(self, model: str | None) -> str:
        """Django's default table name (the real ``db_table`` is unknown without the state)."""
        return f"{self.app}_{model.lower()}" if self.app and model else (model or "?").lower()


def _function_info(node: ast.AST | None, at: _Reading) -> FunctionInfo | None:
    if node is None:
        return None
    if isinstance(node, ast.Attribute) and node.attr == "noop":
        return FunctionInfo(
            name="noop",
            qualname="RunPython.noop",
            args=("apps", "schema_editor"),
            path=at.path,
            is_noop=True,
        )
    if not isinstance(node, ast.Name):
        return FunctionInfo(name=ast.unparse(node), qualname=ast.unparse(node), path=at.path)
    for stmt in at.tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == node.id:
            segment = ast.get_source_segment(at.text, stmt) or ""
            decorators = "".join(
                f"@{ast.get_source_segment(at.text, d)}\n" for d in stmt.decorator_list
            )
            return FunctionInfo(
                name=stmt.name,
                qualname=stmt.name,
                source=textwrap.dedent(decorators + segment),
                args=tuple(a.arg for a in stmt.args.posonlyargs + stmt.args.args),
                path=at.path,
                line=stmt.lineno,
                module_globals=at.module_globals,
            )
    return FunctionInfo(
        name=node.id, qualname=node.id, path=at.path, module_globals=at.module_globals
    )


def _model_arg(call: ast.Call) -> str | None:
    return _str(_arg(call, 0, "model_name")) or _str(_arg(call, 0, "name"))


def _run_python(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    op.sql_origin = "python"
    reverse = _arg(call, 1, "reverse_code")
    if isinstance(reverse, ast.Constant) and reverse.value is None:
        reverse = None
    return OperationFacts(
        runpython=RunPythonFacts(
            reversible=reverse is not None,
            code=_function_info(_arg(call, 0, "code"), at),
            reverse_code=_function_info(reverse, at),
        )
    )


def _run_sql(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    forward = _strings(_arg(call, 0, "sql")) or []
    reverse_node = _arg(call, 1, "reverse_sql")
    op.sql_origin = "runsql"
    op.statements = [s for text in forward for s in split_sql(text)]
    reversible = reverse_node is not None and not (
        isinstance(reverse_node, ast.Constant) and reverse_node.value is None
    )
    reverse = [s for text in (_strings(reverse_node) or []) for s in split_sql(text)]
    return OperationFacts(runsql=RunSQLFacts(reversible, tuple(reverse)))


def _remove_field(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    column = _str(_arg(call, 1, "name"))
    return OperationFacts(column_dropped=ColumnDropped(at.table(_model_arg(call)), column))


def _delete_model(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    return OperationFacts(tables_dropped=(at.table(_str(_arg(call, 0, "name"))),))


def _create_model(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    return OperationFacts(tables_created=(at.table(_str(_arg(call, 0, "name"))),))


def _rename_field(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    renamed = ColumnRenamed(
        at.table(_model_arg(call)),
        _str(_arg(call, 1, "old_name")),
        _str(_arg(call, 2, "new_name")),
    )
    return OperationFacts(column_renamed=renamed)


def _rename_model(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    old = _str(_arg(call, 0, "old_name"))
    new = _str(_arg(call, 1, "new_name"))
    return OperationFacts(table_renamed=(at.table(old), at.table(new)))


def _add_field(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    field_call = _arg(call, 2, "field")
    if field_call is not None and callee_name(field_call) == "ManyToManyField":
        return OperationFacts()
    added = ColumnAdded(
        table=at.table(_model_arg(call)),
        column=_str(_arg(call, 1, "name")),
        null=_kwarg_bool(field_call, "null") or False,
        db_default=_has_kwarg(field_call, "db_default"),
        default=_has_kwarg(field_call, "default"),
        unique=_kwarg_bool(field_call, "unique") or False,
        db_index=_kwarg_bool(field_call, "db_index") or False,
    )
    return OperationFacts(column_added=added)


def _add_constraint(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    constraint = _arg(call, 1, "constraint")
    if constraint is None or callee_name(constraint) != "UniqueConstraint":
        return OperationFacts()
    return OperationFacts(unique_added=UniqueAdded(at.table(_model_arg(call))))


def _add_index(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    index = IndexAdded(
        table=at.table(_model_arg(call)),
        unique=False,
        concurrently=op.kind == "AddIndexConcurrently",
    )
    return OperationFacts(index_added=index)


def _remove_index(call: ast.Call, at: _Reading, op: RenderedOperation) -> OperationFacts:
    dropped = IndexDropped(
        table=at.table(_model_arg(call)),
        name=_str(_arg(call, 1, "name")),
        concurrently=op.kind == "RemoveIndexConcurrently",
    )
    return OperationFacts(index_dropped=dropped)


READERS: dict[str, Callable[[ast.Call, _Reading, RenderedOperation], OperationFacts]] = {
    "RunPython": _run_python,
    "RunSQL": _run_sql,
    "RemoveField": _remove_field,
    "DeleteModel": _delete_model,
    "RenameField": _rename_field,
    "RenameModel": _rename_model,
    "AddField": _add_field,
    "CreateModel": _create_model,
    "AddConstraint": _add_constraint,
    "AddIndex": _add_index,
    "AddIndexConcurrently": _add_index,
    "RemoveIndex": _remove_index,
    "RemoveIndexConcurrently": _remove_index,
}
"""Operation name -> what its call plainly does (may set the operation's SQL and origin)."""


def _operation(
    span: OperationSpan, at: _Reading, index: int, sub_index: int | None = None
) -> RenderedOperation:
    """What an operation call plainly does, without Django."""
    kind = span.name or "Operation"
    op = RenderedOperation(
        index=index,
        kind=kind,
        description=kind,
        sub_index=sub_index,
        sql_origin="static",
    )
    call = span.node
    if not isinstance(call, ast.Call):
        return op
    reader = READERS.get(kind)
    if reader is not None:
        op.facts = reader(call, at, op).to_dict()
    return op


def static_operations(source: MigrationSource, app: str | None = None) -> list[RenderedOperation]:
    """The operations of a migration file as far as its source map tells (empty on syntax error)."""
    if source.syntax_error is not None or source.tree is None:
        return []
    if app is None and source.path:
        parts = source.path.replace("\\", "/").split("/")
        if "migrations" in parts:
            i = len(parts) - 1 - parts[::-1].index("migrations")
            app = parts[i - 1] if i >= 1 else None
    at = _Reading(source.tree, source.text, source.path, app, _module_globals(source.tree))
    result = []
    for span in source.operations or []:
        op = _operation(span, at, span.index)
        if op.kind == "SeparateDatabaseAndState":
            op.sub_operations = [
                _operation(sub, at, span.index, sub.index) for sub in span.sub_operations
            ]
        result.append(op)
    return result
