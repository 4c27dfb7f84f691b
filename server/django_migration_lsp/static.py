"""Operations read from a migration's source alone, for when Django cannot load it.

A migration that fails to import (or a project whose settings are broken) still gets the checks
that need no Django context: RunPython/RunSQL rules and what the common schema operations
plainly do (``RemoveField`` drops a column, …), from the ``ast`` of the file. Tables are named by
Django's default (``app_model``) since the real ``db_table`` is unknown without the state.
"""

from __future__ import annotations

import ast
import textwrap
from typing import Any

from .findings import RenderedOperation
from .source import MigrationSource, callee_name
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


def _function_info(
    node: ast.AST | None, tree: ast.Module, text: str, path: str | None
) -> dict[str, Any] | None:
    if node is None:
        return None
    if isinstance(node, ast.Attribute) and node.attr == "noop":
        return {
            "name": "noop",
            "qualname": "RunPython.noop",
            "source": None,
            "args": ["apps", "schema_editor"],
            "path": path,
            "line": None,
            "module_globals": {},
            "is_noop": True,
        }
    if not isinstance(node, ast.Name):
        return {
            "name": ast.unparse(node),
            "qualname": ast.unparse(node),
            "source": None,
            "args": None,
            "path": path,
            "line": None,
            "module_globals": {},
            "is_noop": False,
        }
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == node.id:
            segment = ast.get_source_segment(text, stmt) or ""
            decorators = "".join(
                f"@{ast.get_source_segment(text, d)}\n" for d in stmt.decorator_list
            )
            return {
                "name": stmt.name,
                "qualname": stmt.name,
                "source": textwrap.dedent(decorators + segment),
                "args": [a.arg for a in stmt.args.posonlyargs + stmt.args.args],
                "path": path,
                "line": stmt.lineno,
                "module_globals": _module_globals(tree),
                "is_noop": False,
            }
    return {
        "name": node.id,
        "qualname": node.id,
        "source": None,
        "args": None,
        "path": path,
        "line": None,
        "module_globals": _module_globals(tree),
        "is_noop": False,
    }


def _table(app: str | None, model: str | None) -> str:
    return f"{app}_{model.lower()}" if app and model else (model or "?").lower()


def operation_from_call(
    call: ast.AST,
    index: int,
    tree: ast.Module,
    text: str,
    path: str | None,
    app: str | None,
    sub_index: int | None = None,
) -> RenderedOperation:
    """What an operation call plainly does, without Django."""
    kind = callee_name(call) or "Operation"
    op = RenderedOperation(
        index=index, kind=kind, description=kind, sub_index=sub_index, sql_origin="static"
    )
    if not isinstance(call, ast.Call):
        return op
    facts: dict[str, Any] = {}
    model = _str(_arg(call, 0, "model_name")) or _str(_arg(call, 0, "name"))
    if kind == "RunPython":
        code = _arg(call, 0, "code")
        reverse = _arg(call, 1, "reverse_code")
        if isinstance(reverse, ast.Constant) and reverse.value is None:
            reverse = None
        facts["runpython"] = {
            "reversible": reverse is not None,
            "code": _function_info(code, tree, text, path),
            "reverse_code": _function_info(reverse, tree, text, path),
        }
        op.sql_origin = "python"
    elif kind == "RunSQL":
        forward = _strings(_arg(call, 0, "sql")) or []
        reverse_node = _arg(call, 1, "reverse_sql")
        reverse = _strings(reverse_node)
        op.sql_origin = "runsql"
        op.statements = [s for text_ in forward for s in split_sql(text_)]
        facts["runsql"] = {
            "reversible": reverse_node is not None
            and not (isinstance(reverse_node, ast.Constant) and reverse_node.value is None),
            "reverse_statements": [s for text_ in (reverse or []) for s in split_sql(text_)],
        }
    elif kind == "RemoveField":
        facts["column_dropped"] = {
            "table": _table(app, model),
            "column": _str(_arg(call, 1, "name")),
        }
    elif kind == "DeleteModel":
        facts["tables_dropped"] = [_table(app, _str(_arg(call, 0, "name")))]
    elif kind == "RenameField":
        facts["column_renamed"] = {
            "table": _table(app, model),
            "old": _str(_arg(call, 1, "old_name")),
            "new": _str(_arg(call, 2, "new_name")),
        }
    elif kind == "RenameModel":
        old = _str(_arg(call, 0, "old_name"))
        new = _str(_arg(call, 1, "new_name"))
        facts["table_renamed"] = [_table(app, old), _table(app, new)]
    elif kind == "AddField":
        field_call = _arg(call, 2, "field")
        field_kind = callee_name(field_call) if field_call is not None else None
        if field_kind != "ManyToManyField":
            null = _kwarg_bool(field_call, "null") or False
            facts["column_added"] = {
                "table": _table(app, model),
                "column": _str(_arg(call, 1, "name")),
                "null": null,
                "db_default": _has_kwarg(field_call, "db_default"),
                "default": _has_kwarg(field_call, "default"),
                "unique": _kwarg_bool(field_call, "unique") or False,
                "db_index": _kwarg_bool(field_call, "db_index") or False,
            }
    elif kind == "CreateModel":
        facts["tables_created"] = [_table(app, _str(_arg(call, 0, "name")))]
    elif kind == "AddConstraint":
        constraint = _arg(call, 1, "constraint")
        if callee_name(constraint) == "UniqueConstraint":
            facts["unique_added"] = {"table": _table(app, model), "columns": [], "name": None}
    elif kind in ("AddIndex", "AddIndexConcurrently"):
        facts["index_added"] = {
            "table": _table(app, model),
            "columns": [],
            "name": None,
            "unique": False,
            "concurrently": kind == "AddIndexConcurrently",
        }
    elif kind in ("RemoveIndex", "RemoveIndexConcurrently"):
        facts["index_dropped"] = {
            "table": _table(app, model),
            "name": _str(_arg(call, 1, "name")),
            "concurrently": kind == "RemoveIndexConcurrently",
        }
    elif kind == "SeparateDatabaseAndState":
        db_ops = _arg(call, 0, "database_operations")
        if isinstance(db_ops, (ast.List, ast.Tuple)):
            op.sub_operations = [
                operation_from_call(e, index, tree, text, path, app, sub)
                for sub, e in enumerate(db_ops.elts)
            ]
    op.facts = facts
    return op


def static_operations(source: MigrationSource, app: str | None = None) -> list[RenderedOperation]:
    """The operations of a migration file as far as its source tells (empty on syntax error)."""
    if source.syntax_error is not None:
        return []
    try:
        tree = ast.parse(source.text)
    except SyntaxError:
        return []
    if app is None and source.path:
        parts = source.path.replace("\\", "/").split("/")
        if "migrations" in parts:
            i = len(parts) - 1 - parts[::-1].index("migrations")
            app = parts[i - 1] if i >= 1 else None
    elements = _operation_elements(tree)
    return [
        operation_from_call(node, index, tree, source.text, source.path, app)
        for index, node in enumerate(elements)
    ]


def _operation_elements(tree: ast.Module) -> list[ast.AST]:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Migration":
            for stmt in node.body:
                target = None
                value = None
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target, value = stmt.targets[0], stmt.value
                elif isinstance(stmt, ast.AnnAssign):
                    target, value = stmt.target, stmt.value
                if (
                    isinstance(target, ast.Name)
                    and target.id == "operations"
                    and isinstance(value, (ast.List, ast.Tuple))
                ):
                    return list(value.elts)
    return []
