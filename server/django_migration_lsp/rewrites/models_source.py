"""Edits of an app's models module as source text (pure ``ast`` + exact text).

Finds a model class by name in the module (or the files of a ``models`` package), a field's
call in its body, and writes a keyword into that call (``db_column="old"``) or ``db_table``
into the class's ``Meta`` (added when there is none). Everything else in the file is kept byte
for byte. Each function returns the ``Edit`` to make, ``None`` when there is nothing to change,
or raises ``SourceProblem`` saying where and why the file cannot be edited.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from dataclasses import dataclass

from .model import SourceFile
from .pysource import Edit, PySource, assignment, constant


class SourceProblem(ValueError):
    """The models source cannot be edited as asked (the message says where and why)."""


@dataclass(frozen=True)
class ModelClass:
    path: str
    source: PySource
    node: ast.ClassDef


def literal(value: str) -> str:
    """A Python string literal in double quotes (the style of most models modules)."""
    return json.dumps(value)


def find_model(files: Iterable[SourceFile], name: str) -> ModelClass:
    """The module-level class named ``name`` (case-insensitive, as Django's model names are)."""
    found: list[ModelClass] = []
    for file in files:
        try:
            source = PySource(file.text)
        except SyntaxError as exc:
            raise SourceProblem(f"{file.path}:{exc.lineno}: {exc.msg}: it must parse") from exc
        found += [
            ModelClass(file.path, source, node)
            for node in source.tree.body
            if isinstance(node, ast.ClassDef) and node.name.lower() == name.lower()
        ]
    if len(found) != 1:
        where = ", ".join(sorted({f.path for f in files})) or "no models module"
        how = "no class" if not found else "several classes"
        raise SourceProblem(f"{how} named {name} in {where}")
    return found[0]


def field_call(model: ModelClass, attribute: str) -> ast.Call:
    """The call that defines field ``attribute`` in the class body (``name = models.X(...)``)."""
    for stmt in model.node.body:
        value: ast.expr | None
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            targets, value = [stmt.target], stmt.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == attribute for t in targets):
            if not isinstance(value, ast.Call):
                raise SourceProblem(
                    f"{model.path}:{stmt.lineno}: {model.node.name}.{attribute} is not "
                    "defined by a call of a field class"
                )
            return value
    raise SourceProblem(
        f"{model.path}:{model.node.lineno}: class {model.node.name} defines no field {attribute}"
    )


def keyword_edit(source: PySource, call: ast.Call, name: str, value: str) -> Edit | None:
    """``name=<value literal>`` in ``call`` (its value replaced when present), as the smallest
    edit; None when it already says so."""
    current = next((k for k in call.keywords if k.arg == name), None)
    if current is not None:
        if constant(current.value) == value:
            return None
        return Edit(source.start(current.value), source.end(current.value), literal(value))
    if any(k.arg is None for k in call.keywords):
        raise SourceProblem(
            f"line {call.lineno}: the call passes **kwargs, so {name}= cannot be added to it safely"
        )
    args: list[ast.AST] = [*call.args, *call.keywords]
    setting = f"{name}={literal(value)}"
    if not args:
        at = source.end(call) - 1
        return Edit(at, at, setting)
    last = max(args, key=source.end)
    at = source.end(last)
    after = at + len(source.text[at:]) - len(source.text[at:].lstrip(" \t"))
    own_line = not source.text[source.line_start(source.start(last)) : source.start(last)].strip()
    if (
        own_line
        and source.text[after : after + 1] == ","
        and source.text[after + 1 :].lstrip(" \t").startswith("\n")
    ):
        return Edit(after + 1, after + 1, f"\n{' ' * source.column(last)}{setting},")
    return Edit(at, at, f", {setting}")


def _meta(model: ModelClass) -> ast.ClassDef | None:
    return next(
        (n for n in model.node.body if isinstance(n, ast.ClassDef) and n.name == "Meta"), None
    )


def db_table_edit(model: ModelClass, table: str) -> Edit | None:
    """``db_table = "<table>"`` in the class's Meta (the Meta added when there is none)."""
    source, cls = model.source, model.node
    meta = _meta(model)
    if meta is None:
        last = cls.body[-1]
        if last.lineno == cls.lineno:
            raise SourceProblem(
                f"{model.path}:{cls.lineno}: class {cls.name} is written on one line; "
                "give it a body of its own lines first"
            )
        indent = " " * source.column(cls.body[0])
        at = source.line_end(source.end(last))
        block = f"\n{indent}class Meta:\n{indent}    db_table = {literal(table)}\n"
        prefix = "" if source.text[at - 1 : at] == "\n" else "\n"
        return Edit(at, at, prefix + block)
    assign = assignment(meta, "db_table")
    if assign is not None:
        if constant(assign.value) == table:
            return None
        return Edit(source.start(assign.value), source.end(assign.value), literal(table))
    first = meta.body[0]
    line = f"db_table = {literal(table)}"
    if first.lineno == meta.lineno:
        return Edit(source.start(first), source.start(first), f"{line}; ")
    at = source.line_start(source.start(first))
    return Edit(at, at, f"{' ' * source.column(first)}{line}\n")
